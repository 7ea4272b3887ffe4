//! `satudata user …` and `satudata token …`: accounts and API tokens from the command line.
//!
//! Whoever runs these commands holds the data directory, so acts as the data center's
//! administrator; the audit log names them `admin`, as it does for `load`. Secrets (a generated
//! password, a token) are printed once and never again: the catalog keeps only their hashes.

use std::io::{BufRead as _, Read as _};
use std::process::ExitCode;

use anyhow::Result;
use chrono::{DateTime, Utc};
use clap::Subcommand;
use satudata_catalog::{Catalog, NewUser, Token, User};
use satudata_core::access::Role;
use satudata_core::{Lang, messages::render};

use crate::errors::Failure;

/// Who the audit log names for these commands.
const CLI_ACTOR: &str = "admin";

/// `satudata user`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Buat akun / create an account (without --password or --password-stdin, a generated
    /// password is printed once).
    Add {
        /// Peran / role: produsen (walidata pembantu of one PD), walidata (walidata daerah), admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// PD akun ini (slug) / the account's organization (slug): required for a produsen.
        #[arg(long)]
        org: Option<String>,
        /// Kata sandi / password (12 to 1024 characters); visible to other users of this
        /// machine in the process list: prefer --password-stdin.
        #[arg(long, conflicts_with = "password_stdin")]
        password: Option<String>,
        /// Baca kata sandi dari baris pertama masukan standar / read the password from the first
        /// line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Nama akun / account name: 2 to 64 of a-z 0-9 . _ -
        username: String,
    },
    /// Daftar akun / list the accounts.
    List,
    /// Kunci akun / lock an account: no sign-in, its tokens and sessions stop working.
    Lock {
        /// Account name.
        username: String,
    },
    /// Buka akun / unlock an account and clear its failed sign-ins.
    Unlock {
        /// Account name.
        username: String,
    },
    /// Ganti peran / give an account another role.
    Role {
        /// Account name.
        username: String,
        /// New role: produsen, walidata, admin.
        #[arg(value_parser = parse_role)]
        role: Role,
    },
}

