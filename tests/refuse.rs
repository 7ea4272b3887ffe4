//! What must never be published is refused: a table with no data rows, a submission whose
//! period is no period (or not one its dataset's frequency allows); releases describe their
//! own period; booleans are read without guesswork.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Env, root};

const DATASET: &str = "jumlah-penduduk-kelurahan";

/// The latest release in the catalog, and how many submissions were recorded.
fn catalog_state(env: &Env) -> (Option<u32>, i64) {
    let db = env.data_dir().join("catalog.db");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let catalog = satudata_catalog::Catalog::open_sqlite(&db).await.unwrap();
        let latest = catalog.latest_release(DATASET).await.unwrap().map(|r| r.version);
        let submissions: i64 = sqlx::query_scalar("SELECT count(*) FROM submissions")
            .fetch_one(catalog.pool())
            .await
            .unwrap();
        (latest, submissions)
    })
}

fn metadata(env: &Env, version: u32) -> serde_json::Value {
    let path = env.release("disdukcapil", DATASET, version).join("metadata.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn publish_2024(env: &Env) {
    let source = root().join("sample_data/submissions/penduduk-kelurahan-2024.csv");
    let p = env.pipeline("p2024", DATASET, "2024", &source);
    let run = env.run(&["run", p.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn a_header_only_file_never_replaces_the_latest_release() {
    let env = Env::with_sample_region();
    publish_2024(&env);
    let header_only = env.dir.path().join("kosong.csv");
    std::fs::write(
        &header_only,
        "Tahun;Kode Kelurahan;Jenis Kelamin;Jumlah Penduduk (jiwa)\n",
    )
    .unwrap();
    // Blank rows under the header are no data either.
    let blank_rows = env.dir.path().join("kosong-baris.csv");
    std::fs::write(
        &blank_rows,
        "tahun,kode_kelurahan,jenis_kelamin,jumlah_penduduk\n,,,\n,,,\n",
    )
    .unwrap();
    for file in [&header_only, &blank_rows] {
        let p = env.pipeline("kosong", DATASET, "2025", file);
        let run = env.run(&["run", p.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("blank-table: 1"), "{}", run.stdout);
        assert!(run.stdout.contains("Ditolak"), "{}", run.stdout);
        assert!(!env.release("disdukcapil", DATASET, 2).exists());
        assert_eq!(catalog_state(&env).0, Some(1), "v1 stays the latest");
    }
    let (_, report) = env.validate_json(
        "sample_data/standards/penduduk-kelurahan-jenis-kelamin.json",
        header_only.to_str().unwrap(),
        &[],
    );
    assert_eq!(report["valid"], false);
    assert_eq!(report["rows"], 0);
    assert_eq!(report["findings"][0]["code"], "blank-table");
    assert_eq!(report["findings"][0]["severity"], "error");
}

#[test]
fn an_impossible_period_is_refused_before_anything_is_stored() {
    let env = Env::with_sample_region();
    let source = root().join("sample_data/submissions/penduduk-kelurahan-2024.csv");
    let submissions_dir = env.data_dir().join("store/submissions");
    for (period, says_id, says_en) in [
        (
            "kemarin",
            "tidak dapat dibaca sebagai periode",
            "cannot be read as a period",
        ),
        (
            "2024-13",
            "tidak dapat dibaca sebagai periode",
            "cannot be read as a period",
        ),
        (
            "2024-Q5",
            "tidak dapat dibaca sebagai periode",
            "cannot be read as a period",
        ),
        // The dataset is published yearly (tahunan): a month is not one of its periods.
        (
            "2024-03",
            "padahal frekuensi dataset ini tahunan",
            "published yearly (tahunan)",
        ),
    ] {
        let p = env.pipeline("salah", DATASET, period, &source);
        let run = env.run(&["run", p.to_str().unwrap()]);
        assert_eq!(run.code, 2, "{period}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(&format!("\"{period}\"")), "{}", run.stderr);
        assert!(run.stderr.contains(says_id), "{}", run.stderr);
        let english = env.run(&["--lang", "en", "run", p.to_str().unwrap()]);
        assert_eq!(english.code, 2, "{period}: {}{}", english.stdout, english.stderr);
        assert!(english.stderr.contains(says_en), "{}", english.stderr);
        // The forms a yearly dataset takes are named.
        assert!(run.stderr.contains("2024 (tahun)"), "{}", run.stderr);
        assert_eq!(catalog_state(&env), (None, 0), "{period}: nothing recorded");
        assert!(!submissions_dir.exists(), "{period}: nothing stored");
    }
    // A pipeline fetching its file is refused before the fetch (nothing listens on port 9).
    let remote = env.dir.path().join("jauh.toml");
    std::fs::write(
        &remote,
        format!("dataset = \"{DATASET}\"\nperiod = \"2024-13\"\n[source]\nurl = \"http://127.0.0.1:9/data.csv\"\n"),
    )
    .unwrap();
    let run = env.run(&["run", remote.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("\"2024-13\" tidak dapat dibaca"), "{}", run.stderr);
    // `validate --period` takes the same forms, any kind when no dataset says which.
    let standard = "sample_data/standards/penduduk-kelurahan-jenis-kelamin.json";
    let file = source.to_str().unwrap();
    let run = env.run(&["validate", "--standard", standard, "--period", "2024-13", file]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("2024-Q1 (triwulan)"), "{}", run.stderr);
    let (code, _) = env.validate_json(standard, file, &["--period", "2024-S2"]);
    assert_eq!(code, 0, "rows of the year 2024 contain its second half");
}

#[test]
fn row_periods_are_compared_as_spans() {
    let env = Env::new();
    let standard = env.dir.path().join("bulanan.json");
    std::fs::write(
        &standard,
        r#"{"id":"bulanan","nama":"Bulanan","kolom_periode":"periode",
            "kolom":[{"nama":"periode","tipe_data":"string"},{"nama":"jumlah","tipe_data":"integer"}]}"#,
    )
    .unwrap();
    let file = env.dir.path().join("bulanan.csv");
    std::fs::write(
        &file,
        "periode,jumlah\n2024-02,1\n2024-Q1,2\n2024-04,3\n2024-13,4\n2023-12-31,5\n",
    )
    .unwrap();
    let (code, report) = env.validate_json(
        standard.to_str().unwrap(),
        file.to_str().unwrap(),
        &["--period", "2024-Q1"],
    );
    assert_eq!(code, 1);
    let rows: Vec<(u64, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["row"].as_u64().unwrap(), f["value"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, [(4, "2024-04"), (5, "2024-13"), (6, "2023-12-31")]);
    assert!(
        report["findings"][1]["message_id"]
            .as_str()
            .unwrap()
            .contains("tidak dapat dibaca sebagai periode"),
        "{report}"
    );
}

#[test]
fn a_release_says_which_period_its_rows_cover() {
    let env = Env::with_sample_region();
    publish_2024(&env);
    let v1 = metadata(&env, 1);
    assert_eq!(
        v1["dataset"]["temporal_coverage"],
        serde_json::json!({"start": "2024", "end": "2024"})
    );
    let source = root().join("sample_data/submissions/penduduk-kelurahan-2025.csv");
    // The period is written in any case; the release speaks of it canonically.
    let p = env.pipeline("p2025", DATASET, " 2025 ", &source);
    let run = env.run(&["run", p.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // A series: v2 keeps the 2024 rows beside 2025's, and says so.
    let v2 = metadata(&env, 2);
    assert_eq!(
        v2["dataset"]["temporal_coverage"],
        serde_json::json!({"start": "2024", "end": "2025"})
    );
    assert_eq!(v2["dataset"]["periods"], serde_json::json!(["2024", "2025"]));
    assert_eq!(v2["provenance"]["period"], "2025");
}

#[test]
fn a_lone_t_or_f_is_not_guessed() {
    let env = Env::new();
    let standard = env.dir.path().join("boolean.json");
    std::fs::write(
        &standard,
        r#"{"id":"b","nama":"B","kolom":[
            {"nama":"aktif","tipe_data":"boolean"},
            {"nama":"ada","tipe_data":"boolean","format":{"nilai_benar":["Ada","t"],"nilai_salah":["Tidak ada","f"]}}]}"#,
    )
    .unwrap();
    let file = env.dir.path().join("boolean.csv");
    std::fs::write(&file, "aktif,ada\nYa,Ada\nn,Tidak ada\nTRUE,t\n0,f\nt,ya\nF,Ada\n").unwrap();
    let (code, report) = env.validate_json(standard.to_str().unwrap(), file.to_str().unwrap(), &[]);
    assert_eq!(code, 1);
    let found: Vec<(u64, &str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["row"].as_u64().unwrap(),
                f["field"].as_str().unwrap(),
                f["code"].as_str().unwrap(),
            )
        })
        .collect();
    // The default words refuse t and F; the standard's own words for `ada` take t and f, not ya.
    assert_eq!(
        found,
        [
            (6, "aktif", "type-error"),
            (6, "ada", "type-error"),
            (7, "aktif", "type-error")
        ]
    );
    let ambiguous = &report["findings"][0];
    let id = ambiguous["message_id"].as_str().unwrap();
    assert!(id.contains("bisa berarti true") && id.contains("atau tidak"), "{id}");
    assert!(id.contains("ya/tidak"), "{id}");
    let en = ambiguous["message_en"].as_str().unwrap();
    assert!(en.contains("ambiguous"), "{en}");
    assert!(
        !report["findings"][1]["message_id"]
            .as_str()
            .unwrap()
            .contains("bisa berarti")
    );
}
