//! The walidata process over the catalog: submission, ingest, validate, review, publish.
//!
//! This is the one place where the stages meet storage. A [`DataCenter`] is a data directory
//! (catalog database, object store, signing key). A PD's file for a dataset and period is
//! received (`receive`: the original kept), validated (`validate_submission`: read with
//! [`satudata_ingest`], checked with the dataset's metadata by [`satudata_validate`], the report
//! stored), reviewed by the walidata daerah, consented by its PD, and published as release
//! `v{N+1}` ([`satudata_publish`], `publish_submission`: files first, catalog row last), each step
//! a `lifecycle` transition that `access::decide` allows (the `flow` module). [`DataCenter::submit`]
//! runs the steps a recurring feed takes in one process.
//!
//! ```no_run
//! # async fn demo() -> satudata_workflow::Result<()> {
//! use std::path::Path;
//! use satudata_workflow::{DataCenter, Pipeline};
//! let dc = DataCenter::init(Path::new("satudata-data")).await?;
//! dc.load_region(Path::new("sample_data"), "admin").await?;
//! let produsen = satudata_core::access::Actor::user(
//!     "produsen-disdukcapil",
//!     satudata_core::access::Role::Produsen,
//!     Some("disdukcapil"),
//! );
//! let pipeline = Pipeline::read(Path::new("pipelines/penduduk-kelurahan-2024.toml"))?;
//! let outcome = dc.run_pipeline(&pipeline, &produsen).await?;
//! println!("{:?}", outcome.decision);
//! # Ok(()) }
//! ```

pub mod datastore;
pub mod diff;
mod flow;
mod frictionless;
mod handoff;
mod localize;
mod pipeline;
mod publishing;
mod region;
mod series;
mod summaries;
mod tables;
mod wilayah;
mod worker;

use std::io::Read;
use std::path::{Path, PathBuf};

use satudata_catalog::{Catalog, Store};
use satudata_core::access::Actor;
use satudata_core::lifecycle::SubmissionState;
use satudata_core::{
    CodeList, Coverage, DataStandard, DatasetMetadata, Finding, FindingCode, Frequency, MasterData, Period, Report,
    ReportBuilder, StatusKerahasiaan,
};
use satudata_ingest::IngestOptions;
use satudata_publish::Signer;
use satudata_validate::{Context, MetadataStandard, TextTable, Validator};

pub use diff::Diff;
pub use flow::{DatasetView, PUBLISH_JOB, Received, UploadedFile, VALIDATE_JOB, publish_job_key, validate_job_key};
pub use frictionless::{TableReport, check_descriptor};
pub use localize::{InputProblem, PipelineProblem};
pub use pipeline::{Pipeline, Source};
pub use region::Region;
pub use summaries::{Grouping, Sums};
pub use wilayah::{BUNDLED_ATTRIBUTION, WilayahCounts, bundled_wilayah, read_wilayah, region_name};
pub use worker::WorkerOptions;

/// The metadata standard every dataset's metadata is checked against.
pub const DATASET_SCHEMA: &str = include_str!("../../../schemas/dataset.schema.json");

/// How many findings a report lists by default (all are counted).
pub const DEFAULT_REPORT_LIMIT: u64 = 1000;

