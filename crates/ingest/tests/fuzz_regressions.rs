//! Inputs the fuzz targets (`fuzz/`, see `docs/FUZZING.md`) found to make a reader panic. Each
//! file under `tests/fixtures/fuzz/workbook/` is a fuzz input as found: its first byte picks the
//! kind (the low two bits: XLSX, XLS, XLSB, ODS), the rest is the file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use satudata_ingest::{Error, FileKind, IngestOptions, Layout, open, read};

/// The fuzz inputs of `target`: (file name, option byte, file bytes).
fn inputs(target: &str) -> Vec<(String, u8, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/fuzz")
        .join(target);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        if let Some((&byte, rest)) = bytes.split_first() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, byte, rest.to_vec()));
        }
    }
    out
}

/// calamine 0.38's OLE2 reader panics on these truncated `.xls` files (a sector slice past the
/// end of the file in `cfb.rs`, a sector chain not a multiple of four bytes in `utils::to_u32`).
/// The workbook reader catches it: the file is a format error, read whole and as a stream alike.
#[test]
fn calamine_panics_on_broken_xls_are_format_errors() {
    let found = inputs("workbook");
    assert!(
        found.iter().any(|(name, ..)| name.starts_with("xls-")),
        "the xls inputs are there"
    );
    for (name, byte, bytes) in found {
        let kind = [FileKind::Xlsx, FileKind::Xls, FileKind::Xlsb, FileKind::Ods][usize::from(byte & 3)];
        let options = IngestOptions {
            kind: Some(kind),
            ..IngestOptions::default()
        };
        let whole = read(&bytes, &options);
        assert!(matches!(whole, Err(Error::Format { .. })), "{name}: {whole:?}");
        let stream = open(bytes.as_slice(), &options).and_then(|mut b| b.next_batch());
        assert!(matches!(stream, Err(Error::Format { .. })), "{name}: {stream:?}");
    }
}

/// A key repeated in the first JSON record (`"a"` twice) made the record's row one cell short,
/// and the next cell an index out of bounds. Each label is a column now: the repeated one is
/// there twice (the validator's duplicate label), its value in the last of them.
#[test]
fn a_key_repeated_in_the_first_json_record_is_two_columns() {
    let bytes = br#"[{"a": "1", "a": "2", "b": "3"}, {"b": "4", "a": "5"}]"#;
    let options = IngestOptions {
        kind: Some(FileKind::Json),
        ..IngestOptions::default()
    };
    let t = read(bytes, &options).unwrap();
    assert_eq!(t.labels, ["a", "a", "b"]);
    let rows: Vec<Vec<Option<&str>>> = (0..t.height())
        .map(|r| (0..3).map(|c| t.cell(r, c)).collect())
        .collect();
    assert_eq!(rows, [[None, Some("2"), Some("3")], [None, Some("5"), Some("4")]]);
    let mut batches = open(bytes.as_slice(), &options).unwrap();
    assert_eq!(batches.next_batch().unwrap().unwrap().height(), 2);
}

/// polars-parquet 0.55 panics on these broken footers (a thrift field of the wrong kind, an
/// offset past the file, a column chunk without metadata). The Parquet reader catches it where
/// it reads the footer: each file is a format error. Each file is the whole fuzz input.
#[test]
fn parquet_footers_that_panicked_polars_are_format_errors() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/fuzz/parquet");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let options = IngestOptions {
            kind: Some(FileKind::Parquet),
            ..IngestOptions::default()
        };
        let whole = read(&bytes, &options);
        assert!(
            matches!(whole, Err(Error::Format { .. })),
            "{}: {whole:?}",
            path.display()
        );
        // Streamed, the error may come with a later batch: every batch is read.
        let stream = open(bytes.as_slice(), &options).and_then(|mut b| {
            while b.next_batch()?.is_some() {}
            Ok(())
        });
        assert!(
            matches!(stream, Err(Error::Format { .. })),
            "{}: {stream:?}",
            path.display()
        );
        seen += 1;
    }
    assert!(seen >= 10, "the parquet inputs are there");
}

/// A 577-byte file (fuzz run of 2 December 2026, after issue 10's fixes) whose footer declares
/// a Thrift list that polars-parquet reserved whole: 37,873,746,688 bytes, and the process
/// aborted (an allocation failure is no panic, so `catch_unwind` could not help). The footer is
/// now read first by a reader that holds each list to the bytes left.
#[test]
fn a_parquet_footer_declaring_a_37_gb_list_is_a_format_error_not_an_abort() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/fuzz/parquet/parquet-oom-footer-list-37gb");
    let bytes = std::fs::read(path).unwrap();
    let options = IngestOptions {
        kind: Some(FileKind::Parquet),
        ..IngestOptions::default()
    };
    let whole = read(&bytes, &options);
    assert!(
        matches!(&whole, Err(Error::Format { detail, .. }) if detail.contains("metadata is malformed")),
        "{whole:?}"
    );
}

/// An 11 KB `.xls` (option byte: plain layout) with a cell far from the others: read as
/// Frictionless reads it, the sheet is a dense grid of 5,633 rows by 513 columns, 2.9 million
/// cells, which took the fuzz target past its 2 s timeout. That is the plain layout's cost, and
/// the sheet-cell limit bounds it: a tighter limit refuses the file before the grid is made.
#[test]
fn a_far_cell_in_the_plain_layout_is_bounded_by_the_sheet_cell_limit() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/fuzz/xls-plain-far-cell");
    let bytes = std::fs::read(path).unwrap();
    let (_, file) = bytes.split_first().unwrap();
    let plain = IngestOptions {
        kind: Some(FileKind::Xls),
        layout: Layout::Plain,
        ..IngestOptions::default()
    };
    let t = read(file, &plain).unwrap();
    assert_eq!((t.height(), t.labels.len()), (5633, 513));
    let tight = IngestOptions {
        limits: satudata_ingest::Limits {
            max_sheet_cells: 1_000_000,
            ..Default::default()
        },
        ..plain
    };
    let e = read(file, &tight).unwrap_err();
    assert!(matches!(e, Error::TooLarge { .. }), "{e:?}");
}

/// A 10 KB `.xls` whose sheets calamine would lay out as grids of 137 GB in all: the `.xls`
/// guard sizes the grids from the BIFF records first and refuses it.
#[test]
fn an_xls_asking_for_a_huge_grid_is_refused_before_calamine() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/fuzz/xls-dense-range-oom");
    let bytes = std::fs::read(path).unwrap();
    let (_, file) = bytes.split_first().unwrap();
    let options = IngestOptions {
        kind: Some(FileKind::Xls),
        ..IngestOptions::default()
    };
    let e = read(file, &options).unwrap_err();
    assert!(matches!(e, Error::TooLarge { .. }), "{e}");
}
