//! `satudata worker` processes over one PostgreSQL catalog: three workers take thirty validation
//! jobs and each job runs exactly once; a worker killed with SIGKILL in the middle of a publish
//! (at the test-only pause point, files written, row not committed) leaves no visible release,
//! and its job is taken again after the lease and completes once; `serve` killed there too.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Env, PASSWORD, root};
use satudata_catalog::{Catalog, JobState};
use satudata_core::access::{Actor, Role};
use satudata_core::lifecycle::SubmissionState;
use satudata_testkit::TestDb;
use satudata_workflow::{DataCenter, Submission};

/// Runs `satudata --database-url URL ARGS...` and requires exit 0.
fn ok(env: &Env, url: &str, args: &[&str]) {
    let mut all = vec!["--database-url", url];
    all.extend(args);
    let out = env.run(&all);
    assert_eq!(out.code, 0, "{args:?}\n{}\n{}", out.stdout, out.stderr);
}

/// A data directory on PostgreSQL database `url` with the sample region.
fn region(url: &str) -> Env {
    let env = Env::new();
    ok(&env, url, &["init"]);
    ok(&env, url, &["load", "sample_data"]);
    env
}

/// Starts `satudata ARGS...` over the data directory, killed when the test ends.
fn spawn(env: &Env, url: &str, args: &[&str], pause_ms: Option<u64>) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_satudata"));
    command
        .current_dir(root())
        .env_remove("SATUDATA_TEST_PUBLISH_PAUSE_MS")
        .env("SATUDATA_LOG", "warn")
        .args(["--data-dir", env.data_dir().to_str().unwrap(), "--database-url", url])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(ms) = pause_ms {
        command.env("SATUDATA_TEST_PUBLISH_PAUSE_MS", ms.to_string());
    }
    command.spawn().unwrap()
}

fn kill(child: &mut Child, signal: &str) {
    Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    child.wait().unwrap();
}

