//! The delimited-text reader: the first byte picks encoding, delimiter and batch size.
#![no_main]

use libfuzzer_sys::fuzz_target;
use satudata_ingest::FileKind;

fuzz_target!(|data: &[u8]| {
    let Some((&byte, bytes)) = data.split_first() else {
        return;
    };
    satudata_fuzz::read_both(bytes, FileKind::Csv, satudata_fuzz::delimited_options(byte));
});
