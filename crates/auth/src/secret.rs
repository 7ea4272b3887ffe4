//! Random secrets: API tokens, session secrets and CSRF tokens.
//!
//! A secret is 256 random bits written in base64url without padding (43 characters) behind a
//! prefix naming its kind, so that a leaked one is recognised by secret scanners and by people
//! (`sdt_…` in a log is an API token). The catalog stores only its SHA-256: a fast hash is
//! right here, unlike for passwords, because a 256-bit random value cannot be guessed, so
//! nothing is gained by making each guess slow; and a fast hash lets the token be found by an
//! index on its hash. Lookup by that index is not constant-time, which leaks nothing useful: an
//! attacker learns about a hash's bytes, not the secret's. The stored prefix (the first
//! [`Secret::PREFIX_CHARS`] characters) names a token in lists without revealing it.

use std::fmt;

use base64ct::{Base64UrlUnpadded, Encoding as _};
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

use crate::{Result, random};

/// What a secret opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// An API token, sent as `Authorization: Bearer`.
    Api,
    /// A signed-in browser session, sent as a cookie.
    Session,
}

impl SecretKind {
    /// The text in front of every secret of this kind.
    pub fn prefix(self) -> &'static str {
        match self {
            SecretKind::Api => "sdt_",
            SecretKind::Session => "sds_",
        }
    }

    /// The word the catalog stores (`api`, `session`).
    pub fn as_str(self) -> &'static str {
        match self {
            SecretKind::Api => "api",
            SecretKind::Session => "session",
        }
    }
}

/// Random bytes in a secret.
const SECRET_BYTES: usize = 32;

/// Characters of base64url for [`SECRET_BYTES`] bytes, without padding.
const ENCODED_CHARS: usize = 43;

/// An API token or session secret. Its `Debug` shows the prefix only, so it never lands in a
/// log whole.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    kind: SecretKind,
    text: String,
}

impl Secret {
    /// Characters shown in lists: the kind's prefix and 8 characters (48 of the 256 bits).
    pub const PREFIX_CHARS: usize = 12;

    /// A new random secret of `kind`.
    pub fn generate(kind: SecretKind) -> Result<Secret> {
        let mut bytes = [0u8; SECRET_BYTES];
        random(&mut bytes)?;
        Ok(Secret {
            kind,
            text: format!("{}{}", kind.prefix(), encode(&bytes)),
        })
    }

    /// The secret written in `text`, if it has a secret's shape (prefix, 43 base64url
    /// characters); anything else is not a secret this system made.
    pub fn parse(text: &str) -> Option<Secret> {
        let kind = [SecretKind::Api, SecretKind::Session]
            .into_iter()
            .find(|k| text.starts_with(k.prefix()))?;
        let body = &text[kind.prefix().len()..];
        let shaped = body.len() == ENCODED_CHARS
            && body
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && Base64UrlUnpadded::decode_vec(body).is_ok_and(|b| b.len() == SECRET_BYTES);
        shaped.then(|| Secret {
            kind,
            text: text.to_owned(),
        })
    }

    /// Its kind.
    pub fn kind(&self) -> SecretKind {
        self.kind
    }

    /// The whole secret, to show once or to send.
    pub fn expose(&self) -> &str {
        &self.text
    }

    /// The SHA-256 (hex) the catalog keeps instead of the secret.
    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(self.text.as_bytes()))
    }

    /// Its first [`Secret::PREFIX_CHARS`] characters, to tell tokens apart in lists.
    pub fn prefix(&self) -> &str {
        &self.text[..Self::PREFIX_CHARS]
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({}…)", self.prefix())
    }
}

/// A new CSRF token for a session: 256 random bits, base64url. It is kept with the session
/// (not derived from it with a server key, so that any number of servers sharing the catalog
/// accept it with no key to distribute) and every cookie-authenticated write must send it back.
pub fn csrf_token() -> Result<String> {
    let mut bytes = [0u8; SECRET_BYTES];
    random(&mut bytes)?;
    Ok(encode(&bytes))
}

/// Whether two secrets (or their hashes) are equal, in time that does not depend on where
/// they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// `bytes` in base64url without padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn secrets_have_their_kind_prefix_and_256_bits() {
        let api = Secret::generate(SecretKind::Api).unwrap();
        let session = Secret::generate(SecretKind::Session).unwrap();
        assert!(
            api.expose().starts_with("sdt_") && api.expose().len() == 4 + 43,
            "{api:?}"
        );
        assert!(session.expose().starts_with("sds_"));
        assert_ne!(api.expose()[4..], session.expose()[4..]);
        assert_eq!(Secret::parse(api.expose()), Some(api.clone()));
        assert_eq!(Secret::parse(session.expose()).unwrap().kind(), SecretKind::Session);
        assert_eq!(api.prefix(), &api.expose()[..12]);
        assert_eq!(api.sha256().len(), 64);
        assert!(!format!("{api:?}").contains(&api.expose()[12..]));
    }

    #[test]
    fn text_without_a_secrets_shape_is_refused() {
        let api = Secret::generate(SecretKind::Api).unwrap();
        let text = api.expose();
        for bad in [
            "",
            "sdt_",
            &text[..text.len() - 1],
            &format!("{text}A"),
            &format!("xyz_{}", &text[4..]),
            &format!("sdt_{}", "+".repeat(43)),
            &format!("sdt_{}é", &text[4..46]),
        ] {
            assert_eq!(Secret::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn comparison_is_exact() {
        let csrf = csrf_token().unwrap();
        assert_eq!(csrf.len(), 43);
        assert!(same_secret(&csrf, &csrf.clone()));
        assert!(!same_secret(&csrf, &csrf[..42]));
        assert!(!same_secret(&csrf, &csrf_token().unwrap()));
    }
}
