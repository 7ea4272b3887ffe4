//! Schemathesis (PyPI) fuzzes the running server from its own OpenAPI document: `satudata
//! serve` on a data directory with the demo's published releases, an admin's API token made
//! with the CLI, and `schemathesis run` with every check (no 5xx, responses and their content
//! types as documented, every status code documented, bad input refused). A seed, deterministic
//! generation and a cap on examples per operation bound the run and make it repeatable.
//!
//! Without schemathesis installed the test is skipped with a note; under `CI=true` (where
//! `.ci/run` installs it) its absence fails the test.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{Env, Serving};

/// Test cases per API operation and phase.
const MAX_EXAMPLES: &str = "40";
/// The fixed seed: the same run every time.
const SEED: &str = "20261203";

/// The installed schemathesis's version line, or why there is none.
fn schemathesis_version() -> Result<String, String> {
    match Command::new("schemathesis").arg("--version").output() {
        Ok(out) if out.status.success() => Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned()),
        Ok(out) => Err(format!(
            "schemathesis --version failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )),
        Err(e) => Err(format!("schemathesis not found: {e}")),
    }
}

/// The demo's data directory, plus an admin account and a token for it.
fn data_dir_with_token() -> (Env, String) {
    let env = Env::new();
    let demo = env.run(&["demo", "--no-serve"]);
    assert_eq!(demo.code, 0, "{}\n{}", demo.stdout, demo.stderr);
    let user = env.run(&["user", "add", "--role", "admin", "penguji"]);
    assert_eq!(user.code, 0, "{}\n{}", user.stdout, user.stderr);
    let token = env.run(&[
        "token",
        "create",
        "penguji",
        "--expires",
        "1d",
        "--name",
        "schemathesis",
    ]);
    assert_eq!(token.code, 0, "{}\n{}", token.stdout, token.stderr);
    // The secret is printed alone on the last line.
    let secret = token.stdout.lines().last().unwrap().trim().to_owned();
    assert!(secret.starts_with("sdt_"), "{}", token.stdout);
    (env, secret)
}

/// What one run printed, once it has passed.
fn fuzz(server: &Serving, scratch: &Path, label: &str, token: Option<&str>) -> String {
    let mut command = Command::new("schemathesis");
    command
        .current_dir(scratch)
        .env("NO_COLOR", "1")
        .arg("run")
        .arg(format!("{}/api/v1/openapi.json", server.url))
        .args(["--url", &server.url])
        .args(["--checks", "all"])
        // A body the document can only call an object (dataset metadata, a data standard) is
        // checked against standards JSON Schema cannot state here, so a schema-valid request can
        // rightly be refused with findings; the checks that matter stay: no 5xx, every status,
        // content type, header and body as documented.
        .args(["--exclude-checks", "positive_data_acceptance"])
        .args(["--max-examples", MAX_EXAMPLES])
        .args(["--seed", SEED])
        .arg("--generation-deterministic")
        .args(["--workers", "1"])
        .args(["--request-timeout", "10"])
        .arg("--no-color")
        .arg("--report-dir")
        .arg(scratch.join(format!("schemathesis-{label}")));
    if let Some(token) = token {
        command.args(["--header", &format!("Authorization: Bearer {token}")]);
    }
    let out = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "schemathesis ({label}) found problems ({:?}):\n{stdout}\n{stderr}",
        out.status
    );
    stdout
}

/// `(tested, total)` from the summary's `Selected: S/T` and `Tested: N` lines.
fn operations_tested(stdout: &str) -> (usize, usize) {
    let after = |prefix: &str| {
        stdout
            .lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(str::trim))
            .unwrap_or_else(|| panic!("no {prefix:?} line in:\n{stdout}"))
            .to_owned()
    };
    let total = after("Selected:")
        .split_once('/')
        .and_then(|(_, t)| t.parse().ok())
        .unwrap_or_else(|| panic!("Selected: in\n{stdout}"));
    let tested = after("Tested:")
        .parse()
        .unwrap_or_else(|_| panic!("Tested: in\n{stdout}"));
    (tested, total)
}

#[test]
fn schemathesis_finds_nothing_wrong_with_the_api() {
    let version = match schemathesis_version() {
        Ok(v) => v,
        Err(why) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true and {why}: .ci/run installs it (pip install schemathesis)")
        }
        Err(why) => {
            eprintln!("skipped: {why} (pip install schemathesis; under CI=true this fails)");
            return;
        }
    };
    eprintln!("{version}");
    let (env, token) = data_dir_with_token();
    let server = Serving::start(&env);
    // Anonymous, as the public portal reads; then as the admin, with the token.
    for (label, token) in [("anonim", None), ("admin", Some(token.as_str()))] {
        let stdout = fuzz(&server, env.dir.path(), label, token);
        // It really tested every operation: a run that tested nothing would also pass.
        let (tested, total) = operations_tested(&stdout);
        assert!(tested == total && total >= 10, "{label}: {tested}/{total}\n{stdout}");
    }
}
