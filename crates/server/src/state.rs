//! What every handler shares: the data center, the configuration and the metrics.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use satudata_workflow::DataCenter;
use serde::Deserialize;

use crate::metrics::Metrics;
use crate::request_id::IdMaker;

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event.
    #[default]
    Plain,
    /// One JSON object per event (for log collectors).
    Json,
}

/// The server's configuration (the binary fills it from flags and `SATUDATA_*` variables).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// The URL clients reach the server at (`https://data.example.go.id`), for absolute links;
    /// without it links are paths.
    pub public_url: Option<String>,
    /// Longest time a handler may take before its response starts, in seconds.
    pub request_timeout_secs: u64,
    /// Largest JSON request body, in bytes.
    pub json_body_limit: usize,
    /// Largest body of a reference document import (`PUT /code-lists/{id}`,
    /// `/master-data/{id}`, CSV or JSON), in bytes.
    pub reference_body_limit: usize,
    /// Log line format.
    pub log_format: LogFormat,
    /// Largest upload of a submission's file (`POST /datasets/{name}/submissions`), in bytes.
    pub upload_limit: u64,
    /// The origins whose scripts may read the public routes (`*`: any).
    pub cors_origins: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            request_timeout_secs: 30,
            json_body_limit: 1024 * 1024,
            reference_body_limit: 64 * 1024 * 1024,
            log_format: LogFormat::Plain,
            upload_limit: 1024 * 1024 * 1024,
            cors_origins: vec!["*".into()],
        }
    }
}

impl Config {
    /// The request timeout.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }
}

/// The state handlers receive; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    center: DataCenter,
    config: Config,
    metrics: Arc<Metrics>,
    ids: Arc<IdMaker>,
    manifests: ManifestMemo,
}

/// The manifests read, by release folder: a release's files are never rewritten, so its
/// manifest, once read, is the same for good. At most [`ManifestMemo::MAX`] are held.
#[derive(Debug, Default)]
pub(crate) struct ManifestMemo(std::sync::Mutex<std::collections::HashMap<String, Arc<satudata_core::Manifest>>>);

impl ManifestMemo {
    const MAX: usize = 20_000;

    pub fn get(&self, path: &str) -> Option<Arc<satudata_core::Manifest>> {
        self.0.lock().ok()?.get(path).cloned()
    }

    pub fn keep(&self, path: &str, manifest: Arc<satudata_core::Manifest>) {
        if let Ok(mut held) = self.0.lock() {
            if held.len() >= Self::MAX {
                held.clear();
            }
            held.insert(path.to_owned(), manifest);
        }
    }
}

impl AppState {
    /// State over an opened data center.
    pub fn new(center: DataCenter, mut config: Config) -> Self {
        if let Some(url) = &mut config.public_url {
            while url.ends_with('/') {
                url.pop();
            }
        }
        AppState {
            inner: Arc::new(Inner {
                center,
                config,
                metrics: Arc::new(Metrics::default()),
                ids: Arc::new(IdMaker::new()),
                manifests: ManifestMemo::default(),
            }),
        }
    }

    /// The data center.
    pub fn center(&self) -> &DataCenter {
        &self.inner.center
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The metrics registry (register gauges and histograms here).
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.inner.metrics
    }

    pub(crate) fn ids(&self) -> &Arc<IdMaker> {
        &self.inner.ids
    }

    pub(crate) fn manifests(&self) -> &ManifestMemo {
        &self.inner.manifests
    }
}
