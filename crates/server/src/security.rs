//! Security headers on every response, and CORS for harvesters' reads.
//!
//! The API's Content Security Policy forbids everything (`default-src 'none'`): it serves
//! JSON and files, never pages. The headers are set only when a response has none of its own,
//! so the web pages of a later slice can carry their own policy.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, header};
use tower_http::cors::{Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

/// The API's Content Security Policy.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// The headers set on every response that has none of its own.
pub const HEADERS: [(HeaderName, &str); 4] = [
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "no-referrer"),
    (header::X_FRAME_OPTIONS, "DENY"),
];

/// `router` with the security headers on every response.
pub fn with_headers(mut router: Router) -> Router {
    for (name, value) in HEADERS {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
}

/// CORS for the public reads: any origin may `GET` (harvesters, portals' scripts); no
/// credentials are sent cross-origin, so signed-in reads stay same-origin.
pub fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers([
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            header::RANGE,
            header::IF_NONE_MATCH,
        ])
        .expose_headers([
            header::ETAG,
            header::CONTENT_LENGTH,
            header::CONTENT_RANGE,
            header::ACCEPT_RANGES,
            header::LAST_MODIFIED,
            HeaderName::from_static(crate::request_id::HEADER),
        ])
}