/// Errors that stop the process (bad data is a finding, not an error).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The data directory has not been initialised.
    #[error("{0} is not a satudata data directory (run `satudata init` first)")]
    NotInitialized(PathBuf),
    /// A file could not be read or written.
    #[error("{path}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A reference document is malformed.
    #[error("{path}")]
    Document {
        /// The file.
        path: PathBuf,
        /// The problem.
        source: satudata_core::Error,
    },
    /// An input file (a descriptor, a region-code file) cannot be used as it is.
    #[error("{path}: {detail}")]
    Input {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: InputProblem,
    },
    /// A folder to load is missing or holds none of a region folder's documents.
    #[error(
        "{0} is not a region folder: it has none of organizations.json, code_lists/, master_data/, standards/, datasets/"
    )]
    NotRegion(PathBuf),
    /// A pipeline file is malformed.
    #[error("pipeline {path}: {detail}")]
    Pipeline {
        /// The file.
        path: PathBuf,
        /// The problem.
        detail: PipelineProblem,
    },
    /// An ingest option is wrong.
    #[error(transparent)]
    Options(#[from] satudata_ingest::Error),
    /// The catalog or store failed.
    #[error(transparent)]
    Catalog(#[from] satudata_catalog::Error),
    /// A check could not run.
    #[error(transparent)]
    Validate(#[from] satudata_validate::Error),
    /// A release could not be built.
    #[error(transparent)]
    Publish(#[from] satudata_publish::Error),
    /// A submission's period is not a period, or not one the dataset's frequency allows:
    /// refused before anything is read or stored.
    #[error("{0}")]
    Period(satudata_core::PeriodError),
    /// A release's table cannot be read back, or its rows cannot be merged with a submission's
    /// (a column whose values do not fit the type a newer standard gives it).
    #[error("release v{version} of {dataset} cannot be read or merged")]
    ReleaseTable {
        /// Dataset name.
        dataset: String,
        /// Release number.
        version: u32,
        /// Polars' error.
        source: polars::prelude::PolarsError,
    },
    /// No submission with this id is kept in the store.
    #[error("there is no submission {0}")]
    UnknownSubmission(i64),
    /// The access rules refuse the action (401, 403, or 404 for what the actor may not see).
    #[error("refused: {0:?}")]
    Denied(satudata_core::access::Decision),
    /// A pipeline names no account, or one that does not exist or is locked.
    #[error("account {0:?} cannot submit")]
    Account(Option<String>),
    /// A job of a kind no worker knows.
    #[error("unknown job kind {0}")]
    UnknownJob(String),
    /// A submission's stored file cannot be read into a table any more.
    #[error("submission {0} cannot be read into a table")]
    Unreadable(i64),
}

/// Result with the workflow [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What happened to a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Published as a new release.
    Published {
        /// Release number.
        version: u32,
        /// Release folder in the store.
        path: String,
    },
    /// Valid, but identical in content to the latest release: nothing new published.
    Unchanged {
        /// The latest release's number.
        version: u32,
    },
    /// Refused: the report has errors.
    Rejected,
    /// Valid, and waiting: for the walidata daerah's review (`needs_review`), or, approved, for
    /// the owning PD's consent.
    Waiting {
        /// Where it stands.
        state: SubmissionState,
    },
}

/// The outcome of one submission.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Dataset name.
    pub dataset: String,
    /// Organization slug.
    pub organization: String,
    /// Period.
    pub period: String,
    /// Submission id in the catalog.
    pub submission_id: i64,
    /// The report.
    pub report: Report,
    /// Where the report is kept in the store.
    pub report_path: String,
    /// What was decided.
    pub decision: Decision,
}

/// Counts of what [`DataCenter::load_region`] read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadSummary {
    /// Organizations.
    pub organizations: usize,
    /// Code lists.
    pub code_lists: usize,
    /// Master data.
    pub master_data: usize,
    /// Data standards.
    pub standards: usize,
    /// Datasets.
    pub datasets: usize,
}

/// A file submitted for a dataset and period.
#[derive(Debug, Clone)]
pub struct Submission<'a> {
    /// Dataset name.
    pub dataset: &'a str,
    /// Period the data covers.
    pub period: &'a str,
    /// Original file name.
    pub file_name: &'a str,
    /// The file's bytes.
    pub bytes: &'a [u8],
    /// How to read it.
    pub options: IngestOptions,
    /// Who submits it.
    pub actor: &'a Actor,
}

const CATALOG_FILE: &str = "catalog.db";
const STORE_DIR: &str = "store";
const KEY_FILE: &str = "keys/kenirsangkalan.key";
const PUBLIC_KEY_FILE: &str = "keys/kenirsangkalan.pub";

