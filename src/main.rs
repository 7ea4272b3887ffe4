//! `satudata`: the command line of the Satu Data system.
//!
//! Parses the command line, loads configuration (flags, `SATUDATA_*` environment variables and
//! the configuration file, see [`config`]), and calls the workflow. Exit codes: 0 ok, 1 invalid
//! data, 2 usage or I/O error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::LazyLock;

mod errors;

use anyhow::{Result, bail};
use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand, ValueEnum};
use satudata_core::frictionless::Checklist;
use satudata_core::{DataStandard, Lang, Localize as _, StatusKerahasiaan, messages::render};
use satudata_ingest::IngestOptions;
use satudata_workflow::{DataCenter, Decision, Outcome, Pipeline, Region, Scope};

use crate::errors::{Explain as _, Failure};

// Validation allocates many small strings and large growing buffers; mimalloc measured faster
// than the system allocator on the 1M-row reference file (docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Writes a line to stdout; a closed pipe (`satudata validate … | head`) ends the program quietly.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

/// Writes text to stdout, like [`say!`] without the newline.
macro_rules! put {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod accounts;
mod args;
mod config;
mod demo;
mod references;
mod review;
mod serve;
mod story;
mod verify;

/// `satudata --version`: the version, and the attribution the bundled region list asks for.
static LONG_VERSION: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{}\n\n{}",
        env!("CARGO_PKG_VERSION"),
        satudata_workflow::BUNDLED_ATTRIBUTION
    )
});

/// Satu Data: verifikasi, terbitkan, dan bagikan data Perangkat Daerah.
/// (Satu Data: verify, publish and share the data of regional agencies.)
#[derive(Debug, Parser)]
#[command(name = "satudata", version, long_version = LONG_VERSION.as_str(), about, long_about = None)]
struct Cli {
    /// Direktori data (katalog, berkas, kunci) / data directory (catalog, files, keys).
    #[arg(long, global = true, env = "SATUDATA_DATA_DIR", default_value = "satudata-data")]
    data_dir: PathBuf,
    /// URL basis data katalog / catalog database URL: `postgres://user@host/db` or
    /// `sqlite:/path/katalog.db` [default: the SQLite file in the data directory].
    #[arg(long, global = true, env = "SATUDATA_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Bahasa keluaran / output language: id, en.
    #[arg(long, global = true, env = "SATUDATA_LANG", default_value = "id", value_parser = parse_lang)]
    lang: Lang,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(subcommand)]
    command: Command,
}

/// Batas isi satu berkas / bounds on what one input file may hold (defaults in the README).
#[derive(Debug, Clone, Copy, clap::Args)]
struct LimitArgs {
    /// Baris data paling banyak / most data rows in one file [default: 100000000].
    #[arg(long, global = true, env = "SATUDATA_MAX_ROWS")]
    max_rows: Option<u64>,
    /// Kolom paling banyak / most columns [default: 16384].
    #[arg(long, global = true, env = "SATUDATA_MAX_COLUMNS")]
    max_columns: Option<usize>,
    /// Bita paling banyak dalam satu sel / most bytes in one cell [default: 1048576].
    #[arg(long, global = true, env = "SATUDATA_MAX_CELL_BYTES")]
    max_cell_bytes: Option<usize>,
    /// Sel terisi paling banyak dalam satu lembar kerja / most filled cells in one sheet
    /// [default: 10000000].
    #[arg(long, global = true, env = "SATUDATA_MAX_SHEET_CELLS")]
    max_sheet_cells: Option<u64>,
    /// Bita paling banyak satu bagian arsip setelah dikembangkan / most inflated bytes of one
    /// archive part [default: 268435456].
    #[arg(long, global = true, env = "SATUDATA_MAX_PART_BYTES")]
    max_part_bytes: Option<u64>,
    /// Rasio kembang paling besar / largest inflated-to-stored ratio of one archive part
    /// [default: 100].
    #[arg(long, global = true, env = "SATUDATA_MAX_INFLATE_RATIO")]
    max_inflate_ratio: Option<u64>,
}

