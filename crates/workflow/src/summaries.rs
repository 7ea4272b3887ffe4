//! What the portal shows of a published release besides its rows: a measure summed by a
//! grouping column (for its chart), and its changes against an earlier release. Both read the
//! releases' public `data.parquet`, so withheld columns never appear.

use std::collections::BTreeMap;

use polars::prelude::*;
use satudata_catalog::ReleaseRecord;

use crate::diff::{self, TableDiff};
use crate::{DataCenter, Result};

/// The measure summed per value of one grouping column.
#[derive(Debug, Clone, PartialEq)]
pub struct Sums {
    /// Which of the asked grouping columns was used (its position in the list).
    pub by: usize,
    /// Each value of that column and the sum of the measure over its rows, by value.
    pub sums: Vec<(String, f64)>,
}

/// A grouping a chart may use: its column, and how many values it needs to be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    /// The column grouped by.
    pub column: String,
    /// The fewest values worth a chart.
    pub at_least: usize,
    /// Whether it is the period column; other groupings sum the latest period only, so that
    /// periods are never added up.
    pub period: bool,
}

/// The rows of `table` in its latest period, by `period` (the period column), when it has one.
fn latest_period(table: &DataFrame, period: Option<&str>) -> PolarsResult<DataFrame> {
    let Some(column) = period.and_then(|p| table.column(p).ok()) else {
        return Ok(table.clone());
    };
    let text = column.cast(&DataType::String)?;
    let text = text.str()?;
    let Some(latest) = text.iter().flatten().max().map(str::to_owned) else {
        return Ok(table.clone());
    };
    let mask: BooleanChunked = text.iter().map(|v| Some(v == Some(latest.as_str()))).collect();
    table.filter(&mask)
}

/// The sums of `measure` per value of the first of `by` that has enough values.
fn sums_of(table: &DataFrame, measure: &str, by: &[Grouping]) -> PolarsResult<Option<Sums>> {
    if table.column(measure).is_err() {
        return Ok(None);
    }
    let period = by.iter().find(|g| g.period).map(|g| g.column.as_str());
    let latest = latest_period(table, period)?;
    for (i, grouping) in by.iter().enumerate() {
        let rows = if grouping.period { table } else { &latest };
        let (Ok(column), Ok(measure)) = (rows.column(&grouping.column), rows.column(measure)) else {
            continue;
        };
        let values = measure.cast(&DataType::Float64)?;
        let keys = column.cast(&DataType::String)?;
        let mut sums: BTreeMap<String, f64> = BTreeMap::new();
        for (key, value) in keys.str()?.iter().zip(values.f64()?.iter()) {
            if let (Some(key), Some(value)) = (key, value) {
                *sums.entry(key.to_owned()).or_default() += value;
            }
        }
        if sums.len() >= grouping.at_least.max(2) {
            return Ok(Some(Sums {
                by: i,
                sums: sums.into_iter().collect(),
            }));
        }
    }
    Ok(None)
}

/// `table` without the row number column the row queries add.
fn without_row_ids(table: &DataFrame) -> DataFrame {
    table.drop(crate::datastore::ROW_ID).unwrap_or_else(|_| table.clone())
}

impl DataCenter {
    /// The sums of numeric column `measure` of published `release` per value of the first
    /// grouping of `by` with enough values; `None` when none makes a chart.
    pub async fn release_sums(&self, release: &ReleaseRecord, measure: &str, by: &[Grouping]) -> Result<Option<Sums>> {
        let table = self.published_table(release).await?;
        let (measure, by) = (measure.to_owned(), by.to_vec());
        crate::datastore::blocking(release, move || sums_of(&table, &measure, &by)).await
    }

    /// The changes of published `after` against published `before` (the whole tables; every
    /// row added without one), rows matched by `key` when both have its columns; at most
    /// `limit` rows of each kind listed.
    pub async fn release_changes(
        &self,
        before: Option<&ReleaseRecord>,
        after: &ReleaseRecord,
        key: &[String],
        limit: u64,
    ) -> Result<TableDiff> {
        let old = match before {
            Some(before) => Some(self.published_table(before).await?),
            None => None,
        };
        let new = self.published_table(after).await?;
        let key = key.to_vec();
        crate::datastore::blocking(after, move || {
            let old = old.map(|t| without_row_ids(&t));
            diff::compare(old.as_ref(), &without_row_ids(&new), &key, limit)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_grouping_with_enough_values_sums_the_latest_period() {
        let t = df!(
            "tahun" => ["2024", "2025", "2025", "2025"],
            "kelurahan" => ["a", "a", "b", "a"],
            "jumlah" => [100i64, 10, 5, 7],
        )
        .unwrap();
        let by = |at_least| {
            vec![
                Grouping {
                    column: "tahun".into(),
                    at_least,
                    period: true,
                },
                Grouping {
                    column: "kelurahan".into(),
                    at_least: 2,
                    period: false,
                },
            ]
        };
        let over_time = sums_of(&t, "jumlah", &by(2)).unwrap().unwrap();
        assert_eq!(over_time.by, 0);
        assert_eq!(over_time.sums, [("2024".to_owned(), 100.0), ("2025".to_owned(), 22.0)]);
        // Two years are too few for a time chart: by kelurahan, 2025 only (2024's 100 left out).
        let by_place = sums_of(&t, "jumlah", &by(3)).unwrap().unwrap();
        assert_eq!(by_place.by, 1);
        assert_eq!(by_place.sums, [("a".to_owned(), 17.0), ("b".to_owned(), 5.0)]);
        assert_eq!(sums_of(&t, "tidak-ada", &by(2)).unwrap(), None);
    }
}
