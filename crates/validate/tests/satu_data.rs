//! The Satu Data checks beyond Frictionless: region codes and their scope, periods, cross-field
//! rules, personal data, formulas; and the row checks: duplicate rows and primary keys.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use polars::prelude::*;
use satudata_core::{CodeList, DataStandard, FindingCode, Period, StatusKerahasiaan};
use satudata_validate::{Context, Validated};

fn standard() -> DataStandard {
    DataStandard::from_json(
        br#"{"id":"uji","nama":"Uji","kunci_utama":["tahun","kode_desa"],"kolom_periode":"tahun",
        "aturan_konsistensi":[{"nama":"total","rumus":"jumlah = laki_laki + perempuan"},
                              {"nama":"tanggal","rumus":"selesai >= mulai"}],
        "kolom":[
            {"nama":"tahun","tipe_data":"year"},
            {"nama":"kode_desa","tipe_data":"kode_wilayah","klasifikasi":"wilayah","aturan_validasi":{"tingkat_wilayah":"desa/kelurahan"}},
            {"nama":"laki_laki","tipe_data":"integer"},
            {"nama":"perempuan","tipe_data":"integer"},
            {"nama":"jumlah","tipe_data":"integer"},
            {"nama":"mulai","tipe_data":"date"},
            {"nama":"selesai","tipe_data":"date"},
            {"nama":"kontak","tipe_data":"string","aturan_validasi":{"panjang_maksimum":30}},
            {"nama":"kode_pos","tipe_data":"string","aturan_validasi":{"pola":"[0-9]{5}"}}
        ]}"#,
    )
    .unwrap()
}

fn wilayah() -> Vec<CodeList> {
    vec![
        CodeList::from_json(
            br#"{"id":"wilayah","nama":"Wilayah","isian":[
            {"kode":"61.71","nilai":"Kota Pontianak"},{"kode":"61.71.01","nilai":"Pontianak Selatan"},
            {"kode":"61.71.01.1002","nilai":"Benua Melayu Darat"},{"kode":"61.71.01.1003","nilai":"Parit Tokaya"},
            {"kode":"32.75.01.1001","nilai":"Bekasi Jaya"}]}"#,
        )
        .unwrap(),
    ]
}

const LABELS: [&str; 9] = [
    "tahun",
    "kode_desa",
    "laki_laki",
    "perempuan",
    "jumlah",
    "mulai",
    "selesai",
    "kontak",
    "kode_pos",
];

fn run(rows: &[[&str; 9]], ctx: &Context<'_>) -> Validated {
    common::validate_rows(&LABELS, rows, ctx)
}

fn codes(v: &Validated) -> Vec<(FindingCode, u64, Option<String>)> {
    v.report
        .findings
        .iter()
        .map(|f| (f.code, f.row.unwrap_or(0), f.value.clone()))
        .collect()
}

const GOOD: [&str; 9] = [
    "2024",
    "61.71.01.1002",
    "10",
    "12",
    "22",
    "01/08/2024",
    "17 Agustus 2024",
    "Kantor Lurah",
    "78121",
];

#[test]
fn a_good_row_passes_and_is_typed() {
    let s = standard();
    let lists = wilayah();
    let ctx = Context::new(&s, &lists, &[])
        .unwrap()
        .with_region_scope("61.71")
        .with_period(Period::parse("2024", None).unwrap());
    let out = run(&[GOOD], &ctx);
    assert!(out.report.valid, "{:?}", out.report.findings);
    assert_eq!(out.report.warnings, 0);
    assert_eq!(
        out.table.as_ref().unwrap().column("tahun").unwrap().dtype(),
        &DataType::Int32
    );
    assert_eq!(
        out.table
            .as_ref()
            .unwrap()
            .column("kode_desa")
            .unwrap()
            .str()
            .unwrap()
            .get(0),
        Some("61.71.01.1002")
    );
}

#[test]
fn region_codes_are_checked_for_form_level_scope_and_list() {
    let s = standard();
    let lists = wilayah();
    let ctx = Context::new(&s, &lists, &[]).unwrap().with_region_scope("61.71");
    let mut rows = vec![GOOD; 5];
    rows[0][1] = "61.71.1.1002"; // malformed
    rows[1][1] = "61.71.01"; // a kecamatan where a desa is wanted
    rows[2][1] = "32.75.01.1001"; // Bekasi: in the list but outside Pontianak
    rows[3][1] = "61.71.01.1099"; // well formed, in scope, not in the list
    rows[4][1] = "61.71.01.1003";
    let out = run(&rows, &ctx);
    let s = |v: &str| Some(v.to_owned());
    assert_eq!(
        codes(&out),
        vec![
            (FindingCode::TypeError, 2, s("61.71.1.1002")),
            (FindingCode::ConstraintError, 3, s("61.71.01")),
            (FindingCode::RegionScopeError, 4, s("32.75.01.1001")),
            (FindingCode::ReferenceError, 5, s("61.71.01.1099")),
        ]
    );
    assert!(
        out.report.findings[2].message_id.contains("di luar wilayah 61.71"),
        "{}",
        out.report.findings[2].message_id
    );
}