impl LimitArgs {
    fn limits(&self) -> satudata_ingest::Limits {
        satudata_ingest::LimitOverrides {
            max_rows: self.max_rows,
            max_columns: self.max_columns,
            max_cell_bytes: self.max_cell_bytes,
            max_sheet_cells: self.max_sheet_cells,
            max_part_bytes: self.max_part_bytes,
            max_inflate_ratio: self.max_inflate_ratio,
        }
        .apply(satudata_ingest::Limits::default())
    }
}

fn parse_status(s: &str) -> Result<StatusKerahasiaan, String> {
    s.parse()
        .map_err(|_| format!("status tidak dikenal / unknown status: {s} (terbuka, terbatas, rahasia)"))
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
        .map_err(|_| format!("bahasa tidak dikenal / unknown language: {s} (id, en)"))
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    /// A standalone HTML page.
    Html,
    /// The listed findings as CSV, one a line (row, column letter, label, field, code, …).
    Csv,
}

// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum Command {
    /// Siapkan direktori data dan kunci tanda tangan / create the data directory and signing key.
    Init {
        /// Muat juga kode wilayah seluruh Indonesia yang dibawa program / also load the whole
        /// country's region codes that come with the program (code list wilayah-indonesia).
        #[arg(long)]
        wilayah: bool,
    },
    /// Muat PD, kode referensi, data induk, standar, dan dataset dari folder / load a region folder.
    Load {
        /// Folder with organizations.json, code_lists/, master_data/, standards/, datasets/.
        folder: PathBuf,
    },
    /// Jalankan demo: wilayah contoh dan semua pipeline contoh / run the sample region end to end.
    Demo {
        /// Region folder to load (default: ./sample_data, else the copy inside the program).
        #[arg(long)]
        sample_dir: Option<PathBuf>,
        /// Folder of pipeline files to run, in name order (default: ./pipelines, else the copy
        /// inside the program).
        #[arg(long)]
        pipelines: Option<PathBuf>,
        /// Alamat server sesudahnya / address to serve on afterwards (port 0 picks a free one).
        #[arg(long, env = "SATUDATA_LISTEN", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Berhenti sesudah cerita, tanpa server / stop after the story, without serving.
        #[arg(long)]
        no_serve: bool,
    },
    /// Periksa berkas terhadap standar data / validate a file against a data standard.
    #[command(group(clap::ArgGroup::new("against").required(true).args(["standard", "schema"])))]
    Validate {
        /// Data standard (JSON).
        #[arg(long)]
        standard: Option<PathBuf>,
        /// Frictionless descriptor instead of a standard: Table Schema, Data Resource or Data
        /// Package (a package checks all its tables, or only FILE's).
        #[arg(long)]
        schema: Option<PathBuf>,
        /// Frictionless checklist whose row-constraint checks (Python formulas such as
        /// `jumlah == laki_laki + perempuan`) every row must pass, and whose duplicate-row check
        /// reports repeated rows: a JSON file, or the JSON itself (`{"checks": [...]}`), as
        /// Frictionless takes it; with --schema or --standard.
        #[arg(long)]
        checklist: Option<PathBuf>,
        /// Folder with code_lists/ and master_data/ (default: the folder above the standard's;
        /// with an explicit --data-dir, the data directory's come first).
        #[arg(long)]
        references: Option<PathBuf>,
        /// Report format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Text encoding (auto, utf-8, windows-1252, utf-16).
        #[arg(long, default_value = "auto")]
        encoding: String,
        /// Delimiter (auto, ",", ";", tab, "|").
        #[arg(long, default_value = "auto")]
        delimiter: String,
        /// Kind of input file (auto, csv, xlsx, xls, xlsb, ods, json, parquet); auto reads the content.
        #[arg(long, default_value = "auto")]
        input_format: String,
        /// Workbook sheet to read (default: the first).
        #[arg(long)]
        sheet: Option<String>,
        /// Sheet row where the header starts, its first row when it spans several (default: found
        /// below any title block).
        #[arg(long)]
        header_row: Option<u64>,
        /// List at most this many findings (all are counted).
        #[arg(long, env = "SATUDATA_REPORT_LIMIT", default_value_t = satudata_workflow::DEFAULT_REPORT_LIMIT)]
        limit: u64,
        /// Region of the producing PD (`61.71`): region codes outside it are findings.
        #[arg(long)]
        region: Option<String>,
        /// Period the data must be about (`2024`), checked on the standard's period column.
        #[arg(long)]
        period: Option<String>,
        /// Status kerahasiaan of the dataset (terbuka, terbatas, rahasia); personal data is only
        /// reported for terbuka (the default).
        #[arg(long, default_value = "terbuka", value_parser = parse_status)]
        status: StatusKerahasiaan,
        /// The file to check (CSV/TSV, XLSX, JSON, Parquet); optional with a Data Package.
        file: Option<PathBuf>,
    },
    /// Layani API HTTP atas direktori data / serve the HTTP API over the data directory.
    Serve(serve::ServeArgs),
    /// Jalankan satu pipeline / run one pipeline.
    Run {
        /// Pipeline file (TOML).
        pipeline: PathBuf,
        /// Akun pengaju bila pipeline tidak menyebutnya / the submitting account when the
        /// pipeline names none.
        #[arg(long = "as", env = "SATUDATA_ACCOUNT")]
        account: Option<String>,
    },
    /// Proses tugas validasi dan penerbitan / process validation and publishing jobs.
    Worker(review::WorkerArgs),
    /// Sakelar dataset untuk umpan berkala / a dataset's switches for recurring feeds.
    Dataset {
        #[command(subcommand)]
        command: review::DatasetCommand,
    },
    /// Periksa keutuhan rilis dan penanda tangannya / verify a release folder's files, signature
    /// and signer.
    Verify(verify::VerifyArgs),
    /// Kode wilayah Kemendagri / Kemendagri region codes.
    Wilayah {
        #[command(subcommand)]
        command: WilayahCommand,
    },
    /// Log audit / audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Akun pengguna / user accounts.
    User {
        #[command(subcommand)]
        command: accounts::UserCommand,
    },
    /// Token API / API tokens.
    Token {
        #[command(subcommand)]
        command: accounts::TokenCommand,
    },
    /// Tampilkan konfigurasi yang berlaku dan asal tiap nilai / print the configuration in effect
    /// and where each value comes from (flag, variable, file, default).
    Config,
}

