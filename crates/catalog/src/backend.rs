//! Which database the catalog is on, and how a URL becomes a pool.
//!
//! The catalog speaks to both databases through sqlx's `Any` driver, so every query is written
//! once: `$N` placeholders (SQLite binds `$N` by its number, as PostgreSQL does), TEXT
//! timestamps in one fixed-width RFC 3339 form (they compare as text), BIGINT ids and integer
//! flags. What differs is only here and in the two migration folders: SQLite's connection
//! pragmas and PostgreSQL's locks.

use std::path::Path;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, ConnectOptions, Executor};

use crate::{Error, Result};

/// The database behind a [`crate::Catalog`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// A SQLite file: the embedded default, in the data directory.
    Sqlite,
    /// A PostgreSQL database, shared by any number of servers and workers.
    Postgres,
}

impl Backend {
    /// The backend a database URL names, if the catalog runs on it.
    pub fn of_url(url: &str) -> Option<Backend> {
        let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase())?;
        match scheme.as_str() {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" | "postgresql" => Some(Backend::Postgres),
            _ => None,
        }
    }

    /// Its name as people read it.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// Connections a pool holds at most. SQLite writes one at a time anyway; PostgreSQL serves
/// several servers and workers, each with its own pool.
const SQLITE_CONNECTIONS: u32 = 4;
const POSTGRES_CONNECTIONS: u32 = 8;

/// How long a SQLite connection waits for another's write lock before failing.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 10_000;

/// The `sqlite:` URL of the catalog file at `path`.
pub(crate) fn sqlite_url(path: &Path) -> String {
    SqliteConnectOptions::new().filename(path).to_url_lossy().to_string()
}

/// `url` without a password, for error messages.
pub(crate) fn redacted(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme, rest)), Some(at)) if at > scheme.len() + 3 => {
            let userinfo = &rest[..at - scheme.len() - 3];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{}", &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// Opens a pool on `url`. A SQLite file is created if missing and put in WAL mode, with
/// foreign keys on and a busy timeout on every connection.
pub(crate) async fn connect(url: &str) -> Result<(AnyPool, Backend)> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of_url(url).ok_or_else(|| Error::UnsupportedUrl { url: redacted(url) })?;
    let pool = match backend {
        Backend::Sqlite => {
            // Through SQLite's own options, so that `mode=rwc` (create if missing) is added to a
            // plain `sqlite:/path` and the file name is encoded once.
            // The path is made absolute first: the URL form would read a relative path's
            // first segment as a host name.
            let sqlite: SqliteConnectOptions = url.parse()?;
            let file = std::path::absolute(sqlite.get_filename()).map_err(|source| Error::Io {
                path: sqlite.get_filename().display().to_string(),
                source,
            })?;
            let sqlite = sqlite.filename(file).create_if_missing(true).to_url_lossy();
            let options = AnyConnectOptions::from_url(&sqlite)?;
            let pool = AnyPoolOptions::new()
                .max_connections(SQLITE_CONNECTIONS)
                // A connection to a local file does not go stale, and the test before each
                // acquire is one more round trip to the connection's thread: a third of the
                // server's read time under load (docs/BENCHMARKS.md, read latency).
                .test_before_acquire(false)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        // Foreign keys are on by sqlx's SQLite default; the timeout is ours.
                        conn.execute(format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}").as_str())
                            .await?;
                        Ok(())
                    })
                })
                .connect_with(options)
                .await?;
            // Readers never wait for the writer. The mode is kept in the file.
            pool.execute("PRAGMA journal_mode = WAL").await?;
            pool
        }
        Backend::Postgres => {
            AnyPoolOptions::new()
                .max_connections(POSTGRES_CONNECTIONS)
                .acquire_timeout(Duration::from_secs(30))
                .connect(url)
                .await?
        }
    };
    Ok((pool, backend))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_backend() {
        assert_eq!(Backend::of_url("sqlite:/data/katalog.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::of_url("sqlite://katalog.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::of_url("postgres://u@h/db"), Some(Backend::Postgres));
        assert_eq!(Backend::of_url("postgresql://u@h/db"), Some(Backend::Postgres));
        assert_eq!(Backend::of_url("mysql://u@h/db"), None);
        assert_eq!(Backend::of_url("katalog.db"), None);
    }

    #[test]
    fn passwords_are_not_repeated() {
        assert_eq!(
            redacted("postgres://sd:rahasia@db:5432/satu"),
            "postgres://sd@db:5432/satu"
        );
        assert_eq!(redacted("postgres://sd@db/satu"), "postgres://sd@db/satu");
        assert_eq!(redacted("sqlite:/data/katalog.db"), "sqlite:/data/katalog.db");
    }
}
