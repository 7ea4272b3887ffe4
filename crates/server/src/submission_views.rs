//! What the submission, review and job routes answer: a submission with its jobs and links,
//! the `202` of an upload, a job.

use satudata_catalog::{Job, SubmissionRecord};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::Result;
use crate::read::link;
use crate::state::AppState;

/// Where a submission's parts are.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubmissionLinks {
    /// The submission.
    #[serde(rename = "self")]
    pub this: String,
    /// Its report (`?format=html` for the page).
    pub report: String,
    /// Its diff against the latest release.
    pub diff: String,
    /// Its comments.
    pub comments: String,
    /// Its dataset.
    pub dataset: String,
    /// Its `validate` job, once enqueued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<String>,
    /// Its `publish` job, once enqueued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish_job: Option<String>,
    /// The release it made, once published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
}

impl SubmissionLinks {
    fn new(state: &AppState, record: &SubmissionRecord) -> Self {
        let this = link(state, &format!("/api/v1/submissions/{}", record.id));
        SubmissionLinks {
            report: format!("{this}/report"),
            diff: format!("{this}/diff"),
            comments: format!("{this}/comments"),
            dataset: link(state, &format!("/api/v1/datasets/{}", record.dataset)),
            job: None,
            publish_job: None,
            release: record
                .release_version
                .map(|v| link(state, &format!("/api/v1/datasets/{}/releases/v{v}", record.dataset))),
            this,
        }
    }
}

/// The answer to an upload: the new submission's id and where to follow it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Accepted {
    /// The submission's id.
    pub id: i64,
    /// Its state (`received`).
    pub status: String,
    /// An earlier submission of the dataset with the same bytes.
    pub duplicate_of: Option<i64>,
    /// SHA-256 of the file, as the server received it.
    pub sha256: String,
    /// Where to follow it.
    pub links: SubmissionLinks,
}

impl Accepted {
    /// The answer for `record`, validated by job `job`.
    pub fn new(state: &AppState, record: &SubmissionRecord, job: i64) -> Self {
        let mut links = SubmissionLinks::new(state, record);
        links.job = Some(job_link(state, job));
        Accepted {
            id: record.id,
            status: record.state.as_str().to_owned(),
            duplicate_of: record.duplicate_of,
            sha256: record.source_sha256.clone(),
            links,
        }
    }
}

/// A submission as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubmissionView {
    /// The catalog's record: id, dataset, organization, period, source_name, source_sha256,
    /// source_size, state, submitted_by/at, duplicate_of, status_kerahasiaan, reviewed_by/at,
    /// consent_by/at, release_version, report (valid, errors, warnings).
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub record: SubmissionRecord,
    /// Its `validate` job.
    pub validation: Option<JobView>,
    /// Its `publish` job, once asked for.
    pub publishing: Option<JobView>,
    /// Where its parts are.
    pub links: SubmissionLinks,
}

/// `record` with its jobs and links.
pub async fn view(state: &AppState, record: SubmissionRecord) -> Result<SubmissionView> {
    let catalog = state.center().catalog();
    let validation = catalog
        .job_by_dedupe_key(&satudata_workflow::validate_job_key(record.id))
        .await?;
    let publishing = catalog
        .job_by_dedupe_key(&satudata_workflow::publish_job_key(record.id))
        .await?;
    let mut links = SubmissionLinks::new(state, &record);
    links.job = validation.as_ref().map(|j| job_link(state, j.id));
    links.publish_job = publishing.as_ref().map(|j| job_link(state, j.id));
    Ok(SubmissionView {
        validation: validation.map(|j| JobView::new(state, j)),
        publishing: publishing.map(|j| JobView::new(state, j)),
        links,
        record,
    })
}

/// The address of job `id`.
pub fn job_link(state: &AppState, id: i64) -> String {
    link(state, &format!("/api/v1/jobs/{id}"))
}

/// A job as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobView {
    /// Its id.
    pub id: i64,
    /// `validate` or `publish`.
    pub kind: String,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    /// The last progress its worker reported.
    #[schema(value_type = Option<Object>)]
    pub progress: Option<serde_json::Value>,
    /// Times it was claimed.
    pub attempts: u32,
    /// Attempts before it fails for good.
    pub max_attempts: u32,
    /// The last error (of a failed attempt before a retry, or the final one).
    pub error: Option<String>,
    /// When it was enqueued (RFC 3339).
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
    /// When it was done or failed for good.
    pub finished_at: Option<String>,
    /// The submission it works on.
    pub submission: Option<String>,
    /// The job itself.
    #[serde(rename = "self")]
    pub this: String,
}

impl JobView {
    /// `job` as the API shows it.
    pub fn new(state: &AppState, job: Job) -> Self {
        JobView {
            this: job_link(state, job.id),
            submission: job_submission(&job).map(|id| link(state, &format!("/api/v1/submissions/{id}"))),
            id: job.id,
            kind: job.kind,
            state: job.state.as_str().to_owned(),
            progress: job.progress,
            attempts: job.attempts,
            max_attempts: job.max_attempts,
            error: job.error,
            created_at: job.created_at,
            updated_at: job.updated_at,
            finished_at: job.finished_at,
        }
    }
}

/// The submission a job's payload names.
pub fn job_submission(job: &Job) -> Option<i64> {
    job.payload.get("submission").and_then(serde_json::Value::as_i64)
}

/// A comment on a submission, as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommentView {
    /// Its id.
    pub id: i64,
    /// The submission.
    pub submission_id: i64,
    /// Who wrote it.
    pub author: String,
    /// The author's role then (`produsen`, `walidata`, `admin`).
    pub role: Option<String>,
    /// The author's organization then.
    pub organization: Option<String>,
    /// The text.
    pub body: String,
    /// When (RFC 3339).
    pub created_at: String,
}

impl From<satudata_catalog::Comment> for CommentView {
    fn from(c: satudata_catalog::Comment) -> Self {
        CommentView {
            id: c.id,
            submission_id: c.submission_id,
            author: c.author,
            role: c.role,
            organization: c.organization,
            body: c.body,
            created_at: c.created_at,
        }
    }
}

/// A withdrawn release, as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WithdrawalView {
    /// Dataset name.
    pub dataset: String,
    /// Release number.
    pub version: u32,
    /// Why.
    pub reason: String,
    /// Who withdrew it.
    pub withdrawn_by: String,
    /// When (RFC 3339).
    pub withdrawn_at: String,
}

impl From<satudata_catalog::Withdrawal> for WithdrawalView {
    fn from(w: satudata_catalog::Withdrawal) -> Self {
        WithdrawalView {
            dataset: w.dataset,
            version: w.version,
            reason: w.reason,
            withdrawn_by: w.withdrawn_by,
            withdrawn_at: w.withdrawn_at,
        }
    }
}