#[test]
fn rows_must_be_about_the_period() {
    let s = standard();
    let lists = wilayah();
    let ctx = Context::new(&s, &lists, &[])
        .unwrap()
        .with_period(Period::parse("2024", None).unwrap());
    let mut rows = vec![GOOD; 2];
    rows[1][0] = "2023";
    rows[1][1] = "61.71.01.1003";
    let out = run(&rows, &ctx);
    assert_eq!(codes(&out), vec![(FindingCode::PeriodError, 3, Some("2023".into()))]);
    // Without a period, nothing is checked.
    let ctx = Context::new(&s, &lists, &[]).unwrap();
    assert!(run(&rows, &ctx).report.valid);
}

#[test]
fn cross_field_rules_hold_per_row() {
    let s = standard();
    let lists = wilayah();
    let ctx = Context::new(&s, &lists, &[]).unwrap();
    let mut rows = vec![GOOD; 3];
    rows[1][1] = "61.71.01.1003";
    rows[1][4] = "23";
    rows[2][0] = "2025";
    rows[2][6] = "31/07/2024";
    let out = run(&rows, &ctx);
    assert_eq!(
        codes(&out),
        vec![
            (
                FindingCode::ConsistencyError,
                3,
                Some("jumlah (23) = laki_laki (10) + perempuan (12)".into())
            ),
            (
                FindingCode::ConsistencyError,
                4,
                Some("selesai (2024-07-31) >= mulai (2024-08-01)".into())
            ),
        ]
    );
    // The message shows the rule with the row's values, and what the row holds instead.
    assert_eq!(
        out.report.findings[0].message_id,
        "Aturan konsistensi \"total\" tidak terpenuhi: jumlah (23) = laki_laki (10) + perempuan (12), padahal 23 ≠ 22"
    );
    assert_eq!(
        out.report.findings[1].message_en,
        "Consistency rule \"tanggal\" does not hold: selesai (2024-07-31) >= mulai (2024-08-01), but 2024-07-31 < 2024-08-01"
    );
}

#[test]
fn duplicate_rows_and_primary_keys() {
    let s = standard();
    let lists = wilayah();
    let ctx = Context::new(&s, &lists, &[]).unwrap();
    let mut other = GOOD;
    other[7] = "Kantor Camat";
    let out = run(&[GOOD, GOOD, other], &ctx);
    assert_eq!(
        codes(&out),
        vec![
            (FindingCode::DuplicateRow, 3, None),
            (FindingCode::PrimaryKey, 4, Some("2024, 61.71.01.1002".into()))
        ]
    );
}

#[test]
fn length_and_pattern() {
    let s = standard();
    let lists = wilayah();
    let ctx = Context::new(&s, &lists, &[]).unwrap();
    let mut row = GOOD;
    row[7] = "Kantor Kelurahan Benua Melayu Darat Kota Pontianak";
    row[8] = "7812";
    let out = run(&[row], &ctx);
    let got: Vec<_> = out.report.findings.iter().map(|f| (f.code, f.field.clone())).collect();
    assert_eq!(
        got,
        vec![
            (FindingCode::ConstraintError, Some("kontak".into())),
            (FindingCode::ConstraintError, Some("kode_pos".into()))
        ]
    );
}

#[test]
fn personal_data_is_warned_about_in_open_data_only() {
    let s = standard();
    let lists = wilayah();
    let mut rows = vec![GOOD; 3];
    rows[0][7] = "6171015708900001";
    rows[1][1] = "61.71.01.1003";
    rows[1][7] = "0812-3456-7890";
    rows[2][0] = "2023";
    rows[2][7] = "=HYPERLINK(\"x\")";
    let open = Context::new(&s, &lists, &[]).unwrap();
    let out = run(&rows, &open);
    assert!(out.report.valid, "warnings do not block: {:?}", out.report.findings);
    assert_eq!(
        codes(&out),
        vec![
            (FindingCode::PersonalDataWarning, 2, Some("6171************".into())),
            (FindingCode::PersonalDataWarning, 3, Some("0812**********".into())),
            (FindingCode::FormulaWarning, 4, Some("=HYPERLINK(\"x\")".into())),
        ]
    );
    // One NIK and one phone number: one row of each, not "2 rows of NIK".
    let messages: Vec<&str> = out.report.findings[..2].iter().map(|f| f.message_id.as_str()).collect();
    assert!(messages[0].contains("NIK pada 1 baris"), "{messages:?}");
    assert!(messages[1].contains("nomor telepon pada 1 baris"), "{messages:?}");
    let closed = Context::new(&s, &lists, &[])
        .unwrap()
        .with_status(StatusKerahasiaan::Terbatas);
    assert_eq!(run(&rows, &closed).report.count(FindingCode::PersonalDataWarning), 0);
}

