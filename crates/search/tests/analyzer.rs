//! The search claims at the analyser level, hostile queries, and speed.

mod common;

use common::hostile_queries;
use satudata_search::{Clause, analyze, analyze_query, index_terms, normalize};

/// Whether two texts share at least one search term.
fn share_a_term(a: &str, b: &str) -> bool {
    let b = analyze(b);
    analyze(a).iter().any(|t| b.contains(t))
}

#[test]
fn penduduk_finds_kependudukan_and_sekolah_finds_persekolahan() {
    assert!(share_a_term("penduduk", "Statistik Kependudukan Kota Pontianak"));
    assert!(share_a_term("sekolah", "Data Persekolahan 2024"));
    assert_eq!(analyze("penduduk"), analyze("kependudukan"));
    assert_eq!(analyze("sekolah"), analyze("persekolahan"));
    // The query side: the user's word, stemmed, is a term of the document.
    let doc = analyze("Jumlah Kependudukan menurut Kecamatan");
    assert!(analyze_query("penduduk").terms().all(|t| doc.iter().any(|d| d == t)));
}

#[test]
fn case_and_accents_do_not_matter() {
    let want = analyze("kesehatan");
    assert_eq!(want, ["sehat"]);
    for variant in [
        "Kesehatan",
        "KESEHATAN",
        "kesehätan",
        "KÉSÈHÂTAN",
        "kesehatan\u{0301}",
        "ｋｅｓｅｈａｔａｎ",
    ] {
        assert_eq!(analyze(variant), want, "{variant}");
    }
    assert_eq!(analyze_query("KESEHÄTAN"), analyze_query("kesehatan"));
}

#[test]
fn domain_topics_meet_their_roots() {
    for (derived, root) in [
        ("pendidikan", "didik"),
        ("perekonomian", "ekonomi"),
        ("pertanian", "petani"),
        ("perikanan", "ikan"),
        ("pengangguran", "menganggur"),
        ("kemiskinan", "miskin"),
        ("perumahan", "rumah"),
        ("kelurahan", "lurah"),
        ("ketenagakerjaan", "tenagakerja"),
    ] {
        assert!(share_a_term(derived, root), "{derived} / {root}");
    }
    assert!(!share_a_term("selatan", "selat"));
}

