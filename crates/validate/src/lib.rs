//! Checks a submitted table against its data standard, code lists and master data.
//!
//! The stage is a pure function: [`validate_table`] takes a [`TextTable`] (every cell as text,
//! as the ingest stage reads it) and a [`Context`] (the standard plus the code lists and master
//! data it refers to) and returns a [`Validated`]: the [`Report`] of every finding and the
//! table cast to the standard's types, ready to publish when the report is valid.
//! [`MetadataStandard`] checks dataset metadata against the metadata standard's JSON Schema.
//!
//! Bad data is never an `Err`: it is a finding. `Err` means the check could not run, for
//! example because the standard names a code list that was not supplied.

mod cast;
mod metadata;

use std::collections::{HashMap, HashSet};

use polars::prelude::*;
use satudata_core::{
    CodeList, Column as StdColumn, DataStandard, DataType, Finding, FindingCode, MasterData, Report, ReportBuilder,
};

pub use cast::{parse_boolean, parse_date, parse_integer, parse_number};
pub use metadata::MetadataStandard;

/// Errors that stop a check from running.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The standard names a code list that is not in the context.
    #[error("code list {0} named by the standard is not available")]
    MissingCodeList(String),
    /// The standard names master data that is not in the context.
    #[error("master data {0} named by the standard is not available")]
    MissingMasterData(String),
    /// The metadata standard is not a valid JSON Schema.
    #[error("invalid metadata standard: {0}")]
    Schema(String),
    /// The typed table could not be built.
    #[error("cannot build the typed table: {0}")]
    Table(#[from] PolarsError),
}

/// Result with the validate [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A table as read from a file: header labels and one text column per position.
#[derive(Debug, Clone, Copy)]
pub struct TextTable<'a> {
    /// Header labels as written.
    pub labels: &'a [String],
    /// One text column per label, in file order; empty cells are null.
    pub data: &'a DataFrame,
    /// File row number of each data row.
    pub row_numbers: &'a [u64],
    /// Rows whose cell count differs from the header: (row number, cell count).
    pub ragged: &'a [(u64, usize)],
}

/// The lookups a standard needs, prepared once: code list and master data values as hash sets.
#[derive(Debug)]
pub struct Context<'a> {
    standard: &'a DataStandard,
    code_lists: HashMap<String, HashSet<String>>,
    /// Per standard column name: the master data id and the values its key column holds.
    master_data: HashMap<String, (String, HashSet<String>)>,
    limit: u64,
}

impl<'a> Context<'a> {
    /// Prepares the lookups of `standard` from the given code lists and master data.
    pub fn new(standard: &'a DataStandard, code_lists: &[CodeList], master_data: &[MasterData]) -> Result<Self> {
        let mut lists = HashMap::new();
        let mut masters = HashMap::new();
        for column in &standard.kolom {
            if let Some(id) = &column.klasifikasi {
                let list = code_lists
                    .iter()
                    .find(|l| &l.id == id)
                    .ok_or_else(|| Error::MissingCodeList(id.clone()))?;
                lists.insert(id.clone(), list.isian.iter().map(|e| e.kode.clone()).collect());
            }
            if let Some(reference) = &column.data_induk {
                let master = master_data
                    .iter()
                    .find(|m| m.id == reference.id)
                    .ok_or_else(|| Error::MissingMasterData(reference.id.clone()))?;
                let key = reference.kolom.clone().unwrap_or_else(|| master.kunci.clone());
                let values = master.values(&key).map(str::to_owned).collect();
                masters.insert(column.nama.clone(), (reference.id.clone(), values));
            }
        }
        Ok(Context {
            standard,
            code_lists: lists,
            master_data: masters,
            limit: 1000,
        })
    }

    /// Lists at most `limit` findings in the report (all are still counted).
    pub fn with_limit(mut self, limit: u64) -> Self {
        self.limit = limit;
        self
    }

    /// The standard being checked against.
    pub fn standard(&self) -> &DataStandard {
        self.standard
    }
}

/// The outcome of [`validate_table`].
#[derive(Debug, Clone)]
pub struct Validated {
    /// Every finding.
    pub report: Report,
    /// The table with the standard's columns, in its order and types; cells that failed their
    /// checks are null. Publish it only when the report is valid.
    pub table: DataFrame,
}

/// Checks the header, every cell, and the standard's constraints, code lists and master data.
pub fn validate_table(table: TextTable<'_>, ctx: &Context<'_>) -> Result<Validated> {
    let mut report = ReportBuilder::new(ctx.limit);
    let positions = map_header(table.labels, ctx.standard, &mut report);
    for &(row, cells) in table.ragged {
        let (code, key) = if cells > table.labels.len() {
            (FindingCode::ExtraCell, "extra-cell")
        } else {
            (FindingCode::MissingCell, "missing-cell")
        };
        let mut f = Finding::new(code).with_message(key, &[("row", &row.to_string())]);
        f.row = Some(row);
        report.push(f);
    }
    blank_rows(table, &mut report);
    let mut typed = Vec::with_capacity(ctx.standard.kolom.len());
    for (column, position) in ctx.standard.kolom.iter().zip(&positions) {
        let text = match position {
            Some(p) => table
                .data
                .columns()
                .get(*p)
                .map(|c| c.as_materialized_series().str())
                .transpose()?,
            None => None,
        };
        let typed_column = match text {
            Some(text) => check_column(
                column,
                (*position).unwrap_or(0) as u64 + 1,
                text,
                table.row_numbers,
                ctx,
                &mut report,
            ),
            None => Series::full_null(
                column.nama.as_str().into(),
                table.data.height(),
                &polars_type(column.tipe_data),
            ),
        };
        typed.push(typed_column.into_column());
    }
    let typed = DataFrame::new(table.data.height(), typed)?;
    Ok(Validated {
        report: report.finish(table.data.height() as u64),
        table: typed,
    })
}

