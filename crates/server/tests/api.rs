//! The API through `app()` with `oneshot`: a data center with the sample region, one open
//! release, one secret release and one draft.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt as _;
use satudata_core::StatusKerahasiaan;
use satudata_core::access::{Actor, Role};
use satudata_server::{AppState, Config};
use satudata_workflow::{DataCenter, Pipeline, Submission};
use serde_json::Value;
use tower::ServiceExt as _;

const OPEN: &str = "jumlah-penduduk-kelurahan";
const SECRET: &str = "penduduk-rahasia";
const DRAFT: &str = "penduduk-draf";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A data center with the sample region: `OPEN` published (terbuka), `SECRET` published as
/// rahasia, `DRAFT` registered without a release.
async fn center(dir: &tempfile::TempDir) -> DataCenter {
    let dc = DataCenter::init(&dir.path().join("data")).await.unwrap();
    dc.load_region(&root().join("sample_data"), "admin").await.unwrap();
    let admin = Actor::user("admin", Role::Admin, None);
    let walidata = Actor::user("walidata", Role::Walidata, None);
    let produsen = Actor::user("produsen", Role::Produsen, Some("disdukcapil"));
    let feed = |name: &'static str, status| {
        let (dc, walidata, produsen) = (&dc, &walidata, &produsen);
        async move {
            dc.set_auto_approve(name, Some(status), walidata).await.unwrap();
            dc.set_standing_consent(name, true, produsen).await.unwrap();
        }
    };
    feed(OPEN, StatusKerahasiaan::Terbuka).await;
    let pipeline = Pipeline::read(&root().join("pipelines/penduduk-kelurahan-2024.toml")).unwrap();
    dc.run_pipeline(&pipeline, &admin).await.unwrap();
    let mut metadata = dc.catalog().dataset(OPEN).await.unwrap();
    metadata.name = SECRET.into();
    metadata.rest.insert("title".into(), "Penduduk (rahasia)".into());
    metadata.rest.insert("status_kerahasiaan".into(), "rahasia".into());
    dc.catalog().put_dataset(&metadata, "admin").await.unwrap();
    feed(SECRET, StatusKerahasiaan::Rahasia).await;
    let bytes = std::fs::read(root().join("sample_data/submissions/penduduk-kelurahan-2024.csv")).unwrap();
    dc.submit(Submission {
        dataset: SECRET,
        period: "2024",
        file_name: "penduduk-kelurahan-2024.csv",
        bytes: &bytes,
        options: satudata_ingest::IngestOptions::default(),
        actor: &admin,
    })
    .await
    .unwrap();
    assert!(dc.catalog().latest_release(SECRET).await.unwrap().is_some());
    metadata.name = DRAFT.into();
    metadata.rest.insert("status_kerahasiaan".into(), "terbuka".into());
    dc.catalog().put_dataset(&metadata, "admin").await.unwrap();
    dc
}

async fn app(dir: &tempfile::TempDir) -> Router {
    satudata_server::app(AppState::new(center(dir).await, Config::default()))
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    fn code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or_default().to_owned()
    }

    fn header(&self, name: header::HeaderName) -> &str {
        self.headers.get(&name).map_or("", |v| v.to_str().unwrap())
    }
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    Answer { status, headers, body }
}

