//! The one error table of the HTTP API, and the middleware that writes every error body.
//!
//! Each [`Error`] has a stable `code`, an HTTP status and a message in both catalogs
//! (`error.server.*`), all in [`Error::entry`]. A handler returns `Err(error)`; its response
//! carries the error unrendered, and [`render_errors`], which knows the request's language and
//! id, writes the body:
//!
//! ```json
//! {"error": {"code": "not-found", "message": "...", "message_id": "...", "message_en": "...",
//!            "details": {...}, "request_id": "..."}}
//! ```
//!
//! Responses that the middleware layers or the router make themselves (405 with `Allow`, 413,
//! a timeout) get the same body from their status, so no error leaves without it.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use satudata_core::{Lang, Localize};
use serde::Serialize;
use utoipa::ToSchema;

use crate::lang::{self, RequestLang};
use crate::request_id::RequestId;

/// What went wrong with a request, or with starting the server.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No route has this path.
    #[error("no route {path}")]
    RouteNotFound {
        /// The path asked for.
        path: String,
    },
    /// The route exists, the method does not.
    #[error("method {method} not allowed")]
    MethodNotAllowed {
        /// The method used.
        method: String,
        /// The methods the route answers.
        allow: Vec<String>,
    },
    /// The resource does not exist, or the caller may not know that it does.
    #[error("{kind} {key} not found")]
    NotFound {
        /// Kind of resource (`dataset`, `release`, `file`, `organization`).
        kind: &'static str,
        /// Its key.
        key: String,
    },
    /// `limit` or `offset` is not a number in range.
    #[error("bad paging parameter {parameter}: {value}")]
    BadPaging {
        /// `limit` or `offset`.
        parameter: &'static str,
        /// What was sent.
        value: String,
    },
    /// The query string has an unknown parameter or a value of the wrong kind.
    #[error("bad query: {detail}")]
    BadQuery {
        /// The parser's words.
        detail: String,
    },
    /// `?lang=` names a language the interface does not speak.
    #[error("unknown language {value}")]
    BadLang {
        /// What was sent.
        value: String,
    },
    /// A path parameter is malformed (a version that is not `v{N}` or a number).
    #[error("bad {parameter}: {value}")]
    BadParameter {
        /// The parameter's name.
        parameter: &'static str,
        /// What was sent.
        value: String,
    },
    /// A file name with a path in it (`..`, `/`, `\`, NUL).
    #[error("bad file name {name:?}")]
    BadFileName {
        /// What was sent.
        name: String,
    },
    /// The body is not well-formed JSON.
    #[error("malformed json: {detail}")]
    MalformedJson {
        /// The parser's words.
        detail: String,
    },
    /// The body is JSON of the wrong shape (unknown field, missing field, wrong type).
    #[error("invalid body: {detail}")]
    InvalidBody {
        /// The parser's words.
        detail: String,
    },
    /// The body's content type is not the one the route takes.
    #[error("unsupported media type")]
    UnsupportedMediaType {
        /// The content type the route takes.
        expected: &'static str,
    },
    /// The body is larger than the route takes.
    #[error("payload too large")]
    PayloadTooLarge,
    /// The credentials sent are unknown, expired or malformed.
    #[error("unauthenticated")]
    Unauthenticated,
    /// The caller may see the resource but not do this.
    #[error("forbidden")]
    Forbidden,
    /// The `Range` asked for lies outside the file.
    #[error("range not satisfiable for {size} bytes")]
    RangeNotSatisfiable {
        /// The file's size.
        size: u64,
    },
    /// The request took longer than the server allows.
    #[error("request timed out")]
    Timeout,
    /// The catalog database or the store does not answer.
    #[error("not ready: {part}")]
    NotReady {
        /// What does not answer: `catalog` or `store`.
        part: &'static str,
    },
    /// Another client error a middleware layer answered with.
    #[error("client error {status}")]
    Client {
        /// The status.
        status: u16,
    },
    // h-auth: sign-in, CSRF, accounts.
    /// Sign-in refused: one answer for an unknown name, a wrong password and a locked account.
    #[error("login failed")]
    LoginFailed,
    /// A cookie-authenticated write without the session's CSRF token.
    #[error("csrf token missing or wrong")]
    CsrfFailed,
    // h-ref: reference data, dataset registration and the audit log
    /// The id in the body is not the one in the path.
    #[error("id {body} in the body is not {path} of the path")]
    IdMismatch {
        /// The path's id.
        path: String,
        /// The body's id.
        body: String,
    },
    /// The body is not a valid document of its kind (a reference document, or a CSV import).
    #[error("invalid {kind}: {} problems", problems.len())]
    InvalidDocument {
        /// Kind of document (`code list`, `master data`, `data standard`).
        kind: &'static str,
        /// What is wrong, where.
        problems: Vec<crate::reference::Problem>,
    },
    /// The dataset metadata breaks the metadata standard (`schemas/dataset.schema.json`).
    #[error("invalid metadata: {} findings", findings.len())]
    InvalidMetadata {
        /// The metadata findings.
        findings: Vec<satudata_core::Finding>,
    },
    /// A document names an organization or data standard that does not exist.
    #[error("{kind} {key} does not exist")]
    UnknownReference {
        /// Kind of what is named (`organization`, `data standard`).
        kind: &'static str,
        /// Its key.
        key: String,
    },
    /// The account rules refused the input (password length, account name, organization,
    /// token name or lifetime); the cause says which.
    #[error("account input refused")]
    AccountRefused(#[source] Box<satudata_catalog::Error>),
    /// The name is taken (a dataset, an account, an organization).
    #[error("{kind} {key} already exists")]
    Conflict {
        /// Kind of resource (`dataset`, `user`, `organization`).
        kind: &'static str,
        /// Its key.
        key: String,
    },
    /// A change to a field that never changes (`name`, `organization`).
    #[error("{field} cannot change")]
    ImmutableField {
        /// The field.
        field: &'static str,
    },
    // end h-ref
    // h-sub: submissions, review and publishing
    /// A review step that the submission's state or the review rules refuse (the problem says
    /// which: a transition the lifecycle does not allow, no consent, a missing status, ...).
    #[error("review refused: {0}")]
    Review(satudata_catalog::ReviewProblem),
    /// The period is no period, or not one of the dataset's frequency.
    #[error("bad period: {0}")]
    BadPeriod(satudata_core::PeriodError),
    /// A reading option of an upload (encoding, delimiter, format) is not one satudata knows.
    #[error("bad reading option")]
    BadOption(#[source] satudata_ingest::Error),
    /// The submission has no report yet: it is not validated.
    #[error("submission {id} has no report yet")]
    NoReport {
        /// The submission.
        id: i64,
    },
    /// The submission's file cannot be read into a table, so there is no diff.
    #[error("submission {id} has no table to compare")]
    NoDiff {
        /// The submission.
        id: i64,
    },
    /// An upload without a required part or field, or with a body that cannot be read.
    #[error("bad upload: {detail}")]
    BadUpload {
        /// What is wrong.
        detail: String,
    },
    // end h-sub
    /// Something failed on the server's side (logged; the body says no more).
    #[error("internal error: {detail}")]
    Internal {
        /// What failed, for the log only.
        detail: String,
    },
    /// The listening address could not be bound.
    #[error("cannot listen on {address}")]
    Bind {
        /// The address.
        address: String,
        /// The error.
        source: std::io::Error,
    },
    /// Serving stopped with an I/O error.
    #[error("server stopped")]
    Serve(#[source] std::io::Error),
}

/// Result with the server [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The table: stable code and HTTP status of each error.
    pub fn entry(&self) -> (&'static str, StatusCode) {
        match self {
            Error::RouteNotFound { .. } => ("route-not-found", StatusCode::NOT_FOUND),
            Error::MethodNotAllowed { .. } => ("method-not-allowed", StatusCode::METHOD_NOT_ALLOWED),
            Error::NotFound { .. } => ("not-found", StatusCode::NOT_FOUND),
            Error::BadPaging { .. } => ("bad-paging", StatusCode::BAD_REQUEST),
            Error::BadQuery { .. } => ("bad-query", StatusCode::BAD_REQUEST),
            Error::BadLang { .. } => ("bad-lang", StatusCode::BAD_REQUEST),
            Error::BadParameter { .. } => ("bad-parameter", StatusCode::BAD_REQUEST),
            Error::BadFileName { .. } => ("bad-file-name", StatusCode::BAD_REQUEST),
            Error::MalformedJson { .. } => ("malformed-json", StatusCode::BAD_REQUEST),
            Error::InvalidBody { .. } => ("invalid-body", StatusCode::UNPROCESSABLE_ENTITY),
            Error::UnsupportedMediaType { .. } => ("unsupported-media-type", StatusCode::UNSUPPORTED_MEDIA_TYPE),
            Error::PayloadTooLarge => ("payload-too-large", StatusCode::PAYLOAD_TOO_LARGE),
            Error::Unauthenticated => ("unauthenticated", StatusCode::UNAUTHORIZED),
            Error::Forbidden => ("forbidden", StatusCode::FORBIDDEN),
            Error::RangeNotSatisfiable { .. } => ("range-not-satisfiable", StatusCode::RANGE_NOT_SATISFIABLE),
            Error::Timeout => ("timeout", StatusCode::SERVICE_UNAVAILABLE),
            Error::NotReady { .. } => ("not-ready", StatusCode::SERVICE_UNAVAILABLE),
            Error::Client { status } => (
                "bad-request",
                StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_REQUEST),
            ),
            // h-auth
            Error::LoginFailed => ("login-failed", StatusCode::UNAUTHORIZED),
            Error::CsrfFailed => ("csrf-failed", StatusCode::FORBIDDEN),
            Error::AccountRefused(_) => ("account-refused", StatusCode::UNPROCESSABLE_ENTITY),
            // h-ref
            Error::IdMismatch { .. } => ("id-mismatch", StatusCode::BAD_REQUEST),
            Error::InvalidDocument { .. } => ("invalid-document", StatusCode::UNPROCESSABLE_ENTITY),
            Error::InvalidMetadata { .. } => ("invalid-metadata", StatusCode::UNPROCESSABLE_ENTITY),
            Error::UnknownReference { .. } => ("unknown-reference", StatusCode::UNPROCESSABLE_ENTITY),
            Error::Conflict { .. } => ("conflict", StatusCode::CONFLICT),
            Error::ImmutableField { .. } => ("immutable-field", StatusCode::BAD_REQUEST),
            // h-sub
            Error::Review(problem) => review_entry(problem),
            Error::BadPeriod(_) => ("bad-period", StatusCode::UNPROCESSABLE_ENTITY),
            Error::BadOption(_) => ("bad-option", StatusCode::BAD_REQUEST),
            Error::NoReport { .. } => ("no-report", StatusCode::CONFLICT),
            Error::NoDiff { .. } => ("no-diff", StatusCode::CONFLICT),
            Error::BadUpload { .. } => ("bad-upload", StatusCode::BAD_REQUEST),
            Error::Internal { .. } | Error::Bind { .. } | Error::Serve(_) => {
                ("internal", StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }

    /// The error a bare response with `status` stands for (one a layer or the router made).
    fn from_status(status: StatusCode, path: &str, method: &str, allow: Vec<String>) -> Self {
        match status {
            StatusCode::NOT_FOUND => Error::RouteNotFound { path: path.into() },
            StatusCode::METHOD_NOT_ALLOWED => Error::MethodNotAllowed {
                method: method.into(),
                allow,
            },
            StatusCode::PAYLOAD_TOO_LARGE => Error::PayloadTooLarge,
            StatusCode::REQUEST_TIMEOUT | StatusCode::SERVICE_UNAVAILABLE => Error::Timeout,
            s if s.is_client_error() => Error::Client { status: s.as_u16() },
            s => Error::Internal {
                detail: format!("status {s} without an error"),
            },
        }
    }

    /// Machine-readable details shown in the body (never internal ones).
    fn details(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Error::RouteNotFound { path } => json!({ "path": path }),
            Error::MethodNotAllowed { method, allow } => json!({ "method": method, "allow": allow }),
            Error::NotFound { kind, key } => json!({ "kind": kind, "key": key }),
            Error::BadPaging { parameter, value } => {
                json!({ "parameter": parameter, "value": value, "max_limit": crate::paging::MAX_LIMIT })
            }
            Error::BadQuery { detail } | Error::MalformedJson { detail } | Error::InvalidBody { detail } => {
                json!({ "detail": detail })
            }
            Error::BadLang { value } => json!({ "value": value, "supported": ["id", "en"] }),
            Error::BadParameter { parameter, value } => json!({ "parameter": parameter, "value": value }),
            Error::BadFileName { name } => json!({ "name": name }),
            Error::UnsupportedMediaType { expected } => json!({ "expected": expected }),
            Error::RangeNotSatisfiable { size } => json!({ "size": size }),
            Error::NotReady { part } => json!({ "part": part }),
            Error::Client { status } => json!({ "status": status }),
            // h-auth
            Error::AccountRefused(cause) => json!({ "reason": cause.key() }),
            // h-ref
            Error::IdMismatch { path, body } => json!({ "path": path, "body": body }),
            Error::InvalidDocument { kind, problems } => json!({ "kind": kind, "problems": problems }),
            Error::InvalidMetadata { findings } => json!({ "findings": findings }),
            Error::UnknownReference { kind, key } | Error::Conflict { kind, key } => {
                json!({ "kind": kind, "key": key })
            }
            Error::ImmutableField { field } => json!({ "field": field }),
            // h-sub
            Error::Review(satudata_catalog::ReviewProblem::Refused(refused)) => {
                json!({ "state": refused.from.as_str(), "event": refused.event.as_str() })
            }
            Error::Review(satudata_catalog::ReviewProblem::ConsentClosed(state)) => json!({ "state": state.as_str() }),
            Error::BadPeriod(problem) => json!({ "detail": problem.to_string() }),
            Error::NoReport { id } | Error::NoDiff { id } => json!({ "id": id }),
            Error::BadUpload { detail } => json!({ "detail": detail }),
            _ => json!({}),
        }
    }

    /// The body of this error for a request in `lang` with `request_id`.
    pub fn body(&self, lang: Lang, request_id: &str) -> ErrorBody {
        let (code, _) = self.entry();
        let message_id = self.localize(Lang::Id);
        let message_en = self.localize(Lang::En);
        ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message: match lang {
                    Lang::Id => message_id.clone(),
                    Lang::En => message_en.clone(),
                },
                message_id,
                message_en,
                details: self.details(),
                request_id: request_id.to_owned(),
            },
        }
    }
}

