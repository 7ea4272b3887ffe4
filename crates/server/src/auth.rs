//! Who is asking: the [`Caller`] extractor every handler takes, and [`Identity`] beside it for
//! the handlers that need to know how the caller signed in.
//!
//! The credentials a request carries ([`Credentials::from_headers`]: `Authorization: Bearer`,
//! else the `satudata_sesi` cookie) are [`identify`]d against the catalog:
//!
//! - nothing sent is anonymous;
//! - a bearer secret must be a live API token of an unlocked account; anything else (unknown,
//!   expired, revoked, a session secret, a locked account) is `unauthenticated` (401), since a
//!   client sending a token expects to act as someone;
//! - a session cookie of a live session is its account; an unknown or expired cookie is
//!   anonymous, so that a stale cookie never breaks public reads.
//!
//! A token or a session stands for its account's [`Actor`] and nothing more: a token never has
//! more rights than its user. Every request with an unsafe method (`POST`, `PUT`, `PATCH`,
//! `DELETE`) authenticated by the cookie must send the session's CSRF token back in
//! `X-CSRF-Token` ([`CSRF_HEADER`]), compared in constant time; otherwise it is `csrf-failed`
//! (403). The check is in the extractors, so every write route that takes a [`Caller`] or an
//! [`Identity`] has it without doing anything. The identity is worked out once per request and
//! kept in the request's extensions.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use chrono::{DateTime, Utc};
use satudata_catalog::{Session, Token, User};
use satudata_core::access::Actor;

use crate::error::Error;
use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "satudata_sesi";

/// The header a cookie-authenticated write carries the session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The credentials a request carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// None.
    None,
    /// An API token (`Authorization: Bearer ...`).
    Bearer(String),
    /// A session cookie's value.
    Session(String),
}

impl Credentials {
    /// Reads them from request headers; an `Authorization` header that is not a bearer token
    /// is refused.
    pub fn from_headers(headers: &HeaderMap) -> Result<Self, Error> {
        if let Some(value) = headers.get(header::AUTHORIZATION) {
            let value = value.to_str().map_err(|_| Error::Unauthenticated)?;
            let (scheme, token) = value.split_once(' ').ok_or(Error::Unauthenticated)?;
            let token = token.trim();
            if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
                return Err(Error::Unauthenticated);
            }
            return Ok(Credentials::Bearer(token.to_owned()));
        }
        let session = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == SESSION_COOKIE)
            .map(|(_, value)| value.to_owned());
        Ok(session.map_or(Credentials::None, Credentials::Session))
    }
}

/// How the caller was recognised.
#[derive(Debug, Clone)]
pub enum Via {
    /// Not at all: anonymous.
    Anonymous,
    /// By an API token.
    Token {
        /// The token's account.
        user: User,
        /// The token.
        token: Token,
    },
    /// By the session cookie.
    Session {
        /// The session's account.
        user: User,
        /// The session, with its CSRF token.
        session: Session,
        /// The cookie's value (to end the session).
        secret: String,
    },
}

/// The caller of a request and how it was recognised, as an extractor (it checks CSRF as
/// [`Caller`] does).
#[derive(Debug, Clone)]
pub struct Identity {
    /// The actor the access rules judge.
    pub actor: Actor,
    /// How it was recognised.
    pub via: Via,
}

impl Identity {
    /// The signed-in account, if any.
    pub fn user(&self) -> Option<&User> {
        match &self.via {
            Via::Anonymous => None,
            Via::Token { user, .. } | Via::Session { user, .. } => Some(user),
        }
    }

    /// The signed-in account, or `unauthenticated` (401).
    pub fn signed_in(&self) -> Result<&User, Error> {
        self.user().ok_or(Error::Unauthenticated)
    }
}

/// Who `credentials` stand for at `now`.
pub async fn identify(state: &AppState, credentials: Credentials, now: DateTime<Utc>) -> Result<Identity, Error> {
    let catalog = state.center().catalog();
    let via = match credentials {
        Credentials::None => Via::Anonymous,
        Credentials::Bearer(secret) => match catalog.authenticate_token(&secret, now).await? {
            Some((user, token)) => Via::Token { user, token },
            None => return Err(Error::Unauthenticated),
        },
        Credentials::Session(secret) => match catalog.session_by_secret(&secret, now).await? {
            Some((user, session)) => Via::Session { user, session, secret },
            None => Via::Anonymous,
        },
    };
    let actor = match &via {
        Via::Anonymous => Actor::anonymous(),
        Via::Token { user, .. } | Via::Session { user, .. } => user.actor(),
    };
    Ok(Identity { actor, via })
}

/// The actor `credentials` stand for now.
pub async fn resolve(state: &AppState, credentials: Credentials) -> Result<Actor, Error> {
    Ok(identify(state, credentials, Utc::now()).await?.actor)
}

/// Whether `method` may change state (and so needs CSRF protection under a cookie).
fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE)
}

/// Refuses a cookie-authenticated write whose `X-CSRF-Token` is not the session's.
fn check_csrf(method: &Method, headers: &HeaderMap, identity: &Identity) -> Result<(), Error> {
    let Via::Session { session, .. } = &identity.via else {
        return Ok(());
    };
    if !is_unsafe(method) {
        return Ok(());
    }
    let sent = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !session.csrf.is_empty() && satudata_auth::same_secret(sent, &session.csrf) {
        Ok(())
    } else {
        Err(Error::CsrfFailed)
    }
}

impl FromRequestParts<AppState> for Identity {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        if let Some(identity) = parts.extensions.get::<Identity>() {
            return Ok(identity.clone());
        }
        let credentials = Credentials::from_headers(&parts.headers)?;
        let identity = identify(state, credentials, Utc::now()).await?;
        check_csrf(&parts.method, &parts.headers, &identity)?;
        parts.extensions.insert(identity.clone());
        Ok(identity)
    }
}

/// The actor of a request, as an extractor.
#[derive(Debug, Clone)]
pub struct Caller(pub Actor);

impl FromRequestParts<AppState> for Caller {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        Identity::from_request_parts(parts, state)
            .await
            .map(|identity| Caller(identity.actor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(k.clone(), v.parse().unwrap());
        }
        h
    }

    #[test]
    fn credentials_are_read_from_the_bearer_header_or_the_cookie() {
        assert_eq!(Credentials::from_headers(&HeaderMap::new()).unwrap(), Credentials::None);
        assert_eq!(
            Credentials::from_headers(&headers(&[(header::AUTHORIZATION, "Bearer sd_abc")])).unwrap(),
            Credentials::Bearer("sd_abc".into())
        );
        assert_eq!(
            Credentials::from_headers(&headers(&[(header::COOKIE, "a=1; satudata_sesi=xyz")])).unwrap(),
            Credentials::Session("xyz".into())
        );
        assert_eq!(
            Credentials::from_headers(&headers(&[(header::COOKIE, "other=1")])).unwrap(),
            Credentials::None
        );
        for bad in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer  ", "sd_abc"] {
            assert!(matches!(
                Credentials::from_headers(&headers(&[(header::AUTHORIZATION, bad)])),
                Err(Error::Unauthenticated)
            ));
        }
    }

    #[test]
    fn only_unsafe_methods_need_csrf() {
        for safe in [Method::GET, Method::HEAD, Method::OPTIONS, Method::TRACE] {
            assert!(!is_unsafe(&safe), "{safe}");
        }
        for write in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert!(is_unsafe(&write), "{write}");
        }
    }
}