#[test]
fn stopwords_go_and_codes_stay_whole() {
    assert_eq!(analyze("Data dari dan untuk yang di Kota"), ["data", "kota"]);
    assert_eq!(analyze("Kode wilayah 61.71.01"), ["kode", "wilayah", "617101"]);
    assert_eq!(analyze_query("61.71").to_fts5().as_deref(), Some(r#""6171"*"#));
    assert_eq!(index_terms("yang dan di"), "");
}

#[test]
fn a_half_typed_derived_word_still_finds_its_root() {
    let doc = analyze("Statistik Kependudukan dan Pendidikan");
    for typed in ["kependud", "pendid", "KEPENDUD"] {
        let q = analyze_query(typed);
        let Some(Clause::Partial { root_start, .. }) = q.clauses().first() else {
            panic!("{typed}: {q:?}")
        };
        assert!(
            doc.iter().any(|t| t.starts_with(root_start.as_str())),
            "{typed}: {root_start}"
        );
    }
    assert_eq!(
        analyze_query("data kependud").to_fts5().as_deref(),
        Some(r#""data"* AND ("kependud"* OR "dud"*)"#)
    );
    assert_eq!(
        analyze_query("data kependud").to_tsquery().as_deref(),
        Some("'data':* & ('kependud':* | 'dud':*)")
    );
    // Only the word being typed: a space, a quote or a stopword after it means it is whole.
    for whole in [
        "kependud ",
        "kependud data",
        "\"kependud\"",
        "kependud dan",
        "kependud.",
    ] {
        let q = analyze_query(whole);
        assert!(
            !q.clauses().iter().any(|c| matches!(c, Clause::Partial { .. })),
            "{whole:?}: {q:?}"
        );
    }
}

#[test]
fn phrases_and_prefixes() {
    let q = analyze_query(r#"angka "penduduk miskin" kesehat"#);
    assert_eq!(
        q.clauses(),
        &[
            Clause::Word("angka".into()),
            Clause::Phrase(vec!["duduk".into(), "miskin".into()]),
            Clause::Word("sehat".into()),
        ]
    );
    assert_eq!(
        q.to_fts5().as_deref(),
        Some(r#""angka"* AND "duduk miskin" AND "sehat"*"#)
    );
    assert_eq!(
        q.to_tsquery().as_deref(),
        Some("'angka':* & ('duduk' <-> 'miskin') & 'sehat':*")
    );
}

#[test]
fn hostile_queries_render_only_safe_characters() {
    for text in hostile_queries() {
        let q = analyze_query(&text);
        if let Some(f) = q.to_fts5() {
            let mut depth_ok = f.chars().filter(|&c| c == '"').count() % 2 == 0;
            depth_ok &= f
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '"' | '*' | '(' | ')'));
            assert!(depth_ok, "{text:?} -> {f:?}");
        }
        if let Some(t) = q.to_tsquery() {
            let ok = t.chars().all(|c| c.is_alphanumeric() || " ':*&|()<->".contains(c));
            assert!(
                ok && t.chars().filter(|&c| c == '\'').count() % 2 == 0,
                "{text:?} -> {t:?}"
            );
        }
        assert_eq!(q.is_empty(), q.to_fts5().is_none());
        assert_eq!(q.is_empty(), q.to_tsquery().is_none());
        assert!(q.clauses().len() <= satudata_search::MAX_CLAUSES);
    }
    for empty in ["", "yang dan di", "\"\"", "&|!", "\0", "the of"] {
        assert!(analyze_query(empty).is_empty(), "{empty:?}");
    }
}

#[test]
fn a_kilobyte_description_takes_microseconds() {
    let description = "Data jumlah penduduk menurut kecamatan dan kelurahan di Kota Pontianak, \
        Provinsi Kalimantan Barat (kode wilayah 61.71), bersumber dari Dinas Kependudukan dan \
        Pencatatan Sipil. Kumpulan data ini memuat angka kelahiran, kematian, perpindahan \
        penduduk, kepadatan penduduk per kilometer persegi, serta persentase penduduk miskin \
        dan tingkat pengangguran terbuka. Pemutakhiran dilakukan setiap tahun (frekuensi \
        penerbitan tahunan) oleh Bidang Statistik Dinas Komunikasi dan Informatika. Data \
        disajikan pada level kecamatan; definisi dan konsep mengikuti rujukan Badan Pusat \
        Statistik. Keterlambatan penerbitan ditandai terlambat. Penggunaan data terbuka untuk \
        penelitian, perencanaan pembangunan, kesehatan, pendidikan dan perekonomian daerah. \
        Kolom: kode_wilayah (klasifikasi kode wilayah Kemendagri), nama_kecamatan, tahun, \
        jumlah_penduduk_laki_laki, jumlah_penduduk_perempuan, rasio jenis kelamin, luas wilayah \
        (kilometer persegi); konsep: penduduk adalah semua orang yang berdomisili di wilayah \
        tersebut selama enam bulan atau lebih.";
    assert!(description.len() >= 1000, "{} bytes", description.len());
    let _ = index_terms(description); // builds the root list once
    let runs = 200;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        std::hint::black_box(index_terms(std::hint::black_box(description)));
    }
    let each = start.elapsed() / runs;
    println!("index_terms of {} bytes: {each:?}", description.len());
    // Microseconds in a release build; the bound leaves room for an unoptimised, busy CI machine.
    assert!(each < std::time::Duration::from_millis(2), "{each:?} per kilobyte");
    assert_eq!(normalize("ÀÉÎ"), "aei");
}
