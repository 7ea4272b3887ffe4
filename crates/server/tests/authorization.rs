//! The authorization matrix: every route, asked by every kind of caller, about targets of every
//! status kerahasiaan, over a real socket, on SQLite and PostgreSQL. The expected status of each
//! cell is in `authorization.matrix` beside this file, a reviewed table; a route the OpenAPI
//! document lists and the table does not is a failure, so that no new route goes unjudged.
//!
//! `SATUDATA_BLESS=1` writes what the server answers into the table instead of comparing, for a
//! reviewer to read line by line before committing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{TimeDelta, Utc};
use satudata_catalog::NewUser;
use satudata_core::StatusKerahasiaan;
use satudata_core::access::{Actor, Role};
use satudata_server::{AppState, Config};
use satudata_workflow::{DataCenter, Pipeline};
use serde_json::{Value, json};

const PASSWORD: &str = "kata sandi panjang sekali";

/// The callers, in the table's column order.
const CALLERS: [&str; 7] = ["public", "own", "other", "walidata", "admin", "expired", "revoked"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn matrix_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/authorization.matrix")
}

/// The data center the table speaks of: Disdukcapil's (the owning PD's) datasets `terbuka`,
/// `terbatas` and `rahasia`, each published once with that status, `draf`, never published,
/// `tarik`, published to be withdrawn, and `antrean`, whose submissions wait in each state.
struct World {
    base: String,
    client: reqwest::Client,
    state: AppState,
    /// A bearer token per caller (none for `public`).
    tokens: Vec<Option<String>>,
    /// A submission of `antrean` in each state, by the state's name.
    submissions: std::collections::BTreeMap<&'static str, i64>,
    _dir: tempfile::TempDir,
}

/// The states a submission target can be in.
const STATES: [&str; 6] = [
    "invalid",
    "needs_review",
    "changes_requested",
    "rejected",
    "approved",
    "published",
];

/// A new submission of `antrean` (no automatic approval) brought to `state`.
async fn submission_in(dc: &DataCenter, state: &str) -> i64 {
    use satudata_catalog::Verdict;
    let file = if state == "invalid" {
        "penduduk-kelurahan-rusak-kode-wilayah.csv"
    } else {
        "penduduk-kelurahan-2024.csv"
    };
    let bytes = std::fs::read(root().join("sample_data/submissions").join(file)).unwrap();
    let own = Actor::user("own", Role::Produsen, Some("disdukcapil"));
    let walidata = Actor::user("walidata", Role::Walidata, None);
    let received = dc
        .receive(satudata_workflow::Submission {
            dataset: "antrean",
            period: "2024",
            file_name: file,
            bytes: &bytes,
            options: Default::default(),
            actor: &own,
        })
        .await
        .unwrap();
    let id = received.id;
    dc.enqueue_validation(id).await.unwrap();
    dc.drain(&satudata_workflow::WorkerOptions::named("matriks"))
        .await
        .unwrap();
    let terbuka = Some(StatusKerahasiaan::Terbuka);
    match state {
        "changes_requested" => {
            let comment = Some("Perbaiki");
            dc.review(id, Verdict::RequestChanges, None, comment, &walidata)
                .await
                .unwrap();
        }
        "rejected" => {
            dc.review(id, Verdict::Reject, None, None, &walidata).await.unwrap();
        }
        "approved" | "published" => {
            dc.review(id, Verdict::Approve, terbuka, None, &walidata).await.unwrap();
            dc.consent(id, &own).await.unwrap();
            if state == "published" {
                dc.publish_submission(id, &walidata).await.unwrap();
            }
        }
        _ => {}
    }
    assert_eq!(dc.catalog().submission(id).await.unwrap().state.as_str(), state);
    id
}

