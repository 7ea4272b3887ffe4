//! The tables behind releases and submissions, as the data center keeps them.
//!
//! Everything under the store's `internal/` prefix is for the data center alone: no manifest
//! lists it and no release folder holds it.
//! - `internal/datasets/{org}/{dataset}/v{N}/full.parquet`: the full table of a release that
//!   withholds columns (an open dataset's non-public MS-Var columns). The next release of a series
//!   is merged from it, so withheld columns are never lost from older periods. A release that
//!   withholds nothing has its full table in `data.parquet` and no copy.
//! - `internal/submissions/{id}.json`: how a submission was read (dataset, period, stored file,
//!   reading options), so that it can be read and checked again later, for its diff
//!   ([`DataCenter::diff_for_submission`]).

use std::io::Cursor;

use polars::prelude::*;
use satudata_catalog::ReleaseRecord;
use satudata_core::Period;
use satudata_ingest::IngestOptions;
use serde::{Deserialize, Serialize};

use crate::diff::{self, Diff};
use crate::{DataCenter, Error, Result, series};

/// Where the full table of the release in folder `release_path` is kept when it withholds columns.
pub(crate) fn full_table_key(release_path: &str) -> String {
    format!("internal/{release_path}/full.parquet")
}

/// Where the record of submission `id` is kept.
fn record_key(id: i64) -> String {
    format!("internal/submissions/{id}.json")
}

/// How a submission was read: enough to read and check it again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SubmissionRecord {
    /// Dataset name.
    pub dataset: String,
    /// Period, canonical.
    pub period: String,
    /// File name as sent.
    pub file_name: String,
    /// The stored bytes' key.
    pub source_path: String,
    /// The kind of file, when one was given (`CSV`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The encoding, when one was given (`windows-1252`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The delimiter byte, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<u8>,
    /// The workbook sheet, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The header row, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<u64>,
    /// The bounds it was read within (a pipeline's own `[source.limits]`); a record without them
    /// is read within the data center's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<KeptLimits>,
}

/// [`satudata_ingest::Limits`] as a submission's record keeps them.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(crate) struct KeptLimits {
    max_rows: u64,
    max_columns: usize,
    max_cell_bytes: usize,
    max_sheet_cells: u64,
    max_part_bytes: u64,
    max_inflate_ratio: u64,
}

impl From<satudata_ingest::Limits> for KeptLimits {
    fn from(l: satudata_ingest::Limits) -> Self {
        KeptLimits {
            max_rows: l.max_rows,
            max_columns: l.max_columns,
            max_cell_bytes: l.max_cell_bytes,
            max_sheet_cells: l.max_sheet_cells,
            max_part_bytes: l.max_part_bytes,
            max_inflate_ratio: l.max_inflate_ratio,
        }
    }
}

impl From<KeptLimits> for satudata_ingest::Limits {
    fn from(l: KeptLimits) -> Self {
        satudata_ingest::Limits {
            max_rows: l.max_rows,
            max_columns: l.max_columns,
            max_cell_bytes: l.max_cell_bytes,
            max_sheet_cells: l.max_sheet_cells,
            max_part_bytes: l.max_part_bytes,
            max_inflate_ratio: l.max_inflate_ratio,
        }
    }
}

impl SubmissionRecord {
    /// The record of a submission read with `options`.
    pub fn new(dataset: &str, period: &str, file_name: &str, source_path: &str, options: &IngestOptions) -> Self {
        SubmissionRecord {
            dataset: dataset.to_owned(),
            period: period.to_owned(),
            file_name: file_name.to_owned(),
            source_path: source_path.to_owned(),
            kind: options.kind.map(|k| k.as_str().to_owned()),
            encoding: options.encoding.map(|e| e.as_str().to_owned()),
            delimiter: options.delimiter,
            sheet: options.sheet.clone(),
            header_row: options.header_row,
            limits: Some(options.limits.into()),
        }
    }

    /// The options it was read with, within its own limits or else the data center's `limits`.
    fn options(&self, limits: satudata_ingest::Limits) -> Result<IngestOptions> {
        let mut options = IngestOptions::default();
        if let Some(kind) = &self.kind {
            options = options.with_kind_name(kind)?;
        }
        if let Some(encoding) = &self.encoding {
            options = options.with_encoding_name(encoding)?;
        }
        options.delimiter = self.delimiter;
        options.sheet = self.sheet.clone();
        options.header_row = self.header_row;
        options.limits = self.limits.map_or(limits, Into::into);
        Ok(options)
    }
}

/// A Parquet file's bytes as a table.
fn read_parquet(bytes: Vec<u8>) -> PolarsResult<DataFrame> {
    ParquetReader::new(Cursor::new(bytes)).finish()
}

impl DataCenter {
    /// Keeps how submission `id` was read, for reading it again.
    pub(crate) async fn keep_record(&self, id: i64, record: &SubmissionRecord) -> Result<()> {
        let bytes = serde_json::to_vec_pretty(record).map_err(satudata_publish::Error::Json)?;
        Ok(self.store.put(&record_key(id), bytes).await?)
    }

