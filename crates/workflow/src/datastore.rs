//! Row queries over a published release: what CKAN's `datastore_search` answers, read from the
//! release's own `data.parquet` (CKAN needs PostgreSQL and a DataPusher for this).
//!
//! A query filters by exact values (any of a list), by words anywhere in the row or in given
//! columns, sorts by columns (a partial sort when only a page is wanted), and pages. Rows keep
//! their number in the release as `_id` (from 1). The last few tables read stay in memory, so
//! that paging through a release does not read its file again.

use std::sync::{Arc, Mutex};

use polars::prelude::*;
use satudata_catalog::ReleaseRecord;

use crate::{DataCenter, Error, Result};

/// How many release tables stay in memory.
const KEPT_TABLES: usize = 2;

/// The name of the row number column.
pub(crate) const ROW_ID: &str = "_id";

/// A row query over a release.
#[derive(Debug, Clone, Default)]
pub struct RowQuery {
    /// Rows whose column holds one of the values (compared as text).
    pub filters: Vec<(String, Vec<String>)>,
    /// Words that must all appear in the row's text (case ignored).
    pub text: Option<String>,
    /// Words that must all appear in a column's text.
    pub per_column: Vec<(String, String)>,
    /// Sort by these columns, descending where `true`; otherwise in the release's order.
    pub sort: Vec<(String, bool)>,
    /// At most this many rows.
    pub limit: usize,
    /// After skipping this many.
    pub offset: usize,
}

/// A column's kind, as a row query reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Whole numbers.
    Int,
    /// Decimal numbers.
    Numeric,
    /// Text.
    Text,
    /// Dates.
    Date,
    /// Date and time.
    Timestamp,
    /// True or false.
    Bool,
}

/// What a row query found.
#[derive(Debug, Clone, PartialEq)]
pub struct RowPage {
    /// The release's columns and their kinds, in order (without `_id`).
    pub columns: Vec<(String, ColumnKind)>,
    /// The page: each row's `_id` and its values in column order.
    pub rows: Vec<(u64, Vec<serde_json::Value>)>,
    /// How many rows match, over every page.
    pub total: u64,
}

/// The last tables read, by release folder.
#[derive(Debug, Default)]
pub(crate) struct KeptTables(Mutex<Vec<(String, Arc<DataFrame>)>>);

impl KeptTables {
    fn get(&self, path: &str) -> Option<Arc<DataFrame>> {
        let kept = self.0.lock().ok()?;
        kept.iter().find(|(p, _)| p == path).map(|(_, t)| t.clone())
    }

    fn keep(&self, path: &str, table: Arc<DataFrame>) {
        if let Ok(mut kept) = self.0.lock() {
            kept.retain(|(p, _)| p != path);
            kept.insert(0, (path.to_owned(), table));
            kept.truncate(KEPT_TABLES);
        }
    }
}

/// Runs `work` on `release`'s table off the async threads; its failure (or a panic) is the
/// release's table error.
pub(crate) async fn blocking<T: Send + 'static>(
    release: &ReleaseRecord,
    work: impl FnOnce() -> PolarsResult<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(PolarsError::ComputeError(format!("row query stopped: {e}").into())))
        .map_err(|source| Error::ReleaseTable {
            dataset: release.dataset.clone(),
            version: release.version,
            source,
        })
}

/// A release table's columns and their kinds, without `_id`.
fn columns_of(table: &DataFrame) -> Vec<(String, ColumnKind)> {
    table
        .columns()
        .iter()
        .filter(|c| c.name().as_str() != ROW_ID)
        .map(|c| (c.name().to_string(), kind(c.dtype())))
        .collect()
}

fn kind(dtype: &DataType) -> ColumnKind {
    match dtype {
        DataType::Boolean => ColumnKind::Bool,
        DataType::Date => ColumnKind::Date,
        DataType::Datetime(..) => ColumnKind::Timestamp,
        d if d.is_integer() => ColumnKind::Int,
        d if d.is_float() || d.is_decimal() => ColumnKind::Numeric,
        _ => ColumnKind::Text,
    }
}

