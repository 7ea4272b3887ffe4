//! Submissions: `POST /datasets/{name}/submissions` (an upload, streamed to disk, then the
//! `validate` job), the queue `GET /submissions`, and one submission with its report and diff.

use axum::Json;
use axum::extract::{FromRequest as _, Multipart, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use satudata_catalog::SubmissionFilter;
use satudata_core::access::{self, Action, Actor, Decision, Target};
use satudata_core::lifecycle::SubmissionState;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::error::{Error, ErrorBody, Result, workflow_error};
use crate::paging::{Filters, NoFilters, Page, Paging, PagingParams};
use crate::state::AppState;
use crate::submission_views::{Accepted, SubmissionView, view};
use crate::upload::{self, Spooled, UploadForm};

/// The Content Security Policy of a report's HTML page: its own inline style, nothing else.
pub const REPORT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox";

/// Uploads a file for a period: a multipart body (`file` part; `period`, `encoding`,
/// `delimiter`, `format`, `sheet`, `header_row` fields) or a raw body with those as query
/// parameters and `filename`. The file is streamed to disk (SHA-256 on the way) and validated
/// by a job: poll the submission.
#[utoipa::path(post, path = "/api/v1/datasets/{name}/submissions", operation_id = "submissions_create",
    tag = "submission",
    params(("name" = String, Path, description = "The dataset's name"), UploadForm, crate::openapi::LangParam),
    request_body(description = "The file: multipart/form-data with a `file` part and the fields, or the raw bytes",
        content((Object = "multipart/form-data"), (Vec<u8> = "application/octet-stream"))),
    responses(
        (status = 202, description = "Received; `Location` is the submission, validated by the job linked", body = Accepted),
        (status = 400, description = "No file or period, an unknown field, or a reading option satudata does not know", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a produsen of the dataset's PD (nor an admin)", body = ErrorBody),
        (status = 404, description = "No such dataset, or not visible to the caller", body = ErrorBody),
        (status = 413, description = "Larger than the upload limit", body = ErrorBody),
        (status = 422, description = "The period is not one of the dataset's frequency", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(name): Path<String>,
    Filters(mut form): Filters<UploadForm>,
    request: Request,
) -> Result<Response> {
    may_submit(&state, &actor, &name).await?;
    let dir = upload::spool_dir(state.center().dir()).await?;
    let limit = state.config().upload_limit;
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data"));
    let (spooled, file_name) = if is_multipart {
        let multipart = Multipart::from_request(request, &state)
            .await
            .map_err(|e| Error::BadUpload { detail: e.body_text() })?;
        spool_multipart(multipart, &dir, limit, &mut form).await?
    } else {
        let spooled = upload::spool(&dir, request.into_body().into_data_stream(), limit).await?;
        (spooled, form.filename.clone().unwrap_or_else(|| "data".into()))
    };
    let options = form.options()?;
    let received = state
        .center()
        .receive_file(satudata_workflow::UploadedFile {
            dataset: &name,
            period: form.period()?,
            file_name: &file_name,
            path: &spooled.path,
            sha256: &spooled.sha256,
            size: spooled.size,
            options,
            actor: &actor,
        })
        .await
        .map_err(workflow_error("dataset", &name))?;
    let job = state
        .center()
        .enqueue_validation(received.id)
        .await
        .map_err(workflow_error("submission", received.id))?;
    let record = state.center().catalog().submission(received.id).await?;
    let accepted = Accepted::new(&state, &record, job);
    let mut response = (StatusCode::ACCEPTED, Json(&accepted)).into_response();
    if let Ok(location) = HeaderValue::from_str(&accepted.links.this) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Refuses before a byte is read unless `actor` may submit to `dataset`.
pub(crate) async fn may_submit(state: &AppState, actor: &Actor, dataset: &str) -> Result<()> {
    let view = state
        .center()
        .dataset_view(dataset)
        .await
        .map_err(workflow_error("dataset", dataset))?;
    match access::decide(actor, Action::Submit, &view.target()) {
        Decision::Allow => Ok(()),
        refused => Err(workflow_error("dataset", dataset)(satudata_workflow::Error::Denied(
            refused,
        ))),
    }
}

/// Spools the `file` part of a multipart upload and reads its fields into `form`; returns the
/// file and the name its part gave.
async fn spool_multipart(
    mut multipart: Multipart,
    dir: &std::path::Path,
    limit: u64,
    form: &mut UploadForm,
) -> Result<(Spooled, String)> {
    let mut file = None;
    while let Some(mut field) = multipart.next_field().await.map_err(upload::multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            if file.is_some() {
                return Err(Error::BadUpload {
                    detail: "more than one file part".into(),
                });
            }
            let part_name = field.file_name().map(str::to_owned);
            let spooled = upload::spool(dir, &mut field, limit).await?;
            file = Some((spooled, part_name));
        } else {
            let value = upload::field_text(&mut field).await?;
            form.set(&name, value)?;
        }
    }
    let (spooled, part_name) = file.ok_or_else(|| Error::BadUpload {
        detail: "no file part".into(),
    })?;
    let name = form.filename.clone().or(part_name).unwrap_or_else(|| "data".into());
    Ok((spooled, name))
}

/// Filters of the submission list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SubmissionQuery {
    /// Only this organization's submissions (slug).
    organization: Option<String>,
    /// Only this dataset's.
    dataset: Option<String>,
    /// Only in this state.
    #[param(value_type = Option<String>,
        pattern = "^(received|validating|invalid|needs_review|changes_requested|rejected|approved|published)$")]
    status: Option<SubmissionState>,
}

