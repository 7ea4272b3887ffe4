//! On the same file and Table Schema (or Data Package), satudata reports the same problems as
//! Frictionless: same codes, rows and columns. Frictionless itself is run (installed from PyPI
//! by `.ci/run`); outside CI the comparison is skipped when it is not installed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::{Env, root};

type Problem = (String, String, Option<u64>, Option<u64>);

/// Codes Frictionless' baseline checks produce, and those of the checklist checks satudata runs
/// (`row-constraint`, `duplicate-row`): in Frictionless mode satudata reports no others.
const FRICTIONLESS_CODES: &[&str] = &[
    "blank-label",
    "duplicate-label",
    "missing-label",
    "extra-label",
    "incorrect-label",
    "blank-header",
    "blank-row",
    "extra-cell",
    "missing-cell",
    "duplicate-row",
    "primary-key",
    "foreign-key",
    "row-constraint",
    "type-error",
    "constraint-error",
    "unique-error",
];

/// The checklist fixture: a Table Schema, a Frictionless checklist and the file.
const CHECKLIST_ARGS: [&str; 5] = [
    "--schema",
    "baris.schema.json",
    "--checklist",
    "baris.checklist.json",
    "baris.csv",
];

fn frictionless_available() -> bool {
    let ok = Command::new("frictionless")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && std::env::var_os("CI").is_some() {
        panic!("frictionless is not installed: .ci/run must install it (pip install frictionless)");
    }
    if !ok {
        eprintln!("frictionless not installed: comparison skipped");
    }
    ok
}

fn frictionless(args: &[&str]) -> Vec<Problem> {
    let out = Command::new("python3")
        .current_dir(root().join("tests/fixtures/frictionless"))
        .args(["-m", "frictionless", "validate", "--json"])
        .args(args)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut problems = Vec::new();
    for task in report["tasks"].as_array().unwrap() {
        let name = task["name"].as_str().unwrap_or_default().to_owned();
        for e in task["errors"].as_array().unwrap() {
            problems.push((
                name.clone(),
                e["type"].as_str().unwrap().to_owned(),
                e["rowNumber"].as_u64(),
                e["fieldNumber"].as_u64(),
            ));
        }
    }
    problems.sort();
    problems
}

fn satudata_problems(name: &str, report: &serde_json::Value) -> Vec<Problem> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let code = f["code"].as_str().unwrap().to_owned();
            assert!(
                FRICTIONLESS_CODES.contains(&code.as_str()),
                "{name}: {code} is not a Frictionless check"
            );
            let label = code.ends_with("-label") || code == "blank-header";
            // Frictionless gives label errors no row, and row errors no column.
            let row = if label { None } else { f["row"].as_u64() };
            let row_error = matches!(
                code.as_str(),
                "blank-row" | "duplicate-row" | "primary-key" | "foreign-key" | "row-constraint"
            );
            let column = if row_error { None } else { f["column"].as_u64() };
            (name.to_owned(), code, row, column)
        })
        .collect()
}

fn satudata(env: &Env, args: &[&str]) -> (i32, serde_json::Value) {
    let dir = root().join("tests/fixtures/frictionless");
    let absolute: Vec<String> = args
        .iter()
        .map(|a| {
            // Options and inline JSON as they are, file names in the fixture folder.
            if a.starts_with("--") || a.starts_with('{') {
                (*a).to_owned()
            } else {
                dir.join(a).display().to_string()
            }
        })
        .collect();
    let mut full = vec!["validate", "--format", "json"];
    full.extend(absolute.iter().map(String::as_str));
    let run = env.run(&full);
    assert!(run.code == 0 || run.code == 1, "{}\n{}", run.stdout, run.stderr);
    (run.code, serde_json::from_str(&run.stdout).unwrap())
}

