//! What the embedding application decides: who uploads ([`Owner`]), whether an upload may start
//! ([`Hooks::on_create`]) and what a finished upload becomes ([`Hooks::on_complete`]).

use std::collections::BTreeMap;
use std::future::Future;
use std::path::PathBuf;

use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;

/// The uploader, as the application's authentication layer names it (an opaque string).
///
/// The application puts it into the request's extensions (a tower layer or an axum middleware
/// in front of [`crate::router`]); a request without one is refused with 401, and an upload is
/// only seen by the owner that created it (others get 404).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner(pub String);

/// An upload about to be created, as [`Hooks::on_create`] sees it.
#[derive(Debug)]
pub struct NewUpload<'a> {
    /// Who creates it.
    pub owner: &'a str,
    /// Its announced length in bytes.
    pub length: u64,
    /// Its decoded `Upload-Metadata`.
    pub metadata: &'a BTreeMap<String, String>,
}

/// A finished upload, handed to [`Hooks::on_complete`].
#[derive(Debug, Clone)]
pub struct CompletedUpload {
    /// The upload's id (32 hex digits).
    pub id: String,
    /// Who uploaded it.
    pub owner: String,
    /// The staged file, whole. The hook may move it; whatever is left there is removed after.
    pub path: PathBuf,
    /// Its length in bytes.
    pub length: u64,
    /// Its decoded `Upload-Metadata`.
    pub metadata: BTreeMap<String, String>,
    /// SHA-256 of the whole file, lowercase hex.
    pub sha256: String,
}

/// The application's answer to a finished upload: headers added to the final PATCH response
/// and to every later HEAD (for example a `Link` to the submission it became).
#[derive(Debug, Clone, Default)]
pub struct Accepted {
    pub(crate) headers: Vec<(String, String)>,
}

impl Accepted {
    /// An answer that adds no header.
    pub fn new() -> Accepted {
        Accepted::default()
    }

    /// Adds a header to the answer. It is kept in the upload's info file as text, so a value
    /// should be visible ASCII (a URL, an id); other bytes are not kept exactly.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Accepted {
        let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
        self.headers.push((name.as_str().to_owned(), text));
        self
    }
}

/// The application's part of the upload's life. Both hooks answer with a ready response when
/// they refuse, so that its body has the application's own error shape.
pub trait Hooks: Send + Sync + 'static {
    /// Decides whether an upload may be created (for example: may this owner submit to the
    /// dataset its metadata names?). The default accepts every upload.
    fn on_create(&self, upload: &NewUpload<'_>) -> impl Future<Output = Result<(), Response>> + Send {
        let _ = upload;
        async { Ok(()) }
    }

    /// Takes a finished upload (the server makes a submission of it). Called once per upload,
    /// under the upload's lock. A refusal discards the upload and its response is the answer
    /// to the request that finished it.
    fn on_complete(&self, upload: CompletedUpload) -> impl Future<Output = Result<Accepted, Response>> + Send;
}
