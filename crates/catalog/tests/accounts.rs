//! Accounts, sign-in, tokens and sessions through the catalog's public API, with the clock
//! passed in.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeDelta, Utc};
use satudata_catalog::{AccountProblem, AuditCheck, Catalog, Error, Login, NewUser};
use satudata_core::Organization;
use satudata_core::access::{Actor, Role};

const PASSWORD: &str = "kata sandi panjang sekali";

async fn catalog(dir: &tempfile::TempDir) -> Catalog {
    let c = Catalog::open_sqlite(&dir.path().join("katalog.db")).await.unwrap();
    let org = Organization {
        slug: "disdukcapil".into(),
        nama: "Dinas Kependudukan dan Pencatatan Sipil".into(),
        singkatan: "Disdukcapil".into(),
        kode_wilayah: "61.71".into(),
        email: String::new(),
    };
    c.put_organization(&org, "admin").await.unwrap();
    c
}

fn alice() -> NewUser<'static> {
    NewUser {
        username: "alice",
        role: Role::Produsen,
        organization: Some("disdukcapil"),
        password: PASSWORD,
    }
}

fn t0() -> DateTime<Utc> {
    "2026-12-02T08:00:00Z".parse().unwrap()
}

async fn actions(c: &Catalog) -> Vec<String> {
    c.audit_entries().await.unwrap().into_iter().map(|e| e.action).collect()
}

#[tokio::test]
async fn accounts_are_created_once_and_their_hash_stays_out_of_the_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let c = catalog(&dir).await;
    let user = c.create_user(&alice(), "admin").await.unwrap();
    assert_eq!(user.username, "alice");
    assert_eq!(user.actor(), Actor::user("alice", Role::Produsen, Some("disdukcapil")));
    assert!(matches!(
        c.create_user(&alice(), "admin").await,
        Err(Error::Account(AccountProblem::UserExists(name))) if name == "alice"
    ));
    assert_eq!(c.user_by_name("alice").await.unwrap(), Some(user.clone()));
    assert_eq!(c.user_by_name("bob").await.unwrap(), None);
    assert_eq!(c.users().await.unwrap(), vec![user]);
    let entries = c.audit_entries().await.unwrap();
    let created = entries.iter().find(|e| e.action == "users.created").unwrap();
    assert_eq!(created.subject, "alice");
    assert!(!created.detail.contains("argon2"), "{}", created.detail);
    assert_eq!(c.verify_audit().await.unwrap(), AuditCheck::Intact { entries: 2 });
}

#[tokio::test]
async fn names_passwords_and_organizations_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let c = catalog(&dir).await;
    let bad_name = NewUser {
        username: "Alice",
        ..alice()
    };
    assert!(matches!(
        c.create_user(&bad_name, "admin").await,
        Err(Error::Auth(satudata_auth::Error::Username(_)))
    ));
    let short = NewUser {
        password: "pendek",
        ..alice()
    };
    assert!(matches!(
        c.create_user(&short, "admin").await,
        Err(Error::Auth(satudata_auth::Error::PasswordTooShort { .. }))
    ));
    let no_org = NewUser {
        organization: None,
        ..alice()
    };
    assert!(matches!(
        c.create_user(&no_org, "admin").await,
        Err(Error::Account(AccountProblem::OrganizationRequired(_)))
    ));
    let unknown_org = NewUser {
        organization: Some("dinas-fiktif"),
        ..alice()
    };
    assert!(matches!(
        c.create_user(&unknown_org, "admin").await,
        Err(Error::NotFound {
            kind: "organization",
            ..
        })
    ));
    // A walidata daerah may have no organization, but cannot then become a produsen.
    let wati = NewUser {
        username: "wati",
        role: Role::Walidata,
        organization: None,
        password: PASSWORD,
    };
    c.create_user(&wati, "admin").await.unwrap();
    assert!(matches!(
        c.set_role("wati", Role::Produsen, "admin").await,
        Err(Error::Account(AccountProblem::OrganizationRequired(_)))
    ));
    assert_eq!(
        c.set_role("wati", Role::Admin, "admin").await.unwrap().role,
        Role::Admin
    );
    assert!(matches!(
        c.set_role("bob", Role::Admin, "admin").await,
        Err(Error::Account(AccountProblem::NoSuchUser(_)))
    ));
    assert_eq!(actions(&c).await.last().unwrap(), "users.role_changed");
}

