//! A dataset's switches for recurring feeds (additions to the contract):
//! `PUT /datasets/{name}/auto-approve` (a verifier: valid submissions approved with a status)
//! and `PUT /datasets/{name}/consent` (the PD's produsen: standing consent to publish).

use axum::Json;
use axum::extract::{Path, State};
use satudata_core::StatusKerahasiaan;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ErrorBody, Result, workflow_error};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::views::SwitchesView;

/// Automatic approval on (with the status approvals get) or off (`null`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AutoApproveBody {
    /// `terbuka`, `terbatas`, `rahasia`, or `null` to switch it off.
    #[schema(value_type = Option<String>, pattern = "^(terbuka|terbatas|rahasia)$")]
    pub status_kerahasiaan: Option<StatusKerahasiaan>,
}

/// Switches automatic approval of the dataset's valid submissions on or off (a verifier's
/// recorded decision, for recurring feeds).
#[utoipa::path(put, path = "/api/v1/datasets/{name}/auto-approve", operation_id = "datasets_auto_approve",
    tag = "review",
    params(("name" = String, Path, description = "The dataset's name"), crate::openapi::LangParam),
    request_body = AutoApproveBody,
    responses(
        (status = 200, description = "The dataset's switches", body = SwitchesView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a verifier", body = ErrorBody),
        (status = 404, description = "No such dataset, or not visible to the caller", body = ErrorBody),
    ))]
pub async fn auto_approve(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<AutoApproveBody>,
) -> Result<Json<SwitchesView>> {
    let switches = state
        .center()
        .set_auto_approve(&name, body.status_kerahasiaan, &actor)
        .await
        .map_err(workflow_error("dataset", &name))?;
    Ok(Json(switches.into()))
}

/// The PD's standing consent on or off.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentBody {
    /// Whether the PD consents, from now on, to publishing its approved submissions.
    pub standing: bool,
}

/// Records or takes back the owning PD's standing consent to publish the dataset's approved
/// submissions (its produsen).
#[utoipa::path(put, path = "/api/v1/datasets/{name}/consent", operation_id = "datasets_consent", tag = "review",
    params(("name" = String, Path, description = "The dataset's name"), crate::openapi::LangParam),
    request_body = ConsentBody,
    responses(
        (status = 200, description = "The dataset's switches", body = SwitchesView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a produsen of the owning PD", body = ErrorBody),
        (status = 404, description = "No such dataset, or not visible to the caller", body = ErrorBody),
    ))]
pub async fn consent(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<ConsentBody>,
) -> Result<Json<SwitchesView>> {
    let switches = state
        .center()
        .set_standing_consent(&name, body.standing, &actor)
        .await
        .map_err(workflow_error("dataset", &name))?;
    Ok(Json(switches.into()))
}
