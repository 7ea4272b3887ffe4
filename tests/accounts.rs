//! `satudata user …` and `satudata token …` end to end: what they print, their exit codes, and
//! that what they print works against the catalog they wrote.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write as _;
use std::process::{Command, Stdio};

use chrono::Utc;
use common::{Env, Run, root};
use satudata_catalog::{Catalog, Login};

/// Runs `satudata --data-dir … ARGS` with `input` on its standard input.
fn run_with_stdin(env: &Env, args: &[&str], input: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_satudata"))
        .current_dir(root())
        .env_remove("SATUDATA_LANG")
        .arg("--data-dir")
        .arg(env.data_dir())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap().into()
}

async fn catalog(env: &Env) -> Catalog {
    Catalog::open_sqlite(&env.data_dir().join("catalog.db")).await.unwrap()
}

fn ok(run: &Run) -> &str {
    assert_eq!(run.code, 0, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    &run.stdout
}

#[tokio::test]
async fn a_generated_password_is_printed_once_and_signs_in() {
    let env = Env::with_region_only();
    let run = env.run(&["user", "add", "--org", "disdukcapil", "--role", "produsen", "alice"]);
    let out = ok(&run);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("Akun alice dibuat: produsen (walidata pembantu), PD disdukcapil")
    );
    let line = lines.next().unwrap();
    let password = line
        .strip_prefix("Kata sandi alice (hanya ditampilkan kali ini; simpan sekarang): ")
        .unwrap();
    assert_eq!(password.chars().count(), 20, "{line}");
    assert_eq!(lines.next(), None);
    let c = catalog(&env).await;
    assert!(matches!(
        c.login("alice", password, Utc::now()).await.unwrap(),
        Login::SignedIn(_)
    ));
    // Nowhere else: not in the list, not in the audit log.
    let list = env.run(&["--lang", "en", "user", "list"]);
    assert_eq!(
        ok(&list),
        "ACCOUNT  ROLE      ORGANIZATION  STATUS\nalice    produsen  disdukcapil   active\n"
    );
    for e in c.audit_entries().await.unwrap() {
        assert!(!e.detail.contains(password) && !e.detail.contains("argon2"), "{e:?}");
    }
    // Taken names and produsen without an organization are usage errors.
    let again = env.run(&["user", "add", "--org", "disdukcapil", "--role", "produsen", "alice"]);
    assert_eq!((again.code, again.stderr.trim()), (2, "galat: Akun alice sudah ada"));
    let no_org = env.run(&["--lang", "en", "user", "add", "--role", "produsen", "bob"]);
    assert_eq!(
        (no_org.code, no_org.stderr.trim()),
        (
            2,
            "error: The account bob needs an organization (--org) to be a producer"
        )
    );
}

#[tokio::test]
async fn a_password_from_stdin_is_taken_and_a_short_one_refused_in_both_languages() {
    let env = Env::with_region_only();
    let run = run_with_stdin(
        &env,
        &["user", "add", "--role", "walidata", "--password-stdin", "wati"],
        b"kata sandi wati panjang\r\n",
    );
    assert_eq!(ok(&run), "Akun wati dibuat: walidata daerah\n");
    let c = catalog(&env).await;
    let Login::SignedIn(wati) = c.login("wati", "kata sandi wati panjang", Utc::now()).await.unwrap() else {
        panic!("the password from stdin must sign in")
    };
    assert_eq!(wati.organization, None);

    let short = run_with_stdin(
        &env,
        &["user", "add", "--role", "admin", "--password-stdin", "adi"],
        b"pendek\n",
    );
    assert_eq!(short.code, 2);
    assert_eq!(
        short.stderr.trim(),
        "galat: Kata sandi terlalu pendek: perlu paling sedikit 12 karakter, ini 6"
    );
    let short = env.run(&[
        "--lang",
        "en",
        "user",
        "add",
        "--role",
        "admin",
        "--password",
        "pendek",
        "adi",
    ]);
    assert_eq!(short.code, 2);
    assert_eq!(
        short.stderr.trim(),
        "error: The password is too short: at least 12 characters are needed, it has 6"
    );
    assert_eq!(short.stdout, "");
    assert!(c.user_by_name("adi").await.unwrap().is_none());
    let empty = run_with_stdin(
        &env,
        &["user", "add", "--role", "admin", "--password-stdin", "adi"],
        b"",
    );
    assert_eq!(empty.code, 2, "{}", empty.stderr);
    let latin1 = run_with_stdin(
        &env,
        &["user", "add", "--role", "admin", "--password-stdin", "adi"],
        b"kata sandi \xe9t\xe9\n",
    );
    assert_eq!(latin1.code, 2);
    assert!(
        latin1
            .stderr
            .starts_with("galat: Kata sandi dari masukan standar (--password-stdin) tidak dapat dibaca: "),
        "{}",
        latin1.stderr
    );
    // Only the first line is the password.
    let two_lines = run_with_stdin(
        &env,
        &["user", "add", "--role", "admin", "--password-stdin", "adi"],
        b"baris pertama saja\nbaris kedua\n",
    );
    ok(&two_lines);
    assert!(matches!(
        c.login("adi", "baris pertama saja", Utc::now()).await.unwrap(),
        Login::SignedIn(_)
    ));
}

