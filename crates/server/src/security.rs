//! Security headers on every response, and CORS for harvesters' reads.
//!
//! The API's Content Security Policy forbids everything (`default-src 'none'`): it serves
//! JSON and files, never pages. The headers are set only when a response has none of its own,
//! so the web pages of a later slice can carry their own policy.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
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

/// CORS for the public reads: the `origins` may `GET` (harvesters, portals' scripts, dashboards;
/// `*`, the default, is any origin); no credentials are sent cross-origin, so signed-in reads
/// stay same-origin.
pub fn cors(origins: &[String]) -> CorsLayer {
    let allowed: AllowOrigin = if origins.iter().any(|o| o == "*") {
        Any.into()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok()),
        )
    };
    CorsLayer::new()
        .allow_origin(allowed)
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

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::Request;
    use axum::routing::get;
    use tower::ServiceExt as _;

    use super::*;

    async fn allowed(origins: &[&str], origin: &str) -> Option<String> {
        let origins: Vec<String> = origins.iter().map(|o| (*o).to_owned()).collect();
        let app = Router::new().route("/", get(|| async { "ok" })).layer(cors(&origins));
        let request = Request::get("/")
            .header(header::ORIGIN, origin)
            .body(Body::empty())
            .unwrap();
        let response = app.oneshot(request).await.unwrap();
        response
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    #[tokio::test]
    async fn the_public_reads_allow_the_configured_origins() {
        assert_eq!(
            allowed(&["*"], "https://dasbor.example.go.id").await.as_deref(),
            Some("*")
        );
        let listed = ["https://data.go.id", "https://dasbor.example.go.id/"];
        assert_eq!(
            allowed(&listed, "https://dasbor.example.go.id").await.as_deref(),
            Some("https://dasbor.example.go.id")
        );
        assert_eq!(allowed(&listed, "https://lain.example.com").await, None);
    }
}
