//! Accounts, API tokens and sessions.
//!
//! A [`User`] has a name (`[a-z0-9._-]{2,64}`), a [`Role`] and, for a produsen always, an
//! organization; its password is kept as an argon2id PHC string that never leaves this module
//! (nor reaches the audit log). [`Catalog::login`] checks a password and records the attempt:
//! an unknown name, a wrong password and a locked account all give [`Login::Refused`], after
//! the same argon2 work, so that sign-in tells nobody which names exist; five failures in a row
//! lock the account for a minute, doubling with each further failure up to an hour
//! ([`satudata_auth::lockout`]). A lock-out holds back passwords only: an administrator's lock
//! ([`Catalog::lock`]) also stops the account's tokens and sessions.
//!
//! API tokens ([`Catalog::create_token`]) and sessions ([`Catalog::create_session`]) are rows of
//! one table, told apart by their kind; each is stored as the SHA-256 of its secret, which is
//! handed out once. A session also keeps its CSRF token. Every function that depends on the
//! time takes `now`, so tests can move the clock. Every change is in the audit log, in the same
//! transaction: `users.created`, `users.role_changed`, `users.locked`, `users.unlocked`,
//! `auth.login`, `auth.login_failed`, `auth.locked`, `auth.logout`, `tokens.created`,
//! `tokens.revoked`. Using a token is not a change and is not logged.
//!
//! The SQL here is written for both backends: `$N` placeholders, text timestamps (RFC 3339, UTC,
//! milliseconds, which sort as they compare), integer flags.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
pub use satudata_auth::SecretKind as TokenKind;
use satudata_auth::{Secret, same_secret};
use satudata_core::access::{Actor, Role};
use satudata_core::{Lang, Localize};
use sqlx::Row;

use crate::listing::{Listing, count, to_i64};
use crate::{Catalog, Error, Result, audit};

/// The catalog's database (the connection type the helpers below read on).
type Db = sqlx::Any;

/// Who the audit log names for what the system does on its own (a lock-out).
const SYSTEM_ACTOR: &str = "sistem";

/// Who the audit log names for a sign-in attempt that did not sign anyone in.
const ANONYMOUS_ACTOR: &str = "anonim";

/// Longest token name, in characters.
const TOKEN_NAME_CHARS: usize = 100;

/// How often the last use of a token is written, at most.
const LAST_USED_EVERY: TimeDelta = TimeDelta::minutes(1);

/// An account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Its number.
    pub id: i64,
    /// Its name.
    pub username: String,
    /// Its organization's slug (always there for a produsen).
    pub organization: Option<String>,
    /// Its role.
    pub role: Role,
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

impl User {
    /// The account as the access rules see it.
    pub fn actor(&self) -> Actor {
        Actor::user(&self.username, self.role, self.organization.as_deref())
    }

    /// Whether a lock-out after failed sign-ins is in force at `now`.
    pub fn locked_out(&self, now: DateTime<Utc>) -> bool {
        self.locked_until
            .as_deref()
            .is_some_and(|until| until > stamp(now).as_str())
    }
}

/// An account to create.
#[derive(Debug, Clone, Copy)]
pub struct NewUser<'a> {
    /// Its name (`[a-z0-9._-]{2,64}`).
    pub username: &'a str,
    /// Its role.
    pub role: Role,
    /// Its organization's slug: required for a produsen, optional otherwise (Diskominfo).
    pub organization: Option<&'a str>,
    /// Its password (12 to 1024 characters).
    pub password: &'a str,
}

/// An API token or a session, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Its number.
    pub id: i64,
    /// The account it acts for.
    pub username: String,
    /// API token or session.
    pub kind: TokenKind,
    /// What its owner called it (may be empty).
    pub name: String,
    /// The secret's first characters (`sdt_AbCdEfGh`), to tell tokens apart.
    pub prefix: String,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
    /// When it was last used, to the minute (RFC 3339).
    pub last_used_at: Option<String>,
    /// When it was revoked or, for a session, ended (RFC 3339).
    pub revoked_at: Option<String>,
}