/// A data center: catalog, store and signing key under one data directory.
#[derive(Debug)]
pub struct DataCenter {
    dir: PathBuf,
    catalog: Catalog,
    store: Store,
    signer: Signer,
    metadata_standard: MetadataStandard,
    report_limit: u64,
    limits: satudata_ingest::Limits,
    pause: Option<std::time::Duration>,
    handoff: handoff::Handoff,
    tables: datastore::KeptTables,
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn write_secret(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(io(path))?;
    file.write_all(text.as_bytes()).map_err(io(path))?;
    file.sync_all().map_err(io(path))
}

/// The metadata standard, compiled.
pub fn metadata_standard() -> Result<MetadataStandard> {
    let schema: serde_json::Value =
        serde_json::from_str(DATASET_SCHEMA).map_err(|e| satudata_validate::Error::Schema(e.to_string()))?;
    Ok(MetadataStandard::new(&schema)?)
}

/// A pipeline's `sheet` and `header_row` are for workbooks: on other content they are a mistake
/// in the pipeline, said before anything is stored, not silently ignored.
fn workbook_options_fit(pipeline: &Pipeline, options: &IngestOptions, bytes: &[u8]) -> Result<()> {
    let option = match (&options.sheet, options.header_row) {
        (Some(_), _) => "sheet",
        (None, Some(_)) => "header_row",
        (None, None) => return Ok(()),
    };
    let kind = options.kind.unwrap_or_else(|| satudata_ingest::FileKind::sniff(bytes));
    if kind.is_workbook() {
        return Ok(());
    }
    let source = &pipeline.source;
    let path = match (&source.path, &source.url) {
        (Some(path), _) => path.clone(),
        (None, url) => PathBuf::from(url.as_deref().unwrap_or(&pipeline.dataset)),
    };
    Err(Error::Pipeline {
        path,
        detail: PipelineProblem::WorkbookOption {
            option,
            kind: kind.as_str(),
        },
    })
}

/// The metadata a release carries: the dataset's metadata with the standard's columns.
pub fn release_metadata(metadata: &DatasetMetadata, standard: &DataStandard) -> serde_json::Value {
    let mut value = metadata.to_value();
    if let Some(map) = value.as_object_mut() {
        map.insert(
            "columns".into(),
            serde_json::to_value(&standard.kolom).unwrap_or_default(),
        );
    }
    value
}

/// What a submission is about, for the checks that depend on it.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// The producing PD's region (`61.71`): region codes outside it are `region-scope-error`.
    pub region: Option<String>,
    /// The submission's period (`2024`): rows about another period are `period-error`.
    pub period: Option<String>,
    /// The dataset's status kerahasiaan: personal data is warned about in open datasets.
    pub status: Option<StatusKerahasiaan>,
}

/// How a file is checked, beyond what it is checked against.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// Findings listed in the report (all are counted).
    pub limit: u64,
    /// Keep the typed table (for publishing); otherwise each batch's is dropped once checked.
    pub keep_table: bool,
    /// Bytes the whole-table checks may hold before spilling to temporary files
    /// ([`satudata_validate::DEFAULT_MEMORY_BUDGET`] when `None`).
    pub memory_budget: Option<usize>,
}

impl CheckOptions {
    /// Lists up to `limit` findings and drops the typed table.
    pub fn report_only(limit: u64) -> Self {
        CheckOptions {
            limit,
            keep_table: false,
            memory_budget: None,
        }
    }
}

/// Reads a file and checks it against a standard: the pure part of a submission.
///
/// The file is read batch by batch, so memory stays bounded whatever its size. A file that
/// cannot be read gives a report with `encoding-error` or `format-error`.
pub fn check_file(
    input: impl Read + Send,
    options: &IngestOptions,
    standard: &DataStandard,
    code_lists: &[CodeList],
    master_data: &[MasterData],
    scope: &Scope,
    check: CheckOptions,
) -> Result<(Report, Option<polars::prelude::DataFrame>)> {
    let mut context = Context::new(standard, code_lists, master_data)?.with_limit(check.limit);
    if let Some(region) = &scope.region {
        context = context.with_region_scope(region);
    }
    if let Some(period) = &scope.period {
        context = context.with_period(Period::parse(period, None).map_err(Error::Period)?);
    }
    if let Some(status) = scope.status {
        context = context.with_status(status);
    }
    if let Some(budget) = check.memory_budget {
        context = context.with_memory_budget(budget);
    }
    check_stream(input, options, &context, check.keep_table)
}

