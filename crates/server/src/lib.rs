//! The HTTP API of satudata: operations, the OpenAPI document, and the public read API.
//!
//! [`app`] builds the axum [`Router`] over an [`AppState`] (an opened
//! `satudata_workflow::DataCenter` and the [`Config`]); [`bind`] and [`Server::run`] (or
//! [`serve`]) put it on a socket until SIGINT or SIGTERM. A request goes through, outermost
//! first:
//!
//! 1. the request id (`x-request-id`: kept when sane, made otherwise; on the response);
//! 2. security headers (CSP `default-src 'none'`, `nosniff`, `no-referrer`, `DENY`);
//! 3. metrics (by route template and status; [`metrics`]);
//! 4. the tracing span (`request` with the id, method, path: on every log line);
//! 5. error bodies ([`error::render_errors`]: one shape, in the language asked for);
//! 6. panics caught as `internal` (500);
//! 7. CORS for `GET` (harvesters), gzip;
//! 8. the timeout and the body limit of the route's group (JSON, or reference CSV imports:
//!    [`body_limit`]); uploads have neither: they stream to disk up to the upload limit
//!    ([`upload`]);
//! 9. the route ([`routes`]), whose handler takes the [`auth::Caller`], asks [`read`] one
//!    question (answered by `satudata_core::access::decide`) and returns JSON or a file stream.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use satudata_server::{AppState, Config};
//! let center = satudata_workflow::DataCenter::open(std::path::Path::new("satudata-data")).await?;
//! let server = satudata_server::bind(AppState::new(center, Config::default())).await?;
//! println!("http://{}", server.local_addr()?);
//! server.run().await?;
//! # Ok(()) }
//! ```

pub mod auth;
mod download;
pub mod error;
pub mod json;
pub mod lang;
pub mod metrics;
pub mod openapi;
pub mod paging;
pub mod read;
pub mod reference;
pub mod reference_csv;
pub mod request_id;
pub mod routes;
pub mod security;
pub mod state;
pub mod views;
mod workers;
pub mod write;
// h-sub: submissions, review and publishing
pub mod portal;
pub mod submission_views;
pub mod tus_uploads;
pub mod upload;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use error::{Error, Result};
pub use state::{AppState, Config, LogFormat};
pub use workers::spawn_workers;

/// The application: every route behind the middleware stack.
pub fn app(state: AppState) -> Router {
    let config = state.config();
    let (json, _) = routes::json_routes().split_for_parts();
    let (bulk, _) = routes::bulk_routes().split_for_parts();
    let (uploads, _) = routes::upload_routes().split_for_parts();
    let router = body_limit(json, config.json_body_limit).merge(body_limit(bulk, config.reference_body_limit));
    // Uploads stream to disk for as long as they take: no body limit layer (the handler counts
    // against the upload limit) and no timeout.
    let router = timeout(router, config).merge(uploads.layer(DefaultBodyLimit::disable()));
    let router = router.merge(timeout(body_limit(portal::routes(), config.json_body_limit), config));
    let router = router.fallback(routes::no_route).with_state(state.clone());
    // h-sub: resumable uploads (tus), outside the body limits and the timeout too.
    let router = match tus_uploads::router(&state) {
        Ok(tus) => router.nest(tus_uploads::BASE, tus),
        Err(e) => {
            tracing::error!(error = %e, "resumable uploads are off");
            router
        }
    };
    layers(router, &state)
}

/// `router`'s routes take bodies of at most `limit` bytes (a larger one is `payload-too-large`).
fn body_limit<S: Clone + Send + Sync + 'static>(router: Router<S>, limit: usize) -> Router<S> {
    router
        .layer(DefaultBodyLimit::max(limit))
        .layer(RequestBodyLimitLayer::new(limit))
}

/// A panic in a handler, as an error response (its message goes to the log only).
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into());
    Error::Internal {
        detail: format!("handler panicked: {detail}"),
    }
    .into_response()
}

/// Never compress files served by range: compressing them would change their bytes, `ETag`
/// and `Content-Length` (the default predicate then picks JSON and text above 32 bytes).
#[derive(Debug, Clone, Copy)]
struct NotRanged;

impl Predicate for NotRanged {
    fn should_compress<B: axum::body::HttpBody>(&self, response: &axum::http::Response<B>) -> bool {
        !response.headers().contains_key(header::ACCEPT_RANGES)
    }
}

fn span(request: &Request) -> tracing::Span {
    let id = request
        .extensions()
        .get::<request_id::RequestId>()
        .map_or("", |r| r.0.as_str());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("", MatchedPath::as_str);
    tracing::info_span!("request", request_id = %id, method = %request.method(), path = %request.uri().path(), route)
}

/// `router`'s handlers must start their response within the request timeout.
fn timeout<S: Clone + Send + Sync + 'static>(router: Router<S>, config: &Config) -> Router<S> {
    router.layer(TimeoutLayer::with_status_code(
        StatusCode::SERVICE_UNAVAILABLE,
        config.request_timeout(),
    ))
}

/// `router` behind the middleware stack (see the crate docs for the order).
fn layers(router: Router, state: &AppState) -> Router {
    let router = router
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .compress_when(DefaultPredicate::new().and(NotRanged)),
        )
        .layer(security::cors(&state.config().cors_origins))
        .layer(axum::middleware::from_fn(refuse_nul))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(axum::middleware::from_fn(error::render_errors))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.metrics().clone(),
            metrics::track,
        ));
    security::with_headers(router).layer(axum::middleware::from_fn_with_state(
        state.ids().clone(),
        request_id::assign,
    ))
}

