//! `list` columns in a Satu Data standard, through the public API: items split on `pemisah_isi`,
//! each read as `tipe_isi`; lengths counted in items.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use polars::prelude::DataType as PolarsType;
use satudata_core::{DataStandard, FindingCode};
use satudata_validate::{Context, Error};

fn standard(jenjang_format: &str) -> DataStandard {
    let text = format!(
        r#"{{"id":"uji","nama":"Uji","kolom":[
            {{"nama":"jenjang","tipe_data":"list","format":{{{jenjang_format}}},
              "aturan_validasi":{{"wajib":true,"panjang_minimum":1,"panjang_maksimum":2}}}},
            {{"nama":"kelas","tipe_data":"list","format":{{"pemisah_isi":";","tipe_isi":"integer"}}}}
        ]}}"#
    );
    DataStandard::from_json(text.as_bytes()).unwrap()
}

const LABELS: [&str; 2] = ["jenjang", "kelas"];

#[test]
fn list_items_are_typed_and_counted() {
    let s = standard("");
    let ctx = Context::new(&s, &[], &[]).unwrap();
    let rows = [["SD,SMP", "1;2; 3"], ["SD,SMP,SMA", "1;dua"], ["", "1;;2"], ["SD", ""]];
    let out = common::validate_rows(&LABELS, &rows, &ctx);
    let found: Vec<(FindingCode, u64, Option<String>)> = out
        .report
        .findings
        .iter()
        .map(|f| (f.code, f.row.unwrap_or(0), f.field.clone()))
        .collect();
    let field = |f: &str| Some(f.to_owned());
    assert_eq!(
        found,
        [
            (FindingCode::ConstraintError, 3, field("jenjang")),
            (FindingCode::TypeError, 3, field("kelas")),
            (FindingCode::ConstraintError, 4, field("jenjang")),
            (FindingCode::TypeError, 4, field("kelas")),
        ]
    );
    assert_eq!(
        out.report.findings[0].message_en,
        r#"Value "SD,SMP,SMA" has more than 2 entries"#
    );
    assert_eq!(
        out.report.findings[1].message_en,
        r#"Value "1;dua" is not a valid list of whole number values; write it like 1;2"#
    );
    // Lists are published as the text written.
    let t = out.table.as_ref().unwrap();
    let jenjang = t.column("jenjang").unwrap();
    assert_eq!(jenjang.dtype(), &PolarsType::String);
    assert_eq!(jenjang.str().unwrap().get(0), Some("SD,SMP"));
    assert_eq!(t.column("kelas").unwrap().str().unwrap().get(0), Some("1;2; 3"));
}

#[test]
fn a_list_needs_a_delimiter_and_an_item_type_lists_can_have() {
    for format in [r#""pemisah_isi":"""#, r#""tipe_isi":"kode_wilayah""#] {
        let s = standard(format);
        let err = Context::new(&s, &[], &[]).unwrap_err();
        assert!(
            matches!(&err, Error::ListFormat { field, .. } if field == "jenjang"),
            "{err}"
        );
    }
}
