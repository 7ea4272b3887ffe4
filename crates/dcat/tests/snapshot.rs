//! The Turtle of one dataset (the one whose title has line breaks, backslashes, a control
//! character and `"""`), against the reviewed golden file
//! `tests/fixtures/angka-partisipasi-sekolah.ttl`. After a deliberate change: `SATUDATA_BLESS=1 cargo test
//! -p satudata-dcat --test snapshot`, then review the diff.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use satudata_dcat::{Error, RdfFormat, dataset_graph};

#[test]
fn dataset_turtle_matches_the_golden_file() {
    let graph = dataset_graph(&common::info(), &common::datasets()[1]).unwrap();
    let turtle = graph.serialize(RdfFormat::Turtle);
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/angka-partisipasi-sekolah.ttl");
    if std::env::var_os("SATUDATA_BLESS").is_some() {
        std::fs::write(&golden, &turtle).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}: run with SATUDATA_BLESS=1 and review it",
            golden.display()
        )
    });
    assert_eq!(turtle, expected, "the Turtle changed: review it, then SATUDATA_BLESS=1");
}

#[test]
fn refused_fields_name_themselves() {
    let info = common::info();
    let mut dataset = common::datasets()[0].clone();
    dataset.landing_page = "/dataset/jumlah-penduduk".into();
    assert!(matches!(
        dataset_graph(&info, &dataset),
        Err(Error::NotAbsolute {
            field: "landing_page",
            ..
        })
    ));
    let mut dataset = common::datasets()[0].clone();
    dataset.distributions[0].sha256 = "not-a-hash".into();
    assert!(matches!(dataset_graph(&info, &dataset), Err(Error::Checksum(_))));
    let mut dataset = common::datasets()[0].clone();
    dataset.temporal.as_mut().unwrap().start = Some("2020-13".into());
    assert!(matches!(dataset_graph(&info, &dataset), Err(Error::Temporal(_))));
    let mut info = common::info();
    info.language = "xx".into();
    assert!(matches!(
        dataset_graph(&info, &common::datasets()[0]),
        Err(Error::UnknownLanguage(_))
    ));
}
