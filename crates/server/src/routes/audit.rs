//! `/api/v1/audit`: the hash-chained audit log, filtered and paged, and the check of its chain
//! (walidata and admins: `Action::ReadAudit`).

use axum::Json;
use axum::extract::State;
use satudata_catalog::audit_query::AuditFilter;
use satudata_catalog::{AuditCheck, AuditEntry};
use satudata_core::access::{Action, Actor, Target, decide};
use satudata_core::{Lang, Localize};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::{Error, ErrorBody, Result};
use crate::paging::{Filters, NoFilters, Page, Paging, PagingParams};
use crate::state::AppState;

/// Filters of the audit log.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries of this actor (an account name, `pipeline`, `sistem`).
    pub actor: Option<String>,
    /// Only this action (`releases.published`), or every action starting with it when it ends
    /// in `.` (`submissions.`).
    pub action: Option<String>,
    /// Only entries about this subject (a dataset name, a submission id, an account).
    pub subject: Option<String>,
    /// Only entries at or after this time (RFC 3339, `2026-12-01T00:00:00Z`).
    pub since: Option<String>,
    /// Only entries at or before this time (RFC 3339).
    pub until: Option<String>,
}

/// One entry of the audit log.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditEntryView {
    /// Position in the log, from 1.
    pub id: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What (`code_lists.updated`).
    pub action: String,
    /// On what.
    pub subject: String,
    /// Details: role and PD of the actor, digests before and after, ...
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// Hash of this entry.
    pub hash: String,
}

/// Where the chain breaks first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditBreak {
    /// The entry's id.
    pub id: i64,
    /// What is wrong: `gap`, `previous-hash` or `content`.
    pub reason: String,
    /// The same in Indonesian words.
    pub message_id: String,
    /// The same in English words.
    pub message_en: String,
}

/// The answer of `/audit/verify`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditVerification {
    /// Whether every entry chains to the one before and hashes to its stored hash.
    pub valid: bool,
    /// Entries in the log.
    pub entries: u64,
    /// The first broken entry; `null` when the chain is whole.
    pub first_bad: Option<AuditBreak>,
}

fn may_read(actor: &Actor) -> Result<()> {
    crate::read::refuse(decide(actor, Action::ReadAudit, &Target::DataCenter), "audit", "")
}

fn time(parameter: &str, text: Option<&str>) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    text.map(|t| {
        chrono::DateTime::parse_from_rfc3339(t)
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(|e| Error::BadQuery {
                detail: format!("{parameter}={t} is not an RFC 3339 time: {e}"),
            })
    })
    .transpose()
}

fn view(e: AuditEntry) -> AuditEntryView {
    let detail = serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::String(e.detail));
    AuditEntryView {
        id: e.id,
        at: e.at,
        actor: e.actor,
        action: e.action,
        subject: e.subject,
        detail,
        prev_hash: e.prev_hash,
        hash: e.hash,
    }
}

/// A page of the audit entries `query` keeps, newest first, for `actor`.
pub async fn entries(
    state: &AppState,
    actor: &Actor,
    query: &AuditQuery,
    paging: &Paging,
) -> Result<Page<AuditEntryView>> {
    may_read(actor)?;
    let texts = [&query.actor, &query.action, &query.subject];
    if let Some(text) = texts.into_iter().flatten().find(|t| t.chars().any(char::is_control)) {
        return Err(Error::BadQuery {
            detail: format!("{:?} holds a control character", text.escape_default().to_string()),
        });
    }
    let filter = AuditFilter {
        actor: query.actor.as_deref(),
        action: query.action.as_deref(),
        subject: query.subject.as_deref(),
        since: time("since", query.since.as_deref())?,
        until: time("until", query.until.as_deref())?,
    };
    let listing = state
        .center()
        .catalog()
        .list_audit(&filter, paging.limit, paging.offset)
        .await?;
    Ok(paging.page(listing.items.into_iter().map(view).collect(), listing.total))
}

/// The check of the whole chain, for `actor`.
pub async fn verification(state: &AppState, actor: &Actor) -> Result<AuditVerification> {
    may_read(actor)?;
    let catalog = state.center().catalog();
    let check = catalog.verify_audit().await?;
    let entries = catalog.list_audit(&AuditFilter::default(), 1, 0).await?.total;
    Ok(match check {
        AuditCheck::Intact { entries } => AuditVerification {
            valid: true,
            entries,
            first_bad: None,
        },
        AuditCheck::Broken { entry, problem } => AuditVerification {
            valid: false,
            entries,
            first_bad: Some(AuditBreak {
                id: entry,
                reason: problem.key().trim_start_matches("audit.").to_owned(),
                message_id: problem.localize(Lang::Id),
                message_en: problem.localize(Lang::En),
            }),
        },
    })
}

/// The audit log, newest first (walidata and admins).
#[utoipa::path(get, path = "/api/v1/audit", operation_id = "audit_list", tag = "audit",
    params(AuditQuery, PagingParams, crate::openapi::LangParam),
    responses(
        (status = 200, description = "A page of audit entries", body = Page<AuditEntryView>),
        (status = 400, description = "Bad paging, filter or time", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a walidata or admin", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    paging: Paging,
    Filters(query): Filters<AuditQuery>,
) -> Result<Json<Page<AuditEntryView>>> {
    Ok(Json(entries(&state, &actor, &query, &paging).await?))
}

/// Checks the audit log's hash chain and names the first broken entry (walidata and admins).
#[utoipa::path(get, path = "/api/v1/audit/verify", operation_id = "audit_verify", tag = "audit",
    params(crate::openapi::LangParam),
    responses(
        (status = 200, description = "The result of the check", body = AuditVerification),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a walidata or admin", body = ErrorBody),
    ))]
pub async fn verify(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Filters(NoFilters {}): Filters<NoFilters>,
) -> Result<Json<AuditVerification>> {
    Ok(Json(verification(&state, &actor).await?))
}
