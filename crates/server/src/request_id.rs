//! The request id: taken from `x-request-id` when the client sent a sane one, made otherwise;
//! in the request's extensions (for the log span and error bodies) and on the response.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// The header carrying the id both ways.
pub const HEADER: &str = "x-request-id";

/// A request's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// Makes ids `{prefix}-{n}`: a random prefix per process, a counter after it.
#[derive(Debug)]
pub struct IdMaker {
    prefix: String,
    next: AtomicU64,
}

impl IdMaker {
    /// A maker with a fresh random prefix.
    pub fn new() -> Self {
        let mut bytes = [0u8; 6];
        // Ids need not be secret: without randomness, the process id still tells servers apart.
        let prefix = match getrandom::fill(&mut bytes) {
            Ok(()) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
            Err(_) => format!("p{}", std::process::id()),
        };
        IdMaker {
            prefix,
            next: AtomicU64::new(1),
        }
    }

    fn make(&self) -> String {
        format!("{}-{}", self.prefix, self.next.fetch_add(1, Ordering::Relaxed))
    }
}

impl Default for IdMaker {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether a client's id may be kept: short, and only characters that cannot break a log line.
fn sane(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// Middleware: gives the request its id and puts it on the response.
pub async fn assign(State(maker): State<std::sync::Arc<IdMaker>>, mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| sane(v))
        .map(str::to_owned)
        .unwrap_or_else(|| maker.make());
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_client_ids_are_kept_only_when_sane() {
        let maker = IdMaker::new();
        assert_ne!(maker.make(), maker.make());
        assert!(sane("abc-123_x.y:z"));
        assert!(!sane(""));
        assert!(!sane("a b"));
        assert!(!sane("a\nb"));
        assert!(!sane(&"a".repeat(65)));
    }
}
