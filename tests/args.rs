//! Bad arguments are usage errors (exit 2) with one clear message, checked before anything runs
//! or is created: missing paths, a malformed kode wilayah, header row 0, workbook options on a
//! CSV, a folder that is not a region folder.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Env, Run, root};

/// The run was refused as a usage error whose message contains `wanted`, said once.
fn refused(run: &Run, wanted: &str) {
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stderr.matches(wanted).count(), 1, "{wanted}\n{}", run.stderr);
    assert!(!run.stderr.contains("os error"), "{}", run.stderr);
}

const STANDARD: &str = "sample_data/standards/penduduk-kelurahan-jenis-kelamin.json";
const CSV: &str = "sample_data/submissions/penduduk-kelurahan-2024.csv";

#[test]
fn loading_a_missing_folder_is_refused() {
    let env = Env::new();
    assert_eq!(env.run(&["init"]).code, 0);
    let run = env.run(&["load", "tidak-ada"]);
    refused(&run, "Tidak ada: tidak-ada (FOLDER)");
    assert!(run.stdout.is_empty(), "{}", run.stdout);

    let empty = env.dir.path().join("kosong");
    std::fs::create_dir_all(&empty).unwrap();
    let run = env.run(&["--lang", "en", "load", empty.to_str().unwrap()]);
    refused(&run, "is not a region folder");
}

#[test]
fn every_missing_path_is_named_once() {
    let env = Env::new();
    let missing = |args: &[&str], arg: &str, path: &str| {
        let run = env.run(args);
        refused(&run, &format!("Tidak ada: {path} ({arg})"));
    };
    missing(
        &["validate", "--standard", "tidak.json", CSV],
        "--standard",
        "tidak.json",
    );
    missing(&["validate", "--schema", "tidak.json", CSV], "--schema", "tidak.json");
    missing(&["validate", "--standard", STANDARD, "tidak.csv"], "FILE", "tidak.csv");
    missing(
        &["validate", "--standard", STANDARD, "--references", "tidak", CSV],
        "--references",
        "tidak",
    );
    missing(
        &["validate", "--standard", STANDARD, "--checklist", "tidak.json", CSV],
        "--checklist",
        "tidak.json",
    );
    missing(&["run", "tidak.toml"], "PIPELINE", "tidak.toml");
    missing(&["verify", "tidak/v1"], "RELEASE", "tidak/v1");
    missing(&["wilayah", "import", "tidak"], "FOLDER", "tidak");
    missing(&["demo", "--sample-dir", "tidak"], "--sample-dir", "tidak");
    // Nothing was created for any of them.
    assert!(!env.data_dir().exists());

    let run = env.run(&["--lang", "en", "validate", "--standard", "sample_data", CSV]);
    refused(&run, "Not a file: sample_data (--standard)");
}

#[test]
fn a_malformed_region_code_is_refused() {
    let env = Env::new();
    for (lang, wanted) in [
        (
            "id",
            "Kode wilayah \"6171\" tidak sah (--region): tulis seperti 61, 61.71",
        ),
        (
            "en",
            "Region code \"6171\" is malformed (--region): write it like 61, 61.71",
        ),
    ] {
        let run = env.run(&[
            "--lang",
            lang,
            "validate",
            "--standard",
            STANDARD,
            "--region",
            "6171",
            CSV,
        ]);
        refused(&run, wanted);
    }
    let run = env.run(&[
        "validate",
        "--standard",
        STANDARD,
        "--region",
        "61.71",
        "--format",
        "json",
        CSV,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn header_row_zero_and_workbook_options_on_a_csv_are_refused() {
    let env = Env::new();
    let run = env.run(&["validate", "--standard", STANDARD, "--header-row", "0", CSV]);
    refused(&run, "--header-row dihitung mulai 1");
    let run = env.run(&[
        "--lang",
        "en",
        "validate",
        "--standard",
        STANDARD,
        "--sheet",
        "Data",
        CSV,
    ]);
    refused(
        &run,
        &format!("--sheet applies to workbooks only (XLSX, XLS, XLSB, ODS), and {CSV} is CSV"),
    );
    let run = env.run(&["validate", "--standard", STANDARD, "--header-row", "2", CSV]);
    refused(&run, "--header-row hanya berlaku untuk lembar kerja");
    // Decided from the content: a workbook named .csv still takes them.
    let workbook = env.dir.path().join("penduduk.csv");
    std::fs::copy(root().join("tests/fixtures/penduduk-kelurahan-2024.xlsx"), &workbook).unwrap();
    let run = env.run(&[
        "validate",
        "--standard",
        STANDARD,
        "--header-row",
        "1",
        "--format",
        "json",
        workbook.to_str().unwrap(),
    ]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
}

#[test]
fn an_explicit_data_directory_must_be_one() {
    let env = Env::new();
    std::fs::create_dir_all(env.data_dir()).unwrap();
    let run = env.run(&["validate", "--standard", STANDARD, CSV]);
    refused(&run, "bukan direktori data satudata (--data-dir)");
}

#[test]
fn a_pipeline_with_header_row_zero_or_a_sheet_for_a_csv_is_refused() {
    let env = Env::with_sample_region();
    let csv = root().join(CSV);
    let with_source = |name: &str, extra: &str| {
        let path = env.dir.path().join(format!("{name}.toml"));
        std::fs::write(
            &path,
            format!(
                "dataset = \"jumlah-penduduk-kelurahan\"\nperiod = \"2024\"\naccount = \"produsen-disdukcapil\"\n[source]\npath = \"{}\"\n{extra}\n",
                csv.display()
            ),
        )
        .unwrap();
        path
    };
    let zero = with_source("nol", "header_row = 0");
    refused(
        &env.run(&["run", zero.to_str().unwrap()]),
        "header_row dihitung mulai 1 (baris pertama lembar kerja), bukan 0",
    );
    let sheet = with_source("lembar", "sheet = \"Penduduk\"");
    let run = env.run(&["--lang", "en", "run", sheet.to_str().unwrap()]);
    refused(
        &run,
        "sheet applies to workbooks only (XLSX, XLS, XLSB, ODS), and the file is CSV",
    );
    // Nothing was submitted: the refusal comes before the submission is stored.
    assert!(!env.data_dir().join("store/submissions").exists());
    // The same option on a real workbook runs.
    let workbook = env.dir.path().join("penduduk.toml");
    std::fs::write(
        &workbook,
        format!(
            "dataset = \"jumlah-penduduk-kelurahan\"\nperiod = \"2024\"\naccount = \"produsen-disdukcapil\"\n[source]\npath = \"{}\"\nsheet = \"Penduduk\"\n",
            root().join("tests/fixtures/penduduk-kelurahan-2024.xlsx").display()
        ),
    )
    .unwrap();
    assert_eq!(env.run(&["run", workbook.to_str().unwrap()]).code, 0);
}