    /// The full table of `release` (every column, withheld ones too): its `internal/` copy when
    /// it withheld columns, else its `data.parquet`. A release published before full copies were
    /// kept falls back to `data.parquet`, whose withheld columns are then missing.
    pub async fn release_table(&self, release: &ReleaseRecord) -> Result<DataFrame> {
        let bytes = match self.store.get(&full_table_key(&release.path)).await {
            Ok(bytes) => bytes,
            Err(satudata_catalog::Error::Store(object_store::Error::NotFound { .. })) => {
                self.store.get(&format!("{}/data.parquet", release.path)).await?
            }
            Err(e) => return Err(e.into()),
        };
        read_parquet(bytes).map_err(|source| Error::ReleaseTable {
            dataset: release.dataset.clone(),
            version: release.version,
            source,
        })
    }

    /// The diff of `table` (what a submission for `period` would publish, with every column)
    /// against `base`, the release it would follow (`None` before the first), within `period`.
    pub async fn diff_against(
        &self,
        dataset: &str,
        table: &DataFrame,
        period: &Period,
        base: Option<&ReleaseRecord>,
    ) -> Result<Diff> {
        let metadata = self.catalog.dataset(dataset).await?;
        let standard = self.catalog.standard(&metadata.standard).await?;
        let before = match base {
            Some(release) => {
                let full = self.release_table(release).await?;
                let within = series::rows_within(&full, &standard, period).map_err(|source| Error::ReleaseTable {
                    dataset: dataset.to_owned(),
                    version: release.version,
                    source,
                })?;
                Some(within)
            }
            None => None,
        };
        let changes = diff::compare(before.as_ref(), table, &standard.kunci_utama, self.report_limit)
            .map_err(satudata_publish::Error::Write)?;
        let whole = standard.kolom_periode.is_none();
        Ok(Diff {
            dataset: dataset.to_owned(),
            period: if whole { String::new() } else { period.to_string() },
            base_version: base.map(|r| r.version),
            changes,
        })
    }

    /// The diff of `table` against the latest release of `dataset`, within `period`.
    pub async fn diff(&self, dataset: &str, table: &DataFrame, period: &Period) -> Result<Diff> {
        let latest = self.catalog.latest_release(dataset).await?;
        self.diff_against(dataset, table, period, latest.as_ref()).await
    }

    /// The record of how submission `id` was read.
    async fn submission_record(&self, id: i64) -> Result<SubmissionRecord> {
        match self.store.get(&record_key(id)).await {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|_| Error::UnknownSubmission(id)),
            Err(satudata_catalog::Error::Store(object_store::Error::NotFound { .. })) => {
                Err(Error::UnknownSubmission(id))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Reads submission `id`'s stored file again, as it was first read, and checks it: the
    /// report, and, with `keep_table`, the typed table (with every column) when it is valid enough
    /// to build one (validation needs only the report; publishing and the diff the table).
    pub(crate) async fn recheck(&self, id: i64, keep_table: bool) -> Result<Checked> {
        let record = self.submission_record(id).await?;
        let metadata = self.catalog.dataset(&record.dataset).await?;
        let period = crate::period_for(&metadata, &record.period)?;
        let standard = match self.catalog.standard(&metadata.standard).await {
            Ok(standard) => standard,
            Err(satudata_catalog::Error::NotFound { .. }) => {
                let report = self.no_standard_report(&metadata);
                return Ok(Checked {
                    metadata,
                    standard: None,
                    period,
                    report,
                    table: None,
                });
            }
            Err(e) => return Err(e.into()),
        };
        let bytes = self.store.get(&record.source_path).await?;
        let mut options = record.options(self.limits)?;
        options.file_name = Some(record.file_name.clone());
        let (report, table) = self
            .check_submission(&metadata, &standard, &bytes, options, &period.to_string(), keep_table)
            .await?;
        Ok(Checked {
            metadata,
            standard: Some(standard),
            period,
            report,
            table,
        })
    }

    /// The diff of submission `id`: its stored file read and checked again, against the release
    /// it follows (the latest served release, or the one before the release it made when it was
    /// published).
    pub async fn diff_for_submission(&self, id: i64) -> Result<Diff> {
        let checked = self.recheck(id, true).await?;
        let table = checked.table.ok_or(Error::Unreadable(id))?;
        let dataset = checked.metadata.name.clone();
        let releases = self.catalog.releases(&dataset).await?;
        let withdrawn = self.catalog.withdrawn_versions(&dataset).await?;
        let made = releases.iter().find(|r| r.submission_id == id).map(|r| r.version);
        let base = releases
            .iter()
            .rev()
            .filter(|r| !withdrawn.contains(&r.version))
            .find(|r| made.is_none_or(|v| r.version < v));
        self.diff_against(&dataset, &table, &checked.period, base).await
    }
}

/// A submission read and checked again.
pub(crate) struct Checked {
    /// Its dataset's metadata.
    pub metadata: satudata_core::DatasetMetadata,
    /// The dataset's standard, when it exists.
    pub standard: Option<satudata_core::DataStandard>,
    /// The submission's period.
    pub period: Period,
    /// The report.
    pub report: satudata_core::Report,
    /// The typed table, when one could be built.
    pub table: Option<DataFrame>,
}
