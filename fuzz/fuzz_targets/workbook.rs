//! The workbook reader: the first byte picks the kind (xlsx, xls, xlsb, ods) and whether a
//! header row is given (bit 2, the row in bits 3-7) or found by looking, or else (bit 7) the
//! sheet is read plainly, as Frictionless mode reads it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use satudata_ingest::{FileKind, IngestOptions, Layout};

fuzz_target!(|data: &[u8]| {
    let Some((&byte, bytes)) = data.split_first() else {
        return;
    };
    let kind = match byte & 3 {
        0 => FileKind::Xlsx,
        1 => FileKind::Xls,
        2 => FileKind::Xlsb,
        _ => FileKind::Ods,
    };
    let options = IngestOptions {
        header_row: (byte & 4 != 0).then_some(u64::from(byte >> 3)),
        layout: if byte & 4 == 0 && byte & 0x80 != 0 {
            Layout::Plain
        } else {
            Layout::Report
        },
        ..IngestOptions::default()
    };
    satudata_fuzz::read_both(bytes, kind, options);
});