async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn get_with(app: &Router, uri: &str, headers: &[(header::HeaderName, &str)]) -> Answer {
    let mut request = Request::get(uri);
    for (k, v) in headers {
        request = request.header(k, *v);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

/// Asserts the status and the error code, and the error body's shape.
fn refused(answer: &Answer, status: StatusCode, code: &str) {
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (status, code),
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let error = &answer.json()["error"];
    for key in ["message", "message_id", "message_en", "request_id"] {
        assert!(error[key].as_str().is_some_and(|s| !s.is_empty()), "{key} in {error}");
    }
    assert!(error["details"].is_object());
    assert_eq!(
        error["request_id"].as_str(),
        Some(answer.header(header::HeaderName::from_static("x-request-id")))
    );
    assert!(answer.header(header::CONTENT_TYPE).starts_with("application/json"));
}

#[tokio::test]
async fn operations_answer_with_security_headers_and_request_ids() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    let health = get(&app, "/healthz").await;
    assert_eq!(
        (health.status, health.json()["status"].as_str()),
        (StatusCode::OK, Some("ok"))
    );
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        assert_eq!(health.header(name.clone()), value, "{name}");
    }
    let id = header::HeaderName::from_static("x-request-id");
    assert!(!health.header(id.clone()).is_empty());
    let kept = get_with(&app, "/healthz", &[(id.clone(), "harvester-42")]).await;
    assert_eq!(kept.header(id.clone()), "harvester-42");
    let replaced = get_with(&app, "/healthz", &[(id.clone(), "bad id with spaces")]).await;
    assert_ne!(replaced.header(id), "bad id with spaces");
    assert_eq!(get(&app, "/readyz").await.status, StatusCode::OK);
    get(&app, &format!("/api/v1/datasets/{OPEN}")).await;
    get(&app, "/tidak/ada").await;
    let metrics = get(&app, "/metrics").await;
    let text = String::from_utf8(metrics.body).unwrap();
    assert!(
        text.contains(
            "satudata_http_requests_total{route=\"/api/v1/datasets/{name}\",method=\"GET\",status=\"200\"} 1"
        )
    );
    assert!(text.contains("satudata_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"));
    assert!(text.contains("satudata_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 3"));
}

#[tokio::test]
async fn readyz_is_503_when_the_store_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    std::fs::rename(dir.path().join("data/store"), dir.path().join("moved")).unwrap();
    let answer = get(&app, "/readyz?lang=en").await;
    refused(&answer, StatusCode::SERVICE_UNAVAILABLE, "not-ready");
    assert!(
        answer.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("file store")
    );
}

fn names(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_public_sees_open_datasets_only_and_hidden_ones_are_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    let all = get(&app, "/api/v1/datasets").await.json();
    assert_eq!(names(&all), [OPEN]);
    assert_eq!(
        (all["total"].as_u64(), all["limit"].as_u64(), all["offset"].as_u64()),
        (Some(1), Some(50), Some(0))
    );
    assert_eq!(all["links"]["self"], "/api/v1/datasets?limit=50&offset=0");
    assert!(all["links"]["next"].is_null() && all["links"]["prev"].is_null());
    let item = &all["items"][0];
    assert_eq!(item["latest_release"]["version"], 1);
    assert_eq!(item["status_kerahasiaan"], "terbuka");
    assert_eq!(item["links"]["self"], format!("/api/v1/datasets/{OPEN}"));
    // Filters.
    let by_org = get(&app, "/api/v1/datasets?organization=disdukcapil").await.json();
    assert_eq!(names(&by_org), [OPEN]);
    assert_eq!(
        get(&app, "/api/v1/datasets?organization=dinkes").await.json()["total"],
        0
    );
    assert_eq!(get(&app, "/api/v1/datasets?q=PENDUDUK").await.json()["total"], 1);
    assert_eq!(get(&app, "/api/v1/datasets?q=rahasia").await.json()["total"], 0);
    assert_eq!(
        get(&app, "/api/v1/datasets?status_kerahasiaan=rahasia").await.json()["total"],
        0
    );
    assert_eq!(
        get(&app, "/api/v1/datasets?status_kerahasiaan=terbuka").await.json()["total"],
        1
    );
    let beyond = get(&app, "/api/v1/datasets?limit=1&offset=1").await.json();
    assert_eq!((names(&beyond).len(), beyond["total"].as_u64()), (0, Some(1)));
    assert_eq!(beyond["links"]["prev"], "/api/v1/datasets?limit=1&offset=0");
    // Detail.
    let detail = get(&app, &format!("/api/v1/datasets/{OPEN}")).await;
    assert_eq!(detail.status, StatusCode::OK);
    let detail = detail.json();
    assert_eq!(
        (detail["organization"].as_str(), detail["metadata"]["name"].as_str()),
        (Some("disdukcapil"), Some(OPEN))
    );
    assert!(detail["standard"].as_str().is_some_and(|s| !s.is_empty()));
    // What may not be seen answers as what does not exist.
    let missing = get(&app, "/api/v1/datasets/tidak-ada").await;
    refused(&missing, StatusCode::NOT_FOUND, "not-found");
    for hidden in [SECRET, DRAFT] {
        for path in ["", "/releases", "/releases/v1", "/releases/v1/files/data.csv"] {
            let answer = get(&app, &format!("/api/v1/datasets/{hidden}{path}")).await;
            refused(&answer, StatusCode::NOT_FOUND, "not-found");
            assert_eq!(answer.json()["error"]["details"]["kind"], "dataset", "{hidden}{path}");
        }
    }
    // Organizations are public.
    let orgs = get(&app, "/api/v1/organizations?limit=2").await.json();
    assert_eq!(orgs["items"].as_array().unwrap().len(), 2);
    assert!(orgs["total"].as_u64().unwrap() > 2);
    assert_eq!(orgs["links"]["next"], "/api/v1/organizations?limit=2&offset=2");
    let org = get(&app, "/api/v1/organizations/disdukcapil").await.json();
    assert_eq!(org["links"]["datasets"], "/api/v1/datasets?organization=disdukcapil");
    refused(
        &get(&app, "/api/v1/organizations/tidak-ada").await,
        StatusCode::NOT_FOUND,
        "not-found",
    );
}

