//! The worker: claims `validate` and `publish` jobs from the catalog's queue and runs them.
//!
//! A job is held under a lease that a heartbeat renews while it runs (on its own task, so a
//! long check on the worker's thread does not starve it); a worker that dies stops renewing, and
//! another worker takes the job again once the lease has run out. A job's work is idempotent
//! (`validate_submission` returns a validated submission as it is; `publish_submission` a
//! published one), so a job taken again never does its work twice. A failed attempt goes back to
//! the queue with a backoff, up to its attempts, then stays failed with its error.

use std::time::Duration;

use satudata_catalog::{Catalog, Job};
use satudata_core::lifecycle::SubmissionState;
use satudata_core::{Lang, Localize};
use serde_json::{Value, json};

use crate::flow::{PUBLISH_JOB, VALIDATE_JOB, actor_from_json, publish_job};
use crate::{DataCenter, Decision, Error, Result};

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Its name in the queue (the lease owner): unique per process.
    pub name: String,
    /// How long a claimed job is held without a heartbeat.
    pub lease: Duration,
    /// How long to wait when the queue is empty.
    pub idle: Duration,
}

impl WorkerOptions {
    /// A worker called `name`, with a 60 s lease and a 500 ms idle poll.
    pub fn named(name: impl Into<String>) -> Self {
        WorkerOptions {
            name: name.into(),
            lease: Duration::from_secs(60),
            idle: Duration::from_millis(500),
        }
    }
}

/// The kinds of job a worker takes.
const KINDS: [&str; 2] = [VALIDATE_JOB, PUBLISH_JOB];

impl DataCenter {
    /// Claims one job and runs it; `false` when there was none to claim.
    pub async fn work_once(&self, options: &WorkerOptions) -> Result<bool> {
        let Some(job) = self.catalog.claim(&options.name, &KINDS, options.lease).await? else {
            return Ok(false);
        };
        // A kept table is for the publish job that follows its validation, and for no other.
        match (job.kind.as_str(), submission_of(&job)) {
            (PUBLISH_JOB, Some(id)) => self.handoff.keep_only(id),
            _ => self.handoff.clear(),
        }
        let heartbeat = spawn_heartbeat(self.catalog.clone(), job.id, options);
        let outcome = self.run_job(&job).await;
        heartbeat.abort();
        match outcome {
            Ok(result) => {
                self.catalog.complete(job.id, &options.name, &result).await?;
            }
            Err(e) => {
                let text = format!("{} / {}", e.localize(Lang::Id), e.localize(Lang::En));
                tracing::warn!(job = job.id, kind = %job.kind, error = %text, "job failed");
                self.catalog.fail(job.id, &options.name, &text).await?;
            }
        }
        Ok(true)
    }

    /// Runs jobs until `stop` resolves, waiting `options.idle` whenever the queue is empty. A
    /// job in hand when `stop` resolves is finished first.
    pub async fn work(&self, options: &WorkerOptions, stop: impl std::future::Future<Output = ()>) -> Result<()> {
        tokio::pin!(stop);
        let mut housekeeping = tokio::time::Instant::now();
        loop {
            // Once an hour, between jobs: old sessions out of the catalog.
            if housekeeping.elapsed() >= std::time::Duration::from_secs(3600) {
                housekeeping = tokio::time::Instant::now();
                if let Err(e) = self.catalog.purge_sessions(chrono::Utc::now()).await {
                    tracing::warn!(error = %e.localize(Lang::En), "purging old sessions failed");
                }
            }
            tokio::select! {
                biased;
                _ = &mut stop => return Ok(()),
                _ = std::future::ready(()) => {}
            }
            match self.work_once(options).await {
                Ok(true) => continue,
                Ok(false) => {}
                // The database may be briefly away: wait, then try again.
                Err(e) => tracing::error!(error = %e.localize(Lang::En), "worker cannot claim"),
            }
            tokio::select! {
                _ = &mut stop => return Ok(()),
                _ = tokio::time::sleep(options.idle) => {}
                _ = self.handoff.rung() => {}
            }
        }
    }

    /// Runs every job that can be claimed now, then returns how many ran.
    pub async fn drain(&self, options: &WorkerOptions) -> Result<usize> {
        let mut ran = 0;
        while self.work_once(options).await? {
            ran += 1;
        }
        Ok(ran)
    }

    /// Runs one job's work; what it returns is the job's result.
    pub async fn run_job(&self, job: &Job) -> Result<Value> {
        let id = submission_of(job).ok_or(Error::UnknownSubmission(0))?;
        match job.kind.as_str() {
            VALIDATE_JOB => {
                let record = self.validate_submission(id).await?;
                // A submission approved and consented by the dataset's switches goes on.
                if record.state == SubmissionState::Approved && record.consent_by.is_some() {
                    self.enqueue(&publish_job(id, None)).await?;
                }
                Ok(json!({ "submission": id, "state": record.state.as_str() }))
            }
            PUBLISH_JOB => {
                let actor = actor_from_json(job.payload.get("by"));
                let decision = self.publish_submission(id, &actor).await?;
                Ok(match decision {
                    Decision::Published { version, .. } => json!({ "submission": id, "version": version }),
                    Decision::Unchanged { version } => {
                        json!({ "submission": id, "version": version, "unchanged": true })
                    }
                    Decision::Rejected | Decision::Waiting { .. } => json!({ "submission": id }),
                })
            }
            other => Err(Error::UnknownJob(other.to_owned())),
        }
    }
}

/// The submission a job is about.
fn submission_of(job: &Job) -> Option<i64> {
    job.payload.get("submission").and_then(Value::as_i64)
}

/// Renews job `id`'s lease every third of the lease until aborted.
fn spawn_heartbeat(catalog: Catalog, id: i64, options: &WorkerOptions) -> tokio::task::JoinHandle<()> {
    let name = options.name.clone();
    let lease = options.lease;
    tokio::spawn(async move {
        let mut every = tokio::time::interval(lease / 3);
        every.tick().await;
        loop {
            every.tick().await;
            match catalog.heartbeat(id, &name, lease).await {
                Ok(true) => {}
                // The lease was lost (taken by another worker after a stall): stop renewing.
                Ok(false) => return,
                Err(e) => tracing::warn!(job = id, error = %e.localize(Lang::En), "heartbeat failed"),
            }
        }
    })
}
