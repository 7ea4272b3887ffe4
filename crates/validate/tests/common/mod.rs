//! Shared by the validate stage's tests: small text tables built from rows of strings.

use polars::prelude::*;
use satudata_validate::{Context, TextTable, Validated, validate_table};

/// One text column per position (named `1`, `2`, ...); an empty string is an empty cell.
#[allow(dead_code)]
pub fn frame<const N: usize>(rows: &[[&str; N]]) -> DataFrame {
    let columns: Vec<Column> = (0..N)
        .map(|c| {
            let values: Vec<Option<&str>> = rows.iter().map(|r| Some(r[c]).filter(|v| !v.is_empty())).collect();
            Column::new(format!("{}", c + 1).into(), values)
        })
        .collect();
    DataFrame::new(rows.len(), columns).unwrap()
}

/// Validates `rows` (data rows 2, 3, ...) under `labels`.
#[allow(dead_code)]
pub fn validate_rows<const N: usize>(labels: &[&str; N], rows: &[[&str; N]], ctx: &Context<'_>) -> Validated {
    let data = frame(rows);
    let labels: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
    let numbers: Vec<u64> = (2..2 + rows.len() as u64).collect();
    let table = TextTable {
        labels: &labels,
        groups: &[],
        data: &data,
        row_numbers: &numbers,
        ragged: &[],
        row_prints: None,
    };
    validate_table(table, ctx).unwrap()
}
