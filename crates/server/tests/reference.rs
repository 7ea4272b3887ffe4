//! Reference data, dataset registration and the audit log, on SQLite and PostgreSQL each:
//! through the functions the handlers call (with an `Actor`), and over a real socket with a
//! real HTTP client.
//!
//! The HTTP tests that act as a signed-in account send a bearer token made with
//! `auth::resolve` (h-auth's part). Run them with `cargo test --test reference -- --ignored`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use satudata_catalog::{NewUser, PutOutcome, ReferenceKind};
use satudata_core::access::{Actor, Role};
use satudata_server::routes::audit::{self, AuditQuery};
use satudata_server::{AppState, Config, Error, reference, reference_csv, write};
use satudata_workflow::{DataCenter, Pipeline};
use serde_json::{Value, json};

/// The dataset the sample pipeline publishes (disdukcapil, terbuka).
const PUBLISHED: &str = "jumlah-penduduk-kelurahan";
/// A draft of dinkes, registered by the sample region.
const DRAFT: &str = "kunjungan-puskesmas";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sample(path: &str) -> Value {
    serde_json::from_slice(&std::fs::read(root().join("sample_data").join(path)).unwrap()).unwrap()
}

fn wati() -> Actor {
    Actor::user("wati", Role::Walidata, Some("diskominfo"))
}

fn ani() -> Actor {
    Actor::user("ani", Role::Produsen, Some("dinkes"))
}

fn budi() -> Actor {
    Actor::user("budi", Role::Produsen, Some("disdikbud"))
}

/// A running server over a data center with the sample region, one published dataset, and
/// the accounts wati (walidata), ani (produsen of dinkes), budi (produsen of disdikbud).
struct World {
    _dir: tempfile::TempDir,
    state: AppState,
    base: String,
    client: reqwest::Client,
}

impl World {
    async fn new(url: &str) -> World {
        let dir = tempfile::tempdir().unwrap();
        let center = DataCenter::init_with_database(&dir.path().join("data"), Some(url))
            .await
            .unwrap();
        center.load_region(&root().join("sample_data"), "admin").await.unwrap();
        let pipeline = Pipeline::read(&root().join("pipelines/penduduk-kelurahan-2024.toml")).unwrap();
        let dataset = "jumlah-penduduk-kelurahan";
        let status = Some(satudata_core::StatusKerahasiaan::Terbuka);
        center.set_auto_approve(dataset, status, &wati()).await.unwrap();
        let produsen = Actor::user("produsen", Role::Produsen, Some("disdukcapil"));
        center.set_standing_consent(dataset, true, &produsen).await.unwrap();
        center.run_pipeline(&pipeline, &produsen).await.unwrap();
        for actor in [wati(), ani(), budi()] {
            let new = NewUser {
                username: actor.name(),
                role: actor.role().unwrap(),
                organization: actor.organization(),
                password: "kata-sandi-yang-panjang",
            };
            center.catalog().create_user(&new, "admin").await.unwrap();
        }
        let config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            ..Config::default()
        };
        let state = AppState::new(center, config);
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

    /// A fresh API token of `username`.
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

    async fn send(&self, method: &str, path: &str, token: Option<&str>, body: Option<(&str, Vec<u8>)>) -> Answer {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some((content_type, bytes)) = body {
            request = request.header("content-type", content_type).body(bytes);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        let www = response.headers().contains_key("www-authenticate");
        let bytes = response.bytes().await.unwrap();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer {
            status,
            location,
            www,
            json,
        }
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.send("GET", path, token, None).await
    }
}

#[derive(Debug)]
struct Answer {
    status: u16,
    location: Option<String>,
    www: bool,
    json: Value,
}

impl Answer {
    fn code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or_default()
    }

    /// Asserts the status and error code.
    fn refused(&self, status: u16, code: &str) -> &Self {
        assert_eq!((self.status, self.code()), (status, code), "{}", self.json);
        assert!(self.json["error"]["message_en"].as_str().is_some_and(|m| !m.is_empty()));
        self
    }
}

