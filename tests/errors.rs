//! Error texts end to end: each case in Indonesian (the default) and in English, exactly, from
//! the catalogs; one language at a time, no English words in the Indonesian text, no `?`
//! placeholder and no sentence said twice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Env, Run, root};

/// Words that give English away in a text meant to be Indonesian.
const ENGLISH: [&str; 14] = [
    "does not", "cannot", "is not", "not a", "missing", "invalid", "error", "exist", "content", "match", "sheet",
    "os error", "No such", "unknown",
];

/// Checks `text` (one message, in `lang`) for the faults the issue lists.
fn clean(text: &str, lang: &str) {
    assert!(
        !text.contains("sebagai ?") && !text.contains("as ?"),
        "placeholder: {text}"
    );
    assert!(!text.contains('{'), "unfilled placeholder: {text}");
    let parts: Vec<&str> = text.split(": ").map(str::trim).filter(|p| !p.is_empty()).collect();
    for (i, part) in parts.iter().enumerate() {
        assert!(!parts[i + 1..].contains(part), "said twice: {text}");
    }
    if lang == "id" {
        for word in ENGLISH {
            assert!(!text.contains(word), "English \"{word}\" in: {text}");
        }
        assert!(!text.contains(" / "), "two languages in: {text}");
    }
}

/// The one line a failed command printed on stderr, checked.
fn error_line(run: &Run, lang: &str) -> String {
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    clean(lines[0], lang);
    lines[0].to_owned()
}

/// `validate` of `file` against the school standard, in `lang`, with `extra` options.
fn validate_school(env: &Env, lang: &str, extra: &[&str], file: &str) -> Run {
    let mut args = vec![
        "--lang",
        lang,
        "validate",
        "--standard",
        "sample_data/standards/sekolah-menurut-jenjang.json",
    ];
    args.extend(extra);
    args.push(file);
    env.run(&args)
}

/// The message of the one finding in a JSON report, checked.
fn finding_message(env: &Env, lang: &str, extra: &[&str], file: &str) -> String {
    let mut args = vec![
        "--lang",
        lang,
        "validate",
        "--standard",
        "sample_data/standards/penduduk-kelurahan-jenis-kelamin.json",
        "--format",
        "json",
    ];
    args.extend(extra);
    args.push(file);
    let run = env.run(&args);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    let message = findings[0][format!("message_{lang}")].as_str().unwrap().to_owned();
    clean(&message, lang);
    message
}

#[test]
fn a_missing_file_is_said_once() {
    let env = Env::new();
    let validate = |lang| validate_school(&env, lang, &[], "tidak-ada.csv");
    assert_eq!(
        error_line(&validate("id"), "id"),
        "galat: Tidak ada: tidak-ada.csv (FILE)"
    );
    assert_eq!(
        error_line(&validate("en"), "en"),
        "error: Does not exist: tidak-ada.csv (FILE)"
    );
}

#[test]
fn a_pipeline_source_that_is_missing_is_said_once() {
    let env = Env::with_sample_region();
    let missing = env.dir.path().join("hilang.csv");
    let p = env.pipeline("hilang", "sekolah-jenjang", "2024", &missing);
    let id = error_line(&env.run(&["run", p.to_str().unwrap()]), "id");
    assert_eq!(id, format!("galat: {}: tidak ada", missing.display()));
    let en = error_line(&env.run(&["--lang", "en", "run", p.to_str().unwrap()]), "en");
    assert_eq!(en, format!("error: {}: does not exist", missing.display()));
}

#[test]
fn an_unknown_dataset_is_named_in_the_language_asked_for() {
    let env = Env::with_sample_region();
    let source = root().join("sample_data/submissions/sekolah-2024.csv");
    let p = env.pipeline("asing", "tidak-ada", "2024", &source);
    let id = error_line(&env.run(&["run", p.to_str().unwrap()]), "id");
    assert_eq!(id, "galat: Tidak ada dataset \"tidak-ada\" di katalog");
    let en = error_line(&env.run(&["--lang", "en", "run", p.to_str().unwrap()]), "en");
    assert_eq!(en, "error: There is no dataset \"tidak-ada\" in the catalog");
}

#[test]
fn a_directory_that_was_never_initialised_says_so() {
    let env = Env::new();
    let dir = env.data_dir();
    let id = error_line(&env.run(&["run", "pipelines/sekolah-jenjang-2024.toml"]), "id");
    assert_eq!(
        id,
        format!(
            "galat: {} bukan direktori data satudata (jalankan `satudata init` dulu)",
            dir.display()
        )
    );
    let en = error_line(
        &env.run(&["--lang", "en", "run", "pipelines/sekolah-jenjang-2024.toml"]),
        "en",
    );
    assert_eq!(
        en,
        format!(
            "error: {} is not a satudata data directory (run `satudata init` first)",
            dir.display()
        )
    );
}

#[test]
fn an_empty_file_is_named_empty_not_a_placeholder() {
    let env = Env::new();
    let path = env.dir.path().join("kosong.csv");
    std::fs::write(&path, b"").unwrap();
    let file = path.to_str().unwrap();
    assert_eq!(
        finding_message(&env, "id", &[], file),
        "Berkas kosong: tidak ada baris judul kolom"
    );
    assert_eq!(
        finding_message(&env, "en", &[], file),
        "The file is empty: there is no header row"
    );
}

