//! The job queue through the catalog's public API, on SQLite and on PostgreSQL: concurrent
//! claimers run each job once, a lease that runs out is taken again, failures back off and
//! end, and only the lease owner finishes a job.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use satudata_catalog::jobs::LEASE_EXPIRED;
use satudata_catalog::{Catalog, JobState, NewJob, QueueDepth};
use serde_json::json;

const LEASE: Duration = Duration::from_secs(60);

async fn catalog(url: &str) -> Catalog {
    Catalog::connect(url).await.unwrap()
}

/// Makes job `id`'s lease (or its `run_after`) lie in the past, as if time had passed.
async fn rewind(c: &Catalog, id: i64, column: &str) {
    sqlx::query(&format!(
        "UPDATE jobs SET {column} = '2000-01-01T00:00:00.000Z' WHERE id = $1"
    ))
    .bind(id)
    .execute(c.pool())
    .await
    .unwrap();
}

fn millis_between(a: &str, b: &str) -> i64 {
    let a = chrono::DateTime::parse_from_rfc3339(a).unwrap();
    let b = chrono::DateTime::parse_from_rfc3339(b).unwrap();
    (b - a).num_milliseconds()
}

async fn concurrent_claimers_run_each_job_once(url: &str) {
    const JOBS: i64 = 30;
    const WORKERS: usize = 6;
    let c = catalog(url).await;
    let mut ids = Vec::new();
    for n in 0..JOBS {
        ids.push(c.enqueue("validate", &json!({ "submission": n }), None).await.unwrap());
    }
    c.enqueue("publish", &json!({}), None).await.unwrap();
    // Each worker its own pool: separate connections, as separate processes would have.
    let runs: Arc<Mutex<BTreeMap<i64, Vec<String>>>> = Arc::default();
    let mut workers = Vec::new();
    for w in 0..WORKERS {
        let c = catalog(url).await;
        let runs = runs.clone();
        workers.push(tokio::spawn(async move {
            let worker = format!("worker-{w}");
            while let Some(job) = c.claim(&worker, &["validate"], LEASE).await.unwrap() {
                assert_eq!(job.state, JobState::Running);
                assert_eq!(job.kind, "validate");
                runs.lock().unwrap().entry(job.id).or_default().push(worker.clone());
                tokio::task::yield_now().await;
                assert!(c.complete(job.id, &worker, &json!({ "ok": true })).await.unwrap());
            }
        }));
    }
    for w in workers {
        w.await.unwrap();
    }
    let runs = runs.lock().unwrap().clone();
    assert_eq!(runs.keys().copied().collect::<Vec<_>>(), ids);
    assert!(runs.values().all(|r| r.len() == 1), "{runs:?}");
    for id in ids {
        let job = c.job(id).await.unwrap();
        assert_eq!((job.state, job.attempts), (JobState::Done, 1));
        assert_eq!(job.result, Some(json!({ "ok": true })));
        assert!(job.finished_at.is_some() && job.lease_owner.is_none());
    }
    let depth = c.queue_depth().await.unwrap();
    let depth: Vec<(&str, JobState, u64)> = depth
        .iter()
        .map(|QueueDepth { kind, state, count }| (kind.as_str(), *state, *count))
        .collect();
    assert_eq!(
        depth,
        [
            ("publish", JobState::Queued, 1),
            ("validate", JobState::Done, JOBS as u64)
        ]
    );
}

async fn a_dedupe_key_names_one_job(url: &str) {
    let c = catalog(url).await;
    let a = c
        .enqueue("publish", &json!({ "s": 1 }), Some("publish:1"))
        .await
        .unwrap();
    let b = c
        .enqueue("publish", &json!({ "s": 1 }), Some("publish:1"))
        .await
        .unwrap();
    let other = c
        .enqueue("publish", &json!({ "s": 2 }), Some("publish:2"))
        .await
        .unwrap();
    let plain = c.enqueue("publish", &json!({ "s": 1 }), None).await.unwrap();
    assert_eq!(a, b);
    assert_ne!(a, other);
    assert_ne!(a, plain);
    let job = c.job(a).await.unwrap();
    assert_eq!(job.dedupe_key.as_deref(), Some("publish:1"));
    assert_eq!(job.payload, json!({ "s": 1 }));
    assert!(c.job(a + 100).await.is_err());
}

