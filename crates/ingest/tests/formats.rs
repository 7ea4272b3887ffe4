//! Reading the other file kinds through the public API: XLSX (title block, merged cells,
//! dates), JSON records and Parquet.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use satudata_ingest::{Error, FileKind, Format, IngestOptions, read};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures")
            .join(name),
    )
    .unwrap()
}

#[test]
fn an_excel_export_with_a_title_block_and_merged_cells() {
    let bytes = fixture("penduduk-kelurahan-2024.xlsx");
    assert_eq!(FileKind::sniff(&bytes), FileKind::Xlsx);
    let t = read(&bytes, &IngestOptions::default()).unwrap();
    assert_eq!(
        t.format,
        Format::Workbook {
            kind: FileKind::Xlsx,
            sheet: "Penduduk".into(),
            header_row: 4
        }
    );
    assert_eq!(
        t.labels,
        ["Tahun", "Kode Kelurahan", "Jenis Kelamin", "Jumlah Penduduk (jiwa)"]
    );
    assert_eq!(t.height(), 58);
    assert_eq!(t.row_numbers[0], 5, "rows are numbered as Excel shows them");
    assert_eq!(t.cell(0, 0), Some("2024"), "whole numbers have no fraction");
    // The kelurahan code is merged over its two rows: both rows carry it.
    assert_eq!(t.cell(1, 1), t.cell(0, 1));
    assert!(t.cell(0, 1).unwrap().starts_with("61.71."));
    assert!(t.ragged.is_empty());
}

#[test]
fn a_named_sheet_a_given_header_row_and_excel_dates() {
    let bytes = fixture("kegiatan-tanggal.xlsx");
    let t = read(&bytes, &IngestOptions::default()).unwrap();
    assert_eq!(t.labels, ["Nama Kegiatan", "Tanggal Mulai", "Tanggal Selesai"]);
    assert_eq!(t.cell(0, 1), Some("2024-08-17"));
    assert_eq!(t.cell(1, 1), Some("2024-09-01"));
    assert_eq!(t.cell(0, 2), Some("20 Agustus 2024"));

    let bytes = fixture("penduduk-kelurahan-2024.xlsx");
    let options = IngestOptions {
        sheet: Some("Catatan".into()),
        header_row: Some(1),
        ..Default::default()
    };
    let t = read(&bytes, &options).unwrap();
    assert_eq!(t.labels, ["Sumber: SIAK, diolah"]);
    assert_eq!(t.cell(0, 0), Some("2025-01-15"));
    let missing = IngestOptions {
        sheet: Some("Tidak Ada".into()),
        ..Default::default()
    };
    assert!(matches!(read(&bytes, &missing), Err(Error::Sheet { .. })));
}

#[test]
fn json_records_in_both_shapes() {
    let bytes = fixture("penduduk-kelurahan-2024.json");
    assert_eq!(FileKind::sniff(&bytes), FileKind::Json);
    let t = read(&bytes, &IngestOptions::default()).unwrap();
    assert_eq!(t.format, Format::Json);
    assert_eq!(t.height(), 58);
    assert_eq!(t.labels[3], "Jumlah Penduduk (jiwa)");
    assert_eq!(t.row_numbers[..2], [2, 3]);
    let t = read(&fixture("penduduk-kelurahan-2024-data.json"), &IngestOptions::default()).unwrap();
    assert_eq!(t.height(), 4);
    assert!(matches!(
        read(b"[1, 2]", &IngestOptions::default()),
        Err(Error::Format { format: "JSON", .. })
    ));
    assert!(matches!(
        read(b"{\"rows\": []}", &IngestOptions::default()),
        Err(Error::Format { .. })
    ));
    assert!(matches!(
        read(b"[{]", &IngestOptions::default()),
        Err(Error::Format { .. })
    ));
}

#[test]
fn parquet_columns_come_back_as_text() {
    use polars::prelude::*;
    let mut df = df!("kode" => ["61.71.01", "61.71.02"], "jumlah" => [10i64, 20], "rasio" => [0.5f64, 1.25]).unwrap();
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes).finish(&mut df).unwrap();
    assert_eq!(FileKind::sniff(&bytes), FileKind::Parquet);
    let t = read(&bytes, &IngestOptions::default()).unwrap();
    assert_eq!(t.labels, ["kode", "jumlah", "rasio"]);
    assert_eq!(
        (t.cell(1, 0), t.cell(1, 1), t.cell(1, 2)),
        (Some("61.71.02"), Some("20"), Some("1.25"))
    );
    assert!(matches!(
        read(b"PAR1 not really", &IngestOptions::default()),
        Err(Error::Format { .. })
    ));
}

#[test]
fn a_broken_workbook_is_a_format_error() {
    assert!(matches!(
        read(b"PK\x03\x04 not a zip", &IngestOptions::default()),
        Err(Error::Format { format: "XLSX", .. })
    ));
}