impl Localize for Error {
    fn key(&self) -> &'static str {
        match self {
            Error::RouteNotFound { .. } => "error.server.route-not-found",
            Error::MethodNotAllowed { .. } => "error.server.method-not-allowed",
            Error::NotFound { .. } => "error.server.not-found",
            Error::BadPaging { .. } => "error.server.bad-paging",
            Error::BadQuery { .. } => "error.server.bad-query",
            Error::BadLang { .. } => "error.server.bad-lang",
            Error::BadParameter { .. } => "error.server.bad-parameter",
            Error::BadFileName { .. } => "error.server.bad-file-name",
            Error::MalformedJson { .. } => "error.server.malformed-json",
            Error::InvalidBody { .. } => "error.server.invalid-body",
            Error::UnsupportedMediaType { .. } => "error.server.unsupported-media-type",
            Error::PayloadTooLarge => "error.server.payload-too-large",
            Error::Unauthenticated => "error.server.unauthenticated",
            Error::Forbidden => "error.server.forbidden",
            Error::RangeNotSatisfiable { .. } => "error.server.range-not-satisfiable",
            Error::Timeout => "error.server.timeout",
            Error::NotReady { .. } => "error.server.not-ready",
            Error::Client { .. } => "error.server.client",
            // h-auth
            Error::LoginFailed => "error.server.login-failed",
            Error::CsrfFailed => "error.server.csrf-failed",
            Error::AccountRefused(_) => "error.server.account-refused",
            // h-ref
            Error::IdMismatch { .. } => "error.server.id-mismatch",
            Error::InvalidDocument { .. } => "error.server.invalid-document",
            Error::InvalidMetadata { .. } => "error.server.invalid-metadata",
            Error::UnknownReference { .. } => "error.server.unknown-reference",
            Error::Conflict { .. } => "error.server.conflict",
            Error::ImmutableField { .. } => "error.server.immutable-field",
            // h-sub
            Error::Review(problem) => problem.key(),
            Error::BadPeriod(_) => "error.server.bad-period",
            Error::BadOption(e) => e.key(),
            Error::NoReport { .. } => "error.server.no-report",
            Error::NoDiff { .. } => "error.server.no-diff",
            Error::BadUpload { .. } => "error.server.bad-upload",
            Error::Internal { .. } => "error.server.internal",
            Error::Bind { .. } => "error.server.bind",
            Error::Serve(_) => "error.server.serve",
        }
    }

    fn args(&self, lang: Lang) -> Vec<(&'static str, String)> {
        match self {
            Error::RouteNotFound { path } => vec![("path", path.clone())],
            Error::MethodNotAllowed { method, allow } => {
                vec![("method", method.clone()), ("allow", allow.join(", "))]
            }
            Error::NotFound { kind, key } => vec![("kind", resource_kind(lang, kind)), ("key", key.clone())],
            Error::BadPaging { parameter, value } => vec![
                ("parameter", (*parameter).to_owned()),
                ("value", value.clone()),
                ("max", crate::paging::MAX_LIMIT.to_string()),
            ],
            Error::BadQuery { detail } | Error::MalformedJson { detail } | Error::InvalidBody { detail } => {
                vec![("detail", detail.clone())]
            }
            Error::BadLang { value } => vec![("value", value.clone())],
            Error::BadParameter { parameter, value } => {
                vec![("parameter", (*parameter).to_owned()), ("value", value.clone())]
            }
            Error::BadFileName { name } => vec![("name", name.escape_default().to_string())],
            Error::UnsupportedMediaType { expected } => vec![("expected", (*expected).to_owned())],
            Error::RangeNotSatisfiable { size } => vec![("size", size.to_string())],
            Error::NotReady { part } => vec![(
                "part",
                satudata_core::messages::render(lang, &format!("server.part.{part}"), &[]),
            )],
            Error::Client { status } => vec![("status", status.to_string())],
            Error::Bind { address, .. } => vec![("address", address.clone())],
            // h-auth
            // h-ref
            Error::IdMismatch { path, body } => vec![("path", path.clone()), ("body", body.clone())],
            Error::InvalidDocument { kind, problems } => vec![
                ("kind", resource_kind(lang, kind)),
                ("count", problems.len().to_string()),
            ],
            Error::InvalidMetadata { findings } => vec![("count", findings.len().to_string())],
            Error::UnknownReference { kind, key } | Error::Conflict { kind, key } => {
                vec![("kind", resource_kind(lang, kind)), ("key", key.clone())]
            }
            Error::ImmutableField { field } => vec![("field", (*field).to_owned())],
            // h-sub
            Error::Review(problem) => problem.args(lang),
            Error::BadPeriod(problem) => vec![("detail", problem.message(lang))],
            Error::BadOption(e) => e.args(lang),
            Error::NoReport { id } | Error::NoDiff { id } => vec![("id", id.to_string())],
            Error::BadUpload { detail } => vec![("detail", detail.clone())],
            _ => Vec::new(),
        }
    }

    fn cause(&self) -> Option<&dyn Localize> {
        match self {
            Error::Bind { source, .. } | Error::Serve(source) => Some(source),
            // h-auth
            Error::AccountRefused(cause) => Some(cause.as_ref()),
            // h-sub
            Error::Review(problem) => problem.cause(),
            Error::BadOption(e) => e.cause(),
            _ => None,
        }
    }
}