impl Token {
    /// Whether it still opens anything at `now`: not revoked and not expired (its account's
    /// lock is checked on use).
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.as_str() > stamp(now).as_str()
    }
}

/// A new API token and its secret, which is shown this once and never stored.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    /// The token.
    pub token: Token,
    /// Its secret (`sdt_…`).
    pub secret: Secret,
}

/// A signed-in session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Its row.
    pub token: Token,
    /// The CSRF token every cookie-authenticated write must send back (compare it with
    /// [`satudata_auth::same_secret`]).
    pub csrf: String,
}

/// A new session and its secret, for the cookie.
#[derive(Debug, Clone)]
pub struct IssuedSession {
    /// The session.
    pub session: Session,
    /// Its secret (`sds_…`).
    pub secret: Secret,
}

/// The answer to a sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    /// The password is right and the account may sign in.
    SignedIn(User),
    /// Unknown name, wrong password, or the account is locked: one answer for all three.
    Refused,
}

/// Why an account or token operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccountProblem {
    /// The name is taken.
    #[error("account {0} already exists")]
    UserExists(String),
    /// A produsen account without an organization.
    #[error("account {0} needs an organization to be a produsen")]
    OrganizationRequired(String),
    /// No account has this name.
    #[error("no account {0}")]
    NoSuchUser(String),
    /// No token has this number.
    #[error("no token {0}")]
    NoSuchToken(i64),
    /// A token name too long or with control characters.
    #[error("invalid token name")]
    TokenName,
    /// A stored role the program does not know (the database was edited).
    #[error("stored role {0:?} is unknown")]
    StoredRole(String),
    /// The change would leave no admin who can sign in.
    #[error("account {0} is the last admin who can sign in")]
    LastAdmin(String),
}

/// Refuses to take `user` away from the admins who can sign in (demoted or locked) when no
/// other unlocked admin is left: nobody could manage the accounts any more.
async fn keep_an_admin(tx: &mut crate::Tx, user: &User) -> Result<()> {
    if user.role != Role::Admin || user.locked {
        return Ok(());
    }
    let others: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND locked = 0 AND id <> $1")
        .bind(user.id)
        .fetch_one(&mut **tx)
        .await?;
    if others == 0 {
        return Err(AccountProblem::LastAdmin(user.username.clone()).into());
    }
    Ok(())
}

impl Localize for AccountProblem {
    fn key(&self) -> &'static str {
        match self {
            AccountProblem::UserExists(_) => "error.account.exists",
            AccountProblem::OrganizationRequired(_) => "error.account.organization-required",
            AccountProblem::NoSuchUser(_) => "error.account.no-such-user",
            AccountProblem::NoSuchToken(_) => "error.account.no-such-token",
            AccountProblem::TokenName => "error.account.token-name",
            AccountProblem::StoredRole(_) => "error.account.stored-role",
            AccountProblem::LastAdmin(_) => "error.account.last-admin",
        }
    }

    fn args(&self, _: Lang) -> Vec<(&'static str, String)> {
        match self {
            AccountProblem::UserExists(name)
            | AccountProblem::OrganizationRequired(name)
            | AccountProblem::NoSuchUser(name)
            | AccountProblem::LastAdmin(name) => vec![("username", name.clone())],
            AccountProblem::NoSuchToken(id) => vec![("id", id.to_string())],
            AccountProblem::TokenName => vec![("max", TOKEN_NAME_CHARS.to_string())],
            AccountProblem::StoredRole(role) => vec![("role", role.clone())],
        }
    }
}

/// A time as the catalog stores it: RFC 3339, UTC, milliseconds (`2026-12-02T18:45:00.000Z`).
pub(crate) fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The columns [`user_at`] reads, in its order.
const USER_COLUMNS: &str =
    "u.id, u.username, u.organization, u.role, u.locked, u.failed_logins, u.locked_until, u.created_at, u.updated_at";

/// The columns [`token_at`] reads, in its order (with `users u` joined).
const TOKEN_COLUMNS: &str =
    "t.id, u.username, t.kind, t.name, t.prefix, t.created_at, t.expires_at, t.last_used_at, t.revoked_at";

