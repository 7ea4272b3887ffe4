//! Persistence of the Pusat Data: the catalog database, the object store and the audit log.
//!
//! [`Catalog`] keeps reference documents (organizations, code lists, master data, data
//! standards), dataset metadata, submissions, reports, releases and the job queue ([`jobs`]) in
//! SQLite (the embedded default) or PostgreSQL, chosen at run time by a URL
//! ([`Catalog::connect`]): one API and one set of queries over sqlx's `Any` driver, with `$N`
//! placeholders, TEXT timestamps and integer flags that mean the same on both
//! ([`Backend`]). Every state change is written in the same transaction as an entry of the
//! append-only, hash-chained audit log ([`AuditEntry`]); [`Catalog::verify_audit`] detects any
//! edit. [`Store`] holds files (submissions, reports, release files) in an object store:
//! local files by default.
//!
//! Release files are written to the store first and the release row is committed last
//! ([`Catalog::commit_release`]), so a crash never leaves a half-visible release.

mod accounts;
mod audit;
pub mod audit_query;
mod backend;
pub mod cache;
pub mod jobs;
pub mod listing;
mod localize;
mod reference;
pub mod resources;
mod review;
pub mod search;
mod store;
#[cfg(test)]
mod tests;

use std::path::Path;

use satudata_core::access::Actor;
use satudata_core::lifecycle::{Event, SubmissionState};
use satudata_core::{CodeList, DataStandard, DatasetMetadata, MasterData, Organization, Report, sha256_hex};
use serde::de::DeserializeOwned;
use sqlx::any::AnyRow;
use std::sync::Arc;

use sqlx::AnyConnection;
use sqlx::{Any, AnyPool, Row, Transaction};

pub use accounts::{AccountProblem, IssuedSession, IssuedToken, Login, NewUser, Session, Token, TokenKind, User};
pub use audit::{AuditCheck, AuditEntry, Break};
pub use backend::Backend;
pub use jobs::{Job, JobState, NewJob, QueueDepth};
pub use reference::{ChangedBy, PutOutcome, ReferenceKind};
pub use review::{
    Comment, DatasetSwitches, MAX_TEXT, Recorded, ReportSummary, ReviewProblem, SubmissionFilter, SubmissionRecord,
    Verdict, Withdrawal,
};
pub use store::Store;

/// Errors of the catalog and the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database failed.
    #[error("catalog database failed")]
    Database(#[from] sqlx::Error),
    /// Migrating the database failed.
    #[error("catalog migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The object store failed.
    #[error("object store failed")]
    Store(#[from] object_store::Error),
    /// A stored document is unreadable.
    #[error("stored {kind} {key} is unreadable")]
    Document {
        /// Kind of document.
        kind: &'static str,
        /// Its key.
        key: String,
        /// The parser's error.
        source: serde_json::Error,
    },
    /// A referenced record does not exist.
    #[error("{kind} {key} does not exist")]
    NotFound {
        /// Kind of record.
        kind: &'static str,
        /// Its key.
        key: String,
    },
    /// A release with this version already exists.
    #[error("release {version} of {dataset} already exists")]
    ReleaseExists {
        /// Dataset name.
        dataset: String,
        /// Version.
        version: u32,
    },
    /// A credential rule refused the input (password length, account name, token lifetime).
    #[error(transparent)]
    Auth(#[from] satudata_auth::Error),
    /// An account or token operation was refused.
    #[error(transparent)]
    Account(#[from] AccountProblem),
    /// The database URL names no backend the catalog runs on.
    #[error("unsupported database url {url} (sqlite: or postgres:)")]
    UnsupportedUrl {
        /// The URL, without its password.
        url: String,
    },
    /// A job row holds a state the queue does not know.
    #[error("job {id} has unknown state {state}")]
    JobState {
        /// The job's id.
        id: i64,
        /// The stored state.
        state: String,
    },
    /// A submission row holds a state the lifecycle does not know.
    #[error("submission {id} has unknown state {state}")]
    SubmissionState {
        /// The submission's id.
        id: i64,
        /// The stored state.
        state: String,
    },
    /// A review step was refused.
    #[error(transparent)]
    Review(#[from] ReviewProblem),
    /// A filesystem operation failed.
    #[error("{path}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

/// Result with the catalog [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The reference documents kept in the catalog, each in its own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DocKind {
    Organization,
    CodeList,
    MasterData,
    Standard,
}

impl DocKind {
    fn table(self) -> &'static str {
        match self {
            DocKind::Organization => "organizations",
            DocKind::CodeList => "code_lists",
            DocKind::MasterData => "master_data",
            DocKind::Standard => "standards",
        }
    }

    fn key_column(self) -> &'static str {
        match self {
            DocKind::Organization => "slug",
            _ => "id",
        }
    }

    fn name(self) -> &'static str {
        match self {
            DocKind::Organization => "organization",
            DocKind::CodeList => "code list",
            DocKind::MasterData => "master data",
            DocKind::Standard => "data standard",
        }
    }
}

/// A new submission, before it is checked.
#[derive(Debug, Clone)]
pub struct NewSubmission<'a> {
    /// Dataset name.
    pub dataset: &'a str,
    /// Period the data covers (`2024`, `2024-08`).
    pub period: &'a str,
    /// Original file name.
    pub source_name: &'a str,
    /// SHA-256 of the submitted bytes.
    pub source_sha256: &'a str,
    /// Where the submitted bytes are kept in the store.
    pub source_path: &'a str,
    /// Size of the submitted bytes.
    pub source_size: u64,
    /// An earlier submission of the dataset with the same bytes.
    pub duplicate_of: Option<i64>,
    /// Who submitted it.
    pub actor: &'a Actor,
}