async fn an_expired_lease_is_taken_again(url: &str) {
    let c = catalog(url).await;
    let id = c
        .enqueue_job(&NewJob::new("validate", json!({})).with_max_attempts(2))
        .await
        .unwrap();
    let first = c.claim("crashed", &[], LEASE).await.unwrap().unwrap();
    assert_eq!((first.id, first.attempts), (id, 1));
    assert!(c.progress(id, "crashed", &json!({ "rows": 10 })).await.unwrap());
    // While the lease holds, nobody else gets the job.
    assert!(c.claim("other", &[], LEASE).await.unwrap().is_none());
    assert!(c.heartbeat(id, "crashed", LEASE).await.unwrap());
    rewind(&c, id, "lease_until").await;
    let second = c.claim("other", &["validate"], LEASE).await.unwrap().unwrap();
    assert_eq!((second.id, second.attempts), (id, 2));
    assert_eq!(second.lease_owner.as_deref(), Some("other"));
    assert_eq!(second.progress, Some(json!({ "rows": 10 })));
    // The crashed worker comes back: its lease is gone.
    assert!(!c.heartbeat(id, "crashed", LEASE).await.unwrap());
    assert!(!c.progress(id, "crashed", &json!({ "rows": 20 })).await.unwrap());
    // Its last attempt's lease runs out too: the job is failed, not run a third time.
    rewind(&c, id, "lease_until").await;
    assert!(c.claim("third", &[], LEASE).await.unwrap().is_none());
    let job = c.job(id).await.unwrap();
    assert_eq!((job.state, job.attempts), (JobState::Failed, 2));
    assert_eq!(job.error.as_deref(), Some(LEASE_EXPIRED));
}

async fn failures_back_off_then_fail_for_good(url: &str) {
    let c = catalog(url).await;
    let backoff = Duration::from_secs(10);
    let id = c
        .enqueue_job(
            &NewJob::new("publish", json!({}))
                .with_max_attempts(3)
                .with_backoff(backoff),
        )
        .await
        .unwrap();
    for (attempt, delay_ms) in [(1, 10_000), (2, 20_000)] {
        let job = c.claim("w", &["publish"], LEASE).await.unwrap().unwrap();
        assert_eq!(job.attempts, attempt);
        let state = c.fail(id, "w", &format!("store down ({attempt})")).await.unwrap();
        assert_eq!(state, Some(JobState::Queued));
        let job = c.job(id).await.unwrap();
        assert_eq!(job.state, JobState::Queued);
        assert_eq!(job.error.as_deref(), Some(format!("store down ({attempt})").as_str()));
        assert_eq!(millis_between(&job.updated_at, &job.run_after), delay_ms);
        // Not before its time.
        assert!(c.claim("w", &[], LEASE).await.unwrap().is_none());
        rewind(&c, id, "run_after").await;
    }
    c.claim("w", &[], LEASE).await.unwrap().unwrap();
    assert_eq!(c.fail(id, "w", "store down (3)").await.unwrap(), Some(JobState::Failed));
    let job = c.job(id).await.unwrap();
    assert_eq!((job.state, job.attempts), (JobState::Failed, 3));
    assert_eq!(job.error.as_deref(), Some("store down (3)"));
    assert!(job.finished_at.is_some());
    assert!(c.claim("w", &[], LEASE).await.unwrap().is_none());
}

async fn a_stale_owner_cannot_finish(url: &str) {
    let c = catalog(url).await;
    let id = c.enqueue("publish", &json!({}), None).await.unwrap();
    c.claim("stale", &[], LEASE).await.unwrap().unwrap();
    rewind(&c, id, "lease_until").await;
    c.claim("fresh", &[], LEASE).await.unwrap().unwrap();
    assert!(!c.complete(id, "stale", &json!("twice")).await.unwrap());
    assert_eq!(c.fail(id, "stale", "late").await.unwrap(), None);
    let job = c.job(id).await.unwrap();
    assert_eq!(job.state, JobState::Running);
    assert_eq!(job.lease_owner.as_deref(), Some("fresh"));
    assert!(c.complete(id, "fresh", &json!("once")).await.unwrap());
    // A finished job is nobody's.
    assert!(!c.complete(id, "fresh", &json!("again")).await.unwrap());
    assert_eq!(c.job(id).await.unwrap().result, Some(json!("once")));
}

async fn claims_follow_kind_and_time(url: &str) {
    let c = catalog(url).await;
    let later = chrono::Utc::now() + chrono::Duration::hours(1);
    let held = c
        .enqueue_job(&NewJob::new("validate", json!({})).with_run_after(later))
        .await
        .unwrap();
    let publish = c.enqueue("publish", &json!({}), None).await.unwrap();
    let validate = c.enqueue("validate", &json!({}), None).await.unwrap();
    assert!(c.claim("w", &["report"], LEASE).await.unwrap().is_none());
    let first = c.claim("w", &["validate", "report"], LEASE).await.unwrap().unwrap();
    assert_eq!(first.id, validate);
    assert!(c.claim("w", &["validate"], LEASE).await.unwrap().is_none());
    assert_eq!(c.claim("w", &[], LEASE).await.unwrap().unwrap().id, publish);
    assert_eq!(c.job(held).await.unwrap().state, JobState::Queued);
}

satudata_testkit::on_both!(
    concurrent_claimers_run_each_job_once,
    a_dedupe_key_names_one_job,
    an_expired_lease_is_taken_again,
    failures_back_off_then_fail_for_good,
    a_stale_owner_cannot_finish,
    claims_follow_kind_and_time,
);
