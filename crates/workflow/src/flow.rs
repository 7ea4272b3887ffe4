//! A submission's way from upload to release, one step per function, each asking
//! `access::decide` first and each state change made by the catalog
//! (`Catalog::transition`, after `lifecycle::next`):
//!
//! 1. [`DataCenter::receive`] keeps the file and records the submission (`received`); the same
//!    bytes sent again for the dataset are linked to the earlier submission (`duplicate_of`).
//! 2. [`DataCenter::validate_submission`] (the `validate` job) reads and checks it and stores the
//!    report (`invalid` or `needs_review`). A dataset whose verifier switched on automatic
//!    approval has its valid submissions approved by the data center (`approved`), and, with
//!    the PD's standing consent, consented.
//! 3. [`DataCenter::review`], [`DataCenter::comment`] and [`DataCenter::consent`]: the
//!    walidata daerah's decision, the conversation, and the owning PD's consent.
//! 4. [`DataCenter::request_publish`] enqueues the `publish` job once a submission is approved
//!    and consented; [`DataCenter::publish_submission`] (in `publishing`) makes the release.
//! 5. [`DataCenter::withdraw`] takes a release out of service, keeping it stored.

use satudata_catalog::{
    Comment, DatasetSwitches, NewJob, NewSubmission, ReleaseRecord, ReviewProblem, SubmissionRecord, Verdict,
    Withdrawal,
};
use satudata_core::access::{self, Action, Actor, DatasetTarget, Decision, ReleaseTarget, SubmissionTarget, Target};
use satudata_core::lifecycle::{Event, SubmissionState};
use satudata_core::{DatasetMetadata, Finding, FindingCode, Report, ReportBuilder, StatusKerahasiaan, sha256_hex};
use satudata_ingest::IngestOptions;
use serde_json::json;
use std::path::Path;

use crate::{DataCenter, Error, Result, Submission, period_for, safe_name, tables};

/// Job kind that validates a submission.
pub const VALIDATE_JOB: &str = "validate";
/// Job kind that publishes an approved submission.
pub const PUBLISH_JOB: &str = "publish";

/// What [`DataCenter::receive`] recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The new submission's id.
    pub id: i64,
    /// An earlier submission of the dataset with the same bytes.
    pub duplicate_of: Option<i64>,
    /// The SHA-256 of the bytes.
    pub sha256: String,
}

/// A submitted file already on disk, for [`DataCenter::receive_file`].
#[derive(Debug, Clone)]
pub struct UploadedFile<'a> {
    /// Dataset name.
    pub dataset: &'a str,
    /// Period the data covers.
    pub period: &'a str,
    /// The file name the producer gave (shown only).
    pub file_name: &'a str,
    /// Where the file is; it is moved into the store (or left, when its bytes are kept already).
    pub path: &'a Path,
    /// The file's SHA-256 (hex), computed while it arrived.
    pub sha256: &'a str,
    /// Its size in bytes.
    pub size: u64,
    /// How to read it.
    pub options: IngestOptions,
    /// Who submits it.
    pub actor: &'a Actor,
}

/// What [`DataCenter::receive`] and [`DataCenter::receive_file`] share.
struct Arrival<'a> {
    dataset: &'a str,
    period: &'a str,
    file_name: &'a str,
    sha256: &'a str,
    size: u64,
    options: &'a IngestOptions,
    actor: &'a Actor,
}

/// Where an arriving file's bytes are.
enum Kept<'a> {
    Bytes(&'a [u8]),
    File(&'a Path),
}

/// A dataset as the access rules and the series see it.
#[derive(Debug, Clone)]
pub struct DatasetView {
    /// Its metadata.
    pub metadata: DatasetMetadata,
    /// Its status kerahasiaan: the latest served release's, the metadata's while a draft.
    pub status: StatusKerahasiaan,
    /// The newest release that is not withdrawn.
    pub served: Option<ReleaseRecord>,
}

impl DatasetView {
    /// The dataset as `decide` takes it.
    pub fn target(&self) -> Target<'_> {
        Target::Dataset(DatasetTarget {
            organization: &self.metadata.organization,
            status: self.status,
            served: self.served.is_some(),
        })
    }
}