/// Waits until `done` holds, for at most `limit`.
async fn wait_until<F, Fut>(limit: Duration, what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !done().await {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn produsen() -> Actor {
    Actor::user("produsen-disdukcapil", Role::Produsen, Some("disdukcapil"))
}

/// The sample population file for year `year`.
fn population(year: u32) -> Vec<u8> {
    let text = std::fs::read_to_string(root().join("sample_data/submissions/penduduk-kelurahan-2024.csv")).unwrap();
    text.replace("\n2024;", &format!("\n{year};")).into_bytes()
}

async fn receive(dc: &DataCenter, year: u32) -> i64 {
    let bytes = population(year);
    let period = year.to_string();
    let received = dc
        .receive(Submission {
            dataset: "jumlah-penduduk-kelurahan",
            period: &period,
            file_name: "penduduk.csv",
            bytes: &bytes,
            options: Default::default(),
            actor: &produsen(),
        })
        .await
        .unwrap();
    dc.enqueue_validation(received.id).await.unwrap();
    received.id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_workers_run_thirty_jobs_once_each() {
    let Some(db) = TestDb::postgres().await else { return };
    let url = db.url();
    let env = region(url);
    let dc = DataCenter::open_with_database(&env.data_dir(), Some(url))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for year in 2001..2031 {
        ids.push(receive(&dc, year).await);
    }
    let mut workers: Vec<Child> = (0..3)
        .map(|i| spawn(&env, url, &["worker", "--name", &format!("uji-{i}")], None))
        .collect();
    let catalog = Catalog::connect(url).await.unwrap();
    wait_until(Duration::from_secs(180), "thirty validations", || {
        let catalog = catalog.clone();
        let ids = ids.clone();
        async move {
            for id in ids {
                let job = catalog
                    .job_by_dedupe_key(&format!("validate:{id}"))
                    .await
                    .unwrap()
                    .unwrap();
                if job.state != JobState::Done {
                    return false;
                }
            }
            true
        }
    })
    .await;
    for worker in &mut workers {
        kill(worker, "TERM");
    }
    let mut owners = std::collections::BTreeSet::new();
    for id in &ids {
        let job = catalog
            .job_by_dedupe_key(&format!("validate:{id}"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            job.attempts, 1,
            "job {} of submission {id} ran {} times",
            job.id, job.attempts
        );
        let submission = catalog.submission(*id).await.unwrap();
        assert_eq!(submission.state, SubmissionState::NeedsReview, "{submission:?}");
        owners.insert(job.result.unwrap()["submission"].as_i64().unwrap());
    }
    assert_eq!(owners.len(), 30);
    // Each submission was started and checked once: one entry of each in the audit log.
    let entries = catalog.audit_entries().await.unwrap();
    for id in &ids {
        let subject = id.to_string();
        let count = |action: &str| {
            entries
                .iter()
                .filter(|e| e.subject == subject && e.action == action)
                .count()
        };
        assert_eq!(count("submissions.start"), 1, "submission {id}");
        assert_eq!(count("submissions.checked_valid"), 1, "submission {id}");
    }
}

/// An approved, consented submission with its publish job queued.
async fn queued_publish(url: &str, env: &Env) -> (DataCenter, i64) {
    ok(
        env,
        url,
        &["user", "add", "--role", "walidata", "--password", PASSWORD, "walidata"],
    );
    let dc = DataCenter::open_with_database(&env.data_dir(), Some(url))
        .await
        .unwrap();
    let id = receive(&dc, 2024).await;
    dc.drain(&satudata_workflow::WorkerOptions::named("uji")).await.unwrap();
    let walidata = Actor::user("walidata", Role::Walidata, None);
    let terbuka = Some(satudata_core::StatusKerahasiaan::Terbuka);
    dc.review(id, satudata_catalog::Verdict::Approve, terbuka, None, &walidata)
        .await
        .unwrap();
    dc.consent(id, &produsen()).await.unwrap();
    dc.request_publish(id, &walidata).await.unwrap();
    (dc, id)
}

/// Kills `args` (a worker or a server) with SIGKILL at the publish pause point, then checks that
/// nothing is visible, that a fresh worker completes the job once, and that one release exists.
async fn killed_in_the_middle_of_a_publish(args: &[&str]) {
    let Some(db) = TestDb::postgres().await else { return };
    let url = db.url();
    let env = region(url);
    let (dc, id) = queued_publish(url, &env).await;
    let catalog = dc.catalog().clone();
    let mut paused = spawn(&env, url, args, Some(600_000));
    let manifest = env
        .release("disdukcapil", "jumlah-penduduk-kelurahan", 1)
        .join("manifest.sig");
    wait_until(Duration::from_secs(120), "the release files before the commit", || {
        let manifest = manifest.clone();
        async move { manifest.is_file() }
    })
    .await;
    kill(&mut paused, "KILL");
    // The files are there, but no release is: the catalog row comes last.
    assert!(
        catalog
            .latest_release("jumlah-penduduk-kelurahan")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(catalog.submission(id).await.unwrap().state, SubmissionState::Approved);
    let mut worker = spawn(&env, url, &["worker", "--lease", "3"], None);
    wait_until(Duration::from_secs(120), "the publish job taken again", || {
        let catalog = catalog.clone();
        async move {
            let job = catalog
                .job_by_dedupe_key(&format!("publish:{id}"))
                .await
                .unwrap()
                .unwrap();
            job.state == JobState::Done
        }
    })
    .await;
    kill(&mut worker, "TERM");
    let job = catalog
        .job_by_dedupe_key(&format!("publish:{id}"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.attempts, 2, "{job:?}");
    let releases = catalog.releases("jumlah-penduduk-kelurahan").await.unwrap();
    assert_eq!(releases.iter().map(|r| r.submission_id).collect::<Vec<_>>(), [id]);
    let published = catalog.audit_entries().await.unwrap();
    assert_eq!(published.iter().filter(|e| e.action == "releases.published").count(), 1);
    let folder = env.release("disdukcapil", "jumlah-penduduk-kelurahan", 1);
    let verify = env.run(&["--database-url", url, "verify", folder.to_str().unwrap()]);
    assert_eq!(verify.code, 0, "{}{}", verify.stdout, verify.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_publish_is_replaced_after_its_lease() {
    killed_in_the_middle_of_a_publish(&["worker", "--lease", "3"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_publish_leaves_no_partial_release() {
    killed_in_the_middle_of_a_publish(&["serve", "--listen", "127.0.0.1:0", "--workers", "1"]).await;
}
