//! `satudata demo` works from any folder (the sample region and pipelines are inside the
//! binary) and leaves nothing half-made behind when it fails.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::Run;

/// Runs the binary with `cwd` as the current folder.
fn run_in(cwd: &std::path::Path, args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_satudata"))
        .current_dir(cwd)
        .env_remove("SATUDATA_LANG")
        .env_remove("SATUDATA_DATA_DIR")
        .args(args)
        .output()
        .unwrap()
        .into()
}

#[test]
fn the_demo_runs_from_an_empty_folder() {
    let cwd = tempfile::tempdir().unwrap();
    let run = run_in(cwd.path(), &["demo"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("salinan di dalam program"), "{}", run.stdout);
    assert!(
        run.stdout.contains("== pipelines/penduduk-kelurahan-2024.toml"),
        "{}",
        run.stdout
    );
    let data = cwd.path().join("satudata-data");
    for (org, dataset) in [
        ("disdukcapil", "jumlah-penduduk-kelurahan"),
        ("dinkes", "kunjungan-puskesmas"),
        ("disdikbud", "sekolah-jenjang"),
    ] {
        let manifest = data
            .join("store/datasets")
            .join(org)
            .join(dataset)
            .join("v1/manifest.json");
        assert!(manifest.is_file(), "{}\n{}", manifest.display(), run.stdout);
    }
    // The embedded copy was written out for the run and removed after it.
    let left: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!left.iter().any(|n| n.starts_with(".demo")), "{left:?}");
    // Only the data directory was made in the folder.
    let made: Vec<_> = std::fs::read_dir(cwd.path()).unwrap().collect();
    assert_eq!(made.len(), 1);
}

#[test]
fn a_failed_demo_leaves_no_data_directory() {
    let cwd = tempfile::tempdir().unwrap();
    let empty = cwd.path().join("kosong");
    std::fs::create_dir_all(&empty).unwrap();
    let run = run_in(cwd.path(), &["demo", "--pipelines", "kosong"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("kosong"), "{}", run.stderr);
    assert!(!cwd.path().join("satudata-data").exists());
}
