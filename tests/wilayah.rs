//! `satudata wilayah import` loads the Kemendagri region codes as one code list, and
//! submissions are checked against it: codes outside the PD's region are region-scope errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Env, root};

#[test]
fn region_codes_import_and_scope_submissions() {
    let env = Env::with_sample_region();
    let import = env.run(&[
        "wilayah",
        "import",
        root().join("tests/fixtures/wilayah").to_str().unwrap(),
    ]);
    assert_eq!(import.code, 0, "{}{}", import.stdout, import.stderr);
    assert!(
        import
            .stdout
            .contains("38 provinsi, 41 kabupaten/kota, 18 kecamatan, 85 desa/kelurahan"),
        "{}",
        import.stdout
    );

    // A standard and a dataset that use the national list.
    let region = env.dir.path().join("wilayah-region");
    std::fs::create_dir_all(region.join("standards")).unwrap();
    std::fs::create_dir_all(region.join("datasets")).unwrap();
    std::fs::write(
        region.join("standards/posyandu.json"),
        r#"{"id":"posyandu","nama":"Posyandu per Kelurahan","kolom":[
            {"nama":"kode_kelurahan","tipe_data":"kode_wilayah","klasifikasi":"wilayah-indonesia",
             "aturan_validasi":{"wajib":true,"tingkat_wilayah":"desa/kelurahan"}},
            {"nama":"jumlah_posyandu","tipe_data":"integer","aturan_validasi":{"minimum":0}}]}"#,
    )
    .unwrap();
    let mut dataset: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root().join("sample_data/datasets/kunjungan-puskesmas.json")).unwrap())
            .unwrap();
    dataset["name"] = "posyandu-kelurahan".into();
    dataset["standard"] = "posyandu".into();
    dataset["temporal_coverage"] = serde_json::json!({"start": "2024", "end": "2024"});
    std::fs::write(region.join("datasets/posyandu.json"), dataset.to_string()).unwrap();
    assert_eq!(env.run(&["load", region.to_str().unwrap()]).code, 0);

    let data = env.dir.path().join("posyandu.csv");
    std::fs::write(
        &data,
        "kode_kelurahan,jumlah_posyandu\n61.71.01.1002,4\n32.75.01.1001,3\n61.71.09.9999,2\n61.71.01,1\n",
    )
    .unwrap();
    let pipeline = env.pipeline("posyandu", "posyandu-kelurahan", "2024", &data);
    let run = env.run(&["--lang", "en", "run", pipeline.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("region-scope-error: 1"), "{}", run.stdout);
    assert!(run.stdout.contains("reference-error: 1"), "{}", run.stdout);
    assert!(run.stdout.contains("constraint-error: 1"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("row 3 column 1 (kode_kelurahan): Region code \"32.75.01.1001\" is outside region 61.71"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_malformed_region_file_is_refused() {
    let env = Env::with_sample_region();
    let dir = env.dir.path().join("rusak");
    std::fs::create_dir_all(&dir).unwrap();
    for file in ["provinces.csv", "regencies.csv", "districts.csv", "villages.csv"] {
        std::fs::copy(root().join("tests/fixtures/wilayah").join(file), dir.join(file)).unwrap();
    }
    std::fs::write(
        dir.join("districts.csv"),
        "code,regency_code,name\n61.71.1,61.71,Salah\n",
    )
    .unwrap();
    let run = env.run(&["wilayah", "import", dir.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("baris 2: \"61.71.1\" bukan kode kecamatan"),
        "{}",
        run.stderr
    );
}
