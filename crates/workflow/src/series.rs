//! A dataset as a series over periods: what the next release holds.
//!
//! When the dataset's standard names a period column (`kolom_periode`), a submission for period
//! P replaces the rows of P and keeps the others: the next release is the latest release's rows
//! whose period is not inside P, plus the submission's rows (which validation holds to P), ordered
//! by period and then by primary key so that equal content always gives equal files. The older
//! rows come from the latest release's full table (every column, withheld ones too: see
//! [`crate::DataCenter`]'s `internal/` copy), aligned with the new table's columns: a column a
//! newer standard adds is empty in older rows, a column it removed is dropped. A standard
//! without a period column replaces the dataset whole.
//!
//! A row whose period cell is empty or no period belongs to no period: no submission replaces it,
//! so it stays in every later release (validation of Satu Data standards makes the period column
//! required in practice).

use polars::prelude::*;
use satudata_core::{Coverage, DataStandard, Period};

/// The table of the next release and the periods it covers.
#[derive(Debug, Clone)]
pub(crate) struct NextTable {
    /// Every row of the next release, with every column of the standard (none withheld yet).
    pub table: DataFrame,
    /// The periods the rows name, canonical and in time order; the submission's alone when rows
    /// name none.
    pub periods: Vec<Period>,
    /// The days the release covers.
    pub coverage: Coverage,
}

impl NextTable {
    /// The canonical texts of [`NextTable::periods`].
    pub fn period_texts(&self) -> Vec<String> {
        self.periods.iter().map(Period::to_string).collect()
    }
}

/// The periods the cells of column `field` name, row by row (`None` for an empty cell or one
/// that is no period). Years, `YYYY-MM` and dates are read as the cast writes them; a date-time
/// as its date.
pub(crate) fn row_periods(table: &DataFrame, field: &str) -> PolarsResult<Vec<Option<Period>>> {
    let column = table.column(field)?;
    let series = column.as_materialized_series();
    let series = match series.dtype() {
        DataType::Datetime(..) => series.cast(&DataType::Date),
        _ => Ok(series.clone()),
    }
    .and_then(|s| s.cast(&DataType::String))?;
    let texts = series.str()?;
    // Rows repeat their period: the last text read is kept with its period.
    let mut last: Option<(&str, Option<Period>)> = None;
    Ok(texts
        .iter()
        .map(|value| {
            let value = value?;
            match last {
                Some((text, period)) if text == value => period,
                _ => {
                    let period = Period::parse(value, None).ok();
                    last = Some((value, period));
                    period
                }
            }
        })
        .collect())
}

/// The rows of `table` whose period lies inside `period` (every row when the standard has no
/// period column).
pub(crate) fn rows_within(table: &DataFrame, standard: &DataStandard, period: &Period) -> PolarsResult<DataFrame> {
    let Some(field) = standard.kolom_periode.as_deref().filter(|f| table.column(f).is_ok()) else {
        return Ok(table.clone());
    };
    let inside: BooleanChunked = row_periods(table, field)?
        .iter()
        .map(|p| p.is_some_and(|p| period.contains(&p)))
        .collect();
    table.filter(&inside)
}

/// `older` with the columns of `like`, in its order: a missing column is empty, a column `like`
/// lacks is dropped, and a column of another type is cast to `like`'s (refused when a value does
/// not fit, rather than lost).
pub(crate) fn align(older: &DataFrame, like: &DataFrame) -> PolarsResult<DataFrame> {
    let columns = like
        .columns()
        .iter()
        .map(|wanted| match older.column(wanted.name()) {
            Ok(c) if c.dtype() == wanted.dtype() => Ok(c.clone()),
            Ok(c) => c.strict_cast(wanted.dtype()),
            Err(_) => Ok(Column::full_null(wanted.name().clone(), older.height(), wanted.dtype())),
        })
        .collect::<PolarsResult<Vec<Column>>>()?;
    DataFrame::new(older.height(), columns)
}

