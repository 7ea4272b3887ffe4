//! `/api/v1/datasets`: the catalog of datasets, as the caller may see it.

use axum::Json;
use axum::extract::{Path, State};
use satudata_catalog::listing::DatasetFilter;
use satudata_core::StatusKerahasiaan;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::error::{Error, ErrorBody, Result};
use crate::paging::{Filters, Page, Paging, PagingParams};
use crate::read;
use crate::state::AppState;
use crate::views::{DatasetDetail, DatasetSummary};

/// The longest search text.
const MAX_Q: usize = 200;

/// Filters of the dataset list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DatasetQuery {
    /// Only this organization's datasets (slug).
    organization: Option<String>,
    /// Only datasets whose name or title contains this text (at most 200 characters).
    #[param(max_length = 200)]
    q: Option<String>,
    /// Only datasets published under this status kerahasiaan.
    #[param(value_type = Option<String>, pattern = "^(terbuka|terbatas|rahasia)$")]
    status_kerahasiaan: Option<StatusKerahasiaan>,
}

/// The datasets the caller may see, by name, with their latest release.
#[utoipa::path(get, path = "/api/v1/datasets", operation_id = "datasets_list", tag = "dataset",
    params(DatasetQuery, PagingParams, crate::openapi::LangParam),
    responses(
        (status = 200, description = "A page of datasets", body = Page<DatasetSummary>),
        (status = 400, description = "Bad paging, filter or language", body = ErrorBody),
        (status = 401, description = "A bearer token that is not known", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    paging: Paging,
    Filters(query): Filters<DatasetQuery>,
) -> Result<Json<Page<DatasetSummary>>> {
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    if q.is_some_and(|q| q.chars().count() > MAX_Q) {
        return Err(Error::BadQuery {
            detail: format!("q is longer than {MAX_Q} characters"),
        });
    }
    let filter = DatasetFilter {
        organization: query.organization.as_deref(),
        status_kerahasiaan: query.status_kerahasiaan.map(StatusKerahasiaan::as_str),
        q,
    };
    Ok(Json(read::datasets(&state, &actor, &filter, &paging).await?))
}

/// One dataset: its metadata, standard and latest release.
#[utoipa::path(get, path = "/api/v1/datasets/{name}", operation_id = "datasets_show", tag = "dataset",
    params(("name" = String, Path, description = "The dataset's name"), crate::openapi::LangParam),
    responses(
        (status = 200, description = "The dataset", body = DatasetDetail),
        (status = 404, description = "No such dataset, or not visible to the caller", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(name): Path<String>,
) -> Result<Json<DatasetDetail>> {
    Ok(Json(read::dataset(&state, &actor, &name).await?))
}
