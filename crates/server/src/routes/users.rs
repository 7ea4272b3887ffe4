//! `/api/v1/users`: accounts, for the administrators (`Action::ManageAccounts`).
//!
//! An administrator lists, creates and changes accounts (role, lock); an account may read
//! itself; anyone else gets `not-found` for an account and `forbidden` for the list. Creating
//! an account without a password generates one and answers it once, as `satudata user add`
//! does. The catalog records every change in the audit log with the acting administrator.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use satudata_catalog::{NewUser, User};
use satudata_core::access::{Action, Role, Target, decide};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Identity;
use crate::error::{Error, ErrorBody, Result, account_error};
use crate::json::ApiJson;
use crate::paging::{Filters, NoFilters, Page, Paging, PagingParams};
use crate::read::refuse;
use crate::state::AppState;

/// An account as administrators see it (never its password hash).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    /// Its name.
    pub username: String,
    /// Its role: `produsen`, `walidata` or `admin`.
    pub role: String,
    /// Its organization's slug (always there for a produsen).
    pub organization: Option<String>,
    /// Locked by an administrator: no sign-in, no token, no session.
    pub locked: bool,
    /// Failed sign-ins since the last successful one.
    pub failed_logins: u32,
    /// Until when sign-in with a password is refused after failed attempts (RFC 3339).
    pub locked_until: Option<String>,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        UserView {
            username: u.username,
            role: u.role.as_str().to_owned(),
            organization: u.organization,
            locked: u.locked,
            failed_logins: u.failed_logins,
            locked_until: u.locked_until,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// An account to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    /// Its name (`[a-z0-9._-]{2,64}`).
    pub username: String,
    /// Its role.
    #[schema(value_type = String, pattern = "^(produsen|walidata|admin)$")]
    pub role: Role,
    /// Its organization's slug: required for a produsen.
    #[serde(default)]
    pub organization: Option<String>,
    /// Its password (12 to 1024 characters); without it one is generated and answered once.
    #[serde(default)]
    pub password: Option<String>,
}

/// A new account, and its password when it was generated.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewUserAnswer {
    /// The account.
    pub user: UserView,
    /// The generated password, shown this once (absent when the request gave one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// A change to an account: its role, its lock, or both.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    /// The new role.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^(produsen|walidata|admin)$")]
    pub role: Option<Role>,
    /// `true` locks the account (its tokens and sessions stop too); `false` unlocks it and
    /// clears failed sign-ins.
    #[serde(default)]
    pub locked: Option<bool>,
}

/// Every account, by name (administrators).
#[utoipa::path(get, path = "/api/v1/users", operation_id = "users_list", tag = "akun",
    params(PagingParams, crate::openapi::LangParam),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "A page of accounts", body = Page<UserView>),
        (status = 400, description = "Bad paging or language", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    identity: Identity,
    paging: Paging,
    Filters(NoFilters {}): Filters<NoFilters>,
) -> Result<Json<Page<UserView>>> {
    refuse(
        decide(&identity.actor, Action::ManageAccounts, &Target::DataCenter),
        "user",
        "",
    )?;
    let listing = state.center().catalog().list_users(paging.limit, paging.offset).await?;
    let items = listing.items.into_iter().map(UserView::from).collect();
    Ok(Json(paging.page(items, listing.total)))
}

/// One account (an administrator, or the account itself).
#[utoipa::path(get, path = "/api/v1/users/{name}", operation_id = "users_show", tag = "akun",
    params(("name" = String, Path, description = "The account's name"), crate::openapi::LangParam),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The account", body = UserView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such account, or not the caller's to see", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    identity: Identity,
    Path(name): Path<String>,
) -> Result<Json<UserView>> {
    // `decide` alone answers, as for every route: an account one may not see is 404 to anyone,
    // signed in or not.
    refuse(
        decide(&identity.actor, Action::Read, &Target::Account { username: &name }),
        "user",
        &name,
    )?;
    let user = state.center().catalog().user_by_name(&name).await?;
    let user = user.ok_or(Error::NotFound {
        kind: "user",
        key: name,
    })?;
    Ok(Json(UserView::from(user)))
}

/// Creates an account (administrators); without a password, one is generated and answered once.
#[utoipa::path(post, path = "/api/v1/users", operation_id = "users_create", tag = "akun",
    params(crate::openapi::LangParam),
    request_body = NewUserRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "The account, and its generated password", body = NewUserAnswer),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator, or a cookie without X-CSRF-Token", body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody),
        (status = 422, description = "A name, password or organization the rules refuse, or a body of the wrong shape", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(request): ApiJson<NewUserRequest>,
) -> Result<(StatusCode, Json<NewUserAnswer>)> {
    refuse(
        decide(&identity.actor, Action::ManageAccounts, &Target::DataCenter),
        "user",
        &request.username,
    )?;
    let admin = identity.signed_in()?;
    let (password, generated) = match request.password {
        Some(password) => (password, false),
        None => (
            satudata_auth::generate_password().map_err(|e| account_error(e.into()))?,
            true,
        ),
    };
    let new = NewUser {
        username: &request.username,
        role: request.role,
        organization: request.organization.as_deref(),
        password: &password,
    };
    let user = state
        .center()
        .catalog()
        .create_user(&new, &admin.username)
        .await
        .map_err(account_error)?;
    Ok((
        StatusCode::CREATED,
        Json(NewUserAnswer {
            user: UserView::from(user),
            password: generated.then_some(password),
        }),
    ))
}

/// Changes an account's role or lock (administrators).
#[utoipa::path(patch, path = "/api/v1/users/{name}", operation_id = "users_update", tag = "akun",
    params(("name" = String, Path, description = "The account's name"), crate::openapi::LangParam),
    request_body = UserChange,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The account as it is now", body = UserView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator, or a cookie without X-CSRF-Token", body = ErrorBody),
        (status = 404, description = "No such account, or not the caller's to see", body = ErrorBody),
        (status = 422, description = "A produsen role for an account without an organization, or a body of the wrong shape", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    identity: Identity,
    Path(name): Path<String>,
    ApiJson(change): ApiJson<UserChange>,
) -> Result<Json<UserView>> {
    refuse(
        decide(
            &identity.actor,
            Action::ManageAccounts,
            &Target::Account { username: &name },
        ),
        "user",
        &name,
    )?;
    let admin = identity.signed_in()?;
    let catalog = state.center().catalog();
    let mut user = catalog.user_by_name(&name).await?.ok_or_else(|| Error::NotFound {
        kind: "user",
        key: name.clone(),
    })?;
    if let Some(role) = change.role {
        user = catalog
            .set_role(&name, role, &admin.username)
            .await
            .map_err(account_error)?;
    }
    match change.locked {
        Some(true) => user = catalog.lock(&name, &admin.username).await.map_err(account_error)?,
        Some(false) => user = catalog.unlock(&name, &admin.username).await.map_err(account_error)?,
        None => {}
    }
    Ok(Json(UserView::from(user)))
}
