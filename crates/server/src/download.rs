//! Streaming a release file: `ETag`, `Last-Modified`, `If-None-Match` (304), a single
//! `Range` (206, or 416 when it lies outside the file), `Content-Disposition`.
//!
//! The file is read from disk in chunks as the client takes them (a tokio file stream), never
//! whole into memory. Several ranges in one request are answered with the whole file, which
//! RFC 9110 allows, rather than a multipart body no harvester asks for.

use std::io::SeekFrom;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};
use tokio_util::io::ReaderStream;

use crate::error::{Error, Result};
use crate::read::Download;

/// Bytes read from disk at a time.
const CHUNK: usize = 64 * 1024;

/// An inclusive byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    first: u64,
    last: u64,
}

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wanted {
    /// The whole file (no header, a header we do not take, or several ranges).
    Whole,
    /// One range.
    Part(Span),
    /// A range wholly outside the file.
    Unsatisfiable,
}

fn wanted(range: Option<&str>, size: u64) -> Wanted {
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes=")) else {
        return Wanted::Whole;
    };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((start, end)) = spec.trim().split_once('-') else {
        return Wanted::Whole;
    };
    let number = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (start.trim(), end.trim()) {
        ("", suffix) => match number(suffix) {
            Some(0) => Wanted::Unsatisfiable,
            Some(_) if size == 0 => Wanted::Unsatisfiable,
            Some(n) => Wanted::Part(Span {
                first: size.saturating_sub(n),
                last: size - 1,
            }),
            None => Wanted::Whole,
        },
        (first, "") => match number(first) {
            Some(first) if first >= size => Wanted::Unsatisfiable,
            Some(first) => Wanted::Part(Span { first, last: size - 1 }),
            None => Wanted::Whole,
        },
        (first, last) => match (number(first), number(last)) {
            (Some(first), Some(last)) if first > last => Wanted::Whole,
            (Some(first), Some(_)) if first >= size => Wanted::Unsatisfiable,
            (Some(first), Some(last)) => Wanted::Part(Span {
                first,
                last: last.min(size - 1),
            }),
            _ => Wanted::Whole,
        },
    }
}

/// Whether an `If-None-Match` list names `etag` (weak comparison, as RFC 9110 asks for it).
fn none_match(header: &str, etag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

fn http_date(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn value(text: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(text).map_err(|e| Error::Internal {
        detail: format!("header value {text:?}: {e}"),
    })
}

/// The response for `download`, given the request's headers.
pub async fn respond(download: &Download, request: &HeaderMap) -> Result<Response> {
    let mut file = tokio::fs::File::open(&download.path)
        .await
        .map_err(|e| Error::Internal {
            detail: format!("{}: {e}", download.path.display()),
        })?;
    let size = file
        .metadata()
        .await
        .map_err(|e| Error::Internal {
            detail: format!("{}: {e}", download.path.display()),
        })?
        .len();
    let etag = format!("\"{}\"", download.sha256);
    let mut headers = HeaderMap::new();
    headers.insert(header::ETAG, value(&etag)?);
    headers.insert(header::LAST_MODIFIED, value(&http_date(&download.published))?);
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=0, must-revalidate"),
    );
    let text = |name| request.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    if text(header::IF_NONE_MATCH).is_some_and(|h| none_match(h, &etag)) {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        *response.headers_mut() = headers;
        return Ok(response);
    }
    // A range is only for the same content: an `If-Range` naming another version gets it whole.
    let range = match text(header::IF_RANGE) {
        Some(tag) if tag.trim() != etag => None,
        _ => text(header::RANGE),
    };
    let (status, span) = match wanted(range, size) {
        Wanted::Whole => (StatusCode::OK, None),
        Wanted::Part(span) => (StatusCode::PARTIAL_CONTENT, Some(span)),
        Wanted::Unsatisfiable => return Err(Error::RangeNotSatisfiable { size }),
    };
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(download.content_type));
    headers.insert(
        header::CONTENT_DISPOSITION,
        value(&format!(
            "attachment; filename=\"{}\"",
            safe_name(&download.download_name)
        ))?,
    );
    let length = match span {
        Some(Span { first, last }) => {
            file.seek(SeekFrom::Start(first)).await.map_err(|e| Error::Internal {
                detail: format!("{}: {e}", download.path.display()),
            })?;
            headers.insert(header::CONTENT_RANGE, value(&format!("bytes {first}-{last}/{size}"))?);
            last - first + 1
        }
        None => size,
    };
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    let stream = ReaderStream::with_capacity(file.take(length), CHUNK);
    let mut response = Response::new(Body::from_stream(stream));
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    Ok(response)
}

/// A name safe inside a quoted `filename=`: letters, digits, `.`, `-`, `_`; anything else `_`.
fn safe_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(first: u64, last: u64) -> Wanted {
        Wanted::Part(Span { first, last })
    }

    #[test]
    fn ranges_are_read_as_rfc_9110_says() {
        assert_eq!(wanted(None, 10), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=0-3"), 10), part(0, 3));
        assert_eq!(wanted(Some("bytes=5-"), 10), part(5, 9));
        assert_eq!(wanted(Some("bytes=-4"), 10), part(6, 9));
        assert_eq!(wanted(Some("bytes=-40"), 10), part(0, 9));
        assert_eq!(wanted(Some("bytes=8-100"), 10), part(8, 9));
        assert_eq!(wanted(Some("bytes=10-"), 10), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=10-12"), 10), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=-0"), 10), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=0-"), 0), Wanted::Unsatisfiable);
        // Not understood, or several: the whole file.
        for ignored in [
            "bytes=0-1,3-4",
            "bytes=5-2",
            "items=0-1",
            "bytes=a-b",
            "bytes=",
            "bytes=-",
            "bytes=+1-2",
        ] {
            assert_eq!(wanted(Some(ignored), 10), Wanted::Whole, "{ignored}");
        }
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists() {
        assert!(none_match("\"ab\"", "\"ab\""));
        assert!(none_match("W/\"ab\"", "\"ab\""));
        assert!(none_match("\"x\", \"ab\"", "\"ab\""));
        assert!(none_match("*", "\"ab\""));
        assert!(!none_match("\"abc\"", "\"ab\""));
    }

    #[test]
    fn download_names_are_plain_and_dates_are_http_dates() {
        assert_eq!(safe_name("a b\"c;.csv"), "a_b_c_.csv");
        let t = chrono::DateTime::parse_from_rfc3339("2026-01-05T07:08:09.123Z").unwrap();
        assert_eq!(
            http_date(&t.with_timezone(&chrono::Utc)),
            "Mon, 05 Jan 2026 07:08:09 GMT"
        );
    }
}
