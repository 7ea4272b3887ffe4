//! Credentials of the Pusat Data: passwords, API tokens, session secrets and the rules of
//! accounts, with no I/O (the catalog stores what this crate makes).
//!
//! - **Passwords** ([`hash_password`], [`verify_password`]) are hashed with argon2id at the
//!   parameters OWASP recommends (19 MiB, 2 passes, 1 lane) into a PHC string
//!   (`$argon2id$v=19$m=19456,t=2,p=1$…`), after [`check_password`] holds them to
//!   [`MIN_PASSWORD_CHARS`]..=[`MAX_PASSWORD_CHARS`]. [`verify_unknown`] spends the same work for
//!   an account that does not exist, so that sign-in answers an unknown name and a wrong
//!   password alike, in kind and in time. [`generate_password`] makes the password `user add`
//!   prints when none is given.
//! - **Secrets** ([`Secret::generate`]): 256 random bits, base64url, behind a prefix that tells
//!   what they are (`sdt_` an API token, `sds_` a session), stored only as their SHA-256
//!   ([`Secret::sha256`]) and shown by their first characters ([`Secret::prefix`]). A session
//!   also gets a CSRF token ([`csrf_token`]), a random value kept with it and compared in
//!   constant time ([`same_secret`]).
//! - **Rules**: account names ([`check_username`]), the lock-out after failed sign-ins
//!   ([`lockout`]) and token lifetimes ([`parse_lifetime`], [`DEFAULT_TOKEN_DAYS`],
//!   [`SESSION_LIFETIME`]).
//!
//! ```
//! use satudata_auth::{Secret, SecretKind, hash_password, verify_password};
//! let phc = hash_password("kata sandi yang panjang").unwrap();
//! assert!(verify_password("kata sandi yang panjang", &phc).unwrap());
//! assert!(!verify_password("kata sandi yang lain", &phc).unwrap());
//! let token = Secret::generate(SecretKind::Api).unwrap();
//! assert!(token.expose().starts_with("sdt_"));
//! assert_eq!(Secret::parse(token.expose()).unwrap().sha256(), token.sha256());
//! ```

#![forbid(unsafe_code)]

mod localize;
mod password;
mod rules;
mod secret;

pub use password::{
    MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, check_password, generate_password, hash_password, verify_password,
    verify_unknown,
};
pub use rules::{
    DEFAULT_TOKEN_DAYS, LOCKOUT_AFTER, LOCKOUT_FIRST, LOCKOUT_MAX, MAX_LIFETIME_DAYS, SESSION_LIFETIME, USERNAME_CHARS,
    check_username, lockout, parse_lifetime,
};
pub use secret::{Secret, SecretKind, csrf_token, same_secret};

/// Errors of the credential rules.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A password shorter than [`MIN_PASSWORD_CHARS`].
    #[error("password has {chars} characters, fewer than {min}")]
    PasswordTooShort {
        /// Its length in characters.
        chars: usize,
        /// The minimum.
        min: usize,
    },
    /// A password longer than [`MAX_PASSWORD_CHARS`].
    #[error("password is longer than {max} characters")]
    PasswordTooLong {
        /// The maximum.
        max: usize,
    },
    /// An account name outside `[a-z0-9._-]{2,64}`.
    #[error("invalid account name {0:?}")]
    Username(String),
    /// A token lifetime that is not `30m`, `12h`, `90d` and the like.
    #[error("invalid lifetime {0:?}")]
    Lifetime(String),
    /// A token lifetime beyond [`MAX_LIFETIME_DAYS`].
    #[error("lifetime {value} is longer than {max_days} days")]
    LifetimeTooLong {
        /// What was asked.
        value: String,
        /// The maximum in days.
        max_days: i64,
    },
    /// A stored password hash is not a PHC string argon2 can read.
    #[error("stored password hash is unreadable: {0}")]
    StoredHash(String),
    /// Hashing failed (argon2 refused its input or parameters).
    #[error("password hashing failed: {0}")]
    Hash(String),
    /// The operating system gave no random bytes.
    #[error("no random bytes: {0}")]
    Random(String),
}

/// Result with the credential [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Fills `buf` with random bytes from the operating system.
pub(crate) fn random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| Error::Random(e.to_string()))
}
