//! The review of a submission: comments, the verifier's decision, the PD's consent, the
//! `publish` job, withdrawing a release, and the jobs themselves. Each asks the workflow, which
//! asks `access::decide`; a refusal is mapped by [`workflow_error`].

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use satudata_catalog::Verdict;
use satudata_core::StatusKerahasiaan;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{Error, ErrorBody, Result, workflow_error};
use crate::json::ApiJson;
use crate::paging::{Filters, NoFilters};
use crate::routes::submissions::readable;
use crate::state::AppState;
use crate::submission_views::{CommentView, JobView, SubmissionView, WithdrawalView, job_link, job_submission, view};

/// A new comment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// The text (1 to 10,000 characters).
    pub body: String,
}

/// The comments on a submission, oldest first.
#[utoipa::path(get, path = "/api/v1/submissions/{id}/comments", operation_id = "comments_list", tag = "review",
    params(("id" = i64, Path, description = "The submission's id"), crate::openapi::LangParam),
    responses(
        (status = 200, description = "The comments", body = [CommentView]),
        (status = 404, description = "No such submission, or not visible to the caller", body = ErrorBody),
    ))]
pub async fn comments(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Filters(NoFilters {}): Filters<NoFilters>,
) -> Result<Json<Vec<CommentView>>> {
    let comments = state
        .center()
        .comments(id, &actor)
        .await
        .map_err(workflow_error("submission", id))?;
    Ok(Json(comments.into_iter().map(CommentView::from).collect()))
}

/// Adds a comment (the submission's PD, or a verifier).
#[utoipa::path(post, path = "/api/v1/submissions/{id}/comments", operation_id = "comments_create", tag = "review",
    params(("id" = i64, Path, description = "The submission's id"), crate::openapi::LangParam),
    request_body = NewComment,
    responses(
        (status = 201, description = "The comment", body = CommentView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such submission, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "Empty or too long", body = ErrorBody),
    ))]
pub async fn comment(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    ApiJson(new): ApiJson<NewComment>,
) -> Result<(StatusCode, Json<CommentView>)> {
    let comment = state
        .center()
        .comment(id, &new.body, &actor)
        .await
        .map_err(workflow_error("submission", id))?;
    Ok((StatusCode::CREATED, Json(comment.into())))
}

/// A verifier's decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// `approve`, `request_changes` or `reject`.
    #[schema(value_type = String, pattern = "^(approve|request_changes|reject)$")]
    pub decision: Verdict,
    /// The status kerahasiaan of an approval (`terbuka`, `terbatas`, `rahasia`).
    #[schema(value_type = Option<String>, pattern = "^(terbuka|terbatas|rahasia)$")]
    pub status_kerahasiaan: Option<StatusKerahasiaan>,
    /// A comment kept with the decision.
    pub comment: Option<String>,
}

/// The walidata daerah's decision on a submission that needs review.
#[utoipa::path(post, path = "/api/v1/submissions/{id}/review", operation_id = "submissions_review", tag = "review",
    params(("id" = i64, Path, description = "The submission's id"), crate::openapi::LangParam),
    request_body = ReviewBody,
    responses(
        (status = 200, description = "The submission as decided", body = SubmissionView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a verifier", body = ErrorBody),
        (status = 404, description = "No such submission, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "Its state does not allow the decision (`state-conflict`)", body = ErrorBody),
        (status = 422, description = "An approval without a status kerahasiaan, or a bad comment", body = ErrorBody),
    ))]
pub async fn review(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ReviewBody>,
) -> Result<Json<SubmissionView>> {
    let record = state
        .center()
        .review(
            id,
            body.decision,
            body.status_kerahasiaan,
            body.comment.as_deref(),
            &actor,
        )
        .await
        .map_err(workflow_error("submission", id))?;
    Ok(Json(view(&state, record).await?))
}

/// The owning PD's consent to publish the submission (its produsen).
#[utoipa::path(post, path = "/api/v1/submissions/{id}/consent", operation_id = "submissions_consent", tag = "review",
    params(("id" = i64, Path, description = "The submission's id"), crate::openapi::LangParam),
    responses(
        (status = 200, description = "The submission with its consent", body = SubmissionView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a produsen of the owning PD", body = ErrorBody),
        (status = 404, description = "No such submission, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "Too late: published, rejected or invalid (`consent-closed`)", body = ErrorBody),
    ))]
