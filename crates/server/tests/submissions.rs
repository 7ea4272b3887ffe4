//! Submissions, review and publishing over a real socket with a real HTTP client, on SQLite
//! and PostgreSQL each, with a worker inside the server: upload, the report, the review, the
//! PD's consent, the publish job, the downloaded release checked against its manifest, and
//! withdrawal.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use satudata_catalog::NewUser;
use satudata_core::access::Role;
use satudata_server::{AppState, Config};
use satudata_workflow::DataCenter;
use serde_json::{Value, json};

/// A dataset of dinkes with no switches: every submission waits for review.
const DATASET: &str = "kunjungan-puskesmas";
/// The upload limit of the test server.
const LIMIT: u64 = 64 * 1024;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sample(file: &str) -> Vec<u8> {
    std::fs::read(root().join("sample_data/submissions").join(file)).unwrap()
}

/// A running server with a worker, over the sample region, with the accounts wati
/// (walidata), ani (produsen of dinkes) and budi (produsen of disdikbud).
struct World {
    _dir: tempfile::TempDir,
    state: AppState,
    base: String,
    client: reqwest::Client,
}

#[derive(Debug)]
struct Answer {
    status: u16,
    location: Option<String>,
    content_type: String,
    csp: String,
    bytes: Vec<u8>,
    json: Value,
}

impl Answer {
    fn code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or_default()
    }

    /// Asserts the status (and, for an error, the code).
    fn is(&self, status: u16, code: &str) -> &Self {
        assert_eq!((self.status, self.code()), (status, code), "{}", self.json);
        self
    }
}

