//! Parquet files: every column read back as text, so the standard decides the types.

use std::io::Cursor;

use polars::prelude::*;

use crate::{Error, Format, Result, Table};

/// Reads a Parquet file into a [`Table`]; record `i` is row `i + 2`.
pub fn read_parquet(bytes: &[u8]) -> Result<Table> {
    let df = ParquetReader::new(Cursor::new(bytes))
        .finish()
        .map_err(|e| Error::format("Parquet", e))?;
    let labels: Vec<String> = df.get_column_names().iter().map(|n| n.to_string()).collect();
    let columns: Vec<Column> = df
        .columns()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let text = c.as_materialized_series().cast(&DataType::String)?;
            Ok(text.with_name(PlSmallStr::from((i + 1).to_string())).into_column())
        })
        .collect::<PolarsResult<_>>()?;
    let height = df.height();
    let data = DataFrame::new(height, columns)?;
    let row_prints = crate::row_prints(&data)?;
    Ok(Table {
        labels,
        label_groups: Vec::new(),
        data,
        row_numbers: (2..height as u64 + 2).collect(),
        ragged: Vec::new(),
        row_prints,
        format: Format::Parquet,
        notes: Vec::new(),
    })
}
