//! Submissions through their life: the state each is in (`satudata_core::lifecycle`), the
//! walidata daerah's decisions, the PD's consent, comments, withdrawn releases and the
//! per-dataset switches for recurring feeds.
//!
//! Every change of state goes through [`Catalog::transition`]: it reads the state, asks
//! `lifecycle::next`, and writes the new state only where the row still holds the state it read
//! (`WHERE status = $old`), in the same transaction as its audit entry with the state before and
//! after. Two workers or two verifiers racing on one submission cannot both win.

use satudata_core::StatusKerahasiaan;
use satudata_core::access::Actor;
use satudata_core::lifecycle::{self, Event, Refused, SubmissionState};
use serde_json::{Value, json};
use sqlx::any::AnyRow;
use sqlx::{Any, Row};

use crate::{Catalog, Error, Result, audit, now};

/// A submission as the catalog keeps it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SubmissionRecord {
    /// Its id.
    pub id: i64,
    /// Dataset name.
    pub dataset: String,
    /// The dataset's organization (slug).
    pub organization: String,
    /// Period (canonical text).
    pub period: String,
    /// The file name the producer gave (shown only; never used as a path).
    pub source_name: String,
    /// SHA-256 of the file.
    pub source_sha256: String,
    /// Where the file is kept in the store.
    #[serde(skip)]
    pub source_path: String,
    /// Size of the file in bytes, when known.
    pub source_size: Option<u64>,
    /// Where it stands.
    pub state: SubmissionState,
    /// Who submitted it.
    pub submitted_by: String,
    /// When (RFC 3339).
    pub submitted_at: String,
    /// An earlier submission of the same dataset with the same bytes.
    pub duplicate_of: Option<i64>,
    /// The status kerahasiaan the verifier approved it with.
    pub status_kerahasiaan: Option<StatusKerahasiaan>,
    /// Who reviewed it.
    pub reviewed_by: Option<String>,
    /// When it was reviewed.
    pub reviewed_at: Option<String>,
    /// Who gave the PD's consent.
    pub consent_by: Option<String>,
    /// When the consent was given.
    pub consent_at: Option<String>,
    /// The release it made (or matched, when its content was unchanged).
    pub release_version: Option<u32>,
    /// The report's summary, once it is checked.
    pub report: Option<ReportSummary>,
}

/// The counts of a submission's report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReportSummary {
    /// No errors.
    pub valid: bool,
    /// Errors.
    pub errors: u64,
    /// Warnings.
    pub warnings: u64,
    /// Where the JSON report is kept in the store.
    #[serde(skip)]
    pub path: String,
}

/// Which submissions a listing returns; `None` filters nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct SubmissionFilter<'a> {
    /// Only this organization's.
    pub organization: Option<&'a str>,
    /// Only this dataset's.
    pub dataset: Option<&'a str>,
    /// Only in this state.
    pub state: Option<SubmissionState>,
    /// Only submitted by this account.
    pub submitted_by: Option<&'a str>,
}

/// A comment on a submission.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Comment {
    /// Its id.
    pub id: i64,
    /// The submission.
    pub submission_id: i64,
    /// Who wrote it.
    pub author: String,
    /// The author's role then.
    pub role: Option<String>,
    /// The author's organization then.
    pub organization: Option<String>,
    /// The text.
    pub body: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// A withdrawn release.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Withdrawal {
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

/// A recorded decision about a dataset: who made it and when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Recorded {
    /// Who decided.
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
}

/// A dataset's switches for recurring feeds.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DatasetSwitches {
    /// Valid submissions are approved without a verifier, with this status kerahasiaan
    /// (a verifier's recorded decision).
    pub auto_approve: Option<(StatusKerahasiaan, Recorded)>,
    /// The PD's standing consent to publish approved submissions (a produsen's recorded
    /// decision).
    pub standing_consent: Option<Recorded>,
}

/// A verifier's decision on a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Approve, with a status kerahasiaan.
    Approve,
    /// Send it back to the producer.
    RequestChanges,
    /// Refuse it.
    Reject,
}