async fn world(url: &str) -> World {
    let dir = tempfile::tempdir().unwrap();
    let dc = DataCenter::init_with_database(&dir.path().join("data"), Some(url))
        .await
        .unwrap();
    dc.load_region(&root().join("sample_data"), "admin").await.unwrap();
    let catalog = dc.catalog();
    let accounts = [
        ("own", Role::Produsen, Some("disdukcapil")),
        ("other", Role::Produsen, Some("dinkes")),
        ("walidata", Role::Walidata, None),
        ("admin", Role::Admin, None),
        ("expired", Role::Produsen, Some("disdukcapil")),
        ("revoked", Role::Produsen, Some("disdukcapil")),
        ("korban", Role::Produsen, Some("dinkes")),
    ];
    for (username, role, organization) in accounts {
        let new = NewUser {
            username,
            role,
            organization,
            password: PASSWORD,
        };
        catalog.create_user(&new, "setup").await.unwrap();
    }
    let walidata = Actor::user("walidata", Role::Walidata, None);
    let own = Actor::user("own", Role::Produsen, Some("disdukcapil"));
    let base = dc.catalog().dataset("jumlah-penduduk-kelurahan").await.unwrap();
    let pipeline = Pipeline::read(&root().join("pipelines/penduduk-kelurahan-2024.toml")).unwrap();
    for (name, status) in [
        ("terbuka", Some(StatusKerahasiaan::Terbuka)),
        ("terbatas", Some(StatusKerahasiaan::Terbatas)),
        ("rahasia", Some(StatusKerahasiaan::Rahasia)),
        ("draf", None),
        ("tarik", Some(StatusKerahasiaan::Terbuka)),
        ("antrean", None),
    ] {
        let mut metadata = base.clone();
        metadata.name = name.into();
        let shown = status.unwrap_or(StatusKerahasiaan::Terbuka).to_string();
        metadata.rest.insert("status_kerahasiaan".into(), shown.into());
        catalog.put_dataset(&metadata, "setup").await.unwrap();
        let Some(status) = status else { continue };
        dc.set_auto_approve(name, Some(status), &walidata).await.unwrap();
        dc.set_standing_consent(name, true, &own).await.unwrap();
        let mut p = pipeline.clone();
        p.dataset = name.into();
        dc.run_pipeline(&p, &own).await.unwrap();
    }
    let mut submissions = std::collections::BTreeMap::new();
    for state in STATES {
        submissions.insert(state, submission_in(&dc, state).await);
    }
    let now = Utc::now();
    let mut tokens = vec![None];
    for caller in &CALLERS[1..] {
        let at = if *caller == "expired" {
            now - TimeDelta::days(40)
        } else {
            now
        };
        let issued = catalog
            .create_token(caller, "matriks", TimeDelta::days(30), "setup", at)
            .await
            .unwrap();
        if *caller == "revoked" {
            catalog.revoke_token(issued.token.id, "setup", now).await.unwrap();
        }
        tokens.push(Some(issued.secret.expose().to_owned()));
    }
    let config = Config {
        listen: ([127, 0, 0, 1], 0).into(),
        ..Config::default()
    };
    let state = AppState::new(dc, config);
    let server = satudata_server::bind(state.clone()).await.unwrap();
    let base = format!("http://{}", server.local_addr().unwrap());
    tokio::spawn(server.run());
    World {
        base,
        client: reqwest::Client::new(),
        state,
        tokens,
        submissions,
        _dir: dir,
    }
}

/// One row of the table: a route, a target, and the status each caller gets.
#[derive(Debug, Clone)]
struct Row {
    method: String,
    path: String,
    target: String,
    expected: Vec<u16>,
}

fn rows(text: &str) -> Vec<Row> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (route, statuses) = l.split_once(':').unwrap_or_else(|| panic!("no `:` in {l:?}"));
            let mut words = route.split_whitespace();
            let method = words.next().unwrap().to_owned();
            let path = words.next().unwrap().to_owned();
            let target = words.next().unwrap_or("-").to_owned();
            let expected: Vec<u16> = statuses.split_whitespace().map(|s| s.parse().unwrap()).collect();
            assert_eq!(expected.len(), CALLERS.len(), "{l}");
            Row {
                method,
                path,
                target,
                expected,
            }
        })
        .collect()
}

