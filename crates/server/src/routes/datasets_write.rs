//! `POST /api/v1/datasets` and `PATCH /api/v1/datasets/{name}`: registering a dataset and
//! changing its metadata. The logic is in [`crate::write`].

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::auth::Caller;
use crate::error::{ErrorBody, Result};
use crate::json::ApiJson;
use crate::paging::{Filters, NoFilters};
use crate::state::AppState;
use crate::views::DatasetDetail;
use crate::write;

/// Registers a dataset: its metadata, checked against the metadata standard.
#[utoipa::path(post, path = "/api/v1/datasets", operation_id = "datasets_create", tag = "dataset",
    params(crate::openapi::LangParam),
    request_body(content = Object, content_type = "application/json",
        description = "The dataset metadata (`schemas/dataset.schema.json`), as in `sample_data/datasets/`"),
    responses(
        (status = 201, description = "Registered; `Location` is its address", body = DatasetDetail),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a produsen of the organization, a walidata or an admin", body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Metadata findings (details.findings), or an unknown organization or standard", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Filters(NoFilters {}): Filters<NoFilters>,
    ApiJson(metadata): ApiJson<serde_json::Value>,
) -> Result<Response> {
    let detail = write::register(&state, &actor, &metadata).await?;
    let mut response = (StatusCode::CREATED, Json(&detail)).into_response();
    if let Ok(location) = HeaderValue::from_str(&detail.summary.links.this) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Changes a dataset's metadata by a JSON merge patch (RFC 7396); `name` and `organization`
/// cannot change.
#[utoipa::path(patch, path = "/api/v1/datasets/{name}", operation_id = "datasets_patch", tag = "dataset",
    params(("name" = String, Path, description = "The dataset's name"), crate::openapi::LangParam),
    request_body(description = "A JSON merge patch over the stored metadata (`null` removes a field)",
        content((Object = "application/merge-patch+json"), (Object = "application/json"))),
    responses(
        (status = 200, description = "The dataset as changed", body = DatasetDetail),
        (status = 400, description = "Malformed JSON, or a change of name or organization", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Visible to the caller, but not the caller's to change", body = ErrorBody),
        (status = 404, description = "No such dataset, or not visible to the caller", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "The patched metadata has findings (details.findings), or names an unknown standard", body = ErrorBody),
    ))]
pub async fn patch(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(name): Path<String>,
    Filters(NoFilters {}): Filters<NoFilters>,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> Result<Json<DatasetDetail>> {
    Ok(Json(write::patch(&state, &actor, &name, &patch).await?))
}