#[tokio::test]
async fn release_files_stream_with_etag_range_and_304() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    let releases = get(&app, &format!("/api/v1/datasets/{OPEN}/releases")).await.json();
    assert_eq!(releases["total"], 1);
    let release = get(&app, &format!("/api/v1/datasets/{OPEN}/releases/v1")).await.json();
    assert_eq!(
        release,
        get(&app, &format!("/api/v1/datasets/{OPEN}/releases/1")).await.json()
    );
    assert_eq!(release["manifest"]["dataset"], OPEN);
    assert_eq!(release["metadata"]["dataset"]["name"], OPEN);
    let files = release["files"].as_array().unwrap();
    let listed: Vec<&str> = files.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert!(
        listed.contains(&"data.csv") && listed.ends_with(&["manifest.json", "manifest.sig"]),
        "{listed:?}"
    );
    for file in files {
        let answer = get(&app, file["link"].as_str().unwrap()).await;
        assert_eq!(answer.status, StatusCode::OK, "{file}");
        let sha = satudata_core::sha256_hex(&answer.body);
        assert_eq!(answer.header(header::ETAG), format!("\"{sha}\""));
        if let Some(listed) = file["sha256"].as_str() {
            assert_eq!(listed, sha);
        }
        assert_eq!(answer.header(header::CONTENT_LENGTH), answer.body.len().to_string());
        assert_eq!(answer.header(header::ACCEPT_RANGES), "bytes");
        assert!(answer.header(header::LAST_MODIFIED).ends_with(" GMT"));
    }
    let csv_uri = format!("/api/v1/datasets/{OPEN}/releases/v1/files/data.csv");
    let csv = get(&app, &csv_uri).await;
    assert_eq!(csv.header(header::CONTENT_TYPE), "text/csv; charset=utf-8");
    assert_eq!(
        csv.header(header::CONTENT_DISPOSITION),
        format!("attachment; filename=\"{OPEN}-v1-data.csv\"")
    );
    let size = csv.body.len();
    let etag = csv.header(header::ETAG).to_owned();
    // A range.
    let part = get_with(&app, &csv_uri, &[(header::RANGE, "bytes=0-9")]).await;
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.body, &csv.body[..10]);
    assert_eq!(part.header(header::CONTENT_RANGE), format!("bytes 0-9/{size}"));
    let tail = get_with(&app, &csv_uri, &[(header::RANGE, "bytes=-5")]).await;
    assert_eq!(tail.body, &csv.body[size - 5..]);
    let past = get_with(&app, &csv_uri, &[(header::RANGE, &format!("bytes={size}-"))]).await;
    refused(&past, StatusCode::RANGE_NOT_SATISFIABLE, "range-not-satisfiable");
    assert_eq!(past.header(header::CONTENT_RANGE), format!("bytes */{size}"));
    let stale = get_with(
        &app,
        &csv_uri,
        &[(header::RANGE, "bytes=0-9"), (header::IF_RANGE, "\"other\"")],
    )
    .await;
    assert_eq!((stale.status, stale.body.len()), (StatusCode::OK, size));
    // Conditional.
    let same = get_with(&app, &csv_uri, &[(header::IF_NONE_MATCH, &etag)]).await;
    assert_eq!((same.status, same.body.len()), (StatusCode::NOT_MODIFIED, 0));
    assert_eq!(same.header(header::ETAG), etag);
    let other = get_with(&app, &csv_uri, &[(header::IF_NONE_MATCH, "\"other\"")]).await;
    assert_eq!(other.status, StatusCode::OK);
    // Files are never compressed (their bytes are their ETag); JSON is.
    let gzip = [(header::ACCEPT_ENCODING, "gzip")];
    assert_eq!(
        get_with(&app, &csv_uri, &gzip).await.header(header::CONTENT_ENCODING),
        ""
    );
    let list = get_with(&app, "/api/v1/datasets", &gzip).await;
    assert_eq!(list.header(header::CONTENT_ENCODING), "gzip");
    // HEAD answers the headers.
    let head = send(&app, Request::head(&csv_uri).body(Body::empty()).unwrap()).await;
    assert_eq!((head.status, head.body.len()), (StatusCode::OK, 0));
    assert_eq!(head.header(header::CONTENT_LENGTH), size.to_string());
    // Harvesters may read from any origin.
    let cors = get_with(&app, &csv_uri, &[(header::ORIGIN, "https://data.go.id")]).await;
    assert_eq!(cors.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
}

