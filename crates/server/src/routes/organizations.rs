//! `/api/v1/organizations`: the PDs.

use axum::Json;
use axum::extract::{Path, State};

use crate::auth::Caller;
use crate::error::{ErrorBody, Result};
use crate::paging::{Filters, NoFilters, Page, Paging, PagingParams};
use crate::read;
use crate::state::AppState;
use crate::views::OrganizationView;

/// Every organization, by slug.
#[utoipa::path(get, path = "/api/v1/organizations", operation_id = "organizations_list", tag = "organisasi",
    params(PagingParams, crate::openapi::LangParam),
    responses(
        (status = 200, description = "A page of organizations", body = Page<OrganizationView>),
        (status = 400, description = "Bad paging or language", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Caller(_): Caller,
    paging: Paging,
    Filters(NoFilters {}): Filters<NoFilters>,
) -> Result<Json<Page<OrganizationView>>> {
    Ok(Json(read::organizations(&state, &paging).await?))
}

/// One organization.
#[utoipa::path(get, path = "/api/v1/organizations/{slug}", operation_id = "organizations_show", tag = "organisasi",
    params(("slug" = String, Path, description = "The organization's slug"), crate::openapi::LangParam),
    responses(
        (status = 200, description = "The organization", body = OrganizationView),
        (status = 404, description = "No such organization", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(slug): Path<String>,
) -> Result<Json<OrganizationView>> {
    Ok(Json(read::organization(&state, &actor, &slug).await?))
}
