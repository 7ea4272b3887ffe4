//! The whole-table row checks as Frictionless runs them, for standards in Frictionless mode
//! ([`satudata_core::Checks::Frictionless`]).
//!
//! Frictionless compares values as cast, not texts: `01` and `1` are the same integer key, and
//! an empty, missing or invalid cell is Python's `None`. Every row takes part, blank rows too:
//! a key whose cells are all `None` is a `primary-key` finding, a key with some `None` is still
//! compared, and two blank rows are duplicates. A primary key compares its values with Python's
//! `==` (`1.0` is `1`), and so does a foreign key; the `duplicate-row` check compares the rows'
//! `str()` (`1.0` is not `1`).

use polars::prelude::StringChunked;

use crate::keys::{self, Fingerprint, KeyIndex};
use crate::{Context, EnumKey, FindingCode, ReportBuilder, StdColumn, Value, cast_with, present, row_finding};

/// How two values of a column are told equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Equality {
    /// As Python's `==` on the cast values (primary keys, unique columns): `1.0` is `1`.
    Value,
    /// As their `str()` (the `duplicate-row` check): numbers as written, `1.0` is not `1`.
    Text,
}

/// A cast value written out, the same for values Frictionless holds equal and never empty.
fn written(value: &Value, text: &str, how: Equality) -> String {
    let key = match (how, value) {
        (Equality::Text, Value::Num(_)) => EnumKey::Text(crate::cast::trim(text).to_owned()),
        _ => EnumKey::of(value, text),
    };
    // A tag per kind, so that no text reads as a number.
    match key {
        EnumKey::Text(t) => format!("t{t}"),
        EnumKey::Int(n) => format!("i{n}"),
        EnumKey::Float(bits) => format!("f{bits}"),
        EnumKey::Bool(b) => format!("b{b}"),
    }
}

/// The fingerprint of a cast value, equal for values Frictionless holds equal.
pub(crate) fn value_print(value: &Value, text: &str, how: Equality) -> Fingerprint {
    keys::fingerprint(Some(&written(value, text, how)))
}

/// A cell of a foreign key or of the key it refers to, as the key compares it: in Frictionless
/// mode its value as cast (`""` when empty or not of `column`'s type), otherwise its text.
pub(crate) fn key_text(column: Option<&StdColumn>, text: Option<&str>, frictionless: bool) -> String {
    match (column, text) {
        (Some(column), Some(text)) if frictionless => cast_with(column, text, None)
            .map(|value| written(&value, text, Equality::Value))
            .unwrap_or_default(),
        (_, text) => text.unwrap_or_default().to_owned(),
    }
}

/// The fingerprint of a cell as `column` casts it, `None` when it is empty or not of its type.
fn cell_print(column: &StdColumn, text: Option<&str>, ctx: &Context<'_>, how: Equality) -> Option<Fingerprint> {
    let text = text?;
    let value = cast_with(column, text, ctx.list_items.get(&column.nama))?;
    Some(value_print(&value, text, how))
}

/// Each row of a batch into the duplicate-row index, its fingerprint taken over the standard's
/// columns as cast (a column the file lacks is `None`).
pub(crate) fn push_rows(
    texts: &[&StringChunked],
    positions: &[Option<usize>],
    ctx: &Context<'_>,
    row_of: &dyn Fn(usize) -> u64,
    index: &mut KeyIndex,
) -> std::io::Result<()> {
    let height = texts.first().map_or(0, |t| t.len());
    let none = keys::fingerprint(None);
    for i in 0..height {
        let print = ctx
            .standard
            .kolom
            .iter()
            .zip(positions)
            .fold(0, |acc, (column, position)| {
                let text = position.and_then(|p| present(&ctx.missing, texts.get(p).and_then(|t| t.get(i))));
                keys::combine(acc, cell_print(column, text, ctx, Equality::Text).unwrap_or(none))
            });
        index.push(print, row_of(i), 0, [])?;
    }
    Ok(())
}

