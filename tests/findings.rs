//! Every finding code has a fixture in `tests/fixtures/temuan/` (or, for the Frictionless-only
//! codes, `tests/fixtures/frictionless/`) that triggers it, and its report is compared with a
//! reviewed snapshot: code, severity, row, column, field, value and both messages.
//!
//! To update the snapshots after a deliberate change: `SATUDATA_BLESS=1 cargo test --test
//! findings`, then review `git diff tests/fixtures`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::{Env, root};

const STANDARD: &str = "tests/fixtures/temuan/standards/uji-temuan.json";

/// (fixture, extra arguments, codes it must trigger)
fn cases() -> Vec<(&'static str, Vec<&'static str>, &'static [&'static str])> {
    let scope = vec!["--region", "61.71", "--period", "2024"];
    vec![
        ("temuan/blank-label.csv", scope.clone(), &["blank-label"]),
        ("temuan/duplicate-label.csv", scope.clone(), &["duplicate-label"]),
        ("temuan/missing-label.csv", scope.clone(), &["missing-label"]),
        ("temuan/extra-label.csv", scope.clone(), &["extra-label"]),
        ("temuan/blank-header.csv", scope.clone(), &["blank-header"]),
        ("temuan/blank-row.csv", scope.clone(), &["blank-row"]),
        ("temuan/blank-table.csv", scope.clone(), &["blank-table"]),
        ("temuan/extra-cell.csv", scope.clone(), &["extra-cell"]),
        ("temuan/missing-cell.csv", scope.clone(), &["missing-cell"]),
        ("temuan/duplicate-row.csv", scope.clone(), &["duplicate-row"]),
        ("temuan/primary-key.csv", scope.clone(), &["primary-key"]),
        ("temuan/type-error.csv", scope.clone(), &["type-error"]),
        ("temuan/constraint-error.csv", scope.clone(), &["constraint-error"]),
        ("temuan/unique-error.csv", scope.clone(), &["unique-error"]),
        ("temuan/reference-error.csv", scope.clone(), &["reference-error"]),
        ("temuan/region-scope-error.csv", scope.clone(), &["region-scope-error"]),
        ("temuan/master-data-error.csv", scope.clone(), &["master-data-error"]),
        ("temuan/consistency-error.csv", scope.clone(), &["consistency-error"]),
        (
            "temuan/row-constraint.csv",
            [
                &scope[..],
                &["--checklist", "tests/fixtures/temuan/checklists/row-constraint.json"],
            ]
            .concat(),
            &["row-constraint"],
        ),
        ("temuan/period-error.csv", scope.clone(), &["period-error"]),
        (
            "temuan/personal-data-warning.csv",
            scope.clone(),
            &["personal-data-warning"],
        ),
        ("temuan/formula-warning.csv", scope.clone(), &["formula-warning"]),
        (
            "temuan/encoding-error.csv",
            vec!["--encoding", "utf-8"],
            &["encoding-error"],
        ),
        ("temuan/format-error.json", vec![], &["format-error"]),
        (
            "temuan/cell-size-error.csv",
            [&scope[..], &["--max-cell-bytes", "64"]].concat(),
            &["cell-size-error"],
        ),
        // A CSV saved under an .xlsx name.
        ("temuan/format-warning.xlsx", scope.clone(), &["format-warning"]),
        ("temuan/percent-warning.xlsx", scope.clone(), &["percent-warning"]),
        ("temuan/skipped-rows.xlsx", scope.clone(), &["skipped-rows"]),
        (
            "penduduk-kelurahan-2024.xlsx",
            vec!["--sheet", "Tidak Ada"],
            &["source-error"],
        ),
        (
            "temuan/campuran.csv",
            scope,
            &[
                "extra-label",
                "blank-row",
                "extra-cell",
                "missing-cell",
                "type-error",
                "constraint-error",
                "unique-error",
                "region-scope-error",
                "master-data-error",
                "consistency-error",
                "period-error",
                "primary-key",
                "personal-data-warning",
                "formula-warning",
            ],
        ),
    ]
}

/// The parts of a report a snapshot keeps.
fn snapshot(report: &serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "valid": report["valid"],
        "errors": report["errors"],
        "warnings": report["warnings"],
        "totals_by_code": report["totals_by_code"],
        "findings": report["findings"],
    })
}

fn check_snapshot(path: PathBuf, actual: &serde_json::Value) {
    let text = serde_json::to_string_pretty(actual).unwrap() + "\n";
    if std::env::var_os("SATUDATA_BLESS").is_some() {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}: run with SATUDATA_BLESS=1 and review it",
            path.display()
        )
    });
    assert_eq!(text, expected, "{} differs from its snapshot", path.display());
}

#[test]
fn every_finding_code_has_a_fixture_and_a_reviewed_report() {
    let env = Env::new();
    let mut covered = BTreeSet::new();
    for (fixture, extra, must) in cases() {
        let path = root().join("tests/fixtures").join(fixture);
        let mut args = vec!["validate", "--standard", STANDARD, "--format", "json"];
        args.extend(extra);
        let path_text = path.display().to_string();
        args.push(&path_text);
        let run = env.run(&args);
        assert!(run.code == 0 || run.code == 1, "{fixture}: {}", run.stderr);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let codes: BTreeSet<String> = report["totals_by_code"].as_object().unwrap().keys().cloned().collect();
        for code in must {
            assert!(codes.contains(*code), "{fixture} must trigger {code}: {codes:?}");
        }
        covered.extend(codes);
        let stem = if must.len() == 1 {
            must[0].to_owned()
        } else {
            path.file_stem().unwrap().to_string_lossy().into_owned()
        };
        let snap = root()
            .join("tests/fixtures/temuan/snapshots")
            .join(format!("{stem}.json"));
        check_snapshot(snap, &snapshot(&report));
    }
    // The Frictionless-only codes have their fixtures beside the Frictionless comparisons.
    for (schema, file, code) in [
        ("label-kurang.schema.json", "label-kurang.csv", "incorrect-label"),
        ("paket/datapackage.json", "paket/penduduk.csv", "foreign-key"),
    ] {
        let dir = root().join("tests/fixtures/frictionless");
        let run = env.run(&[
            "validate",
            "--format",
            "json",
            "--schema",
            dir.join(schema).to_str().unwrap(),
            dir.join(file).to_str().unwrap(),
        ]);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert!(report["totals_by_code"][code].as_u64().unwrap() >= 1, "{file}");
        covered.insert(code.to_owned());
        let snap = root()
            .join("tests/fixtures/temuan/snapshots")
            .join(format!("{code}.json"));
        check_snapshot(snap, &snapshot(&report));
    }
    covered.insert("metadata-error".into()); // workflow test: crates/workflow/tests/submit.rs
    let all: BTreeSet<String> = satudata_core::FindingCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    let missing: Vec<_> = all.difference(&covered).collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}
