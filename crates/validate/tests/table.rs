//! validate_table through the public API: header mapping, cell checks and the typed table.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use polars::prelude::*;
use satudata_core::{CodeList, DataStandard, FindingCode, MasterData};
use satudata_validate::{Context, TextTable, validate_table};

/// A finding's code, row, column and value.
type Located = (FindingCode, Option<u64>, Option<u64>, Option<String>);

fn standard() -> DataStandard {
    DataStandard::from_json(
        br#"{"id":"uji","nama":"Uji","kolom":[
            {"nama":"kode_kecamatan","alias":["Kode Kec."],"tipe_data":"string","klasifikasi":"kec","aturan_validasi":{"wajib":true}},
            {"nama":"jumlah_penduduk","alias":["Jumlah Penduduk (jiwa)"],"tipe_data":"integer","aturan_validasi":{"minimum":0}},
            {"nama":"persentase","tipe_data":"number","aturan_validasi":{"maksimum":100}},
            {"nama":"aktif","tipe_data":"boolean"},
            {"nama":"tanggal","tipe_data":"date"},
            {"nama":"puskesmas","tipe_data":"string","data_induk":{"id":"pkm"},"aturan_validasi":{"unik":true}}
        ]}"#,
    )
    .unwrap()
}

fn code_lists() -> Vec<CodeList> {
    vec![
        CodeList::from_json(br#"{"id":"kec","nama":"Kecamatan","isian":[{"kode":"61.71.01","nilai":"A"},{"kode":"61.71.02","nilai":"B"}]}"#)
            .unwrap(),
    ]
}

fn master_data() -> Vec<MasterData> {
    vec![
        MasterData::from_json(
            br#"{"id":"pkm","nama":"Puskesmas","kunci":"kode","baris":[{"kode":"P1"},{"kode":"P2"},{"kode":"P3"}]}"#,
        )
        .unwrap(),
    ]
}

fn text_frame(rows: &[[Option<&str>; 6]]) -> DataFrame {
    let columns: Vec<Column> = (0..6)
        .map(|c| {
            let values: Vec<Option<&str>> = rows.iter().map(|r| r[c]).collect();
            Column::new(format!("{}", c + 1).into(), values)
        })
        .collect();
    DataFrame::new(rows.len(), columns).unwrap()
}

fn labels() -> Vec<String> {
    [
        "KODE KEC.",
        "jumlah penduduk (jiwa)",
        "Persentase",
        "aktif",
        "Tanggal",
        "puskesmas",
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn a_clean_table_is_typed_per_the_standard() {
    let standard = standard();
    let ctx = Context::new(&standard, &code_lists(), &master_data()).unwrap();
    let data = text_frame(&[
        [
            Some("61.71.01"),
            Some("1.234"),
            Some("87,5"),
            Some("ya"),
            Some("17/08/2024"),
            Some("P1"),
        ],
        [
            Some("61.71.02"),
            Some("20"),
            Some("12,5"),
            Some("tidak"),
            Some("2024-08-18"),
            Some("P2"),
        ],
    ]);
    let labels = labels();
    let out = validate_table(
        TextTable {
            labels: &labels,
            groups: &[],
            data: &data,
            row_numbers: &[2, 3],
            ragged: &[],
            row_prints: None,
        },
        &ctx,
    )
    .unwrap();
    assert!(out.report.valid, "{:?}", out.report.findings);
    let t = out.table.as_ref().unwrap();
    assert_eq!(t.column("kode_kecamatan").unwrap().dtype(), &DataType::String);
    assert_eq!(t.column("jumlah_penduduk").unwrap().i64().unwrap().get(0), Some(1234));
    assert_eq!(t.column("aktif").unwrap().bool().unwrap().get(1), Some(false));
    assert_eq!(t.column("tanggal").unwrap().dtype(), &DataType::Date);
    assert_eq!(t.column("persentase").unwrap().f64().unwrap().get(1), Some(12.5));
}

#[test]
fn every_cell_check_reports_row_column_and_value() {
    let standard = standard();
    let ctx = Context::new(&standard, &code_lists(), &master_data()).unwrap();
    let data = text_frame(&[
        [
            None,
            Some("-1"),
            Some("50"),
            Some("mungkin"),
            Some("31/02/2024"),
            Some("P9"),
        ],
        [
            Some("32.75.01"),
            Some("dua"),
            Some("5"),
            Some("1"),
            Some("2024-01-01"),
            Some("P1"),
        ],
        [
            Some("61.71.01"),
            Some("3"),
            Some("5"),
            Some("0"),
            Some("2024-01-01"),
            Some("P1"),
        ],
        [None, None, None, None, None, None],
    ]);
    let labels = labels();
    let out = validate_table(
        TextTable {
            labels: &labels,
            groups: &[],
            data: &data,
            row_numbers: &[2, 3, 5, 6],
            ragged: &[(7, 8)],
            row_prints: None,
        },
        &ctx,
    )
    .unwrap();
    let got: Vec<Located> = out
        .report
        .findings
        .iter()
        .map(|f| (f.code, f.row, f.column, f.value.clone()))
        .collect();
    let s = |v: &str| Some(v.to_owned());
    assert_eq!(
        got,
        vec![
            (FindingCode::ConstraintError, Some(2), Some(1), s("")),
            (FindingCode::ConstraintError, Some(2), Some(2), s("-1")),
            (FindingCode::TypeError, Some(2), Some(4), s("mungkin")),
            (FindingCode::TypeError, Some(2), Some(5), s("31/02/2024")),
            (FindingCode::MasterDataError, Some(2), Some(6), s("P9")),
            (FindingCode::ReferenceError, Some(3), Some(1), s("32.75.01")),
            (FindingCode::TypeError, Some(3), Some(2), s("dua")),
            (FindingCode::UniqueError, Some(5), Some(6), s("P1")),
            (FindingCode::BlankRow, Some(6), None, None),
            (FindingCode::ExtraCell, Some(7), Some(7), None),
            (FindingCode::ExtraCell, Some(7), Some(8), None),
        ]
    );
    // Failed cells are null in the typed table.
    assert_eq!(
        out.table
            .as_ref()
            .unwrap()
            .column("jumlah_penduduk")
            .unwrap()
            .i64()
            .unwrap()
            .get(1),
        None
    );
    assert_eq!(
        out.table
            .as_ref()
            .unwrap()
            .column("kode_kecamatan")
            .unwrap()
            .str()
            .unwrap()
            .get(1),
        None
    );
}

#[test]
fn header_problems_are_label_findings() {
    let standard = standard();
    let ctx = Context::new(&standard, &code_lists(), &master_data()).unwrap();
    let data = text_frame(&[[
        Some("61.71.01"),
        Some("1"),
        Some("2"),
        Some("3"),
        Some("ya"),
        Some("P1"),
    ]]);
    let labels: Vec<String> = [
        "kode_kecamatan",
        "",
        "kode kecamatan",
        "keterangan",
        "aktif",
        "puskesmas",
    ]
    .map(String::from)
    .to_vec();
    let out = validate_table(
        TextTable {
            labels: &labels,
            groups: &[],
            data: &data,
            row_numbers: &[2],
            ragged: &[],
            row_prints: None,
        },
        &ctx,
    )
    .unwrap();
    let codes: Vec<(FindingCode, Option<u64>, Option<String>)> = out
        .report
        .findings
        .iter()
        .map(|f| (f.code, f.column, f.field.clone()))
        .collect();
    assert_eq!(
        codes,
        vec![
            (FindingCode::MissingLabel, None, Some("jumlah_penduduk".into())),
            (FindingCode::MissingLabel, None, Some("persentase".into())),
            (FindingCode::MissingLabel, None, Some("tanggal".into())),
            (FindingCode::BlankLabel, Some(2), None),
            (FindingCode::DuplicateLabel, Some(3), Some("kode_kecamatan".into())),
            (FindingCode::ExtraLabel, Some(4), None),
        ]
    );
    assert!(out.report.findings.iter().all(|f| f.row == Some(1)));
}

#[test]
fn a_missing_code_list_stops_the_check() {
    let standard = standard();
    assert!(matches!(
        Context::new(&standard, &[], &master_data()),
        Err(satudata_validate::Error::MissingCodeList(id)) if id == "kec"
    ));
    assert!(matches!(
        Context::new(&standard, &code_lists(), &[]),
        Err(satudata_validate::Error::MissingMasterData(id)) if id == "pkm"
    ));
}

#[test]
fn listing_stops_at_the_limit_but_counting_does_not() {
    let standard = standard();
    let ctx = Context::new(&standard, &code_lists(), &master_data())
        .unwrap()
        .with_limit(2);
    let rows: Vec<[Option<&str>; 6]> = (0..10)
        .map(|_| [Some("x"), Some("1"), Some("1"), Some("ya"), Some("2024-01-01"), None])
        .collect();
    let data = text_frame(&rows);
    let numbers: Vec<u64> = (2..12).collect();
    let labels = labels();
    let out = validate_table(
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
    assert_eq!(out.report.count(FindingCode::ReferenceError), 10);
    assert_eq!(out.report.findings.len(), 2);
    assert!(out.report.truncated);
}

#[test]
fn a_label_under_a_group_matches_joined_first_then_alone() {
    let standard = DataStandard::from_json(
        br#"{"id":"balita","nama":"Balita","kolom":[
            {"nama":"kode_kelurahan","alias":["Kode Kelurahan"],"tipe_data":"string"},
            {"nama":"balita_sasaran","tipe_data":"integer"},
            {"nama":"ibu_hamil_sasaran","tipe_data":"integer"},
            {"nama":"sasaran","tipe_data":"integer"}
        ]}"#,
    )
    .unwrap();
    let ctx = Context::new(&standard, &[], &[]).unwrap();
    let columns: Vec<Column> = ["61.71.01.1001", "10", "4", "7", "2"]
        .iter()
        .enumerate()
        .map(|(i, v)| Column::new(format!("{}", i + 1).into(), [Some(*v)]))
        .collect();
    let data = DataFrame::new(1, columns).unwrap();
    let labels: Vec<String> = ["Kode Kelurahan", "Sasaran", "Sasaran", "Sasaran", "Sasaran"]
        .map(String::from)
        .to_vec();
    let group = |g: &str| Some(g.to_owned());
    let groups = [
        group("Wilayah"),
        group("Balita"),
        group("Ibu Hamil"),
        None,
        group("Lansia"),
    ];
    let out = validate_table(
        TextTable {
            labels: &labels,
            groups: &groups,
            data: &data,
            row_numbers: &[3],
            ragged: &[],
            row_prints: None,
        },
        &ctx,
    )
    .unwrap();
    // "Lansia Sasaran" matches nothing joined, so "Sasaran" alone: a second `sasaran`, quoted
    // with its group.
    let found: Vec<(FindingCode, Option<u64>, Option<String>)> = out
        .report
        .findings
        .iter()
        .map(|f| (f.code, f.column, f.value.clone()))
        .collect();
    assert_eq!(
        found,
        [(FindingCode::DuplicateLabel, Some(5), Some("Lansia Sasaran".to_owned()))]
    );
    let table = out.table.unwrap();
    let int = |name: &str| {
        table
            .column(name)
            .unwrap()
            .as_materialized_series()
            .i64()
            .unwrap()
            .get(0)
    };
    assert_eq!(
        (int("balita_sasaran"), int("ibu_hamil_sasaran"), int("sasaran")),
        (Some(10), Some(4), Some(7))
    );
}