#[test]
fn table_schemas_give_the_same_problems_as_frictionless() {
    if !frictionless_available() {
        return;
    }
    let env = Env::new();
    for (schema, file) in [
        ("campuran.schema.json", "campuran.csv"),
        ("label.schema.json", "label.csv"),
        ("label-kurang.schema.json", "label-kurang.csv"),
        ("tipe.schema.json", "tipe.csv"),
        ("format-teks.schema.json", "format-teks.csv"),
        ("tipe-lain.schema.json", "tipe-lain.csv"),
        ("batas.schema.json", "batas.csv"),
        ("daftar.schema.json", "daftar.csv"),
        ("ganda.schema.json", "judul-kosong.csv"),
    ] {
        let expected = frictionless(&["--schema", schema, file]);
        assert!(!expected.is_empty(), "{file}: the fixture must have problems");
        let (code, report) = satudata(&env, &["--schema", schema, file]);
        let name = file.trim_end_matches(".csv");
        let mut got = satudata_problems(name, &report);
        got.sort();
        assert_eq!(got, expected, "{file}");
        assert_eq!(code, 1);
    }
}

/// The formula fixture: texts, `in`, `%`, `//`, `**`, `is None`, `int()`, `float()`, `str()`,
/// with rows that pass, fail and raise.
const FORMULA_ARGS: [&str; 5] = [
    "--schema",
    "rumus.schema.json",
    "--checklist",
    "rumus.checklist.json",
    "rumus.csv",
];

#[test]
fn a_checklist_gives_the_same_row_constraints_as_frictionless() {
    if !frictionless_available() {
        return;
    }
    let env = Env::new();
    for args in [CHECKLIST_ARGS, FORMULA_ARGS] {
        let expected = frictionless(&args);
        assert!(expected.iter().any(|p| p.1 == "row-constraint"), "{expected:?}");
        let (code, report) = satudata(&env, &args);
        let name = args[4].trim_end_matches(".csv");
        let mut got = satudata_problems(name, &report);
        got.sort();
        assert_eq!(got, expected, "{name}");
        assert_eq!(code, 1);
    }
}

#[test]
fn a_data_package_gives_the_same_problems_as_frictionless() {
    if !frictionless_available() {
        return;
    }
    let env = Env::new();
    let expected = frictionless(&["paket/datapackage.json"]);
    let (code, report) = satudata(&env, &["--schema", "paket/datapackage.json"]);
    assert_eq!(code, 1);
    let mut got: Vec<Problem> = report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| satudata_problems(t["name"].as_str().unwrap(), &t["report"]))
        .collect();
    got.sort();
    assert_eq!(got, expected);
    assert!(got.iter().any(|p| p.1 == "foreign-key" && p.0 == "penduduk"), "{got:?}");
}

