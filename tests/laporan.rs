//! `validate` on the layouts regional reports (laporan) use: a title block over the header, a
//! header merged down over two rows, a row numbering the columns, a two-level header with group cells, total and subtotal
//! rows, notes under the table, and a sheet that needs `--header-row`. The workbooks are
//! written by openpyxl (`tests/fixtures/laporan/make_laporan.py`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Env;
use serde_json::Value;

const DIR: &str = "tests/fixtures/laporan";

/// Validates `file` against `standard` (both under the fixture folder) with `extra` options.
fn validate(file: &str, standard: &str, extra: &[&str]) -> (i32, Value) {
    Env::new().validate_json(
        &format!("{DIR}/standards/{standard}.json"),
        &format!("{DIR}/{file}"),
        extra,
    )
}

/// Each finding as (code, row, severity).
fn findings(report: &Value) -> Vec<(String, Option<u64>, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["row"].as_u64(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The messages (Indonesian, English) of the first finding at `row`.
fn message(report: &Value, row: u64) -> (String, String) {
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["row"] == row)
        .unwrap_or_else(|| panic!("no finding at row {row}: {report}"));
    (
        f["message_id"].as_str().unwrap().to_owned(),
        f["message_en"].as_str().unwrap().to_owned(),
    )
}

/// The report is valid, with `rows` data rows and no finding at all.
fn assert_clean(file: &str, standard: &str, rows: u64) {
    let (code, report) = validate(file, standard, &[]);
    assert_eq!(code, 0, "{file}: {report}");
    assert_eq!(report["rows"], rows, "{file}: {report}");
    assert_eq!(findings(&report), [], "{file}");
}

#[test]
fn a_flat_header_under_a_title_block() {
    assert_clean("header-datar.xlsx", "penduduk-kecamatan", 6);
}

#[test]
fn a_row_numbering_the_columns_is_part_of_the_header() {
    assert_clean("nomor-kolom.xlsx", "penduduk-kecamatan", 6);
}

#[test]
fn a_header_merged_down_over_two_rows_is_one_header() {
    // Row 5 belongs to the header merged down from row 4: it is not read as data.
    assert_clean("header-gabung-bawah.xlsx", "penduduk-kecamatan", 6);
}

#[test]
fn sub_headers_match_with_their_group_or_alone() {
    // "Sasaran" under "Balita" and under "Ibu Hamil" are two columns; "Kode Kelurahan" under
    // "Wilayah" matches on its own.
    assert_clean("header-dua-tingkat.xlsx", "penimbangan-balita", 5);
}

#[test]
fn a_total_row_and_notes_under_the_data_are_left_out() {
    let (code, report) = validate("jumlah-sumber.xlsx", "penduduk-kecamatan", &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["rows"], 6);
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 0);
    assert_eq!(
        findings(&report),
        [
            ("skipped-rows".to_owned(), Some(11), "info".to_owned()),
            ("skipped-rows".to_owned(), Some(13), "info".to_owned()),
        ]
    );
    let (id, en) = message(&report, 11);
    assert!(id.contains("Baris 11 ") && id.contains("jumlah/total"), "{id}");
    assert!(en.starts_with("Total rows") && en.ends_with(": 11"), "{en}");
    let (id, _) = message(&report, 13);
    assert!(id.contains("Baris 13–14 ") && id.contains("catatan"), "{id}");
}

#[test]
fn subtotals_inside_the_data_are_left_out_with_the_total() {
    let (code, report) = validate("subtotal.xlsx", "penduduk-kelurahan", &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["rows"], 4);
    assert_eq!(
        findings(&report),
        [("skipped-rows".to_owned(), Some(7), "info".to_owned())]
    );
    let (_, en) = message(&report, 7);
    assert!(en.ends_with(": 7, 10–11"), "{en}");
}

#[test]
fn a_one_cell_row_is_a_note_below_the_data_and_data_inside_it() {
    let (code, report) = validate("catatan-satu-sel.xlsx", "penduduk-kecamatan", &[]);
    assert_eq!(code, 1, "{report}");
    // Row 7 holds only its year, but data follows it: it is data, with its empty cells errors.
    assert_eq!(report["rows"], 6);
    let found = findings(&report);
    let errors: Vec<_> = found.iter().filter(|(_, _, s)| s == "error").collect();
    assert_eq!(errors.len(), 3, "{report}");
    assert!(errors.iter().all(|(_, row, _)| *row == Some(7)), "{report}");
    // The merged one-cell note and the plain one below the data are one note finding.
    let notes: Vec<_> = found.iter().filter(|(c, _, _)| c == "skipped-rows").collect();
    assert_eq!(notes, [&("skipped-rows".to_owned(), Some(11), "info".to_owned())]);
    let (_, en) = message(&report, 11);
    assert!(en.ends_with(": 11–12"), "{en}");
}

#[test]
fn header_row_names_the_first_row_of_a_header_detection_misses() {
    // Row 1 ("Tabel 3.1" beside a merged title) looks like a header: without the option the
    // labels are wrong.
    let (code, report) = validate("header-row-perlu.xlsx", "penduduk-kecamatan", &[]);
    assert_eq!(code, 1);
    assert_eq!(report["totals_by_code"]["missing-label"], 4, "{report}");

    // Named, the header is rows 3-4 (merged down), and the JUMLAH and Sumber rows are left
    // out rather than 14 errors.
    let (code, report) = validate("header-row-perlu.xlsx", "penduduk-kecamatan", &["--header-row", "3"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["rows"], 6);
    assert_eq!(
        findings(&report),
        [
            ("skipped-rows".to_owned(), Some(11), "info".to_owned()),
            ("skipped-rows".to_owned(), Some(12), "info".to_owned()),
        ]
    );
}