/// The Polars type a standard type is published as.
pub fn polars_type(t: DataType) -> polars::prelude::DataType {
    match t {
        DataType::String => polars::prelude::DataType::String,
        DataType::Integer => polars::prelude::DataType::Int64,
        DataType::Number => polars::prelude::DataType::Float64,
        DataType::Boolean => polars::prelude::DataType::Boolean,
        DataType::Date => polars::prelude::DataType::Date,
    }
}

/// Matches header labels to the standard's columns; returns, per standard column, its position.
fn map_header(labels: &[String], standard: &DataStandard, report: &mut ReportBuilder) -> Vec<Option<usize>> {
    let mut positions: Vec<Option<usize>> = vec![None; standard.kolom.len()];
    for (i, label) in labels.iter().enumerate() {
        let column = (i + 1) as u64;
        let col_text = column.to_string();
        if label.trim().is_empty() {
            let mut f = Finding::new(FindingCode::BlankLabel).with_message("blank-label", &[("column", &col_text)]);
            f.column = Some(column);
            f.row = Some(1);
            report.push(f);
            continue;
        }
        match standard.kolom.iter().position(|c| c.matches_label(label)) {
            Some(k) if positions[k].is_some() => {
                let mut f = Finding::new(FindingCode::DuplicateLabel)
                    .at_column(Some(column), &standard.kolom[k].nama)
                    .with_value(label.as_str())
                    .with_message("duplicate-label", &[("label", label), ("column", &col_text)]);
                f.row = Some(1);
                report.push(f);
            }
            Some(k) => positions[k] = Some(i),
            None => {
                let mut f = Finding::new(FindingCode::ExtraLabel)
                    .with_value(label.as_str())
                    .with_message("extra-label", &[("label", label), ("standard", &standard.id)]);
                f.column = Some(column);
                f.row = Some(1);
                report.push(f);
            }
        }
    }
    for (column, position) in standard.kolom.iter().zip(&positions) {
        if position.is_none() {
            let mut f = Finding::new(FindingCode::MissingLabel)
                .at_column(None, &column.nama)
                .with_message("missing-label", &[("field", &column.nama)]);
            f.row = Some(1);
            report.push(f);
        }
    }
    positions
}

fn blank_rows(table: TextTable<'_>, report: &mut ReportBuilder) {
    if table.data.width() == 0 {
        return;
    }
    let mut all_null = vec![true; table.data.height()];
    for column in table.data.columns() {
        let Ok(text) = column.as_materialized_series().str() else {
            continue;
        };
        for (flag, value) in all_null.iter_mut().zip(text.iter()) {
            *flag &= value.is_none();
        }
    }
    for (i, blank) in all_null.into_iter().enumerate() {
        if blank {
            let row = table.row_numbers.get(i).copied().unwrap_or(i as u64 + 2);
            let mut f = Finding::new(FindingCode::BlankRow).with_message("blank-row", &[("row", &row.to_string())]);
            f.row = Some(row);
            report.push(f);
        }
    }
}

/// A typed value of one cell.
enum Value {
    Text,
    Int(i64),
    Num(f64),
    Bool(bool),
    Date(i32),
}

fn cast(t: DataType, text: &str) -> Option<Value> {
    match t {
        DataType::String => Some(Value::Text),
        DataType::Integer => parse_integer(text).map(Value::Int),
        DataType::Number => parse_number(text).map(Value::Num),
        DataType::Boolean => parse_boolean(text).map(Value::Bool),
        DataType::Date => parse_date(text).map(|d| {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
            Value::Date((d - epoch).num_days() as i32)
        }),
    }
}

/// Builds a typed column while checking each cell.
enum Builder {
    Text(StringChunkedBuilder),
    Int(PrimitiveChunkedBuilder<Int64Type>),
    Num(PrimitiveChunkedBuilder<Float64Type>),
    Bool(BooleanChunkedBuilder),
    Date(PrimitiveChunkedBuilder<Int32Type>),
}

impl Builder {
    fn new(column: &StdColumn, capacity: usize) -> Self {
        let name = PlSmallStr::from(column.nama.as_str());
        match column.tipe_data {
            DataType::String => Builder::Text(StringChunkedBuilder::new(name, capacity)),
            DataType::Integer => Builder::Int(PrimitiveChunkedBuilder::new(name, capacity)),
            DataType::Number => Builder::Num(PrimitiveChunkedBuilder::new(name, capacity)),
            DataType::Boolean => Builder::Bool(BooleanChunkedBuilder::new(name, capacity)),
            DataType::Date => Builder::Date(PrimitiveChunkedBuilder::new(name, capacity)),
        }
    }

