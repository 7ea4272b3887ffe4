//! `satudata worker` and `satudata dataset ...`: the job worker, and the two recorded switches
//! of a recurring feed (a verifier's automatic approval, the PD's standing consent).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};
use satudata_core::access::Actor;
use satudata_core::{Lang, StatusKerahasiaan, messages::render};
use satudata_workflow::{DataCenter, WorkerOptions};

/// `satudata worker`.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Nama pekerja dalam antrean / the worker's name in the queue (default: host and process id).
    #[arg(long, env = "SATUDATA_WORKER_NAME")]
    pub name: Option<String>,
    /// Jalankan tugas yang ada lalu berhenti / run the jobs there are, then stop.
    #[arg(long)]
    pub once: bool,
    /// Lama sewa tugas dalam detik / seconds a claimed job is held without a heartbeat.
    #[arg(long, env = "SATUDATA_JOB_LEASE", default_value_t = 60, value_parser = clap::value_parser!(u64).range(3..=3600))]
    pub lease: u64,
}

/// `satudata dataset ...`.
#[derive(Debug, Subcommand)]
pub enum DatasetCommand {
    /// Setujui otomatis pengajuan yang valid (keputusan walidata) / approve valid submissions
    /// automatically (a verifier's recorded decision).
    AutoApprove {
        /// Dataset name.
        dataset: String,
        /// Status kerahasiaan they are approved with.
        #[arg(long, value_parser = crate::parse_status, required_unless_present = "off")]
        status: Option<StatusKerahasiaan>,
        /// Switch it off.
        #[arg(long, conflicts_with = "status")]
        off: bool,
        /// The verifier's account.
        #[arg(long = "as", env = "SATUDATA_ACCOUNT")]
        account: String,
    },
    /// Persetujuan tetap PD untuk menerbitkan pengajuan yang disetujui / the PD's standing
    /// consent to publish approved submissions.
    Consent {
        /// Dataset name.
        dataset: String,
        /// Take it back.
        #[arg(long)]
        off: bool,
        /// The PD's produsen account.
        #[arg(long = "as", env = "SATUDATA_ACCOUNT")]
        account: String,
    },
}

/// The actor of account `name`: it must exist and not be locked.
pub async fn account(dc: &DataCenter, name: Option<&str>) -> Result<Actor> {
    let Some(name) = name else {
        return Err(satudata_workflow::Error::Account(None).into());
    };
    match dc.catalog().user_by_name(name).await? {
        Some(user) if !user.locked => Ok(user.actor()),
        _ => Err(satudata_workflow::Error::Account(Some(name.to_owned())).into()),
    }
}

/// Runs `satudata dataset ...`.
pub async fn dataset(dc: &DataCenter, command: DatasetCommand, lang: Lang) -> Result<ExitCode> {
    let line = match command {
        DatasetCommand::AutoApprove {
            dataset,
            status,
            off,
            account: name,
        } => {
            let actor = account(dc, Some(&name)).await?;
            let status = if off { None } else { status };
            dc.set_auto_approve(&dataset, status, &actor).await?;
            let line = match status {
                Some(s) => render(
                    lang,
                    "cli.auto-approve-on",
                    &[("dataset", &dataset), ("status", &s.to_string())],
                ),
                None => render(lang, "cli.auto-approve-off", &[("dataset", &dataset)]),
            };
            line
        }
        DatasetCommand::Consent {
            dataset,
            off,
            account: name,
        } => {
            let actor = account(dc, Some(&name)).await?;
            dc.set_standing_consent(&dataset, !off, &actor).await?;
            let key = if off { "cli.consent-off" } else { "cli.consent-on" };
            render(lang, key, &[("dataset", &dataset), ("account", &name)])
        }
    };
    say!("{line}");
    Ok(ExitCode::SUCCESS)
}

/// Runs `satudata worker` until SIGINT/SIGTERM (or, with `--once`, until the queue is empty).
pub async fn worker(data_dir: &Path, database: Option<&str>, args: WorkerArgs, lang: Lang) -> Result<ExitCode> {
    satudata_server::init_logging(satudata_server::LogFormat::Plain);
    let dc = crate::open(data_dir, database).await?;
    let name = args.name.unwrap_or_else(default_worker_name);
    let mut options = WorkerOptions::named(&name);
    options.lease = std::time::Duration::from_secs(args.lease);
    if args.once {
        let ran = dc.drain(&options).await?;
        say!("{}", render(lang, "cli.worker-drained", &[("count", &ran.to_string())]));
        return Ok(ExitCode::SUCCESS);
    }
    say!("{}", render(lang, "cli.worker-started", &[("name", &name)]));
    dc.work(&options, satudata_server::shutdown_signal()).await?;
    say!("{}", render(lang, "cli.worker-stopped", &[("name", &name)]));
    Ok(ExitCode::SUCCESS)
}

/// `{host}-{pid}`: unique among the workers of one catalog.
pub fn default_worker_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "worker".into());
    format!("{host}-{}", std::process::id())
}