impl Verdict {
    /// The lifecycle event it is.
    pub fn event(self) -> Event {
        match self {
            Verdict::Approve => Event::Approve,
            Verdict::RequestChanges => Event::RequestChanges,
            Verdict::Reject => Event::Reject,
        }
    }
}

/// Why a review step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReviewProblem {
    /// The lifecycle does not allow it from the submission's state.
    #[error(transparent)]
    Refused(#[from] Refused),
    /// Someone else changed the submission first.
    #[error("submission {id} changed while it was being updated")]
    Raced {
        /// The submission.
        id: i64,
    },
    /// Approval needs a status kerahasiaan.
    #[error("an approval needs a status kerahasiaan")]
    StatusMissing,
    /// Consent is only given before publishing, to a submission still under way.
    #[error("consent cannot be given to a submission that is {0}")]
    ConsentClosed(SubmissionState),
    /// Publishing needs the PD's consent.
    #[error("submission {id} has no consent from its PD")]
    NoConsent {
        /// The submission.
        id: i64,
    },
    /// The release is already withdrawn.
    #[error("release {version} of {dataset} is already withdrawn")]
    AlreadyWithdrawn {
        /// Dataset name.
        dataset: String,
        /// Release number.
        version: u32,
    },
    /// A comment or reason is empty or too long.
    #[error("text must have 1 to {max} characters")]
    Text {
        /// The longest allowed.
        max: usize,
    },
}

/// The longest comment or withdrawal reason, in characters.
pub const MAX_TEXT: usize = 10_000;

const SUBMISSION_COLUMNS: &str = "s.id, s.dataset, d.organization, s.period, s.source_name, s.source_sha256, \
     s.source_path, s.source_size, s.status, s.submitted_by, s.submitted_at, s.duplicate_of, \
     s.status_kerahasiaan, s.reviewed_by, s.reviewed_at, s.consent_by, s.consent_at, s.release_version, \
     r.valid, r.errors, r.warnings, r.path";

const SUBMISSION_FROM: &str =
    "FROM submissions s JOIN datasets d ON d.name = s.dataset LEFT JOIN reports r ON r.submission_id = s.id";

/// The audit detail that says who acted in which role for which PD.
pub(crate) fn by(actor: &Actor) -> Value {
    json!({
        "role": actor.role().map(|r| r.as_str()),
        "organization": actor.organization(),
    })
}

fn checked_text(text: &str) -> Result<&str> {
    let text = text.trim();
    // NUL is no character of a comment, and PostgreSQL cannot store it as text.
    if text.is_empty() || text.chars().count() > MAX_TEXT || text.contains('\0') {
        return Err(ReviewProblem::Text { max: MAX_TEXT }.into());
    }
    Ok(text)
}

fn submission_from_row(r: &AnyRow) -> Result<SubmissionRecord> {
    let id: i64 = r.get(0);
    let state_text: String = r.get(8);
    let state = state_text.parse().map_err(|_| Error::SubmissionState {
        id,
        state: state_text.clone(),
    })?;
    let status: Option<String> = r.get(12);
    let valid: Option<i64> = r.get(18);
    Ok(SubmissionRecord {
        id,
        dataset: r.get(1),
        organization: r.get(2),
        period: r.get(3),
        source_name: r.get(4),
        source_sha256: r.get(5),
        source_path: r.get(6),
        source_size: r.get::<Option<i64>, _>(7).map(|n| n as u64),
        state,
        submitted_by: r.get(9),
        submitted_at: r.get(10),
        duplicate_of: r.get(11),
        status_kerahasiaan: status.and_then(|s| s.parse().ok()),
        reviewed_by: r.get(13),
        reviewed_at: r.get(14),
        consent_by: r.get(15),
        consent_at: r.get(16),
        release_version: r.get::<Option<i64>, _>(17).map(|n| n as u32),
        report: valid.map(|v| ReportSummary {
            valid: v != 0,
            errors: r.get::<i64, _>(19) as u64,
            warnings: r.get::<i64, _>(20) as u64,
            path: r.get(21),
        }),
    })
}

