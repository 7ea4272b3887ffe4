//! `satudata validate` on every sample submission reports exactly the findings that
//! `sample_data/EXPECTED.md` lists (code, row, column, field, value), and nothing on valid files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Env, root};

type Key = (String, Option<u64>, Option<u64>, Option<String>, String);

/// Parses EXPECTED.md: file -> standard id, and file -> expected findings.
fn expected() -> (BTreeMap<String, String>, BTreeMap<String, BTreeSet<Key>>) {
    let text = std::fs::read_to_string(root().join("sample_data/EXPECTED.md")).unwrap();
    let clean = |s: &str| s.trim().trim_matches('`').to_owned();
    let mut standards = BTreeMap::new();
    let mut findings: BTreeMap<String, BTreeSet<Key>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("## `submissions/") {
            current = Some(rest.trim_end_matches('`').to_owned());
            findings.entry(current.clone().unwrap()).or_default();
            continue;
        }
        if line.starts_with("## ") {
            current = None;
            continue;
        }
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
        if cells.len() == 2 && line.starts_with("| `") && line.contains(".csv`") {
            let standard = cells[1].trim().split(' ').next().unwrap().to_owned();
            standards.insert(clean(cells[0]), standard);
        }
        let Some(file) = &current else { continue };
        if cells.len() == 5 && line.starts_with("| `") {
            let num = |s: &str| s.trim().parse::<u64>().ok();
            let field = match clean(cells[3]).as_str() {
                "-" | "" => None,
                f => Some(f.to_owned()),
            };
            let value = match clean(cells[4]).as_str() {
                "(empty)" => String::new(),
                v => v.to_owned(),
            };
            findings
                .get_mut(file)
                .unwrap()
                .insert((clean(cells[0]), num(cells[1]), num(cells[2]), field, value));
        }
    }
    (standards, findings)
}

