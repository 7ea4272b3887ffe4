//! The tus 1.0.0 protocol over HTTP: the router, one handler per URL, and the error answer.
//!
//! Two URLs: the collection (`OPTIONS`, `POST`) and one upload (`OPTIONS`, `HEAD`, `PATCH`,
//! `DELETE`). Each handler takes the method itself, so that `X-HTTP-Method-Override` on a
//! `POST` works inside one axum `Router` that the server nests where it likes. Every answer
//! carries `Tus-Resumable: 1.0.0`. Writes run in a task of their own: when the request's future
//! is dropped (a timeout layer, a client gone) the bytes that arrived are still flushed,
//! fsync'd and counted.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{OriginalUri, Request, State};
use axum::http::header::{ACCEPT_LANGUAGE, ALLOW, CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use chrono::{DateTime, Utc};
use satudata_core::{Lang, Localize};

use crate::hooks::{Hooks, NewUpload, Owner};
use crate::store::{Outcome, Patch, Status, Uploads};
use crate::{Error, Result, metadata};

/// The protocol version this crate speaks.
pub const TUS_VERSION: &str = "1.0.0";
/// The extensions it offers, as `Tus-Extension` lists them.
pub const TUS_EXTENSIONS: &str = "creation,creation-with-upload,termination,expiration";

const OFFSET_OCTET_STREAM: &str = "application/offset+octet-stream";
const TUS_RESUMABLE: HeaderName = HeaderName::from_static("tus-resumable");
const TUS_VERSION_HEADER: HeaderName = HeaderName::from_static("tus-version");
const TUS_EXTENSION: HeaderName = HeaderName::from_static("tus-extension");
const TUS_MAX_SIZE: HeaderName = HeaderName::from_static("tus-max-size");
const UPLOAD_OFFSET: HeaderName = HeaderName::from_static("upload-offset");
const UPLOAD_LENGTH: HeaderName = HeaderName::from_static("upload-length");
const UPLOAD_METADATA: HeaderName = HeaderName::from_static("upload-metadata");
const UPLOAD_EXPIRES: HeaderName = HeaderName::from_static("upload-expires");
const UPLOAD_DEFER_LENGTH: HeaderName = HeaderName::from_static("upload-defer-length");
const METHOD_OVERRIDE: HeaderName = HeaderName::from_static("x-http-method-override");
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

struct Shared<H> {
    uploads: Uploads,
    hooks: H,
}

/// The tus endpoint: `/` is the collection (creation), `/{id}` one upload. Nest it where
/// uploads live (`/api/v1/uploads`), behind a layer that puts the caller's [`Owner`] into the
/// request's extensions; `Location` follows the URL the request came in by.
pub fn router<H: Hooks>(uploads: Uploads, hooks: H) -> Router {
    let shared = Arc::new(Shared { uploads, hooks });
    Router::new()
        .route("/", any(collection::<H>))
        .route("/{id}", any(upload::<H>))
        .with_state(shared)
}

/// The method the client means: a POST's `X-HTTP-Method-Override`, else the request's own.
fn method(request: &Request) -> Method {
    let asked = request.headers().get(METHOD_OVERRIDE).and_then(|v| v.to_str().ok());
    match asked {
        Some(name) if request.method() == Method::POST => {
            Method::from_bytes(name.trim().to_ascii_uppercase().as_bytes()).unwrap_or(Method::POST)
        }
        _ => request.method().clone(),
    }
}

/// The language of error messages: `?lang=`, then the first `Accept-Language`, else Indonesian.
fn language(request: &Request) -> Lang {
    let query = request.uri().query().unwrap_or("");
    let asked = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .or_else(|| request.headers().get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    asked
        .and_then(|text| text.split([',', ';', '-']).next())
        .and_then(|tag| tag.trim().parse().ok())
        .unwrap_or_default()
}

/// The checks every request but OPTIONS passes: the protocol version, then an owner.
fn caller(request: &Request) -> Result<String> {
    let version = request.headers().get(TUS_RESUMABLE).map(|v| v.to_str().unwrap_or("?"));
    if version != Some(TUS_VERSION) {
        return Err(Error::Version {
            given: version.map(str::to_owned),
        });
    }
    match request.extensions().get::<Owner>() {
        Some(Owner(owner)) => Ok(owner.clone()),
        None => Err(Error::Unauthenticated),
    }
}

fn number(headers: &HeaderMap, name: &'static str) -> Result<Option<u64>> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| Error::Header { name })?;
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::Header { name });
    }
    text.parse().map(Some).map_err(|_| Error::Header { name })
}

fn is_offset_stream(headers: &HeaderMap) -> bool {
    let kind = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    kind.split(';')
        .next()
        .is_some_and(|k| k.trim().eq_ignore_ascii_case(OFFSET_OCTET_STREAM))
}

