//! The tus 1.0.0 protocol, request by request, through `oneshot`: every status the router
//! answers, and what the staging folder and the hooks see.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, Response, StatusCode};
use common::{BASE, Recorder, app, content, sha256};
use satudata_tus::{Config, Uploads};
use tower::ServiceExt;

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: serde_json::Value,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

async fn read(response: Response<Body>) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    assert_eq!(headers["tus-resumable"], "1.0.0", "every answer names the protocol");
    Answer { status, headers, body }
}

/// A request as a tus client sends it, as owner `alice`.
fn tus(method: &str, uri: &str) -> axum::http::request::Builder {
    Request::builder()
        .method(method)
        .uri(uri)
        .header("tus-resumable", "1.0.0")
        .header("x-test-owner", "alice")
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    read(app.clone().oneshot(request).await.unwrap()).await
}

async fn create(app: &Router, length: usize, metadata: &str) -> String {
    let mut request = tus("POST", BASE).header("upload-length", length.to_string());
    if !metadata.is_empty() {
        request = request.header("upload-metadata", metadata);
    }
    let answer = send(app, request.body(Body::empty()).unwrap()).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    answer.header("location").to_owned()
}

fn patch(url: &str, offset: usize, bytes: &[u8]) -> Request<Body> {
    tus("PATCH", url)
        .header("content-type", "application/offset+octet-stream")
        .header("upload-offset", offset.to_string())
        .header("content-length", bytes.len().to_string())
        .body(Body::from(bytes.to_vec()))
        .unwrap()
}

fn head(url: &str) -> Request<Body> {
    tus("HEAD", url).body(Body::empty()).unwrap()
}

fn setup() -> (tempfile::TempDir, Recorder, Router) {
    let dir = tempfile::tempdir().unwrap();
    let hooks = Recorder::default();
    let mut config = Config::new(dir.path().join("uploads"));
    config.max_size = 1000;
    config.lock_wait = Duration::from_millis(300);
    config.idle_timeout = Duration::from_millis(1500);
    let app = app(config, hooks.clone());
    (dir, hooks, app)
}

#[tokio::test]
async fn options_tells_the_version_extensions_and_limit_without_a_version_header() {
    let (_dir, _, app) = setup();
    for uri in [BASE.to_owned(), format!("{BASE}/00000000000000000000000000000000")] {
        let request = Request::builder()
            .method("OPTIONS")
            .uri(uri)
            .body(Body::empty())
            .unwrap();
        let answer = send(&app, request).await;
        assert_eq!(answer.status, StatusCode::NO_CONTENT);
        assert_eq!(answer.header("tus-version"), "1.0.0");
        assert_eq!(
            answer.header("tus-extension"),
            "creation,creation-with-upload,termination,expiration"
        );
        assert_eq!(answer.header("tus-max-size"), "1000");
    }
}

#[tokio::test]
async fn a_request_without_the_protocol_version_or_an_owner_is_refused() {
    let (_dir, _, app) = setup();
    let missing = Request::post(BASE)
        .header("upload-length", "5")
        .body(Body::empty())
        .unwrap();
    let answer = send(&app, missing).await;
    assert_eq!(answer.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(answer.header("tus-version"), "1.0.0");
    assert_eq!(answer.code(), "upload-version");
    let old = Request::post(BASE)
        .header("tus-resumable", "0.2.2")
        .header("x-test-owner", "alice")
        .header("upload-length", "5")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, old).await.status, StatusCode::PRECONDITION_FAILED);

    let anonymous = Request::post(BASE)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", "5")
        .body(Body::empty())
        .unwrap();
    let answer = send(&app, anonymous).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.code(), "unauthenticated");
}