#[derive(Debug, Subcommand)]
enum WilayahCommand {
    /// Impor semua kode wilayah sebagai satu kode referensi / import every region code as one code list.
    Import {
        /// Folder with provinces.csv, regencies.csv, districts.csv, villages.csv (code, name);
        /// without it, the whole country's list that comes with the program (idn-area-data, ODbL).
        folder: Option<PathBuf>,
        /// Id of the code list to create or replace.
        #[arg(long, default_value = "wilayah-indonesia")]
        id: String,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Periksa rantai hash log audit / check the audit log's hash chain.
    Verify,
}

fn main() -> ExitCode {
    let (matches, loaded) = config::parse(Cli::command());
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let Command::Config = cli.command {
        say!("{}", config::describe(&Cli::command(), &matches, &loaded, cli.lang));
        return ExitCode::SUCCESS;
    }
    // `validate` reads the data directory's references only when it was named.
    let data_dir_named = matches.value_source("data_dir") != Some(clap::parser::ValueSource::DefaultValue);
    let lang = cli.lang;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .explain(|| Failure::new("error.cli.runtime"));
    match runtime
        .map_err(anyhow::Error::from)
        .and_then(|rt| rt.block_on(run(cli, data_dir_named)))
    {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", errors::report(&e, lang));
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli, data_dir_named: bool) -> Result<ExitCode> {
    let lang = cli.lang;
    let limits = cli.limits.limits();
    let database = cli.database_url.as_deref();
    args::check(&cli.command, lang)?;
    match cli.command {
        Command::Init { wilayah } => {
            let dc = DataCenter::init_with_database(&cli.data_dir, database).await?;
            let key = dc.public_key_hex();
            // The fingerprint is how `verify` names keys; the hex is what a trusted-keys file pins.
            let fingerprint = satudata_publish::parse_public_key(&key)
                .map(|k| satudata_publish::fingerprint(&k))
                .unwrap_or_default();
            say!(
                "{}",
                render(
                    lang,
                    "cli.init-done",
                    &[
                        ("path", &cli.data_dir.display().to_string()),
                        ("key", &key),
                        ("fingerprint", &fingerprint)
                    ]
                )
            );
            if wilayah {
                import_wilayah(&dc, None, "wilayah-indonesia", lang).await?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Load { folder } => {
            let dc = open(&cli.data_dir, database).await?;
            load(&dc, &folder, &folder, lang).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo {
            sample_dir,
            pipelines,
            listen,
            no_serve,
        } => {
            let demo = demo::Demo {
                data_dir: &cli.data_dir,
                database,
                sample: sample_dir.as_deref(),
                pipelines: pipelines.as_deref(),
                limits,
                lang,
                listen: (!no_serve).then_some(listen),
            };
            demo.run().await
        }
        Command::Validate {
            standard,
            schema,
            checklist,
            references,
            format,
            encoding,
            delimiter,
            input_format,
            sheet,
            header_row,
            limit,
            region,
            period,
            status,
            file,
        } => {
            let mut options = IngestOptions::default()
                .with_encoding_name(&encoding)?
                .with_delimiter_name(&delimiter)?
                .with_kind_name(&input_format)?;
            options.sheet = sheet;
            options.header_row = header_row;
            options.limits = limits;
            let scope = Scope {
                region,
                period,
                status: Some(status),
            };
            let checklist = match &checklist {
                Some(path) => read_checklist(path)?,
                None => Checklist::default(),
            };
            match (standard, schema) {
                (Some(standard), _) => {
                    let Some(file) = file else {
                        bail!(Failure::new("error.cli.no-file"))
                    };
                    let data_dir = Some(cli.data_dir.as_path()).filter(|d| data_dir_named && d.exists());
                    let region = references::gather(&standard, references.as_deref(), data_dir, database, lang).await?;
                    validate(
                        &standard, &checklist, &region, format, &options, &scope, limit, &file, lang,
                    )
                }
                (None, Some(schema)) => {
                    validate_descriptor(&schema, file.as_deref(), format, &options, &checklist, limit, lang)
                }
                (None, None) => bail!(Failure::new("error.cli.standard-or-schema")),
            }
        }
        Command::Run { pipeline, account } => {
            let dc = open(&cli.data_dir, database).await?.with_limits(limits);
            let pipeline = Pipeline::read(&pipeline)?;
            // The dataset and period are the pipeline's first problems, before its account.
            dc.period(&pipeline.dataset, &pipeline.period).await?;
            let actor = review::account(&dc, pipeline.account.as_deref().or(account.as_deref())).await?;
            let outcome = dc.run_pipeline(&pipeline, &actor).await?;
            print_outcome(&dc, &outcome, lang);
            Ok(if outcome.decision == Decision::Rejected {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Verify(args) => verify::run(&cli.data_dir, args, lang),
        Command::Worker(args) => review::worker(&cli.data_dir, database, args, lang).await,
        Command::Dataset { command } => {
            let dc = open(&cli.data_dir, database).await?;
            review::dataset(&dc, command, lang).await
        }
        Command::Serve(args) => serve::run(&cli.data_dir, database, args, lang).await,
        Command::Wilayah {
            command: WilayahCommand::Import { folder, id },
        } => {
            let dc = open(&cli.data_dir, database).await?;
            import_wilayah(&dc, folder.as_deref(), &id, lang).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let dc = open(&cli.data_dir, database).await?;
            match dc.catalog().verify_audit().await? {
                satudata_catalog::AuditCheck::Intact { entries } => {
                    say!("{}", render(lang, "cli.audit-ok", &[("entries", &entries.to_string())]));
                    Ok(ExitCode::SUCCESS)
                }
                satudata_catalog::AuditCheck::Broken { entry, problem } => {
                    say!(
                        "{}",
                        render(
                            lang,
                            "cli.audit-failed",
                            &[("entry", &entry.to_string()), ("detail", &problem.localize(lang))]
                        )
                    );
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::User { command } => {
            let dc = open(&cli.data_dir, database).await?;
            accounts::user(dc.catalog(), command, lang).await
        }
        Command::Token { command } => {
            let dc = open(&cli.data_dir, database).await?;
            accounts::token(dc.catalog(), command, lang).await
        }
        // Printed by `main`, which holds what the command line and the file set.
        Command::Config => Ok(ExitCode::SUCCESS),
    }
}

async fn open(dir: &Path, database: Option<&str>) -> Result<DataCenter> {
    Ok(DataCenter::open_with_database(dir, database).await?)
}

/// Imports a region-code folder, or the bundled national list, and says what it held.
async fn import_wilayah(dc: &DataCenter, folder: Option<&Path>, id: &str, lang: Lang) -> Result<()> {
    let started = std::time::Instant::now();
    let c = dc.import_wilayah(folder, id, "admin").await?;
    let seconds = format!("{:.1}", started.elapsed().as_secs_f64());
    say!(
        "{}",
        render(
            lang,
            "cli.wilayah-imported",
            &[
                ("id", id),
                ("provinsi", &c.provinsi.to_string()),
                ("kabupaten_kota", &c.kabupaten_kota.to_string()),
                ("kecamatan", &c.kecamatan.to_string()),
                ("desa_kelurahan", &c.desa_kelurahan.to_string()),
                ("seconds", &seconds),
            ],
        )
    );
    Ok(())
}

/// Loads a region folder and says what it held, naming the folder as `shown`.
async fn load(dc: &DataCenter, folder: &Path, shown: &Path, lang: Lang) -> Result<()> {
    let s = dc
        .load_region(folder, "admin")
        .await
        .explain(|| Failure::new("error.cli.load").arg("path", folder.display()))?;
    say!(
        "{}",
        render(
            lang,
            "cli.loaded",
            &[
                ("path", &shown.display().to_string()),
                ("organizations", &s.organizations.to_string()),
                ("code_lists", &s.code_lists.to_string()),
                ("master_data", &s.master_data.to_string()),
                ("standards", &s.standards.to_string()),
                ("datasets", &s.datasets.to_string()),
            ],
        )
    );
    Ok(())
}

fn store_path(dc: &DataCenter, key: &str) -> String {
    dc.store()
        .local_path(key)
        .map_or_else(|| key.to_owned(), |p| p.display().to_string())
}

fn print_outcome(dc: &DataCenter, outcome: &Outcome, lang: Lang) {
    say!(
        "{}",
        render(
            lang,
            "cli.dataset",
            &[
                ("dataset", &outcome.dataset),
                ("organization", &outcome.organization),
                ("period", &outcome.period)
            ],
        )
    );
    put!("{}", indent(&satudata_core::render::text(&outcome.report, lang, 5)));
    let line = match &outcome.decision {
        Decision::Published { version, path } => render(
            lang,
            "cli.published",
            &[("version", &format!("v{version}")), ("path", &store_path(dc, path))],
        ),
        Decision::Unchanged { version } => render(lang, "cli.unchanged", &[("version", &format!("v{version}"))]),
        Decision::Rejected => render(
            lang,
            "cli.rejected",
            &[
                ("errors", &outcome.report.errors.to_string()),
                ("path", &store_path(dc, &outcome.report_path)),
            ],
        ),
        Decision::Waiting { state } => render(
            lang,
            "cli.waiting",
            &[
                ("id", &outcome.submission_id.to_string()),
                (
                    "state",
                    &render(lang, &satudata_core::lifecycle::state_key(*state), &[]),
                ),
            ],
        ),
    };
    say!("   {line}");
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("   {l}\n")).collect()
}

/// A Frictionless checklist: its row-constraint and duplicate-row checks, to add to the standard.
fn read_checklist(path: &Path) -> Result<Checklist> {
    let inline = path.to_str().map(str::trim_start).filter(|s| s.starts_with('{'));
    let bytes = match inline {
        Some(json) => json.as_bytes().to_vec(),
        None => std::fs::read(path).explain(errors::reading(path))?,
    };
    Ok(Checklist::parse(&bytes).explain(|| Failure::new("error.cli.checklist").arg("path", path.display()))?)
}

#[allow(clippy::too_many_arguments)]
fn validate(
    standard_path: &Path,
    checklist: &Checklist,
    region: &Region,
    format: Format,
    options: &IngestOptions,
    scope: &Scope,
    limit: u64,
    file: &Path,
    lang: Lang,
) -> Result<ExitCode> {
    let bytes = std::fs::read(standard_path).explain(errors::reading(standard_path))?;
    let mut standard = DataStandard::from_json(&bytes)
        .explain(|| Failure::new("error.cli.standard").arg("path", standard_path.display()))?;
    checklist.apply(&mut standard);
    let data = std::fs::File::open(file).explain(errors::reading(file))?;
    let mut options = options.clone();
    options.file_name = file.file_name().map(|n| n.to_string_lossy().into_owned());
    let (report, _) = satudata_workflow::check_file(
        data,
        &options,
        &standard,
        &region.code_lists,
        &region.master_data,
        scope,
        satudata_workflow::CheckOptions::report_only(limit),
    )
    .explain(|| Failure::new("error.cli.check").arg("id", &standard.id))?;
    let report = report.checked_now();
    match format {
        Format::Json => say!("{}", serde_json::to_string_pretty(&report)?),
        Format::Text => put!("{}", satudata_core::render::text(&report, lang, usize::MAX)),
        Format::Csv => put!("{}", satudata_core::render::csv(&report, lang)),
        Format::Html => {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            put!(
                "{}",
                satudata_core::render::html(&report, lang, &render(lang, "html.title", &[("name", &name)]))
            )
        }
    }
    Ok(if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn validate_descriptor(
    descriptor: &Path,
    file: Option<&Path>,
    format: Format,
    options: &IngestOptions,
    checklist: &Checklist,
    limit: u64,
    lang: Lang,
) -> Result<ExitCode> {
    // The workflow's errors name the descriptor or the file themselves.
    let reports = satudata_workflow::check_descriptor(descriptor, file, options, checklist, limit)?;
    let reports: Vec<_> = reports
        .into_iter()
        .map(|mut r| {
            r.report = r.report.checked_now();
            r
        })
        .collect();
    let valid = reports.iter().all(|r| r.report.valid);
    match (format, &reports[..]) {
        (Format::Json, [one]) if file.is_some() => say!("{}", serde_json::to_string_pretty(&one.report)?),
        (Format::Html, [one]) => {
            put!(
                "{}",
                satudata_core::render::html(&one.report, lang, &render(lang, "html.title", &[("name", &one.name)]))
            )
        }
        (Format::Csv, [one]) => put!("{}", satudata_core::render::csv(&one.report, lang)),
        (Format::Html | Format::Csv, _) => {
            bail!(Failure::new("error.cli.html-one-table"))
        }
        (Format::Json, _) => {
            let tables: Vec<serde_json::Value> = reports
                .iter()
                .map(|r| serde_json::json!({"name": r.name, "path": r.path, "report": r.report}))
                .collect();
            say!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({"valid": valid, "tables": tables}))?
            );
        }
        (Format::Text, _) => {
            for r in &reports {
                if reports.len() > 1 {
                    say!("== {} ({})", r.name, r.path.display());
                }
                put!("{}", satudata_core::render::text(&r.report, lang, usize::MAX));
            }
        }
    }
    Ok(if valid { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
