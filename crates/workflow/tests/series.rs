//! A dataset is a series over periods: each submission replaces its period's rows and keeps the
//! others; the diff a verifier reads says what a submission changes within its period. Over a
//! real data directory holding the sample region.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use satudata_ingest::IngestOptions;
use satudata_workflow::diff::Matching;
use satudata_workflow::{DataCenter, Decision, Outcome, Submission};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sample(name: &str) -> String {
    std::fs::read_to_string(repo().join("sample_data/submissions").join(name)).unwrap()
}

async fn sample_center(dir: &Path) -> DataCenter {
    let dc = DataCenter::init(dir).await.unwrap();
    dc.load_region(&repo().join("sample_data"), "admin").await.unwrap();
    feeds(&dc).await;
    dc
}

/// A submitter allowed to submit for any PD.
fn uji() -> satudata_core::access::Actor {
    satudata_core::access::Actor::user("uji", satudata_core::access::Role::Admin, None)
}

/// Every dataset a recurring feed: a verifier's automatic approval (with the dataset's status)
/// and its PD's standing consent, so that valid submissions publish at once.
async fn feeds(dc: &DataCenter) {
    use satudata_core::access::{Actor, Role};
    let walidata = Actor::user("walidata", Role::Walidata, None);
    for metadata in dc.catalog().datasets().await.unwrap() {
        let status = Some(metadata.status_kerahasiaan());
        dc.set_auto_approve(&metadata.name, status, &walidata).await.unwrap();
        let produsen = Actor::user("produsen", Role::Produsen, Some(&metadata.organization));
        dc.set_standing_consent(&metadata.name, true, &produsen).await.unwrap();
    }
}

async fn submit(dc: &DataCenter, dataset: &str, period: &str, text: &str) -> Outcome {
    dc.submit(Submission {
        dataset,
        period,
        file_name: "data.csv",
        bytes: text.as_bytes(),
        options: IngestOptions::default(),
        actor: &uji(),
    })
    .await
    .unwrap()
}

fn version(outcome: &Outcome) -> u32 {
    match &outcome.decision {
        Decision::Published { version, .. } => *version,
        other => panic!("{other:?}: {:?}", outcome.report.findings.first()),
    }
}

/// A release's data file, its metadata and (when kept) the data center's full table.
struct Release {
    data: DataFrame,
    csv: String,
    metadata: serde_json::Value,
    manifest: serde_json::Value,
}

async fn release(dc: &DataCenter, org: &str, dataset: &str, v: u32) -> Release {
    let path = format!("datasets/{org}/{dataset}/v{v}");
    let get = |file: &str| {
        let key = format!("{path}/{file}");
        async move { dc.store().get(&key).await.unwrap() }
    };
    let data = ParquetReader::new(Cursor::new(get("data.parquet").await))
        .finish()
        .unwrap();
    Release {
        data,
        csv: String::from_utf8(get("data.csv").await).unwrap(),
        metadata: serde_json::from_slice(&get("metadata.json").await).unwrap(),
        manifest: serde_json::from_slice(&get("manifest.json").await).unwrap(),
    }
}

fn years(table: &DataFrame) -> Vec<i32> {
    table
        .column("tahun")
        .unwrap()
        .i32()
        .unwrap()
        .into_no_null_iter()
        .collect()
}

/// The rows of `csv` (header left out) whose first cell is `year`.
fn rows_of<'a>(csv: &'a str, year: &str) -> Vec<&'a str> {
    csv.lines()
        .skip(1)
        .filter(|l| l.starts_with(&format!("{year},")))
        .collect()
}

/// The 2024 sample corrected: one count changed, the last row left out.
fn correction_2024() -> String {
    let original = sample("penduduk-kelurahan-2024.csv");
    let mut lines: Vec<String> = original.lines().map(str::to_owned).collect();
    assert_eq!(lines[1], "2024;61.71.01.1002;1;16626");
    lines[1] = "2024;61.71.01.1002;1;16700".into();
    lines.pop();
    lines.join("\n") + "\n"
}