#[tokio::test]
async fn creation_answers_201_with_a_generated_location_and_head_reports_it() {
    let (_dir, _, app) = setup();
    // "filename penduduk.csv", "dataset penduduk"
    let url = create(&app, 10, "filename cGVuZHVkdWsuY3N2,dataset cGVuZHVkdWs=").await;
    let id = url.strip_prefix(&format!("{BASE}/")).unwrap();
    assert!(id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{url}");
    let other = create(&app, 10, "").await;
    assert_ne!(url, other, "ids are random");

    let answer = send(&app, head(&url)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("upload-offset"), "0");
    assert_eq!(answer.header("upload-length"), "10");
    assert_eq!(answer.header("cache-control"), "no-store");
    assert_eq!(
        answer.header("upload-metadata"),
        "filename cGVuZHVkdWsuY3N2,dataset cGVuZHVkdWs="
    );
    assert!(
        answer.header("upload-expires").ends_with(" GMT"),
        "{:?}",
        answer.headers
    );
}

#[tokio::test]
async fn creation_refuses_a_missing_length_an_oversized_one_broken_metadata_and_what_the_hook_refuses() {
    let (dir, _, app) = setup();
    let answer = send(&app, tus("POST", BASE).body(Body::empty()).unwrap()).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::BAD_REQUEST, "upload-header")
    );
    let deferred = tus("POST", BASE)
        .header("upload-defer-length", "1")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, deferred).await.status, StatusCode::BAD_REQUEST);
    let negative = tus("POST", BASE)
        .header("upload-length", "-5")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, negative).await.status, StatusCode::BAD_REQUEST);

    let big = tus("POST", BASE)
        .header("upload-length", "1001")
        .body(Body::empty())
        .unwrap();
    let answer = send(&app, big).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "upload-too-large")
    );
    assert!(answer.body["error"]["message_id"].as_str().unwrap().contains("1000"));

    let broken = tus("POST", BASE)
        .header("upload-length", "5")
        .header("upload-metadata", "filename ***")
        .header("accept-language", "en-GB,en;q=0.8")
        .body(Body::empty())
        .unwrap();
    let answer = send(&app, broken).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::BAD_REQUEST, "upload-metadata")
    );
    assert_eq!(answer.body["error"]["message"], answer.body["error"]["message_en"]);

    // "dataset rahasia": the application says no before a byte is sent.
    let refused = tus("POST", BASE)
        .header("upload-length", "5")
        .header("upload-metadata", "dataset cmFoYXNpYQ==")
        .body(Body::empty())
        .unwrap();
    let answer = send(&app, refused).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let staged = std::fs::read_dir(dir.path().join("uploads")).unwrap().count();
    assert_eq!(staged, 0, "nothing refused is staged");
}