/// A release as the catalog knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseRecord {
    /// Dataset name.
    pub dataset: String,
    /// Release number.
    pub version: u32,
    /// The submission it came from.
    pub submission_id: i64,
    /// Folder of the release in the store (`datasets/{org}/{dataset}/v{N}`).
    pub path: String,
    /// SHA-256 of its manifest file.
    pub manifest_sha256: String,
    /// Digest of its content, to recognise unchanged re-submissions.
    pub content_digest: String,
    /// Status kerahasiaan at publication.
    pub status_kerahasiaan: String,
    /// Data rows.
    pub rows: u64,
    /// When it was published.
    pub created_at: String,
}

/// The catalog database.
#[derive(Debug, Clone)]
pub struct Catalog {
    pool: AnyPool,
    backend: Backend,
    changes: Arc<cache::Changes>,
    cache: Arc<cache::ReadCache>,
}

/// A write transaction of the catalog: its commit counts as this process's change for the read
/// cache ([`cache`]).
pub(crate) struct Tx {
    inner: Transaction<'static, Any>,
    changes: Arc<cache::Changes>,
}

impl std::ops::Deref for Tx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }
}

impl Tx {
    /// Commits, then counts the change.
    pub async fn commit(self) -> sqlx::Result<()> {
        self.inner.commit().await?;
        self.changes.bump();
        Ok(())
    }

    /// Rolls back: nothing changed.
    #[cfg(test)]
    pub async fn rollback(self) -> sqlx::Result<()> {
        self.inner.rollback().await
    }
}

/// A new random UUID (version 4), as text.
pub(crate) fn new_uuid() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| Error::Io {
        path: "getrandom".into(),
        source: std::io::Error::other(e.to_string()),
    })?;
    Ok(uuid_text(b, 4))
}

