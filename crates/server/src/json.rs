//! The JSON body extractor for the routes that take one: its refusals are the API's errors.
//!
//! A body that is not JSON is `malformed-json` (400); JSON of the wrong shape (an unknown field
//! where the type says `deny_unknown_fields`, a missing field, a wrong type) is `invalid-body`
//! (422); a request without `Content-Type: application/json` is `unsupported-media-type` (415);
//! a body past the limit is `payload-too-large` (413).

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::Error;

/// A JSON request body of type `T`.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonSyntaxError(e) => Error::MalformedJson { detail: e.body_text() },
            JsonRejection::JsonDataError(e) => Error::InvalidBody { detail: e.body_text() },
            JsonRejection::MissingJsonContentType(_) => Error::UnsupportedMediaType {
                expected: "application/json",
            },
            JsonRejection::BytesRejection(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Error::PayloadTooLarge
            }
            other => Error::Client {
                status: other.status().as_u16(),
            },
        }
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        let axum::Json(value) = axum::Json::<T>::from_request(request, state).await?;
        Ok(ApiJson(value))
    }
}