impl World {
    async fn new(url: &str) -> World {
        let dir = tempfile::tempdir().unwrap();
        let center = DataCenter::init_with_database(&dir.path().join("data"), Some(url))
            .await
            .unwrap();
        center.load_region(&root().join("sample_data"), "admin").await.unwrap();
        for (name, role, org) in [
            ("wati", Role::Walidata, Some("diskominfo")),
            ("ani", Role::Produsen, Some("dinkes")),
            ("budi", Role::Produsen, Some("disdikbud")),
        ] {
            let new = NewUser {
                username: name,
                role,
                organization: org,
                password: "kata-sandi-yang-panjang",
            };
            center.catalog().create_user(&new, "admin").await.unwrap();
        }
        let config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            upload_limit: LIMIT,
            ..Config::default()
        };
        let state = AppState::new(center, config);
        satudata_server::spawn_workers(&state, 1, "test-worker");
        let server = satudata_server::bind(state.clone()).await.unwrap();
        let base = format!("http://{}", server.local_addr().unwrap());
        tokio::spawn(server.run());
        World {
            _dir: dir,
            state,
            base,
            client: reqwest::Client::new(),
        }
    }

    async fn token(&self, username: &str) -> String {
        let issued = self
            .state
            .center()
            .catalog()
            .create_token(
                username,
                "test",
                chrono::TimeDelta::days(1),
                username,
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        issued.secret.expose().to_owned()
    }

    async fn answer(response: reqwest::Response) -> Answer {
        let status = response.status().as_u16();
        let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
        let location = header("location");
        let content_type = header("content-type").unwrap_or_default();
        let csp = header("content-security-policy").unwrap_or_default();
        let bytes = response.bytes().await.unwrap().to_vec();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer {
            status,
            location,
            content_type,
            csp,
            bytes,
            json,
        }
    }

    fn request(&self, method: reqwest::Method, path: &str, token: Option<&str>) -> reqwest::RequestBuilder {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        let request = self.client.request(method, url);
        match token {
            Some(t) => request.bearer_auth(t),
            None => request,
        }
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        Self::answer(self.request(reqwest::Method::GET, path, token).send().await.unwrap()).await
    }

    async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        let request = self
            .request(reqwest::Method::POST, path, token)
            .header("content-type", "application/json")
            .body(body.to_string());
        Self::answer(request.send().await.unwrap()).await
    }

    async fn post_empty(&self, path: &str, token: Option<&str>) -> Answer {
        Self::answer(self.request(reqwest::Method::POST, path, token).send().await.unwrap()).await
    }

    /// Uploads `bytes` as the multipart `file` part named `name`, for 2024.
    async fn upload(&self, token: Option<&str>, name: &str, bytes: Vec<u8>) -> Answer {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
        let form = reqwest::multipart::Form::new()
            .text("period", "2024")
            .part("file", part);
        let path = format!("/api/v1/datasets/{DATASET}/submissions");
        let request = self.request(reqwest::Method::POST, &path, token).multipart(form);
        Self::answer(request.send().await.unwrap()).await
    }

    /// Uploads `bytes` as a raw body with the options as query parameters.
    async fn upload_raw(&self, token: Option<&str>, query: &str, bytes: Vec<u8>) -> Answer {
        let path = format!("/api/v1/datasets/{DATASET}/submissions?{query}");
        let request = self
            .request(reqwest::Method::POST, &path, token)
            .header("content-type", "text/csv")
            .body(bytes);
        Self::answer(request.send().await.unwrap()).await
    }

    /// Polls `path` until its `field` is not one of `passing`, and returns it.
    async fn until(&self, path: &str, token: &str, field: &str, passing: &[&str]) -> Answer {
        for _ in 0..200 {
            let answer = self.get(path, Some(token)).await;
            assert_eq!(answer.status, 200, "{}", answer.json);
            if !passing.contains(&answer.json[field].as_str().unwrap_or_default()) {
                return answer;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{path} stayed {passing:?}");
    }

    /// Polls submission `id` until it is validated.
    async fn validated(&self, id: i64, token: &str) -> Answer {
        let path = format!("/api/v1/submissions/{id}");
        self.until(&path, token, "state", &["received", "validating"]).await
    }
}

fn sha256(bytes: &[u8]) -> String {
    satudata_core::sha256_hex(bytes)
}

async fn the_whole_story_from_upload_to_download(url: &str) {
    let w = World::new(url).await;
    let (wati, ani, budi) = (w.token("wati").await, w.token("ani").await, w.token("budi").await);

    // The draft is there only for its PD and the verifiers: the public and another PD's
    // produsen get 404 (401 and 403 come once it is published, below).
    w.upload(None, "a.csv", sample("kunjungan-puskesmas-2024.csv"))
        .await
        .is(404, "not-found");
    w.upload(Some(&budi), "a.csv", sample("kunjungan-puskesmas-2024.csv"))
        .await
        .is(404, "not-found");

    // A broken file: received at once, then invalid, with errors in its report.
    let broken = w
        .upload(Some(&ani), "rusak.csv", sample("kunjungan-puskesmas-rusak-nilai.csv"))
        .await;
    broken.is(202, "");
    let broken_id = broken.json["id"].as_i64().unwrap();
    assert_eq!(broken.json["status"], "received");
    assert_eq!(
        broken.location.as_deref(),
        Some(format!("/api/v1/submissions/{broken_id}").as_str())
    );
    assert!(
        broken.json["links"]["job"]
            .as_str()
            .unwrap()
            .starts_with("/api/v1/jobs/")
    );
    let shown = w.validated(broken_id, &ani).await;
    assert_eq!(shown.json["state"], "invalid", "{}", shown.json);
    assert_eq!(shown.json["validation"]["state"], "done");
    let report = w
        .get(&format!("/api/v1/submissions/{broken_id}/report"), Some(&ani))
        .await;
    report.is(200, "");
    assert_eq!(report.json["valid"], false, "{}", report.json);
    let errors = report.json["errors"].as_u64().unwrap();
    assert!(errors > 0 && errors == shown.json["report"]["errors"].as_u64().unwrap());
    assert!(!report.json["findings"].as_array().unwrap().is_empty());
    let page = w
        .get(
            &format!("/api/v1/submissions/{broken_id}/report?format=html"),
            Some(&ani),
        )
        .await;
    page.is(200, "");
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.csp.contains("style-src 'unsafe-inline'") && page.csp.contains("default-src 'none'"));
    assert!(String::from_utf8_lossy(&page.bytes).contains("<html"));

    // A valid file as a raw body: needs review.
    let valid_bytes = sample("kunjungan-puskesmas-2024.csv");
    let first = w
        .upload_raw(
            Some(&ani),
            "filename=kunjungan.csv&period=2024&encoding=windows-1252&delimiter=;",
            valid_bytes.clone(),
        )
        .await;
    first.is(202, "");
    assert_eq!(first.json["sha256"], sha256(&valid_bytes));
    let first_id = first.json["id"].as_i64().unwrap();
    assert_eq!(w.validated(first_id, &ani).await.json["state"], "needs_review");

    // The queue: every PD's for the verifier, nothing of dinkes for another PD's produsen.
    let queue = w.get("/api/v1/submissions?status=needs_review", Some(&wati)).await;
    queue.is(200, "");
    let ids: Vec<i64> = queue.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [first_id]);
    let theirs = w.get("/api/v1/submissions", Some(&budi)).await;
    assert_eq!(theirs.json["total"], 0, "{}", theirs.json);
    let own = w.get("/api/v1/submissions", Some(&ani)).await;
    assert_eq!(own.json["total"], 2, "{}", own.json);
    w.get(&format!("/api/v1/submissions/{first_id}"), Some(&budi))
        .await
        .is(404, "not-found");
    w.get(&format!("/api/v1/submissions/{first_id}/report"), Some(&budi))
        .await
        .is(404, "not-found");
    w.get("/api/v1/submissions", None).await.is(401, "unauthenticated");
    let diff = w
        .get(&format!("/api/v1/submissions/{first_id}/diff"), Some(&wati))
        .await;
    diff.is(200, "");

    // The verifier asks for changes; the producer answers and sends the same bytes again.
    let review = format!("/api/v1/submissions/{first_id}/review");
    w.post(
        &review,
        Some(&ani),
        json!({"decision": "approve", "status_kerahasiaan": "terbuka"}),
    )
    .await
    .is(403, "forbidden");
    let asked = w
        .post(
            &review,
            Some(&wati),
            json!({"decision": "request_changes", "comment": "Periksa bulan Maret"}),
        )
        .await;
    asked.is(200, "");
    assert_eq!(asked.json["state"], "changes_requested");
    w.post(
        &review,
        Some(&wati),
        json!({"decision": "approve", "status_kerahasiaan": "terbuka"}),
    )
    .await
    .is(409, "state-conflict");
    let comments = format!("/api/v1/submissions/{first_id}/comments");
    w.post(&comments, Some(&ani), json!({"body": "Sudah diperiksa, dikirim ulang"}))
        .await
        .is(201, "");
    w.post(&comments, Some(&ani), json!({"body": "  "}))
        .await
        .is(422, "bad-text");
    let said = w.get(&comments, Some(&wati)).await;
    let authors: Vec<&str> = said
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["author"].as_str().unwrap())
        .collect();
    assert!(authors.ends_with(&["ani"]), "{}", said.json);
    let again = w
        .upload_raw(
            Some(&ani),
            "filename=Kunjungan%20lagi.txt&period=2024&encoding=windows-1252&delimiter=;",
            valid_bytes.clone(),
        )
        .await;
    again.is(202, "");
    assert_eq!(again.json["duplicate_of"], first_id);
    assert_eq!(
        again.json["links"]["self"],
        format!("/api/v1/submissions/{}", again.json["id"])
    );
    let second_id = again.json["id"].as_i64().unwrap();
    assert_eq!(w.validated(second_id, &ani).await.json["state"], "needs_review");

    // Approved (terbuka); publishing waits for the PD's consent.
    let review = format!("/api/v1/submissions/{second_id}/review");
    w.post(&review, Some(&wati), json!({"decision": "approve"}))
        .await
        .is(422, "status-missing");
    let approved = w
        .post(
            &review,
            Some(&wati),
            json!({"decision": "approve", "status_kerahasiaan": "terbuka"}),
        )
        .await;
    approved.is(200, "");
    assert_eq!(approved.json["state"], "approved");
    let publish = format!("/api/v1/submissions/{second_id}/publish");
    w.post_empty(&publish, Some(&wati)).await.is(409, "no-consent");
    w.post_empty(&format!("/api/v1/submissions/{second_id}/consent"), Some(&wati))
        .await
        .is(403, "forbidden");
    w.post_empty(&format!("/api/v1/submissions/{second_id}/consent"), Some(&ani))
        .await
        .is(200, "");
    let asked = w.post_empty(&publish, Some(&wati)).await;
    asked.is(202, "");
    let job = asked.location.clone().unwrap();
    w.get(&job, Some(&budi)).await.is(404, "not-found");
    let done = w.until(&job, &wati, "state", &["queued", "running"]).await;
    assert_eq!(done.json["state"], "done", "{}", done.json);
    let published = w.get(&format!("/api/v1/submissions/{second_id}"), Some(&ani)).await;
    assert_eq!(published.json["state"], "published");

    // The release is listed, and each file downloads with the manifest's SHA-256.
    let releases = w.get(&format!("/api/v1/datasets/{DATASET}/releases"), None).await;
    releases.is(200, "");
    assert_eq!(releases.json["total"], 1, "{}", releases.json);
    let release_link = releases.json["items"][0]["link"].as_str().unwrap().to_owned();
    let release = w.get(&release_link, None).await;
    release.is(200, "");
    let files = release.json["files"].as_array().unwrap();
    let mut checked = 0;
    for file in files {
        let downloaded = w.get(file["link"].as_str().unwrap(), None).await;
        downloaded.is(200, "");
        if let Some(expected) = file["sha256"].as_str() {
            assert_eq!(sha256(&downloaded.bytes), expected, "{}", file["name"]);
            checked += 1;
        }
    }
    assert!(checked >= 3, "{}", release.json);
    w.upload(None, "a.csv", sample("kunjungan-puskesmas-2024.csv"))
        .await
        .is(401, "unauthenticated");
    w.upload(Some(&budi), "a.csv", sample("kunjungan-puskesmas-2024.csv"))
        .await
        .is(403, "forbidden");

    // Withdrawn: gone for the public, kept for the verifier.
    let withdraw = format!("{release_link}/withdraw");
    w.post(&withdraw, Some(&ani), json!({"reason": "salah"}))
        .await
        .is(403, "forbidden");
    w.post(&withdraw, Some(&wati), json!({"reason": "Angka Maret keliru"}))
        .await
        .is(200, "");
    w.post(&withdraw, Some(&wati), json!({"reason": "lagi"}))
        .await
        .is(409, "already-withdrawn");
    w.get(&release_link, None).await.is(404, "not-found");
    // Its only release withdrawn, the dataset has none served: the public does not find it.
    w.get(&format!("/api/v1/datasets/{DATASET}/releases"), None)
        .await
        .is(404, "not-found");
    let kept = w
        .get(&format!("/api/v1/datasets/{DATASET}/releases"), Some(&wati))
        .await;
    assert_eq!(kept.json["total"], 1, "{}", kept.json);
    w.get(&release_link, Some(&wati)).await.is(200, "");
    let dataset = w.get(&format!("/api/v1/datasets/{DATASET}"), Some(&wati)).await;
    dataset.is(200, "");
    assert_eq!(dataset.json["latest_release"], Value::Null, "{}", dataset.json);
    w.get(&format!("/api/v1/datasets/{DATASET}"), None)
        .await
        .is(404, "not-found");
    // Every upload left the spool: moved into the store, or removed as a duplicate.
    let spool = w.state.center().dir().join(satudata_server::upload::SPOOL_DIR);
    assert_eq!(std::fs::read_dir(&spool).unwrap().count(), 0, "{}", spool.display());
}

