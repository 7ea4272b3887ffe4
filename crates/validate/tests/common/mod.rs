//! Shared by the validate stage's tests: a small text table built from rows of strings.

use polars::prelude::*;
use satudata_validate::{Context, TextTable, Validated, validate_table};

/// Validates `rows` (data rows 2, 3, ...; an empty string is an empty cell) under `labels`.
pub fn validate_rows<const N: usize>(labels: &[&str; N], rows: &[[&str; N]], ctx: &Context<'_>) -> Validated {
    let columns: Vec<Column> = (0..N)
        .map(|c| {
            let values: Vec<Option<&str>> = rows.iter().map(|r| Some(r[c]).filter(|v| !v.is_empty())).collect();
            Column::new(format!("{}", c + 1).into(), values)
        })
        .collect();
    let data = DataFrame::new(rows.len(), columns).unwrap();
    let labels: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
    let numbers: Vec<u64> = (2..2 + rows.len() as u64).collect();
    let table = TextTable {
        labels: &labels,
        data: &data,
        row_numbers: &numbers,
        ragged: &[],
    };
    validate_table(table, ctx).unwrap()
}
