//! Fetching a submission from a PD's system by URL: HTTP(S) only, with a timeout, a size limit
//! and TLS certificates verified against the platform's roots (never switched off).

use std::time::Duration;

use crate::{Error, Result};

/// Limits on fetching a remote source.
#[derive(Debug, Clone, Copy)]
pub struct FetchLimits {
    /// Longest time for the whole request.
    pub timeout: Duration,
    /// Largest body accepted.
    pub max_bytes: u64,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            timeout: Duration::from_secs(60),
            max_bytes: 512 * 1024 * 1024,
        }
    }
}

/// Why a remote source could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchProblem {
    /// The URL's scheme is not `http` or `https`.
    #[error("scheme {0} is not http or https")]
    Scheme(String),
    /// The server answered with a status other than success.
    #[error("HTTP {0}")]
    Status(u16),
    /// The body is larger than [`FetchLimits::max_bytes`].
    #[error("larger than the limit of {0} bytes")]
    TooLarge(u64),
    /// The whole request took longer than [`FetchLimits::timeout`].
    #[error("no answer within the time limit")]
    Timeout,
    /// The request failed (no connection, a malformed URL), in the HTTP client's words.
    #[error("{0}")]
    Request(String),
}

fn fetch_error(url: &str, problem: FetchProblem) -> Error {
    Error::Fetch {
        url: url.to_owned(),
        problem,
    }
}

fn request_error(url: &str, error: reqwest::Error) -> Error {
    if error.is_timeout() {
        return fetch_error(url, FetchProblem::Timeout);
    }
    // The client's own message is general ("error sending request"); its causes say why.
    let mut detail = error.to_string();
    let mut cause = std::error::Error::source(&error);
    while let Some(e) = cause {
        detail.push_str(": ");
        detail.push_str(&e.to_string());
        cause = e.source();
    }
    fetch_error(url, FetchProblem::Request(detail))
}

/// Downloads `url` within `limits`; a non-success status, a timeout or a body over the limit
/// is an error.
pub async fn fetch(url: &str, limits: &FetchLimits) -> Result<Vec<u8>> {
    let parsed = reqwest::Url::parse(url).map_err(|e| fetch_error(url, FetchProblem::Request(e.to_string())))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(fetch_error(url, FetchProblem::Scheme(parsed.scheme().to_owned())));
    }
    let client = reqwest::Client::builder()
        .timeout(limits.timeout)
        .user_agent(concat!("satudata/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| request_error(url, e))?;
    let mut response = client.get(parsed).send().await.map_err(|e| request_error(url, e))?;
    if !response.status().is_success() {
        return Err(fetch_error(url, FetchProblem::Status(response.status().as_u16())));
    }
    let too_large = || fetch_error(url, FetchProblem::TooLarge(limits.max_bytes));
    if response.content_length().is_some_and(|n| n > limits.max_bytes) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| request_error(url, e))? {
        if (body.len() + chunk.len()) as u64 > limits.max_bytes {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
