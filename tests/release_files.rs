//! Published files keep their meaning elsewhere: `datapackage.json` passes `frictionless
//! validate`, readers given its schema keep region codes such as `61.10` as text, and an old
//! pyarrow (14.0.2, from `.ci/run`'s venv) opens every file of the release, and DuckDB both data
//! files.
//!
//! The peers are Python programs. Under `CI=true` a missing peer fails the test; outside CI the
//! test is skipped with a printed reason.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Env, root};

/// A release of the province fixture: codes like `61.10`, every common type, empty cells. Its
/// rows are ordered by period and primary key (`61.01` first), not as in the file.
fn published() -> (Env, PathBuf) {
    let env = Env::new();
    assert_eq!(env.run(&["init"]).code, 0);
    let fixture = root().join("tests/fixtures/rilis-provinsi");
    let load = env.run(&["load", fixture.to_str().unwrap()]);
    assert_eq!(load.code, 0, "{}{}", load.stdout, load.stderr);
    env.feed("penduduk-kabupaten", "bappeda-kalbar");
    let pipeline = env.pipeline(
        "provinsi",
        "penduduk-kabupaten",
        "2024",
        &fixture.join("penduduk-kabupaten-2024.csv"),
    );
    let run = env.run(&["run", pipeline.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let release = env.release("bappeda-kalbar", "penduduk-kabupaten", 1);
    (env, release)
}

/// The Python that has `module`, or `None` (skip) outside CI; a missing peer fails in CI.
fn peer(python: Option<PathBuf>, module: &str, hint: &str) -> Option<PathBuf> {
    let found = python.filter(|p| {
        Command::new(p)
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{module} is missing under CI=true: {hint}"
        );
        eprintln!("skipped: {module} is not available ({hint})");
    }
    found
}

fn read_with(python: &Path, mode: &str, release: &Path) -> serde_json::Value {
    let out = Command::new(python)
        .arg(root().join("tests/release_readers.py"))
        .args([mode, release.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{mode}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// What `tests/release_readers.py MODULE` saw, run by the venv's python that `.ci/run` names in
/// `SATUDATA_OLD_PYARROW` (pyarrow 14.0.2 and DuckDB); `None` when skipped.
fn read_with_old_python(module: &str, release: &Path) -> Option<serde_json::Value> {
    let old = std::env::var_os("SATUDATA_OLD_PYARROW").map(PathBuf::from);
    let hint = ".ci/run creates the venv with pyarrow 14.0.2 and duckdb and sets SATUDATA_OLD_PYARROW to its python";
    let python = peer(old, module, hint)?;
    Some(read_with(&python, module, release))
}

#[test]
fn the_data_package_is_valid_and_keeps_codes_as_text() {
    let (_env, release) = published();
    let Some(python) = peer(Some("python3".into()), "frictionless", ".ci/run installs frictionless") else {
        return;
    };
    let out = Command::new(&python)
        .current_dir(&release)
        .args(["-m", "frictionless", "validate", "--json", "datapackage.json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(report["valid"], true, "{report:#}");
    assert_eq!(report["tasks"].as_array().unwrap().len(), 2, "{report:#}");

    let seen = read_with(&python, "package", &release);
    let codes: Vec<&str> = seen["frictionless"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kode_kabupaten"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["61.01", "61.10", "61.71", "61.72"], "{seen}");
    let types = &seen["frictionless_types"];
    assert_eq!(types["kode_kabupaten"], "str", "{seen}");
    assert_eq!(types["jumlah_penduduk"], "int", "{seen}");
    assert_eq!(types["kota"], "bool", "{seen}");
    assert_eq!(types["tanggal_data"], "date", "{seen}");
    assert_eq!(seen["frictionless"][3]["kepadatan"], serde_json::Value::Null, "{seen}");
    assert_eq!(seen["parquet_rows"], 4, "{seen}");
    assert_eq!(
        seen["pandas_with_schema"],
        serde_json::json!(["61.01", "61.10", "61.71", "61.72"])
    );
    // Without the schema pandas guesses numbers: the fixture really holds codes that need it.
    assert_eq!(seen["pandas_guessing"][1], "61.1", "{seen}");
}

#[test]
fn an_old_pyarrow_reads_every_published_file() {
    let (_env, release) = published();
    let Some(seen) = read_with_old_python("pyarrow", &release) else {
        return;
    };
    assert_eq!(seen["pyarrow"], "14.0.2", "{seen}");
    assert_eq!(seen["parquet_rows"], 4, "{seen}");
    let schema = &seen["parquet_schema"];
    assert_eq!(schema["kode_kabupaten"], "large_string", "{seen}");
    assert_eq!(schema["tahun"], "int32", "{seen}");
    assert_eq!(schema["jumlah_penduduk"], "int64", "{seen}");
    assert_eq!(schema["tanggal_data"], "date32[day]", "{seen}");
    assert_eq!(
        seen["parquet_columns"]["kode_kabupaten"],
        serde_json::json!(["61.01", "61.10", "61.71", "61.72"])
    );
    assert_eq!(seen["csv_schema"]["kode_kabupaten"], "string", "{seen}");
    assert_eq!(
        seen["csv_codes"],
        serde_json::json!(["61.01", "61.10", "61.71", "61.72"])
    );
    assert_eq!(
        seen["json_files"],
        serde_json::json!([
            "data.json",
            "datapackage.json",
            "manifest.json",
            "manifest.sig",
            "metadata.json"
        ])
    );
}

#[test]
fn duckdb_reads_both_data_files() {
    let (_env, release) = published();
    let Some(seen) = read_with_old_python("duckdb", &release) else {
        return;
    };
    let codes = serde_json::json!(["61.01", "61.10", "61.71", "61.72"]);
    assert_eq!(seen["parquet_types"]["kode_kabupaten"], "VARCHAR", "{seen}");
    assert_eq!(seen["parquet_types"]["tanggal_data"], "DATE", "{seen}");
    assert_eq!(seen["parquet_codes"], codes, "{seen}");
    assert_eq!(seen["csv_codes"], codes, "{seen}");
    // DuckDB's own guess makes the code a number: the package's types are what keep it.
    assert_eq!(seen["csv_guessing"][1], "61.1", "{seen}");
}
