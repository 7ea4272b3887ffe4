//! What a submission would change: the diff a verifier reads before approving.
//!
//! [`compare`] takes the latest release's rows for the submission's period (every column, the
//! withheld ones too) and the table the submission would publish, and says which rows are added,
//! removed and changed, and which columns are added or removed. Rows are matched by the
//! standard's primary key (`kunci_utama`) when both tables have its columns; a changed row lists
//! its key and each changed cell. Without a primary key, rows are matched by their fingerprint
//! ([`satudata_core::fingerprint`]) over the columns both tables have: a row is then added or
//! removed, never changed. Cells are compared as text, as `data.csv` writes them (a null is an
//! empty cell), so the diff shows what a reader of the release would see change. Like a report,
//! a diff counts everything and lists the first `limit` rows of each kind.
//!
//! [`crate::DataCenter::diff`] and [`crate::DataCenter::diff_for_submission`] put the tables
//! together from the store.

use std::collections::HashMap;
use std::io::Cursor;

use polars::prelude::*;
use satudata_core::fingerprint;
use serde::{Deserialize, Serialize};

/// How many rows of each kind a diff lists by default (all are counted).
pub const DEFAULT_DIFF_LIMIT: u64 = 1000;

/// A submission's diff against the latest release, for its period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diff {
    /// Dataset name.
    pub dataset: String,
    /// The period compared (the submission's, canonical); the whole dataset when its standard
    /// has no period column.
    pub period: String,
    /// The release compared against; `None` before the first release (every row is added).
    pub base_version: Option<u32>,
    /// What changes.
    #[serde(flatten)]
    pub changes: TableDiff,
}

/// How rows were matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Matching {
    /// By the standard's primary key: rows with the same key are the same row.
    PrimaryKey,
    /// By the fingerprint of the cells both tables have: equal rows are the same row.
    Fingerprint,
}

/// The difference between two tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableDiff {
    /// How rows were matched.
    pub matched_by: Matching,
    /// The primary key's columns (empty when matched by fingerprint).
    pub key: Vec<String>,
    /// Columns of the older table, in order (the order of [`DiffRow::values`] of removed rows).
    pub columns_before: Vec<String>,
    /// Columns of the new table, in order (the order of [`DiffRow::values`] of added rows).
    pub columns_after: Vec<String>,
    /// Columns the new table has and the older one has not.
    pub columns_added: Vec<String>,
    /// Columns the older table has and the new one has not.
    pub columns_removed: Vec<String>,
    /// Rows compared in the older table.
    pub rows_before: u64,
    /// Rows in the new table.
    pub rows_after: u64,
    /// Rows found in both, with the same cells.
    pub unchanged: u64,
    /// Rows only in the new table.
    pub added: Listed<DiffRow>,
    /// Rows only in the older table.
    pub removed: Listed<DiffRow>,
    /// Rows in both (same key) whose cells differ.
    pub changed: Listed<RowChange>,
    /// Rows listed at most, per kind.
    pub limit: u64,
}

/// A count, and the first items up to the diff's limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed<T> {
    /// How many there are.
    pub count: u64,
    /// The first of them, in table order.
    pub items: Vec<T>,
}

impl<T> Default for Listed<T> {
    fn default() -> Self {
        Listed {
            count: 0,
            items: Vec::new(),
        }
    }
}

impl<T> Listed<T> {
    fn push(&mut self, limit: u64, item: impl FnOnce() -> T) {
        if self.count < limit {
            self.items.push(item());
        }
        self.count += 1;
    }
}

/// A row added or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffRow {
    /// Its primary key's cells (empty when matched by fingerprint).
    pub key: Vec<String>,
    /// Its cells, in the order of its table's columns.
    pub values: Vec<String>,
}

/// A row whose cells changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowChange {
    /// Its primary key's cells.
    pub key: Vec<String>,
    /// The cells that differ, in the new table's column order.
    pub cells: Vec<CellChange>,
}

/// One changed cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellChange {
    /// Column name.
    pub column: String,
    /// The cell before, as `data.csv` wrote it.
    pub before: String,
    /// The cell after, as `data.csv` will write it.
    pub after: String,
}

/// A table's cells as `data.csv` writes them, column by column.
struct Texts {
    names: Vec<String>,
    columns: Vec<StringChunked>,
    height: usize,
}