fn json(value: AnyValue<'_>) -> serde_json::Value {
    use serde_json::Value;
    match value {
        AnyValue::Null => Value::Null,
        AnyValue::Boolean(b) => Value::Bool(b),
        AnyValue::String(s) => Value::String(s.to_owned()),
        AnyValue::StringOwned(s) => Value::String(s.to_string()),
        AnyValue::Int8(n) => n.into(),
        AnyValue::Int16(n) => n.into(),
        AnyValue::Int32(n) => n.into(),
        AnyValue::Int64(n) => n.into(),
        AnyValue::UInt8(n) => n.into(),
        AnyValue::UInt16(n) => n.into(),
        AnyValue::UInt32(n) => n.into(),
        AnyValue::UInt64(n) => n.into(),
        AnyValue::Float32(n) => serde_json::Number::from_f64(f64::from(n)).map_or(Value::Null, Value::Number),
        AnyValue::Float64(n) => serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
        other => Value::String(other.to_string().trim_matches('"').to_owned()),
    }
}

/// The column `name` as lower-cased text, one value a row.
fn lowered(table: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    let text = table.column(name)?.cast(&DataType::String)?;
    Ok(text.str()?.iter().map(|v| v.map(str::to_lowercase)).collect())
}

/// Rows whose text in `columns` holds every word of `words`.
fn words_mask(table: &DataFrame, columns: &[String], words: &str) -> PolarsResult<BooleanChunked> {
    let words: Vec<String> = words.split_whitespace().map(str::to_lowercase).collect();
    let texts = columns
        .iter()
        .map(|c| lowered(table, c))
        .collect::<PolarsResult<Vec<_>>>()?;
    Ok((0..table.height())
        .map(|row| {
            let cells: Vec<&str> = texts.iter().filter_map(|t| t[row].as_deref()).collect();
            Some(words.iter().all(|w| cells.iter().any(|c| c.contains(w.as_str()))))
        })
        .collect())
}

/// Rows whose column `name` holds one of `values`, compared as text.
fn values_mask(table: &DataFrame, name: &str, values: &[String]) -> PolarsResult<BooleanChunked> {
    let text = table.column(name)?.cast(&DataType::String)?;
    Ok(text
        .str()?
        .iter()
        .map(|v| Some(v.is_some_and(|v| values.iter().any(|w| w == v))))
        .collect())
}

/// The rows of `table` (with its `_id` column) that `query` keeps, sorted and paged.
fn run(table: &DataFrame, query: &RowQuery) -> PolarsResult<(DataFrame, u64)> {
    let mut mask: Option<BooleanChunked> = None;
    let mut and = |m: BooleanChunked| {
        mask = Some(match mask.take() {
            Some(prev) => &prev & &m,
            None => m,
        });
    };
    for (name, values) in &query.filters {
        and(values_mask(table, name, values)?);
    }
    if let Some(text) = query.text.as_deref().filter(|t| !t.trim().is_empty()) {
        let texts: Vec<String> = table
            .columns()
            .iter()
            .filter(|c| c.name().as_str() != ROW_ID)
            .map(|c| c.name().to_string())
            .collect();
        and(words_mask(table, &texts, text)?);
    }
    for (name, words) in &query.per_column {
        and(words_mask(table, std::slice::from_ref(name), words)?);
    }
    let matched = match &mask {
        Some(mask) => table.filter(mask)?,
        None => table.clone(),
    };
    let total = matched.height() as u64;
    let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
    let page = if query.sort.is_empty() {
        matched.slice(offset, query.limit)
    } else {
        let by: Vec<Column> = query
            .sort
            .iter()
            .map(|(c, _)| matched.column(c).cloned())
            .collect::<PolarsResult<_>>()?;
        let options = SortMultipleOptions::default()
            .with_order_descending_multi(query.sort.iter().map(|(_, d)| *d).collect::<Vec<_>>())
            .with_nulls_last(true)
            .with_maintain_order(true);
        matched.sort_impl(by, options, Some((offset, query.limit)))?
    };
    Ok((page, total))
}

impl DataCenter {
    /// The published table of `release` (its `data.parquet`), from memory when read lately.
    pub(crate) async fn published_table(&self, release: &ReleaseRecord) -> Result<Arc<DataFrame>> {
        if let Some(table) = self.tables.get(&release.path) {
            return Ok(table);
        }
        let bytes = self.store.get(&format!("{}/data.parquet", release.path)).await?;
        let table = blocking(release, move || {
            ParquetReader::new(std::io::Cursor::new(bytes))
                .finish()
                .and_then(|t| t.with_row_index(ROW_ID.into(), Some(1)))
        })
        .await?;
        let table = Arc::new(table);
        self.tables.keep(&release.path, table.clone());
        Ok(table)
    }