fn value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or(HeaderValue::from_static(""))
}

fn http_date(time: DateTime<Utc>) -> HeaderValue {
    value(&time.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
}

/// Upload-Offset, and Upload-Expires or the application's headers, of an upload's state.
fn state_headers(headers: &mut HeaderMap, status: &Status) {
    headers.insert(UPLOAD_OFFSET, status.offset.into());
    if let Some(expires) = status.expires {
        headers.insert(UPLOAD_EXPIRES, http_date(expires));
    }
    for (name, text) in status.info.completed.iter().flat_map(|c| &c.headers) {
        if let Ok(name) = HeaderName::from_bytes(name.as_bytes()) {
            headers.append(name, value(text));
        }
    }
}

/// The answer: the response, or the error's; `Tus-Resumable` on either.
fn answer(result: Result<Response>, lang: Lang, request_id: Option<HeaderValue>) -> Response {
    let mut response = result.unwrap_or_else(|error| error_response(&error, lang, request_id));
    response
        .headers_mut()
        .insert(TUS_RESUMABLE, HeaderValue::from_static(TUS_VERSION));
    response
}

fn error_response(error: &Error, lang: Lang, request_id: Option<HeaderValue>) -> Response {
    let status = error.status();
    let (id, en) = if status.is_server_error() {
        tracing::error!(%error, code = error.code(), "upload failed");
        let key = "error.tus.internal";
        (
            satudata_core::messages::render(Lang::Id, key, &[]),
            satudata_core::messages::render(Lang::En, key, &[]),
        )
    } else {
        (error.localize(Lang::Id), error.localize(Lang::En))
    };
    let mut body = serde_json::json!({
        "code": error.code(),
        "message": if lang == Lang::En { &en } else { &id },
        "message_id": id,
        "message_en": en,
    });
    if let Some(request_id) = request_id.as_ref().and_then(|v| v.to_str().ok()) {
        body["request_id"] = request_id.into();
    }
    let mut response = (status, serde_json::json!({ "error": body }).to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    match error {
        Error::Version { .. } => {
            headers.insert(TUS_VERSION_HEADER, HeaderValue::from_static(TUS_VERSION));
        }
        Error::Method { allow } => {
            headers.insert(ALLOW, HeaderValue::from_static(allow));
        }
        _ => {}
    }
    response
}

fn options<H>(shared: &Shared<H>) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(TUS_VERSION_HEADER, HeaderValue::from_static(TUS_VERSION));
    headers.insert(TUS_EXTENSION, HeaderValue::from_static(TUS_EXTENSIONS));
    headers.insert(TUS_MAX_SIZE, shared.uploads.config().max_size.into());
    response
}

async fn collection<H: Hooks>(
    State(shared): State<Arc<Shared<H>>>,
    OriginalUri(uri): OriginalUri,
    request: Request,
) -> Response {
    let (lang, request_id) = (language(&request), request.headers().get(REQUEST_ID).cloned());
    let result = match method(&request) {
        Method::OPTIONS => Ok(options(&shared)),
        Method::POST => create(shared, uri.path(), lang, request).await,
        _ => Err(Error::Method { allow: "OPTIONS, POST" }),
    };
    answer(result, lang, request_id)
}

async fn upload<H: Hooks>(State(shared): State<Arc<Shared<H>>>, request: Request) -> Response {
    let (lang, request_id) = (language(&request), request.headers().get(REQUEST_ID).cloned());
    // The last segment as sent, still percent-encoded: anything but an id of ours is 404, and
    // no decoding error can answer before the protocol does.
    let id = request.uri().path().rsplit('/').next().unwrap_or("").to_owned();
    let result = match method(&request) {
        Method::OPTIONS => Ok(options(&shared)),
        Method::HEAD => head(shared, id, request).await,
        Method::PATCH => patch(shared, id, request).await,
        Method::DELETE => match caller(&request) {
            Ok(owner) => delete(&shared, &id, &owner).await,
            Err(error) => Err(error),
        },
        _ => Err(Error::Method {
            allow: "OPTIONS, HEAD, PATCH, DELETE",
        }),
    };
    answer(result, lang, request_id)
}

/// Creation (and creation-with-upload): 201 with `Location`.
async fn create<H: Hooks>(shared: Arc<Shared<H>>, base: &str, lang: Lang, request: Request) -> Result<Response> {
    let owner = caller(&request)?;
    let headers = request.headers();
    if headers.contains_key(UPLOAD_DEFER_LENGTH) {
        return Err(Error::Header { name: "Upload-Length" });
    }
    let length = number(headers, "Upload-Length")?.ok_or(Error::Header { name: "Upload-Length" })?;
    let max = shared.uploads.config().max_size;
    if length > max {
        return Err(Error::TooLarge { length, max });
    }
    let raw = match headers.get(UPLOAD_METADATA) {
        Some(v) => Some(
            v.to_str()
                .map_err(|_| Error::Header {
                    name: "Upload-Metadata",
                })?
                .to_owned(),
        ),
        None => None,
    };
    let metadata = metadata::parse(raw.as_deref().unwrap_or(""))?;
    let new = NewUpload {
        owner: &owner,
        length,
        metadata: &metadata,
    };
    if let Err(refusal) = shared.hooks.on_create(&new).await {
        return Ok(refusal);
    }
    let request_id = headers.get(REQUEST_ID).cloned();
    let with_body = is_offset_stream(headers);
    let content_length = if with_body {
        number(headers, "Content-Length")?
    } else {
        Some(0)
    };
    let info = shared.uploads.create(&owner, length, metadata, raw).await?;
    let location = value(&format!("{}/{}", base.trim_end_matches('/'), info.id));
    // An empty upload is whole at once; a body (creation-with-upload) is the first PATCH.
    let written = if with_body || length == 0 {
        let body = if with_body { request.into_body() } else { Body::empty() };
        spawn_write(&shared, info.id, owner, 0, content_length, body).await
    } else {
        let status = shared.uploads.status(&info.id, &owner).await?;
        Ok(Outcome::Written(status))
    };
    let mut response = match written {
        Ok(Outcome::Written(status)) => {
            let mut response = StatusCode::CREATED.into_response();
            state_headers(response.headers_mut(), &status);
            response
        }
        Ok(Outcome::Refused(refusal)) => return Ok(refusal),
        // The upload exists: its Location lets the client resume after a broken first body.
        Err(error) => error_response(&error, lang, request_id),
    };
    response.headers_mut().insert(LOCATION, location);
    Ok(response)
}

/// Runs a write in a task of its own, so that it ends cleanly whatever happens to the request.
async fn spawn_write<H: Hooks>(
    shared: &Arc<Shared<H>>,
    id: String,
    owner: String,
    given: u64,
    content_length: Option<u64>,
    body: Body,
) -> Result<Outcome> {
    let shared = shared.clone();
    let task = tokio::spawn(async move {
        let mut slot = shared.uploads.lock(&id).await?;
        let patch = Patch {
            id,
            owner,
            given,
            content_length,
        };
        let stream = body.into_data_stream();
        shared.uploads.write(&mut slot, &patch, stream, &shared.hooks).await
    });
    task.await.map_err(|e| Error::Io {
        path: "upload task".into(),
        source: std::io::Error::other(e.to_string()),
    })?
}

/// HEAD: where the upload stands. An upload whole on disk but never handed over (a crash
/// between the last byte and the hook) is handed over first, so that no client takes an
/// offset equal to the length for a finished upload that the application never saw.
async fn head<H: Hooks>(shared: Arc<Shared<H>>, id: String, request: Request) -> Result<Response> {
    let owner = caller(&request)?;
    let mut status = shared.uploads.status(&id, &owner).await?;
    if status.offset == status.info.length && status.info.completed.is_none() {
        match spawn_write(&shared, id, owner, status.offset, Some(0), Body::empty()).await? {
            Outcome::Written(now) => status = now,
            Outcome::Refused(refusal) => return Ok(refusal),
        }
    }
    let mut response = StatusCode::OK.into_response();
    let headers = response.headers_mut();
    state_headers(headers, &status);
    headers.insert(UPLOAD_LENGTH, status.info.length.into());
    if let Some(raw) = &status.info.raw_metadata {
        headers.insert(UPLOAD_METADATA, value(raw));
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// PATCH: appends the body at `Upload-Offset`; 204 with the new offset.
async fn patch<H: Hooks>(shared: Arc<Shared<H>>, id: String, request: Request) -> Result<Response> {
    let owner = caller(&request)?;
    let headers = request.headers();
    if !is_offset_stream(headers) {
        return Err(Error::ContentType);
    }
    let given = number(headers, "Upload-Offset")?.ok_or(Error::Header { name: "Upload-Offset" })?;
    let content_length = number(headers, "Content-Length")?;
    match spawn_write(&shared, id, owner, given, content_length, request.into_body()).await? {
        Outcome::Written(status) => {
            let mut response = StatusCode::NO_CONTENT.into_response();
            state_headers(response.headers_mut(), &status);
            Ok(response)
        }
        Outcome::Refused(refusal) => Ok(refusal),
    }
}

/// DELETE (termination): 204.
async fn delete<H>(shared: &Shared<H>, id: &str, owner: &str) -> Result<Response> {
    shared.uploads.delete(id, owner).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