/// Decodes the [`USER_COLUMNS`] starting at column `at`, on either backend.
fn user_at<R: Row>(r: &R, at: usize) -> Result<User>
where
    usize: sqlx::ColumnIndex<R>,
    String: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    i64: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let role: String = r.get(at + 3);
    Ok(User {
        id: r.get(at),
        username: r.get(at + 1),
        organization: r.get(at + 2),
        role: role.parse().map_err(|_| AccountProblem::StoredRole(role.clone()))?,
        locked: r.get::<i64, _>(at + 4) != 0,
        failed_logins: u32::try_from(r.get::<i64, _>(at + 5)).unwrap_or(u32::MAX),
        locked_until: r.get(at + 6),
        created_at: r.get(at + 7),
        updated_at: r.get(at + 8),
    })
}

/// Decodes the [`TOKEN_COLUMNS`] starting at column `at`, on either backend.
fn token_at<R: Row>(r: &R, at: usize) -> Token
where
    usize: sqlx::ColumnIndex<R>,
    String: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    i64: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let kind: String = r.get(at + 2);
    Token {
        id: r.get(at),
        username: r.get(at + 1),
        kind: if kind == TokenKind::Session.as_str() {
            TokenKind::Session
        } else {
            TokenKind::Api
        },
        name: r.get(at + 3),
        prefix: r.get(at + 4),
        created_at: r.get(at + 5),
        expires_at: r.get(at + 6),
        last_used_at: r.get(at + 7),
        revoked_at: r.get(at + 8),
    }
}

/// Runs argon2 (tens of milliseconds of one core) off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> satudata_auth::Result<T> + Send + 'static) -> Result<T> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => Ok(result?),
        Err(join) => Err(satudata_auth::Error::Hash(join.to_string()).into()),
    }
}

/// A name as the audit log may quote it from a sign-in form: at most 64 characters.
fn quoted_name(name: &str) -> String {
    name.chars().take(64).collect()
}