    fn push(&mut self, text: &str, value: Option<&Value>) {
        match (self, value) {
            (Builder::Text(b), Some(Value::Text)) => b.append_value(text),
            (Builder::Int(b), Some(Value::Int(n))) => b.append_value(*n),
            (Builder::Num(b), Some(Value::Num(n))) => b.append_value(*n),
            (Builder::Bool(b), Some(Value::Bool(v))) => b.append_value(*v),
            (Builder::Date(b), Some(Value::Date(d))) => b.append_value(*d),
            (b, _) => b.push_null(),
        }
    }

    fn push_null(&mut self) {
        match self {
            Builder::Text(b) => b.append_null(),
            Builder::Int(b) => b.append_null(),
            Builder::Num(b) => b.append_null(),
            Builder::Bool(b) => b.append_null(),
            Builder::Date(b) => b.append_null(),
        }
    }

    fn finish(self) -> Series {
        match self {
            Builder::Text(b) => b.finish().into_series(),
            Builder::Int(b) => b.finish().into_series(),
            Builder::Num(b) => b.finish().into_series(),
            Builder::Bool(b) => b.finish().into_series(),
            Builder::Date(b) => {
                let days = b.finish().into_series();
                days.cast(&polars::prelude::DataType::Date).unwrap_or(days)
            }
        }
    }
}

fn format_limit(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

fn check_column(
    column: &StdColumn,
    position: u64,
    text: &StringChunked,
    row_numbers: &[u64],
    ctx: &Context<'_>,
    report: &mut ReportBuilder,
) -> Series {
    let rules = &column.aturan_validasi;
    let field = column.nama.as_str();
    let code_list = column
        .klasifikasi
        .as_ref()
        .and_then(|id| ctx.code_lists.get(id).map(|set| (id, set)));
    let master = ctx.master_data.get(field).map(|(id, set)| (id, set));
    let mut seen: HashMap<&str, u64> = HashMap::new();
    let mut builder = Builder::new(column, text.len());
    for (i, cell) in text.iter().enumerate() {
        let row = row_numbers.get(i).copied().unwrap_or(i as u64 + 2);
        let Some(value_text) = cell else {
            if rules.wajib {
                report.push(
                    Finding::cell(FindingCode::ConstraintError, row, position, field, "")
                        .with_message("constraint-error.required", &[("field", field)]),
                );
            }
            builder.push_null();
            continue;
        };
        let cell_finding = |code: FindingCode| Finding::cell(code, row, position, field, value_text);
        let Some(value) = cast(column.tipe_data, value_text) else {
            report.push(cell_finding(FindingCode::TypeError).with_message(
                "type-error",
                &[("value", value_text), ("type", column.tipe_data.as_str())],
            ));
            builder.push_null();
            continue;
        };
        let mut ok = true;
        let numeric = match value {
            Value::Int(n) => Some(n as f64),
            Value::Num(n) => Some(n),
            _ => None,
        };
        if let (Some(n), Some(min)) = (numeric, rules.minimum)
            && n < min
        {
            ok = false;
            report.push(cell_finding(FindingCode::ConstraintError).with_message(
                "constraint-error.minimum",
                &[("value", value_text), ("limit", &format_limit(min))],
            ));
        }
        if let (Some(n), Some(max)) = (numeric, rules.maksimum)
            && n > max
        {
            ok = false;
            report.push(cell_finding(FindingCode::ConstraintError).with_message(
                "constraint-error.maximum",
                &[("value", value_text), ("limit", &format_limit(max))],
            ));
        }
        if let Some(allowed) = &rules.enum_values
            && !allowed.iter().any(|a| a == value_text)
        {
            ok = false;
            report.push(cell_finding(FindingCode::ConstraintError).with_message(
                "constraint-error.enum",
                &[("value", value_text), ("allowed", &allowed.join(", "))],
            ));
        }
        if let Some((id, set)) = code_list
            && !set.contains(value_text)
        {
            ok = false;
            report.push(
                cell_finding(FindingCode::ReferenceError)
                    .with_message("reference-error", &[("value", value_text), ("list", id)]),
            );
        }
        if let Some((id, set)) = master
            && !set.contains(value_text)
        {
            ok = false;
            report.push(
                cell_finding(FindingCode::MasterDataError)
                    .with_message("master-data-error", &[("value", value_text), ("master", id)]),
            );
        }
        if rules.unik {
            if let Some(first) = seen.get(value_text) {
                ok = false;
                report.push(
                    cell_finding(FindingCode::UniqueError)
                        .with_message("unique-error", &[("value", value_text), ("other", &first.to_string())]),
                );
            } else {
                seen.insert(value_text, row);
            }
        }
        builder.push(value_text, ok.then_some(&value));
    }
    builder.finish()
}
