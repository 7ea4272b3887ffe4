//! The three serialisations of the fixture catalog, parsed by rdflib (PyPI): they must be the
//! same graph, and SPARQL queries find every required DCAT-AP 3 property on every node
//! (`rdflib_check.py`). Under `CI=true` a missing python3 or rdflib fails the test; elsewhere it
//! is skipped with a notice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

use satudata_dcat::{Page, RdfFormat, catalog_graph};

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

fn rdflib_available() -> bool {
    Command::new("python3")
        .args(["-c", "import rdflib"])
        .output()
        .is_ok_and(|out| out.status.success())
}

/// What the feeds promise to keep: the text minus the control characters XML cannot carry.
fn cleaned(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

#[test]
fn rdflib_parses_all_three_as_one_graph_with_every_required_property() {
    if !rdflib_available() {
        assert!(
            !in_ci(),
            "CI=true but python3 with rdflib is missing (pip install rdflib)"
        );
        eprintln!("skipped: python3 with rdflib not found (pip install rdflib)");
        return;
    }
    let page = Page::new("/catalog.ttl", 2, 100, 250).with_query("modified_since", "2026-01-01T00:00:00Z");
    let graph = catalog_graph(&common::info(), &common::datasets(), &page).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for format in RdfFormat::ALL {
        let path = dir.path().join(format!("catalog.{}", format.extension()));
        std::fs::write(path, graph.serialize(format)).unwrap();
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rdflib_check.py");
    let out = Command::new("python3").arg(script).arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "rdflib check failed:\n{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    assert_eq!(summary["triples"], graph.len());
    assert_eq!(summary["datasets"], 3);
    assert_eq!(summary["distributions"], 7);
    let mut titles: Vec<String> = common::HOSTILE_TITLES.iter().map(|t| cleaned(t)).collect();
    titles.sort();
    assert_eq!(
        summary["titles"],
        serde_json::json!(titles),
        "hostile titles came back changed"
    );
    assert_eq!(summary["total_items"], 250);
    assert_eq!(
        summary["next"],
        "https://data.pontianak.go.id/catalog.ttl?modified_since=2026-01-01T00%3A00%3A00Z&page=3"
    );

    // The check can fail: without one distribution's byte size the Turtle is another graph,
    // and the SPARQL queries name what it lacks.
    let turtle = graph.serialize(RdfFormat::Turtle);
    let cut = turtle.find("    dcat:byteSize").unwrap();
    let line_end = cut + turtle[cut..].find('\n').unwrap() + 1;
    let broken = format!("{}{}", &turtle[..cut], &turtle[line_end..]);
    std::fs::write(dir.path().join("catalog.ttl"), broken).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rdflib_check.py");
    let out = Command::new("python3").arg(script).arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("catalog.rdf is not isomorphic to catalog.ttl"),
        "{stderr}"
    );
    assert!(
        stderr.contains("catalog.ttl: dcat:Distribution https://data.pontianak.go.id/dataset/"),
        "{stderr}"
    );
    assert!(stderr.contains("lacks dcat:byteSize"), "{stderr}");
}
