//! Shared by the fuzz targets: each input is read whole ([`read`]) and as a stream of batches
//! ([`open`]), and whatever comes back (a table, findings, an `Err`) is touched so that nothing
//! is optimised away. Only a panic, an abort, a timeout or runaway memory is a bug.
//!
//! libfuzzer-sys makes every panic abort, even one the workbook reader catches (its guard
//! around calamine). [`report_panics`] puts a hook back that only prints, so that a caught
//! panic is logged and fuzzing goes on; a panic nobody catches still reaches libfuzzer-sys'
//! own `catch_unwind` and aborts, which is the crash it reports.

use satudata_ingest::{FileKind, IngestOptions, open, read};

/// Batches drained from one stream at most: far more than a small input can hold.
const MAX_BATCHES: usize = 10_000;

/// Replaces libfuzzer-sys' aborting panic hook, once, by one that prints the panic.
pub fn report_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| eprintln!("panic (caught or not): {info}")));
    });
}

/// Reads `bytes` of `kind` whole and as a stream under `options`, checking what comes back.
pub fn read_both(bytes: &[u8], kind: FileKind, mut options: IngestOptions) {
    report_panics();
    options.kind = Some(kind);
    if let Ok(table) = read(bytes, &options) {
        check_table(&table);
    }
    if let Ok(mut batches) = open(bytes, &options) {
        let _ = batches.labels().len();
        let _ = batches.take_notes();
        for _ in 0..MAX_BATCHES {
            match batches.next_batch() {
                Ok(Some(table)) => check_table(&table),
                Ok(None) | Err(_) => break,
            }
        }
    }
}

/// Walks every cell of `table` and checks that its parts agree in length.
fn check_table(table: &satudata_ingest::Table) {
    let height = table.height();
    assert_eq!(table.row_numbers.len(), height, "one row number a row");
    for row in 0..height {
        for col in 0..table.labels.len() {
            let _ = table.cell(row, col);
        }
    }
}

/// The `IngestOptions` one byte of the input chooses: batch size, encoding, delimiter.
pub fn delimited_options(byte: u8) -> IngestOptions {
    use satudata_ingest::Encoding;
    IngestOptions {
        encoding: match byte & 3 {
            1 => Some(Encoding::Utf8),
            2 => Some(Encoding::Windows1252),
            3 => Some(Encoding::Utf16),
            _ => None,
        },
        delimiter: match (byte >> 2) & 3 {
            1 => Some(b';'),
            2 => Some(b','),
            3 => Some(b'\t'),
            _ => None,
        },
        batch_bytes: batch_bytes(byte >> 4),
        ..IngestOptions::default()
    }
}

/// A batch size from two bits: the default, or one small enough to split a small input.
pub fn batch_bytes(bits: u8) -> Option<usize> {
    match bits & 3 {
        1 => Some(1),
        2 => Some(64),
        3 => Some(4096),
        _ => None,
    }
}
