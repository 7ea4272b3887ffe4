//! `/api/v1/auth/login`, `/api/v1/auth/logout`, `/api/v1/me`: signing in with a password, out,
//! and who one is.
//!
//! A sign-in starts a session whose secret goes in the `satudata_sesi` cookie (`HttpOnly`,
//! `SameSite=Strict`, `Path=/`, `Max-Age`, and `Secure` when `--public-url` is https) and
//! answers the session's CSRF token, which every cookie-authenticated write sends back in
//! `X-CSRF-Token`. `Catalog::login` records the attempt in the audit log.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use satudata_catalog::{Login, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Identity, SESSION_COOKIE, Via};
use crate::error::{Error, ErrorBody, Result};
use crate::json::ApiJson;
use crate::state::AppState;

/// A sign-in with a password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The account's name.
    pub username: String,
    /// Its password.
    pub password: String,
}

/// An account as its owner and the sign-in see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountView {
    /// Its name.
    pub username: String,
    /// Its role: `produsen`, `walidata` or `admin`.
    pub role: String,
    /// Its organization's slug (always there for a produsen).
    pub organization: Option<String>,
}

impl From<&User> for AccountView {
    fn from(user: &User) -> Self {
        AccountView {
            username: user.username.clone(),
            role: user.role.as_str().to_owned(),
            organization: user.organization.clone(),
        }
    }
}

/// The answer to a sign-in.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginAnswer {
    /// Who signed in.
    pub user: AccountView,
    /// The value every write with the session cookie must send in `X-CSRF-Token`.
    pub csrf_token: String,
    /// When the session ends (RFC 3339).
    pub expires_at: String,
}

/// The caller's account and how it signed in.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    /// Its name.
    pub username: String,
    /// Its role.
    pub role: String,
    /// Its organization's slug.
    pub organization: Option<String>,
    /// `session` (cookie) or `token` (bearer).
    pub via: String,
    /// The session's CSRF token (when signed in by the cookie).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
    /// When the session or token stops working (RFC 3339).
    pub expires_at: String,
}

/// The `Set-Cookie` value of the session cookie holding `value` for `max_age` seconds (0
/// clears it).
fn session_cookie(state: &AppState, value: &str, max_age: i64) -> Result<HeaderValue> {
    let secure = state
        .config()
        .public_url
        .as_deref()
        .is_some_and(|url| url.to_ascii_lowercase().starts_with("https://"));
    let mut cookie = format!("{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}");
    if secure {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie).map_err(|e| Error::Internal {
        detail: format!("session cookie: {e}"),
    })
}

/// Signs in with a password: a session cookie and its CSRF token.
#[utoipa::path(post, path = "/api/v1/auth/login", operation_id = "auth_login", tag = "akun",
    params(crate::openapi::LangParam),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the session is in the `satudata_sesi` cookie", body = LoginAnswer,
            headers(("set-cookie" = String, description = "satudata_sesi=...; HttpOnly; SameSite=Strict; Path=/; Max-Age=..."))),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Refused: the same answer for an unknown account, a wrong password and a locked one", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "A body of the wrong shape", body = ErrorBody),
    ))]
pub async fn login(State(state): State<AppState>, ApiJson(request): ApiJson<LoginRequest>) -> Result<Response> {
    let catalog = state.center().catalog();
    let now = Utc::now();
    let user = match catalog.login(&request.username, &request.password, now).await? {
        Login::SignedIn(user) => user,
        Login::Refused => return Err(Error::LoginFailed),
    };
    let issued = catalog
        .create_session(&user, satudata_auth::SESSION_LIFETIME, now)
        .await?;
    let cookie = session_cookie(
        &state,
        issued.secret.expose(),
        satudata_auth::SESSION_LIFETIME.num_seconds(),
    )?;
    let answer = LoginAnswer {
        user: AccountView::from(&user),
        csrf_token: issued.session.csrf,
        expires_at: issued.session.token.expires_at,
    };
    let mut response = Json(answer).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

/// Signs out: ends the cookie's session and clears the cookie (a write: needs `X-CSRF-Token`).
#[utoipa::path(post, path = "/api/v1/auth/logout", operation_id = "auth_logout", tag = "akun",
    params(crate::openapi::LangParam),
    security((), ("cookie" = [])),
    responses(
        (status = 204, description = "Signed out; the cookie is cleared"),
        (status = 401, description = "A bearer token that is not known", body = ErrorBody),
        (status = 403, description = "A cookie without the session's X-CSRF-Token", body = ErrorBody),
    ))]
pub async fn logout(State(state): State<AppState>, identity: Identity) -> Result<Response> {
    if let Via::Session { secret, .. } = &identity.via {
        state.center().catalog().end_session(secret, Utc::now()).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&state, "", 0)?);
    Ok(response)
}

/// The caller's account, and how it signed in.
#[utoipa::path(get, path = "/api/v1/me", operation_id = "me", tag = "akun",
    params(crate::openapi::LangParam),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The caller's account", body = MeView),
        (status = 401, description = "Not signed in, or a bearer token that is not known", body = ErrorBody),
    ))]
pub async fn me(identity: Identity) -> Result<Json<MeView>> {
    let user = identity.signed_in()?;
    let (via, csrf_token, expires_at) = match &identity.via {
        Via::Session { session, .. } => ("session", Some(session.csrf.clone()), session.token.expires_at.clone()),
        Via::Token { token, .. } => ("token", None, token.expires_at.clone()),
        Via::Anonymous => return Err(Error::Unauthenticated),
    };
    let account = AccountView::from(user);
    Ok(Json(MeView {
        username: account.username,
        role: account.role,
        organization: account.organization,
        via: via.to_owned(),
        csrf_token,
        expires_at,
    }))
}
