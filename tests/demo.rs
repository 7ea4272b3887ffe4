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
    let run = run_in(cwd.path(), &["demo", "--no-serve"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("salinan di dalam program"), "{}", run.stdout);
    assert!(
        run.stdout.contains("== pipelines/penduduk-kelurahan-2024.toml"),
        "{}",
        run.stdout
    );
    let data = cwd.path().join("satudata-data");
    // The verifier sent dinkes' first file back; the fixed one and Disdukcapil's are published,
    // Disdikbud's waits in the review queue.
    assert!(run.stdout.contains("diminta perbaikan"), "{}", run.stdout);
    assert!(
        run.stdout.contains("dibiarkan menunggu di antrean verifikasi"),
        "{}",
        run.stdout
    );
    for (org, dataset, published) in [
        ("disdukcapil", "jumlah-penduduk-kelurahan", true),
        ("dinkes", "kunjungan-puskesmas", true),
        ("disdikbud", "sekolah-jenjang", false),
    ] {
        let manifest = data
            .join("store/datasets")
            .join(org)
            .join(dataset)
            .join("v1/manifest.json");
        assert_eq!(manifest.is_file(), published, "{}\n{}", manifest.display(), run.stdout);
    }
    // The demo accounts' generated passwords are kept for the owner only.
    let accounts = std::fs::read_to_string(data.join("demo-akun.txt")).unwrap();
    assert!(accounts.contains("walidata walidata"), "{accounts}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(data.join("demo-akun.txt"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
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
    let run = run_in(cwd.path(), &["demo", "--no-serve", "--pipelines", "kosong"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("kosong"), "{}", run.stderr);
    assert!(!cwd.path().join("satudata-data").exists());
}