pub async fn consent(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Filters(NoFilters {}): Filters<NoFilters>,
) -> Result<Json<SubmissionView>> {
    let record = state
        .center()
        .consent(id, &actor)
        .await
        .map_err(workflow_error("submission", id))?;
    Ok(Json(view(&state, record).await?))
}

/// The answer to a publish request: the job that publishes.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublishAccepted {
    /// The job's id.
    pub job: i64,
    /// Where to follow it.
    pub links: PublishLinks,
}

/// Where a publish request's parts are.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublishLinks {
    /// The job.
    pub job: String,
    /// The submission.
    pub submission: String,
}

/// Publishes an approved submission that its PD consented to, by a job.
#[utoipa::path(post, path = "/api/v1/submissions/{id}/publish", operation_id = "submissions_publish", tag = "review",
    params(("id" = i64, Path, description = "The submission's id"), crate::openapi::LangParam),
    responses(
        (status = 202, description = "The publish job; `Location` is the job", body = PublishAccepted),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a verifier", body = ErrorBody),
        (status = 404, description = "No such submission, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "Not approved (`state-conflict`) or no consent (`no-consent`)", body = ErrorBody),
    ))]
pub async fn publish(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Filters(NoFilters {}): Filters<NoFilters>,
) -> Result<Response> {
    let job = state
        .center()
        .request_publish(id, &actor)
        .await
        .map_err(workflow_error("submission", id))?;
    let links = PublishLinks {
        job: job_link(&state, job),
        submission: crate::read::link(&state, &format!("/api/v1/submissions/{id}")),
    };
    let mut response = (StatusCode::ACCEPTED, Json(PublishAccepted { job, links })).into_response();
    if let Ok(location) = HeaderValue::from_str(&job_link(&state, job)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Why a release is withdrawn.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawBody {
    /// The reason (1 to 10,000 characters), kept and audited.
    pub reason: String,
}

/// Withdraws a release: it stays stored and auditable, and is no longer served to whoever may
/// not see withdrawn releases.
#[utoipa::path(post, path = "/api/v1/datasets/{name}/releases/{version}/withdraw", operation_id = "releases_withdraw",
    tag = "review",
    params(("name" = String, Path, description = "The dataset's name"),
        ("version" = String, Path, description = "The release: `v3` or `3`"), crate::openapi::LangParam),
    request_body = WithdrawBody,
    responses(
        (status = 200, description = "The withdrawal", body = WithdrawalView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a verifier", body = ErrorBody),
        (status = 404, description = "No such release, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "Already withdrawn", body = ErrorBody),
        (status = 422, description = "An empty or too long reason", body = ErrorBody),
    ))]
pub async fn withdraw(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((name, version)): Path<(String, String)>,
    ApiJson(body): ApiJson<WithdrawBody>,
) -> Result<Json<WithdrawalView>> {
    let number = crate::read::parse_version(&version)?;
    let withdrawal = state
        .center()
        .withdraw(&name, number, &body.reason, &actor)
        .await
        .map_err(workflow_error("release", format!("{name} v{number}")))?;
    Ok(Json(withdrawal.into()))
}

/// A job: its state, progress, attempts and error; visible to whoever may read its submission.
#[utoipa::path(get, path = "/api/v1/jobs/{id}", operation_id = "jobs_show", tag = "review",
    params(("id" = i64, Path, description = "The job's id"), crate::openapi::LangParam),
    responses(
        (status = 200, description = "The job", body = JobView),
        (status = 404, description = "No such job, or not visible to the caller", body = ErrorBody),
    ))]
pub async fn job(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Filters(NoFilters {}): Filters<NoFilters>,
) -> Result<Json<JobView>> {
    let hidden = || Error::NotFound {
        kind: "job",
        key: id.to_string(),
    };
    let job = match state.center().catalog().job(id).await {
        Ok(job) => job,
        Err(satudata_catalog::Error::NotFound { .. }) => return Err(hidden()),
        Err(e) => return Err(e.into()),
    };
    let submission = job_submission(&job).ok_or_else(hidden)?;
    readable(&state, &actor, submission).await.map_err(|e| match e {
        Error::NotFound { .. } => hidden(),
        e => e,
    })?;
    Ok(Json(JobView::new(&state, job)))
}
