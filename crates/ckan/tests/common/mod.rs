//! What the integration tests share: the fixture datasets and the integrator's part of a search.

#![allow(clippy::unwrap_used, dead_code)]

use std::path::PathBuf;

use satudata_ckan::{DatasetView, PackageFields, PackageSearch, package_dict};
use serde_json::Value;

pub const SITE: &str = "https://data.pontianak.go.id";

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn datasets() -> Vec<DatasetView> {
    let text = std::fs::read_to_string(fixture("datasets.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

pub fn snapshot(name: &str, actual: &Value) {
    let path = fixture(name);
    let pretty = serde_json::to_string_pretty(actual).unwrap() + "\n";
    if std::env::var_os("SNAPSHOT_UPDATE").is_some() {
        std::fs::write(&path, &pretty).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run with SNAPSHOT_UPDATE=1 and review it",
            path.display()
        )
    });
    if pretty != expected {
        let line = pretty
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        let show = |t: &str| {
            t.lines()
                .skip(line.saturating_sub(2))
                .take(5)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "{name} differs from its golden file at line {}:\n--- got\n{}\n--- golden\n{}\n(SNAPSHOT_UPDATE=1 rewrites it; review the diff)",
            line + 1,
            show(&pretty),
            show(&expected)
        );
    }
}

/// What the integrator does with a search: filter, order, page.
pub fn run_search(search: &PackageSearch, views: &[DatasetView]) -> (Vec<PackageFields>, Vec<Value>) {
    let mut matched: Vec<(&DatasetView, PackageFields)> = views
        .iter()
        .map(|v| (v, v.fields()))
        .filter(|(_, f)| (search.include_private || !f.private) && search.filter().matches(f))
        .collect();
    matched.sort_by(|a, b| search.sort.compare(&a.1, &b.1));
    let page = matched
        .iter()
        .skip(search.start as usize)
        .take(search.rows as usize)
        .map(|(v, _)| package_dict(v))
        .collect();
    (matched.into_iter().map(|(_, f)| f).collect(), page)
}