/// A resource kind in `lang`'s words (the catalog's kinds are English words).
fn resource_kind(lang: Lang, kind: &str) -> String {
    match kind {
        "file" => satudata_core::messages::render(lang, "server.kind.file", &[]),
        // h-auth
        "user" => satudata_core::messages::render(lang, "server.kind.user", &[]),
        "token" => satudata_core::messages::render(lang, "server.kind.token", &[]),
        other => satudata_core::localize::document_kind(lang, other),
    }
}

/// The body of every error response.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What an error body says.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code (`not-found`, `bad-paging`, ...).
    pub code: String,
    /// The message in the language the request asked for.
    pub message: String,
    /// The message in Indonesian.
    pub message_id: String,
    /// The message in English.
    pub message_en: String,
    /// Machine-readable details (the parameter, the allowed values, ...).
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// The request's id, as in the `x-request-id` header and the server's log.
    pub request_id: String,
}

impl From<satudata_catalog::Error> for Error {
    fn from(e: satudata_catalog::Error) -> Self {
        match e {
            satudata_catalog::Error::NotFound { kind, key } => Error::NotFound { kind, key },
            other => Error::Internal {
                detail: error_chain(&other),
            },
        }
    }
}

impl From<satudata_core::Error> for Error {
    fn from(e: satudata_core::Error) -> Self {
        Error::Internal {
            detail: error_chain(&e),
        }
    }
}