/// Refuses unless `decide` allows.
pub(crate) fn allow(actor: &Actor, action: Action, target: &Target<'_>) -> Result<()> {
    match access::decide(actor, action, target) {
        Decision::Allow => Ok(()),
        refused => Err(Error::Denied(refused)),
    }
}

fn submission_target(record: &SubmissionRecord) -> Target<'_> {
    Target::Submission(SubmissionTarget {
        organization: &record.organization,
    })
}

impl DataCenter {
    /// A dataset with its status and latest served release.
    pub async fn dataset_view(&self, name: &str) -> Result<DatasetView> {
        let metadata = self.catalog.dataset(name).await?;
        let served = self.served_release(name).await?;
        let status = match &served {
            Some(r) => r.status_kerahasiaan.parse().unwrap_or(StatusKerahasiaan::Rahasia),
            None => metadata.status_kerahasiaan(),
        };
        Ok(DatasetView {
            metadata,
            status,
            served,
        })
    }

    /// The newest release of `dataset` that is not withdrawn.
    pub async fn served_release(&self, dataset: &str) -> Result<Option<ReleaseRecord>> {
        let withdrawn = self.catalog.withdrawn_versions(dataset).await?;
        let releases = self.catalog.releases(dataset).await?;
        Ok(releases.into_iter().rev().find(|r| !withdrawn.contains(&r.version)))
    }

    /// A submission `actor` may read.
    pub async fn submission_for(&self, id: i64, actor: &Actor) -> Result<SubmissionRecord> {
        let record = self.catalog.submission(id).await.map_err(|e| match e {
            satudata_catalog::Error::NotFound { .. } => Error::Denied(Decision::Hidden),
            e => e.into(),
        })?;
        allow(actor, Action::Read, &submission_target(&record))?;
        Ok(record)
    }

    /// Keeps a submitted file and records the submission as `received`. Nothing is read yet:
    /// the `validate` job (or [`DataCenter::validate_submission`]) does that.
    pub async fn receive(&self, s: Submission<'_>) -> Result<Received> {
        let sha256 = sha256_hex(s.bytes);
        let arrival = Arrival {
            dataset: s.dataset,
            period: s.period,
            file_name: s.file_name,
            sha256: &sha256,
            size: s.bytes.len() as u64,
            options: &s.options,
            actor: s.actor,
        };
        self.admit(&arrival, Kept::Bytes(s.bytes)).await
    }

    /// [`DataCenter::receive`] for a file already on disk (an upload streamed to a temporary
    /// file, its SHA-256 computed on the way): the file is moved into the store, never read
    /// whole into memory.
    pub async fn receive_file(&self, u: UploadedFile<'_>) -> Result<Received> {
        let arrival = Arrival {
            dataset: u.dataset,
            period: u.period,
            file_name: u.file_name,
            sha256: u.sha256,
            size: u.size,
            options: &u.options,
            actor: u.actor,
        };
        self.admit(&arrival, Kept::File(u.path)).await
    }

    /// Checks that `a.actor` may submit for the period, keeps the file (unless the same bytes
    /// are kept for the dataset already) and records the submission.
    async fn admit(&self, a: &Arrival<'_>, file: Kept<'_>) -> Result<Received> {
        let view = self.dataset_view(a.dataset).await?;
        allow(a.actor, Action::Submit, &view.target())?;
        // A period that is no period, or not one of the dataset's frequency, stops here: nothing
        // is stored, and everything after speaks of the period as written canonically.
        let period = period_for(&view.metadata, a.period)?.to_string();
        let org = view.metadata.organization.clone();
        let source_path = format!(
            "submissions/{org}/{}/{}/{}",
            a.dataset,
            a.sha256,
            stored_name(a.file_name)
        );
        let duplicate_of = self.catalog.submission_with_source(a.dataset, a.sha256).await?;
        // The same bytes are kept once: a duplicate reads the earlier submission's file (whose
        // name may differ, as the extension the client gave may).
        let source_path = match duplicate_of {
            Some(earlier) => self.catalog.submission(earlier).await?.source_path,
            None => {
                match file {
                    Kept::Bytes(bytes) => self.store.put(&source_path, bytes.to_vec()).await?,
                    Kept::File(path) => self.store.put_file(&source_path, path).await?,
                }
                source_path
            }
        };
        let id = self
            .catalog
            .create_submission(&NewSubmission {
                dataset: a.dataset,
                period: &period,
                source_name: a.file_name,
                source_sha256: a.sha256,
                source_path: &source_path,
                source_size: a.size,
                duplicate_of,
                actor: a.actor,
            })
            .await?;
        let record = tables::SubmissionRecord::new(a.dataset, &period, a.file_name, &source_path, a.options);
        self.keep_record(id, &record).await?;
        Ok(Received {
            id,
            duplicate_of,
            sha256: a.sha256.to_owned(),
        })
    }

