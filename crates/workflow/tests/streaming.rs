//! A file checked in many small batches, with the whole-table checks spilling to disk, gets
//! exactly the report it gets when read whole: same findings, rows, counts and listing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use satudata_core::{ConsistencyRule, DataStandard, FindingCode, Report, RuleFinding};
use satudata_ingest::IngestOptions;
use satudata_workflow::{CheckOptions, Region, Scope, check_file};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/temuan")
}

fn standard() -> DataStandard {
    DataStandard::from_json(&std::fs::read(fixtures().join("standards/uji-temuan.json")).unwrap()).unwrap()
}

fn scope() -> Scope {
    Scope {
        region: Some("61.71".into()),
        period: Some("2024".into()),
        status: None,
    }
}

/// Checks `bytes` whole (one batch, no spilling) and in batches of `batch` bytes with a budget
/// so small that every whole-table check spills; returns both reports.
fn both_ways(bytes: &[u8], batch: usize, limit: u64) -> (Report, Report) {
    both_ways_with(&standard(), bytes, batch, limit)
}

/// [`both_ways`] with another standard.
fn both_ways_with(standard: &DataStandard, bytes: &[u8], batch: usize, limit: u64) -> (Report, Report) {
    let region = Region::read_references(&fixtures()).unwrap();
    let run = |options: IngestOptions, budget: Option<usize>| {
        check_file(
            bytes,
            &options,
            standard,
            &region.code_lists,
            &region.master_data,
            &scope(),
            CheckOptions {
                memory_budget: budget,
                ..CheckOptions::report_only(limit)
            },
        )
        .unwrap()
        .0
    };
    let whole = run(IngestOptions::default(), None);
    let streamed = run(
        IngestOptions {
            batch_bytes: Some(batch),
            ..IngestOptions::default()
        },
        Some(1),
    );
    (whole, streamed)
}

#[test]
fn every_fixture_reports_the_same_in_tiny_batches() {
    let mut checked = 0;
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        for batch in [1, 7, 64] {
            let (whole, streamed) = both_ways(&bytes, batch, 1000);
            assert_eq!(whole, streamed, "{} in batches of {batch} bytes", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} fixtures found");
}

#[test]
fn row_constraints_report_the_same_in_tiny_batches() {
    let mut standard = standard();
    standard.aturan_konsistensi.push(ConsistencyRule {
        nama: "r".into(),
        rumus: "laki_laki <= perempuan * 2 and jumlah >= 0".into(),
        temuan: RuleFinding::RowConstraint,
    });
    for name in ["row-constraint.csv", "campuran.csv", "blank-row.csv"] {
        let bytes = std::fs::read(fixtures().join(name)).unwrap();
        let (whole, _) = both_ways_with(&standard, &bytes, 1 << 20, 1000);
        assert!(whole.count(FindingCode::RowConstraint) > 0, "{name}");
        for batch in [1, 7, 64] {
            let (whole, streamed) = both_ways_with(&standard, &bytes, batch, 1000);
            assert_eq!(whole, streamed, "{name} in batches of {batch} bytes");
        }
    }
}

/// 30,000 rows with repeats planted at known places: duplicate rows, repeated primary keys,
/// repeated unique values, and a type error near the end.
fn planted() -> String {
    let mut text = String::from("tahun,kode_kelurahan,laki_laki,perempuan,jumlah,kontak,nomor_registrasi\n");
    let kelurahan = ["61.71.01.1002", "61.71.01.1003", "61.71.01.1004"];
    for i in 0..30_000u32 {
        // Wide enough that 30,000 rows pass 1 MiB.
        let (year, kel) = (2024, kelurahan[(i % 3) as usize]);
        let reg = if i % 1000 == 999 { 5 } else { i % 1000 };
        match i {
            // An exact copy of row 2 (the first data row): a duplicate row, not a key repeat.
            20_000 => text.push_str("2024,61.71.01.1002,0,0,0,Kantor Kelurahan 0,R-000\n"),
            29_999 => text.push_str("2024,61.71.01.1003,x,1,1,Kantor Kelurahan,R-999\n"),
            _ => writeln!(
                text,
                "{year},{kel},{},{},{},Kantor Kelurahan {i},R-{reg:03}",
                i % 7,
                i % 5,
                i % 7 + i % 5
            )
            .unwrap(),
        }
    }
    text
}

#[test]
fn repeats_across_batches_and_spilled_runs_are_found_once() {
    let text = planted();
    let (whole, streamed) = both_ways(text.as_bytes(), 4096, 50);
    assert_eq!(whole, streamed);
    let r = whole;
    assert_eq!(r.rows, 30_000);
    // Row 20,002 repeats row 2 exactly: one duplicate-row, and no primary-key finding for it.
    assert_eq!(r.count(FindingCode::DuplicateRow), 1);
    // (tahun, kode_kelurahan) takes 3 values: every other row repeats a key.
    assert_eq!(r.count(FindingCode::PrimaryKey), 30_000 - 3 - 1);
    // 1,000 distinct registration numbers (R-000..R-998, and R-999 once at the end).
    assert_eq!(r.count(FindingCode::UniqueError), 30_000 - 1_000);
    assert_eq!(r.count(FindingCode::TypeError), 1);
    // The listing holds the first findings in file order, whatever order they were found in.
    assert!(r.truncated);
    assert_eq!(r.findings.len(), 50);
    let rows: Vec<u64> = r.findings.iter().map(|f| f.row.unwrap_or(0)).collect();
    assert!(rows.windows(2).all(|w| w[0] <= w[1]));
    assert!(rows.last().unwrap() < &100, "{rows:?}");
}

#[test]
fn a_bad_byte_deep_in_the_file_is_an_encoding_error_on_its_line() {
    let mut bytes = planted().into_bytes();
    // The encoding is told from the first block (at least 1 MiB); the bad byte sits past it,
    // on line 25,001, so in small batches the file is UTF-8 with a bad byte there. Read whole,
    // the first block holds the bad byte too and the file is read as Windows-1252.
    let mut text = String::from_utf8(bytes.clone()).unwrap();
    let at = text.match_indices('\n').nth(25_000 - 1).unwrap().0 + 1;
    assert!(at > 1 << 20, "the bad byte must lie past the sniffed block");
    text.insert_str(at, "2024,61.71.01.1002,1,1,2,Kantor Kelurahan,R-");
    bytes = text.into_bytes();
    bytes.insert(at + 44, 0xFF);
    for (batch, errors) in [(4096, 1), (1 << 24, 0)] {
        let (report, _) = check_file(
            &bytes[..],
            &IngestOptions {
                batch_bytes: Some(batch),
                ..IngestOptions::default()
            },
            &standard(),
            &Region::read_references(&fixtures()).unwrap().code_lists,
            &Region::read_references(&fixtures()).unwrap().master_data,
            &scope(),
            CheckOptions::report_only(10),
        )
        .unwrap();
        assert_eq!(report.count(FindingCode::EncodingError), errors, "batch {batch}");
        if errors > 0 {
            assert_eq!(report.findings[0].row, Some(25_001), "batch {batch}");
        }
    }
}
