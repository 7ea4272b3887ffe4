//! The job queue: work that takes time (validating, publishing) as rows of the catalog.
//!
//! A job is enqueued ([`Catalog::enqueue`]) with a kind, a JSON payload and, optionally, a
//! dedupe key (enqueueing the same key again returns the existing job). A worker claims one
//! ([`Catalog::claim`]) with a lease: it owns the job until the lease runs out, renews it with
//! [`Catalog::heartbeat`], reports [`Catalog::progress`], and ends it with
//! [`Catalog::complete`] or [`Catalog::fail`]. Every one of these checks the owner, so a worker
//! whose lease ran out and was taken by another cannot finish the job twice.
//!
//! ```text
//! queued --claim--> running --complete--> done
//!   ^                  |  \--fail, attempts left--> queued (run_after = now + backoff)
//!   |                  \----fail, none left-------> failed (error kept)
//!   \-- lease ran out: the next claim takes it again (attempts + 1), or fails it when none are left
//! ```
//!
//! Claiming is one `UPDATE … WHERE id = (SELECT … LIMIT 1) RETURNING …`: on PostgreSQL the
//! subquery locks with `FOR UPDATE SKIP LOCKED`, so concurrent workers never wait for each
//! other nor take the same job; on SQLite it runs in a `BEGIN IMMEDIATE` transaction, one
//! writer at a time. Times are the workers' clocks, in the catalog's text form; leases should
//! be long against the clock skew between machines (tens of seconds, not milliseconds).
//!
//! Job state changes are not in the audit log: a job is machinery. The submission it works on
//! logs its own state changes (`submissions.*`, `releases.published`) in the transactions that
//! make them.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Backend, Catalog, Error, Result};

/// Attempts a job gets unless its [`NewJob`] says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

/// First retry delay unless its [`NewJob`] says otherwise; it doubles with each attempt.
pub const DEFAULT_BACKOFF: Duration = Duration::from_secs(5);

/// The longest delay between two attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// The error kept on a job whose last attempt's lease ran out (its worker crashed or stalled).
pub const LEASE_EXPIRED: &str = "lease-expired";

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum JobState {
    /// Waiting to be claimed (from `run_after` on).
    Queued,
    /// Claimed by a worker, under its lease.
    Running,
    /// Completed.
    Done,
    /// Failed on its last attempt; the error is kept.
    Failed,
}

impl JobState {
    /// The word stored in the catalog.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }

    fn parse(id: i64, text: &str) -> Result<Self> {
        Ok(match text {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "done" => JobState::Done,
            "failed" => JobState::Failed,
            _ => {
                return Err(Error::JobState {
                    id,
                    state: text.to_owned(),
                });
            }
        })
    }
}

/// A job to enqueue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// What to do (`validate`, `publish`): workers claim by kind.
    pub kind: String,
    /// What to do it on.
    pub payload: Value,
    /// A key that makes enqueueing idempotent: a second job with the same key is the first.
    pub dedupe_key: Option<String>,
    /// Attempts before the job is failed for good (at least 1).
    pub max_attempts: u32,
    /// Delay before the first retry; doubled for each later one, up to [`MAX_BACKOFF`].
    pub backoff: Duration,
    /// Not claimed before this time (now when `None`).
    pub run_after: Option<DateTime<Utc>>,
}

impl NewJob {
    /// A job of `kind` on `payload`, with the default attempts and backoff.
    pub fn new(kind: impl Into<String>, payload: Value) -> Self {
        NewJob {
            kind: kind.into(),
            payload,
            dedupe_key: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            backoff: DEFAULT_BACKOFF,
            run_after: None,
        }
    }

    /// Makes enqueueing idempotent under `key`.
    pub fn with_dedupe_key(mut self, key: impl Into<String>) -> Self {
        self.dedupe_key = Some(key.into());
        self
    }

    /// Sets the attempts (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first retry delay.
    pub fn with_backoff(mut self, backoff: Duration) -> Self {
        self.backoff = backoff;
        self
    }