    /// Enqueues the `validate` job of submission `id` (once, whatever the number of calls).
    pub async fn enqueue_validation(&self, id: i64) -> Result<i64> {
        let job = NewJob::new(VALIDATE_JOB, json!({ "submission": id })).with_dedupe_key(validate_job_key(id));
        self.enqueue(&job).await
    }

    /// Enqueues `job` and wakes an idle worker of this process.
    pub(crate) async fn enqueue(&self, job: &NewJob) -> Result<i64> {
        let id = self.catalog.enqueue_job(job).await?;
        self.handoff.ring();
        Ok(id)
    }

    /// Reads and checks submission `id` and stores its report: `invalid` or `needs_review`,
    /// then the dataset's switches (automatic approval, standing consent). A submission already
    /// past validation is returned as it is, so a job run twice does its work once.
    pub async fn validate_submission(&self, id: i64) -> Result<SubmissionRecord> {
        Ok(self.validate_with_report(id).await?.0)
    }

    /// [`DataCenter::validate_submission`], with the report (read back from the store when the
    /// submission was validated before).
    pub(crate) async fn validate_with_report(&self, id: i64) -> Result<(SubmissionRecord, Report)> {
        let record = self.catalog.submission(id).await?;
        if !matches!(record.state, SubmissionState::Received | SubmissionState::Validating) {
            let report = self.stored_report(&record).await?;
            return Ok((record, report));
        }
        self.catalog
            .transition(id, Event::Start, &Actor::System, json!({}))
            .await?;
        // A recurring feed publishes itself next: its typed table is kept for that publish.
        let switches = self.catalog.switches(&record.dataset).await?;
        let publishes_itself = switches.auto_approve.is_some() && switches.standing_consent.is_some();
        let checked = self.recheck(id, publishes_itself).await?;
        let report_path = format!("reports/{}/{}/{id}.json", record.organization, record.dataset);
        self.keep_report(&report_path, &checked.report, &record).await?;
        let state = self
            .catalog
            .record_report(id, &checked.report, &report_path, &Actor::System)
            .await?;
        if state == SubmissionState::NeedsReview {
            self.apply_switches(id, &switches).await?;
        }
        let record = self.catalog.submission(id).await?;
        let report =
            if record.state == SubmissionState::Approved && record.consent_by.is_some() && checked.table.is_some() {
                let report = checked.report.clone();
                self.handoff.keep(id, checked);
                report
            } else {
                checked.report
            };
        Ok((record, report))
    }

    /// The stored report of a validated submission.
    pub async fn stored_report(&self, record: &SubmissionRecord) -> Result<Report> {
        let path = record
            .report
            .as_ref()
            .map(|r| r.path.clone())
            .ok_or(Error::UnknownSubmission(record.id))?;
        let bytes = self.store.get(&path).await?;
        serde_json::from_slice(&bytes).map_err(|_| Error::UnknownSubmission(record.id))
    }

    /// Writes a report as JSON and as the HTML page next to it.
    async fn keep_report(&self, path: &str, report: &Report, record: &SubmissionRecord) -> Result<()> {
        self.store
            .put(path, serde_json::to_vec_pretty(report).unwrap_or_default())
            .await?;
        let name = format!("{} ({}, {})", record.dataset, record.source_name, record.period);
        let title = satudata_core::messages::render(satudata_core::Lang::Id, "html.title", &[("name", &name)]);
        let page = satudata_core::render::html(report, satudata_core::Lang::Id, &title);
        self.store
            .put(&path.replace(".json", ".html"), page.into_bytes())
            .await?;
        Ok(())
    }