/// The next release's table: the submission's rows for `period` over the latest release's
/// (`previous`, every column) of the other periods; the submission's alone for a standard with
/// no period column or a first release. `new_coverage` is the span the submission's own rows
/// cover (clipped to its period).
pub(crate) fn next_table(
    previous: Option<&DataFrame>,
    new: DataFrame,
    standard: &DataStandard,
    period: &Period,
    new_coverage: Coverage,
) -> PolarsResult<NextTable> {
    let Some(field) = standard.kolom_periode.as_deref().filter(|f| new.column(f).is_ok()) else {
        return Ok(NextTable {
            table: new,
            periods: vec![*period],
            coverage: new_coverage,
        });
    };
    // The span covers the older rows' periods as they are and the submission's rows clipped to
    // its period.
    let mut coverage = new_coverage;
    let mut table = match previous {
        Some(previous) => {
            let older = align(previous, &new)?;
            let periods = row_periods(&older, field)?;
            let kept: BooleanChunked = periods
                .iter()
                .map(|p| !p.is_some_and(|p| period.contains(&p)))
                .collect();
            for p in periods.iter().flatten().filter(|p| !period.contains(p)) {
                coverage.include(p);
            }
            let mut older = older.filter(&kept)?;
            older.vstack_mut_owned(new)?;
            older
        }
        None => new,
    };
    let mut by: Vec<&str> = vec![field];
    by.extend(
        standard
            .kunci_utama
            .iter()
            .map(String::as_str)
            .filter(|k| *k != field && table.column(k).is_ok()),
    );
    table = table.sort(
        by,
        SortMultipleOptions::default()
            .with_maintain_order(true)
            .with_nulls_last(true),
    )?;
    table.rechunk_mut();

    let mut periods: Vec<Period> = row_periods(&table, field)?.into_iter().flatten().collect();
    periods.sort_by_key(|p| (p.start(), std::cmp::Reverse(p.end())));
    periods.dedup();
    if periods.is_empty() {
        periods.push(*period);
    }
    Ok(NextTable {
        table,
        periods,
        coverage,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standard(key: &[&str]) -> DataStandard {
        let mut s = DataStandard::from_json(
            br#"{"id":"s","nama":"S","kolom_periode":"tahun","kolom":[{"nama":"tahun","tipe_data":"year"},{"nama":"kode","tipe_data":"string"},{"nama":"n","tipe_data":"integer"}]}"#,
        )
        .unwrap();
        s.kunci_utama = key.iter().map(|k| (*k).to_owned()).collect();
        s
    }

    fn p(text: &str) -> Period {
        Period::parse(text, None).unwrap()
    }

    #[test]
    fn a_period_replaces_its_rows_and_keeps_the_others_in_order() {
        let previous = df!("tahun" => [2025i32, 2024, 2024], "kode" => ["a", "b", "a"], "n" => [5i64, 2, 1]).unwrap();
        let new = df!("tahun" => [2024i32, 2024], "kode" => ["b", "a"], "n" => [20i64, 10]).unwrap();
        let next = next_table(
            Some(&previous),
            new,
            &standard(&["tahun", "kode"]),
            &p("2024"),
            Coverage::of(&p("2024")),
        )
        .unwrap();
        let expected = df!("tahun" => [2024i32, 2024, 2025], "kode" => ["a", "b", "a"], "n" => [10i64, 20, 5]).unwrap();
        assert!(next.table.equals_missing(&expected), "{}", next.table);
        assert_eq!(next.period_texts(), ["2024", "2025"]);
        assert_eq!(next.coverage.texts(), ("2024".into(), "2025".into()));
    }

    #[test]
    fn older_rows_follow_the_new_columns() {
        // The older release has a column the standard dropped and lacks one it added.
        let previous = df!("tahun" => [2023i32], "lama" => ["x"], "kode" => ["a"]).unwrap();
        let new = df!("tahun" => [2024i32], "kode" => ["a"], "n" => [1i64]).unwrap();
        let next = next_table(
            Some(&previous),
            new,
            &standard(&[]),
            &p("2024"),
            Coverage::of(&p("2024")),
        )
        .unwrap();
        let names: Vec<&str> = next.table.get_column_names().iter().map(|n| n.as_str()).collect();
        assert_eq!(names, ["tahun", "kode", "n"]);
        assert_eq!(next.table.column("n").unwrap().null_count(), 1);
        assert_eq!(next.period_texts(), ["2023", "2024"]);
    }

    #[test]
    fn without_a_period_column_the_submission_is_the_release() {
        let mut s = standard(&[]);
        s.kolom_periode = None;
        let previous = df!("tahun" => [2023i32], "kode" => ["a"], "n" => [1i64]).unwrap();
        let new = df!("tahun" => [2024i32, 2022], "kode" => ["b", "c"], "n" => [2i64, 3]).unwrap();
        let next = next_table(Some(&previous), new.clone(), &s, &p("2024"), Coverage::of(&p("2024"))).unwrap();
        assert!(next.table.equals_missing(&new));
        assert_eq!(next.period_texts(), ["2024"]);
    }

    #[test]
    fn a_month_replaces_only_its_own_rows() {
        let s = DataStandard::from_json(
            br#"{"id":"s","nama":"S","kolom_periode":"bulan","kolom":[{"nama":"bulan","tipe_data":"yearmonth"},{"nama":"n","tipe_data":"integer"}]}"#,
        )
        .unwrap();
        let previous = df!("bulan" => ["2024-01", "2024-02", "2024"], "n" => [1i64, 2, 3]).unwrap();
        let new = df!("bulan" => ["2024-02"], "n" => [20i64]).unwrap();
        let within = rows_within(&previous, &s, &p("2024-02")).unwrap();
        assert_eq!(within.height(), 1);
        let next = next_table(Some(&previous), new, &s, &p("2024-02"), Coverage::of(&p("2024-02"))).unwrap();
        // The year row is around the month, not inside it: it stays.
        let expected = df!("bulan" => ["2024", "2024-01", "2024-02"], "n" => [3i64, 1, 20]).unwrap();
        assert!(next.table.equals_missing(&expected), "{}", next.table);
        assert_eq!(next.period_texts(), ["2024", "2024-01", "2024-02"]);
    }

    #[test]
    fn a_value_that_does_not_fit_the_new_type_is_refused() {
        let previous = df!("tahun" => ["dua ribu"]).unwrap();
        let new = df!("tahun" => [2024i32]).unwrap();
        assert!(align(&previous, &new).is_err());
    }
}
