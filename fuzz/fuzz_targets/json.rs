//! The JSON records reader: the first byte picks the batch size.
#![no_main]

use libfuzzer_sys::fuzz_target;
use satudata_ingest::{FileKind, IngestOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&byte, bytes)) = data.split_first() else {
        return;
    };
    let options = IngestOptions {
        batch_bytes: satudata_fuzz::batch_bytes(byte),
        ..IngestOptions::default()
    };
    satudata_fuzz::read_both(bytes, FileKind::Json, options);
});