impl Catalog {
    /// One submission.
    pub async fn submission(&self, id: i64) -> Result<SubmissionRecord> {
        let row = sqlx::query(&format!(
            "SELECT {SUBMISSION_COLUMNS} {SUBMISSION_FROM} WHERE s.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| Error::NotFound {
            kind: "submission",
            key: id.to_string(),
        })?;
        submission_from_row(&row)
    }

    /// A page of submissions, oldest first, and how many match in all.
    pub async fn submissions(
        &self,
        filter: &SubmissionFilter<'_>,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<SubmissionRecord>, u64)> {
        let mut clauses = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        let mut add = |clause: &str, value: String| {
            binds.push(value);
            clauses.push(clause.replace('?', &format!("${}", binds.len())));
        };
        if let Some(o) = filter.organization {
            add("d.organization = ?", o.to_owned());
        }
        if let Some(d) = filter.dataset {
            add("s.dataset = ?", d.to_owned());
        }
        if let Some(s) = filter.state {
            add("s.status = ?", s.as_str().to_owned());
        }
        if let Some(u) = filter.submitted_by {
            add("s.submitted_by = ?", u.to_owned());
        }
        let condition = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        let count_sql = format!("SELECT COUNT(*) {SUBMISSION_FROM} {condition}");
        let mut count = sqlx::query_scalar::<Any, i64>(&count_sql);
        for b in &binds {
            count = count.bind(b.clone());
        }
        let total = count.fetch_one(&self.pool).await? as u64;
        let page_sql = format!(
            "SELECT {SUBMISSION_COLUMNS} {SUBMISSION_FROM} {condition} ORDER BY s.submitted_at, s.id LIMIT {} OFFSET {}",
            limit, offset
        );
        let mut page = sqlx::query(&page_sql);
        for b in &binds {
            page = page.bind(b.clone());
        }
        let rows = page.fetch_all(&self.pool).await?;
        let items = rows.iter().map(submission_from_row).collect::<Result<_>>()?;
        Ok((items, total))
    }