/// The review queue, oldest first: every PD's for a verifier or an admin, the caller's PD's for
/// a produsen.
#[utoipa::path(get, path = "/api/v1/submissions", operation_id = "submissions_list", tag = "submission",
    params(SubmissionQuery, PagingParams, crate::openapi::LangParam),
    responses(
        (status = 200, description = "A page of submissions", body = Page<SubmissionView>),
        (status = 400, description = "Bad paging, filter or language", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "An account of no PD that may not read the queue", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    paging: Paging,
    Filters(query): Filters<SubmissionQuery>,
) -> Result<Json<Page<SubmissionView>>> {
    let organization = match access::decide(&actor, Action::ReadQueue, &Target::DataCenter) {
        Decision::Allow => query.organization.clone(),
        Decision::Unauthenticated => return Err(Error::Unauthenticated),
        _ => match actor.organization() {
            Some(own) if query.organization.as_deref().is_none_or(|o| o == own) => Some(own.to_owned()),
            Some(_) => return Ok(Json(paging.page(Vec::new(), 0))),
            None => return Err(Error::Forbidden),
        },
    };
    let filter = SubmissionFilter {
        organization: organization.as_deref(),
        dataset: query.dataset.as_deref(),
        state: query.status,
        submitted_by: None,
    };
    let limit = u32::try_from(paging.limit).unwrap_or(u32::MAX);
    let (records, total) = state
        .center()
        .catalog()
        .submissions(&filter, limit, paging.offset)
        .await?;
    let mut items = Vec::with_capacity(records.len());
    for record in records {
        items.push(view(&state, record).await?);
    }
    Ok(Json(paging.page(items, total)))
}

/// One submission: where it stands, its report's counts, its jobs, its links.
#[utoipa::path(get, path = "/api/v1/submissions/{id}", operation_id = "submissions_show", tag = "submission",
    params(("id" = i64, Path, description = "The submission's id"), crate::openapi::LangParam),
    responses(
        (status = 200, description = "The submission", body = SubmissionView),
        (status = 404, description = "No such submission, or not visible to the caller", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Filters(NoFilters {}): Filters<NoFilters>,
) -> Result<Json<SubmissionView>> {
    let record = readable(&state, &actor, id).await?;
    Ok(Json(view(&state, record).await?))
}

/// A submission `actor` may read, else `not-found`.
pub(crate) async fn readable(state: &AppState, actor: &Actor, id: i64) -> Result<satudata_catalog::SubmissionRecord> {
    state
        .center()
        .submission_for(id, actor)
        .await
        .map_err(workflow_error("submission", id))
}

/// `?format=` of a report.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `json` (the default) or `html` (the page a person reads).
    #[param(value_type = Option<String>, pattern = "^(json|html)$")]
    format: Option<ReportFormat>,
}

/// A report's form.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    /// The JSON report.
    Json,
    /// The HTML page.
    Html,
}

/// The validation report of a submission: JSON, or the HTML page (`?format=html`).
#[utoipa::path(get, path = "/api/v1/submissions/{id}/report", operation_id = "submissions_report",
    tag = "submission",
    params(("id" = i64, Path, description = "The submission's id"), ReportQuery, crate::openapi::LangParam),
    responses(
        (status = 200, description = "The report", content((Object = "application/json"), (String = "text/html"))),
        (status = 404, description = "No such submission, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "Not validated yet", body = ErrorBody),
    ))]
pub async fn report(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Filters(query): Filters<ReportQuery>,
) -> Result<Response> {
    let record = readable(&state, &actor, id).await?;
    let summary = record.report.as_ref().ok_or(Error::NoReport { id })?;
    if query.format == Some(ReportFormat::Html) {
        let page = state
            .center()
            .store()
            .get(&summary.path.replace(".json", ".html"))
            .await?;
        let headers = [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, REPORT_CSP),
        ];
        return Ok((headers, page).into_response());
    }
    let report = state
        .center()
        .stored_report(&record)
        .await
        .map_err(workflow_error("submission", id))?;
    Ok(Json(report).into_response())
}

/// The submission's diff against the latest release, within its period: rows added, removed and
/// changed (matched by the standard's primary key, or by row fingerprint), and columns.
#[utoipa::path(get, path = "/api/v1/submissions/{id}/diff", operation_id = "submissions_diff", tag = "submission",
    params(("id" = i64, Path, description = "The submission's id"), crate::openapi::LangParam),
    responses(
        (status = 200, description = "The diff", body = Object),
        (status = 404, description = "No such submission, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The file cannot be read into a table", body = ErrorBody),
    ))]
pub async fn diff(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<i64>,
    Filters(NoFilters {}): Filters<NoFilters>,
) -> Result<Json<satudata_workflow::Diff>> {
    readable(&state, &actor, id).await?;
    let diff = state
        .center()
        .diff_for_submission(id)
        .await
        .map_err(workflow_error("submission", id))?;
    Ok(Json(diff))
}
