//! The JSON Schemas in `schemas/` describe what the code reads and writes: every sample document
//! conforms to its schema, and every report satudata writes conforms to the report schema.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{Env, root};

fn schema(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schemas").join(name)).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, doc: &serde_json::Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:?}");
}

#[test]
fn sample_documents_conform_to_their_schemas() {
    for (folder, schema_name) in [
        ("code_lists", "code_list.schema.json"),
        ("master_data", "master_data.schema.json"),
        ("standards", "standard.schema.json"),
    ] {
        let validator = schema(schema_name);
        let dir = root().join("sample_data").join(folder);
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            assert_valid(&validator, &json(&path), &path.display().to_string());
            n += 1;
        }
        assert!(n > 0, "{folder} is empty");
    }
    let dataset = schema("dataset.schema.json");
    for name in ["jumlah-penduduk-kelurahan", "kunjungan-puskesmas", "sekolah-jenjang"] {
        let path = root().join(format!("sample_data/datasets/{name}.json"));
        assert_valid(&dataset, &json(&path), name);
    }
    let broken = json(&root().join("sample_data/datasets/rekap-anggaran-bappeda.json"));
    assert!(!dataset.is_valid(&broken));
}

#[test]
fn reports_conform_to_the_report_schema() {
    let validator = schema("report.schema.json");
    let env = Env::new();
    for (standard, file) in [
        ("sekolah-menurut-jenjang", "sekolah-rusak-nilai.csv"),
        ("sekolah-menurut-jenjang", "sekolah-2024.csv"),
        (
            "kunjungan-puskesmas-bulanan",
            "kunjungan-puskesmas-rusak-label-kosong.csv",
        ),
    ] {
        let run = env.run(&[
            "validate",
            "--standard",
            &format!("sample_data/standards/{standard}.json"),
            "--format",
            "json",
            "--limit",
            "2",
            &format!("sample_data/submissions/{file}"),
        ]);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_valid(&validator, &report, file);
    }
    // Reports the workflow stores, metadata findings included.
    let run = env.run(&["demo", "--no-serve"]);
    assert_eq!(run.code, 0);
    let reports = env.data_dir().join("store/reports");
    let mut n = 0;
    for org in std::fs::read_dir(&reports).unwrap() {
        for dataset in std::fs::read_dir(org.unwrap().path()).unwrap() {
            for report in std::fs::read_dir(dataset.unwrap().path()).unwrap() {
                let path = report.unwrap().path();
                if path.extension().is_some_and(|e| e == "html") {
                    continue;
                }
                assert_valid(&validator, &json(&path), &path.display().to_string());
                // Each stored report has its readable page beside it.
                let page = std::fs::read_to_string(path.with_extension("html")).unwrap();
                assert!(page.contains("<html lang=\"id\">"));
                n += 1;
            }
        }
    }
    // Seven pipelines and the demo's first, incomplete file.
    assert_eq!(n, 8);
}

#[test]
fn the_standard_schema_knows_every_type_and_rule_finding() {
    let text = std::fs::read_to_string(root().join("schemas/standard.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let names = schema
        .pointer("/$defs/column/properties/tipe_data/enum")
        .and_then(serde_json::Value::as_array)
        .unwrap();
    for name in names {
        let kind: satudata_core::DataType = serde_json::from_value(name.clone()).unwrap();
        assert_eq!(kind.as_str(), name.as_str().unwrap());
    }
    for name in ["time", "duration", "geopoint", "geojson", "object", "array", "list"] {
        assert!(names.iter().any(|n| n == name), "{name}");
    }
    let standard = serde_json::json!({
        "id": "uji", "nama": "Uji", "versi": "1.0",
        "aturan_konsistensi": [
            {"nama": "urutan", "rumus": "tutup > buka"},
            {"nama": "baris", "rumus": "tutup > buka", "temuan": "row-constraint"}
        ],
        "kolom": [
            {"nama": "buka", "tipe_data": "time", "format": {"tanggal": "%H:%M"}},
            {"nama": "tutup", "tipe_data": "time", "aturan_validasi": {"maksimum": 64800}},
            {"nama": "batas", "tipe_data": "geojson", "format": {"teks": "topojson"}},
            {"nama": "kelas", "tipe_data": "list", "format": {"pemisah_isi": ";", "tipe_isi": "integer"},
             "aturan_validasi": {"panjang_maksimum": 6}}
        ]
    });
    satudata_core::DataStandard::from_json(standard.to_string().as_bytes()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert_valid(&validator, &standard, "standard with the new types");
    // A dataset's metadata carries the standard's columns, described alike.
    let dataset: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("schemas/dataset.schema.json")).unwrap()).unwrap();
    assert_eq!(dataset.pointer("/$defs/column"), schema.pointer("/$defs/column"));
}