    /// Holds the job back until `at`.
    pub fn with_run_after(mut self, at: DateTime<Utc>) -> Self {
        self.run_after = Some(at);
        self
    }
}

/// A job as the catalog holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// Its id.
    pub id: i64,
    /// Its kind.
    pub kind: String,
    /// Its payload.
    pub payload: Value,
    /// Its dedupe key, if any.
    pub dedupe_key: Option<String>,
    /// Where it stands.
    pub state: JobState,
    /// Times it was claimed.
    pub attempts: u32,
    /// Attempts before it is failed for good.
    pub max_attempts: u32,
    /// Not claimed before this time.
    pub run_after: String,
    /// The worker holding it, while running.
    pub lease_owner: Option<String>,
    /// When the lease runs out, while running.
    pub lease_until: Option<String>,
    /// The last progress its worker reported.
    pub progress: Option<Value>,
    /// What it produced, once done.
    pub result: Option<Value>,
    /// The last error: of the failed attempt before a retry, or the final one.
    pub error: Option<String>,
    /// When it was enqueued.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
    /// When it was done or failed for good.
    pub finished_at: Option<String>,
}

/// How many jobs of a kind are in a state (for `/metrics`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueDepth {
    /// The kind.
    pub kind: String,
    /// The state.
    pub state: JobState,
    /// How many.
    pub count: u64,
}