/// Sixteen bytes as UUID text of `version` (4 random, 8 derived), with the RFC 9562 variant.
pub(crate) fn uuid_text(mut b: [u8; 16], version: u8) -> String {
    b[6] = (b[6] & 0x0f) | (version << 4);
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Catalog {
    /// Opens (creating if needed) the SQLite catalog at `path` and brings its schema up to date.
    pub async fn open_sqlite(path: &Path) -> Result<Self> {
        Self::connect(&backend::sqlite_url(path)).await
    }

    /// Opens the catalog at `url` (`sqlite:/path/katalog.db`, a SQLite file created if
    /// missing, or `postgres://user@host/db`) and brings its schema up to date.
    pub async fn connect(url: &str) -> Result<Self> {
        let (pool, backend) = backend::connect(url).await?;
        match backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await?,
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await?,
        }
        let changes = Arc::new(cache::Changes::default());
        let catalog = Catalog {
            pool,
            backend,
            cache: Arc::new(cache::ReadCache::new(changes.clone())),
            changes,
        };
        catalog.refresh_search_index().await?;
        Ok(catalog)
    }

    /// Which database the catalog is on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so that a transaction that reads before it writes never fails to upgrade
    /// its lock under concurrent writers; PostgreSQL locks row by row (and the audit log whole,
    /// see `audit::append`).
    pub(crate) async fn begin(&self) -> Result<Tx> {
        let inner = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(Tx {
            inner,
            changes: self.changes.clone(),
        })
    }

    async fn put_doc(&self, kind: DocKind, key: &str, doc: &impl serde::Serialize, actor: &str) -> Result<bool> {
        let outcome = self.write_doc(kind, key, doc, actor, serde_json::json!({})).await?;
        Ok(outcome != PutOutcome::Unchanged)
    }

    async fn get_doc<T: DeserializeOwned>(&self, kind: DocKind, key: &str) -> Result<T> {
        let select = format!("SELECT doc FROM {} WHERE {} = $1", kind.table(), kind.key_column());
        let doc: Option<String> = sqlx::query_scalar(&select).bind(key).fetch_optional(&self.pool).await?;
        let doc = doc.ok_or_else(|| Error::NotFound {
            kind: kind.name(),
            key: key.into(),
        })?;
        parse_doc(kind.name(), key, &doc)
    }

    async fn all_docs<T: DeserializeOwned>(&self, kind: DocKind) -> Result<Vec<T>> {
        let select = format!("SELECT {}, doc FROM {} ORDER BY 1", kind.key_column(), kind.table());
        let rows = sqlx::query(&select).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let key: String = row.get(0);
                let doc: String = row.get(1);
                parse_doc(kind.name(), key, &doc)
            })
            .collect()
    }

    /// Adds or updates an organization; returns whether anything changed.
    pub async fn put_organization(&self, org: &Organization, actor: &str) -> Result<bool> {
        self.put_doc(DocKind::Organization, &org.slug, org, actor).await
    }

    /// Adds or updates a code list; returns whether anything changed.
    pub async fn put_code_list(&self, list: &CodeList, actor: &str) -> Result<bool> {
        self.put_doc(DocKind::CodeList, &list.id, list, actor).await
    }

    /// Adds or updates master data; returns whether anything changed.
    pub async fn put_master_data(&self, data: &MasterData, actor: &str) -> Result<bool> {
        self.put_doc(DocKind::MasterData, &data.id, data, actor).await
    }

    /// Adds or updates a data standard; returns whether anything changed.
    pub async fn put_standard(&self, standard: &DataStandard, actor: &str) -> Result<bool> {
        self.put_doc(DocKind::Standard, &standard.id, standard, actor).await
    }

    /// The organization with `slug`.
    pub async fn organization(&self, slug: &str) -> Result<Organization> {
        self.get_doc(DocKind::Organization, slug).await
    }

    /// The data standard with `id`.
    pub async fn standard(&self, id: &str) -> Result<DataStandard> {
        self.get_doc(DocKind::Standard, id).await
    }

    /// Every organization.
    pub async fn organizations(&self) -> Result<Vec<Organization>> {
        self.all_docs(DocKind::Organization).await
    }

    /// Every organization, with when it was last written (RFC 3339).
    pub async fn organizations_with_times(&self) -> Result<Vec<(Organization, String)>> {
        let rows = sqlx::query("SELECT slug, doc, updated_at FROM organizations ORDER BY slug")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let doc: String = r.get("doc");
                Ok((
                    parse_doc("organization", r.get::<String, _>("slug"), &doc)?,
                    r.get("updated_at"),
                ))
            })
            .collect()
    }

    /// Every code list.
    pub async fn code_lists(&self) -> Result<Vec<CodeList>> {
        self.all_docs(DocKind::CodeList).await
    }

    /// Every master data.
    pub async fn master_data(&self) -> Result<Vec<MasterData>> {
        self.all_docs(DocKind::MasterData).await
    }

    /// Adds or updates a dataset's metadata; its organization must exist.
    pub async fn put_dataset(&self, metadata: &DatasetMetadata, actor: &str) -> Result<bool> {
        let json = serde_json::to_string(metadata).map_err(|source| Error::Document {
            kind: "dataset",
            key: metadata.name.clone(),
            source,
        })?;
        let mut tx = self.begin().await?;
        let existing = reference::stored_dataset(&mut tx, metadata).await?;
        if existing.as_deref() == Some(json.as_str()) {
            return Ok(false);
        }
        let at = now();
        sqlx::query(
            "INSERT INTO datasets (name, organization, standard, doc, updated_at, id, created_at, modified_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $5, $5) \
             ON CONFLICT (name) DO UPDATE SET organization = excluded.organization, standard = excluded.standard, \
             doc = excluded.doc, updated_at = excluded.updated_at",
        )
        .bind(&metadata.name)
        .bind(&metadata.organization)
        .bind(&metadata.standard)
        .bind(&json)
        .bind(&at)
        .bind(new_uuid()?)
        .execute(&mut *tx)
        .await?;
        search::reindex(&mut tx, &metadata.name, true).await?;
        let action = if existing.is_some() {
            "datasets.updated"
        } else {
            "datasets.created"
        };
        let detail =
            serde_json::json!({ "organization": metadata.organization, "sha256": sha256_hex(json.as_bytes()) });
        audit::append(&mut tx, actor, action, &metadata.name, &detail).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The metadata of dataset `name`.
    pub async fn dataset(&self, name: &str) -> Result<DatasetMetadata> {
        let doc: Option<String> = sqlx::query_scalar("SELECT doc FROM datasets WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        let doc = doc.ok_or_else(|| Error::NotFound {
            kind: "dataset",
            key: name.into(),
        })?;
        parse_doc("dataset", name, &doc)
    }

    /// Every dataset's metadata.
    pub async fn datasets(&self) -> Result<Vec<DatasetMetadata>> {
        let rows = sqlx::query("SELECT name, doc FROM datasets ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let name: String = row.get(0);
                let doc: String = row.get(1);
                parse_doc("dataset", name, &doc)
            })
            .collect()
    }

    /// Records a received submission; returns its id.
    pub async fn create_submission(&self, s: &NewSubmission<'_>) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO submissions (dataset, period, source_name, source_sha256, source_path, status, submitted_by, submitted_at, source_size, duplicate_of, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $8) RETURNING id",
        )
        .bind(s.dataset)
        .bind(s.period)
        .bind(s.source_name)
        .bind(s.source_sha256)
        .bind(s.source_path)
        .bind(SubmissionState::Received.as_str())
        .bind(s.actor.name())
        .bind(now())
        .bind(s.source_size as i64)
        .bind(s.duplicate_of)
        .fetch_one(&mut *tx)
        .await?;
        let detail = serde_json::json!({
            "dataset": s.dataset, "period": s.period, "file": s.source_name, "sha256": s.source_sha256,
            "bytes": s.source_size, "duplicate_of": s.duplicate_of, "by": review::by(s.actor),
            "after": SubmissionState::Received.as_str(),
        });
        audit::append(
            &mut tx,
            s.actor.name(),
            "submissions.received",
            &id.to_string(),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Stores a submission's report and moves it from `validating` to `invalid` or
    /// `needs_review` as the report says.
    pub async fn record_report(
        &self,
        submission_id: i64,
        report: &Report,
        report_path: &str,
        actor: &Actor,
    ) -> Result<SubmissionState> {
        let doc = report.to_json();
        let digest = report.digest();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO reports (submission_id, valid, errors, warnings, sha256, path, doc, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(submission_id)
        .bind(i64::from(report.valid))
        .bind(report.errors as i64)
        .bind(report.warnings as i64)
        .bind(&digest)
        .bind(report_path)
        .bind(&doc)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let totals: serde_json::Map<String, serde_json::Value> = report
            .totals_by_code
            .iter()
            .map(|(c, n)| (c.as_str().to_owned(), (*n).into()))
            .collect();
        let detail = serde_json::json!({
            "valid": report.valid, "errors": report.errors, "warnings": report.warnings,
            "totals_by_code": totals, "report_sha256": digest
        });
        let after = review::transition_in(
            &mut tx,
            submission_id,
            Event::Checked { valid: report.valid },
            actor,
            &[],
            detail,
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The newest release of `dataset`, if any.
    pub async fn latest_release(&self, dataset: &str) -> Result<Option<ReleaseRecord>> {
        let row = sqlx::query(
            "SELECT dataset, version, submission_id, path, manifest_sha256, content_digest, status_kerahasiaan, rows, created_at \
             FROM releases WHERE dataset = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(dataset)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| release_from_row(&r)))
    }

    /// Every release of `dataset`, oldest first.
    pub async fn releases(&self, dataset: &str) -> Result<Vec<ReleaseRecord>> {
        let rows = sqlx::query(
            "SELECT dataset, version, submission_id, path, manifest_sha256, content_digest, status_kerahasiaan, rows, created_at \
             FROM releases WHERE dataset = $1 ORDER BY version",
        )
        .bind(dataset)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(release_from_row).collect())
    }

    /// Makes a release visible: inserts its row, marks the submission published and logs it,
    /// in one transaction. Call only after every release file is in the store.
    pub async fn commit_release(&self, release: &ReleaseRecord, actor: &Actor) -> Result<()> {
        let mut tx = self.begin().await?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT version FROM releases WHERE dataset = $1 AND version = $2")
            .bind(&release.dataset)
            .bind(release.version as i64)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(Error::ReleaseExists {
                dataset: release.dataset.clone(),
                version: release.version,
            });
        }
        sqlx::query(
            "INSERT INTO releases (dataset, version, submission_id, path, manifest_sha256, content_digest, status_kerahasiaan, rows, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&release.dataset)
        .bind(release.version as i64)
        .bind(release.submission_id)
        .bind(&release.path)
        .bind(&release.manifest_sha256)
        .bind(&release.content_digest)
        .bind(&release.status_kerahasiaan)
        .bind(release.rows as i64)
        .bind(&release.created_at)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            // Another publisher (a job run twice) committed this version first.
            if is_unique_violation(&e) {
                Error::ReleaseExists {
                    dataset: release.dataset.clone(),
                    version: release.version,
                }
            } else {
                Error::Database(e)
            }
        })?;
        resources::insert(&mut tx, &release.dataset, release.version).await?;
        search::reindex(&mut tx, &release.dataset, true).await?;
        review::transition_in(
            &mut tx,
            release.submission_id,
            Event::Publish,
            actor,
            &[("release_version", review::Field::Int(i64::from(release.version)))],
            serde_json::json!({ "version": release.version }),
        )
        .await?;
        let detail = serde_json::json!({
            "version": release.version, "path": release.path, "manifest_sha256": release.manifest_sha256,
            "submission": release.submission_id, "status_kerahasiaan": release.status_kerahasiaan, "rows": release.rows,
            "by": review::by(actor),
        });
        audit::append(&mut tx, actor.name(), "releases.published", &release.dataset, &detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every audit entry, oldest first.
    pub async fn audit_entries(&self) -> Result<Vec<AuditEntry>> {
        audit::entries(&self.pool).await
    }

    /// Recomputes the audit log's hash chain and reports the first broken entry, if any.
    pub async fn verify_audit(&self) -> Result<AuditCheck> {
        audit::verify(&self.pool).await
    }

    /// The underlying pool, for tests and maintenance tools.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

/// A stored JSON document of `kind` under `key`, parsed.
pub(crate) fn parse_doc<T: DeserializeOwned>(kind: &'static str, key: impl Into<String>, doc: &str) -> Result<T> {
    serde_json::from_str(doc).map_err(|source| Error::Document {
        kind,
        key: key.into(),
        source,
    })
}

/// Whether a database error is a unique-key violation (a concurrent insert won).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.is_unique_violation())
}

fn release_from_row(r: &AnyRow) -> ReleaseRecord {
    ReleaseRecord {
        dataset: r.get(0),
        version: r.get::<i64, _>(1) as u32,
        submission_id: r.get(2),
        path: r.get(3),
        manifest_sha256: r.get(4),
        content_digest: r.get(5),
        status_kerahasiaan: r.get(6),
        rows: r.get::<i64, _>(7) as u64,
        created_at: r.get(8),
    }
}