async fn a_recurring_feed_is_approved_and_consented_by_its_switches(url: &str) {
    let w = World::new(url).await;
    let (wati, ani) = (w.token("wati").await, w.token("ani").await);
    let auto = format!("/api/v1/datasets/{DATASET}/auto-approve");
    let consent = format!("/api/v1/datasets/{DATASET}/consent");
    let put = |path: &str, token: &str, body: Value| {
        w.request(reqwest::Method::PUT, path, Some(token))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };
    World::answer(
        put(&auto, &ani, json!({"status_kerahasiaan": "terbuka"}))
            .await
            .unwrap(),
    )
    .await
    .is(403, "forbidden");
    World::answer(
        put(&auto, &wati, json!({"status_kerahasiaan": "terbuka"}))
            .await
            .unwrap(),
    )
    .await
    .is(200, "");
    World::answer(put(&consent, &wati, json!({"standing": true})).await.unwrap())
        .await
        .is(403, "forbidden");
    let on = World::answer(put(&consent, &ani, json!({"standing": true})).await.unwrap()).await;
    on.is(200, "");
    assert_eq!(on.json["standing_consent"]["by"], "ani", "{}", on.json);
    let dataset = w.get(&format!("/api/v1/datasets/{DATASET}"), Some(&ani)).await;
    let switches = &dataset.json["switches"];
    assert_eq!(
        switches["auto_approve"]["status_kerahasiaan"], "terbuka",
        "{}",
        dataset.json
    );
    assert_eq!(switches["auto_approve"]["by"], "wati");
    let sent = w
        .upload_raw(
            Some(&ani),
            "filename=k.csv&period=2024&encoding=windows-1252&delimiter=;",
            sample("kunjungan-puskesmas-2024.csv"),
        )
        .await;
    let id = sent.json["id"].as_i64().unwrap();
    // Approved by the switch, consented by the standing consent, published by the job the
    // validation enqueued: nobody acted on this submission.
    let path = format!("/api/v1/submissions/{id}");
    let shown = w
        .until(&path, &ani, "state", &["received", "validating", "approved"])
        .await;
    assert_eq!(
        (shown.json["state"].as_str(), shown.json["consent_by"].as_str()),
        (Some("published"), Some("ani")),
        "{}",
        shown.json
    );
    assert_eq!(shown.json["reviewed_by"], "sistem");
    assert_eq!(shown.json["publishing"]["state"], "done", "{}", shown.json);
    // A published submission is not published again.
    let asked = w
        .post_empty(&format!("/api/v1/submissions/{id}/publish"), Some(&wati))
        .await;
    asked.is(409, "state-conflict");
    let listed = w.get("/api/v1/datasets", None).await;
    let ours = listed.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == DATASET)
        .cloned();
    assert_eq!(ours.unwrap()["latest_release"]["version"], 1, "{}", listed.json);
    World::answer(put(&auto, &wati, json!({"status_kerahasiaan": null})).await.unwrap())
        .await
        .is(200, "");
}