const COLUMNS: &str = "id, kind, payload, dedupe_key, state, attempts, max_attempts, run_after, lease_owner, \
                       lease_until, progress, result, error, created_at, updated_at, finished_at";

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn later(now: DateTime<Utc>, by: Duration) -> String {
    let by = chrono::Duration::from_std(by).unwrap_or(chrono::Duration::MAX);
    stamp(now.checked_add_signed(by).unwrap_or(DateTime::<Utc>::MAX_UTC))
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The delay after the `attempt`-th failed attempt (1-based): `backoff`, doubled each time.
fn backoff_after(backoff_ms: i64, attempt: u32) -> Duration {
    let factor = 1u64 << attempt.saturating_sub(1).min(32);
    let ms = u64::try_from(backoff_ms).unwrap_or_default().saturating_mul(factor);
    Duration::from_millis(ms).min(MAX_BACKOFF)
}

fn json(id: i64, text: Option<String>) -> Result<Option<Value>> {
    text.map(|t| crate::parse_doc("job", id.to_string(), &t)).transpose()
}

fn count(row: &AnyRow, column: &str) -> Result<u32> {
    Ok(u32::try_from(row.try_get::<i64, _>(column)?).unwrap_or(u32::MAX))
}

fn job_from_row(row: &AnyRow) -> Result<Job> {
    let id: i64 = row.try_get("id")?;
    let state: String = row.try_get("state")?;
    let payload: String = row.try_get("payload")?;
    Ok(Job {
        id,
        kind: row.try_get("kind")?,
        payload: json(id, Some(payload))?.unwrap_or(Value::Null),
        dedupe_key: row.try_get("dedupe_key")?,
        state: JobState::parse(id, &state)?,
        attempts: count(row, "attempts")?,
        max_attempts: count(row, "max_attempts")?,
        run_after: row.try_get("run_after")?,
        lease_owner: row.try_get("lease_owner")?,
        lease_until: row.try_get("lease_until")?,
        progress: json(id, row.try_get("progress")?)?,
        result: json(id, row.try_get("result")?)?,
        error: row.try_get("error")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        finished_at: row.try_get("finished_at")?,
    })
}

fn text(value: &Value) -> String {
    value.to_string()
}

impl Catalog {
    /// Row lock of a read that is followed by a write in the same transaction: PostgreSQL
    /// locks the row, SQLite already holds the write lock.
    fn for_update(&self) -> &'static str {
        match self.backend {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        }
    }

    /// Enqueues a job of `kind` with the default attempts and backoff; returns its id, or the
    /// id of the job already enqueued under `dedupe_key`.
    pub async fn enqueue(&self, kind: &str, payload: &Value, dedupe_key: Option<&str>) -> Result<i64> {
        let mut job = NewJob::new(kind, payload.clone());
        job.dedupe_key = dedupe_key.map(str::to_owned);
        self.enqueue_job(&job).await
    }

    /// Enqueues `job`; returns its id, or the id of the job already enqueued under its dedupe key.
    pub async fn enqueue_job(&self, job: &NewJob) -> Result<i64> {
        let now = Utc::now();
        let at = stamp(now);
        let run_after = job.run_after.map(stamp).unwrap_or_else(|| at.clone());
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO jobs (kind, payload, dedupe_key, state, attempts, max_attempts, backoff_ms, run_after, \
             created_at, updated_at) VALUES ($1, $2, $3, 'queued', 0, $4, $5, $6, $7, $7) \
             ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
        )
        .bind(&job.kind)
        .bind(text(&job.payload))
        .bind(job.dedupe_key.as_deref())
        .bind(i64::from(job.max_attempts.max(1)))
        .bind(millis(job.backoff))
        .bind(&run_after)
        .bind(&at)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(id) = inserted {
            return Ok(id);
        }
        // The key was taken: the existing job is the answer.
        let key = job.dedupe_key.as_deref().unwrap_or_default();
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM jobs WHERE dedupe_key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        existing.ok_or_else(|| Error::NotFound {
            kind: "job",
            key: key.to_owned(),
        })
    }

    /// Claims the oldest due job of one of `kinds` (any kind when empty) for `worker`, under a
    /// lease of `lease`: a queued job whose `run_after` has come, or a running job whose lease
    /// ran out (its worker is taken for dead; the claim is one more attempt). A running job
    /// whose lease ran out on its last attempt is failed with [`LEASE_EXPIRED`] instead.
    pub async fn claim(&self, worker: &str, kinds: &[&str], lease: Duration) -> Result<Option<Job>> {
        let now = Utc::now();
        let at = stamp(now);
        let until = later(now, lease);
        let kinds_in = if kinds.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = (0..kinds.len()).map(|i| format!("${}", i + 4)).collect();
            format!(" AND kind IN ({})", list.join(", "))
        };
        let skip_locked = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE jobs SET state = 'failed', error = $1, finished_at = $2, updated_at = $2, \
             lease_owner = NULL, lease_until = NULL \
             WHERE state = 'running' AND lease_until <= $2 AND attempts >= max_attempts",
        )
        .bind(LEASE_EXPIRED)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        let sql = format!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = $1, lease_until = $2, \
             updated_at = $3 \
             WHERE id = (SELECT id FROM jobs \
                 WHERE ((state = 'queued' AND run_after <= $3) \
                     OR (state = 'running' AND lease_until <= $3 AND attempts < max_attempts)){kinds_in} \
                 ORDER BY run_after, id LIMIT 1{skip_locked}) \
             RETURNING {COLUMNS}"
        );
        let mut query = sqlx::query(&sql).bind(worker).bind(&until).bind(&at);
        for kind in kinds {
            query = query.bind(*kind);
        }
        let row = query.fetch_optional(&mut *tx).await?;
        tx.commit().await?;
        row.as_ref().map(job_from_row).transpose()
    }

    /// Renews `worker`'s lease on job `id` for `lease` from now; false if the worker no longer
    /// holds it (another claimed it after the lease ran out, or it ended).
    pub async fn heartbeat(&self, id: i64, worker: &str, lease: Duration) -> Result<bool> {
        let now = Utc::now();
        let done = sqlx::query(
            "UPDATE jobs SET lease_until = $1, updated_at = $2 \
             WHERE id = $3 AND state = 'running' AND lease_owner = $4",
        )
        .bind(later(now, lease))
        .bind(stamp(now))
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records `worker`'s progress on job `id` (any JSON: rows read, a stage); false if the
    /// worker no longer holds it.
    pub async fn progress(&self, id: i64, worker: &str, progress: &Value) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET progress = $1, updated_at = $2 WHERE id = $3 AND state = 'running' AND lease_owner = $4",
        )
        .bind(text(progress))
        .bind(stamp(Utc::now()))
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Marks job `id` done with its `result`; false (and nothing changed) if `worker` no longer
    /// holds it.
    pub async fn complete(&self, id: i64, worker: &str, result: &Value) -> Result<bool> {
        let at = stamp(Utc::now());
        let done = sqlx::query(
            "UPDATE jobs SET state = 'done', result = $1, error = NULL, lease_owner = NULL, lease_until = NULL, \
             finished_at = $2, updated_at = $2 WHERE id = $3 AND state = 'running' AND lease_owner = $4",
        )
        .bind(text(result))
        .bind(&at)
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records that `worker`'s attempt at job `id` failed with `error`. With attempts left the
    /// job is queued again after its backoff (doubled per attempt); after the last it is
    /// failed for good, the error kept. Returns the job's new state, or `None` (and nothing
    /// changed) if `worker` no longer holds it.
    pub async fn fail(&self, id: i64, worker: &str, error: &str) -> Result<Option<JobState>> {
        let now = Utc::now();
        let at = stamp(now);
        let mut tx = self.begin().await?;
        let select = format!(
            "SELECT attempts, max_attempts, backoff_ms FROM jobs \
             WHERE id = $1 AND state = 'running' AND lease_owner = $2{}",
            self.for_update()
        );
        let Some(row) = sqlx::query(&select)
            .bind(id)
            .bind(worker)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(None);
        };
        let attempts = count(&row, "attempts")?;
        let max_attempts = count(&row, "max_attempts")?;
        let backoff_ms: i64 = row.try_get("backoff_ms")?;
        let state = if attempts >= max_attempts {
            sqlx::query(
                "UPDATE jobs SET state = 'failed', error = $1, lease_owner = NULL, lease_until = NULL, \
                 finished_at = $2, updated_at = $2 WHERE id = $3",
            )
            .bind(error)
            .bind(&at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            JobState::Failed
        } else {
            sqlx::query(
                "UPDATE jobs SET state = 'queued', error = $1, run_after = $2, lease_owner = NULL, lease_until = NULL, \
                 updated_at = $3 WHERE id = $4",
            )
            .bind(error)
            .bind(later(now, backoff_after(backoff_ms, attempts)))
            .bind(&at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            JobState::Queued
        };
        tx.commit().await?;
        Ok(Some(state))
    }

    /// The job enqueued under `key`, if any.
    pub async fn job_by_dedupe_key(&self, key: &str) -> Result<Option<Job>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM jobs WHERE dedupe_key = $1"))
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(job_from_row).transpose()
    }

    /// The job with `id`.
    pub async fn job(&self, id: i64) -> Result<Job> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM jobs WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => job_from_row(&row),
            None => Err(Error::NotFound {
                kind: "job",
                key: id.to_string(),
            }),
        }
    }

    /// How many jobs there are of each kind in each state.
    pub async fn queue_depth(&self) -> Result<Vec<QueueDepth>> {
        let rows = sqlx::query("SELECT kind, state, count(*) AS n FROM jobs GROUP BY kind, state ORDER BY kind, state")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let state: String = row.try_get("state")?;
                Ok(QueueDepth {
                    kind: row.try_get("kind")?,
                    state: JobState::parse(0, &state)?,
                    count: u64::try_from(row.try_get::<i64, _>("n")?).unwrap_or_default(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_after(1000, 1), Duration::from_secs(1));
        assert_eq!(backoff_after(1000, 2), Duration::from_secs(2));
        assert_eq!(backoff_after(1000, 4), Duration::from_secs(8));
        assert_eq!(backoff_after(1000, 40), MAX_BACKOFF);
        assert_eq!(backoff_after(0, 3), Duration::ZERO);
    }

    #[test]
    fn times_compare_as_text() {
        let now = Utc::now();
        let a = stamp(now);
        let b = later(now, Duration::from_millis(1));
        assert!(a < b, "{a} {b}");
        assert_eq!(a.len(), b.len());
    }
}
