//! Who is asking: the [`Caller`] extractor every handler takes.
//!
//! It reads the credentials a request carries (`Authorization: Bearer`, or the session cookie)
//! and [`resolve`]s them to an [`Actor`]. No accounts exist yet, so no credential is known:
//! nothing sent means anonymous, an unknown session cookie is treated as signed out (a stale
//! cookie must not break public reads), and a bearer token that is sent but unknown is
//! `unauthenticated` (401), since a client sending a token expects to act as someone. When
//! accounts come, [`resolve`] is the one function that changes.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use satudata_core::access::Actor;

use crate::error::Error;
use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "satudata_sesi";

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

/// The actor `credentials` stand for.
pub async fn resolve(state: &AppState, credentials: Credentials) -> Result<Actor, Error> {
    let _ = state; // accounts will be looked up in the state's catalog
    match credentials {
        Credentials::None | Credentials::Session(_) => Ok(Actor::anonymous()),
        Credentials::Bearer(_) => Err(Error::Unauthenticated),
    }
}

/// The actor of a request, as an extractor.
#[derive(Debug, Clone)]
pub struct Caller(pub Actor);

impl FromRequestParts<AppState> for Caller {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let credentials = Credentials::from_headers(&parts.headers)?;
        resolve(state, credentials).await.map(Caller)
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
}
