//! Frictionless' `row-constraint` check: a standard's rules with `temuan: row-constraint` are
//! Python expressions, evaluated per row on the values as Frictionless holds them in a row: cast
//! from the text by the column's type, before constraints (a value below its minimum keeps its
//! value), texts as they are written, `None` where the cell is empty or invalid. A row where the
//! expression is false or cannot be evaluated is a `row-constraint` finding.

use polars::prelude::StringChunked;
use satudata_core::{Column, DataType, FindingCode, ReportBuilder, RuleFinding};

use crate::rules::{NumKind, Outcome, Val, WhenKind};
use crate::{Context, Value, cast, format_limit, row_finding};

/// Whether rules can read a column's values: texts, numbers, booleans, dates and times (not the
/// types Frictionless holds as other Python objects: durations, year-months, points, JSON).
pub(crate) fn readable(t: DataType) -> bool {
    matches!(
        t,
        DataType::String
            | DataType::KodeWilayah
            | DataType::Integer
            | DataType::Number
            | DataType::Boolean
            | DataType::Date
            | DataType::Datetime
            | DataType::Year
            | DataType::Time
    )
}

/// A cell's value as Frictionless holds it in a row: texts as Python strs, integers and years as
/// ints, booleans as bools, numbers as Decimals, dates and times as themselves; empty or invalid
/// cells as `None`.
fn value(column: &Column, text: Option<&str>) -> Val {
    let Some(text) = text else {
        return Val::None;
    };
    match cast(column, text) {
        Some(Value::Text) => Val::Text(text.into()),
        Some(Value::Int(n)) => Val::Num(n as f64, NumKind::Int),
        Some(Value::Year(y)) => Val::Num(f64::from(y), NumKind::Int),
        Some(Value::Bool(b)) => Val::Num(if b { 1.0 } else { 0.0 }, NumKind::Bool),
        Some(Value::Num(n)) => Val::Num(n, NumKind::Decimal),
        Some(Value::Date(d)) => Val::When(f64::from(d), WhenKind::Date),
        Some(Value::Datetime(ms)) => Val::When(ms as f64, WhenKind::Datetime),
        Some(Value::Time(ns)) => Val::When(ns as f64, WhenKind::Time),
        _ => Val::None,
    }
}

/// Checks every row of a batch against the context's row constraints (each row stands alone, so
/// batches need no state); `texts` are the batch's columns and `positions` the file column of
/// each standard column.
pub(crate) fn check(
    texts: &[&StringChunked],
    positions: &[Option<usize>],
    ctx: &Context<'_>,
    row_of: &dyn Fn(usize) -> u64,
    report: &mut ReportBuilder,
) {
    let height = texts.first().map_or(0, |t| t.len());
    for (name, finding, rule) in &ctx.rules {
        if *finding != RuleFinding::RowConstraint {
            continue;
        }
        let fields = rule.fields();
        let columns: Vec<(&str, Vec<Val>)> = fields
            .iter()
            .map(|f| {
                let k = ctx.standard.kolom.iter().position(|c| c.nama == *f);
                let values = match k.and_then(|k| positions[k].map(|p| (&ctx.standard.kolom[k], texts[p]))) {
                    Some((column, text)) => text
                        .iter()
                        .map(|cell| value(column, cell.filter(|v| !ctx.missing.contains(*v))))
                        .collect(),
                    // A field without a column in the file is `None` in every row.
                    None => vec![Val::None; height],
                };
                (*f, values)
            })
            .collect();
        for i in 0..height {
            let value = |f: &str| {
                columns
                    .iter()
                    .find(|(n, _)| *n == f)
                    .and_then(|(_, v)| v.get(i).cloned())
                    .unwrap_or(Val::None)
            };
            if let Outcome::Fails(detail) | Outcome::Raises(detail) = rule.check(&value, &format_limit) {
                let row = row_of(i);
                report.push(
                    row_finding(FindingCode::RowConstraint, row)
                        .at_column(None, fields.first().copied().unwrap_or_default())
                        .with_value(detail)
                        .with_message("row-constraint", &[("row", &row.to_string()), ("rule", name)]),
                );
            }
        }
    }
}