// h-auth
/// The API's answer to a refused account or token operation: a taken name is
/// `conflict` (409), an unknown account or token `not-found`, a rule the input breaks
/// (password length, account name, unknown organization, token name or lifetime)
/// `account-refused` (422), and the rest what [`From`] makes of it.
pub fn account_error(e: satudata_catalog::Error) -> Error {
    use satudata_catalog::AccountProblem as P;
    match e {
        satudata_catalog::Error::Account(P::UserExists(name)) => Error::Conflict {
            kind: "user",
            key: name,
        },
        satudata_catalog::Error::Account(P::NoSuchUser(name)) => Error::NotFound {
            kind: "user",
            key: name,
        },
        satudata_catalog::Error::Account(P::NoSuchToken(id)) => Error::NotFound {
            kind: "token",
            key: id.to_string(),
        },
        satudata_catalog::Error::Account(P::StoredRole(_)) => Error::from(e),
        satudata_catalog::Error::Account(_) | satudata_catalog::Error::NotFound { .. } => {
            Error::AccountRefused(Box::new(e))
        }
        satudata_catalog::Error::Auth(
            satudata_auth::Error::StoredHash(_) | satudata_auth::Error::Hash(_) | satudata_auth::Error::Random(_),
        ) => Error::from(e),
        satudata_catalog::Error::Auth(_) => Error::AccountRefused(Box::new(e)),
        other => Error::from(other),
    }
}