    /// Approves a valid submission when the dataset's verifier switched on automatic approval,
    /// and records the PD's standing consent for it when there is one.
    async fn apply_switches(&self, id: i64, switches: &satudata_catalog::DatasetSwitches) -> Result<()> {
        let Some((status, _)) = switches.auto_approve else {
            return Ok(());
        };
        self.catalog
            .review(id, Verdict::Approve, Some(status), None, &Actor::System)
            .await?;
        if let Some(standing) = &switches.standing_consent {
            self.catalog.consent_from_standing(id, standing).await?;
        }
        Ok(())
    }

    /// A report for a submission that cannot be checked: its dataset names no known standard.
    pub(crate) fn no_standard_report(&self, metadata: &DatasetMetadata) -> Report {
        let mut report = ReportBuilder::new(self.report_limit);
        report.push(
            Finding::new(FindingCode::MetadataError)
                .with_pointer("/standard")
                .with_value(metadata.standard.as_str())
                .with_message("metadata-error.standard", &[("value", &metadata.standard)]),
        );
        report.finish(0).checked_now()
    }

    /// A verifier's review of submission `id`.
    pub async fn review(
        &self,
        id: i64,
        verdict: Verdict,
        status: Option<StatusKerahasiaan>,
        comment: Option<&str>,
        actor: &Actor,
    ) -> Result<SubmissionRecord> {
        let record = self.submission_for(id, actor).await?;
        allow(actor, Action::Review, &submission_target(&record))?;
        self.catalog.review(id, verdict, status, comment, actor).await?;
        Ok(self.catalog.submission(id).await?)
    }

    /// A comment on submission `id`.
    pub async fn comment(&self, id: i64, body: &str, actor: &Actor) -> Result<Comment> {
        let record = self.submission_for(id, actor).await?;
        allow(actor, Action::Comment, &submission_target(&record))?;
        Ok(self.catalog.add_comment(id, actor, body).await?)
    }

    /// The comments on submission `id`.
    pub async fn comments(&self, id: i64, actor: &Actor) -> Result<Vec<Comment>> {
        self.submission_for(id, actor).await?;
        Ok(self.catalog.comments(id).await?)
    }

    /// The owning PD's consent to publish submission `id`.
    pub async fn consent(&self, id: i64, actor: &Actor) -> Result<SubmissionRecord> {
        let record = self.submission_for(id, actor).await?;
        allow(actor, Action::Consent, &submission_target(&record))?;
        Ok(self.catalog.consent(id, actor).await?)
    }

    /// Enqueues the `publish` job of an approved, consented submission; returns the job's id.
    pub async fn request_publish(&self, id: i64, actor: &Actor) -> Result<i64> {
        let record = self.submission_for(id, actor).await?;
        allow(actor, Action::Publish, &submission_target(&record))?;
        self.ready_to_publish(&record)?;
        self.enqueue(&publish_job(id, Some(actor))).await
    }

    /// Refuses unless `record` is approved and consented.
    pub(crate) fn ready_to_publish(&self, record: &SubmissionRecord) -> Result<()> {
        if record.state != SubmissionState::Approved {
            let refused = satudata_core::lifecycle::next(record.state, Event::Publish)
                .err()
                .map(ReviewProblem::Refused)
                .unwrap_or(ReviewProblem::Raced { id: record.id });
            return Err(satudata_catalog::Error::Review(refused).into());
        }
        if record.consent_by.is_none() {
            return Err(satudata_catalog::Error::Review(ReviewProblem::NoConsent { id: record.id }).into());
        }
        Ok(())
    }