/// `satudata token`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Buat token API / create an API token, printed once.
    Create {
        /// Account the token acts for (it never has more rights than the account).
        username: String,
        /// Masa berlaku / lifetime: 30m, 12h, 90d ... at most 365d.
        #[arg(long, default_value = "90d")]
        expires: String,
        /// Nama token / a name to recognise it by (`pipeline dinkes`).
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Daftar token API akun / list an account's API tokens.
    List {
        /// Account name.
        username: String,
    },
    /// Cabut token / revoke a token by its number.
    Revoke {
        /// Token number (from `token list`).
        id: i64,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
        .map_err(|_| format!("peran tidak dikenal / unknown role: {s} (produsen, walidata, admin)"))
}

/// Runs a `user` command on the catalog.
pub async fn user(catalog: &Catalog, command: UserCommand, lang: Lang) -> Result<ExitCode> {
    match command {
        UserCommand::Add {
            role,
            org,
            password,
            password_stdin,
            username,
        } => {
            let (password, generated) = match (password, password_stdin) {
                (Some(password), _) => (password, false),
                (None, true) => (read_password_stdin()?, false),
                (None, false) => (satudata_auth::generate_password()?, true),
            };
            let new = NewUser {
                username: &username,
                role,
                organization: org.as_deref(),
                password: &password,
            };
            let user = catalog.create_user(&new, CLI_ACTOR).await?;
            let role_words = render(lang, &format!("role.{}", user.role.as_str()), &[]);
            match &user.organization {
                Some(org) => say!(
                    "{}",
                    render(
                        lang,
                        "cli.user-added",
                        &[
                            ("username", &user.username),
                            ("role", &role_words),
                            ("organization", org)
                        ]
                    )
                ),
                None => say!(
                    "{}",
                    render(
                        lang,
                        "cli.user-added-no-org",
                        &[("username", &user.username), ("role", &role_words)]
                    )
                ),
            }
            if generated {
                say!(
                    "{}",
                    render(
                        lang,
                        "cli.user-password",
                        &[("username", &user.username), ("password", &password)]
                    )
                );
            }
        }
        UserCommand::List => {
            let users = catalog.users().await?;
            if users.is_empty() {
                say!("{}", render(lang, "cli.users.none", &[]));
            } else {
                let now = Utc::now();
                let rows = users.iter().map(|u| user_row(u, now, lang)).collect();
                put!(
                    "{}",
                    table(
                        &[
                            "cli.users.name",
                            "cli.users.role",
                            "cli.users.organization",
                            "cli.users.status"
                        ],
                        rows,
                        lang
                    )
                );
            }
        }
        UserCommand::Lock { username } => {
            let user = catalog.lock(&username, CLI_ACTOR).await?;
            say!("{}", render(lang, "cli.user-locked", &[("username", &user.username)]));
        }
        UserCommand::Unlock { username } => {
            let user = catalog.unlock(&username, CLI_ACTOR).await?;
            say!("{}", render(lang, "cli.user-unlocked", &[("username", &user.username)]));
        }
        UserCommand::Role { username, role } => {
            let user = catalog.set_role(&username, role, CLI_ACTOR).await?;
            let role_words = render(lang, &format!("role.{}", user.role.as_str()), &[]);
            say!(
                "{}",
                render(
                    lang,
                    "cli.user-role",
                    &[("username", &user.username), ("role", &role_words)]
                )
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs a `token` command on the catalog.
pub async fn token(catalog: &Catalog, command: TokenCommand, lang: Lang) -> Result<ExitCode> {
    let now = Utc::now();
    match command {
        TokenCommand::Create {
            username,
            expires,
            name,
        } => {
            let lifetime = satudata_auth::parse_lifetime(&expires)?;
            let issued = catalog.create_token(&username, &name, lifetime, CLI_ACTOR, now).await?;
            say!(
                "{}",
                render(
                    lang,
                    "cli.token-created",
                    &[
                        ("id", &issued.token.id.to_string()),
                        ("username", &issued.token.username),
                        ("expires", &shown_time(&issued.token.expires_at)),
                    ]
                )
            );
            say!("{}", issued.secret.expose());
        }
        TokenCommand::List { username } => {
            let tokens = catalog.tokens_of(&username).await?;
            if tokens.is_empty() {
                say!("{}", render(lang, "cli.tokens.none", &[("username", &username)]));
            } else {
                let rows = tokens.iter().map(|t| token_row(t, now, lang)).collect();
                let header = [
                    "cli.tokens.id",
                    "cli.tokens.name",
                    "cli.tokens.prefix",
                    "cli.tokens.created",
                    "cli.tokens.expires",
                    "cli.tokens.last-used",
                    "cli.tokens.status",
                ];
                put!("{}", table(&header, rows, lang));
            }
        }
        TokenCommand::Revoke { id } => {
            let before = catalog.token(id).await?;
            let token = catalog.revoke_token(id, CLI_ACTOR, now).await?;
            let id = token.id.to_string();
            match before.and_then(|t| t.revoked_at) {
                Some(at) => say!(
                    "{}",
                    render(
                        lang,
                        "cli.token-already-revoked",
                        &[("id", &id), ("username", &token.username), ("at", &shown_time(&at))]
                    )
                ),
                None => say!(
                    "{}",
                    render(lang, "cli.token-revoked", &[("id", &id), ("username", &token.username)])
                ),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The first line of standard input, without its line ending. At most a password's length is
/// read (four bytes a character), so a stream without line ends costs nothing.
fn read_password_stdin() -> Result<String> {
    let limit = satudata_auth::MAX_PASSWORD_CHARS * 4 + 2;
    let mut bytes = Vec::new();
    // Up to the first line end: a person typing at a terminal ends with Enter, not Ctrl+D.
    std::io::stdin()
        .lock()
        .take(limit as u64)
        .read_until(b'\n', &mut bytes)
        .map_err(|e| Failure::new("error.cli.password-stdin").because(e))?;
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let text = std::str::from_utf8(line).map_err(|_| {
        Failure::new("error.cli.password-stdin").because(std::io::Error::from(std::io::ErrorKind::InvalidData))
    })?;
    Ok(text.to_owned())
}

/// A stored time as a person reads it: `2027-03-02 18:45 UTC`.
fn shown_time(stamp: &str) -> String {
    DateTime::parse_from_rfc3339(stamp).map_or_else(
        |_| stamp.to_owned(),
        |t| t.with_timezone(&Utc).format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

fn user_row(user: &User, now: DateTime<Utc>, lang: Lang) -> Vec<String> {
    let status = if user.locked {
        render(lang, "cli.users.locked", &[])
    } else if let Some(until) = user.locked_until.as_deref().filter(|_| user.locked_out(now)) {
        render(lang, "cli.users.locked-out", &[("until", &shown_time(until))])
    } else {
        render(lang, "cli.users.active", &[])
    };
    vec![
        user.username.clone(),
        user.role.as_str().to_owned(),
        user.organization.clone().unwrap_or_else(|| "-".into()),
        status,
    ]
}

fn token_row(token: &Token, now: DateTime<Utc>, lang: Lang) -> Vec<String> {
    let status = if token.revoked_at.is_some() {
        "cli.tokens.revoked"
    } else if token.is_active(now) {
        "cli.tokens.active"
    } else {
        "cli.tokens.expired"
    };
    vec![
        token.id.to_string(),
        if token.name.is_empty() {
            "-".into()
        } else {
            token.name.clone()
        },
        token.prefix.clone(),
        shown_time(&token.created_at),
        shown_time(&token.expires_at),
        token.last_used_at.as_deref().map_or_else(|| "-".into(), shown_time),
        render(lang, status, &[]),
    ]
}

/// Rows under a header of catalog keys, each column as wide as its widest cell.
fn table(header: &[&str], rows: Vec<Vec<String>>, lang: Lang) -> String {
    let mut all = vec![header.iter().map(|k| render(lang, k, &[])).collect::<Vec<_>>()];
    all.extend(rows);
    let mut widths = vec![0; header.len()];
    for row in &all {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &all {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', w - cell.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_their_columns_and_times_read_as_minutes() {
        let text = table(
            &["cli.users.name", "cli.users.status"],
            vec![
                vec!["alice".into(), "aktif".into()],
                vec!["wati.d".into(), "dikunci".into()],
            ],
            Lang::Id,
        );
        assert_eq!(text, "AKUN    STATUS\nalice   aktif\nwati.d  dikunci\n");
        assert_eq!(shown_time("2027-03-02T18:45:12.345Z"), "2027-03-02 18:45 UTC");
        assert_eq!(shown_time("bukan waktu"), "bukan waktu");
    }
}