// h-sub
/// The code and status of a refused review step: a state that does not allow it (or changed
/// meanwhile) is `state-conflict`, publishing without consent `no-consent`, consent too late
/// `consent-closed`, a second withdrawal `already-withdrawn` (all 409); a missing status or a
/// bad text is 422.
fn review_entry(problem: &satudata_catalog::ReviewProblem) -> (&'static str, StatusCode) {
    use satudata_catalog::ReviewProblem as P;
    match problem {
        P::StatusMissing => ("status-missing", StatusCode::UNPROCESSABLE_ENTITY),
        P::Text { .. } => ("bad-text", StatusCode::UNPROCESSABLE_ENTITY),
        P::NoConsent { .. } => ("no-consent", StatusCode::CONFLICT),
        P::ConsentClosed(_) => ("consent-closed", StatusCode::CONFLICT),
        P::AlreadyWithdrawn { .. } => ("already-withdrawn", StatusCode::CONFLICT),
        _ => ("state-conflict", StatusCode::CONFLICT),
    }
}

/// The API's answer to a refused workflow step on the `kind` named `key`: what the caller may
/// not see is `not-found` (404), unauthenticated 401, not allowed 403, a refused review step
/// its own 409 or 422, a bad period `bad-period` (422), and the rest what [`From`] makes of it.
pub fn workflow_error(
    kind: &'static str,
    key: impl std::fmt::Display,
) -> impl FnOnce(satudata_workflow::Error) -> Error {
    move |e| {
        use satudata_core::access::Decision;
        use satudata_workflow::Error as W;
        match e {
            W::Denied(Decision::Hidden) => Error::NotFound {
                kind,
                key: key.to_string(),
            },
            W::Denied(Decision::Unauthenticated) => Error::Unauthenticated,
            W::Denied(_) => Error::Forbidden,
            W::Catalog(satudata_catalog::Error::Review(problem)) => Error::Review(problem),
            W::Catalog(e) => Error::from(e),
            W::Period(problem) => Error::BadPeriod(problem),
            W::Options(e) => Error::BadOption(e),
            W::UnknownSubmission(id) => Error::NoReport { id },
            W::Unreadable(id) => Error::NoDiff { id },
            other => Error::Internal {
                detail: error_chain(&other),
            },
        }
    }
}