    /// The earliest submission of `dataset` whose file had this SHA-256, if any.
    pub async fn submission_with_source(&self, dataset: &str, sha256: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT MIN(id) FROM submissions WHERE dataset = $1 AND source_sha256 = $2 AND duplicate_of IS NULL",
        )
        .bind(dataset)
        .bind(sha256)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Moves a submission along its lifecycle by `event`, with its audit entry (`detail` joins
    /// it); returns the new state.
    pub async fn transition(&self, id: i64, event: Event, actor: &Actor, detail: Value) -> Result<SubmissionState> {
        self.transition_with(id, event, actor, &[], detail).await
    }

    /// [`Catalog::transition`], setting `fields` in the same statement.
    async fn transition_with(
        &self,
        id: i64,
        event: Event,
        actor: &Actor,
        fields: &[(&str, Field)],
        detail: Value,
    ) -> Result<SubmissionState> {
        let mut tx = self.begin().await?;
        let after = transition_in(&mut tx, id, event, actor, fields, detail).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A verifier's review: approve (with a status kerahasiaan), request changes or reject,
    /// with an optional comment, in one transaction.
    pub async fn review(
        &self,
        id: i64,
        verdict: Verdict,
        status: Option<StatusKerahasiaan>,
        comment: Option<&str>,
        actor: &Actor,
    ) -> Result<SubmissionState> {
        let comment = comment.map(checked_text).transpose()?;
        let status = match (verdict, status) {
            (Verdict::Approve, None) => return Err(ReviewProblem::StatusMissing.into()),
            (Verdict::Approve, Some(s)) => Some(s),
            (_, _) => None,
        };
        let at = now();
        let mut tx = self.begin().await?;
        let detail = json!({ "comment": comment, "status_kerahasiaan": status.map(|s| s.to_string()) });
        let after = transition_in(
            &mut tx,
            id,
            verdict.event(),
            actor,
            &[
                ("status_kerahasiaan", Field::Text(status.map(|s| s.to_string()))),
                ("reviewed_by", Field::Text(Some(actor.name().to_owned()))),
                ("reviewed_at", Field::Text(Some(at))),
            ],
            detail,
        )
        .await?;
        if let Some(body) = comment {
            insert_comment(&mut tx, id, actor, body).await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    /// Records the PD's consent to publish a submission (its own produsen decides that; the
    /// caller checks `access::decide`).
    pub async fn consent(&self, id: i64, actor: &Actor) -> Result<SubmissionRecord> {
        let detail = json!({ "by": by(actor) });
        self.record_consent(id, actor, actor.name(), detail).await
    }

    /// Records the PD's standing consent for its dataset (`standing`) as the consent to
    /// publish submission `id`; the data center records it.
    pub async fn consent_from_standing(&self, id: i64, standing: &Recorded) -> Result<SubmissionRecord> {
        let detail = json!({ "by": by(&Actor::System), "standing": { "by": standing.by, "at": standing.at } });
        self.record_consent(id, &Actor::System, &standing.by, detail).await
    }

    async fn record_consent(
        &self,
        id: i64,
        actor: &Actor,
        consent_by: &str,
        mut detail: Value,
    ) -> Result<SubmissionRecord> {
        let current = self.submission(id).await?;
        use SubmissionState as S;
        if !matches!(
            current.state,
            S::Received | S::Validating | S::NeedsReview | S::Approved
        ) {
            return Err(ReviewProblem::ConsentClosed(current.state).into());
        }
        if current.consent_by.is_some() {
            return Ok(current);
        }
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE submissions SET consent_by = $1, consent_at = $2, updated_at = $2 WHERE id = $3 AND status = $4 AND consent_by IS NULL",
        )
        .bind(consent_by)
        .bind(now())
        .bind(id)
        .bind(current.state.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(ReviewProblem::Raced { id }.into());
        }
        if let Some(map) = detail.as_object_mut() {
            map.insert("state".into(), current.state.as_str().into());
        }
        audit::append(&mut tx, actor.name(), "submissions.consent", &id.to_string(), &detail).await?;
        tx.commit().await?;
        self.submission(id).await
    }

    /// Adds a comment to a submission.
    pub async fn add_comment(&self, id: i64, actor: &Actor, body: &str) -> Result<Comment> {
        let body = checked_text(body)?;
        self.submission(id).await?;
        let mut tx = self.begin().await?;
        let comment = insert_comment(&mut tx, id, actor, body).await?;
        tx.commit().await?;
        Ok(comment)
    }

    /// A submission's comments, oldest first.
    pub async fn comments(&self, id: i64) -> Result<Vec<Comment>> {
        let rows = sqlx::query(
            "SELECT id, submission_id, author, role, organization, body, created_at FROM comments WHERE submission_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(comment_from_row).collect())
    }

    /// Marks a submission published without a new release: its content equals release
    /// `version`'s.
    pub async fn record_unchanged(&self, id: i64, version: u32, actor: &Actor) -> Result<SubmissionState> {
        self.transition_with(
            id,
            Event::Publish,
            actor,
            &[("release_version", Field::Int(i64::from(version)))],
            json!({ "unchanged": true, "version": version }),
        )
        .await
    }

    /// Withdraws a release: it stays stored and in the audit log, but is no longer served to
    /// those who may not see withdrawn releases.
    pub async fn withdraw(&self, dataset: &str, version: u32, reason: &str, actor: &Actor) -> Result<Withdrawal> {
        let reason = checked_text(reason)?;
        let mut tx = self.begin().await?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT version FROM releases WHERE dataset = $1 AND version = $2")
                .bind(dataset)
                .bind(version as i64)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_none() {
            return Err(Error::NotFound {
                kind: "release",
                key: format!("{dataset} v{version}"),
            });
        }
        let at = now();
        let inserted = sqlx::query(
            "INSERT INTO withdrawals (dataset, version, reason, withdrawn_by, withdrawn_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (dataset, version) DO NOTHING",
        )
        .bind(dataset)
        .bind(version as i64)
        .bind(reason)
        .bind(actor.name())
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(ReviewProblem::AlreadyWithdrawn {
                dataset: dataset.to_owned(),
                version,
            }
            .into());
        }
        let detail = json!({ "by": by(actor), "version": version, "reason": reason });
        audit::append(&mut tx, actor.name(), "releases.withdrawn", dataset, &detail).await?;
        crate::search::reindex(&mut tx, dataset, true).await?;
        tx.commit().await?;
        Ok(Withdrawal {
            dataset: dataset.to_owned(),
            version,
            reason: reason.to_owned(),
            withdrawn_by: actor.name().to_owned(),
            withdrawn_at: at,
        })
    }

    /// The withdrawals of a dataset's releases, by version.
    pub async fn withdrawals(&self, dataset: &str) -> Result<Vec<Withdrawal>> {
        let rows = sqlx::query(
            "SELECT dataset, version, reason, withdrawn_by, withdrawn_at FROM withdrawals WHERE dataset = $1 ORDER BY version",
        )
        .bind(dataset)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Withdrawal {
                dataset: r.get(0),
                version: r.get::<i64, _>(1) as u32,
                reason: r.get(2),
                withdrawn_by: r.get(3),
                withdrawn_at: r.get(4),
            })
            .collect())
    }

    /// The versions of `dataset`'s releases that are withdrawn.
    pub async fn withdrawn_versions(&self, dataset: &str) -> Result<Vec<u32>> {
        Ok(self
            .withdrawals(dataset)
            .await?
            .into_iter()
            .map(|w| w.version)
            .collect())
    }

    /// A dataset's switches for recurring feeds.
    pub async fn switches(&self, dataset: &str) -> Result<DatasetSwitches> {
        let row = sqlx::query(
            "SELECT auto_approve_status, auto_approve_by, auto_approve_at, consent_by, consent_at FROM dataset_switches WHERE dataset = $1",
        )
        .bind(dataset)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else {
            return Ok(DatasetSwitches::default());
        };
        let recorded = |by: Option<String>, at: Option<String>| by.zip(at).map(|(by, at)| Recorded { by, at });
        let status: Option<String> = r.get(0);
        Ok(DatasetSwitches {
            auto_approve: status.and_then(|s| s.parse().ok()).zip(recorded(r.get(1), r.get(2))),
            standing_consent: recorded(r.get(3), r.get(4)),
        })
    }

    /// Switches automatic approval of valid submissions on (with the status kerahasiaan they
    /// are approved with) or off: a verifier's recorded decision.
    pub async fn set_auto_approve(
        &self,
        dataset: &str,
        status: Option<StatusKerahasiaan>,
        actor: &Actor,
    ) -> Result<DatasetSwitches> {
        let at = status.map(|_| now());
        let by_name = status.map(|_| actor.name().to_owned());
        self.set_switch(
            dataset,
            "auto_approve_status = $2, auto_approve_by = $3, auto_approve_at = $4",
            vec![status.map(|s| s.to_string()), by_name, at],
            actor,
            "datasets.auto_approve",
            json!({ "by": by(actor), "status_kerahasiaan": status.map(|s| s.to_string()) }),
        )
        .await
    }

    /// Records (or takes back) the PD's standing consent to publish approved submissions of
    /// `dataset`: a produsen's recorded decision.
    pub async fn set_standing_consent(&self, dataset: &str, on: bool, actor: &Actor) -> Result<DatasetSwitches> {
        let (by_name, at) = if on {
            (Some(actor.name().to_owned()), Some(now()))
        } else {
            (None, None)
        };
        self.set_switch(
            dataset,
            "consent_by = $2, consent_at = $3",
            vec![by_name, at],
            actor,
            "datasets.standing_consent",
            json!({ "by": by(actor), "on": on }),
        )
        .await
    }

    async fn set_switch(
        &self,
        dataset: &str,
        assignments: &str,
        values: Vec<Option<String>>,
        actor: &Actor,
        action: &str,
        detail: Value,
    ) -> Result<DatasetSwitches> {
        self.dataset(dataset).await?;
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO dataset_switches (dataset) VALUES ($1) ON CONFLICT (dataset) DO NOTHING")
            .bind(dataset)
            .execute(&mut *tx)
            .await?;
        let sql = format!("UPDATE dataset_switches SET {assignments} WHERE dataset = $1");
        let mut update = sqlx::query(&sql).bind(dataset);
        for value in values {
            update = update.bind(value);
        }
        update.execute(&mut *tx).await?;
        audit::append(&mut tx, actor.name(), action, dataset, &detail).await?;
        tx.commit().await?;
        self.switches(dataset).await
    }
}

/// A column value a transition sets beside the state.
#[derive(Debug, Clone)]
pub(crate) enum Field {
    /// Text, or NULL.
    Text(Option<String>),
    /// A whole number.
    Int(i64),
}

/// [`Catalog::transition`] inside a transaction.
pub(crate) async fn transition_in(
    tx: &mut crate::Tx,
    id: i64,
    event: Event,
    actor: &Actor,
    fields: &[(&str, Field)],
    detail: Value,
) -> Result<SubmissionState> {
    let before: Option<String> = sqlx::query_scalar("SELECT status FROM submissions WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let before = before.ok_or_else(|| Error::NotFound {
        kind: "submission",
        key: id.to_string(),
    })?;
    let from: SubmissionState = before.parse().map_err(|_| Error::SubmissionState {
        id,
        state: before.clone(),
    })?;
    let after = lifecycle::next(from, event).map_err(ReviewProblem::from)?;
    let mut sets = vec!["status = $1".to_owned(), "updated_at = $2".to_owned()];
    for (i, (column, _)) in fields.iter().enumerate() {
        sets.push(format!("{column} = ${}", i + 5));
    }
    let sql = format!(
        "UPDATE submissions SET {} WHERE id = $3 AND status = $4",
        sets.join(", ")
    );
    let mut update = sqlx::query(&sql)
        .bind(after.as_str())
        .bind(now())
        .bind(id)
        .bind(from.as_str());
    for (_, value) in fields {
        update = match value {
            Field::Text(text) => update.bind(text.clone()),
            Field::Int(n) => update.bind(*n),
        };
    }
    if update.execute(&mut **tx).await?.rows_affected() == 0 {
        return Err(ReviewProblem::Raced { id }.into());
    }
    let mut entry = json!({ "before": from.as_str(), "after": after.as_str(), "by": by(actor) });
    if let (Some(map), Value::Object(extra)) = (entry.as_object_mut(), detail) {
        map.extend(extra);
    }
    audit::append(
        tx,
        actor.name(),
        &format!("submissions.{}", event.as_str()),
        &id.to_string(),
        &entry,
    )
    .await?;
    Ok(after)
}

async fn insert_comment(tx: &mut crate::Tx, id: i64, actor: &Actor, body: &str) -> Result<Comment> {
    let at = now();
    let role = actor.role().map(|r| r.as_str().to_owned());
    let organization = actor.organization().map(str::to_owned);
    let comment_id: i64 = sqlx::query_scalar(
        "INSERT INTO comments (submission_id, author, role, organization, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(id)
    .bind(actor.name())
    .bind(role.clone())
    .bind(organization.clone())
    .bind(body)
    .bind(&at)
    .fetch_one(&mut **tx)
    .await?;
    let detail = json!({ "by": by(actor), "comment": comment_id, "chars": body.chars().count() });
    audit::append(tx, actor.name(), "submissions.commented", &id.to_string(), &detail).await?;
    Ok(Comment {
        id: comment_id,
        submission_id: id,
        author: actor.name().to_owned(),
        role,
        organization,
        body: body.to_owned(),
        created_at: at,
    })
}

fn comment_from_row(r: &AnyRow) -> Comment {
    Comment {
        id: r.get(0),
        submission_id: r.get(1),
        author: r.get(2),
        role: r.get(3),
        organization: r.get(4),
        body: r.get(5),
        created_at: r.get(6),
    }
}
