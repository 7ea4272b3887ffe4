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

fn fetch_error(url: &str, detail: impl std::fmt::Display) -> Error {
    Error::Fetch {
        url: url.to_owned(),
        detail: detail.to_string(),
    }
}

/// Downloads `url` within `limits`; a non-success status, a timeout or a body over the limit
/// is an error.
pub async fn fetch(url: &str, limits: &FetchLimits) -> Result<Vec<u8>> {
    let parsed = reqwest::Url::parse(url).map_err(|e| fetch_error(url, e))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(fetch_error(
            url,
            format!("scheme {} is not http or https", parsed.scheme()),
        ));
    }
    let client = reqwest::Client::builder()
        .timeout(limits.timeout)
        .user_agent(concat!("satudata/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| fetch_error(url, e))?;
    let mut response = client.get(parsed).send().await.map_err(|e| fetch_error(url, e))?;
    if !response.status().is_success() {
        return Err(fetch_error(url, format!("HTTP {}", response.status())));
    }
    let too_large = || fetch_error(url, format!("larger than the limit of {} bytes", limits.max_bytes));
    if response.content_length().is_some_and(|n| n > limits.max_bytes) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| fetch_error(url, e))? {
        if (body.len() + chunk.len()) as u64 > limits.max_bytes {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
