//! The rule parser and evaluator: the first byte picks the syntax (even: a Satu Data `rumus`,
//! odd: a Frictionless checklist's row-constraint formula), the rest is the rule, checked on a
//! small table whose cells are valid, empty, invalid and extreme.
#![no_main]

use libfuzzer_sys::fuzz_target;
use polars::prelude::{Column, DataFrame};
use satudata_core::frictionless::Checklist;
use satudata_core::{ConsistencyRule, DataStandard};
use satudata_validate::{Context, TextTable, validate_table};

/// The standard's columns: name and type, the names the fixtures' rules use.
const COLUMNS: [(&str, &str); 12] = [
    ("tahun", "year"),
    ("kode", "string"),
    ("nomor", "string"),
    ("laki_laki", "integer"),
    ("perempuan", "integer"),
    ("jumlah", "integer"),
    ("persen", "number"),
    ("aktif", "boolean"),
    ("tanggal", "date"),
    ("mulai", "date"),
    ("selesai", "datetime"),
    ("jam", "time"),
];

/// Data rows, one cell per column: ordinary, empty, invalid and extreme values.
const ROWS: [[&str; 12]; 5] = [
    [
        "2024",
        "A01",
        "12",
        "5",
        "7",
        "12",
        "92,5",
        "ya",
        "2024-08-17",
        "2024-01-01",
        "2024-08-17T10:00:00",
        "08:30",
    ],
    ["", "", "", "", "", "", "", "", "", "", "", ""],
    [
        "20x4",
        "B01",
        "abc",
        "-3",
        "x",
        "0",
        "1.234,56",
        "tidak",
        "31/02/2024",
        "17 Agustus 2024",
        "bukan",
        "25:00",
    ],
    [
        "9999",
        "C02",
        "1e308",
        "9223372036854775807",
        "-9223372036854775808",
        "0",
        "-0",
        "true",
        "0001-01-01",
        "9999-12-31",
        "1970-01-01T00:00:00Z",
        "23:59:59",
    ],
    [
        "1900",
        "'",
        "0",
        "0",
        "0",
        "-0",
        "1e-320",
        "1",
        "2000-02-29",
        "2000-02-29",
        "2000-02-29T23:59:59",
        "00:00",
    ],
];

fuzz_target!(|data: &[u8]| {
    satudata_fuzz::report_panics();
    let Some((&byte, rest)) = data.split_first() else {
        return;
    };
    let Ok(formula) = std::str::from_utf8(rest) else {
        return;
    };
    let rule = if byte & 1 == 0 {
        ConsistencyRule {
            nama: "aturan".into(),
            rumus: formula.into(),
            temuan: Default::default(),
        }
    } else {
        let checklist = Checklist {
            formulas: vec![formula.into()],
            duplicate_row: false,
        };
        match checklist.rules().into_iter().next() {
            Some(rule) => rule,
            None => return,
        }
    };
    check_rule(rule);
});

/// Builds the standard around `rule` and, when it parses, validates the table with it.
fn check_rule(rule: ConsistencyRule) {
    let Some(standard) = standard(rule) else {
        return;
    };
    let Ok(ctx) = Context::new(&standard, &[], &[]) else {
        return;
    };
    let Some(data) = frame() else {
        return;
    };
    let labels: Vec<String> = COLUMNS.iter().map(|(name, _)| (*name).to_owned()).collect();
    let numbers: Vec<u64> = (2..2 + ROWS.len() as u64).collect();
    let table = TextTable {
        labels: &labels,
        groups: &[],
        data: &data,
        row_numbers: &numbers,
        ragged: &[],
        row_prints: None,
    };
    if let Ok(validated) = validate_table(table, &ctx) {
        let _ = validated.report.findings.len();
    }
}

/// The fuzzing standard: every column of [`COLUMNS`] and the one rule.
fn standard(rule: ConsistencyRule) -> Option<DataStandard> {
    let kolom: Vec<serde_json::Value> = COLUMNS
        .iter()
        .map(|(nama, tipe)| serde_json::json!({"nama": nama, "tipe_data": tipe}))
        .collect();
    let json = serde_json::json!({
        "id": "fuzz",
        "nama": "Fuzz",
        "versi": "1.0",
        "kolom": kolom,
        "aturan_konsistensi": [rule],
    });
    DataStandard::from_json(json.to_string().as_bytes()).ok()
}

/// [`ROWS`] as one text column per position; an empty string is an empty cell.
fn frame() -> Option<DataFrame> {
    let columns: Vec<Column> = (0..COLUMNS.len())
        .map(|c| {
            let values: Vec<Option<&str>> = ROWS
                .iter()
                .map(|row| row.get(c).copied().filter(|v| !v.is_empty()))
                .collect();
            Column::new(format!("{}", c + 1).into(), values)
        })
        .collect();
    DataFrame::new(ROWS.len(), columns).ok()
}
