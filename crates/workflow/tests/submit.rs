//! Submissions through the public workflow API on the sample region.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use satudata_core::{DatasetMetadata, FindingCode};
use satudata_workflow::{DataCenter, Decision, Pipeline, Submission};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

async fn sample_center(dir: &Path, database_url: &str) -> DataCenter {
    let dc = DataCenter::init_with_database(dir, Some(database_url)).await.unwrap();
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

async fn broken_metadata_is_refused_with_pointers(url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dc = sample_center(tmp.path(), url).await;
    let pipeline = Pipeline::read(&repo().join("pipelines/rekap-anggaran-bappeda-2024.toml")).unwrap();
    let outcome = dc.run_pipeline(&pipeline, &uji()).await.unwrap();
    assert_eq!(outcome.decision, Decision::Rejected);
    let fields: BTreeSet<&str> = outcome
        .report
        .findings
        .iter()
        .filter_map(|f| f.field.as_deref())
        .collect();
    assert_eq!(fields, BTreeSet::from(["frequency", "license", "maintainer_email"]));
    assert!(
        outcome
            .report
            .findings
            .iter()
            .all(|f| f.code == FindingCode::MetadataError && f.pointer.is_some())
    );
    assert!(
        dc.catalog()
            .latest_release("rekap-anggaran-bappeda")
            .await
            .unwrap()
            .is_none()
    );
    // The report is kept in the store.
    let stored = dc.store().get(&outcome.report_path).await.unwrap();
    assert!(String::from_utf8(stored).unwrap().contains("metadata-error"));
}

async fn files_left_by_a_crash_before_the_commit_are_invisible_and_replaced(url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dc = sample_center(tmp.path(), url).await;
    // A publish that died after writing part of v1 and before committing its catalog row.
    dc.store()
        .put("datasets/disdikbud/sekolah-jenjang/v1/data.csv", b"setengah".to_vec())
        .await
        .unwrap();
    assert!(dc.catalog().latest_release("sekolah-jenjang").await.unwrap().is_none());

    let pipeline = Pipeline::read(&repo().join("pipelines/sekolah-jenjang-2024.toml")).unwrap();
    let outcome = dc.run_pipeline(&pipeline, &uji()).await.unwrap();
    assert!(
        matches!(outcome.decision, Decision::Published { version: 1, .. }),
        "{:?}",
        outcome.decision
    );
    let folder = dc.store().local_path("datasets/disdikbud/sekolah-jenjang/v1").unwrap();
    assert_eq!(
        satudata_publish::verify_dir(&folder, &own_key(&dc)).unwrap().problems,
        vec![]
    );
    let release = dc.catalog().latest_release("sekolah-jenjang").await.unwrap().unwrap();
    assert_eq!(release.rows, 21);
    assert_eq!(release.status_kerahasiaan, "terbuka");
}

async fn a_dataset_naming_an_unknown_standard_is_refused(url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dc = sample_center(tmp.path(), url).await;
    let metadata = DatasetMetadata::from_json(
        br#"{"name":"data-baru","organization":"bappeda","standard":"tidak-ada","title":"Data baru"}"#,
    )
    .unwrap();
    dc.catalog().put_dataset(&metadata, "admin").await.unwrap();
    let outcome = dc
        .submit(Submission {
            dataset: "data-baru",
            period: "2024",
            file_name: "x.csv",
            bytes: b"a\n1\n",
            options: Default::default(),
            actor: &uji(),
        })
        .await
        .unwrap();
    assert_eq!(outcome.decision, Decision::Rejected);
    assert_eq!(outcome.report.findings[0].code, FindingCode::MetadataError);
    assert_eq!(outcome.report.findings[0].value.as_deref(), Some("tidak-ada"));
}

async fn an_unknown_dataset_is_an_error_not_a_report(url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dc = sample_center(tmp.path(), url).await;
    let result = dc
        .submit(Submission {
            dataset: "tidak-terdaftar",
            period: "2024",
            file_name: "x.csv",
            bytes: b"a\n1\n",
            options: Default::default(),
            actor: &uji(),
        })
        .await;
    assert!(result.is_err());
    assert!(DataCenter::open(&tmp.path().join("kosong")).await.is_err());
}

async fn an_open_release_leaves_out_columns_that_are_not_public(url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dc = sample_center(tmp.path(), url).await;
    let mut standard = dc.catalog().standard("sekolah-menurut-jenjang").await.unwrap();
    let guru = standard.kolom.iter_mut().find(|c| c.nama == "jumlah_guru").unwrap();
    guru.dapat_diakses_umum = false;
    dc.catalog().put_standard(&standard, "admin").await.unwrap();

    let pipeline = Pipeline::read(&repo().join("pipelines/sekolah-jenjang-2024.toml")).unwrap();
    let outcome = dc.run_pipeline(&pipeline, &uji()).await.unwrap();
    let Decision::Published { path, .. } = outcome.decision else {
        panic!("{:?}", outcome.decision)
    };
    let csv = String::from_utf8(dc.store().get(&format!("{path}/data.csv")).await.unwrap()).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(!header.contains("jumlah_guru"), "{header}");
    assert!(header.contains("jumlah_siswa"), "{header}");
    let metadata: serde_json::Value =
        serde_json::from_slice(&dc.store().get(&format!("{path}/metadata.json")).await.unwrap()).unwrap();
    assert_eq!(
        metadata["dataset"]["columns_withheld"],
        serde_json::json!(["jumlah_guru"])
    );
    let columns = metadata["dataset"]["columns"].as_array().unwrap();
    assert!(columns.iter().all(|c| c["nama"] != "jumlah_guru"));
    // The submitted file, with every column, stays in the store.
    let folder = dc.store().local_path(&path).unwrap();
    assert_eq!(
        satudata_publish::verify_dir(&folder, &own_key(&dc)).unwrap().problems,
        vec![]
    );
}

/// Trust in the data center's own key only.
fn own_key(dc: &DataCenter) -> satudata_publish::Trust {
    let key = satudata_publish::TrustedKey::from_hex(&dc.public_key_hex(), "pusat data").unwrap();
    satudata_publish::Trust::Keys(vec![key])
}

satudata_testkit::on_both!(
    broken_metadata_is_refused_with_pointers,
    files_left_by_a_crash_before_the_commit_are_invisible_and_replaced,
    a_dataset_naming_an_unknown_standard_is_refused,
    an_unknown_dataset_is_an_error_not_a_report,
    an_open_release_leaves_out_columns_that_are_not_public,
);