const PENDUDUK: &str = "jumlah-penduduk-kelurahan";

#[tokio::test]
async fn a_correction_replaces_its_period_and_keeps_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let dc = sample_center(tmp.path()).await;

    let first = submit(&dc, PENDUDUK, "2024", &sample("penduduk-kelurahan-2024.csv")).await;
    assert_eq!(version(&first), 1);
    let v1 = release(&dc, "disdukcapil", PENDUDUK, 1).await;
    assert_eq!(v1.data.height(), 58);
    assert!(years(&v1.data).iter().all(|&y| y == 2024));
    assert_eq!(v1.metadata["dataset"]["periods"], serde_json::json!(["2024"]));
    assert_eq!(
        v1.metadata["dataset"]["temporal_coverage"],
        serde_json::json!({"start": "2024", "end": "2024"})
    );

    let second = submit(&dc, PENDUDUK, "2025", &sample("penduduk-kelurahan-2025.csv")).await;
    assert_eq!(version(&second), 2);
    let v2 = release(&dc, "disdukcapil", PENDUDUK, 2).await;
    assert_eq!(v2.data.height(), 116);
    // Ordered by period, then by the primary key.
    let y = years(&v2.data);
    assert!(y[..58].iter().all(|&y| y == 2024) && y[58..].iter().all(|&y| y == 2025));
    let sorted = v2
        .data
        .sort(
            ["tahun", "kode_kelurahan", "jenis_kelamin"],
            SortMultipleOptions::default(),
        )
        .unwrap();
    assert!(sorted.equals_missing(&v2.data));
    assert_eq!(rows_of(&v2.csv, "2024"), rows_of(&v1.csv, "2024"));
    assert_eq!(rows_of(&v2.csv, "2025").len(), 58);
    assert_eq!(v2.metadata["dataset"]["periods"], serde_json::json!(["2024", "2025"]));
    assert_eq!(
        v2.metadata["dataset"]["temporal_coverage"],
        serde_json::json!({"start": "2024", "end": "2025"})
    );
    let release_row = dc.catalog().latest_release(PENDUDUK).await.unwrap().unwrap();
    assert_eq!(release_row.rows, 116);
    // The data package states the same periods.
    let package: serde_json::Value = serde_json::from_slice(
        &dc.store()
            .get(&format!("datasets/disdukcapil/{PENDUDUK}/v2/datapackage.json"))
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(package["periods"], serde_json::json!(["2024", "2025"]));
    assert_eq!(package["temporal_coverage"]["end"], "2025");

    let third = submit(&dc, PENDUDUK, "2024", &correction_2024()).await;
    assert_eq!(version(&third), 3);
    let v3 = release(&dc, "disdukcapil", PENDUDUK, 3).await;
    assert_eq!(v3.data.height(), 57 + 58);
    let corrected = rows_of(&v3.csv, "2024");
    assert_eq!(corrected.len(), 57);
    assert_eq!(corrected[0], "2024,61.71.01.1002,1,16700");
    assert_eq!(rows_of(&v3.csv, "2025"), rows_of(&v2.csv, "2025"));
    assert_eq!(v3.metadata["dataset"]["periods"], serde_json::json!(["2024", "2025"]));
    assert_eq!(v3.manifest["version"], 3);

    // The content digest works on the merged table: the same correction, or the same 2025 rows
    // again, change nothing.
    let again = submit(&dc, PENDUDUK, "2024", &correction_2024()).await;
    assert_eq!(again.decision, Decision::Unchanged { version: 3 });
    let again = submit(&dc, PENDUDUK, "2025", &sample("penduduk-kelurahan-2025.csv")).await;
    assert_eq!(again.decision, Decision::Unchanged { version: 3 });

    // The diff of the correction is against v2, the release it followed, within 2024 only.
    let diff = dc.diff_for_submission(third.submission_id).await.unwrap();
    assert_eq!(diff.base_version, Some(2));
    assert_eq!(diff.period, "2024");
    let c = &diff.changes;
    assert_eq!(c.matched_by, Matching::PrimaryKey);
    assert_eq!(c.key, ["tahun", "kode_kelurahan", "jenis_kelamin"]);
    assert_eq!((c.rows_before, c.rows_after), (58, 57));
    assert_eq!(
        (c.unchanged, c.changed.count, c.removed.count, c.added.count),
        (56, 1, 1, 0)
    );
    let change = &c.changed.items[0];
    assert_eq!(change.key, ["2024", "61.71.01.1002", "1"]);
    assert_eq!(change.cells.len(), 1);
    assert_eq!(
        (
            change.cells[0].column.as_str(),
            change.cells[0].before.as_str(),
            change.cells[0].after.as_str()
        ),
        ("jumlah_penduduk", "16626", "16700")
    );
    let last_2024 = rows_of(&v2.csv, "2024")
        .last()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect::<Vec<_>>();
    assert_eq!(c.removed.items[0].values, last_2024);
    assert!(c.columns_added.is_empty() && c.columns_removed.is_empty());

    // The 2025 submission, against v1 (2024 only): every row of 2025 is new.
    let diff = dc.diff_for_submission(second.submission_id).await.unwrap();
    assert_eq!(diff.base_version, Some(1));
    assert_eq!((diff.changes.rows_before, diff.changes.added.count), (0, 58));
    // The first submission has nothing before it.
    let diff = dc.diff_for_submission(first.submission_id).await.unwrap();
    assert_eq!(diff.base_version, None);
    assert_eq!(diff.changes.added.count, 58);
    // A submission the data center does not know is an error, not an empty diff.
    assert!(matches!(
        dc.diff_for_submission(999).await,
        Err(satudata_workflow::Error::UnknownSubmission(999))
    ));
}

