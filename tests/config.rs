//! The configuration file end to end: `satudata.toml` in the data directory or `--config FILE`
//! sets what flags and `SATUDATA_*` variables set, below both of them; a bad key stops the run
//! naming the key and the file; `satudata config` says where each value comes from; and the
//! operations guides list every variable the program reads.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{Env, Run, root};

/// Runs `satudata --data-dir DATA args` with the variables `vars` and no other `SATUDATA_*`.
fn run_with(env: &Env, vars: &[(&str, &str)], args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_satudata"));
    for (key, _) in std::env::vars().filter(|(key, _)| key.starts_with("SATUDATA_")) {
        command.env_remove(key);
    }
    command
        .current_dir(env.dir.path())
        .env("XDG_CONFIG_HOME", env.dir.path().join("config"))
        .envs(vars.iter().copied())
        .arg("--data-dir")
        .arg(env.data_dir())
        .args(args)
        .output()
        .unwrap()
        .into()
}

/// A data directory, initialised, holding `satudata.toml` with `text`.
fn initialised_with(text: &str) -> Env {
    let env = Env::new();
    let init = run_with(&env, &[], &["init"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    std::fs::write(env.data_dir().join("satudata.toml"), text).unwrap();
    env
}

const ENGLISH: &str = "Audit log intact";
const INDONESIAN: &str = "Log audit utuh";

#[test]
fn the_data_directorys_file_sets_the_language_below_variables_and_flags() {
    let env = initialised_with("lang = \"en\"\n");
    let said = |vars: &[(&str, &str)], args: &[&str]| {
        let run = run_with(&env, vars, args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    assert!(said(&[], &["audit", "verify"]).contains(ENGLISH));
    assert!(said(&[], &["--lang", "id", "audit", "verify"]).contains(INDONESIAN));
    assert!(said(&[], &["audit", "verify", "--lang", "id"]).contains(INDONESIAN));
    assert!(said(&[("SATUDATA_LANG", "id")], &["audit", "verify"]).contains(INDONESIAN));
    assert!(said(&[("SATUDATA_LANG", "id")], &["--lang", "en", "audit", "verify"]).contains(ENGLISH));
}

#[test]
fn a_named_file_is_read_instead_of_the_data_directorys() {
    let env = initialised_with("lang = \"en\"\n");
    let elsewhere = env.dir.path().join("lain.toml");
    std::fs::write(&elsewhere, "lang = \"id\"\n").unwrap();
    let named = elsewhere.to_str().unwrap();
    let run = run_with(&env, &[], &["--config", named, "audit", "verify"]);
    assert!(run.stdout.contains(INDONESIAN), "{}{}", run.stdout, run.stderr);
    let run = run_with(&env, &[("SATUDATA_CONFIG", named)], &["audit", "verify"]);
    assert!(run.stdout.contains(INDONESIAN), "{}{}", run.stdout, run.stderr);
}

#[test]
fn an_unknown_key_stops_the_run_naming_the_key_and_the_file() {
    let env = initialised_with("lang = \"en\"\n[serve]\nlisen = \"0.0.0.0:80\"\n");
    let file = env.data_dir().join("satudata.toml").display().to_string();
    for (lang, wanted) in [
        (
            "id",
            format!("galat: Kunci serve.lisen tidak dikenal di berkas konfigurasi {file}"),
        ),
        (
            "en",
            format!("error: Unknown key serve.lisen in the configuration file {file}"),
        ),
    ] {
        let run = run_with(&env, &[], &["--lang", lang, "audit", "verify"]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(run.stderr.trim_end(), wanted);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
}

#[test]
fn a_value_the_flag_would_refuse_is_refused_from_the_file() {
    let env = initialised_with("[serve]\nlisten = \"nowhere\"\n");
    let run = run_with(&env, &[], &["--lang", "en", "serve"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("The value \"nowhere\" of serve.listen in the configuration file"),
        "{}",
        run.stderr
    );
}

#[test]
fn satudata_config_says_where_each_value_comes_from_and_hides_passwords() {
    let env = initialised_with("max-rows = 500\n[serve]\npublic-url = \"https://data.example.go.id\"\n");
    let run = run_with(
        &env,
        &[
            (
                "SATUDATA_DATABASE_URL",
                "postgres://satudata:sangat-rahasia@db/satudata",
            ),
            ("SATUDATA_LISTEN", "127.0.0.1:9000"),
        ],
        &["--lang", "en", "config"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    for line in [
        "lang = \"en\"  # flag --lang",
        "database-url = \"postgres://satudata:***@db/satudata\"  # variable SATUDATA_DATABASE_URL",
        "max-rows = 500  # file",
        "# max-columns =  # not set, the program's default applies",
        "[serve]",
        "listen = \"127.0.0.1:9000\"  # variable SATUDATA_LISTEN",
        "log-format = \"plain\"  # default",
        "public-url = \"https://data.example.go.id\"  # file",
    ] {
        assert!(out.lines().any(|l| l == line), "no line {line:?} in:\n{out}");
    }
    assert!(!out.contains("sangat-rahasia"), "{out}");
    assert!(out.contains("satudata.toml"), "{out}");
}

/// Every `"SATUDATA_…"` name in the Rust files under `dir`, recursively.
fn variables_in(dir: &Path, names: &mut std::collections::BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            variables_in(&path, names);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (at, _) in text.match_indices("\"SATUDATA_") {
            let name: String = text[at + 1..]
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            names.insert(name);
        }
    }
}

#[test]
fn the_operations_guides_list_every_variable() {
    // The program's sources and its libraries' (not the test kit's, whose variables are CI's).
    let mut names = std::collections::BTreeSet::new();
    variables_in(&root().join("src"), &mut names);
    for entry in std::fs::read_dir(root().join("crates")).unwrap() {
        let src = entry.unwrap().path().join("src");
        if src.is_dir() && !src.starts_with(root().join("crates/testkit")) {
            variables_in(&src, &mut names);
        }
    }
    assert!(
        names.contains("SATUDATA_DATA_DIR") && names.contains("SATUDATA_CONFIG") && names.contains("SATUDATA_LOG"),
        "{names:?}"
    );
    for guide in ["docs/operasi.md", "docs/operations.md"] {
        let text = std::fs::read_to_string(root().join(guide)).unwrap();
        let missing: Vec<_> = names.iter().filter(|n| !text.contains(&format!("`{n}`"))).collect();
        assert!(missing.is_empty(), "{guide} does not list {missing:?}");
    }
}
