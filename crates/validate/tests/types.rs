//! The types Frictionless has beyond Satu Data's first ones (time, duration, geopoint, geojson,
//! object, array) and row constraints, through the public API.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use polars::prelude::*;
use satudata_core::{DataStandard, FindingCode};
use satudata_validate::{Context, Error, Validated};

fn standard(rules: &str) -> DataStandard {
    let text = format!(
        r#"{{"id":"uji","nama":"Uji","aturan_konsistensi":[{rules}],
        "kolom":[
            {{"nama":"buka","tipe_data":"time","aturan_validasi":{{"minimum":25200}}}},
            {{"nama":"tutup","tipe_data":"time"}},
            {{"nama":"lama","tipe_data":"duration"}},
            {{"nama":"lokasi","tipe_data":"geopoint"}},
            {{"nama":"batas","tipe_data":"geojson"}},
            {{"nama":"fasilitas","tipe_data":"object","aturan_validasi":{{"panjang_maksimum":2}}}},
            {{"nama":"jenjang","tipe_data":"array","aturan_validasi":{{"panjang_minimum":1}}}},
            {{"nama":"guru","tipe_data":"integer","aturan_validasi":{{"minimum":0}}}},
            {{"nama":"siswa","tipe_data":"integer"}},
            {{"nama":"nama","tipe_data":"string"}}
        ]}}"#
    );
    DataStandard::from_json(text.as_bytes()).unwrap()
}

const LABELS: [&str; 10] = [
    "buka",
    "tutup",
    "lama",
    "lokasi",
    "batas",
    "fasilitas",
    "jenjang",
    "guru",
    "siswa",
    "nama",
];

const GOOD: [&str; 10] = [
    "07.30",
    "14:00",
    "PT6H30M",
    "109.3425, -0.0263",
    r#"{"type": "Point", "coordinates": [109.3425, -0.0263]}"#,
    r#"{"lantai": 2}"#,
    r#"["SD", "SMP"]"#,
    "12",
    "240",
    "SD Negeri 1",
];

fn run(rows: &[[&str; 10]], ctx: &Context<'_>) -> Validated {
    common::validate_rows(&LABELS, rows, ctx)
}

fn findings(v: &Validated) -> Vec<(FindingCode, u64, Option<String>, Option<String>)> {
    v.report
        .findings
        .iter()
        .map(|f| (f.code, f.row.unwrap_or(0), f.field.clone(), f.value.clone()))
        .collect()
}

#[test]
fn new_types_are_checked_and_typed() {
    let s = standard("");
    let ctx = Context::new(&s, &[], &[]).unwrap();
    let mut bad = GOOD;
    bad[0] = "06.59";
    bad[1] = "jam dua";
    bad[2] = "6 jam";
    // Latitude first: 109.3425 is no latitude.
    bad[3] = "0.0263, 109.3425";
    bad[4] = r#"{"type": "Point"}"#;
    bad[5] = r#"{"a": 1, "b": 2, "c": 3}"#;
    bad[6] = "[]";
    let out = run(&[GOOD, bad], &ctx);
    let field = |f: &str| Some(f.to_owned());
    assert_eq!(
        findings(&out)
            .into_iter()
            .map(|(code, row, f, _)| (code, row, f))
            .collect::<Vec<_>>(),
        vec![
            (FindingCode::ConstraintError, 3, field("buka")),
            (FindingCode::TypeError, 3, field("tutup")),
            (FindingCode::TypeError, 3, field("lama")),
            (FindingCode::TypeError, 3, field("lokasi")),
            (FindingCode::TypeError, 3, field("batas")),
            (FindingCode::ConstraintError, 3, field("fasilitas")),
            (FindingCode::ConstraintError, 3, field("jenjang")),
        ]
    );
    let minimum = &out.report.findings[0];
    assert_eq!(minimum.message_en, "Value 06.59 is below the minimum 07:00:00");
    assert_eq!(
        out.report.findings[5].message_en,
        r#"Value "{"a": 1, "b": 2, "c": 3}" has more than 2 entries"#
    );
    let t = out.table.as_ref().unwrap();
    assert_eq!(t.column("buka").unwrap().dtype(), &DataType::Time);
    let tutup = t.column("tutup").unwrap().cast(&DataType::Int64).unwrap();
    assert_eq!(tutup.i64().unwrap().get(0), Some(14 * 3_600_000_000_000));
    for text in ["lama", "lokasi", "batas", "fasilitas", "jenjang"] {
        let column = t.column(text).unwrap();
        assert_eq!(column.dtype(), &DataType::String, "{text}");
        assert_eq!(
            column.str().unwrap().get(0),
            Some(GOOD[LABELS.iter().position(|l| *l == text).unwrap()])
        );
    }
}

#[test]
fn consistency_rules_read_times() {
    let s = standard(r#"{"nama":"urutan-jam","rumus":"tutup > buka"}"#);
    let ctx = Context::new(&s, &[], &[]).unwrap();
    let mut late = GOOD;
    late[1] = "07:00";
    let out = run(&[GOOD, late], &ctx);
    assert_eq!(
        findings(&out),
        vec![(
            FindingCode::ConsistencyError,
            3,
            Some("tutup".into()),
            Some("tutup (07:00:00) > buka (07:30:00)".into())
        )]
    );
}

#[test]
fn row_constraints_follow_frictionless() {
    let s = standard(r#"{"nama":"rasio","rumus":"siswa <= guru * 20 and buka < tutup","temuan":"row-constraint"}"#);
    let ctx = Context::new(&s, &[], &[]).unwrap();
    let mut rows = [GOOD; 4];
    // Below its minimum, the value still counts: -1 * 20 < 240.
    rows[1][7] = "-1";
    // Empty: `240 <= None * 20` cannot be evaluated.
    rows[2][7] = "";
    // Invalid time: `None < 14:00` cannot be evaluated either.
    rows[3][0] = "pagi";
    let out = run(&rows, &ctx);
    assert_eq!(
        findings(&out)
            .into_iter()
            .filter(|f| f.0 == FindingCode::RowConstraint)
            .collect::<Vec<_>>(),
        vec![
            (
                FindingCode::RowConstraint,
                3,
                Some("siswa".into()),
                Some("240 > -20".into())
            ),
            (
                FindingCode::RowConstraint,
                4,
                Some("siswa".into()),
                Some("None * 20".into())
            ),
            (
                FindingCode::RowConstraint,
                5,
                Some("siswa".into()),
                Some("None < 14:00:00".into())
            ),
        ]
    );
    let finding = out
        .report
        .findings
        .iter()
        .find(|f| f.code == FindingCode::RowConstraint)
        .unwrap();
    assert_eq!(finding.message_id, "Baris 3 tidak memenuhi aturan rasio");
    assert_eq!(finding.message_en, "Row 3 breaks rule rasio");
}

#[test]
fn row_constraints_cannot_read_every_type() {
    for (rules, wanted) in [
        (
            r#"{"nama":"r","rumus":"lama != None","temuan":"row-constraint"}"#,
            "column lama of type duration",
        ),
        (
            r#"{"nama":"r","rumus":"lokasi != None","temuan":"row-constraint"}"#,
            "column lokasi of type coordinate point",
        ),
        (r#"{"nama":"r","rumus":"guru = 1","temuan":"row-constraint"}"#, "'=='"),
    ] {
        let s = standard(rules);
        let err = Context::new(&s, &[], &[]).unwrap_err();
        assert!(matches!(err, Error::Rule { .. }), "{err}");
        assert!(err.to_string().contains(wanted), "{err}");
    }
}
