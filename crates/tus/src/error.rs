//! The crate's [`Error`], and the one table that gives each a status and a stable code.
//!
//! Protocol refusals (a wrong offset, a missing header, an upload that is not there) and
//! failures of the staging folder are variants of the same enum; [`Error::status`] and
//! [`Error::code`] are the table the HTTP answer is built from (`IntoResponse`, in
//! `protocol.rs`), so that a status never drifts from its code.

use axum::http::StatusCode;

/// Errors of the resumable-upload service.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request has no `Tus-Resumable` header, or names a version other than 1.0.0.
    #[error("unsupported tus version {given:?}")]
    Version {
        /// The version the request named, if any.
        given: Option<String>,
    },
    /// No owner was attached to the request by the application's authentication layer.
    #[error("request has no upload owner")]
    Unauthenticated,
    /// A protocol header is missing or malformed.
    #[error("header {name} is missing or malformed")]
    Header {
        /// The header's name.
        name: &'static str,
    },
    /// `Upload-Metadata` is not a list of `key base64` pairs of UTF-8 text, each key once.
    #[error("Upload-Metadata pair {pair:?} is malformed")]
    Metadata {
        /// The pair that is not (clipped).
        pair: String,
    },
    /// `Upload-Length` is over the configured maximum.
    #[error("upload of {length} bytes is over the maximum of {max}")]
    TooLarge {
        /// The length the client announced.
        length: u64,
        /// The configured maximum.
        max: u64,
    },
    /// The owner already has as many unfinished uploads as allowed.
    #[error("{max} unfinished uploads already")]
    TooMany {
        /// The configured maximum.
        max: usize,
    },
    /// A PATCH carries more bytes than the upload has left.
    #[error("PATCH goes past the upload's length of {length} bytes")]
    PastLength {
        /// The upload's length.
        length: u64,
    },
    /// A PATCH's `Content-Type` is not `application/offset+octet-stream`.
    #[error("PATCH content type must be application/offset+octet-stream")]
    ContentType,
    /// A PATCH's `Upload-Offset` is not where the upload stands.
    #[error("offset {given} does not match the upload's offset {offset}")]
    Offset {
        /// The offset the client sent.
        given: u64,
        /// The upload's offset.
        offset: u64,
    },
    /// No upload with this id exists for this owner.
    #[error("no such upload")]
    NotFound,
    /// The upload was left unfinished for longer than the configured age.
    #[error("upload expired")]
    Expired,
    /// Another request is writing to this upload.
    #[error("upload is busy with another request")]
    Locked,
    /// The method is not part of the protocol at this URL.
    #[error("method not allowed")]
    Method {
        /// The methods this URL answers, for `Allow`.
        allow: &'static str,
    },
    /// The request body ended early or stalled; what arrived is kept.
    #[error("request body ended after {received} bytes")]
    Interrupted {
        /// Bytes of this request written to the upload.
        received: u64,
    },
    /// A file of the staging folder could not be read or written.
    #[error("{path}")]
    Io {
        /// The file or folder.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// An upload's info file is unreadable.
    #[error("upload info {path} is unreadable")]
    Info {
        /// The info file.
        path: String,
        /// The parser's error.
        source: serde_json::Error,
    },
}

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Error::Version { .. } => StatusCode::PRECONDITION_FAILED,
            Error::Unauthenticated => StatusCode::UNAUTHORIZED,
            Error::Header { .. } | Error::Metadata { .. } | Error::Interrupted { .. } => StatusCode::BAD_REQUEST,
            Error::TooLarge { .. } | Error::PastLength { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Error::ContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::Offset { .. } => StatusCode::CONFLICT,
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::Expired => StatusCode::GONE,
            Error::Locked => StatusCode::LOCKED,
            Error::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Method { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Error::Io { .. } | Error::Info { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code of the error body (`upload-offset-mismatch`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Version { .. } => "upload-version",
            Error::Unauthenticated => "unauthenticated",
            Error::Header { .. } => "upload-header",
            Error::Metadata { .. } => "upload-metadata",
            Error::TooLarge { .. } => "upload-too-large",
            Error::PastLength { .. } => "upload-past-length",
            Error::ContentType => "upload-content-type",
            Error::Offset { .. } => "upload-offset-mismatch",
            Error::NotFound => "not-found",
            Error::Expired => "upload-expired",
            Error::Locked => "upload-locked",
            Error::TooMany { .. } => "upload-too-many",
            Error::Method { .. } => "method-not-allowed",
            Error::Interrupted { .. } => "upload-interrupted",
            Error::Io { .. } | Error::Info { .. } => "internal",
        }
    }

    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.display().to_string(),
            source,
        }
    }
}