#[test]
fn a_folder_given_as_the_file_is_named_a_folder() {
    // Checked with the arguments, before anything is read (exit 2).
    let env = Env::new();
    let folder = env.dir.path().to_str().unwrap();
    let validate = |lang| validate_school(&env, lang, &[], folder);
    assert_eq!(
        error_line(&validate("id"), "id"),
        format!("galat: Bukan berkas: {folder} (FILE)")
    );
    assert_eq!(
        error_line(&validate("en"), "en"),
        format!("error: Not a file: {folder} (FILE)")
    );
}

#[test]
fn a_missing_sheet_lists_the_sheets_there_are() {
    let env = Env::new();
    let file = "tests/fixtures/penduduk-kelurahan-2024.xlsx";
    let sheet = ["--sheet", "Rekap"];
    assert_eq!(
        finding_message(&env, "id", &sheet, file),
        "Lembar \"Rekap\" tidak ada; yang ada: Penduduk, Catatan"
    );
    assert_eq!(
        finding_message(&env, "en", &sheet, file),
        "Sheet \"Rekap\" is not in the workbook; it has: Penduduk, Catatan"
    );
}

#[test]
fn a_broken_audit_log_is_explained_in_the_language_asked_for() {
    let env = Env::with_sample_region();
    let db = env.data_dir().join("catalog.db");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let catalog = satudata_catalog::Catalog::open_sqlite(&db).await.unwrap();
        for sql in [
            "DROP TRIGGER audit_log_no_update",
            "UPDATE audit_log SET actor = 'penyusup' WHERE id = 2",
        ] {
            sqlx::query(sql).execute(catalog.pool()).await.unwrap();
        }
    });
    let id = env.run(&["audit", "verify"]);
    assert_eq!(id.code, 1, "{}{}", id.stdout, id.stderr);
    let line = id.stdout.trim();
    clean(line, "id");
    assert_eq!(
        line,
        "Log audit RUSAK pada entri 2: isi entri tidak cocok dengan hash-nya"
    );
    let en = env.run(&["--lang", "en", "audit", "verify"]);
    assert_eq!(
        en.stdout.trim(),
        "Audit log BROKEN at entry 2: the entry's content does not match its hash"
    );
}

#[test]
fn an_unknown_option_value_is_named_in_one_language() {
    let env = Env::new();
    let run = |lang| {
        let file = "sample_data/submissions/sekolah-2024.csv";
        validate_school(&env, lang, &["--delimiter", "::"], file)
    };
    assert_eq!(error_line(&run("id"), "id"), "galat: Pemisah tidak dikenal: ::");
    assert_eq!(error_line(&run("en"), "en"), "error: Unknown delimiter: ::");
}

#[test]
fn a_broken_rule_in_a_standard_is_named_with_where_it_breaks() {
    let env = Env::new();
    let standard = env.dir.path().join("rusak.json");
    let rule = |rumus: &str, temuan: &str| {
        serde_json::json!({
            "id": "uji-aturan",
            "nama": "Uji aturan",
            "versi": "1.0",
            "aturan_konsistensi": [{"nama": "total", "rumus": rumus, "temuan": temuan}],
            "kolom": [
                {"nama": "laki_laki", "tipe_data": "integer"},
                {"nama": "perempuan", "tipe_data": "integer"},
                {"nama": "jumlah", "tipe_data": "integer"}
            ]
        })
        .to_string()
    };
    let file = env.dir.path().join("jumlah.csv");
    std::fs::write(&file, "laki_laki,perempuan,jumlah\n1,2,3\n").unwrap();
    let check = |lang: &str| {
        let run = env.run(&[
            "--lang",
            lang,
            "validate",
            "--standard",
            standard.to_str().unwrap(),
            file.to_str().unwrap(),
        ]);
        error_line(&run, lang)
    };
    std::fs::write(&standard, rule("jumlah = laki_laki +", "consistency-error")).unwrap();
    assert_eq!(
        check("id"),
        "galat: Standar data uji-aturan: Rumus aturan konsistensi \"total\" tidak sah: 'jumlah = laki_laki +' berakhir sebelum \
         selesai, setelah '+'"
    );
    assert_eq!(
        check("en"),
        "error: Data standard uji-aturan: The consistency rule \"total\" is invalid: 'jumlah = laki_laki +' ends before it is \
         complete, after '+'"
    );
    // A row constraint is read as Python: a single '=' is named where it is.
    std::fs::write(&standard, rule("jumlah = laki_laki + perempuan", "row-constraint")).unwrap();
    assert_eq!(
        check("id"),
        "galat: Standar data uji-aturan: Rumus batasan baris \"total\" tidak sah: 'jumlah = laki_laki + perempuan' memakai '=' \
         pada karakter ke-8; untuk membandingkan, tulis '=='"
    );
    assert_eq!(
        check("en"),
        "error: Data standard uji-aturan: The row constraint \"total\" is invalid: 'jumlah = laki_laki + perempuan' uses '=' at \
         character 8; to compare, write '=='"
    );
}