async fn bad_uploads_get_clear_answers(url: &str) {
    let w = World::new(url).await;
    let ani = w.token("ani").await;
    let big = vec![b'a'; usize::try_from(LIMIT).unwrap() + 1];
    w.upload_raw(Some(&ani), "period=2024", big)
        .await
        .is(413, "payload-too-large");
    w.upload(Some(&ani), "a.csv", vec![b'a'; usize::try_from(LIMIT).unwrap() + 10])
        .await
        .is(413, "payload-too-large");
    let csv = sample("kunjungan-puskesmas-2024.csv");
    w.upload_raw(Some(&ani), "filename=a.csv", csv.clone())
        .await
        .is(400, "bad-upload");
    w.upload_raw(Some(&ani), "period=2024&encoding=klingon", csv.clone())
        .await
        .is(400, "bad-option");
    w.upload_raw(Some(&ani), "period=2024&path=/etc/passwd", csv.clone())
        .await
        .is(400, "bad-query");
    w.upload_raw(Some(&ani), "period=tahun-lalu", csv.clone())
        .await
        .is(422, "bad-period");
    let form = reqwest::multipart::Form::new().text("period", "2024");
    let path = format!("/api/v1/datasets/{DATASET}/submissions");
    let answer = World::answer(
        w.request(reqwest::Method::POST, &path, Some(&ani))
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    answer.is(400, "bad-upload");
    let nowhere = w
        .request(
            reqwest::Method::POST,
            "/api/v1/datasets/tidak-ada/submissions?period=2024",
            Some(&ani),
        )
        .body(csv.clone())
        .send()
        .await
        .unwrap();
    World::answer(nowhere).await.is(404, "not-found");
    // Nothing refused was kept: no submission, and no file left in the spool.
    let (_, total) = w
        .state
        .center()
        .catalog()
        .submissions(&Default::default(), 10, 0)
        .await
        .unwrap();
    assert_eq!(total, 0);
    let spool = w.state.center().dir().join(satudata_server::upload::SPOOL_DIR);
    let left = std::fs::read_dir(&spool).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "files left in {}", spool.display());
    w.get("/api/v1/submissions/999", Some(&ani)).await.is(404, "not-found");
    w.get("/api/v1/jobs/999", Some(&ani)).await.is(404, "not-found");
}

