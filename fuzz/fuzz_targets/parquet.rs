//! The Parquet reader, whole and in batches.
#![no_main]

use libfuzzer_sys::fuzz_target;
use satudata_ingest::{FileKind, IngestOptions};

fuzz_target!(|data: &[u8]| {
    satudata_fuzz::read_both(data, FileKind::Parquet, IngestOptions::default());
});
