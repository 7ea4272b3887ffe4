//! Operations: liveness, readiness, metrics, and the OpenAPI document.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::error::{Error, ErrorBody, Result, error_chain};
use crate::state::AppState;
use crate::views::Health;

/// The process is up.
#[utoipa::path(get, path = "/healthz", operation_id = "healthz", tag = "operasi",
    responses((status = 200, description = "The process answers", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok".into() })
}

/// The catalog database answers a query and the object store is reachable.
#[utoipa::path(get, path = "/readyz", operation_id = "readyz", tag = "operasi",
    responses(
        (status = 200, description = "Ready to serve", body = Health),
        (status = 503, description = "The catalog or the store does not answer", body = ErrorBody),
    ))]
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Health>> {
    let center = state.center();
    if let Err(e) = center.catalog().ping().await {
        tracing::warn!(error = %error_chain(&e), "catalog not ready");
        return Err(Error::NotReady { part: "catalog" });
    }
    let store = match center.store().local_path("") {
        Some(root) => match tokio::fs::metadata(&root).await {
            Ok(m) if m.is_dir() => Ok(()),
            Ok(_) => Err(format!("{} is not a directory", root.display())),
            Err(e) => Err(format!("{}: {e}", root.display())),
        },
        // A remote store is reachable when it answers "no such object" for a probe.
        None => match center.store().get("readyz/probe").await {
            Ok(_) | Err(satudata_catalog::Error::Store(object_store::Error::NotFound { .. })) => Ok(()),
            Err(e) => Err(error_chain(&e)),
        },
    };
    if let Err(detail) = store {
        tracing::warn!(error = %detail, "store not ready");
        return Err(Error::NotReady { part: "store" });
    }
    Ok(Json(Health { status: "ok".into() }))
}

/// Prometheus metrics: requests by route template and status, latencies by route.
#[utoipa::path(get, path = "/metrics", operation_id = "metrics", tag = "operasi",
    responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain", body = String)))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.metrics().render(),
    )
}

/// This API's OpenAPI 3.1 document.
#[utoipa::path(get, path = "/api/v1/openapi.json", operation_id = "openapi", tag = "operasi",
    responses((status = 200, description = "The OpenAPI document", body = Object)))]
pub async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi::document_json(),
    )
}
