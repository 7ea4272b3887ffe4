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
    env.feed("posyandu-kelurahan", "dinkes");
    let pipeline = env.pipeline("posyandu", "posyandu-kelurahan", "2024", &data);
    let run = env.run(&["--lang", "en", "run", pipeline.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("region-scope-error: 1"), "{}", run.stdout);
    assert!(run.stdout.contains("reference-error: 1"), "{}", run.stdout);
    assert!(run.stdout.contains("constraint-error: 1"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("row 3 column A (kode_kelurahan): Region code \"32.75.01.1001\" is outside region 61.71"),
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

/// Rows of a bundled region-code file, counted from the file itself (one header line).
fn bundled_rows(file: &str) -> usize {
    use std::io::Read as _;
    let gz = std::fs::read(root().join("data/wilayah").join(format!("{file}.csv.gz"))).unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut text).unwrap();
    text.lines().count() - 1
}

#[test]
fn the_whole_country_imports_without_a_folder() {
    let env = Env::new();
    let init = env.run(&["init", "--wilayah"]);
    assert_eq!(init.code, 0, "{}{}", init.stdout, init.stderr);
    let counts = format!(
        "{} provinsi, {} kabupaten/kota, {} kecamatan, {} desa/kelurahan",
        bundled_rows("provinces"),
        bundled_rows("regencies"),
        bundled_rows("districts"),
        bundled_rows("villages")
    );
    assert!(init.stdout.contains(&counts), "{counts}\n{}", init.stdout);
    assert_eq!(bundled_rows("provinces"), 38);

    let import = env.run(&["wilayah", "import"]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    assert!(
        import.stdout.contains("Kode referensi wilayah-indonesia dimuat"),
        "{}",
        import.stdout
    );
    assert!(import.stdout.contains(&counts), "{}", import.stdout);

    // A PD pre-checks against the national list with --data-dir, as the data center will.
    let standards = env.dir.path().join("pd/standards");
    std::fs::create_dir_all(&standards).unwrap();
    let standard = standards.join("posyandu.json");
    std::fs::write(
        &standard,
        r#"{"id":"posyandu","nama":"Posyandu per Kelurahan","kolom":[
            {"nama":"kode_kelurahan","tipe_data":"kode_wilayah","klasifikasi":"wilayah-indonesia",
             "aturan_validasi":{"wajib":true,"tingkat_wilayah":"desa/kelurahan"}},
            {"nama":"jumlah_posyandu","tipe_data":"integer","aturan_validasi":{"minimum":0}}]}"#,
    )
    .unwrap();
    let data = env.dir.path().join("posyandu.csv");
    std::fs::write(
        &data,
        "kode_kelurahan,jumlah_posyandu\n61.71.01.1002,4\n11.01.01.2001,3\n61.71.09.9999,2\n",
    )
    .unwrap();
    let (code, report) = env.validate_json(standard.to_str().unwrap(), data.to_str().unwrap(), &[]);
    assert_eq!(code, 1, "{report}");
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!(findings[0]["code"], "reference-error", "{report}");
    assert_eq!(findings[0]["value"], "61.71.09.9999", "{report}");

    // --references still works, and wins over the data directory for a list both hold.
    let lists = env.dir.path().join("pd/code_lists");
    std::fs::create_dir_all(&lists).unwrap();
    std::fs::write(
        lists.join("wilayah.json"),
        r#"{"id":"wilayah-indonesia","nama":"Kelurahan","isian":[{"kode":"61.71.09.9999","nilai":"Uji"}]}"#,
    )
    .unwrap();
    let pd = env.dir.path().join("pd");
    let (code, report) = env.validate_json(
        standard.to_str().unwrap(),
        data.to_str().unwrap(),
        &["--references", pd.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{report}");
    let values: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["61.71.01.1002", "11.01.01.2001"], "{report}");
}

#[test]
fn the_version_names_the_region_list_and_its_licence() {
    let run = Env::new().run(&["--version"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("idn-area-data 4.0.1"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Open Database License (ODbL) 1.0"),
        "{}",
        run.stdout
    );
}
