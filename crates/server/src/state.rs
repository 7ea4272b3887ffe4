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
    portal: PortalMemo,
}

/// Values computed once and kept, by key: what a release's files give (its manifest, its
/// chart, its changes) is the same for good, as a release is never rewritten. At most
/// [`Memo::MAX`] are held; past that the memo starts over.
#[derive(Debug)]
pub(crate) struct Memo<T>(std::sync::Mutex<std::collections::HashMap<String, Arc<T>>>);

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo(std::sync::Mutex::default())
    }
}

impl<T> Memo<T> {
    const MAX: usize = 20_000;

    pub fn get(&self, key: &str) -> Option<Arc<T>> {
        self.0.lock().ok()?.get(key).cloned()
    }

    pub fn keep(&self, key: &str, value: Arc<T>) {
        if let Ok(mut held) = self.0.lock() {
            if held.len() >= Self::MAX {
                held.clear();
            }
            held.insert(key.to_owned(), value);
        }
    }
}

/// The manifests read, by release folder.
pub(crate) type ManifestMemo = Memo<satudata_core::Manifest>;

/// What the portal pages computed from releases' files, by release folder (pairs for changes).
#[derive(Debug, Default)]
pub(crate) struct PortalMemo {
    /// A release's chart, or `None` when its data suits none.
    pub charts: Memo<Option<satudata_portal::chart::Chart>>,
    /// A release's changes against the one before it.
    pub changes: Memo<satudata_portal::view::Changes>,
    /// A release's first rows.
    pub previews: Memo<satudata_portal::view::Preview>,
    /// Data standards, by id and version (a standard's content changes with its version).
    pub standards: Memo<satudata_core::DataStandard>,
    /// Code lists as columns show them, by id, with when they were read: kept a minute, as a
    /// code list's edit moves no version a page could compare.
    pub code_lists: Memo<(std::time::Instant, satudata_portal::view::Codes)>,
    /// The changes being computed, so that one is computed once.
    pub computing: std::sync::Mutex<std::collections::HashSet<String>>,
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
                portal: PortalMemo::default(),
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

    pub(crate) fn portal(&self) -> &PortalMemo {
        &self.inner.portal
    }
}
