//! `validate` and `run` on XLSX, XLS, ODS, XLSB, JSON and Parquet inputs, and a published release read back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Env, root};

fn validate(env: &Env, file: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    env.validate_json(
        "sample_data/standards/penduduk-kelurahan-jenis-kelamin.json",
        file,
        extra,
    )
}

#[test]
fn excel_json_and_parquet_inputs_validate_like_the_csv() {
    let env = Env::new();
    for file in [
        "tests/fixtures/penduduk-kelurahan-2024.xlsx",
        "tests/fixtures/penduduk-kelurahan-2024.xls",
        "tests/fixtures/penduduk-kelurahan-2024.ods",
        "tests/fixtures/penduduk-kelurahan-2024.xlsb",
        "tests/fixtures/penduduk-kelurahan-2024.json",
    ] {
        let (code, report) = validate(&env, file, &[]);
        assert_eq!(code, 0, "{file}: {report}");
        assert_eq!(report["rows"], 58, "{file}");
    }
    let (code, report) = validate(&env, "tests/fixtures/penduduk-kelurahan-2024-rusak.xlsx", &[]);
    assert_eq!(code, 1);
    let f = &report["findings"][0];
    assert_eq!(
        (f["code"].as_str(), f["row"].as_u64(), f["column"].as_u64()),
        (Some("type-error"), Some(10), Some(4))
    );
    assert_eq!(f["value"], "seratus");

    let (code, report) = validate(
        &env,
        "tests/fixtures/penduduk-kelurahan-2024.xlsx",
        &["--sheet", "Tidak Ada"],
    );
    assert_eq!(code, 1);
    assert_eq!(report["findings"][0]["code"], "source-error");
}

#[test]
fn a_published_parquet_validates_against_its_standard() {
    let env = Env::with_sample_region();
    let run = env.run(&["run", "pipelines/penduduk-kelurahan-2024.toml"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let parquet = env
        .release("disdukcapil", "jumlah-penduduk-kelurahan", 1)
        .join("data.parquet");
    let (code, report) = validate(
        &env,
        parquet.to_str().unwrap(),
        &["--region", "61.71", "--period", "2024"],
    );
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["rows"], 58);
}

#[test]
fn a_pipeline_reads_an_excel_workbook() {
    let env = Env::with_sample_region();
    let source = root().join("tests/fixtures/penduduk-kelurahan-2024.xlsx");
    let pipeline = env.pipeline("xlsx", "jumlah-penduduk-kelurahan", "2024", &source);
    let run = env.run(&["run", pipeline.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("Rilis v1 diterbitkan"), "{}", run.stdout);
    // The same data as CSV is not a new release.
    let csv = env.run(&["run", "pipelines/penduduk-kelurahan-2024.toml"]);
    assert!(csv.stdout.contains("tidak berubah"), "{}", csv.stdout);
}

#[test]
fn limits_come_from_flags_and_pipelines() {
    let env = Env::with_sample_region();
    let source = root().join("sample_data/submissions/penduduk-kelurahan-2024.csv");
    // A pipeline's own limits: 58 rows are past max_rows = 10, so nothing is published.
    let pipeline = env.pipeline("batas", "jumlah-penduduk-kelurahan", "2024", &source);
    let mut text = std::fs::read_to_string(&pipeline).unwrap();
    text.push_str("[source.limits]\nmax_rows = 10\n");
    std::fs::write(&pipeline, text).unwrap();
    let run = env.run(&["run", pipeline.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("format-error"), "{}", run.stdout);
    assert!(run.stdout.contains("lebih dari 10 baris data"), "{}", run.stdout);
    // The data center's limit, as a flag: the same file within max_rows = 100 passes.
    let run = env.run(&["--max-rows", "100", "run", "pipelines/penduduk-kelurahan-2024.toml"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    // A flag after the command, on validate.
    let (code, report) = validate(
        &env,
        "sample_data/submissions/penduduk-kelurahan-2024.csv",
        &["--max-columns", "3"],
    );
    assert_eq!(code, 1);
    assert_eq!(report["findings"][0]["code"], "format-error");
    assert!(
        report["findings"][0]["message_en"]
            .as_str()
            .unwrap()
            .contains("more than 3 columns"),
        "{report}"
    );
}
