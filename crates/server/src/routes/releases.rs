//! `/api/v1/datasets/{name}/releases`: published versions and their files.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::auth::Caller;
use crate::error::{ErrorBody, Result};
use crate::paging::{Filters, NoFilters, Page, Paging, PagingParams};
use crate::read;
use crate::state::AppState;
use crate::views::{ReleaseDetail, ReleaseSummary};

/// A dataset's releases the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/datasets/{name}/releases", operation_id = "releases_list", tag = "rilis",
    params(("name" = String, Path, description = "The dataset's name"), PagingParams, crate::openapi::LangParam),
    responses(
        (status = 200, description = "A page of releases", body = Page<ReleaseSummary>),
        (status = 400, description = "Bad paging or language", body = ErrorBody),
        (status = 404, description = "No such dataset, or not visible to the caller", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(name): Path<String>,
    paging: Paging,
    Filters(NoFilters {}): Filters<NoFilters>,
) -> Result<Json<Page<ReleaseSummary>>> {
    Ok(Json(read::releases(&state, &actor, &name, &paging).await?))
}

/// One release: its files with their checksums, its manifest and its metadata.
#[utoipa::path(get, path = "/api/v1/datasets/{name}/releases/{version}", operation_id = "releases_show", tag = "rilis",
    params(
        ("name" = String, Path, description = "The dataset's name"),
        ("version" = String, Path, description = "The release number, `v3` or `3`", pattern = "^v?[1-9][0-9]{0,8}$"),
        crate::openapi::LangParam,
    ),
    responses(
        (status = 200, description = "The release", body = ReleaseDetail),
        (status = 400, description = "A version that is not a release number", body = ErrorBody),
        (status = 404, description = "No such release, or not visible to the caller", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((name, version)): Path<(String, String)>,
) -> Result<Json<ReleaseDetail>> {
    let version = read::parse_version(&version)?;
    Ok(Json(read::release(&state, &actor, &name, version).await?))
}

/// A file of a release, streamed: `ETag` is its SHA-256, `Range` gives part of it.
#[utoipa::path(get, path = "/api/v1/datasets/{name}/releases/{version}/files/{file}", operation_id = "releases_file", tag = "rilis",
    params(
        ("name" = String, Path, description = "The dataset's name"),
        ("version" = String, Path, description = "The release number, `v3` or `3`", pattern = "^v?[1-9][0-9]{0,8}$"),
        ("file" = String, Path, description = "A file the manifest lists, `manifest.json` or `manifest.sig`",
            pattern = r"^[^./\\\u0000-\u001f\u007f-\u009f][^/\\\u0000-\u001f\u007f-\u009f]{0,254}$"),
        ("Range" = Option<String>, Header, description = "One byte range, `bytes=0-1023`"),
        ("If-None-Match" = Option<String>, Header, description = "The ETag already held"),
    ),
    responses(
        (status = 200, description = "The whole file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 206, description = "The range asked for", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 304, description = "The file has the ETag sent"),
        (status = 400, description = "A file name holding a path, or a bad version", body = ErrorBody),
        (status = 404, description = "No such file, or not visible to the caller", body = ErrorBody),
        (status = 416, description = "The range lies outside the file", body = ErrorBody),
    ))]
pub async fn file(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((name, version, file)): Path<(String, String, String)>,
    method: axum::http::Method,
    headers: HeaderMap,
) -> Result<Response> {
    let version = read::parse_version(&version)?;
    let download = read::file(&state, &actor, &name, version, &file).await?;
    let response = crate::download::respond(&download, &headers).await?;
    // A whole file served counts as a download (not a range, a revalidation or a HEAD).
    if response.status() == axum::http::StatusCode::OK
        && method != axum::http::Method::HEAD
        && let Err(e) = state.center().catalog().count_download(&name, version, &file).await
    {
        tracing::warn!(error = %e, dataset = %name, version, file = %file, "download not counted");
    }
    Ok(response)
}