/// The concrete path and body of `row` for `caller`: placeholders filled from the target, and
/// bodies that succeed when the caller may act (names unique per caller).
async fn request_of(world: &World, row: &Row, caller: &str) -> (String, Option<Value>) {
    let target = row.target.trim_start_matches('@');
    let catalog = world.state.center().catalog();
    let mut path = row
        .path
        .replace("{name}", target)
        .replace("{version}", "v1")
        .replace("{file}", "data.csv")
        .replace("{slug}", "dinkes");
    if row.path.starts_with("/api/v1/users/") {
        path = path.replace(target, "korban");
    }
    if row.path.contains("{id}") {
        let id = match row.path.as_str() {
            p if p.starts_with("/api/v1/standards") => "penduduk-kelurahan-jenis-kelamin".to_owned(),
            p if p.starts_with("/api/v1/code-lists") => "agama".to_owned(),
            p if p.starts_with("/api/v1/master-data") => "puskesmas".to_owned(),
            p if p.starts_with("/api/v1/submissions") || p.starts_with("/api/v1/jobs") => {
                // `@fresh-{state}`: a submission made for this cell alone (the route changes it).
                let id = match target.strip_prefix("fresh-") {
                    Some(state) => submission_in(world.state.center(), state).await,
                    None => world.submissions[target],
                };
                if p.starts_with("/api/v1/jobs") {
                    let job = catalog.job_by_dedupe_key(&format!("validate:{id}")).await.unwrap();
                    job.unwrap().id.to_string()
                } else {
                    id.to_string()
                }
            }
            // A fresh token of the owning PD's produsen for each caller to try to revoke.
            _ => {
                let issued = catalog
                    .create_token(
                        "own",
                        &format!("untuk-{caller}"),
                        TimeDelta::days(1),
                        "setup",
                        Utc::now(),
                    )
                    .await
                    .unwrap();
                issued.token.id.to_string()
            }
        };
        path = path.replace("{id}", &id);
    }
    let body = match (row.method.as_str(), row.path.as_str()) {
        ("POST", "/api/v1/auth/login") => Some(json!({ "username": "tidak-ada", "password": PASSWORD })),
        ("POST", "/api/v1/tokens") => Some(json!({ "name": format!("t-{caller}"), "expires_in_days": 30 })),
        ("POST", "/api/v1/users") => Some(json!({
            "username": format!("u-{caller}"), "role": "produsen", "organization": "dinkes", "password": PASSWORD
        })),
        ("PATCH", "/api/v1/users/{name}") => Some(json!({ "locked": false })),
        ("POST", "/api/v1/organizations") => Some(json!({
            "slug": format!("pd-{caller}"), "nama": "Dinas Uji", "singkatan": "Uji", "kode_wilayah": "61.71", "email": ""
        })),
        ("PATCH", "/api/v1/organizations/{slug}") => Some(json!({ "nama": "Dinas Kesehatan Kota Pontianak" })),
        ("PUT", "/api/v1/standards/{id}") => Some(document(
            catalog.standard("penduduk-kelurahan-jenis-kelamin").await.unwrap(),
        )),
        ("PUT", "/api/v1/code-lists/{id}") => {
            let list = catalog
                .code_lists()
                .await
                .unwrap()
                .into_iter()
                .find(|l| l.id == "agama");
            Some(document(list.unwrap()))
        }
        ("PUT", "/api/v1/master-data/{id}") => {
            let data = catalog
                .master_data()
                .await
                .unwrap()
                .into_iter()
                .find(|m| m.id == "puskesmas");
            Some(document(data.unwrap()))
        }
        ("POST", "/api/v1/datasets") => {
            let mut metadata = document(catalog.dataset("terbuka").await.unwrap());
            metadata["name"] = format!("baru-{caller}").into();
            Some(metadata)
        }
        ("PATCH", "/api/v1/datasets/{name}") => Some(json!({ "title": format!("Judul dari {caller}") })),
        ("POST", "/api/v1/submissions/{id}/comments") => Some(json!({ "body": format!("Catatan dari {caller}") })),
        ("POST", "/api/v1/submissions/{id}/review") => {
            Some(json!({ "decision": "approve", "status_kerahasiaan": "terbuka" }))
        }
        ("POST", "/api/v1/datasets/{name}/releases/{version}/withdraw") => {
            Some(json!({ "reason": format!("Ditarik oleh {caller}") }))
        }
        ("PUT", "/api/v1/datasets/{name}/auto-approve") => Some(json!({ "status_kerahasiaan": "terbuka" })),
        ("PUT", "/api/v1/datasets/{name}/consent") => Some(json!({ "standing": true })),
        _ => None,
    };
    if row.path == "/api/v1/datasets/{name}/submissions" {
        path.push_str("?filename=penduduk.csv&period=2024");
    }
    (path, body)
}