impl Catalog {
    /// Creates an account (audit: `users.created`, without the password hash).
    pub async fn create_user(&self, new: &NewUser<'_>, actor: &str) -> Result<User> {
        satudata_auth::check_username(new.username)?;
        if new.role == Role::Produsen && new.organization.is_none() {
            return Err(AccountProblem::OrganizationRequired(new.username.to_owned()).into());
        }
        let password = new.password.to_owned();
        let hash = blocking(move || satudata_auth::hash_password(&password)).await?;
        let now = stamp(Utc::now());
        let mut tx = self.begin().await?;
        if let Some(org) = new.organization {
            let found: Option<String> = sqlx::query_scalar("SELECT slug FROM organizations WHERE slug = $1")
                .bind(org)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(Error::NotFound {
                    kind: "organization",
                    key: org.to_owned(),
                });
            }
        }
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(new.username)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(AccountProblem::UserExists(new.username.to_owned()).into());
        }
        sqlx::query(
            "INSERT INTO users (username, organization, role, password_hash, locked, failed_logins, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 0, 0, $5, $6)",
        )
        .bind(new.username)
        .bind(new.organization)
        .bind(new.role.as_str())
        .bind(&hash)
        .bind(&now)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "role": new.role.as_str(), "organization": new.organization });
        audit::append(&mut tx, actor, "users.created", new.username, &detail).await?;
        let user = user_in(&mut tx, new.username).await?;
        tx.commit().await?;
        user.ok_or_else(|| AccountProblem::NoSuchUser(new.username.to_owned()).into())
    }

    /// The account named `username`, if there is one.
    pub async fn user_by_name(&self, username: &str) -> Result<Option<User>> {
        let mut conn = self.pool.acquire().await?;
        user_in(&mut conn, username).await
    }

    /// Every account, by name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.username"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| user_at(r, 0)).collect()
    }

    /// Gives an account another role (audit: `users.role_changed`, before and after); a
    /// produsen must have an organization.
    pub async fn set_role(&self, username: &str, role: Role, actor: &str) -> Result<User> {
        let mut tx = self.begin().await?;
        let user = user_in(&mut tx, username)
            .await?
            .ok_or_else(|| AccountProblem::NoSuchUser(username.to_owned()))?;
        if user.role == role {
            return Ok(user);
        }
        if role == Role::Produsen && user.organization.is_none() {
            return Err(AccountProblem::OrganizationRequired(username.to_owned()).into());
        }
        keep_an_admin(&mut tx, &user).await?;
        sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
            .bind(role.as_str())
            .bind(stamp(Utc::now()))
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "before": user.role.as_str(), "after": role.as_str() });
        audit::append(&mut tx, actor, "users.role_changed", username, &detail).await?;
        let user = user_in(&mut tx, username).await?;
        tx.commit().await?;
        user.ok_or_else(|| AccountProblem::NoSuchUser(username.to_owned()).into())
    }

    /// Locks an account: no sign-in, and its tokens and sessions stop working
    /// (audit: `users.locked`; nothing when it was locked already).
    pub async fn lock(&self, username: &str, actor: &str) -> Result<User> {
        self.set_locked(username, true, actor).await
    }

    /// Unlocks an account and clears its failed sign-ins and lock-out
    /// (audit: `users.unlocked`; nothing when there was nothing to clear).
    pub async fn unlock(&self, username: &str, actor: &str) -> Result<User> {
        self.set_locked(username, false, actor).await
    }

    async fn set_locked(&self, username: &str, locked: bool, actor: &str) -> Result<User> {
        let mut tx = self.begin().await?;
        let user = user_in(&mut tx, username)
            .await?
            .ok_or_else(|| AccountProblem::NoSuchUser(username.to_owned()))?;
        let changes = if locked {
            !user.locked
        } else {
            user.locked || user.failed_logins > 0 || user.locked_until.is_some()
        };
        if !changes {
            return Ok(user);
        }
        if locked {
            keep_an_admin(&mut tx, &user).await?;
        }
        let now = stamp(Utc::now());
        if locked {
            sqlx::query("UPDATE users SET locked = 1, updated_at = $1 WHERE id = $2")
                .bind(&now)
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query(
                "UPDATE users SET locked = 0, failed_logins = 0, locked_until = NULL, updated_at = $1 WHERE id = $2",
            )
            .bind(&now)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        }
        let action = if locked { "users.locked" } else { "users.unlocked" };
        let detail = serde_json::json!({ "failed_logins": user.failed_logins, "locked_until": user.locked_until });
        audit::append(&mut tx, actor, action, username, &detail).await?;
        let user = user_in(&mut tx, username).await?;
        tx.commit().await?;
        user.ok_or_else(|| AccountProblem::NoSuchUser(username.to_owned()).into())
    }

    /// Checks a sign-in with a password at `now` and records it: `auth.login` on success
    /// (failed sign-ins reset), `auth.login_failed` otherwise (with the reason, for the data
    /// center's eyes only), and `auth.locked` when this failure starts a lock-out.
    pub async fn login(&self, username: &str, password: &str, now: DateTime<Utc>) -> Result<Login> {
        let found = if satudata_auth::check_username(username).is_ok() {
            let row = sqlx::query(&format!(
                "SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.username = $1"
            ))
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
            match row {
                Some(r) => Some((user_at(&r, 0)?, r.get::<String, _>(9))),
                None => None,
            }
        } else {
            None
        };
        let password = password.to_owned();
        let refused = match found {
            None => "unknown",
            Some((user, _)) if user.locked => "locked",
            Some((user, _)) if user.locked_out(now) => "locked_out",
            Some((user, hash)) => {
                if blocking(move || satudata_auth::verify_password(&password, &hash)).await? {
                    return self.record_success(user).await;
                }
                return self.record_failure(user, now).await;
            }
        };
        // The same argon2 work as a wrong password, so the answer's time tells nothing.
        blocking(move || satudata_auth::verify_unknown(&password)).await?;
        let mut tx = self.begin().await?;
        let detail = serde_json::json!({ "reason": refused });
        audit::append(
            &mut tx,
            ANONYMOUS_ACTOR,
            "auth.login_failed",
            &quoted_name(username),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(Login::Refused)
    }

    async fn record_success(&self, user: User) -> Result<Login> {
        let mut tx = self.begin().await?;
        if user.failed_logins > 0 || user.locked_until.is_some() {
            sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
        }
        let detail = serde_json::json!({ "role": user.role.as_str(), "organization": user.organization });
        audit::append(&mut tx, &user.username, "auth.login", &user.username, &detail).await?;
        let signed_in = user_in(&mut tx, &user.username).await?;
        tx.commit().await?;
        Ok(signed_in.map_or(Login::Refused, Login::SignedIn))
    }

    async fn record_failure(&self, user: User, now: DateTime<Utc>) -> Result<Login> {
        let mut tx = self.begin().await?;
        // Counted by the database, so that concurrent attempts all count.
        let failures: i64 = sqlx::query_scalar(
            "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
        )
        .bind(user.id)
        .fetch_one(&mut *tx)
        .await?;
        let failures = u32::try_from(failures).unwrap_or(u32::MAX);
        let detail = serde_json::json!({ "reason": "password", "failed_logins": failures });
        audit::append(&mut tx, ANONYMOUS_ACTOR, "auth.login_failed", &user.username, &detail).await?;
        if let Some(lockout) = satudata_auth::lockout(failures) {
            let until = stamp(now + lockout);
            sqlx::query("UPDATE users SET locked_until = $1 WHERE id = $2")
                .bind(&until)
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
            let detail = serde_json::json!({ "failed_logins": failures, "until": until });
            audit::append(&mut tx, SYSTEM_ACTOR, "auth.locked", &user.username, &detail).await?;
        }
        tx.commit().await?;
        Ok(Login::Refused)
    }

    /// Makes an API token for `username`, valid for `lifetime` from `now`; its secret is in
    /// the answer only (audit: `tokens.created`).
    pub async fn create_token(
        &self,
        username: &str,
        name: &str,
        lifetime: TimeDelta,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<IssuedToken> {
        if name.chars().count() > TOKEN_NAME_CHARS || name.chars().any(char::is_control) {
            return Err(AccountProblem::TokenName.into());
        }
        let (token, secret, _) = self
            .insert_token(username, TokenKind::Api, name, lifetime, actor, now)
            .await?;
        Ok(IssuedToken { token, secret })
    }

    /// Starts a session for `user`, valid for `lifetime` from `now`, with its CSRF token. Not
    /// logged on its own: the sign-in that precedes it is (`auth.login`).
    pub async fn create_session(&self, user: &User, lifetime: TimeDelta, now: DateTime<Utc>) -> Result<IssuedSession> {
        let (token, secret, csrf) = self
            .insert_token(&user.username, TokenKind::Session, "", lifetime, &user.username, now)
            .await?;
        Ok(IssuedSession {
            session: Session {
                token,
                csrf: csrf.unwrap_or_default(),
            },
            secret,
        })
    }

    async fn insert_token(
        &self,
        username: &str,
        kind: TokenKind,
        name: &str,
        lifetime: TimeDelta,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(Token, Secret, Option<String>)> {
        let secret = Secret::generate(kind)?;
        let csrf = match kind {
            TokenKind::Session => Some(satudata_auth::csrf_token()?),
            TokenKind::Api => None,
        };
        let expires = now.checked_add_signed(lifetime).unwrap_or(DateTime::<Utc>::MAX_UTC);
        let mut tx = self.begin().await?;
        let user = user_in(&mut tx, username)
            .await?
            .ok_or_else(|| AccountProblem::NoSuchUser(username.to_owned()))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tokens (user_id, kind, name, prefix, sha256, csrf, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(user.id)
        .bind(kind.as_str())
        .bind(name)
        .bind(secret.prefix())
        .bind(secret.sha256())
        .bind(csrf.as_deref())
        .bind(stamp(now))
        .bind(stamp(expires))
        .fetch_one(&mut *tx)
        .await?;
        if kind == TokenKind::Api {
            let detail = serde_json::json!({
                "user": username, "name": name, "prefix": secret.prefix(), "expires_at": stamp(expires)
            });
            audit::append(&mut tx, actor, "tokens.created", &id.to_string(), &detail).await?;
        }
        let token = token_in(&mut tx, id).await?.ok_or(AccountProblem::NoSuchToken(id))?;
        tx.commit().await?;
        Ok((token, secret, csrf))
    }

    /// The API tokens of `username`, oldest first, revoked and expired ones too.
    pub async fn tokens_of(&self, username: &str) -> Result<Vec<Token>> {
        let mut conn = self.pool.acquire().await?;
        if user_in(&mut conn, username).await?.is_none() {
            return Err(AccountProblem::NoSuchUser(username.to_owned()).into());
        }
        let rows = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id \
             WHERE u.username = $1 AND t.kind = $2 ORDER BY t.id"
        ))
        .bind(username)
        .bind(TokenKind::Api.as_str())
        .fetch_all(&mut *conn)
        .await?;
        Ok(rows.iter().map(|r| token_at(r, 0)).collect())
    }

    /// The API token or session numbered `id`, if there is one.
    pub async fn token(&self, id: i64) -> Result<Option<Token>> {
        let mut conn = self.pool.acquire().await?;
        token_in(&mut conn, id).await
    }

    /// Revokes token `id` at `now` (audit: `tokens.revoked`); a revoked token stays revoked
    /// and is answered as it is.
    pub async fn revoke_token(&self, id: i64, actor: &str, now: DateTime<Utc>) -> Result<Token> {
        let mut tx = self.begin().await?;
        let token = token_in(&mut tx, id).await?.ok_or(AccountProblem::NoSuchToken(id))?;
        if token.revoked_at.is_some() {
            return Ok(token);
        }
        sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE id = $2")
            .bind(stamp(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "user": token.username, "kind": token.kind.as_str(), "prefix": token.prefix });
        audit::append(&mut tx, actor, "tokens.revoked", &id.to_string(), &detail).await?;
        let token = token_in(&mut tx, id).await?.ok_or(AccountProblem::NoSuchToken(id))?;
        tx.commit().await?;
        Ok(token)
    }

    /// The account and token an `Authorization: Bearer` secret stands for at `now`: `None`
    /// for anything but a live API token of an unlocked account (a session secret is not a
    /// bearer token). Records the use, at most once a minute.
    pub async fn authenticate_token(&self, secret: &str, now: DateTime<Utc>) -> Result<Option<(User, Token)>> {
        Ok(self
            .by_secret(secret, TokenKind::Api, now)
            .await?
            .map(|(user, token, _)| (user, token)))
    }

    /// The account and session a session cookie stands for at `now`: `None` for anything but a
    /// live session of an unlocked account.
    pub async fn session_by_secret(&self, secret: &str, now: DateTime<Utc>) -> Result<Option<(User, Session)>> {
        Ok(self
            .by_secret(secret, TokenKind::Session, now)
            .await?
            .map(|(user, token, csrf)| {
                let csrf = csrf.unwrap_or_default();
                (user, Session { token, csrf })
            }))
    }

    /// Ends the session a cookie holds (audit: `auth.logout`); false when it was not live.
    pub async fn end_session(&self, secret: &str, now: DateTime<Utc>) -> Result<bool> {
        let Some((user, session)) = self.session_by_secret(secret, now).await? else {
            return Ok(false);
        };
        let mut tx = self.begin().await?;
        let ended = sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(stamp(now))
            .bind(session.token.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if ended == 0 {
            return Ok(false);
        }
        let detail = serde_json::json!({ "session": session.token.id });
        audit::append(&mut tx, &user.username, "auth.logout", &user.username, &detail).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Removes sessions that expired or ended more than a day before `now`: a session lives 12
    /// hours, and without this every sign-in would stay in the table for ever. API tokens are
    /// kept (they are listed and audited by number). Returns how many were removed.
    pub async fn purge_sessions(&self, now: DateTime<Utc>) -> Result<u64> {
        let before = stamp(now - TimeDelta::days(1));
        let done = sqlx::query(
            "DELETE FROM tokens WHERE kind = 'session' AND (expires_at < $1 OR (revoked_at IS NOT NULL AND revoked_at < $1))",
        )
        .bind(before)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    async fn by_secret(
        &self,
        text: &str,
        kind: TokenKind,
        now: DateTime<Utc>,
    ) -> Result<Option<(User, Token, Option<String>)>> {
        let Some(secret) = Secret::parse(text).filter(|s| s.kind() == kind) else {
            return Ok(None);
        };
        let sha256 = secret.sha256();
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, {TOKEN_COLUMNS}, t.sha256, t.csrf FROM tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.sha256 = $1 AND t.kind = $2"
        ))
        .bind(&sha256)
        .bind(kind.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let stored: String = row.get(18);
        if !same_secret(&stored, &sha256) {
            return Ok(None);
        }
        let user = user_at(&row, 0)?;
        let mut token = token_at(&row, 9);
        let csrf: Option<String> = row.get(19);
        if user.locked || !token.is_active(now) {
            return Ok(None);
        }
        let due = stamp(now - LAST_USED_EVERY);
        if token.last_used_at.as_deref().is_none_or(|last| last <= due.as_str()) {
            let used = stamp(now);
            sqlx::query("UPDATE tokens SET last_used_at = $1 WHERE id = $2")
                .bind(&used)
                .bind(token.id)
                .execute(&self.pool)
                .await?;
            token.last_used_at = Some(used);
        }
        Ok(Some((user, token, csrf)))
    }
}

impl Catalog {
    /// One page of the accounts, by name (for the administrators' list).
    pub async fn list_users(&self, limit: u64, offset: u64) -> Result<Listing<User>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u ORDER BY u.username LIMIT $1 OFFSET $2"
        ))
        .bind(to_i64(limit))
        .bind(to_i64(offset))
        .fetch_all(&self.pool)
        .await?;
        let items = rows.iter().map(|r| user_at(r, 0)).collect::<Result<Vec<_>>>()?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(Listing {
            items,
            total: count(total),
        })
    }

    /// One page of the API tokens, oldest first, revoked and expired ones too: those of
    /// `username`, or every account's when `None`.
    pub async fn list_tokens(&self, username: Option<&str>, limit: u64, offset: u64) -> Result<Listing<Token>> {
        // Two texts rather than `$2 IS NULL OR ...`, whose parameter type PostgreSQL cannot infer.
        let whose = if username.is_some() { "AND u.username = $2" } else { "" };
        let (limit_at, offset_at) = if username.is_some() { ("$3", "$4") } else { ("$2", "$3") };
        let from = format!("FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.kind = $1 {whose}");
        let select = format!("SELECT {TOKEN_COLUMNS} {from} ORDER BY t.id LIMIT {limit_at} OFFSET {offset_at}");
        let mut query = sqlx::query(&select).bind(TokenKind::Api.as_str());
        let count_text = format!("SELECT COUNT(*) {from}");
        let mut counted = sqlx::query_scalar::<_, i64>(&count_text).bind(TokenKind::Api.as_str());
        if let Some(name) = username {
            query = query.bind(name);
            counted = counted.bind(name);
        }
        let rows = query
            .bind(to_i64(limit))
            .bind(to_i64(offset))
            .fetch_all(&self.pool)
            .await?;
        let total = counted.fetch_one(&self.pool).await?;
        Ok(Listing {
            items: rows.iter().map(|r| token_at(r, 0)).collect(),
            total: count(total),
        })
    }
}

/// The account named `username`, read on `conn` (a transaction or a pooled connection).
async fn user_in(conn: &mut <Db as sqlx::Database>::Connection, username: &str) -> Result<Option<User>> {
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1"))
        .bind(username)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| user_at(&r, 0)).transpose()
}

/// Token `id`, read on `conn`.
async fn token_in(conn: &mut <Db as sqlx::Database>::Connection, id: i64) -> Result<Option<Token>> {
    let row = sqlx::query(&format!(
        "SELECT {TOKEN_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| token_at(&r, 0)))
}