    /// The columns of published `release` and their kinds, in order (without `_id`).
    pub async fn release_columns(&self, release: &ReleaseRecord) -> Result<Vec<(String, ColumnKind)>> {
        let table = self.published_table(release).await?;
        Ok(columns_of(&table))
    }

    /// The rows of published `release` that `query` finds: a page, and how many match. A column
    /// `query` names that the release does not have is an error naming it.
    pub async fn release_rows(&self, release: &ReleaseRecord, query: &RowQuery) -> Result<RowPage> {
        let table = self.published_table(release).await?;
        let columns = columns_of(&table);
        let query = query.clone();
        let (page, total) = blocking(release, move || run(&table, &query)).await?;
        let ids = page.column(ROW_ID).map_err(satudata_publish::Error::Write)?;
        let mut rows = Vec::with_capacity(page.height());
        for i in 0..page.height() {
            let id = ids.get(i).ok().and_then(|v| v.extract::<u64>()).unwrap_or_default();
            let values = columns
                .iter()
                .map(|(name, _)| {
                    page.column(name)
                        .ok()
                        .and_then(|c| c.get(i).ok())
                        .map_or(serde_json::Value::Null, json)
                })
                .collect();
            rows.push((id, values));
        }
        Ok(RowPage { columns, rows, total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> DataFrame {
        df!(
            "kecamatan" => ["Pontianak Kota", "Pontianak Barat", "Pontianak Kota", "Pontianak Timur"],
            "jumlah" => [10i64, 30, 20, 40],
            "nilai" => [1.5f64, 2.5, 3.5, 4.5],
        )
        .unwrap()
        .with_row_index(ROW_ID.into(), Some(1))
        .unwrap()
    }

    fn ids(page: &DataFrame) -> Vec<u32> {
        page.column(ROW_ID).unwrap().idx().unwrap().iter().flatten().collect()
    }

    #[test]
    fn filters_words_sorts_and_pages() {
        let t = table();
        let all = RowQuery {
            limit: 10,
            ..RowQuery::default()
        };
        let (page, total) = run(&t, &all).unwrap();
        assert_eq!((ids(&page), total), (vec![1, 2, 3, 4], 4));

        let kota = RowQuery {
            filters: vec![("kecamatan".into(), vec!["Pontianak Kota".into()])],
            sort: vec![("jumlah".into(), true)],
            limit: 10,
            ..RowQuery::default()
        };
        let (page, total) = run(&t, &kota).unwrap();
        assert_eq!(
            (ids(&page), total),
            (vec![3, 1], 2),
            "filtered, largest first, ids kept"
        );

        let numbers = RowQuery {
            filters: vec![("jumlah".into(), vec!["30".into(), "40".into()])],
            limit: 10,
            ..RowQuery::default()
        };
        assert_eq!(ids(&run(&t, &numbers).unwrap().0), [2, 4], "numbers compare as text");

        let words = RowQuery {
            text: Some("TIMUR pontianak".into()),
            limit: 10,
            ..RowQuery::default()
        };
        assert_eq!(ids(&run(&t, &words).unwrap().0), [4]);
        let column = RowQuery {
            per_column: vec![("kecamatan".into(), "barat".into())],
            limit: 10,
            ..RowQuery::default()
        };
        assert_eq!(ids(&run(&t, &column).unwrap().0), [2]);

        let paged = RowQuery {
            sort: vec![("nilai".into(), false)],
            limit: 2,
            offset: 1,
            ..RowQuery::default()
        };
        let (page, total) = run(&t, &paged).unwrap();
        assert_eq!((ids(&page), total), (vec![2, 3], 4), "a page of the sorted rows");
        let past = RowQuery {
            limit: 2,
            offset: 10,
            ..RowQuery::default()
        };
        assert_eq!(run(&t, &past).unwrap().0.height(), 0);
    }

    #[test]
    fn a_missing_column_is_an_error() {
        let q = RowQuery {
            filters: vec![("tidak_ada".into(), vec!["x".into()])],
            limit: 1,
            ..RowQuery::default()
        };
        assert!(run(&table(), &q).is_err());
    }
}
