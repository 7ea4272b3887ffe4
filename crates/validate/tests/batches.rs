//! The validator fed batch by batch gives the report a whole-table check gives: whole-table
//! checks (duplicate rows, unique values, primary keys, keys into the same table) see every batch.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use satudata_core::{DataStandard, FindingCode, Report};
use satudata_validate::{Context, TextTable, Validator, validate_table};

fn standard() -> DataStandard {
    DataStandard::from_json(
        br#"{"id":"wilayah","nama":"Wilayah","kunci_utama":["kode"],
        "kunci_asing":[{"kolom":["induk"],"kolom_rujukan":["kode"]}],
        "kolom":[
            {"nama":"kode","tipe_data":"string","aturan_validasi":{"wajib":true}},
            {"nama":"nama","tipe_data":"string","aturan_validasi":{"unik":true}},
            {"nama":"induk","tipe_data":"string"}
        ]}"#,
    )
    .unwrap()
}

/// Rows 2.. of a three-column table.
const ROWS: [[&str; 3]; 8] = [
    // A child before its parent (row 4): settled when the table ends.
    ["61.71.01", "Pontianak Selatan", "61.71"],
    ["61.72", "Singkawang", ""],
    ["61.71", "Pontianak", ""],
    // A parent that never comes.
    ["61.73.01", "Sungai Raya", "61.73"],
    // The primary key again (row 7 repeats row 2's key), and a name again.
    ["61.71.01", "Pontianak Barat", "61.71"],
    ["61.71.02", "Singkawang", "61.72"],
    // An exact copy of row 3: a duplicate row, not a second key finding.
    ["61.72", "Singkawang", ""],
    ["61.72.01", "Singkawang Barat", "61.72"],
];

fn located(report: &Report) -> Vec<(FindingCode, u64, Option<String>)> {
    report
        .findings
        .iter()
        .map(|f| (f.code, f.row.unwrap_or(0), f.value.clone()))
        .collect()
}

#[test]
fn whole_table_checks_see_every_batch() {
    let standard = standard();
    let ctx = Context::new(&standard, &[], &[]).unwrap();
    let labels: Vec<String> = ["kode", "nama", "induk"].map(String::from).to_vec();
    let numbers: Vec<u64> = (2..2 + ROWS.len() as u64).collect();

    let data = common::frame(&ROWS);
    let whole = validate_table(
        TextTable {
            labels: &labels,
            groups: &[],
            data: &data,
            row_numbers: &numbers,
            ragged: &[],
            row_prints: None,
        },
        &ctx,
    )
    .unwrap();

    for size in [1, 2, 3, 5] {
        let mut validator = Validator::new(&ctx, &labels, true);
        for (k, rows) in ROWS.chunks(size).enumerate() {
            let data = common::frame(rows);
            let first = k * size;
            validator
                .push(TextTable {
                    labels: &labels,
                    groups: &[],
                    data: &data,
                    row_numbers: &numbers[first..first + rows.len()],
                    ragged: &[],
                    row_prints: None,
                })
                .unwrap();
        }
        let streamed = validator.finish().unwrap();
        assert_eq!(streamed.report, whole.report, "batches of {size}");
        assert_eq!(
            streamed.table.unwrap(),
            whole.table.clone().unwrap(),
            "batches of {size}"
        );
    }

    assert_eq!(
        located(&whole.report),
        [
            (FindingCode::ForeignKey, 5, Some("61.73".into())),
            (FindingCode::PrimaryKey, 6, Some("61.71.01".into())),
            (FindingCode::UniqueError, 7, Some("Singkawang".into())),
            (FindingCode::DuplicateRow, 8, None),
            (FindingCode::UniqueError, 8, Some("Singkawang".into())),
        ]
    );
}