/// Refuses a request whose path or query holds an encoded NUL (`%00`): no name, id or filter
/// holds one, and PostgreSQL cannot even compare text with one (it answered 500).
async fn refuse_nul(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let has_nul = |s: &str| s.as_bytes().windows(3).any(|w| w == b"%00");
    let uri = request.uri();
    if has_nul(uri.path()) || uri.query().is_some_and(has_nul) {
        let value = uri.path_and_query().map_or(String::new(), |p| p.as_str().to_owned());
        return error::Error::BadParameter {
            parameter: "path",
            value,
        }
        .into_response();
    }
    next.run(request).await
}

/// Starts structured logging: `SATUDATA_LOG` (or `RUST_LOG`) filters, default `info`.
pub fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = std::env::var("SATUDATA_LOG")
        .ok()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .or_else(|| EnvFilter::try_from_default_env().ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    // Colours only on a terminal: a log file or collector gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi);
    // A second call (tests) keeps the first subscriber.
    let _ = match format {
        LogFormat::Plain => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// A bound server, not yet serving.
#[derive(Debug)]
pub struct Server {
    listener: tokio::net::TcpListener,
    app: Router,
}

/// Binds the configured address (port 0 picks a free one).
pub async fn bind(state: AppState) -> Result<Server> {
    let address = state.config().listen;
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|source| Error::Bind {
            address: address.to_string(),
            source,
        })?;
    Ok(Server {
        listener,
        app: app(state),
    })
}

impl Server {
    /// The address bound.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.listener.local_addr().map_err(Error::Serve)
    }

    /// Serves until SIGINT (Ctrl+C) or SIGTERM, then lets open requests finish.
    pub async fn run(self) -> Result<()> {
        axum::serve(self.listener, self.app)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(Error::Serve)
    }
}

/// Binds and serves until SIGINT or SIGTERM.
pub async fn serve(state: AppState) -> Result<()> {
    bind(state).await?.run().await
}

/// Resolves on SIGINT (Ctrl+C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("SIGINT: stopping"),
        () = terminate => tracing::info!("SIGTERM: stopping"),
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::routing::{get, post};
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;

    use super::*;
    use crate::error::ErrorBody;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Note {
        text: String,
    }

    async fn state(dir: &tempfile::TempDir) -> AppState {
        let center = satudata_workflow::DataCenter::init(&dir.path().join("data"))
            .await
            .unwrap();
        let config = Config {
            request_timeout_secs: 1,
            json_body_limit: 64,
            ..Config::default()
        };
        AppState::new(center, config)
    }

    /// Routes that misbehave on purpose, behind the same layers as the API.
    async fn misbehaving(dir: &tempfile::TempDir) -> Router {
        let router = Router::new()
            .route("/panic", get(|| async { panic!("boom") as &'static str }))
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                    "late"
                }),
            )
            .route("/note", post(|json::ApiJson(_): json::ApiJson<Note>| async { "ok" }));
        let state = state(dir).await;
        let router = timeout(body_limit(router, state.config().json_body_limit), state.config());
        layers(router, &state)
    }

    async fn call(app: &Router, request: axum::http::Request<Body>) -> (StatusCode, ErrorBody) {
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{e}: {bytes:?}"));
        (status, body)
    }

    fn post_note(content_type: Option<&str>, body: &'static str) -> axum::http::Request<Body> {
        let mut builder = axum::http::Request::post("/note");
        if let Some(t) = content_type {
            builder = builder.header(header::CONTENT_TYPE, t);
        }
        builder.body(Body::from(body)).unwrap()
    }

    #[tokio::test]
    async fn a_panic_is_an_internal_error_body_and_the_server_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let app = misbehaving(&dir).await;
        for _ in 0..2 {
            let (status, body) = call(&app, axum::http::Request::get("/panic").body(Body::empty()).unwrap()).await;
            assert_eq!(
                (status, body.error.code.as_str()),
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            );
            assert!(
                !body.error.message_en.contains("boom"),
                "the panic text stays in the log"
            );
            assert!(!body.error.request_id.is_empty());
        }
    }

    #[tokio::test]
    async fn a_slow_handler_times_out_with_the_error_body() {
        let dir = tempfile::tempdir().unwrap();
        let app = misbehaving(&dir).await;
        let (status, body) = call(&app, axum::http::Request::get("/slow").body(Body::empty()).unwrap()).await;
        assert_eq!(
            (status, body.error.code.as_str()),
            (StatusCode::SERVICE_UNAVAILABLE, "timeout")
        );
    }

    #[tokio::test]
    async fn bad_json_bodies_get_their_own_codes() {
        let dir = tempfile::tempdir().unwrap();
        let app = misbehaving(&dir).await;
        let json = Some("application/json");
        let cases = [
            (
                post_note(json, "{\"text\": "),
                StatusCode::BAD_REQUEST,
                "malformed-json",
            ),
            (
                post_note(json, "{\"text\": \"a\", \"extra\": 1}"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-body",
            ),
            (
                post_note(json, "{\"text\": 5}"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-body",
            ),
            (
                post_note(Some("text/plain"), "{\"text\": \"a\"}"),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
            ),
            (
                post_note(None, "{\"text\": \"a\"}"),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
            ),
            (
                post_note(
                    json,
                    "{\"text\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
                ),
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload-too-large",
            ),
        ];
        for (request, status, code) in cases {
            let (got, body) = call(&app, request).await;
            assert_eq!((got, body.error.code.as_str()), (status, code));
        }
        let ok = app.clone().oneshot(post_note(json, "{\"text\": \"a\"}")).await.unwrap();
        assert_eq!(ok.status(), StatusCode::OK);
    }
}
