//! `satudata serve`: the HTTP API over an existing data directory, until Ctrl+C or SIGTERM.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use satudata_core::Lang;
use satudata_core::messages::render;
use satudata_server::{AppState, Config, LogFormat};

/// Options of `satudata serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Alamat yang didengarkan / address to listen on (port 0 picks a free one).
    #[arg(long, env = "SATUDATA_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// URL publik server, untuk tautan absolut / the server's public URL, for absolute links
    /// (`https://data.example.go.id`); without it links are paths.
    #[arg(long, env = "SATUDATA_PUBLIC_URL")]
    public_url: Option<String>,
    /// Bentuk baris log / log line format: plain, json.
    #[arg(long, env = "SATUDATA_LOG_FORMAT", default_value = "plain", value_parser = parse_log_format)]
    log_format: LogFormat,
    /// Pekerja tugas di dalam server / job workers inside the server (0: none; run `satudata
    /// worker` processes instead).
    #[arg(long, env = "SATUDATA_WORKERS", default_value_t = 1, value_parser = clap::value_parser!(u16).range(0..=64))]
    workers: u16,
    /// Ukuran unggahan terbesar dalam bita / the largest upload, in bytes (1 GiB by default).
    #[arg(long, env = "SATUDATA_UPLOAD_LIMIT", default_value_t = 1024 * 1024 * 1024, value_parser = clap::value_parser!(u64).range(1..))]
    upload_limit: u64,
    /// Asal yang boleh membaca rute publik dari peramban / origins whose scripts may read the
    /// public routes (comma-separated, `*` for any).
    #[arg(
        long = "cors-origins",
        env = "SATUDATA_CORS_ORIGINS",
        default_value = "*",
        value_delimiter = ','
    )]
    cors_origins: Vec<String>,
}

fn parse_log_format(s: &str) -> Result<LogFormat, String> {
    match s {
        "plain" => Ok(LogFormat::Plain),
        "json" => Ok(LogFormat::Json),
        other => Err(format!(
            "bentuk log tidak dikenal / unknown log format: {other} (plain, json)"
        )),
    }
}

/// Opens the data directory, binds, says where it serves and how to stop, and serves.
pub async fn run(data_dir: &Path, database: Option<&str>, args: ServeArgs, lang: Lang) -> Result<ExitCode> {
    satudata_server::init_logging(args.log_format);
    let center = satudata_workflow::DataCenter::open_with_database(data_dir, database)
        .await?
        .with_publish_pause(crate::review::test_publish_pause());
    let config = Config {
        listen: args.listen,
        public_url: args.public_url,
        log_format: args.log_format,
        upload_limit: args.upload_limit,
        cors_origins: args.cors_origins,
        ..Config::default()
    };
    let state = AppState::new(center, config.clone());
    let workers = spawn_workers(&state, args.workers);
    let server = satudata_server::bind(state).await?;
    let address = server.local_addr()?;
    let url = config
        .public_url
        .as_deref()
        .map(|u| u.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| format!("http://{address}"));
    say!("{}", render(lang, "cli.serve-listening", &[("url", &url)]));
    say!("{}", render(lang, "cli.serve-stop", &[]));
    server.run().await?;
    for worker in workers {
        // A worker finishes the job in hand, then stops on the same signal.
        let _ = worker.await;
    }
    Ok(ExitCode::SUCCESS)
}

/// Starts `count` job workers over the server's data center, each stopping on SIGINT/SIGTERM.
pub fn spawn_workers(state: &AppState, count: u16) -> Vec<tokio::task::JoinHandle<()>> {
    satudata_server::spawn_workers(state, count, &crate::review::default_worker_name())
}