    /// Withdraws release `version` of `dataset` with a reason.
    pub async fn withdraw(&self, dataset: &str, version: u32, reason: &str, actor: &Actor) -> Result<Withdrawal> {
        let metadata = self.catalog.dataset(dataset).await?;
        let release = self
            .catalog
            .releases(dataset)
            .await?
            .into_iter()
            .find(|r| r.version == version)
            .ok_or(Error::Denied(Decision::Hidden))?;
        let withdrawn = self.catalog.withdrawn_versions(dataset).await?.contains(&version);
        let target = Target::Release(ReleaseTarget {
            organization: &metadata.organization,
            status: release.status_kerahasiaan.parse().unwrap_or(StatusKerahasiaan::Rahasia),
            withdrawn,
        });
        allow(actor, Action::Withdraw, &target)?;
        Ok(self.catalog.withdraw(dataset, version, reason, actor).await?)
    }

    /// Switches automatic approval of `dataset`'s valid submissions on (with a status) or off.
    pub async fn set_auto_approve(
        &self,
        dataset: &str,
        status: Option<StatusKerahasiaan>,
        actor: &Actor,
    ) -> Result<DatasetSwitches> {
        let view = self.dataset_view(dataset).await?;
        allow(actor, Action::SetAutoApprove, &view.target())?;
        Ok(self.catalog.set_auto_approve(dataset, status, actor).await?)
    }

    /// Records or takes back the PD's standing consent for `dataset`.
    pub async fn set_standing_consent(&self, dataset: &str, on: bool, actor: &Actor) -> Result<DatasetSwitches> {
        let view = self.dataset_view(dataset).await?;
        allow(actor, Action::Consent, &view.target())?;
        Ok(self.catalog.set_standing_consent(dataset, on, actor).await?)
    }
}

/// The name a submitted file is stored under: `source`, with the client's extension when it is
/// a short plain one (`source.csv`); never the client's name itself.
fn stored_name(file_name: &str) -> String {
    let safe = safe_name(file_name);
    match safe.rsplit_once('.') {
        Some((_, ext)) if (1..=8).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            format!("source.{}", ext.to_ascii_lowercase())
        }
        _ => "source".into(),
    }
}

/// The dedupe key of submission `id`'s `validate` job: one job per submission.
pub fn validate_job_key(id: i64) -> String {
    format!("validate:{id}")
}

/// The dedupe key of submission `id`'s `publish` job: one job per submission.
pub fn publish_job_key(id: i64) -> String {
    format!("publish:{id}")
}

/// The `publish` job of submission `id`, in `by`'s name (the data center's when `None`).
pub(crate) fn publish_job(id: i64, by: Option<&Actor>) -> NewJob {
    let mut payload = json!({ "submission": id });
    if let (Some(actor), Some(map)) = (by, payload.as_object_mut()) {
        map.insert("by".into(), actor_json(actor));
    }
    NewJob::new(PUBLISH_JOB, payload).with_dedupe_key(publish_job_key(id))
}

/// An actor as a job payload keeps it.
pub(crate) fn actor_json(actor: &Actor) -> serde_json::Value {
    json!({
        "username": actor.name(),
        "role": actor.role().map(|r| r.as_str()),
        "organization": actor.organization(),
    })
}

/// The actor a job payload names; the data center itself when it names none.
pub(crate) fn actor_from_json(value: Option<&serde_json::Value>) -> Actor {
    let Some(v) = value else {
        return Actor::System;
    };
    let name = v.get("username").and_then(|n| n.as_str());
    let role = v.get("role").and_then(|r| r.as_str()).and_then(|r| r.parse().ok());
    match (name, role) {
        (Some(name), Some(role)) => Actor::user(name, role, v.get("organization").and_then(|o| o.as_str())),
        _ => Actor::System,
    }
}

#[cfg(test)]
mod tests {
    use super::stored_name;

    #[test]
    fn stored_names_keep_only_a_plain_extension() {
        assert_eq!(stored_name("Data Penduduk 2024.CSV"), "source.csv");
        assert_eq!(stored_name("../../etc/passwd"), "source");
        assert_eq!(stored_name("laporan.xlsx"), "source.xlsx");
        assert_eq!(stored_name("a.tar.gz;rm -rf"), "source");
        assert_eq!(stored_name(""), "source");
    }
}