fn json_body(value: &Value) -> Option<(&'static str, Vec<u8>)> {
    Some(("application/json", value.to_string().into_bytes()))
}

fn csv_body(text: &str) -> Option<(&'static str, Vec<u8>)> {
    Some(("text/csv", text.as_bytes().to_vec()))
}

/// Drops the trigger that keeps the audit log append-only and edits entry `id`.
async fn tamper(state: &AppState, id: i64) {
    let pool = state.center().catalog().pool();
    let drop = match state.center().catalog().backend() {
        satudata_catalog::Backend::Postgres => "DROP TRIGGER audit_log_no_update ON audit_log",
        _ => "DROP TRIGGER audit_log_no_update",
    };
    sqlx::query(drop).execute(pool).await.unwrap();
    sqlx::query("UPDATE audit_log SET actor = 'mallory' WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
}

// --- Through the functions the handlers call ------------------------------------------------

async fn reference_writes_follow_the_roles_and_are_audited(url: &str) {
    let w = World::new(url).await;
    let mut agama = sample("code_lists/agama.json");
    agama["nama"] = json!("Agama (revisi)");
    let doc = reference::parse_json(ReferenceKind::CodeList, agama.to_string().as_bytes()).unwrap();
    assert!(matches!(
        reference::put(&w.state, &Actor::anonymous(), "agama", &doc).await,
        Err(Error::Unauthenticated)
    ));
    assert!(matches!(
        reference::put(&w.state, &ani(), "agama", &doc).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        reference::put(&w.state, &wati(), "agama-lain", &doc).await,
        Err(Error::IdMismatch { .. })
    ));
    assert_eq!(
        reference::put(&w.state, &wati(), "agama", &doc).await.unwrap(),
        PutOutcome::Replaced
    );
    let admin = Actor::user("root", Role::Admin, None);
    assert_eq!(
        reference::put(&w.state, &admin, "agama", &doc).await.unwrap(),
        PutOutcome::Unchanged
    );
    let csv = "\u{feff}kode;nilai\r\nL;Laki-laki\r\nP;Perempuan\r\n";
    let fields = reference_csv::CsvFields {
        nama: Some("Jenis Kelamin (huruf)".into()),
        ..Default::default()
    };
    let jk = reference_csv::code_list("jk-huruf", csv.as_bytes(), &fields, None).unwrap();
    assert_eq!(
        reference::put(&w.state, &wati(), "jk-huruf", &jk).await.unwrap(),
        PutOutcome::Created
    );
    let shown = reference::show(&w.state, &Actor::anonymous(), ReferenceKind::CodeList, "jk-huruf")
        .await
        .unwrap();
    assert_eq!(shown["isian"][1], json!({"kode": "P", "nilai": "Perempuan"}));
    let query = AuditQuery {
        action: Some("code_lists.".into()),
        actor: Some("wati".into()),
        ..AuditQuery::default()
    };
    let paging = satudata_server::paging::Paging::parse(None, "/api/v1/audit".into()).unwrap();
    let page = audit::entries(&w.state, &wati(), &query, &paging).await.unwrap();
    let logged: Vec<(&str, &str)> = page
        .items
        .iter()
        .map(|e| (e.action.as_str(), e.subject.as_str()))
        .collect();
    assert_eq!(
        logged,
        [("code_lists.created", "jk-huruf"), ("code_lists.updated", "agama")]
    );
    let updated = &page.items[1].detail;
    assert_eq!(
        (updated["role"].as_str(), updated["by_organization"].as_str()),
        (Some("walidata"), Some("diskominfo"))
    );
    assert!(updated["before_sha256"].is_string() && updated["before_sha256"] != updated["sha256"]);
    assert!(matches!(
        audit::entries(&w.state, &ani(), &query, &paging).await,
        Err(Error::Forbidden)
    ));
    // NUL, which PostgreSQL cannot hold in text, is refused before any query, never a 500.
    let nul = AuditQuery {
        subject: Some("a\u{0}".into()),
        ..AuditQuery::default()
    };
    assert!(matches!(
        audit::entries(&w.state, &wati(), &nul, &paging).await,
        Err(Error::BadQuery { .. })
    ));
    let mut bad = sample("code_lists/agama.json");
    bad["isian"][0]["nilai"] = json!("Is\u{0}lam");
    let bad = reference::parse_json(ReferenceKind::CodeList, bad.to_string().as_bytes()).unwrap();
    let Err(Error::InvalidDocument { problems, .. }) = reference::put(&w.state, &wati(), "agama", &bad).await else {
        panic!("a NUL is refused");
    };
    assert_eq!(problems[0].pointer.as_deref(), Some("/isian/0/nilai"));
    assert!(matches!(
        reference::show(&w.state, &wati(), ReferenceKind::CodeList, "a\u{0}b").await,
        Err(Error::BadParameter { .. })
    ));
}

async fn datasets_are_registered_and_patched_by_whom_decide_allows(url: &str) {
    let w = World::new(url).await;
    let mut metadata = sample("datasets/kunjungan-puskesmas.json");
    metadata["name"] = json!("kunjungan-puskesmas-2025");
    for (actor, refusal) in [(Actor::anonymous(), "401"), (budi(), "403")] {
        let got = write::register(&w.state, &actor, &metadata).await;
        let code = match got {
            Err(Error::Unauthenticated) => "401",
            Err(Error::Forbidden) => "403",
            other => panic!("{other:?}"),
        };
        assert_eq!(code, refusal);
    }
    let detail = write::register(&w.state, &ani(), &metadata).await.unwrap();
    assert_eq!(detail.summary.organization, "dinkes");
    assert!(detail.summary.latest_release.is_none());
    assert!(matches!(
        write::register(&w.state, &wati(), &metadata).await,
        Err(Error::Conflict { .. })
    ));
    let mut broken = metadata.clone();
    broken["name"] = json!("rusak");
    broken["license"] = json!(42);
    let Err(Error::InvalidMetadata { findings }) = write::register(&w.state, &wati(), &broken).await else {
        panic!("broken metadata is refused");
    };
    assert!(findings.iter().any(|f| f.pointer.as_deref() == Some("/license")));
    let mut nul = metadata.clone();
    nul["name"] = json!("nul");
    nul["title"] = json!("Kunjungan\u{0}");
    assert!(matches!(
        write::register(&w.state, &wati(), &nul).await,
        Err(Error::InvalidBody { .. })
    ));
    assert!(matches!(
        write::patch(&w.state, &wati(), "a\u{0}", &json!({"title": "x"})).await,
        Err(Error::BadParameter { .. })
    ));
    let mut elsewhere = metadata.clone();
    elsewhere["name"] = json!("tanpa-standar");
    elsewhere["standard"] = json!("tidak-ada");
    assert!(matches!(
        write::register(&w.state, &wati(), &elsewhere).await,
        Err(Error::UnknownReference {
            kind: "data standard",
            ..
        })
    ));
    elsewhere["standard"] = metadata["standard"].clone();
    elsewhere["organization"] = json!("tidak-ada");
    assert!(matches!(
        write::register(&w.state, &wati(), &elsewhere).await,
        Err(Error::UnknownReference {
            kind: "organization",
            ..
        })
    ));
    // PATCH: the owning PD and the walidata change the title; name and organization never.
    let patched = write::patch(&w.state, &ani(), DRAFT, &json!({"title": "Kunjungan (revisi)"}))
        .await
        .unwrap();
    assert_eq!(patched.summary.title, "Kunjungan (revisi)");
    assert!(matches!(
        write::patch(&w.state, &wati(), DRAFT, &json!({"name": "lain"})).await,
        Err(Error::ImmutableField { field: "name" })
    ));
    assert!(matches!(
        write::patch(&w.state, &wati(), DRAFT, &json!({"organization": "bappeda"})).await,
        Err(Error::ImmutableField { field: "organization" })
    ));
    assert!(matches!(
        write::patch(&w.state, &wati(), DRAFT, &json!({"license": null})).await,
        Err(Error::InvalidMetadata { .. })
    ));
    // Another PD's draft is hidden (404); another PD's published dataset is visible but not
    // theirs (403), and the public must sign in (401).
    assert!(matches!(
        write::patch(&w.state, &budi(), DRAFT, &json!({"title": "x"})).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        write::patch(&w.state, &budi(), PUBLISHED, &json!({"title": "x"})).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        write::patch(&w.state, &Actor::anonymous(), PUBLISHED, &json!({"title": "x"})).await,
        Err(Error::Unauthenticated)
    ));
    let stored = w.state.center().catalog().dataset(DRAFT).await.unwrap();
    assert_eq!(stored.title(), "Kunjungan (revisi)");
}

async fn a_tampered_audit_entry_is_reported(url: &str) {
    let w = World::new(url).await;
    let before = audit::verification(&w.state, &wati()).await.unwrap();
    assert!(before.valid && before.first_bad.is_none() && before.entries > 3);
    assert!(matches!(
        audit::verification(&w.state, &Actor::anonymous()).await,
        Err(Error::Unauthenticated)
    ));
    tamper(&w.state, 3).await;
    let after = audit::verification(&w.state, &wati()).await.unwrap();
    assert!(!after.valid);
    assert_eq!(after.entries, before.entries);
    let bad = after.first_bad.unwrap();
    assert_eq!((bad.id, bad.reason.as_str()), (3, "content"));
    assert!(!bad.message_id.is_empty() && bad.message_id != bad.message_en);
}

// --- Over the socket, anonymously -------------------------------------------------------------

async fn the_public_reads_reference_data_and_may_not_write(url: &str) {
    let w = World::new(url).await;
    let page = w.get("/api/v1/code-lists?limit=2&offset=1", None).await;
    assert_eq!(page.status, 200, "{}", page.json);
    let total = page.json["total"].as_u64().unwrap();
    assert!(total >= 5, "{}", page.json);
    assert_eq!(page.json["items"].as_array().unwrap().len(), 2);
    let agama = w.get("/api/v1/code-lists/agama", None).await;
    assert_eq!(agama.json, sample("code_lists/agama.json"));
    let standards = w.get("/api/v1/standards", None).await;
    assert!(
        standards.json["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == "penduduk-kelurahan-jenis-kelamin" && s["entries"].as_u64() > Some(0))
    );
    let puskesmas = w.get("/api/v1/master-data/puskesmas", None).await;
    assert_eq!(puskesmas.json["kunci"], "kode_puskesmas");
    w.get("/api/v1/master-data/tidak-ada", None)
        .await
        .refused(404, "not-found");
    w.get("/api/v1/code-lists/a%00b", None)
        .await
        .refused(400, "bad-parameter");
    let put = w
        .send(
            "PUT",
            "/api/v1/code-lists/agama",
            None,
            json_body(&sample("code_lists/agama.json")),
        )
        .await;
    assert!(put.refused(401, "unauthenticated").www);
    w.send(
        "PUT",
        "/api/v1/code-lists/agama",
        None,
        Some(("text/plain", b"x".to_vec())),
    )
    .await
    .refused(415, "unsupported-media-type");
    // A code list has no key column to name.
    w.send(
        "PUT",
        "/api/v1/code-lists/x?kunci=kode",
        None,
        csv_body("kode;nilai\n1;a\n"),
    )
    .await
    .refused(400, "bad-query");
    w.send(
        "POST",
        "/api/v1/datasets",
        None,
        json_body(&sample("datasets/kunjungan-puskesmas.json")),
    )
    .await
    .refused(401, "unauthenticated");
    w.send(
        "PATCH",
        &format!("/api/v1/datasets/{DRAFT}"),
        None,
        json_body(&json!({"title": "x"})),
    )
    .await
    .refused(404, "not-found");
    w.get("/api/v1/audit", None).await.refused(401, "unauthenticated");
    w.get("/api/v1/audit/verify", None)
        .await
        .refused(401, "unauthenticated");
    w.get("/api/v1/audit?since=kemarin", Some("sdt_tidak-dikenal"))
        .await
        .refused(401, "unauthenticated");
}

async fn reference_imports_have_their_own_body_limit(url: &str) {
    let w = World::new(url).await;
    // 2 MiB: over the JSON limit (1 MiB), under the reference limit (64 MiB).
    let mut csv = String::from("kode;nilai\n");
    let mut i = 0;
    while csv.len() < 2 << 20 {
        csv.push_str(&format!("{i};Nilai nomor {i}\n"));
        i += 1;
    }
    // Read whole and refused only for want of an account.
    w.send("PUT", "/api/v1/code-lists/besar", None, csv_body(&csv))
        .await
        .refused(401, "unauthenticated");
    let mut metadata = sample("datasets/kunjungan-puskesmas.json");
    metadata["description"] = json!(csv);
    w.send("POST", "/api/v1/datasets", None, json_body(&metadata))
        .await
        .refused(413, "payload-too-large");
    w.send(
        "PUT",
        "/api/v1/standards/penduduk-kelurahan-jenis-kelamin",
        None,
        json_body(&json!({"pad": csv})),
    )
    .await
    .refused(413, "payload-too-large");
}

satudata_testkit::on_both!(
    reference_writes_follow_the_roles_and_are_audited,
    datasets_are_registered_and_patched_by_whom_decide_allows,
    a_tampered_audit_entry_is_reported,
    the_public_reads_reference_data_and_may_not_write,
    reference_imports_have_their_own_body_limit,
);

// --- Over the socket, signed in (needs bearer tokens to resolve: h-auth) ----------------------

/// The HTTP tests that act as an account, on both databases.
mod signed_in {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let db = satudata_testkit::TestDb::sqlite();
        over_http(db.url()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(db) = satudata_testkit::TestDb::postgres().await {
            over_http(db.url()).await;
        }
    }
}

async fn over_http(url: &str) {
    let w = World::new(url).await;
    let (wati, ani) = (w.token("wati").await, w.token("ani").await);
    // A code list as JSON: 201 with Location, then 200 when replaced.
    let mut jk = sample("code_lists/jenis-kelamin.json");
    jk["id"] = json!("jk-baru");
    let created = w
        .send("PUT", "/api/v1/code-lists/jk-baru", Some(&wati), json_body(&jk))
        .await;
    assert_eq!(created.status, 201, "{}", created.json);
    assert_eq!(created.location.as_deref(), Some("/api/v1/code-lists/jk-baru"));
    assert_eq!(w.get("/api/v1/code-lists/jk-baru", None).await.json, jk);
    jk["nama"] = json!("Jenis Kelamin (baru)");
    let replaced = w
        .send("PUT", "/api/v1/code-lists/jk-baru", Some(&wati), json_body(&jk))
        .await;
    assert_eq!(replaced.status, 200);
    w.send("PUT", "/api/v1/code-lists/lain", Some(&wati), json_body(&jk))
        .await
        .refused(400, "id-mismatch");
    w.send("PUT", "/api/v1/code-lists/jk-baru", Some(&ani), json_body(&jk))
        .await
        .refused(403, "forbidden");
    // The same as a `;` CSV with a byte order mark, the name in the query.
    let csv = "\u{feff}Kode;Nilai\r\n1;Laki-laki\r\n2;Perempuan\r\n";
    let imported = w
        .send(
            "PUT",
            "/api/v1/code-lists/jk-csv?nama=Jenis%20Kelamin",
            Some(&wati),
            csv_body(csv),
        )
        .await;
    assert_eq!(imported.status, 201, "{}", imported.json);
    let back = w.get("/api/v1/code-lists/jk-csv", None).await.json;
    assert_eq!(back["nama"], "Jenis Kelamin");
    assert_eq!(
        back["isian"],
        json!([{"kode": "1", "nilai": "Laki-laki"}, {"kode": "2", "nilai": "Perempuan"}])
    );
    // A bad row names its row and column.
    let bad = w
        .send(
            "PUT",
            "/api/v1/code-lists/jk-csv",
            Some(&wati),
            csv_body("kode,nilai\n1,a\n1,b\n"),
        )
        .await;
    bad.refused(422, "invalid-document");
    let problem = &bad.json["error"]["details"]["problems"][0];
    assert_eq!(
        (problem["row"].as_u64(), problem["column"].as_str()),
        (Some(3), Some("kode"))
    );
    // Master data from CSV, keyed on the column named.
    let sekolah = "npsn;nama\n101;SD 1\n102;SD 2\n";
    let master = w
        .send(
            "PUT",
            "/api/v1/master-data/sekolah-csv?nama=Sekolah&kunci=npsn",
            Some(&wati),
            csv_body(sekolah),
        )
        .await;
    assert_eq!(master.status, 201, "{}", master.json);
    // A dataset with broken metadata gives the findings; a good one is registered.
    let mut metadata = sample("datasets/kunjungan-puskesmas.json");
    metadata["name"] = json!("kunjungan-baru");
    let mut broken = metadata.clone();
    broken["license"] = json!(42);
    let refused = w.send("POST", "/api/v1/datasets", Some(&ani), json_body(&broken)).await;
    refused.refused(422, "invalid-metadata");
    assert!(
        refused.json["error"]["details"]["findings"]
            .as_array()
            .is_some_and(|f| !f.is_empty())
    );
    let registered = w
        .send("POST", "/api/v1/datasets", Some(&ani), json_body(&metadata))
        .await;
    assert_eq!(registered.status, 201, "{}", registered.json);
    assert_eq!(registered.location.as_deref(), Some("/api/v1/datasets/kunjungan-baru"));
    assert_eq!(registered.json["name"], "kunjungan-baru");
    w.send("POST", "/api/v1/datasets", Some(&wati), json_body(&metadata))
        .await
        .refused(409, "conflict");
    // PATCH changes the title and refuses a name change.
    let patch = Some((
        "application/merge-patch+json",
        br#"{"title": "Kunjungan Baru"}"#.to_vec(),
    ));
    let patched = w
        .send("PATCH", "/api/v1/datasets/kunjungan-baru", Some(&ani), patch)
        .await;
    assert_eq!(
        (patched.status, patched.json["title"].as_str()),
        (200, Some("Kunjungan Baru"))
    );
    w.send(
        "PATCH",
        "/api/v1/datasets/kunjungan-baru",
        Some(&wati),
        json_body(&json!({"name": "x"})),
    )
    .await
    .refused(400, "immutable-field");
    // The audit log, filtered, newest first.
    let listed = w
        .get("/api/v1/audit?action=code_lists.&actor=wati&limit=2", Some(&wati))
        .await;
    assert_eq!(listed.status, 200, "{}", listed.json);
    let subjects: Vec<&str> = listed.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, ["jk-csv", "jk-baru"]);
    assert_eq!(listed.json["total"], 3);
    let datasets = w
        .get(
            "/api/v1/audit?action=datasets.created&subject=kunjungan-baru",
            Some(&wati),
        )
        .await;
    assert_eq!(datasets.json["items"][0]["actor"], "ani");
    assert_eq!(datasets.json["items"][0]["detail"]["role"], "produsen");
    w.get("/api/v1/audit?since=kemarin", Some(&wati))
        .await
        .refused(400, "bad-query");
    w.get("/api/v1/audit", Some(&ani)).await.refused(403, "forbidden");
    // The chain, whole and then tampered with.
    let whole = w.get("/api/v1/audit/verify", Some(&wati)).await;
    assert_eq!(
        (whole.json["valid"].as_bool(), &whole.json["first_bad"]),
        (Some(true), &Value::Null)
    );
    tamper(&w.state, 2).await;
    let broken = w.get("/api/v1/audit/verify", Some(&wati)).await;
    assert_eq!(broken.json["valid"], false);
    assert_eq!(broken.json["first_bad"]["id"], 2);
    assert_eq!(broken.json["first_bad"]["reason"], "content");
}
