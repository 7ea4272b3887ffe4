//! A fresh catalog database for each test, on SQLite and on PostgreSQL.
//!
//! Storage tests run against both backends (STYLE.md, habit 9). [`TestDb::sqlite`] hands out a
//! `sqlite:` URL of a file in a temporary folder; [`TestDb::postgres`] creates a database of its
//! own on the server named by `SATUDATA_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`) and drops it when the [`TestDb`] is dropped.
//! Without a reachable server the PostgreSQL half of a test is skipped with a note on stderr,
//! except under `CI=true`, where it fails: CI never passes by skipping.
//!
//! [`on_both!`] turns `async fn name(url: &str)` test bodies into a `sqlite` and a `postgres`
//! test each:
//!
//! ```ignore
//! async fn documents_round_trip(url: &str) {
//!     let catalog = satudata_catalog::Catalog::connect(url).await.unwrap();
//!     // ...
//! }
//! satudata_testkit::on_both!(documents_round_trip);
//! ```

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{ConnectOptions, Connection, Executor};

/// The PostgreSQL server tests use unless `SATUDATA_TEST_POSTGRES` names another.
pub const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/test";

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file in a temporary folder.
    Sqlite,
    /// A database of its own on the test PostgreSQL server.
    Postgres,
}

/// A database made for one test, removed when dropped.
#[derive(Debug)]
pub struct TestDb {
    url: String,
    backend: Backend,
    dir: Option<tempfile::TempDir>,
    /// Server URL and name of the PostgreSQL database to drop.
    owned: Option<(String, String)>,
}

/// Whether a missing peer must fail the test rather than skip it.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The URL of the test PostgreSQL server (`SATUDATA_TEST_POSTGRES`, or [`DEFAULT_POSTGRES`]).
pub fn postgres_server() -> String {
    std::env::var("SATUDATA_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_POSTGRES.to_owned())
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A database name no other test (or test process) uses at the same time.
fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("satudata_t_{}_{n}_{nanos}", std::process::id())
}

impl TestDb {
    /// A fresh database on `backend`; `None` when PostgreSQL is unreachable outside CI.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => Some(TestDb::sqlite()),
            Backend::Postgres => TestDb::postgres().await,
        }
    }

    /// A SQLite catalog file (not yet created) in a temporary folder.
    ///
    /// # Panics
    /// When no temporary folder can be made: the test cannot run.
    #[allow(clippy::expect_used)]
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary folder for the test database");
        let url = format!("sqlite:{}", dir.path().join("katalog.db").display());
        TestDb {
            url,
            backend: Backend::Sqlite,
            dir: Some(dir),
            owned: None,
        }
    }

    /// A new, empty PostgreSQL database on the test server.
    ///
    /// # Panics
    /// Under `CI=true` when the server cannot be reached or the database cannot be created;
    /// elsewhere that returns `None` after saying so on stderr.
    #[allow(clippy::panic)]
    pub async fn postgres() -> Option<TestDb> {
        let server = postgres_server();
        match create_postgres(&server).await {
            Ok((url, name)) => Some(TestDb {
                url,
                backend: Backend::Postgres,
                dir: None,
                owned: Some((server, name)),
            }),
            Err(e) if in_ci() => panic!("PostgreSQL at {server} is needed under CI=true: {e}"),
            Err(e) => {
                eprintln!("note: PostgreSQL test skipped, {server} unreachable: {e}");
                None
            }
        }
    }

    /// The URL to give `Catalog::connect` or `--database-url`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The backend the database is on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The temporary folder of a SQLite database.
    pub fn dir(&self) -> Option<&std::path::Path> {
        self.dir.as_ref().map(|d| d.path())
    }
}

async fn create_postgres(server: &str) -> Result<(String, String), sqlx::Error> {
    let options = PgConnectOptions::from_str(server)?;
    let mut conn = PgConnection::connect_with(&options).await?;
    let name = unique_name();
    conn.execute(format!("CREATE DATABASE \"{name}\"").as_str()).await?;
    conn.close().await?;
    let url = options.database(&name).to_url_lossy().to_string();
    Ok((url, name))
}

async fn drop_postgres(server: &str, name: &str) -> Result<(), sqlx::Error> {
    let mut conn = PgConnection::connect(server).await?;
    // FORCE ends the test's pool connections that are still open.
    conn.execute(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").as_str())
        .await?;
    conn.close().await
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((server, name)) = self.owned.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot block on a future: a thread of
        // its own with a small runtime drops the database.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            match runtime {
                Ok(rt) => rt.block_on(drop_postgres(&server, &name)).map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            }
            .map_err(|e| format!("{name}: {e}"))
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("note: test database not dropped: {e}");
        }
    }
}

/// Makes a `sqlite` and a `postgres` test of each `async fn name(url: &str)` in scope.
///
/// Each test gets a fresh database ([`TestDb`]), kept until the body returns. The calling crate
/// needs `tokio` (with `macros` and `rt-multi-thread`) as a dev-dependency.
#[macro_export]
macro_rules! on_both {
    ($($test:ident),+ $(,)?) => {$(
        mod $test {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::TestDb::sqlite();
                super::$test(db.url()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = $crate::TestDb::postgres().await {
                    super::$test(db.url()).await;
                }
            }
        }
    )+};
}