/// `Upload-Metadata` of `pairs` (tus: `key base64(value)`, comma-separated).
fn tus_metadata(pairs: &[(&str, &str)]) -> String {
    use base64::Engine as _;
    pairs
        .iter()
        .map(|(k, v)| format!("{k} {}", base64::engine::general_purpose::STANDARD.encode(v)))
        .collect::<Vec<_>>()
        .join(",")
}

async fn a_resumable_upload_becomes_a_submission(url: &str) {
    let w = World::new(url).await;
    let (ani, budi) = (w.token("ani").await, w.token("budi").await);
    let bytes = sample("kunjungan-puskesmas-2024.csv");
    let metadata = tus_metadata(&[
        ("dataset", DATASET),
        ("period", "2024"),
        ("filename", "kunjungan.csv"),
        ("encoding", "windows-1252"),
        ("delimiter", ";"),
        ("filetype", "text/csv"),
    ]);
    let create = |token: Option<&str>, metadata: &str| {
        w.request(reqwest::Method::POST, "/api/v1/uploads", token)
            .header("tus-resumable", "1.0.0")
            .header("upload-length", bytes.len().to_string())
            .header("upload-metadata", metadata)
            .send()
    };
    assert_eq!(create(None, &metadata).await.unwrap().status(), 401);
    // Another PD's produsen is refused before a byte is sent (the draft is not theirs to see).
    let theirs = World::answer(create(Some(&budi), &metadata).await.unwrap()).await;
    theirs.is(404, "not-found");
    let bad_period = tus_metadata(&[("dataset", DATASET), ("period", "kapan-kapan")]);
    World::answer(create(Some(&ani), &bad_period).await.unwrap())
        .await
        .is(422, "bad-period");
    let created = create(Some(&ani), &metadata).await.unwrap();
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let patch = |offset: usize, chunk: Vec<u8>| {
        w.request(reqwest::Method::PATCH, &location, Some(&ani))
            .header("tus-resumable", "1.0.0")
            .header("upload-offset", offset.to_string())
            .header("content-type", "application/offset+octet-stream")
            .body(chunk)
            .send()
    };
    // The first part arrives, then the line drops: HEAD says where to go on.
    let half = bytes.len() / 2;
    assert_eq!(patch(0, bytes[..half].to_vec()).await.unwrap().status(), 204);
    let head = w
        .request(reqwest::Method::HEAD, &location, Some(&ani))
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(head.headers()["upload-offset"].to_str().unwrap(), half.to_string());
    let other = w
        .request(reqwest::Method::HEAD, &location, Some(&budi))
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
    let last = patch(half, bytes[half..].to_vec()).await.unwrap();
    assert_eq!(last.status(), 204);
    let link = last.headers()["link"].to_str().unwrap().to_owned();
    let submission = link
        .strip_prefix('<')
        .and_then(|l| l.split_once('>'))
        .map(|(l, _)| l.to_owned())
        .unwrap();
    assert!(submission.starts_with("/api/v1/submissions/"), "{link}");
    let shown = w.until(&submission, &ani, "state", &["received", "validating"]).await;
    assert_eq!(shown.json["state"], "needs_review", "{}", shown.json);
    assert_eq!(shown.json["source_sha256"], sha256(&bytes));
    assert_eq!(shown.json["source_name"], "kunjungan.csv");
    assert_eq!(shown.json["source_size"], bytes.len());
}

satudata_testkit::on_both!(
    a_resumable_upload_becomes_a_submission,
    the_whole_story_from_upload_to_download,
    bad_uploads_get_clear_answers,
    a_recurring_feed_is_approved_and_consented_by_its_switches,
);