/// Reads a file batch by batch and checks it against a prepared context.
pub(crate) fn check_stream(
    input: impl Read + Send,
    options: &IngestOptions,
    context: &Context<'_>,
    keep_table: bool,
) -> Result<(Report, Option<polars::prelude::DataFrame>)> {
    let limit = context.limit();
    let about = |format: Option<&satudata_ingest::Format>| report_context(options, context.standard(), format);
    let mut batches = match satudata_ingest::open(input, options) {
        Ok(b) => b,
        Err(e) => return Ok((unreadable(&e, limit).about(about(None)), None)),
    };
    let mut validator = Validator::with_label_groups(context, batches.labels(), batches.label_groups(), keep_table);
    // What reading found (a misnamed file, rows left out, oversized cells) joins the report.
    let mut notes = ReportBuilder::new(limit);
    for note in batches.take_notes() {
        notes.push(note);
    }
    let mut next = batches.next_batch();
    loop {
        let mut batch = match next {
            Ok(Some(batch)) => batch,
            Ok(None) => break,
            // A file that stops being readable part-way is unreadable as a whole.
            Err(e) => return Ok((unreadable(&e, limit).about(about(Some(batches.format()))), None)),
        };
        for note in std::mem::take(&mut batch.notes) {
            notes.push(note);
        }
        // The next batch is read and split while this one is checked.
        let (checked, following) = rayon::join(
            || as_text_table(&batch, |text| validator.push(text)),
            || batches.next_batch(),
        );
        checked?;
        next = following;
    }
    let validated = validator.finish()?;
    let report = validated
        .report
        .merge(notes.finish(0))
        .about(about(Some(batches.format())));
    Ok((report, validated.table))
}

/// What a report is about: the file's name, the sheet read and the standard with its version.
fn report_context(
    options: &IngestOptions,
    standard: &DataStandard,
    format: Option<&satudata_ingest::Format>,
) -> satudata_core::ReportContext {
    satudata_core::ReportContext {
        file: options.file_name.clone(),
        sheet: match format {
            Some(satudata_ingest::Format::Workbook { sheet, .. }) => Some(sheet.clone()),
            _ => None,
        },
        standard: Some(standard.id.clone()),
        standard_version: Some(standard.versi.clone()).filter(|v| !v.is_empty()),
        checked_at: None,
    }
}