fn actual(env: &Env, standard: &str, file: &str) -> (i32, BTreeSet<Key>, serde_json::Value) {
    let standard_path = format!("sample_data/standards/{standard}.json");
    let file_path = format!("sample_data/submissions/{file}");
    let (code, report) = env.validate_json(&standard_path, &file_path, &[]);
    let keys = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["row"].as_u64(),
                f["column"].as_u64(),
                f["field"].as_str().map(str::to_owned),
                f["value"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    (code, keys, report)
}

#[test]
fn broken_submissions_report_exactly_the_expected_findings() {
    let env = Env::new();
    let (standards, findings) = expected();
    assert!(findings.len() >= 8, "EXPECTED.md lists {} files", findings.len());
    let mut codes = BTreeSet::new();
    for (file, want) in &findings {
        let standard = &standards[file];
        let (code, got, report) = actual(&env, standard, file);
        assert_eq!(&got, want, "{file}");
        assert_eq!(code, 1, "{file} must exit 1");
        assert_eq!(report["valid"], false);
        assert_eq!(report["errors"].as_u64().unwrap() as usize, want.len(), "{file}");
        for f in report["findings"].as_array().unwrap() {
            assert!(!f["message_id"].as_str().unwrap().is_empty());
            assert!(!f["message_en"].as_str().unwrap().is_empty());
            codes.insert(f["code"].as_str().unwrap().to_owned());
        }
    }
    for code in [
        "missing-label",
        "extra-label",
        "duplicate-label",
        "blank-label",
        "type-error",
        "constraint-error",
        "unique-error",
        "reference-error",
        "master-data-error",
    ] {
        assert!(codes.contains(code), "no sample triggers {code}");
    }
}

#[test]
fn valid_submissions_have_no_findings() {
    let env = Env::new();
    for (file, standard) in [
        ("penduduk-kelurahan-2024.csv", "penduduk-kelurahan-jenis-kelamin"),
        ("penduduk-kelurahan-2025.csv", "penduduk-kelurahan-jenis-kelamin"),
        ("kunjungan-puskesmas-2024.csv", "kunjungan-puskesmas-bulanan"),
        ("sekolah-2024.csv", "sekolah-menurut-jenjang"),
    ] {
        let (code, got, report) = actual(&env, standard, file);
        assert_eq!(got, BTreeSet::new(), "{file}");
        assert_eq!(code, 0, "{file}");
        assert!(report["rows"].as_u64().unwrap() > 0);
    }
}

#[test]
fn text_report_speaks_indonesian_by_default_and_english_on_request() {
    let env = Env::new();
    let args = [
        "validate",
        "--standard",
        "sample_data/standards/kunjungan-puskesmas-bulanan.json",
        "sample_data/submissions/kunjungan-puskesmas-rusak-nilai.csv",
    ];
    let id = env.run(&args);
    assert_eq!(id.code, 1);
    assert!(id.stdout.contains("TIDAK VALID"), "{}", id.stdout);
    assert!(
        id.stdout.contains(
            "baris 3 kolom D (jumlah_kunjungan): Nilai \"seratus\" bukan bilangan bulat yang sah; tulis seperti 1250"
        ),
        "{}",
        id.stdout
    );
    let mut en_args = vec!["--lang", "en"];
    en_args.extend(args);
    let en = env.run(&en_args);
    assert_eq!(en.code, 1);
    assert!(en.stdout.contains("INVALID"), "{}", en.stdout);
    assert!(
        en.stdout.contains(
            "row 3 column D (jumlah_kunjungan): Value \"seratus\" is not a valid whole number; write it like 1250"
        ),
        "{}",
        en.stdout
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    let env = Env::new();
    let missing = env.run(&[
        "validate",
        "--standard",
        "sample_data/standards/sekolah-menurut-jenjang.json",
        "tidak-ada.csv",
    ]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("tidak-ada.csv"), "{}", missing.stderr);
    assert_eq!(env.run(&["validate"]).code, 2);
    assert_eq!(env.run(&["--lang", "fr", "init"]).code, 2);
    let not_init = env.run(&["run", "pipelines/sekolah-jenjang-2024.toml"]);
    assert_eq!(not_init.code, 2);
    assert!(not_init.stderr.contains("satudata init"), "{}", not_init.stderr);
}

#[test]
fn an_unreadable_file_is_a_format_finding_not_a_crash() {
    let env = Env::new();
    let path = env.dir.path().join("kosong.csv");
    std::fs::write(&path, b"").unwrap();
    let run = env.run(&[
        "validate",
        "--standard",
        "sample_data/standards/sekolah-menurut-jenjang.json",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let finding = &report["findings"][0];
    assert_eq!(finding["code"], "format-error");
    // An empty file says so, in both languages, with no placeholder for a format it never had.
    let (id, en) = (
        finding["message_id"].as_str().unwrap(),
        finding["message_en"].as_str().unwrap(),
    );
    assert!(id.starts_with("Berkas kosong") && !id.contains('?'), "{id}");
    assert!(en.starts_with("The file is empty") && !en.contains('?'), "{en}");
}

#[test]
fn region_and_period_flags_turn_on_their_checks() {
    let env = Env::new();
    let run = |extra: &[&str], file: &str| {
        let path = format!("sample_data/submissions/{file}");
        env.validate_json(
            "sample_data/standards/penduduk-kelurahan-jenis-kelamin.json",
            &path,
            extra,
        )
    };
    let (code, report) = run(&["--region", "61.71"], "penduduk-kelurahan-rusak-kode-wilayah.csv");
    assert_eq!(code, 1);
    assert_eq!(report["totals_by_code"]["region-scope-error"], 1);
    assert_eq!(report["totals_by_code"]["reference-error"], 2);
    let scoped = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "region-scope-error")
        .unwrap();
    assert_eq!(
        (scoped["row"].as_u64(), scoped["value"].as_str()),
        (Some(4), Some("32.75.01.1001"))
    );

    let (code, report) = run(&["--period", "2024"], "penduduk-kelurahan-2025.csv");
    assert_eq!(code, 1);
    assert_eq!(report["totals_by_code"]["period-error"], 58);
    let (code, _) = run(
        &["--period", "2025", "--region", "61.71"],
        "penduduk-kelurahan-2025.csv",
    );
    assert_eq!(code, 0);
    let bad = env.run(&["validate", "--status", "publik", "--standard", "x.json", "y.csv"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn html_report_is_a_standalone_page() {
    let env = Env::new();
    let run = env.run(&[
        "--lang",
        "en",
        "validate",
        "--standard",
        "sample_data/standards/sekolah-menurut-jenjang.json",
        "--format",
        "html",
        "sample_data/submissions/sekolah-rusak-nilai.csv",
    ]);
    assert_eq!(run.code, 1);
    let page = &run.stdout;
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(page.contains("<title>Validation report sekolah-rusak-nilai.csv</title>"));
    assert!(page.contains("INVALID: 10 rows, 5 errors, 0 warnings"));
    // What was checked, and when.
    assert!(
        page.contains("<tr><th>File</th><td>sekolah-rusak-nilai.csv</td></tr>"),
        "{page}"
    );
    assert!(
        page.contains("<tr><th>Data standard</th><td>sekolah-menurut-jenjang version 1.0</td></tr>"),
        "{page}"
    );
    assert!(page.contains("<tr><th>Checked at</th><td>20"), "{page}");
    // Findings by the file's own header, with its column letter; a fix line per kind.
    assert!(
        page.contains("<h3>NPSN <small>(column A, <code>npsn</code>)</small> (2)</h3>"),
        "{page}"
    );
    assert!(
        page.contains("<td>Value should be unique</td><td><code>unique-error</code></td>"),
        "{page}"
    );
    assert!(page.contains("<summary><h2>Findings per row</h2></summary>"), "{page}");
    assert!(page.contains("href=\"data:text/csv;charset=utf-8,%EF%BB%BF"), "{page}");
    assert!(
        page.contains("Value &quot;Swasta Nasional&quot; is not one of: Negeri, Swasta"),
        "{page}"
    );
    assert!(page.ends_with("</html>\n"));
}

#[test]
fn findings_come_as_csv_with_column_letters_and_labels() {
    let env = Env::new();
    let run = env.run(&[
        "validate",
        "--standard",
        "sample_data/standards/kunjungan-puskesmas-bulanan.json",
        "--format",
        "csv",
        "sample_data/submissions/kunjungan-puskesmas-rusak-nilai.csv",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "baris,kolom,judul_kolom,kolom_standar,kode,jenis,tingkat,nilai,keterangan"
    );
    assert!(
        lines[1]
            .starts_with("3,D,Kunjungan – Total,jumlah_kunjungan,type-error,Nilai tidak sesuai tipe,galat,seratus,"),
        "{}",
        run.stdout
    );
    let (_, report) = env.validate_json(
        "sample_data/standards/kunjungan-puskesmas-bulanan.json",
        "sample_data/submissions/kunjungan-puskesmas-rusak-nilai.csv",
        &[],
    );
    assert_eq!(
        lines.len(),
        report["findings"].as_array().unwrap().len() + 2,
        "a line a finding"
    );
}

#[test]
fn reports_name_the_sheet_the_standard_and_the_time_of_the_check() {
    let env = Env::new();
    let (code, report) = env.validate_json(
        "sample_data/standards/penduduk-kelurahan-jenis-kelamin.json",
        "tests/fixtures/penduduk-kelurahan-2024.xlsx",
        &["--sheet", "Penduduk"],
    );
    assert_eq!(code, 0, "{report}");
    let context = &report["context"];
    assert_eq!(context["file"], "penduduk-kelurahan-2024.xlsx");
    assert_eq!(context["sheet"], "Penduduk");
    assert_eq!(context["standard"], "penduduk-kelurahan-jenis-kelamin");
    assert!(
        context["standard_version"].as_str().is_some_and(|v| !v.is_empty()),
        "{report}"
    );
    let at = context["checked_at"].as_str().unwrap();
    assert!(at.len() == 20 && at.ends_with('Z') && at.as_bytes()[10] == b'T', "{at}");
    let page = env.run(&[
        "validate",
        "--format",
        "html",
        "--sheet",
        "Penduduk",
        "--standard",
        "sample_data/standards/penduduk-kelurahan-jenis-kelamin.json",
        "tests/fixtures/penduduk-kelurahan-2024.xlsx",
    ]);
    assert!(
        page.stdout.contains("<tr><th>Lembar kerja</th><td>Penduduk</td></tr>"),
        "{}",
        page.stdout
    );
}

#[test]
fn a_standard_tells_the_form_it_wants_in_its_own_words() {
    let env = Env::new();
    let path = env.dir.path().join("sekolah.csv");
    std::fs::write(
        &path,
        "NPSN,Nama Sekolah,Jenjang,Kode Kecamatan,Status,Jumlah Siswa,Jumlah Guru,Rasio Siswa/Guru\n\
         3010010,TK Negeri Pembina Pontianak,TK,6171.05,Negeri,117,9,13.00\n",
    )
    .unwrap();
    let (code, report) = env.validate_json(
        "sample_data/standards/sekolah-menurut-jenjang.json",
        path.to_str().unwrap(),
        &[],
    );
    assert_eq!(code, 1, "{report}");
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            // The standard's keterangan_pola, not the expression [0-9]{8}.
            "Nilai \"3010010\" tidak sesuai format yang diminta: NPSN terdiri atas 8 angka, misalnya 30100101",
            "\"3010010\" tidak terdaftar dalam data induk sekolah",
            // The column's contoh.
            "Nilai \"6171.05\" bukan kode wilayah yang sah; tulis seperti 61.71.01",
        ]
    );
}
