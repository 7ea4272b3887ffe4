//! What the tests of the tus router share: an application with recording hooks.

#![allow(dead_code, clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use satudata_tus::{Accepted, CompletedUpload, Config, Hooks, NewUpload, Owner, Uploads, router};

/// Where the router is nested, as the server will.
pub const BASE: &str = "/api/v1/uploads";

/// Hooks that record every finished upload and link it to a made-up submission.
#[derive(Clone, Default)]
pub struct Recorder {
    pub done: Arc<Mutex<Vec<CompletedUpload>>>,
}

impl Hooks for Recorder {
    async fn on_create(&self, upload: &NewUpload<'_>) -> Result<(), Response> {
        if upload.metadata.get("dataset").is_some_and(|d| d == "rahasia") {
            return Err((StatusCode::FORBIDDEN, "dataset ini bukan milik Anda").into_response());
        }
        Ok(())
    }

    async fn on_complete(&self, upload: CompletedUpload) -> Result<Accepted, Response> {
        if upload.metadata.contains_key("tolak") {
            return Err((StatusCode::UNPROCESSABLE_ENTITY, "ditolak").into_response());
        }
        // The hook takes the file, as the server copies it into the object store.
        let kept = upload.path.with_extension("taken");
        std::fs::rename(&upload.path, &kept).map_err(|e| e.to_string().into_response())?;
        let link = format!("</api/v1/submissions/{}>; rel=\"submission\"", &upload.id[..8]);
        self.done.lock().unwrap().push(CompletedUpload { path: kept, ..upload });
        Ok(Accepted::new().header(HeaderName::from_static("link"), HeaderValue::from_str(&link).unwrap()))
    }
}

/// The test's authentication: the owner is whatever `x-test-owner` says (none: none).
async fn owner_from_header(mut request: Request, next: Next) -> Response {
    if let Some(owner) = request.headers().get("x-test-owner").and_then(|v| v.to_str().ok()) {
        let owner = Owner(owner.to_owned());
        request.extensions_mut().insert(owner);
    }
    next.run(request).await
}

/// The application over `config`: the router nested at [`BASE`] behind the test's owner layer.
pub fn app(config: Config, hooks: Recorder) -> Router {
    let uploads = Uploads::open(config).unwrap();
    app_over(uploads, hooks)
}

/// The application over already opened uploads.
pub fn app_over(uploads: Uploads, hooks: Recorder) -> Router {
    let tus = router(uploads, hooks).layer(axum::middleware::from_fn(owner_from_header));
    Router::new().nest(BASE, tus)
}

/// `n` bytes that are not all alike.
pub fn content(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 31 % 251) as u8).collect()
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