/// An encoded NUL anywhere in the path or query is refused before any handler: no name holds
/// one, and PostgreSQL cannot compare text with one.
#[tokio::test]
async fn a_nul_in_a_path_or_query_is_a_bad_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    for uri in [
        format!("/api/v1/datasets/{OPEN}/releases/v1/files/data.csv%00"),
        "/api/v1/datasets/a%00b".to_owned(),
        "/api/v1/organizations/a%00b".to_owned(),
        "/api/v1/users/a%00b".to_owned(),
        "/api/v1/datasets?q=%00".to_owned(),
    ] {
        refused(&get(&app, &uri).await, StatusCode::BAD_REQUEST, "bad-parameter");
    }
}

#[tokio::test]
async fn path_tricks_never_leave_the_release_folder() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    let files = format!("/api/v1/datasets/{OPEN}/releases/v1/files");
    for trick in [
        "..%2F..%2F..%2F..%2Fkeys%2Fkenirsangkalan.key",
        "%2E%2E",
        "..",
        "a%5Cb",
        ".hidden",
        "%2Fetc%2Fpasswd",
    ] {
        refused(
            &get(&app, &format!("{files}/{trick}")).await,
            StatusCode::BAD_REQUEST,
            "bad-file-name",
        );
    }
    for unknown in ["kenirsangkalan.key", "catalog.db", "data.xlsx"] {
        let answer = get(&app, &format!("{files}/{unknown}")).await;
        refused(&answer, StatusCode::NOT_FOUND, "not-found");
        assert_eq!(answer.json()["error"]["details"]["kind"], "file");
    }
    // Extra segments match no route at all.
    refused(
        &get(&app, &format!("{files}/../../../../keys/kenirsangkalan.key")).await,
        StatusCode::NOT_FOUND,
        "route-not-found",
    );
    refused(
        &get(&app, &format!("{files}/a/b")).await,
        StatusCode::NOT_FOUND,
        "route-not-found",
    );
    for version in ["vx", "v0", "-1", "v1.0"] {
        let answer = get(&app, &format!("/api/v1/datasets/{OPEN}/releases/{version}")).await;
        refused(&answer, StatusCode::BAD_REQUEST, "bad-parameter");
    }
    refused(
        &get(&app, &format!("/api/v1/datasets/{OPEN}/releases/v9")).await,
        StatusCode::NOT_FOUND,
        "not-found",
    );
}