#[tokio::test]
async fn tokens_are_printed_once_listed_by_prefix_and_revoked() {
    let env = Env::with_region_only();
    ok(&env.run(&[
        "user",
        "add",
        "--org",
        "dinkes",
        "--role",
        "produsen",
        "--password",
        "kata sandi dinkes",
        "budi",
    ]));
    let run = env.run(&[
        "--lang",
        "en",
        "token",
        "create",
        "budi",
        "--expires",
        "30d",
        "--name",
        "pipeline",
    ]);
    let out = ok(&run);
    let (first, secret) = out.trim_end().split_once('\n').unwrap();
    assert!(first.starts_with("API token 1 for budi is valid until 20"), "{first}");
    assert!(
        first.ends_with(" UTC. Save it now; it will not be shown again:"),
        "{first}"
    );
    assert!(secret.starts_with("sdt_") && secret.len() == 47, "{secret}");
    let c = catalog(&env).await;
    let (user, token) = c.authenticate_token(secret, Utc::now()).await.unwrap().unwrap();
    assert_eq!((user.username.as_str(), token.name.as_str()), ("budi", "pipeline"));

    let list = env.run(&["token", "list", "budi"]);
    let list = ok(&list);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(lines[0].starts_with("NO  NAMA      AWALAN        DIBUAT"), "{list}");
    assert!(
        lines[1].starts_with(&format!("1   pipeline  {}  ", &secret[..12])),
        "{list}"
    );
    assert!(lines[1].ends_with("aktif"), "{list}");
    assert!(!list.contains(&secret[12..]));

    assert_eq!(ok(&env.run(&["token", "revoke", "1"])), "Token 1 milik budi dicabut\n");
    assert!(c.authenticate_token(secret, Utc::now()).await.unwrap().is_none());
    assert!(
        ok(&env.run(&["token", "list", "budi"]))
            .lines()
            .nth(1)
            .unwrap()
            .ends_with("dicabut")
    );
    let again = env.run(&["token", "revoke", "1"]);
    assert!(
        ok(&again).starts_with("Token 1 milik budi sudah dicabut pada 20"),
        "{}",
        again.stdout
    );

    let missing = env.run(&["token", "revoke", "7"]);
    assert_eq!(
        (missing.code, missing.stderr.trim()),
        (2, "galat: Tidak ada token nomor 7")
    );
    let long = env.run(&["--lang", "en", "token", "create", "budi", "--expires", "400d"]);
    assert_eq!(
        (long.code, long.stderr.trim()),
        (2, "error: The lifetime 400d is too long: at most 365 days (365d)")
    );
    let never = env.run(&["token", "create", "budi", "--expires", "never"]);
    assert_eq!(never.code, 2);
    assert!(
        never.stderr.contains("30m (menit), 12h (jam) atau 90d (hari)"),
        "{}",
        never.stderr
    );
    let nobody = env.run(&["token", "create", "siapa"]);
    assert_eq!((nobody.code, nobody.stderr.trim()), (2, "galat: Tidak ada akun siapa"));
    let actions: Vec<String> = c.audit_entries().await.unwrap().into_iter().map(|e| e.action).collect();
    assert!(
        actions.ends_with(&["tokens.created".into(), "tokens.revoked".into()]),
        "{actions:?}"
    );
}

#[test]
fn lock_unlock_and_role_say_what_they_did() {
    let env = Env::with_region_only();
    ok(&env.run(&[
        "user",
        "add",
        "--role",
        "walidata",
        "--password",
        "kata sandi wati panjang",
        "wati",
    ]));
    assert_eq!(
        ok(&env.run(&["user", "lock", "wati"])),
        "Akun wati dikunci: tidak dapat masuk, token dan sesinya tidak berlaku\n"
    );
    assert!(ok(&env.run(&["user", "list"])).ends_with("wati  walidata  -   dikunci\n"));
    assert_eq!(
        ok(&env.run(&["--lang", "en", "user", "unlock", "wati"])),
        "Account wati unlocked: it can sign in again, its failed sign-ins are cleared\n"
    );
    assert_eq!(
        ok(&env.run(&["user", "role", "wati", "admin"])),
        "Peran wati sekarang admin\n"
    );
    let bad = env.run(&["user", "role", "wati", "raja"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("peran tidak dikenal / unknown role: raja"),
        "{}",
        bad.stderr
    );
    let missing = env.run(&["--lang", "en", "user", "lock", "bob"]);
    assert_eq!(
        (missing.code, missing.stderr.trim()),
        (2, "error: There is no account bob")
    );
}