#[tokio::test]
async fn an_unknown_name_and_a_wrong_password_get_the_same_answer() {
    let dir = tempfile::tempdir().unwrap();
    let c = catalog(&dir).await;
    c.create_user(&alice(), "admin").await.unwrap();
    assert_eq!(c.login("bob", PASSWORD, t0()).await.unwrap(), Login::Refused);
    assert_eq!(
        c.login("alice", "kata sandi yang salah", t0()).await.unwrap(),
        Login::Refused
    );
    assert_eq!(c.login("Not A Name!", PASSWORD, t0()).await.unwrap(), Login::Refused);
    let Login::SignedIn(user) = c.login("alice", PASSWORD, t0()).await.unwrap() else {
        panic!("the right password must sign in")
    };
    assert_eq!(user.failed_logins, 0);
    let log = c.audit_entries().await.unwrap();
    let reasons: Vec<_> = log
        .iter()
        .filter(|e| e.action == "auth.login_failed")
        .map(|e| (e.subject.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(reasons.len(), 3);
    assert!(
        reasons[0].1.contains("unknown") && reasons[1].1.contains("password"),
        "{reasons:?}"
    );
    assert_eq!(log.last().unwrap().action, "auth.login");
}

#[tokio::test]
async fn five_failures_lock_out_for_a_minute_then_doubling() {
    let dir = tempfile::tempdir().unwrap();
    let c = catalog(&dir).await;
    c.create_user(&alice(), "admin").await.unwrap();
    for _ in 0..5 {
        assert_eq!(
            c.login("alice", "tebakan yang salah", t0()).await.unwrap(),
            Login::Refused
        );
    }
    let user = c.user_by_name("alice").await.unwrap().unwrap();
    assert_eq!(user.failed_logins, 5);
    assert!(user.locked_out(t0() + TimeDelta::seconds(59)));
    assert!(!user.locked_out(t0() + TimeDelta::seconds(61)));
    assert_eq!(actions(&c).await.last().unwrap(), "auth.locked");
    // During the lock-out even the right password is refused, and the attempt does not count.
    let during = t0() + TimeDelta::seconds(30);
    assert_eq!(c.login("alice", PASSWORD, during).await.unwrap(), Login::Refused);
    assert_eq!(c.user_by_name("alice").await.unwrap().unwrap().failed_logins, 5);
    // After it, one more failure locks for two minutes.
    let after = t0() + TimeDelta::seconds(61);
    assert_eq!(
        c.login("alice", "tebakan yang salah", after).await.unwrap(),
        Login::Refused
    );
    let user = c.user_by_name("alice").await.unwrap().unwrap();
    assert!(user.locked_out(after + TimeDelta::seconds(119)));
    assert!(!user.locked_out(after + TimeDelta::seconds(121)));
    // The right password after the lock-out signs in and clears the count.
    let later = after + TimeDelta::seconds(121);
    assert!(matches!(c.login("alice", PASSWORD, later).await.unwrap(), Login::SignedIn(u) if u.failed_logins == 0));
    assert_eq!(c.verify_audit().await.unwrap(), AuditCheck::Intact { entries: 12 });
}

#[tokio::test]
async fn tokens_expire_are_revoked_and_stop_with_a_locked_account() {
    let dir = tempfile::tempdir().unwrap();
    let c = catalog(&dir).await;
    c.create_user(&alice(), "admin").await.unwrap();
    let issued = c
        .create_token("alice", "pipeline", TimeDelta::days(90), "admin", t0())
        .await
        .unwrap();
    let secret = issued.secret.expose().to_owned();
    assert!(secret.starts_with("sdt_"));
    assert_eq!(issued.token.prefix, &secret[..12]);
    let (user, token) = c.authenticate_token(&secret, t0()).await.unwrap().unwrap();
    assert_eq!((user.username.as_str(), token.id), ("alice", issued.token.id));
    assert_eq!(token.last_used_at.as_deref(), Some("2026-12-02T08:00:00.000Z"));
    // Used again within the minute: the last use is not rewritten.
    let (_, token) = c
        .authenticate_token(&secret, t0() + TimeDelta::seconds(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(token.last_used_at.as_deref(), Some("2026-12-02T08:00:00.000Z"));
    let (_, token) = c
        .authenticate_token(&secret, t0() + TimeDelta::seconds(90))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(token.last_used_at.as_deref(), Some("2026-12-02T08:01:30.000Z"));
    // Expired, unknown, malformed: no one.
    assert!(
        c.authenticate_token(&secret, t0() + TimeDelta::days(90))
            .await
            .unwrap()
            .is_none()
    );
    let other = satudata_auth::Secret::generate(satudata_auth::SecretKind::Api).unwrap();
    assert!(c.authenticate_token(other.expose(), t0()).await.unwrap().is_none());
    assert!(c.authenticate_token("Bearer rubbish", t0()).await.unwrap().is_none());
    // Locked account: its token stops; unlocked: it works again.
    c.lock("alice", "admin").await.unwrap();
    assert!(c.authenticate_token(&secret, t0()).await.unwrap().is_none());
    c.unlock("alice", "admin").await.unwrap();
    assert!(c.authenticate_token(&secret, t0()).await.unwrap().is_some());
    // Revoked: gone for good; revoking again changes nothing.
    let revoked = c.revoke_token(issued.token.id, "admin", t0()).await.unwrap();
    assert!(revoked.revoked_at.is_some());
    assert!(c.authenticate_token(&secret, t0()).await.unwrap().is_none());
    assert_eq!(c.revoke_token(issued.token.id, "admin", t0()).await.unwrap(), revoked);
    assert!(matches!(
        c.revoke_token(999, "admin", t0()).await,
        Err(Error::Account(AccountProblem::NoSuchToken(999)))
    ));
    assert_eq!(c.tokens_of("alice").await.unwrap(), vec![revoked]);
    let log = actions(&c).await;
    assert_eq!(log.iter().filter(|a| *a == "tokens.revoked").count(), 1);
    assert!(log.contains(&"tokens.created".to_owned()) && log.contains(&"users.locked".to_owned()));
    assert!(matches!(
        c.create_token("alice", "a\nb", TimeDelta::days(1), "admin", t0()).await,
        Err(Error::Account(AccountProblem::TokenName))
    ));
    assert!(matches!(
        c.tokens_of("bob").await,
        Err(Error::Account(AccountProblem::NoSuchUser(_)))
    ));
}

#[tokio::test]
async fn sessions_carry_a_csrf_token_and_end_on_logout() {
    let dir = tempfile::tempdir().unwrap();
    let c = catalog(&dir).await;
    let user = c.create_user(&alice(), "admin").await.unwrap();
    let issued = c.create_session(&user, TimeDelta::hours(12), t0()).await.unwrap();
    let secret = issued.secret.expose().to_owned();
    assert!(secret.starts_with("sds_"));
    let (found, session) = c.session_by_secret(&secret, t0()).await.unwrap().unwrap();
    assert_eq!(found.username, "alice");
    assert!(satudata_auth::same_secret(&session.csrf, &issued.session.csrf));
    assert_eq!(session.csrf.len(), 43);
    // A session is not a bearer token, nor an API token a session.
    assert!(c.authenticate_token(&secret, t0()).await.unwrap().is_none());
    assert!(
        c.session_by_secret(&secret, t0() + TimeDelta::hours(12))
            .await
            .unwrap()
            .is_none()
    );
    // Sessions are not listed among API tokens.
    assert!(c.tokens_of("alice").await.unwrap().is_empty());
    assert!(c.end_session(&secret, t0()).await.unwrap());
    assert!(!c.end_session(&secret, t0()).await.unwrap());
    assert!(c.session_by_secret(&secret, t0()).await.unwrap().is_none());
    assert_eq!(actions(&c).await.last().unwrap(), "auth.logout");
}

#[tokio::test]
async fn old_sessions_are_purged_and_tokens_kept() {
    let dir = tempfile::tempdir().unwrap();
    let c = catalog(&dir).await;
    let user = c.create_user(&alice(), "admin").await.unwrap();
    let ended = c.create_session(&user, TimeDelta::hours(12), t0()).await.unwrap();
    c.end_session(ended.secret.expose(), t0()).await.unwrap();
    let live = c.create_session(&user, TimeDelta::hours(12), t0()).await.unwrap();
    c.create_token("alice", "pipa", TimeDelta::days(1), "admin", t0())
        .await
        .unwrap();
    // Within a day of their end nothing goes; the live session stays until a day after expiry.
    assert_eq!(c.purge_sessions(t0() + TimeDelta::hours(12)).await.unwrap(), 0);
    assert_eq!(c.purge_sessions(t0() + TimeDelta::hours(25)).await.unwrap(), 1);
    assert!(c.session_by_secret(live.secret.expose(), t0()).await.unwrap().is_some());
    assert_eq!(c.purge_sessions(t0() + TimeDelta::hours(37)).await.unwrap(), 1);
    assert_eq!(c.tokens_of("alice").await.unwrap().len(), 1);
}