/// Lends a table that has been read to the validate stage, which knows nothing of ingest.
pub(crate) fn as_text_table<T>(table: &satudata_ingest::Table, f: impl FnOnce(TextTable<'_>) -> T) -> T {
    let ragged: Vec<(u64, usize)> = table.ragged.iter().map(|r| (r.row, r.cells)).collect();
    f(TextTable {
        labels: &table.labels,
        groups: &table.label_groups,
        data: &table.data,
        row_numbers: &table.row_numbers,
        ragged: &ragged,
        row_prints: Some(&table.row_prints),
    })
}

/// The catalog at `database_url`, or the data directory's SQLite file.
async fn open_catalog(dir: &Path, database_url: Option<&str>) -> Result<Catalog> {
    Ok(match database_url {
        Some(url) => Catalog::connect(url).await?,
        None => Catalog::open_sqlite(&dir.join(CATALOG_FILE)).await?,
    })
}

/// The report of a file that cannot be read: one finding phrased by the ingest error itself.
pub(crate) fn unreadable(error: &satudata_ingest::Error, limit: u64) -> Report {
    use satudata_core::{Lang, Localize};
    use satudata_ingest::Error as E;
    let code = match error {
        E::Encoding { .. } => FindingCode::EncodingError,
        E::Sheet { .. } | E::Fetch { .. } | E::Read(_) => FindingCode::SourceError,
        _ => FindingCode::FormatError,
    };
    let mut finding = Finding::new(code);
    if let E::Encoding { line, .. } = error {
        finding.row = *line;
    }
    finding.message_id = error.localize(Lang::Id);
    finding.message_en = error.localize(Lang::En);
    let mut report = ReportBuilder::new(limit);
    report.push(finding);
    report.finish(0)
}

impl DataCenter {
    /// Creates the data directory (catalog, store, signing key) if needed and opens it.
    /// An existing key is kept.
    pub async fn init(dir: &Path) -> Result<Self> {
        Self::init_with_database(dir, None).await
    }

    /// Like [`DataCenter::init`], with the catalog in the database at `database_url`
    /// (`postgres://…`, `sqlite:/path/katalog.db`) instead of the data directory's SQLite file.
    pub async fn init_with_database(dir: &Path, database_url: Option<&str>) -> Result<Self> {
        std::fs::create_dir_all(dir.join("keys")).map_err(io(dir))?;
        let key_path = dir.join(KEY_FILE);
        if !key_path.exists() {
            let signer = Signer::generate()?;
            write_secret(&key_path, &signer.secret_hex())?;
            let public = dir.join(PUBLIC_KEY_FILE);
            std::fs::write(&public, format!("{}\n", signer.public_key_hex())).map_err(io(&public))?;
        }
        let catalog = open_catalog(dir, database_url).await?;
        Store::local(&dir.join(STORE_DIR))?;
        Self::assemble(dir, catalog).await
    }

    /// Opens an initialised data directory.
    pub async fn open(dir: &Path) -> Result<Self> {
        Self::open_with_database(dir, None).await
    }

    /// Opens an initialised data directory whose catalog is in the database at `database_url`
    /// (the data directory's SQLite file when `None`).
    pub async fn open_with_database(dir: &Path, database_url: Option<&str>) -> Result<Self> {
        let initialised = dir.join(KEY_FILE).exists() && (database_url.is_some() || dir.join(CATALOG_FILE).exists());
        if !initialised {
            return Err(Error::NotInitialized(dir.to_path_buf()));
        }
        let catalog = open_catalog(dir, database_url).await?;
        Self::assemble(dir, catalog).await
    }

    async fn assemble(dir: &Path, catalog: Catalog) -> Result<Self> {
        let key_path = dir.join(KEY_FILE);
        let secret = std::fs::read_to_string(&key_path).map_err(io(&key_path))?;
        Ok(DataCenter {
            dir: dir.to_path_buf(),
            catalog,
            store: Store::local(&dir.join(STORE_DIR))?,
            signer: Signer::from_secret_hex(&secret)?,
            metadata_standard: metadata_standard()?,
            report_limit: DEFAULT_REPORT_LIMIT,
            limits: satudata_ingest::Limits::default(),
            pause: None,
            handoff: handoff::Handoff::default(),
            tables: datastore::KeptTables::default(),
        })
    }

    /// Reads every submission within `limits` (a pipeline's `[source.limits]` may change them).
    pub fn with_limits(mut self, limits: satudata_ingest::Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Makes every publish wait `pause` after its files are written and before its catalog row
    /// is committed: a test-only pause point, for killing a process in the middle of a publish.
    pub fn with_publish_pause(mut self, pause: Option<std::time::Duration>) -> Self {
        self.pause = pause;
        self
    }

    /// Lists at most `limit` findings per report.
    pub fn with_report_limit(mut self, limit: u64) -> Self {
        self.report_limit = limit;
        self
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The object store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Hex of the data center's public key.
    pub fn public_key_hex(&self) -> String {
        self.signer.public_key_hex()
    }

    /// Path of the public key file.
    pub fn public_key_path(&self) -> PathBuf {
        self.dir.join(PUBLIC_KEY_FILE)
    }

    /// Loads (adds or updates) every document of a region folder into the catalog.
    pub async fn load_region(&self, dir: &Path, actor: &str) -> Result<LoadSummary> {
        let region = Region::read(dir)?;
        for org in &region.organizations {
            self.catalog.put_organization(org, actor).await?;
        }
        for list in &region.code_lists {
            self.catalog.put_code_list(list, actor).await?;
        }
        for data in &region.master_data {
            self.catalog.put_master_data(data, actor).await?;
        }
        for standard in &region.standards {
            self.catalog.put_standard(standard, actor).await?;
        }
        for dataset in &region.datasets {
            self.catalog.put_dataset(dataset, actor).await?;
        }
        Ok(LoadSummary {
            organizations: region.organizations.len(),
            code_lists: region.code_lists.len(),
            master_data: region.master_data.len(),
            standards: region.standards.len(),
            datasets: region.datasets.len(),
        })
    }

    /// Imports the Kemendagri region codes of a folder, or the whole country's bundled with the
    /// binary when `dir` is `None`, as the code list `id`.
    pub async fn import_wilayah(&self, dir: Option<&Path>, id: &str, actor: &str) -> Result<WilayahCounts> {
        let (list, counts) = match dir {
            Some(dir) => read_wilayah(dir, id)?,
            None => bundled_wilayah(id)?,
        };
        self.catalog.put_code_list(&list, actor).await?;
        Ok(counts)
    }

    /// The code lists and master data of the catalog: what submissions are checked against.
    pub async fn references(&self) -> Result<Region> {
        Ok(Region {
            code_lists: self.catalog.code_lists().await?,
            master_data: self.catalog.master_data().await?,
            ..Region::default()
        })
    }

    /// Runs a pipeline: reads its source file and submits it as `actor`.
    pub async fn run_pipeline(&self, pipeline: &Pipeline, actor: &Actor) -> Result<Outcome> {
        // A period the dataset cannot have stops the pipeline before its source is fetched.
        self.period(&pipeline.dataset, &pipeline.period).await?;
        let source = &pipeline.source;
        let (bytes, file_name) = match (&source.path, &source.url) {
            (Some(path), _) => {
                let bytes = std::fs::read(path).map_err(io(path))?;
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                (bytes, name.unwrap_or_else(|| "data.csv".into()))
            }
            (None, Some(url)) => {
                let defaults = satudata_ingest::FetchLimits::default();
                let limits = satudata_ingest::FetchLimits {
                    timeout: source
                        .timeout_seconds
                        .map_or(defaults.timeout, std::time::Duration::from_secs),
                    max_bytes: source.max_bytes.unwrap_or(defaults.max_bytes),
                };
                let bytes = satudata_ingest::fetch(url, &limits).await?;
                let name = url.rsplit('/').next().filter(|n| !n.is_empty() && !n.contains('?'));
                (bytes, name.unwrap_or("data").to_owned())
            }
            (None, None) => {
                return Err(Error::Pipeline {
                    path: PathBuf::from(&pipeline.dataset),
                    detail: PipelineProblem::SourceCount,
                });
            }
        };
        let mut options = IngestOptions::default();
        if let Some(e) = &pipeline.source.encoding {
            options = options.with_encoding_name(e)?;
        }
        if let Some(d) = &pipeline.source.delimiter {
            options = options.with_delimiter_name(d)?;
        }
        if let Some(f) = &pipeline.source.format {
            options = options.with_kind_name(f)?;
        }
        options.sheet = pipeline.source.sheet.clone();
        options.header_row = pipeline.source.header_row;
        options.limits = pipeline.source.limits.apply(self.limits);
        workbook_options_fit(pipeline, &options, &bytes)?;
        self.submit(Submission {
            dataset: &pipeline.dataset,
            period: &pipeline.period,
            file_name: &file_name,
            bytes: &bytes,
            options,
            actor,
        })
        .await
    }

    /// The period `text` of a submission for `dataset`, as the dataset's `frequency` allows.
    pub async fn period(&self, dataset: &str, text: &str) -> Result<Period> {
        period_for(&self.catalog.dataset(dataset).await?, text)
    }

    /// Reads and checks a submission's bytes against its dataset's metadata and standard: the
    /// report and, with `keep_table`, the typed table (with every column).
    pub(crate) async fn check_submission(
        &self,
        metadata: &DatasetMetadata,
        standard: &DataStandard,
        bytes: &[u8],
        options: IngestOptions,
        period: &str,
        keep_table: bool,
    ) -> Result<(Report, Option<polars::prelude::DataFrame>)> {
        let metadata_report = self
            .metadata_standard
            .check(&release_metadata(metadata, standard), self.report_limit);
        let code_lists = self.catalog.code_lists().await?;
        let master_data = self.catalog.master_data().await?;
        let scope = Scope {
            region: Some(self.catalog.organization(&metadata.organization).await?.kode_wilayah),
            period: Some(period.to_owned()),
            status: Some(metadata.status_kerahasiaan()),
        };
        let (data_report, table) = check_file(
            bytes,
            &options,
            standard,
            &code_lists,
            &master_data,
            &scope,
            CheckOptions {
                keep_table,
                ..CheckOptions::report_only(self.report_limit)
            },
        )?;
        Ok((metadata_report.merge(data_report).checked_now(), table))
    }

    /// Takes a submission through receiving and validation in this process, and publishes it
    /// when the dataset's recorded switches approve it and give the PD's consent (what `satudata
    /// run` does for a recurring feed); otherwise it waits for the walidata daerah.
    ///
    /// When the dataset's standard has a period column, the release is the latest release's
    /// rows of the other periods plus the submission's (see the `series` module); otherwise the
    /// submission replaces the dataset whole.
    pub async fn submit(&self, s: Submission<'_>) -> Result<Outcome> {
        let received = self.receive(s).await?;
        let id = received.id;
        let (record, report) = self.validate_with_report(id).await?;
        let decision = match record.state {
            SubmissionState::Invalid => Decision::Rejected,
            SubmissionState::Approved if record.consent_by.is_some() => {
                self.publish_submission(id, &Actor::System).await?
            }
            state => Decision::Waiting { state },
        };
        Ok(Outcome {
            dataset: record.dataset.clone(),
            organization: record.organization.clone(),
            period: record.period.clone(),
            submission_id: id,
            report_path: format!("reports/{}/{}/{id}.json", record.organization, record.dataset),
            report,
            decision,
        })
    }
}

/// Reads a submission's period as the dataset's `frequency` allows (any kind when it names none).
pub(crate) fn period_for(metadata: &DatasetMetadata, text: &str) -> Result<Period> {
    let frequency = metadata.text("frequency").and_then(Frequency::from_word);
    Period::parse(text, frequency).map_err(Error::Period)
}

/// The days a release covers: those of its rows' periods (the standard's `kolom_periode`)
/// within the submission's period, or the submission's period when rows name none. A row of
/// the year 2024 in a submission for 2024-03 covers 2024-03.
pub(crate) fn release_coverage(
    table: &polars::prelude::DataFrame,
    standard: &DataStandard,
    period: &Period,
) -> Result<Coverage> {
    let rows = match &standard.kolom_periode {
        Some(field) => satudata_validate::coverage(table, field)?,
        None => None,
    };
    let whole = Coverage::of(period);
    Ok(rows.map_or(whole, |c| c.within(&whole)))
}

/// A file name safe to use as one path segment.
pub(crate) fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches('.');
    if trimmed.is_empty() {
        "data".into()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_metadata_standard_compiles() {
        metadata_standard().unwrap();
    }

    #[test]
    fn a_release_covers_its_rows_within_its_period() {
        use polars::prelude::*;
        let standard = DataStandard::from_json(
            br#"{"id":"s","nama":"S","kolom_periode":"bulan","kolom":[{"nama":"bulan","tipe_data":"yearmonth"}]}"#,
        )
        .unwrap();
        let table = df!("bulan" => [Some("2024-02"), None, Some("2024-05")]).unwrap();
        let coverage = |p: &str| release_coverage(&table, &standard, &Period::parse(p, None).unwrap()).unwrap();
        assert_eq!(coverage("2024").texts(), ("2024-02".into(), "2024-05".into()));
        // A row about a longer period than the submission's covers the submission's period only.
        let yearly = df!("bulan" => ["2024"]).unwrap();
        let q1 = Period::parse("2024-Q1", None).unwrap();
        assert_eq!(
            release_coverage(&yearly, &standard, &q1).unwrap().texts(),
            ("2024-01".into(), "2024-03".into())
        );
        let mut no_period = standard.clone();
        no_period.kolom_periode = None;
        let c = release_coverage(&table, &no_period, &Period::parse("2025", None).unwrap()).unwrap();
        assert_eq!(c.texts(), ("2025".into(), "2025".into()));
    }

    #[test]
    fn file_names_cannot_escape() {
        assert_eq!(safe_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_name("Data Penduduk 2024.csv"), "Data_Penduduk_2024.csv");
        assert_eq!(safe_name(""), "data");
    }
}