#[tokio::test]
async fn withheld_columns_are_merged_from_the_data_centers_full_table() {
    let tmp = tempfile::tempdir().unwrap();
    let dc = sample_center(tmp.path()).await;
    let mut standard = dc.catalog().standard("penduduk-kelurahan-jenis-kelamin").await.unwrap();
    let jumlah = standard.kolom.iter_mut().find(|c| c.nama == "jumlah_penduduk").unwrap();
    jumlah.dapat_diakses_umum = false;
    dc.catalog().put_standard(&standard, "admin").await.unwrap();

    version(&submit(&dc, PENDUDUK, "2024", &sample("penduduk-kelurahan-2024.csv")).await);
    let second = submit(&dc, PENDUDUK, "2025", &sample("penduduk-kelurahan-2025.csv")).await;
    assert_eq!(version(&second), 2);
    let v2 = release(&dc, "disdukcapil", PENDUDUK, 2).await;
    assert!(v2.data.column("jumlah_penduduk").is_err());
    assert_eq!(v2.data.height(), 116);
    assert!(!v2.csv.contains("jumlah_penduduk"));
    // Every row, of both periods, keeps the withheld column in the data center's copy, which no
    // manifest lists.
    let full = dc
        .store()
        .get(&format!("internal/datasets/disdukcapil/{PENDUDUK}/v2/full.parquet"))
        .await
        .unwrap();
    let full = ParquetReader::new(Cursor::new(full)).finish().unwrap();
    assert_eq!(full.height(), 116);
    assert_eq!(full.column("jumlah_penduduk").unwrap().null_count(), 0);
    let listed: Vec<&str> = v2.manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(listed.iter().all(|p| !p.contains("full")), "{listed:?}");

    // The diff sees the withheld column too.
    let third = submit(&dc, PENDUDUK, "2024", &correction_2024()).await;
    assert_eq!(version(&third), 3);
    let diff = dc.diff_for_submission(third.submission_id).await.unwrap();
    assert_eq!(diff.changes.changed.items[0].cells[0].column, "jumlah_penduduk");
}