/// An error and its sources, for the log.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// An error waiting in a response for [`render_errors`] to write its body.
#[derive(Debug, Clone)]
struct Pending(Arc<Error>);

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (_, status) = self.entry();
        let mut response = status.into_response();
        if matches!(self, Error::Unauthenticated) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Error::RangeNotSatisfiable { size } = &self
            && let Ok(value) = HeaderValue::from_str(&format!("bytes */{size}"))
        {
            response.headers_mut().insert(header::CONTENT_RANGE, value);
        }
        response.extensions_mut().insert(Pending(Arc::new(self)));
        response
    }
}

/// Middleware: refuses an unknown `?lang=`, and writes the body of every error response in
/// the request's language, with its request id.
pub async fn render_errors(mut request: Request, next: Next) -> Response {
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone())
        .unwrap_or_default();
    let lang = match lang::negotiate(request.uri().query(), request.headers()) {
        Ok(lang) => lang,
        Err(error) => {
            let (_, status) = error.entry();
            return write(&error, Lang::default(), &request_id, status.into_response());
        }
    };
    request.extensions_mut().insert(RequestLang(lang));
    let path = request.uri().path().to_owned();
    let method = request.method().to_string();
    let response = next.run(request).await;
    let status = response.status();
    if let Some(Pending(error)) = response.extensions().get::<Pending>().cloned() {
        return write(&error, lang, &request_id, response);
    }
    // JSON errors are written already; a portal page (HTML) answers its own errors as a page.
    let answered = response.headers().get(header::CONTENT_TYPE).is_some_and(|t| {
        [&b"application/json"[..], b"text/html"]
            .iter()
            .any(|k| t.as_bytes().starts_with(k))
    });
    if (status.is_client_error() || status.is_server_error()) && !answered {
        let allow = response
            .headers()
            .get(header::ALLOW)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(',')
                    .map(|m| m.trim().to_owned())
                    .filter(|m| !m.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let error = Error::from_status(status, &path, &method, allow);
        return write(&error, lang, &request_id, response);
    }
    response
}