#[test]
fn satudata_reads_frictionless_descriptors_without_frictionless() {
    // The expectations Frictionless 5.21 gives on these fixtures, fixed here so the behaviour
    // is pinned even where Frictionless is not installed.
    let env = Env::new();
    let (_, report) = satudata(&env, &["--schema", "campuran.schema.json", "campuran.csv"]);
    assert_eq!(report["errors"], 16);
    assert_eq!(report["totals_by_code"]["primary-key"], 3);
    assert_eq!(report["totals_by_code"]["missing-cell"], 3);
    let (_, report) = satudata(&env, &["--schema", "tipe.schema.json", "tipe.csv"]);
    assert_eq!(report["totals_by_code"]["type-error"], 10);
    assert_eq!(report["totals_by_code"]["constraint-error"], 2);
    let (code, report) = satudata(&env, &["--schema", "paket/datapackage.json"]);
    assert_eq!(code, 1);
    let tables = report["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 2);
    assert_eq!(tables[0]["report"]["totals_by_code"]["foreign-key"], 1);
    assert_eq!(tables[1]["report"]["totals_by_code"]["foreign-key"], 1);
    // One table of the package, by its path.
    let (_, one) = satudata(&env, &["--schema", "paket/datapackage.json", "paket/penduduk.csv"]);
    assert_eq!(one["totals_by_code"]["foreign-key"], 1);
    assert_eq!(one["totals_by_code"]["constraint-error"], 1);
    // A blank header row is blank labels, the columns still checked by position.
    let (_, report) = satudata(&env, &["--schema", "ganda.schema.json", "judul-kosong.csv"]);
    assert_eq!(report["totals_by_code"]["blank-label"], 4);
    assert_eq!(report["totals_by_code"]["blank-header"], serde_json::Value::Null);
    assert_eq!(report["totals_by_code"]["type-error"], 1);
    let (_, report) = satudata(&env, &["--schema", "tipe-lain.schema.json", "tipe-lain.csv"]);
    assert_eq!(report["totals_by_code"]["type-error"], 24);
    assert_eq!(report["totals_by_code"]["constraint-error"], 6);
    let args = CHECKLIST_ARGS;
    let (_, report) = satudata(&env, &args);
    assert_eq!(report["totals_by_code"]["row-constraint"], 19);
    assert_eq!(report["errors"], 27);
    let (_, formulas) = satudata(&env, &FORMULA_ARGS);
    assert_eq!(formulas["totals_by_code"]["row-constraint"], 32);
    assert_eq!(formulas["totals_by_code"]["blank-row"], 1);
    // The checklist may also be given as the JSON itself, as Frictionless takes it.
    let inline = std::fs::read_to_string(root().join("tests/fixtures/frictionless/baris.checklist.json")).unwrap();
    let (_, inline_report) = satudata(
        &env,
        &["--schema", "baris.schema.json", "--checklist", &inline, "baris.csv"],
    );
    // Compared without the time of the check, which differs between the two runs.
    let timeless = |mut r: serde_json::Value| {
        r["context"]["checked_at"].take();
        r
    };
    assert_eq!(timeless(inline_report), timeless(report));
    // A Table Schema without a file is a usage error.
    let run = env.run(&[
        "validate",
        "--schema",
        root()
            .join("tests/fixtures/frictionless/tipe.schema.json")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(run.code, 2);
}

#[test]
fn what_frictionless_refuses_or_satudata_does_not_run_is_a_usage_error() {
    let env = Env::new();
    let dir = root().join("tests/fixtures/frictionless");
    let path = |name: &str| dir.join(name).display().to_string();
    let write = |name: &str, text: &str| {
        let p = env.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let other_check = write(
        "lain.json",
        r#"{"checks":[{"type":"forbidden-value","fieldName":"jumlah","values":[0]}]}"#,
    );
    let random = write(
        "acak.json",
        r#"{"checks":[{"type":"row-constraint","formula":"rand() < 2"}]}"#,
    );
    let unknown_function = write(
        "fungsi.json",
        r#"{"checks":[{"type":"row-constraint","formula":"abs(jumlah) >= 0"}]}"#,
    );
    let not_python = write(
        "rumus.json",
        r#"{"checks":[{"type":"row-constraint","formula":"jumlah = laki_laki + perempuan"}]}"#,
    );
    let any_length = write(
        "skema.json",
        r#"{"fields":[{"name":"kode","type":"any","constraints":{"minLength":1}}]}"#,
    );
    for (schema, checklist, wanted) in [
        (path("baris.schema.json"), Some(&other_check), "forbidden-value"),
        (
            path("baris.schema.json"),
            Some(&random),
            "rand() pada karakter ke-1, yang memberi angka acak",
        ),
        (
            path("baris.schema.json"),
            Some(&unknown_function),
            "memanggil fungsi abs() pada karakter ke-1, yang tidak dikenal",
        ),
        (
            path("baris.schema.json"),
            Some(&not_python),
            "memakai '=' pada karakter ke-8; untuk membandingkan, tulis '=='",
        ),
        (any_length.clone(), None, "minLength is not supported by type any"),
    ] {
        let mut args = vec!["validate", "--schema", schema.as_str()];
        if let Some(c) = checklist {
            args.extend(["--checklist", c.as_str()]);
        }
        let file = path("baris.csv");
        args.push(&file);
        let run = env.run(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert!(run.stderr.contains(wanted), "{args:?}: {}", run.stderr);
    }
    for (lang, wanted) in [("id", "tidak didukung"), ("en", "not supported")] {
        let run = env.run(&[
            "--lang",
            lang,
            "validate",
            "--schema",
            &path("baris.schema.json"),
            "--checklist",
            &other_check,
            &path("baris.csv"),
        ]);
        assert!(run.stderr.contains(wanted), "{}", run.stderr);
    }
}

/// The duplicate-row fixture under each schema, without and with a `duplicate-row` checklist:
/// full duplicates (rows 4, 11 of 2; row 7 of 6 through a missing value), a repeated key with
/// other values (row 5), blank rows (8-10, row 10 short), and cells Satu Data would warn about
/// (an e-mail address, a phone number, a formula).
const DUPLICATE_CASES: [&[&str]; 4] = [
    &["--schema", "ganda.schema.json", "ganda.csv"],
    &["--schema", "ganda-tanpa-kunci.schema.json", "ganda.csv"],
    &[
        "--schema",
        "ganda.schema.json",
        "--checklist",
        "ganda.checklist.json",
        "ganda.csv",
    ],
    &[
        "--schema",
        "ganda-tanpa-kunci.schema.json",
        "--checklist",
        "ganda.checklist.json",
        "ganda.csv",
    ],
];

/// The rows satudata reports under `code`.
fn rows_of(report: &serde_json::Value, code: &str) -> Vec<u64> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .map(|f| f["row"].as_u64().unwrap())
        .collect()
}

#[test]
fn a_full_duplicate_row_is_a_repeated_primary_key_unless_a_checklist_asks_for_duplicate_rows() {
    let env = Env::new();
    let reports: Vec<serde_json::Value> = DUPLICATE_CASES.iter().map(|args| satudata(&env, args).1).collect();
    // Frictionless 5.21's answers, pinned so they hold where it is not installed.
    let [with_key, without_key, with_key_checked, without_key_checked] = &reports[..] else {
        unreachable!()
    };
    assert_eq!(rows_of(with_key, "primary-key"), [4, 5, 7, 8, 9, 10, 11]);
    assert_eq!(rows_of(with_key, "duplicate-row"), [0u64; 0]);
    assert_eq!(rows_of(without_key, "primary-key"), [0u64; 0]);
    assert_eq!(rows_of(without_key, "duplicate-row"), [0u64; 0]);
    assert_eq!(
        rows_of(with_key_checked, "primary-key"),
        rows_of(with_key, "primary-key")
    );
    assert_eq!(rows_of(with_key_checked, "duplicate-row"), [4, 7, 9, 10, 11]);
    assert_eq!(rows_of(without_key_checked, "duplicate-row"), [4, 7, 9, 10, 11]);
    // A full duplicate's primary-key finding says what every repeated key's says.
    let finding = |row: u64| {
        with_key["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == "primary-key" && f["row"] == row)
            .unwrap()
            .clone()
    };
    let (full, key_only) = (finding(4), finding(5));
    assert_eq!(full["message_en"], "The primary key in row 4 is already used by row 2");
    assert_eq!(
        key_only["message_en"],
        "The primary key in row 5 is already used by row 3"
    );
    assert_eq!(
        (&full["value"], &full["field"]),
        (&serde_json::json!("1"), &key_only["field"])
    );
    // Only Frictionless' checks: no warning about personal data or formulas, and a blank row
    // is only blank (row 10 is short, yet gets no missing-cell).
    for report in &reports {
        assert!(rows_of(report, "missing-cell").is_empty(), "{report}");
        assert_eq!(report["warnings"], 0, "{report}");
    }
    if !frictionless_available() {
        return;
    }
    for (args, report) in DUPLICATE_CASES.iter().zip(&reports) {
        let expected = frictionless(args);
        let mut got = satudata_problems("ganda", report);
        got.sort();
        assert_eq!(got, expected, "{args:?}");
    }
}

#[test]
fn a_satu_data_standard_still_reports_a_full_duplicate_as_a_duplicate_row() {
    let env = Env::new();
    let (code, report) = satudata(&env, &["--standard", "ganda.standard.json", "ganda.csv"]);
    assert_eq!(code, 1);
    // Full duplicates once each, as duplicate rows; the key repeated with other values as a
    // repeated key; blank rows are not duplicates of each other.
    assert_eq!(rows_of(&report, "duplicate-row"), [4, 7, 11]);
    assert_eq!(rows_of(&report, "primary-key"), [5]);
    assert_eq!(rows_of(&report, "blank-row"), [8, 9, 10]);
    // `kontak` holds e-mail addresses (from row 2) and a phone number (row 3): one warning each.
    assert_eq!(rows_of(&report, "personal-data-warning"), [2, 3]);
    assert_eq!(rows_of(&report, "formula-warning"), [5]);
    // The checklist changes nothing here: Satu Data reports duplicate rows already.
    let (_, checked) = satudata(
        &env,
        &[
            "--standard",
            "ganda.standard.json",
            "--checklist",
            "ganda.checklist.json",
            "ganda.csv",
        ],
    );
    // The same report but for the second it was checked in.
    let undated = |mut r: serde_json::Value| {
        r["context"]["checked_at"] = serde_json::Value::Null;
        r
    };
    assert_eq!(undated(checked), undated(report));
}

#[test]
fn keys_unique_values_and_duplicate_rows_are_compared_as_cast_as_frictionless_does() {
    let env = Env::new();
    // `01` is the key 1 (row 3), a key with an empty part is still a key (row 5), an invalid
    // key is an empty one (row 6), `1` is `1.0` and `1.5` is `1.50` to a unique number
    // (rows 7, 9), two invalid numbers are the same `None` (row 11); but as rows, `1.5` is not
    // `1.50` (row 9 is no duplicate row) while `6` is `06` (row 13).
    let plain = ["--schema", "nilai-sama.schema.json", "nilai-sama.csv"];
    let checked = [
        "--schema",
        "nilai-sama.schema.json",
        "--checklist",
        "ganda.checklist.json",
        "nilai-sama.csv",
    ];
    let (_, report) = satudata(&env, &plain);
    assert_eq!(rows_of(&report, "primary-key"), [3, 5, 6, 9, 11, 13]);
    assert_eq!(rows_of(&report, "unique-error"), [7, 9, 13]);
    assert_eq!(rows_of(&report, "duplicate-row"), [0u64; 0]);
    let (_, with_checklist) = satudata(&env, &checked);
    assert_eq!(rows_of(&with_checklist, "duplicate-row"), [11, 13]);
    if !frictionless_available() {
        return;
    }
    for (args, report) in [(&plain[..], &report), (&checked[..], &with_checklist)] {
        let expected = frictionless(args);
        let mut got = satudata_problems("nilai-sama", report);
        got.sort();
        assert_eq!(got, expected, "{args:?}");
    }
}

#[test]
fn foreign_keys_compare_values_as_cast_as_frictionless_does() {
    let env = Env::new();
    // `01` refers to the key `1` and `2` to `02`, within the table (induk) and across tables
    // (anak); an invalid key (`x`, `abc`) is empty and refers to nothing, so only the keys 9 and
    // 5 are not found.
    let (code, report) = satudata(&env, &["--schema", "paket-nilai/datapackage.json"]);
    assert_eq!(code, 1);
    let tables = report["tables"].as_array().unwrap();
    assert_eq!(rows_of(&tables[0]["report"], "foreign-key"), [4]);
    assert_eq!(rows_of(&tables[1]["report"], "foreign-key"), [4]);
    assert_eq!(tables[1]["report"]["findings"][0]["value"], "5");
    if !frictionless_available() {
        return;
    }
    let expected = frictionless(&["paket-nilai/datapackage.json"]);
    let mut got: Vec<Problem> = tables
        .iter()
        .flat_map(|t| satudata_problems(t["name"].as_str().unwrap(), &t["report"]))
        .collect();
    got.sort();
    assert_eq!(got, expected);
}

#[test]
fn a_report_sheet_is_read_from_row_one_as_frictionless_reads_it() {
    // A title row, a blank row, the header in row 3, merged kelurahan codes, a JUMLAH row and
    // a source note: the Satu Data mode reads the table below the title and leaves the total
    // and the note out; Frictionless reads row 1 as the header and every row below as data.
    if !frictionless_available() {
        return;
    }
    let env = Env::new();
    let args = ["--schema", "laporan-judul.schema.json", "laporan-judul.xlsx"];
    let expected = frictionless(&args);
    for problem in [
        ("incorrect-label", None, Some(1)),
        ("blank-row", Some(2), None),
        ("type-error", Some(3), Some(3)),
        ("constraint-error", Some(5), Some(1)),
        ("constraint-error", Some(8), Some(1)),
    ] {
        let (code, row, column) = problem;
        assert!(
            expected.contains(&("laporan-judul".to_owned(), code.to_owned(), row, column)),
            "Frictionless should report {problem:?}: {expected:?}"
        );
    }
    let (code, report) = satudata(&env, &args);
    let mut got = satudata_problems("laporan-judul", &report);
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(code, 1);
}