#[tokio::test]
async fn patches_append_at_the_offset_and_the_last_one_hands_the_file_over() {
    let (_dir, hooks, app) = setup();
    let bytes = content(1000);
    let url = create(&app, bytes.len(), "filename YS5jc3Y=").await;

    let wrong_type = tus("PATCH", &url)
        .header("content-type", "application/octet-stream")
        .header("upload-offset", "0")
        .body(Body::from(bytes[..10].to_vec()))
        .unwrap();
    let answer = send(&app, wrong_type).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "upload-content-type")
    );
    let no_offset = tus("PATCH", &url)
        .header("content-type", "application/offset+octet-stream")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, no_offset).await.status, StatusCode::BAD_REQUEST);

    let answer = send(&app, patch(&url, 0, &bytes[..400])).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    assert_eq!(answer.header("upload-offset"), "400");
    assert!(!answer.header("upload-expires").is_empty());

    let answer = send(&app, patch(&url, 0, &bytes[..400])).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::CONFLICT, "upload-offset-mismatch")
    );
    assert!(answer.body["error"]["message_en"].as_str().unwrap().contains("400"));

    // More than is left: refused whole, the offset stays.
    let mut too_much = bytes[400..].to_vec();
    too_much.push(0);
    let answer = send(&app, patch(&url, 400, &too_much)).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "upload-past-length")
    );
    // The same without Content-Length: caught while streaming, and rolled back.
    let chunked = tus("PATCH", &url)
        .header("content-type", "application/offset+octet-stream")
        .header("upload-offset", "400")
        .body(Body::from_stream(futures::stream::iter([
            Ok::<_, std::io::Error>(Bytes::from(bytes[400..700].to_vec())),
            Ok(Bytes::from(too_much[300..].to_vec())),
        ])))
        .unwrap();
    assert_eq!(send(&app, chunked).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(send(&app, head(&url)).await.header("upload-offset"), "400");
    assert!(hooks.done.lock().unwrap().is_empty());

    let answer = send(&app, patch(&url, 400, &bytes[400..])).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    assert_eq!(answer.header("upload-offset"), "1000");
    assert!(
        answer.header("link").contains("rel=\"submission\""),
        "{:?}",
        answer.headers
    );
    assert!(
        answer.header("upload-expires").is_empty(),
        "a finished upload does not expire"
    );

    let done = hooks.done.lock().unwrap().clone();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].sha256, sha256(&bytes));
    assert_eq!(done[0].length, 1000);
    assert_eq!(done[0].owner, "alice");
    assert_eq!(done[0].metadata["filename"], "a.csv");
    assert_eq!(std::fs::read(&done[0].path).unwrap(), bytes);

    // Afterwards HEAD still answers, with the application's link; an empty PATCH at the end is
    // a no-op and the hook is not called again.
    let answer = send(&app, head(&url)).await;
    assert_eq!(answer.header("upload-offset"), "1000");
    assert!(answer.header("link").starts_with("</api/v1/submissions/"));
    assert_eq!(send(&app, patch(&url, 1000, b"")).await.status, StatusCode::NO_CONTENT);
    assert_eq!(
        send(&app, patch(&url, 1000, b"x")).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(hooks.done.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn only_the_owner_sees_an_upload_and_unknown_ids_are_404() {
    let (_dir, _, app) = setup();
    let url = create(&app, 10, "").await;
    let as_bob = |method: &str| {
        let mut request = tus(method, &url)
            .header("content-type", "application/offset+octet-stream")
            .header("upload-offset", "0")
            .body(Body::from("x"))
            .unwrap();
        request.headers_mut().insert("x-test-owner", "bob".parse().unwrap());
        request
    };
    for method in ["HEAD", "PATCH", "DELETE"] {
        let answer = send(&app, as_bob(method)).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{method}");
    }
    assert_eq!(
        send(&app, head(&url)).await.header("upload-offset"),
        "0",
        "bob changed nothing"
    );
    for uri in [
        format!("{BASE}/0123456789abcdef0123456789abcdef"),
        format!("{BASE}/..%2F..%2Fetc%2Fpasswd"),
        format!("{BASE}/ABCDEF0123456789ABCDEF0123456789"),
    ] {
        // A HEAD answer has no body (axum drops it): the code is read from a PATCH's.
        assert_eq!(send(&app, head(&uri)).await.status, StatusCode::NOT_FOUND, "{uri}");
        let answer = send(&app, patch(&uri, 0, b"x")).await;
        assert_eq!(
            (answer.status, answer.code()),
            (StatusCode::NOT_FOUND, "not-found"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn termination_removes_the_upload() {
    let (dir, _, app) = setup();
    let url = create(&app, 10, "").await;
    send(&app, patch(&url, 0, b"abc")).await;
    let answer = send(&app, tus("DELETE", &url).body(Body::empty()).unwrap()).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    assert_eq!(send(&app, head(&url)).await.status, StatusCode::NOT_FOUND);
    let again = send(&app, tus("DELETE", &url).body(Body::empty()).unwrap()).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(std::fs::read_dir(dir.path().join("uploads")).unwrap().count(), 0);
}

#[tokio::test]
async fn method_override_and_unknown_methods() {
    let (_dir, _, app) = setup();
    let url = create(&app, 3, "").await;
    let overridden = tus("POST", &url)
        .header("x-http-method-override", "PATCH")
        .header("content-type", "application/offset+octet-stream")
        .header("upload-offset", "0")
        .body(Body::from("ab"))
        .unwrap();
    let answer = send(&app, overridden).await;
    assert_eq!(
        (answer.status, answer.header("upload-offset")),
        (StatusCode::NO_CONTENT, "2")
    );
    let deleted = tus("POST", &url)
        .header("x-http-method-override", "DELETE")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, deleted).await.status, StatusCode::NO_CONTENT);

    let answer = send(&app, tus("PUT", &url).body(Body::empty()).unwrap()).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(answer.header("allow"), "OPTIONS, HEAD, PATCH, DELETE");
    let answer = send(&app, tus("GET", BASE).body(Body::empty()).unwrap()).await;
    assert_eq!(
        (answer.status, answer.header("allow")),
        (StatusCode::METHOD_NOT_ALLOWED, "OPTIONS, POST")
    );
}

#[tokio::test]
async fn creation_with_upload_and_empty_uploads_finish_in_the_post() {
    let (_dir, hooks, app) = setup();
    let bytes = content(300);
    let post = |body: &[u8], length: usize| {
        tus("POST", BASE)
            .header("upload-length", length.to_string())
            .header("content-type", "application/offset+octet-stream")
            .body(Body::from(body.to_vec()))
            .unwrap()
    };
    let answer = send(&app, post(&bytes[..100], 300)).await;
    assert_eq!(answer.status, StatusCode::CREATED);
    assert_eq!(answer.header("upload-offset"), "100");
    let url = answer.header("location").to_owned();
    assert_eq!(
        send(&app, patch(&url, 100, &bytes[100..])).await.status,
        StatusCode::NO_CONTENT
    );

    let answer = send(&app, post(&bytes, 300)).await;
    assert_eq!(
        (answer.status, answer.header("upload-offset")),
        (StatusCode::CREATED, "300")
    );
    assert!(answer.header("link").starts_with("</api/v1/submissions/"));

    let empty = tus("POST", BASE)
        .header("upload-length", "0")
        .body(Body::empty())
        .unwrap();
    let answer = send(&app, empty).await;
    assert_eq!(
        (answer.status, answer.header("upload-offset")),
        (StatusCode::CREATED, "0")
    );
    let done = hooks.done.lock().unwrap().clone();
    assert_eq!(done.len(), 3);
    assert_eq!(done[0].sha256, sha256(&bytes));
    assert_eq!(done[1].sha256, sha256(&bytes));
    assert_eq!(done[2].sha256, sha256(b""));
}

#[tokio::test]
async fn a_refused_finished_upload_answers_with_the_application_and_is_gone() {
    let (dir, hooks, app) = setup();
    let url = create(&app, 4, "tolak").await;
    let answer = send(&app, patch(&url, 0, b"abcd")).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(send(&app, head(&url)).await.status, StatusCode::NOT_FOUND);
    assert!(hooks.done.lock().unwrap().is_empty());
    assert_eq!(std::fs::read_dir(dir.path().join("uploads")).unwrap().count(), 0);
}

#[tokio::test]
async fn a_body_that_breaks_off_or_stalls_keeps_its_bytes_and_holds_off_a_second_writer() {
    let (_dir, hooks, app) = setup();
    let bytes = content(900);
    let url = create(&app, bytes.len(), "").await;

    // A body that sends 250 bytes, then an error (the connection cut).
    let cut = futures::stream::iter([
        Ok(Bytes::from(bytes[..250].to_vec())),
        Err(std::io::Error::from(std::io::ErrorKind::ConnectionReset)),
    ]);
    let request = tus("PATCH", &url)
        .header("content-type", "application/offset+octet-stream")
        .header("upload-offset", "0")
        .body(Body::from_stream(cut))
        .unwrap();
    let answer = send(&app, request).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::BAD_REQUEST, "upload-interrupted")
    );
    assert_eq!(send(&app, head(&url)).await.header("upload-offset"), "250");

    // A body that sends 50 bytes and then nothing: the lock is held until the idle timeout.
    let (sender, receiver) = futures::channel::mpsc::unbounded::<Result<Bytes, std::io::Error>>();
    sender
        .unbounded_send(Ok(Bytes::from(bytes[250..300].to_vec())))
        .unwrap();
    let stalled = tus("PATCH", &url)
        .header("content-type", "application/offset+octet-stream")
        .header("upload-offset", "250")
        .body(Body::from_stream(receiver))
        .unwrap();
    let first = tokio::spawn(app.clone().oneshot(stalled));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let answer = send(&app, patch(&url, 250, &bytes[250..])).await;
    assert_eq!((answer.status, answer.code()), (StatusCode::LOCKED, "upload-locked"));
    let first = read(first.await.unwrap().unwrap()).await;
    assert_eq!(first.code(), "upload-interrupted");
    drop(sender);
    assert_eq!(send(&app, head(&url)).await.header("upload-offset"), "300");

    let answer = send(&app, patch(&url, 300, &bytes[300..])).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    assert_eq!(hooks.done.lock().unwrap()[0].sha256, sha256(&bytes));
}

#[tokio::test]
async fn a_restarted_service_hashes_the_staged_file_and_finishes_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(dir.path().join("uploads"));
    let bytes = content(5000);
    let hooks = Recorder::default();
    let url = {
        let app = app(config.clone(), hooks.clone());
        let url = create(&app, bytes.len(), "").await;
        send(&app, patch(&url, 0, &bytes[..3000])).await;
        url
    };
    let app = app(config, hooks.clone());
    assert_eq!(send(&app, head(&url)).await.header("upload-offset"), "3000");
    assert_eq!(
        send(&app, patch(&url, 3000, &bytes[3000..])).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(hooks.done.lock().unwrap()[0].sha256, sha256(&bytes));
}

#[tokio::test]
async fn a_whole_upload_the_application_never_took_is_handed_over_at_the_next_head() {
    // As after a crash between the last byte and the hook: the part file is whole.
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(dir.path().join("uploads"));
    let hooks = Recorder::default();
    let app = app(config.clone(), hooks.clone());
    let url = create(&app, 5, "").await;
    let id = url.rsplit('/').next().unwrap();
    std::fs::write(dir.path().join("uploads").join(format!("{id}.part")), b"halo!").unwrap();
    let answer = send(&app, head(&url)).await;
    assert_eq!(answer.header("upload-offset"), "5");
    assert!(answer.header("link").starts_with("</api/v1/submissions/"));
    assert_eq!(hooks.done.lock().unwrap()[0].sha256, sha256(b"halo!"));
}

#[tokio::test]
async fn sweep_removes_what_was_left_too_long_and_head_says_410_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let staging = dir.path().join("uploads");
    let uploads = Uploads::open(Config::new(&staging)).unwrap();
    let hooks = Recorder::default();
    let app = common::app_over(uploads.clone(), hooks);
    let fresh = create(&app, 10, "").await;
    let stale = create(&app, 10, "").await;
    let done = create(&app, 2, "").await;
    send(&app, patch(&done, 0, b"ok")).await;
    std::fs::write(staging.join("0123456789abcdef0123456789abcdef.part"), b"orphan").unwrap();

    let day = Duration::from_secs(24 * 3600);
    let stale_part = staging.join(format!("{}.part", stale.rsplit('/').next().unwrap()));
    let file = std::fs::File::options().write(true).open(&stale_part).unwrap();
    file.set_modified(SystemTime::now() - day - Duration::from_secs(60))
        .unwrap();
    assert_eq!(send(&app, head(&stale)).await.status, StatusCode::GONE);

    let swept = uploads.sweep().await.unwrap();
    assert_eq!((swept.expired, swept.finished, swept.orphans), (1, 0, 0));
    assert_eq!(send(&app, head(&stale)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(send(&app, head(&fresh)).await.status, StatusCode::OK);

    let later = uploads.sweep_at(SystemTime::now() + 2 * day).await.unwrap();
    assert_eq!((later.expired, later.finished, later.orphans), (1, 1, 1));
    let left: Vec<_> = std::fs::read_dir(&staging)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    // The hook moved the finished file aside (`.taken`); the crate's own files are all gone.
    assert!(
        left.iter().all(|name| name.to_string_lossy().ends_with(".taken")),
        "{left:?}"
    );
}

#[tokio::test]
async fn an_owner_has_a_bounded_number_of_unfinished_uploads() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(dir.path().join("uploads"));
    config.max_unfinished = 2;
    let app = app(config, Recorder::default());
    let first = create(&app, 10, "").await;
    create(&app, 10, "").await;
    let third = tus("POST", BASE)
        .header("upload-length", "10")
        .body(Body::empty())
        .unwrap();
    let answer = send(&app, third).await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::TOO_MANY_REQUESTS, "upload-too-many")
    );

    let mut as_bob = tus("POST", BASE)
        .header("upload-length", "10")
        .body(Body::empty())
        .unwrap();
    as_bob.headers_mut().insert("x-test-owner", "bob".parse().unwrap());
    assert_eq!(
        send(&app, as_bob).await.status,
        StatusCode::CREATED,
        "the count is per owner"
    );

    // A finished upload no longer counts.
    send(&app, patch(&first, 0, b"0123456789")).await;
    create(&app, 10, "").await;
}
