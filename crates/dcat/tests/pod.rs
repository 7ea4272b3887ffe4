//! `data_json` against the official Project Open Data 1.1 JSON Schema (tests/fixtures/pod/,
//! see SOURCE.md there), with the US-federal `bureauCode` and `programCode` dropped from the
//! dataset's `required`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use jsonschema::{Registry, Validator};
use serde_json::{Value, json};

use satudata_dcat::{POD_CONFORMS_TO, data_json};

const ID: &str = "https://project-open-data.cio.gov/v1.1/schema/";

/// A way to break a valid `data.json`, and what it is.
type Breakage = (&'static str, fn(&mut Value));

fn schema(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/pod/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn validator() -> Validator {
    let mut dataset = schema("dataset.json");
    let required = dataset["required"].as_array_mut().unwrap();
    let before = required.len();
    required.retain(|field| field != "bureauCode" && field != "programCode");
    assert_eq!(
        required.len(),
        before - 2,
        "the schema no longer requires bureauCode and programCode"
    );
    let registry = Registry::new()
        .extend([
            (format!("{ID}dataset.json"), dataset),
            (format!("{ID}distribution.json"), schema("distribution.json")),
            (format!("{ID}organization.json"), schema("organization.json")),
            (format!("{ID}vcard.json"), schema("vcard.json")),
        ])
        .unwrap()
        .prepare()
        .unwrap();
    jsonschema::options()
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&schema("catalog.json"))
        .unwrap()
}

fn errors(validator: &Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn data_json_is_valid_pod_1_1() {
    let validator = validator();
    let doc = data_json(&common::info(), &common::datasets()).unwrap();
    assert_eq!(errors(&validator, &doc), Vec::<String>::new());

    assert_eq!(doc["conformsTo"], POD_CONFORMS_TO);
    let datasets = doc["dataset"].as_array().unwrap();
    assert_eq!(datasets.len(), 3);
    let levels: Vec<&Value> = datasets.iter().map(|d| &d["accessLevel"]).collect();
    assert_eq!(
        levels,
        [&json!("public"), &json!("restricted public"), &json!("public")]
    );
    let periods: Vec<&Value> = datasets.iter().map(|d| &d["accrualPeriodicity"]).collect();
    assert_eq!(periods, [&json!("R/P1Y"), &json!("R/P6M"), &json!("irregular")]);
    assert_eq!(datasets[1]["temporal"], "2024-01/2025-06");
    assert_eq!(datasets[0]["license"], "https://creativecommons.org/licenses/by/4.0/");
    assert_eq!(
        datasets[0]["distribution"][1]["mediaType"],
        "application/vnd.apache.parquet"
    );
    assert_eq!(
        datasets[0]["contactPoint"]["hasEmail"],
        "mailto:walidata@pontianak.go.id"
    );
    assert!(datasets[0].get("bureauCode").is_none());
}

#[test]
fn the_schema_refuses_what_pod_forbids() {
    let validator = validator();
    let good = data_json(&common::info(), &common::datasets()).unwrap();
    let breakages: [Breakage; 4] = [
        ("no title", |doc| {
            doc["dataset"][0].as_object_mut().unwrap().remove("title");
        }),
        ("a CKAN access word", |doc| {
            doc["dataset"][0]["accessLevel"] = json!("terbuka")
        }),
        ("a frequency word", |doc| {
            doc["dataset"][1]["accrualPeriodicity"] = json!("tahunan")
        }),
        ("no keyword", |doc| doc["dataset"][2]["keyword"] = json!([])),
    ];
    for (what, break_it) in breakages {
        let mut doc = good.clone();
        break_it(&mut doc);
        assert!(!errors(&validator, &doc).is_empty(), "{what} passed the POD schema");
    }
}

#[test]
fn a_dataset_without_tags_still_has_keywords_and_themes_stay_unique() {
    let mut datasets = common::datasets();
    datasets[0].keywords.clear();
    datasets[0].contact.email = None;
    datasets[0].themes = vec!["kependudukan".into(), "kesehatan".into(), " kependudukan ".into()];
    let doc = data_json(&common::info(), &datasets).unwrap();
    assert_eq!(errors(&validator(), &doc), Vec::<String>::new());
    assert_eq!(
        doc["dataset"][0]["keyword"],
        json!(["kependudukan", "kesehatan", "kependudukan"])
    );
    assert_eq!(doc["dataset"][0]["theme"], json!(["kependudukan", "kesehatan"]));
    assert_eq!(
        doc["dataset"][0]["contactPoint"]["hasEmail"],
        "mailto:disdukcapil@pontianak.go.id"
    );
}