#[tokio::test]
async fn a_column_a_newer_standard_adds_is_empty_in_older_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let dc = sample_center(tmp.path()).await;
    version(&submit(&dc, PENDUDUK, "2024", &sample("penduduk-kelurahan-2024.csv")).await);

    let mut standard = dc.catalog().standard("penduduk-kelurahan-jenis-kelamin").await.unwrap();
    let mut extra = standard.kolom[3].clone();
    extra.nama = "jumlah_kk".into();
    extra.alias = vec!["Jumlah KK".into()];
    extra.aturan_validasi.wajib = false;
    standard.kolom.push(extra);
    standard.versi = "1.1".into();
    dc.catalog().put_standard(&standard, "admin").await.unwrap();

    let with_kk: String = sample("penduduk-kelurahan-2025.csv")
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l};Jumlah KK\n")
            } else {
                format!("{l};10\n")
            }
        })
        .collect();
    let second = submit(&dc, PENDUDUK, "2025", &with_kk).await;
    assert_eq!(version(&second), 2);
    let v2 = release(&dc, "disdukcapil", PENDUDUK, 2).await;
    let kk = v2.data.column("jumlah_kk").unwrap();
    assert_eq!(kk.null_count(), 58, "the 2024 rows have no value");
    assert_eq!(v2.data.height(), 116);

    // A correction of 2024 under the new standard names the column it adds.
    let third = submit(&dc, PENDUDUK, "2024", &correction_2024()).await;
    let diff = dc.diff_for_submission(third.submission_id).await.unwrap();
    assert_eq!(diff.base_version, Some(2));
    assert!(diff.changes.columns_added.is_empty(), "v2 already had the column");
    let diff = dc.diff_for_submission(second.submission_id).await.unwrap();
    assert_eq!(diff.changes.columns_added, ["jumlah_kk"]);
}

#[tokio::test]
async fn a_dataset_without_a_period_column_is_replaced_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dc = sample_center(tmp.path()).await;
    let text = sample("sekolah-2024.csv");
    let first = submit(&dc, "sekolah-jenjang", "2024", &text).await;
    assert_eq!(version(&first), 1);
    // The next year's file: the first ten schools, one with more pupils.
    let next: String = text
        .lines()
        .take(11)
        .map(|l| {
            l.replacen(
                "TK Negeri Pembina Pontianak,TK,61.71.05,Negeri,117",
                "TK Negeri Pembina Pontianak,TK,61.71.05,Negeri,120",
                1,
            ) + "\n"
        })
        .collect();
    let second = submit(&dc, "sekolah-jenjang", "2025", &next).await;
    assert_eq!(version(&second), 2);
    let v2 = release(&dc, "disdikbud", "sekolah-jenjang", 2).await;
    assert_eq!(v2.data.height(), 10);
    assert_eq!(v2.metadata["dataset"]["periods"], serde_json::json!(["2025"]));
    // Submission order is kept when nothing orders the rows.
    let original: Vec<&str> = text.lines().skip(1).take(10).map(|l| &l[..8]).collect();
    let published: Vec<&str> = v2.csv.lines().skip(1).map(|l| &l[..8]).collect();
    assert_eq!(published, original);

    // Without a primary key rows are matched whole: the changed school is one removed and one
    // added row, the others left out of the new file are removed.
    let diff = dc.diff_for_submission(second.submission_id).await.unwrap();
    assert_eq!(diff.period, "");
    let c = &diff.changes;
    assert_eq!(c.matched_by, Matching::Fingerprint);
    assert_eq!((c.rows_before, c.rows_after), (21, 10));
    assert_eq!(
        (c.unchanged, c.added.count, c.removed.count, c.changed.count),
        (9, 1, 12, 0)
    );
    assert_eq!(c.added.items[0].values[5], "120");
    assert!(c.removed.items.iter().any(|r| r.values[5] == "117"));
    // As JSON, for the server.
    let json = serde_json::to_value(&diff).unwrap();
    assert_eq!(json["matched_by"], "fingerprint");
    assert_eq!(json["base_version"], 1);
}