#[test]
fn broken_standards_are_errors() {
    let mut s = standard();
    s.aturan_konsistensi[0].rumus = "jumlah = ".into();
    assert!(matches!(
        Context::new(&s, &wilayah(), &[]),
        Err(satudata_validate::Error::Rule { .. })
    ));
    let mut s = standard();
    s.aturan_konsistensi[0].rumus = "jumlah = pria + wanita".into();
    assert!(matches!(
        Context::new(&s, &wilayah(), &[]),
        Err(satudata_validate::Error::UnknownField { .. })
    ));
    let mut s = standard();
    s.kolom[8].aturan_validasi.pola = Some("[0-9".into());
    assert!(matches!(
        Context::new(&s, &wilayah(), &[]),
        Err(satudata_validate::Error::Pattern { .. })
    ));
    let mut s = standard();
    s.kunci_utama = vec!["nik".into()];
    assert!(matches!(
        Context::new(&s, &wilayah(), &[]),
        Err(satudata_validate::Error::UnknownField { .. })
    ));
}

#[test]
fn type_and_pattern_errors_say_what_to_write_in_the_standards_words() {
    let mut s = standard();
    let kode_pos = s.kolom.iter_mut().find(|c| c.nama == "kode_pos").unwrap();
    kode_pos.aturan_validasi.keterangan_pola = Some("lima angka, misalnya 78121".into());
    let lists = wilayah();
    let ctx = Context::new(&s, &lists, &[]).unwrap();
    let mut rows = vec![GOOD; 2];
    rows[1][1] = "6171011003";
    rows[1][5] = "tujuh belas";
    rows[1][8] = "7812";
    let out = run(&rows, &ctx);
    let messages: Vec<(&str, &str)> = out
        .report
        .findings
        .iter()
        .map(|f| (f.message_id.as_str(), f.message_en.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            // The example is the code list's first code of the level the column asks for.
            (
                "Nilai \"6171011003\" bukan kode wilayah yang sah; tulis seperti 61.71.01.1002",
                "Value \"6171011003\" is not a valid region code; write it like 61.71.01.1002"
            ),
            (
                "Nilai \"tujuh belas\" bukan tanggal yang sah; tulis seperti 2024-08-17",
                "Value \"tujuh belas\" is not a valid date; write it like 2024-08-17"
            ),
            (
                "Nilai \"7812\" tidak sesuai format yang diminta: lima angka, misalnya 78121",
                "Value \"7812\" does not have the required form: lima angka, misalnya 78121"
            ),
        ]
    );
    // The column's own example wins over the code list.
    let kode = s.kolom.iter_mut().find(|c| c.nama == "kode_desa").unwrap();
    kode.contoh = Some("61.71.03.1002".into());
    let ctx = Context::new(&s, &lists, &[]).unwrap();
    let out = run(&rows, &ctx);
    assert!(
        out.report.findings[0]
            .message_id
            .ends_with("tulis seperti 61.71.03.1002")
    );
    // Each finding names its column as the file's header does.
    assert_eq!(out.report.findings[0].label.as_deref(), Some("kode_desa"));
}

#[test]
fn a_table_without_data_rows_is_an_error() {
    let s = standard();
    let lists = wilayah();
    let ctx = Context::new(&s, &lists, &[]).unwrap();
    let header_only = run(&[], &ctx);
    assert_eq!(codes(&header_only), vec![(FindingCode::BlankTable, 0, None)]);
    assert_eq!(header_only.report.count(FindingCode::BlankTable), 1);
    assert!(!header_only.report.valid);
    let blank_rows = run(&[[""; 9], [""; 9]], &ctx);
    assert_eq!(blank_rows.report.count(FindingCode::BlankTable), 1);
    assert_eq!(blank_rows.report.count(FindingCode::BlankRow), 2);
    // One row of data is a table.
    let mut rows = vec![[""; 9]; 2];
    rows[1] = GOOD;
    assert_eq!(run(&rows, &ctx).report.count(FindingCode::BlankTable), 0);
    // Frictionless finds a header without rows valid, and so does its mode.
    let mut frictionless = standard();
    frictionless.pemeriksaan = satudata_core::Checks::Frictionless { duplicate_row: false };
    let ctx = Context::new(&frictionless, &lists, &[]).unwrap();
    assert!(run(&[], &ctx).report.valid);
}
