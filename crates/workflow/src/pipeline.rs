//! Pipeline definitions: where a submission comes from and which dataset it feeds.
//!
//! ```toml
//! dataset = "kunjungan-puskesmas"
//! period = "2024"
//! [source]
//! path = "../sample_data/submissions/kunjungan-puskesmas-2024.csv"   # relative to this file
//! encoding = "windows-1252"   # optional, sniffed when absent
//! delimiter = ";"             # optional, sniffed when absent
//! # format = "xlsx"           # optional: csv, xlsx, json, parquet; sniffed when absent
//! # sheet = "Penduduk"        # optional: the workbook's first sheet when absent
//! # header_row = 4            # optional: found below any title block when absent
//! [source.limits]             # optional: bounds on what the file may hold
//! # max_rows = 1000000        # data rows (100,000,000 by default)
//! # max_cell_bytes = 65536    # bytes in one cell (1 MiB by default)
//! ```
//!
//! Instead of `path`, `url = "https://…"` fetches the file when the pipeline runs
//! (`timeout_seconds`, default 60; `max_bytes`, default 512 MiB; certificates always verified).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::{Error, PipelineProblem, Result};

/// A pipeline as written in its TOML file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    /// Dataset the submission is for.
    pub dataset: String,
    /// Period the data covers.
    pub period: String,
    /// The account the submission is made as (a produsen of the dataset's PD, or an admin);
    /// `satudata run --as` names it when the file does not.
    #[serde(default, alias = "actor")]
    pub account: Option<String>,
    /// Where the data comes from.
    pub source: Source,
}

/// The file a pipeline reads: a local path or a URL.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Path of the file, relative to the pipeline file.
    #[serde(default)]
    pub path: Option<PathBuf>,
    /// URL of the file (http or https), fetched when the pipeline runs.
    #[serde(default)]
    pub url: Option<String>,
    /// Longest time to fetch `url`, in seconds (60 when absent).
    #[serde(default)]
    pub timeout_seconds: Option<u64>,
    /// Largest body `url` may return, in bytes (512 MiB when absent).
    #[serde(default)]
    pub max_bytes: Option<u64>,
    /// Text encoding, or `auto`.
    #[serde(default)]
    pub encoding: Option<String>,
    /// Delimiter, or `auto`.
    #[serde(default)]
    pub delimiter: Option<String>,
    /// File kind (`csv`, `xlsx`, `json`, `parquet`), or `auto`.
    #[serde(default)]
    pub format: Option<String>,
    /// Workbook sheet (the first when absent).
    #[serde(default)]
    pub sheet: Option<String>,
    /// Sheet row where the header starts, its first row when it spans several (found by
    /// looking when absent).
    #[serde(default)]
    pub header_row: Option<u64>,
    /// Limits that differ, for this source, from the data center's.
    #[serde(default)]
    pub limits: satudata_ingest::LimitOverrides,
}

impl Pipeline {
    /// Reads a pipeline file and resolves its source path against the file's folder.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut pipeline: Pipeline = toml::from_str(&text).map_err(|e| Error::Pipeline {
            path: path.to_path_buf(),
            detail: PipelineProblem::syntax(&text, &e),
        })?;
        match (&pipeline.source.path, &pipeline.source.url) {
            (Some(_), Some(_)) | (None, None) => {
                return Err(Error::Pipeline {
                    path: path.to_path_buf(),
                    detail: PipelineProblem::SourceCount,
                });
            }
            _ => {}
        }
        if pipeline.source.header_row == Some(0) {
            return Err(Error::Pipeline {
                path: path.to_path_buf(),
                detail: PipelineProblem::HeaderRowZero,
            });
        }
        if let Some(source) = &pipeline.source.path
            && source.is_relative()
        {
            let base = path.parent().unwrap_or(Path::new("."));
            pipeline.source.path = Some(base.join(source));
        }
        Ok(pipeline)
    }
}