/// Each row's primary key of a batch into the key index (`key_positions`: the file positions
/// of the key's columns); a key with every cell `None` is a `primary-key` finding at once.
pub(crate) fn push_keys(
    texts: &[&StringChunked],
    key_positions: &[usize],
    ctx: &Context<'_>,
    row_of: &dyn Fn(usize) -> u64,
    report: &mut ReportBuilder,
    index: &mut KeyIndex,
) -> std::io::Result<()> {
    let standard = ctx.standard;
    let columns: Vec<&StdColumn> = standard.kunci_utama.iter().filter_map(|f| standard.column(f)).collect();
    let fields = standard.kunci_utama.join(", ");
    let height = texts.first().map_or(0, |t| t.len());
    let none = keys::fingerprint(None);
    let mut cells: Vec<Option<&str>> = Vec::with_capacity(columns.len());
    let mut prints: Vec<Option<Fingerprint>> = Vec::with_capacity(columns.len());
    for i in 0..height {
        let row = row_of(i);
        cells.clear();
        cells.extend(
            key_positions
                .iter()
                .map(|&p| present(&ctx.missing, texts.get(p).and_then(|t| t.get(i)))),
        );
        prints.clear();
        prints.extend(
            columns
                .iter()
                .zip(&cells)
                .map(|(column, text)| cell_print(column, *text, ctx, Equality::Value)),
        );
        if prints.iter().all(Option::is_none) {
            report.push(
                row_finding(FindingCode::PrimaryKey, row)
                    .at_column(None, &fields)
                    .with_message("primary-key.blank", &[("row", &row.to_string())]),
            );
            continue;
        }
        let key = prints.iter().fold(0, |acc, p| keys::combine(acc, p.unwrap_or(none)));
        index.push(key, row, 0, cells.iter().map(|c| c.unwrap_or_default()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::{TextTable, Validator};
    use polars::prelude::{Column, DataFrame};
    use satudata_core::frictionless::{Checklist, Descriptor};

    /// Rows 2.. of `kode,nama,nilai`: keys and rows equal as cast, blank rows, an invalid key
    /// (what Frictionless 5.21 reports on them is asserted below).
    const ROWS: [[&str; 3]; 9] = [
        ["1", "Budi", "1.0"],
        ["01", "Budi", "1.0"],
        ["", "", ""],
        ["2", "", "1"],
        ["2", "-", "1"],
        ["", "", ""],
        ["x", "Eka", "3"],
        ["3", "Ani", "1.50"],
        ["3", "Ani", "1.5"],
    ];

    fn frame(rows: &[[&str; 3]]) -> DataFrame {
        let columns: Vec<Column> = (0..3)
            .map(|c| {
                let values: Vec<Option<&str>> = rows.iter().map(|r| Some(r[c]).filter(|v| !v.is_empty())).collect();
                Column::new(format!("{}", c + 1).into(), values)
            })
            .collect();
        DataFrame::new(rows.len(), columns).unwrap()
    }

    /// The (code, row) of every finding, the rows fed `size` at a time.
    fn findings(standard: &satudata_core::DataStandard, size: usize) -> Vec<(FindingCode, u64)> {
        let ctx = Context::new(standard, &[], &[]).unwrap();
        let labels: Vec<String> = ["kode", "nama", "nilai"].map(String::from).to_vec();
        let numbers: Vec<u64> = (2..2 + ROWS.len() as u64).collect();
        let mut validator = Validator::new(&ctx, &labels, false);
        for (k, rows) in ROWS.chunks(size).enumerate() {
            let data = frame(rows);
            let first = k * size;
            validator
                .push(TextTable {
                    labels: &labels,
                    groups: &[],
                    data: &data,
                    row_numbers: &numbers[first..first + rows.len()],
                    ragged: &[],
                    row_prints: None,
                })
                .unwrap();
        }
        let report = validator.finish().unwrap().report;
        report.findings.iter().map(|f| (f.code, f.row.unwrap_or(0))).collect()
    }

    #[test]
    fn rows_and_keys_as_cast_are_settled_over_every_batch() {
        let schema = br#"{"fields":[{"name":"kode","type":"integer"},{"name":"nama","type":"string"},
            {"name":"nilai","type":"number","constraints":{"unique":true}}],
            "primaryKey":["kode","nama"],"missingValues":["","-"]}"#;
        let Descriptor::Schema(schema) = Descriptor::parse(schema, &|_| None).unwrap() else {
            panic!()
        };
        let mut standard = schema.to_standard("uji");
        Checklist::parse(br#"{"checks":[{"type":"duplicate-row"}]}"#)
            .unwrap()
            .apply(&mut standard);
        let whole = findings(&standard, ROWS.len());
        let of = |code: FindingCode| -> Vec<u64> { whole.iter().filter(|f| f.0 == code).map(|f| f.1).collect() };
        assert_eq!(of(FindingCode::DuplicateRow), [3, 6, 7]);
        assert_eq!(of(FindingCode::PrimaryKey), [3, 4, 6, 7, 10]);
        assert_eq!(of(FindingCode::UniqueError), [3, 5, 6, 10]);
        for size in [1, 2, 4] {
            assert_eq!(findings(&standard, size), whole, "batches of {size}");
        }
    }

    #[test]
    fn keys_are_equal_as_python_holds_values_equal_and_rows_as_their_text() {
        let int = |n| value_print(&Value::Int(n), "", Equality::Value);
        assert_eq!(int(1), value_print(&Value::Num(1.0), "1.0", Equality::Value));
        assert_ne!(int(1), int(2));
        // A text that reads as a number is still a text.
        assert_ne!(int(1), value_print(&Value::Text, "i1", Equality::Value));
        assert_ne!(
            value_print(&Value::Num(1.0), "1.0", Equality::Text),
            value_print(&Value::Num(1.0), "1", Equality::Text)
        );
        assert_eq!(
            value_print(&Value::Num(1.5), "1.5", Equality::Text),
            value_print(&Value::Num(1.5), " 1.5", Equality::Text)
        );
        assert_eq!(
            value_print(&Value::Int(1), "01", Equality::Text),
            value_print(&Value::Int(1), "1", Equality::Text)
        );
    }
}
