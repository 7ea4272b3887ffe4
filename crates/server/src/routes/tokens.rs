//! `/api/v1/tokens`: API tokens, one's own (an administrator: anyone's).
//!
//! Who may list, make or revoke which token is `access::decide`'s answer for
//! `Action::ManageTokens` on the token's account: one's own, or every account for an
//! administrator; someone else's token is `not-found`. A token acts as its account and has no
//! rights of its own, so it never has more than its user.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{TimeDelta, Utc};
use satudata_catalog::{Token, TokenKind};
use satudata_core::access::{Action, Decision, Target, decide};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Identity;
use crate::error::{Error, ErrorBody, Result, account_error};
use crate::json::ApiJson;
use crate::paging::{Filters, Page, Paging, PagingParams};
use crate::read::refuse;
use crate::state::AppState;

/// An API token, without its secret.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenView {
    /// Its number (for `DELETE /api/v1/tokens/{id}`).
    pub id: i64,
    /// The account it acts for.
    pub username: String,
    /// What its owner called it.
    pub name: String,
    /// The secret's first characters (`sdt_AbCdEfGh`), to tell tokens apart.
    pub prefix: String,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
    /// When it was last used, to the minute (RFC 3339).
    pub last_used_at: Option<String>,
    /// When it was revoked (RFC 3339).
    pub revoked_at: Option<String>,
}

impl From<Token> for TokenView {
    fn from(t: Token) -> Self {
        TokenView {
            id: t.id,
            username: t.username,
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at,
            expires_at: t.expires_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// Filters of the token list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TokenQuery {
    /// Only this account's tokens (an administrator; without it an administrator sees all and
    /// anyone else their own).
    user: Option<String>,
}

/// A token to make, for the caller's own account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenRequest {
    /// What to call it (at most 100 characters; may be empty).
    #[serde(default)]
    pub name: String,
    /// Days it lives, 1 to 365 (default 90).
    #[serde(default, deserialize_with = "whole_days")]
    #[schema(minimum = 1, maximum = 365)]
    pub expires_in_days: Option<i64>,
}

/// A whole number of days, also when JSON writes it `30.0` (JSON Schema counts that an integer).
fn whole_days<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    let number: Option<serde_json::Number> = serde::Deserialize::deserialize(deserializer)?;
    let Some(number) = number else { return Ok(None) };
    if let Some(n) = number.as_i64() {
        return Ok(Some(n));
    }
    match number.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => Ok(Some(f as i64)),
        _ => Err(serde::de::Error::custom(format!(
            "{number} is not a whole number of days"
        ))),
    }
}

/// A new token and its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewTokenAnswer {
    /// The token.
    pub token: TokenView,
    /// Its secret (`sdt_…`), for `Authorization: Bearer`: it is not stored and not shown again.
    pub secret: String,
}

/// The API tokens the caller may manage, oldest first (revoked and expired ones too).
#[utoipa::path(get, path = "/api/v1/tokens", operation_id = "tokens_list", tag = "akun",
    params(TokenQuery, PagingParams, crate::openapi::LangParam),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "A page of tokens", body = Page<TokenView>),
        (status = 400, description = "Bad paging, filter or language", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such account, or not the caller's to see", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    identity: Identity,
    paging: Paging,
    Filters(query): Filters<TokenQuery>,
) -> Result<Json<Page<TokenView>>> {
    let user = identity.signed_in()?;
    let actor = &identity.actor;
    let whose = match query.user.as_deref() {
        Some(name) => {
            refuse(
                decide(actor, Action::ManageTokens, &Target::Account { username: name }),
                "user",
                name,
            )?;
            let catalog = state.center().catalog();
            if catalog.user_by_name(name).await?.is_none() {
                return Err(Error::NotFound {
                    kind: "user",
                    key: name.to_owned(),
                });
            }
            Some(name)
        }
        None if decide(actor, Action::ManageTokens, &Target::DataCenter) == Decision::Allow => None,
        None => Some(user.username.as_str()),
    };
    let listing = state
        .center()
        .catalog()
        .list_tokens(whose, paging.limit, paging.offset)
        .await?;
    let items = listing.items.into_iter().map(TokenView::from).collect();
    Ok(Json(paging.page(items, listing.total)))
}

/// Makes an API token for the caller's account; its secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/tokens", operation_id = "tokens_create", tag = "akun",
    params(crate::openapi::LangParam),
    request_body = NewTokenRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "The token and its secret", body = NewTokenAnswer),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "A cookie without the session's X-CSRF-Token", body = ErrorBody),
        (status = 422, description = "A name or lifetime the rules refuse, or a body of the wrong shape", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(request): ApiJson<NewTokenRequest>,
) -> Result<(StatusCode, Json<NewTokenAnswer>)> {
    let user = identity.signed_in()?;
    refuse(
        decide(
            &identity.actor,
            Action::ManageTokens,
            &Target::Account {
                username: &user.username,
            },
        ),
        "user",
        &user.username,
    )?;
    let days = request.expires_in_days.unwrap_or(satudata_auth::DEFAULT_TOKEN_DAYS);
    let lifetime = lifetime(days)?;
    let issued = state
        .center()
        .catalog()
        .create_token(&user.username, &request.name, lifetime, &user.username, Utc::now())
        .await
        .map_err(account_error)?;
    Ok((
        StatusCode::CREATED,
        Json(NewTokenAnswer {
            token: TokenView::from(issued.token),
            secret: issued.secret.expose().to_owned(),
        }),
    ))
}

/// `days` as a token lifetime, by the rules of `satudata token create --expires`.
fn lifetime(days: i64) -> Result<TimeDelta> {
    let text = format!("{days}d");
    satudata_auth::parse_lifetime(&text).map_err(|e| Error::AccountRefused(Box::new(satudata_catalog::Error::Auth(e))))
}

/// Revokes a token: one's own, or anyone's for an administrator.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", operation_id = "tokens_revoke", tag = "akun",
    params(("id" = i64, Path, description = "The token's number", minimum = 1), crate::openapi::LangParam),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Revoked (or it was already)"),
        (status = 400, description = "An id that is not a number", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "A cookie without the session's X-CSRF-Token", body = ErrorBody),
        (status = 404, description = "No such token, or not the caller's", body = ErrorBody),
    ))]
pub async fn revoke(State(state): State<AppState>, identity: Identity, Path(id): Path<String>) -> Result<StatusCode> {
    let user = identity.signed_in()?;
    let number: i64 = id.parse().map_err(|_| Error::BadParameter {
        parameter: "id",
        value: id.chars().take(40).collect(),
    })?;
    let catalog = state.center().catalog();
    let not_found = || Error::NotFound {
        kind: "token",
        key: number.to_string(),
    };
    let token = catalog
        .token(number)
        .await?
        .filter(|t| t.kind == TokenKind::Api)
        .ok_or_else(not_found)?;
    let target = Target::Account {
        username: &token.username,
    };
    refuse(
        decide(&identity.actor, Action::ManageTokens, &target),
        "token",
        &number.to_string(),
    )?;
    catalog
        .revoke_token(number, &user.username, Utc::now())
        .await
        .map_err(account_error)?;
    Ok(StatusCode::NO_CONTENT)
}