/// Replaces `response`'s body by `error`'s, keeping its status and headers.
fn write(error: &Error, lang: Lang, request_id: &str, response: Response) -> Response {
    let (code, _) = error.entry();
    let status = response.status();
    if status.is_server_error() {
        tracing::error!(code, error = %error_chain(error), "request failed");
    } else {
        tracing::info!(code, "request refused");
    }
    let (mut parts, _) = response.into_parts();
    let body = serde_json::to_vec(&error.body(lang, request_id)).unwrap_or_default();
    parts.headers.remove(header::CONTENT_ENCODING);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    Response::from_parts(parts, axum::body::Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each variant, so that the table and both catalogs are checked for all.
    fn every() -> Vec<Error> {
        let io = || std::io::Error::new(std::io::ErrorKind::AddrInUse, "in use");
        vec![
            Error::RouteNotFound { path: "/x".into() },
            Error::MethodNotAllowed {
                method: "POST".into(),
                allow: vec!["GET".into(), "HEAD".into()],
            },
            Error::NotFound {
                kind: "dataset",
                key: "x".into(),
            },
            Error::NotFound {
                kind: "release",
                key: "x".into(),
            },
            Error::NotFound {
                kind: "file",
                key: "x".into(),
            },
            Error::NotFound {
                kind: "organization",
                key: "x".into(),
            },
            Error::BadPaging {
                parameter: "limit",
                value: "-1".into(),
            },
            Error::BadQuery { detail: "d".into() },
            Error::BadLang { value: "fr".into() },
            Error::BadParameter {
                parameter: "version",
                value: "x".into(),
            },
            Error::BadFileName { name: "../x".into() },
            Error::MalformedJson { detail: "d".into() },
            Error::InvalidBody { detail: "d".into() },
            Error::UnsupportedMediaType {
                expected: "application/json",
            },
            Error::PayloadTooLarge,
            Error::Unauthenticated,
            Error::Forbidden,
            Error::RangeNotSatisfiable { size: 3 },
            Error::Timeout,
            Error::NotReady { part: "catalog" },
            Error::NotReady { part: "store" },
            Error::Client { status: 418 },
            // h-auth
            Error::LoginFailed,
            Error::CsrfFailed,
            Error::AccountRefused(Box::new(satudata_catalog::Error::Auth(
                satudata_auth::Error::PasswordTooShort { chars: 3, min: 12 },
            ))),
            Error::NotFound {
                kind: "token",
                key: "7".into(),
            },
            // h-ref
            Error::IdMismatch {
                path: "a".into(),
                body: "b".into(),
            },
            Error::InvalidDocument {
                kind: "code list",
                problems: Vec::new(),
            },
            Error::InvalidDocument {
                kind: "master data",
                problems: Vec::new(),
            },
            Error::InvalidDocument {
                kind: "data standard",
                problems: Vec::new(),
            },
            Error::InvalidMetadata { findings: Vec::new() },
            Error::UnknownReference {
                kind: "organization",
                key: "x".into(),
            },
            Error::UnknownReference {
                kind: "data standard",
                key: "x".into(),
            },
            Error::Conflict {
                kind: "dataset",
                key: "x".into(),
            },
            Error::ImmutableField { field: "name" },
            // h-sub
            Error::Review(satudata_catalog::ReviewProblem::NoConsent { id: 3 }),
            Error::Review(satudata_catalog::ReviewProblem::StatusMissing),
            Error::Review(satudata_catalog::ReviewProblem::Text { max: 10 }),
            Error::Review(satudata_catalog::ReviewProblem::Raced { id: 3 }),
            Error::Review(satudata_catalog::ReviewProblem::ConsentClosed(
                satudata_core::lifecycle::SubmissionState::Published,
            )),
            Error::Review(satudata_catalog::ReviewProblem::AlreadyWithdrawn {
                dataset: "x".into(),
                version: 1,
            }),
            Error::Review(satudata_catalog::ReviewProblem::Refused(
                satudata_core::lifecycle::next(
                    satudata_core::lifecycle::SubmissionState::Received,
                    satudata_core::lifecycle::Event::Publish,
                )
                .unwrap_err(),
            )),
            Error::BadPeriod(satudata_core::Period::parse("2024-13", None).unwrap_err()),
            Error::NoReport { id: 3 },
            Error::NoDiff { id: 3 },
            Error::BadUpload { detail: "d".into() },
            Error::NotFound {
                kind: "submission",
                key: "3".into(),
            },
            Error::NotFound {
                kind: "job",
                key: "3".into(),
            },
            Error::Internal { detail: "d".into() },
            Error::Bind {
                address: "127.0.0.1:1".into(),
                source: io(),
            },
            Error::Serve(io()),
        ]
    }

    #[test]
    fn every_error_has_a_code_a_status_and_both_messages() {
        for error in every() {
            let (code, status) = error.entry();
            assert!(status.is_client_error() || status.is_server_error(), "{code}");
            for lang in [Lang::Id, Lang::En] {
                assert!(
                    satudata_core::messages::has(lang, error.key()),
                    "{} missing in {lang:?}",
                    error.key()
                );
                let text = error.localize(lang);
                assert!(!text.contains('{'), "{code} in {lang:?}: {text}");
            }
            let body = error.body(Lang::En, "r-1");
            assert_eq!(
                (body.error.code.as_str(), body.error.request_id.as_str()),
                (code, "r-1")
            );
            assert_eq!(body.error.message, body.error.message_en);
            assert_ne!(body.error.message_id, body.error.message_en, "{code}");
        }
    }

    #[test]
    fn internal_details_stay_in_the_log() {
        let body = Error::Internal {
            detail: "database password wrong".into(),
        }
        .body(Lang::Id, "r");
        assert!(!serde_json::to_string(&body).unwrap_or_default().contains("password"));
    }
}