impl Texts {
    fn of(table: &DataFrame) -> PolarsResult<Texts> {
        let names: Vec<String> = table.get_column_names().iter().map(|n| n.to_string()).collect();
        if table.width() == 0 {
            return Ok(Texts {
                names,
                columns: Vec::new(),
                height: table.height(),
            });
        }
        let csv = satudata_publish::write_csv(&mut table.clone())
            .map_err(|e| PolarsError::ComputeError(e.to_string().into()))?;
        // Every column read back as text, exactly as written.
        let read = CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .into_reader_with_file_handle(Cursor::new(csv))
            .finish()?;
        let columns = read
            .columns()
            .iter()
            .map(|c| c.as_materialized_series().str().map(|s| s.rechunk().into_owned()))
            .collect::<PolarsResult<Vec<_>>>()?;
        Ok(Texts {
            names,
            columns,
            height: table.height(),
        })
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    fn cell(&self, column: usize, row: usize) -> &str {
        self.columns[column].get(row).unwrap_or("")
    }

    fn cells(&self, columns: &[usize], row: usize) -> Vec<String> {
        columns.iter().map(|&c| self.cell(c, row).to_owned()).collect()
    }

    fn row(&self, row: usize) -> Vec<String> {
        (0..self.columns.len()).map(|c| self.cell(c, row).to_owned()).collect()
    }
}

/// Compares the older rows (`None` before the first release) with the new table, matching rows
/// by the primary key `key` when both tables have its columns, else by fingerprint.
pub fn compare(before: Option<&DataFrame>, after: &DataFrame, key: &[String], limit: u64) -> PolarsResult<TableDiff> {
    let new = Texts::of(after)?;
    let old = match before {
        Some(table) => Texts::of(table)?,
        None => Texts {
            names: Vec::new(),
            columns: Vec::new(),
            height: 0,
        },
    };
    let has_base = before.is_some();
    let columns_added = match has_base {
        true => new.names.iter().filter(|n| old.index(n).is_none()).cloned().collect(),
        false => Vec::new(),
    };
    let columns_removed = old.names.iter().filter(|n| new.index(n).is_none()).cloned().collect();
    // The columns both have, as (old, new) positions in the new table's order.
    let common: Vec<(usize, usize)> = new
        .names
        .iter()
        .enumerate()
        .filter_map(|(j, n)| old.index(n).map(|i| (i, j)))
        .collect();
    // The key's (old, new) positions, when both tables have every key column (the older table
    // has none before the first release, and no row either).
    let key_at: Option<Vec<(usize, usize)>> = match key.is_empty() {
        true => None,
        false => key
            .iter()
            .map(|k| Some((if has_base { old.index(k)? } else { 0 }, new.index(k)?)))
            .collect(),
    };
    let mut diff = TableDiff {
        matched_by: Matching::Fingerprint,
        key: Vec::new(),
        columns_before: old.names.clone(),
        columns_after: new.names.clone(),
        columns_added,
        columns_removed,
        rows_before: old.height as u64,
        rows_after: new.height as u64,
        unchanged: 0,
        added: Listed::default(),
        removed: Listed::default(),
        changed: Listed::default(),
        limit,
    };
    match key_at {
        Some(key_at) => {
            diff.matched_by = Matching::PrimaryKey;
            diff.key = key.to_vec();
            let (old_key, new_key): (Vec<usize>, Vec<usize>) = key_at.into_iter().unzip();
            by_key(&old, &new, &old_key, &new_key, &common, &mut diff);
        }
        None => by_fingerprint(&old, &new, &common, &mut diff),
    }
    Ok(diff)
}

fn by_key(
    old: &Texts,
    new: &Texts,
    old_key: &[usize],
    new_key: &[usize],
    common: &[(usize, usize)],
    diff: &mut TableDiff,
) {
    let limit = diff.limit;
    let mut rows: HashMap<Vec<&str>, usize> = HashMap::with_capacity(old.height);
    // A key held twice in the older table (a standard whose key changed): the later row is
    // the one matched, the earlier one counts as removed.
    for i in 0..old.height {
        rows.insert(old_key.iter().map(|&c| old.cell(c, i)).collect(), i);
    }
    let mut matched = vec![false; old.height];
    for j in 0..new.height {
        let k: Vec<&str> = new_key.iter().map(|&c| new.cell(c, j)).collect();
        let Some(&i) = rows.get(&k) else {
            diff.added.push(limit, || DiffRow {
                key: new.cells(new_key, j),
                values: new.row(j),
            });
            continue;
        };
        if std::mem::replace(&mut matched[i], true) {
            continue;
        }
        let cells: Vec<CellChange> = common
            .iter()
            .filter(|&&(oc, nc)| old.cell(oc, i) != new.cell(nc, j))
            .map(|&(oc, nc)| CellChange {
                column: new.names[nc].clone(),
                before: old.cell(oc, i).to_owned(),
                after: new.cell(nc, j).to_owned(),
            })
            .collect();
        if cells.is_empty() {
            diff.unchanged += 1;
        } else {
            diff.changed.push(limit, || RowChange {
                key: new.cells(new_key, j),
                cells,
            });
        }
    }
    for i in (0..old.height).filter(|&i| !matched[i]) {
        diff.removed.push(limit, || DiffRow {
            key: old.cells(old_key, i),
            values: old.row(i),
        });
    }
}

fn by_fingerprint(old: &Texts, new: &Texts, common: &[(usize, usize)], diff: &mut TableDiff) {
    let limit = diff.limit;
    let print = |t: &Texts, columns: &mut dyn Iterator<Item = usize>, row: usize| {
        fingerprint::row(columns.map(|c| Some(t.cell(c, row)).filter(|s| !s.is_empty())))
    };
    // Each older row's fingerprint, with the rows holding it still unmatched.
    let mut unmatched: HashMap<fingerprint::Fingerprint, Vec<usize>> = HashMap::with_capacity(old.height);
    for i in (0..old.height).rev() {
        let f = print(old, &mut common.iter().map(|&(oc, _)| oc), i);
        unmatched.entry(f).or_default().push(i);
    }
    let mut matched = vec![false; old.height];
    for j in 0..new.height {
        let f = print(new, &mut common.iter().map(|&(_, nc)| nc), j);
        match unmatched.get_mut(&f).and_then(Vec::pop) {
            Some(i) => {
                matched[i] = true;
                diff.unchanged += 1;
            }
            None => diff.added.push(limit, || DiffRow {
                key: Vec::new(),
                values: new.row(j),
            }),
        }
    }
    for i in (0..old.height).filter(|&i| !matched[i]) {
        diff.removed.push(limit, || DiffRow {
            key: Vec::new(),
            values: old.row(i),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn rows_are_matched_by_primary_key() {
        let before = df!("kode" => ["a", "b", "c"], "n" => [1i64, 2, 3], "x" => [1.5f64, 2.0, 3.0]).unwrap();
        let after = df!("kode" => ["a", "b", "d"], "n" => [1i64, 20, 4], "x" => [1.5f64, 2.5, 4.0]).unwrap();
        let d = compare(Some(&before), &after, &key(&["kode"]), 10).unwrap();
        assert_eq!(d.matched_by, Matching::PrimaryKey);
        assert_eq!(
            (d.unchanged, d.added.count, d.removed.count, d.changed.count),
            (1, 1, 1, 1)
        );
        assert_eq!(
            d.added.items,
            [DiffRow {
                key: key(&["d"]),
                values: key(&["d", "4", "4.0"])
            }]
        );
        assert_eq!(d.removed.items[0].key, ["c"]);
        let change = &d.changed.items[0];
        assert_eq!(change.key, ["b"]);
        assert_eq!(
            change.cells,
            [
                CellChange {
                    column: "n".into(),
                    before: "2".into(),
                    after: "20".into()
                },
                CellChange {
                    column: "x".into(),
                    before: "2.0".into(),
                    after: "2.5".into()
                },
            ]
        );
    }

    #[test]
    fn without_a_key_rows_are_added_or_removed() {
        let before = df!("kode" => ["a", "b", "b"], "n" => [1i64, 2, 2]).unwrap();
        let after = df!("kode" => ["b", "a", "c"], "n" => [2i64, 1, 3]).unwrap();
        let d = compare(Some(&before), &after, &[], 10).unwrap();
        assert_eq!(d.matched_by, Matching::Fingerprint);
        assert_eq!(
            (d.unchanged, d.added.count, d.removed.count, d.changed.count),
            (2, 1, 1, 0)
        );
        assert_eq!(d.added.items[0].values, ["c", "3"]);
        assert_eq!(d.removed.items[0].values, ["b", "2"]);
    }

    #[test]
    fn columns_added_and_removed_are_named_and_not_counted_as_changed_cells() {
        let before = df!("kode" => ["a"], "lama" => ["x"], "n" => [1i64]).unwrap();
        let after = df!("kode" => ["a"], "n" => [1i64], "baru" => [Some(7i64)]).unwrap();
        for k in [key(&["kode"]), Vec::new()] {
            let d = compare(Some(&before), &after, &k, 10).unwrap();
            assert_eq!(d.columns_added, ["baru"]);
            assert_eq!(d.columns_removed, ["lama"]);
            assert_eq!(
                (d.unchanged, d.added.count, d.removed.count, d.changed.count),
                (1, 0, 0, 0)
            );
        }
    }

    #[test]
    fn a_null_and_an_empty_cell_are_the_same_text() {
        let before = df!("kode" => ["a"], "n" => [None::<i64>]).unwrap();
        let after = df!("kode" => ["a"], "n" => [Some(5i64)]).unwrap();
        let d = compare(Some(&before), &after, &key(&["kode"]), 10).unwrap();
        assert_eq!(d.changed.items[0].cells[0].before, "");
        assert_eq!(d.changed.items[0].cells[0].after, "5");
    }

    #[test]
    fn everything_is_counted_and_the_first_are_listed() {
        let after = df!("n" => (0..50i64).collect::<Vec<_>>()).unwrap();
        let d = compare(None, &after, &key(&["n"]), 3).unwrap();
        assert_eq!(d.added.count, 50);
        assert_eq!(d.added.items.len(), 3);
        assert!(d.columns_added.is_empty() && d.columns_before.is_empty());
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["matched_by"], "primary_key");
        assert_eq!(json["added"]["count"], 50);
    }
}