#[tokio::test]
async fn every_refusal_has_its_status_code_and_body() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    refused(
        &get(&app, "/api/v1/tidak-ada").await,
        StatusCode::NOT_FOUND,
        "route-not-found",
    );
    refused(
        &get(&app, "/api/v1/datasets/").await,
        StatusCode::NOT_FOUND,
        "route-not-found",
    );
    let post = send(
        &app,
        Request::delete("/api/v1/datasets").body(Body::from("{}")).unwrap(),
    )
    .await;
    refused(&post, StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed");
    assert!(
        post.header(header::ALLOW).contains("GET"),
        "{}",
        post.header(header::ALLOW)
    );
    assert_eq!(post.json()["error"]["details"]["method"], "DELETE");
    let delete = send(
        &app,
        Request::builder()
            .method(Method::DELETE)
            .uri("/healthz")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    refused(&delete, StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed");
    for paging in ["limit=0", "limit=501", "limit=abc", "offset=-1", "limit=10&limit=20"] {
        for list in [
            "/api/v1/datasets",
            "/api/v1/organizations",
            &format!("/api/v1/datasets/{OPEN}/releases"),
        ] {
            refused(
                &get(&app, &format!("{list}?{paging}")).await,
                StatusCode::BAD_REQUEST,
                "bad-paging",
            );
        }
    }
    refused(
        &get(&app, "/api/v1/datasets?lang=fr").await,
        StatusCode::BAD_REQUEST,
        "bad-lang",
    );
    refused(
        &get(&app, "/healthz?lang=jv").await,
        StatusCode::BAD_REQUEST,
        "bad-lang",
    );
    refused(
        &get(&app, "/api/v1/datasets?organisasi=dinkes").await,
        StatusCode::BAD_REQUEST,
        "bad-query",
    );
    refused(
        &get(&app, "/api/v1/organizations?q=x").await,
        StatusCode::BAD_REQUEST,
        "bad-query",
    );
    let releases = format!("/api/v1/datasets/{OPEN}/releases?versi=1");
    refused(&get(&app, &releases).await, StatusCode::BAD_REQUEST, "bad-query");
    // A path that is not UTF-8 once decoded is a client error, not a server one.
    refused(
        &get(&app, "/api/v1/datasets/%FF").await,
        StatusCode::BAD_REQUEST,
        "bad-request",
    );
    refused(
        &get(&app, "/api/v1/datasets?status_kerahasiaan=bocor").await,
        StatusCode::BAD_REQUEST,
        "bad-query",
    );
    let long = "a".repeat(201);
    refused(
        &get(&app, &format!("/api/v1/datasets?q={long}")).await,
        StatusCode::BAD_REQUEST,
        "bad-query",
    );
    let token = get_with(
        &app,
        "/api/v1/datasets",
        &[(header::AUTHORIZATION, "Bearer sd_tidak_dikenal")],
    )
    .await;
    refused(&token, StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(token.header(header::WWW_AUTHENTICATE), "Bearer");
    // An unknown session cookie reads as signed out.
    let cookie = get_with(&app, "/api/v1/datasets", &[(header::COOKIE, "satudata_sesi=lama")]).await;
    assert_eq!(cookie.status, StatusCode::OK);
    // The language: ?lang= first, then Accept-Language, Indonesian by default.
    let message = |a: &Answer| a.json()["error"]["message"].as_str().unwrap().to_owned();
    let id = get(&app, "/api/v1/datasets/tidak-ada").await;
    assert_eq!(message(&id), id.json()["error"]["message_id"].as_str().unwrap());
    let en = get(&app, "/api/v1/datasets/tidak-ada?lang=en").await;
    assert_eq!(message(&en), "dataset tidak-ada not found");
    let header_en = get_with(
        &app,
        "/api/v1/datasets/tidak-ada",
        &[(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.8")],
    )
    .await;
    assert_eq!(message(&header_en), message(&en));
    let query_wins = get_with(
        &app,
        "/api/v1/datasets/tidak-ada?lang=id",
        &[(header::ACCEPT_LANGUAGE, "en")],
    )
    .await;
    assert_eq!(message(&query_wins), message(&id));
}

/// Every route of the document, as (method, path), in order.
const ROUTES: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/metrics"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/organizations"),
    ("get", "/api/v1/organizations/{slug}"),
    ("get", "/api/v1/datasets"),
    ("get", "/api/v1/datasets/{name}"),
    ("get", "/api/v1/datasets/{name}/releases"),
    ("get", "/api/v1/datasets/{name}/releases/{version}"),
    ("get", "/api/v1/datasets/{name}/releases/{version}/files/{file}"),
    // h-auth: sign-in, sessions, tokens, account administration
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/tokens"),
    ("post", "/api/v1/tokens"),
    ("delete", "/api/v1/tokens/{id}"),
    ("get", "/api/v1/users"),
    ("post", "/api/v1/users"),
    ("get", "/api/v1/users/{name}"),
    ("patch", "/api/v1/users/{name}"),
    ("post", "/api/v1/organizations"),
    ("patch", "/api/v1/organizations/{slug}"),
    // h-ref: reference data, dataset registration, the audit log
    ("get", "/api/v1/standards"),
    ("get", "/api/v1/standards/{id}"),
    ("put", "/api/v1/standards/{id}"),
    ("get", "/api/v1/code-lists"),
    ("get", "/api/v1/code-lists/{id}"),
    ("put", "/api/v1/code-lists/{id}"),
    ("get", "/api/v1/master-data"),
    ("get", "/api/v1/master-data/{id}"),
    ("put", "/api/v1/master-data/{id}"),
    ("post", "/api/v1/datasets"),
    ("patch", "/api/v1/datasets/{name}"),
    ("get", "/api/v1/audit"),
    ("get", "/api/v1/audit/verify"),
    // h-sub: submissions, review, publishing, jobs
    ("get", "/api/v1/submissions"),
    ("get", "/api/v1/submissions/{id}"),
    ("get", "/api/v1/submissions/{id}/report"),
    ("get", "/api/v1/submissions/{id}/diff"),
    ("get", "/api/v1/submissions/{id}/comments"),
    ("post", "/api/v1/submissions/{id}/comments"),
    ("post", "/api/v1/submissions/{id}/review"),
    ("post", "/api/v1/submissions/{id}/consent"),
    ("post", "/api/v1/submissions/{id}/publish"),
    ("post", "/api/v1/datasets/{name}/releases/{version}/withdraw"),
    ("get", "/api/v1/jobs/{id}"),
    ("post", "/api/v1/datasets/{name}/submissions"),
    ("put", "/api/v1/datasets/{name}/auto-approve"),
    ("put", "/api/v1/datasets/{name}/consent"),
];

/// The routes that answer an anonymous request without a body with something other than 200
/// (they need an account or a body), as (method, path, status).
const NOT_ANONYMOUS: &[(&str, &str, StatusCode)] = &[
    // h-auth
    ("post", "/api/v1/auth/login", StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ("post", "/api/v1/auth/logout", StatusCode::NO_CONTENT),
    ("get", "/api/v1/me", StatusCode::UNAUTHORIZED),
    ("get", "/api/v1/tokens", StatusCode::UNAUTHORIZED),
    ("post", "/api/v1/tokens", StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ("delete", "/api/v1/tokens/{id}", StatusCode::UNAUTHORIZED),
    ("get", "/api/v1/users", StatusCode::UNAUTHORIZED),
    ("post", "/api/v1/users", StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ("get", "/api/v1/users/{name}", StatusCode::NOT_FOUND),
    ("patch", "/api/v1/users/{name}", StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ("post", "/api/v1/organizations", StatusCode::UNSUPPORTED_MEDIA_TYPE),
    (
        "patch",
        "/api/v1/organizations/{slug}",
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    ),
    // h-sub: submission 1 does not exist (or is not the caller's to see)
    ("get", "/api/v1/submissions", StatusCode::UNAUTHORIZED),
    ("get", "/api/v1/submissions/{id}", StatusCode::NOT_FOUND),
    ("get", "/api/v1/submissions/{id}/report", StatusCode::NOT_FOUND),
    ("get", "/api/v1/submissions/{id}/diff", StatusCode::NOT_FOUND),
    ("get", "/api/v1/submissions/{id}/comments", StatusCode::NOT_FOUND),
    ("get", "/api/v1/jobs/{id}", StatusCode::NOT_FOUND),
    ("post", "/api/v1/datasets/{name}/submissions", StatusCode::UNAUTHORIZED),
];

/// A sample id for a reference route's `{id}`.
fn sample_id(path: &str) -> &'static str {
    if path.starts_with("/api/v1/standards") {
        "penduduk-kelurahan-jenis-kelamin"
    } else if path.starts_with("/api/v1/code-lists") {
        "agama"
    } else if path.starts_with("/api/v1/master-data") {
        "puskesmas"
    } else {
        "1"
    }
}

/// Every `$ref` in `value`.
fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r);
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_matches_the_routes() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    let answer = get(&app, "/api/v1/openapi.json").await;
    assert_eq!(answer.status, StatusCode::OK);
    let doc = answer.json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let mut documented = Vec::new();
    let mut operation_ids = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(path.starts_with('/'), "{path}");
        for (method, operation) in item.as_object().unwrap() {
            assert!(methods.contains(&method.as_str()), "{method} {path}");
            documented.push((method.clone(), path.clone()));
            assert!(operation_ids.insert(operation["operationId"].as_str().unwrap().to_owned()));
            let responses = operation["responses"].as_object().unwrap();
            assert!(!responses.is_empty() && responses.keys().all(|s| s.len() == 3 && s.parse::<u16>().is_ok()));
            // Each `{name}` of the path is a declared path parameter, and no other is.
            let declared: Vec<&str> = operation["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "path")
                        .map(|p| p["name"].as_str().unwrap())
                        .collect()
                })
                .unwrap_or_default();
            let in_path: Vec<&str> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .collect();
            assert_eq!(declared, in_path, "{method} {path}");
            for p in declared {
                let param = operation["parameters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|x| x["name"] == p)
                    .unwrap();
                assert_eq!(param["required"], true, "{p}");
            }
        }
    }
    let mut expected: Vec<(String, String)> = ROUTES.iter().map(|(m, p)| ((*m).to_owned(), (*p).to_owned())).collect();
    expected.sort();
    documented.sort();
    assert_eq!(documented, expected);
    // h-auth: the two ways to sign in that routes name in `security`.
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(
        (schemes["bearer"]["type"].as_str(), schemes["bearer"]["scheme"].as_str()),
        (Some("http"), Some("bearer"))
    );
    assert_eq!(
        (schemes["cookie"]["in"].as_str(), schemes["cookie"]["name"].as_str()),
        (Some("cookie"), Some("satudata_sesi"))
    );
    let mut all_refs = Vec::new();
    refs(&doc, &mut all_refs);
    assert!(!all_refs.is_empty());
    for r in all_refs {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{r}"));
        assert!(doc["components"]["schemas"][name].is_object(), "{r} does not resolve");
    }
    // Every documented route is served: the public reads with 200, the rest (writes and the
    // audit log, asked anonymously and without a body) with a refusal that is not a missing
    // route or method.
    for (method, path) in ROUTES {
        let uri = path
            .replace("{slug}", "disdukcapil")
            .replace("{name}", OPEN)
            .replace("{version}", "v1")
            .replace("{file}", "data.csv")
            .replace("{id}", sample_id(path));
        let request = Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(&uri)
            .body(Body::empty())
            .unwrap();
        let answer = send(&app, request).await;
        let expected = NOT_ANONYMOUS.iter().find(|(m, p, _)| m == method && p == path);
        match expected {
            Some((_, _, status)) => assert_eq!(answer.status, *status, "{method} {uri}"),
            None if *method == "get" && !path.starts_with("/api/v1/audit") => {
                assert_eq!(answer.status, StatusCode::OK, "{method} {uri}")
            }
            None => {
                assert!(answer.status.is_client_error(), "{method} {uri}: {}", answer.status);
                let code = answer.code();
                assert!(
                    code != "route-not-found" && code != "method-not-allowed",
                    "{method} {uri}: {code}"
                );
            }
        }
    }
}
