//! Inputs the fuzz targets (`fuzz/`, see `docs/FUZZING.md`) found to crash the rule parser, and
//! the bounds their fixes keep. Each file under `tests/fixtures/fuzz/rules/` is a fuzz input as
//! found: its first byte picks the syntax (even: a Satu Data `rumus`, odd: a Frictionless
//! row-constraint formula), the rest is the rule.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use satudata_core::{ConsistencyRule, DataStandard, FindingCode, RuleFinding};
use satudata_validate::{Context, Error, RuleError};

/// A standard with integer columns `a`, `b`, `c` and the one rule.
fn standard(rumus: &str, temuan: RuleFinding) -> DataStandard {
    let mut standard = DataStandard::from_json(
        br#"{"id":"fuzz","nama":"Fuzz","kolom":[
            {"nama":"a","tipe_data":"integer"},{"nama":"b","tipe_data":"integer"},
            {"nama":"c","tipe_data":"integer"}]}"#,
    )
    .unwrap();
    standard.aturan_konsistensi = vec![ConsistencyRule {
        nama: "aturan".into(),
        rumus: rumus.into(),
        temuan,
    }];
    standard
}

/// Runs `check` on a thread with a 2 MiB stack, what a rayon or tokio worker has, so that a
/// parse that recursed once per character would overflow here rather than pass on a big stack.
fn on_small_stack<T: Send + 'static>(check: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(check)
        .unwrap()
        .join()
        .unwrap()
}

/// What preparing `rumus` gives: `Ok(())`, or the problem of the rule error.
fn prepare(rumus: String, temuan: RuleFinding) -> Result<(), RuleError> {
    on_small_stack(move || {
        let standard = standard(&rumus, temuan);
        match Context::new(&standard, &[], &[]) {
            Ok(_) => Ok(()),
            Err(Error::Rule { problem, .. }) => Err(problem),
            Err(other) => panic!("not a rule error: {other}"),
        }
    })
}

#[test]
fn deep_rules_are_refused_not_a_stack_overflow() {
    let deep = 100_000;
    let cases = [
        (
            format!("{}a{} = b", "(".repeat(deep), ")".repeat(deep)),
            RuleFinding::ConsistencyError,
        ),
        (format!("{}a > b", "not ".repeat(deep)), RuleFinding::ConsistencyError),
        (format!("{}a = b", "- ".repeat(deep)), RuleFinding::ConsistencyError),
        (format!("a = b{}", " + a".repeat(deep)), RuleFinding::ConsistencyError),
        (
            format!("a > b{}", " and a > b".repeat(deep)),
            RuleFinding::ConsistencyError,
        ),
        (format!("{}a", "(".repeat(deep)), RuleFinding::RowConstraint),
        (format!("a{}", " ** a".repeat(deep)), RuleFinding::RowConstraint),
        (format!("a in ({}a,)", "(".repeat(deep)), RuleFinding::RowConstraint),
        (
            format!("int({}a{})", "int(".repeat(deep), ")".repeat(deep)),
            RuleFinding::RowConstraint,
        ),
    ];
    for (rumus, temuan) in cases {
        let start: String = rumus.chars().take(20).collect();
        let problem = prepare(rumus, temuan).expect_err(&start);
        assert!(
            matches!(problem, RuleError::TooDeep { max: 256, .. }),
            "{start}: {problem}"
        );
    }
}

#[test]
fn rules_within_the_depth_are_read_as_before() {
    // 100 brackets, and a sum of 200 columns: deeper than any rule a PD writes, within the bound.
    let bracketed = format!("{}a{} = b + c", "(".repeat(100), ")".repeat(100));
    let long_sum = format!("a * 200 = {}", vec!["a"; 200].join(" + "));
    let python = format!("{}a == b + c{}", "(".repeat(100), ")".repeat(100));
    for (rumus, temuan) in [
        (bracketed, RuleFinding::ConsistencyError),
        (long_sum, RuleFinding::ConsistencyError),
        (python, RuleFinding::RowConstraint),
    ] {
        let standard = standard(&rumus, temuan);
        let ctx = Context::new(&standard, &[], &[]).unwrap();
        let v = common::validate_rows(&["a", "b", "c"], &[["1", "3", "2"], ["1", "1", "0"]], &ctx);
        let broken: Vec<(FindingCode, Option<u64>)> = v.report.findings.iter().map(|f| (f.code, f.row)).collect();
        let code = match temuan {
            RuleFinding::ConsistencyError => FindingCode::ConsistencyError,
            RuleFinding::RowConstraint => FindingCode::RowConstraint,
        };
        // Row 2 (1 = 3 + 2) breaks the bracketed rules; row 3 holds. The sum holds on both.
        let expected = if rumus.starts_with("a * 200") {
            vec![]
        } else {
            vec![(code, Some(2))]
        };
        assert_eq!(broken, expected, "{}", &rumus[..30]);
    }
}

#[test]
fn every_fuzz_input_found_prepares_without_a_crash() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/fuzz/rules");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let Some((&syntax, rule)) = bytes.split_first() else {
            continue;
        };
        let temuan = if syntax & 1 == 0 {
            RuleFinding::ConsistencyError
        } else {
            RuleFinding::RowConstraint
        };
        let rumus = String::from_utf8_lossy(rule).into_owned();
        let started = std::time::Instant::now();
        let _ = prepare(rumus, temuan);
        assert!(
            started.elapsed().as_secs() < 5,
            "{} took {:?}",
            path.display(),
            started.elapsed()
        );
        seen += 1;
    }
    assert!(seen > 0, "no fuzz inputs under {}", dir.display());
}