/// The raw file a route takes instead of JSON, if it takes one.
fn raw_body(row: &Row) -> Option<Vec<u8>> {
    (row.method == "POST" && row.path == "/api/v1/datasets/{name}/submissions")
        .then(|| std::fs::read(root().join("sample_data/submissions/penduduk-kelurahan-2024.csv")).unwrap())
}

fn document(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap()
}

/// What `caller` gets for `row`.
async fn ask(world: &World, row: &Row, index: usize) -> u16 {
    let caller = CALLERS[index];
    let (path, body) = request_of(world, row, caller).await;
    let method: reqwest::Method = row.method.parse().unwrap();
    let mut request = world.client.request(method, format!("{}{path}", world.base));
    if let Some(token) = &world.tokens[index] {
        request = request.bearer_auth(token);
    }
    if let Some(bytes) = raw_body(row) {
        request = request.header("content-type", "text/csv").body(bytes);
    } else if let Some(body) = body {
        let content_type = if row.method == "PATCH" && row.path.starts_with("/api/v1/datasets") {
            "application/merge-patch+json"
        } else {
            "application/json"
        };
        request = request.header("content-type", content_type).body(body.to_string());
    }
    request.send().await.unwrap().status().as_u16()
}

/// Every (method, path) the OpenAPI document lists.
fn documented() -> BTreeSet<(String, String)> {
    let doc: Value = serde_json::from_str(satudata_server::openapi::document_json()).unwrap();
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            out.insert((method.to_uppercase(), path.clone()));
        }
    }
    out
}

async fn every_route_answers_every_caller_as_the_table_says(url: &str) {
    let text = std::fs::read_to_string(matrix_path()).unwrap();
    let table = rows(&text);
    let judged: BTreeSet<(String, String)> = table.iter().map(|r| (r.method.clone(), r.path.clone())).collect();
    let unjudged: Vec<_> = documented().difference(&judged).cloned().collect();
    assert!(
        unjudged.is_empty(),
        "routes missing from authorization.matrix: {unjudged:?}"
    );
    let world = world(url).await;
    let bless = std::env::var_os("SATUDATA_BLESS").is_some();
    let mut wrong = Vec::new();
    let mut blessed = Vec::new();
    for row in &table {
        let mut got = Vec::new();
        for index in 0..CALLERS.len() {
            got.push(ask(&world, row, index).await);
        }
        if got != row.expected {
            wrong.push(format!(
                "{} {} {}: expected {:?}, got {got:?}",
                row.method, row.path, row.target, row.expected
            ));
        }
        blessed.push((row.clone(), got));
    }
    if bless && url.starts_with("sqlite") {
        rewrite(&text, &blessed);
        return;
    }
    assert!(wrong.is_empty(), "{} cells differ:\n{}", wrong.len(), wrong.join("\n"));
}

/// Writes `blessed` into the table, keeping its comments and layout.
fn rewrite(text: &str, blessed: &[(Row, Vec<u16>)]) {
    let mut answers = blessed.iter();
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                return line.to_owned();
            }
            let (route, _) = line.split_once(':').unwrap();
            let (_, got) = answers.next().unwrap();
            let cells: Vec<String> = got.iter().map(|s| format!("{s:>8}")).collect();
            format!("{route}:{}", cells.join(""))
        })
        .collect();
    std::fs::write(matrix_path(), lines.join("\n") + "\n").unwrap();
}

satudata_testkit::on_both!(every_route_answers_every_caller_as_the_table_says);
