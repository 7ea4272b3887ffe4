//! The catalog's own tests, each on SQLite and on PostgreSQL (`satudata_testkit::on_both!`).

use super::*;
use satudata_core::{Finding, FindingCode, ReportBuilder};

pub(crate) async fn catalog(url: &str) -> Catalog {
    Catalog::connect(url).await.unwrap()
}

pub(crate) fn org() -> Organization {
    Organization {
        slug: "dinkes".into(),
        nama: "Dinas Kesehatan".into(),
        singkatan: "Dinkes".into(),
        kode_wilayah: "61.71".into(),
        email: String::new(),
    }
}

pub(crate) fn dataset() -> DatasetMetadata {
    DatasetMetadata::from_json(br#"{"name":"kunjungan","organization":"dinkes","standard":"s","title":"Kunjungan"}"#)
        .unwrap()
}

pub(crate) fn produsen() -> Actor {
    Actor::user("produsen-dinkes", satudata_core::access::Role::Produsen, Some("dinkes"))
}

pub(crate) fn walidata() -> Actor {
    Actor::user("walidata", satudata_core::access::Role::Walidata, None)
}

pub(crate) fn submission() -> NewSubmission<'static> {
    static PRODUSEN: std::sync::LazyLock<Actor> = std::sync::LazyLock::new(produsen);
    NewSubmission {
        dataset: "kunjungan",
        period: "2024",
        source_name: "a.csv",
        source_sha256: "00",
        source_path: "submissions/1/a.csv",
        source_size: 4,
        duplicate_of: None,
        actor: &PRODUSEN,
    }
}

/// A submission taken through validation (with `report`), consent and approval: ready to
/// publish.
pub(crate) async fn approved(c: &Catalog, s: &NewSubmission<'_>, report: &Report) -> i64 {
    let id = c.create_submission(s).await.unwrap();
    c.transition(id, Event::Start, &Actor::anonymous(), serde_json::json!({}))
        .await
        .unwrap();
    c.record_report(id, report, "r.json", &Actor::anonymous())
        .await
        .unwrap();
    c.consent(id, &produsen()).await.unwrap();
    c.review(
        id,
        Verdict::Approve,
        Some(satudata_core::StatusKerahasiaan::Terbuka),
        None,
        &walidata(),
    )
    .await
    .unwrap();
    id
}

pub(crate) fn clean_report() -> Report {
    ReportBuilder::new(10).finish(3)
}

pub(crate) fn release(submission_id: i64) -> ReleaseRecord {
    ReleaseRecord {
        dataset: "kunjungan".into(),
        version: 1,
        submission_id,
        path: "datasets/dinkes/kunjungan/v1".into(),
        manifest_sha256: "ab".into(),
        content_digest: "cd".into(),
        status_kerahasiaan: "terbuka".into(),
        rows: 3,
        created_at: "2026-12-02T10:00:00.000Z".into(),
    }
}

async fn documents_round_trip_and_unchanged_puts_are_not_logged(url: &str) {
    let c = catalog(url).await;
    assert!(c.put_organization(&org(), "admin").await.unwrap());
    assert!(!c.put_organization(&org(), "admin").await.unwrap());
    assert_eq!(c.organization("dinkes").await.unwrap(), org());
    assert!(matches!(c.organization("bappeda").await, Err(Error::NotFound { .. })));
    assert_eq!(c.audit_entries().await.unwrap().len(), 1);
}

async fn a_dataset_needs_its_organization(url: &str) {
    let c = catalog(url).await;
    assert!(matches!(
        c.put_dataset(&dataset(), "admin").await,
        Err(Error::NotFound {
            kind: "organization",
            ..
        })
    ));
    c.put_organization(&org(), "admin").await.unwrap();
    c.put_dataset(&dataset(), "admin").await.unwrap();
    assert_eq!(c.dataset("kunjungan").await.unwrap(), dataset());
}

async fn releases_commit_once_and_are_logged(url: &str) {
    let c = catalog(url).await;
    c.put_organization(&org(), "admin").await.unwrap();
    c.put_dataset(&dataset(), "admin").await.unwrap();
    let mut report = ReportBuilder::new(10);
    report.push(Finding::new(FindingCode::FormulaWarning));
    let id = approved(&c, &submission(), &report.finish(3)).await;
    let release = release(id);
    assert_eq!(c.latest_release("kunjungan").await.unwrap(), None);
    c.commit_release(&release, &walidata()).await.unwrap();
    assert!(matches!(
        c.commit_release(&release, &walidata()).await,
        Err(Error::ReleaseExists { .. })
    ));
    let published = c.submission(id).await.unwrap();
    assert_eq!(published.state, SubmissionState::Published);
    assert_eq!(published.release_version, Some(1));
    assert_eq!(c.latest_release("kunjungan").await.unwrap(), Some(release));
    let actions: Vec<String> = c.audit_entries().await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            "organizations.created",
            "datasets.created",
            "submissions.received",
            "submissions.start",
            "submissions.checked_valid",
            "submissions.consent",
            "submissions.approve",
            "submissions.publish",
            "releases.published"
        ]
    );
    assert_eq!(c.verify_audit().await.unwrap(), AuditCheck::Intact { entries: 9 });
}

async fn exec(c: &Catalog, sql: &str) -> sqlx::Result<()> {
    sqlx::query(sql).execute(c.pool()).await.map(|_| ())
}

/// `DROP TRIGGER` as each backend writes it.
fn drop_trigger(c: &Catalog, trigger: &str, table: &str) -> String {
    match c.backend() {
        Backend::Sqlite => format!("DROP TRIGGER {trigger}"),
        Backend::Postgres => format!("DROP TRIGGER {trigger} ON {table}"),
    }
}

async fn the_audit_log_refuses_edits_and_detects_them(url: &str) {
    let c = catalog(url).await;
    c.put_organization(&org(), "admin").await.unwrap();
    let mut other = org();
    other.slug = "bappeda".into();
    c.put_organization(&other, "admin").await.unwrap();
    let edit = exec(&c, "UPDATE audit_log SET actor = 'mallory' WHERE id = 1").await;
    assert!(edit.is_err(), "the trigger must refuse updates");
    let delete = exec(&c, "DELETE FROM audit_log WHERE id = 2").await;
    assert!(delete.is_err(), "the trigger must refuse deletes");
    exec(&c, &drop_trigger(&c, "audit_log_no_update", "audit_log"))
        .await
        .unwrap();
    exec(&c, "UPDATE audit_log SET actor = 'mallory' WHERE id = 1")
        .await
        .unwrap();
    assert_eq!(
        c.verify_audit().await.unwrap(),
        AuditCheck::Broken {
            entry: 1,
            problem: Break::Content
        }
    );
    exec(&c, &drop_trigger(&c, "audit_log_no_delete", "audit_log"))
        .await
        .unwrap();
    exec(&c, "DELETE FROM audit_log WHERE id = 1").await.unwrap();
    assert_eq!(
        c.verify_audit().await.unwrap(),
        AuditCheck::Broken {
            entry: 2,
            problem: Break::Gap { expected: 1 }
        }
    );
}

async fn concurrent_writers_keep_one_chain(url: &str) {
    let c = catalog(url).await;
    let writers = (0..8).map(|i| {
        let c = c.clone();
        tokio::spawn(async move {
            for j in 0..5 {
                let mut o = org();
                o.slug = format!("pd-{i}-{j}");
                c.put_organization(&o, "admin").await.unwrap();
            }
        })
    });
    for w in writers.collect::<Vec<_>>() {
        w.await.unwrap();
    }
    assert_eq!(c.verify_audit().await.unwrap(), AuditCheck::Intact { entries: 40 });
    assert_eq!(c.organizations().await.unwrap().len(), 40);
}

async fn a_rolled_back_append_leaves_no_gap(url: &str) {
    let c = catalog(url).await;
    c.put_organization(&org(), "admin").await.unwrap();
    let mut tx = c.begin().await.unwrap();
    audit::append(&mut tx, "admin", "test.rolled-back", "x", &serde_json::json!({}))
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let mut other = org();
    other.slug = "bappeda".into();
    c.put_organization(&other, "admin").await.unwrap();
    let ids: Vec<i64> = c.audit_entries().await.unwrap().iter().map(|e| e.id).collect();
    assert_eq!(ids, [1, 2]);
    assert_eq!(c.verify_audit().await.unwrap(), AuditCheck::Intact { entries: 2 });
}

async fn releases_are_immutable(url: &str) {
    let c = catalog(url).await;
    c.put_organization(&org(), "admin").await.unwrap();
    c.put_dataset(&dataset(), "admin").await.unwrap();
    let id = approved(&c, &submission(), &clean_report()).await;
    c.commit_release(&release(id), &walidata()).await.unwrap();
    let edit = exec(&c, "UPDATE releases SET rows = 0").await;
    assert!(edit.is_err(), "the trigger must refuse updates of releases");
    assert_eq!(c.latest_release("kunjungan").await.unwrap(), Some(release(id)));
}

async fn a_release_committed_twice_at_once_is_one_release(url: &str) {
    let c = catalog(url).await;
    c.put_organization(&org(), "admin").await.unwrap();
    c.put_dataset(&dataset(), "admin").await.unwrap();
    let id = approved(&c, &submission(), &clean_report()).await;
    let tries = (0..4).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.commit_release(&release(id), &walidata()).await })
    });
    let mut committed = 0;
    for t in tries.collect::<Vec<_>>() {
        match t.await.unwrap() {
            Ok(()) => committed += 1,
            Err(Error::ReleaseExists { version: 1, .. }) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(committed, 1);
    assert_eq!(c.releases("kunjungan").await.unwrap().len(), 1);
}

async fn the_last_admin_is_neither_demoted_nor_locked(url: &str) {
    use satudata_core::access::Role;
    let c = catalog(url).await;
    let admin = |username| NewUser {
        username,
        role: Role::Admin,
        organization: None,
        password: "kata sandi panjang sekali",
    };
    c.create_user(&admin("ani"), "init").await.unwrap();
    let last = |r: Result<User>| matches!(r, Err(Error::Account(AccountProblem::LastAdmin(_))));
    assert!(
        last(c.set_role("ani", Role::Walidata, "ani").await),
        "demoting the only admin"
    );
    assert!(last(c.lock("ani", "ani").await), "locking the only admin");
    c.create_user(&admin("budi"), "ani").await.unwrap();
    c.lock("budi", "ani").await.unwrap();
    assert!(
        last(c.set_role("ani", Role::Walidata, "ani").await),
        "a locked admin does not count"
    );
    c.unlock("budi", "ani").await.unwrap();
    assert_eq!(
        c.set_role("ani", Role::Walidata, "budi").await.unwrap().role,
        Role::Walidata
    );
    assert!(last(c.lock("budi", "budi").await), "budi is the last one now");
}

satudata_testkit::on_both!(
    the_last_admin_is_neither_demoted_nor_locked,
    documents_round_trip_and_unchanged_puts_are_not_logged,
    a_dataset_needs_its_organization,
    releases_commit_once_and_are_logged,
    the_audit_log_refuses_edits_and_detects_them,
    concurrent_writers_keep_one_chain,
    a_rolled_back_append_leaves_no_gap,
    releases_are_immutable,
    a_release_committed_twice_at_once_is_one_release,
);

#[tokio::test]
async fn the_local_store_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::local(&dir.path().join("objek")).unwrap();
    store.put("datasets/a/v1/data.csv", b"x,y\n".to_vec()).await.unwrap();
    assert_eq!(store.get("datasets/a/v1/data.csv").await.unwrap(), b"x,y\n");
    let path = store.local_path("datasets/a/v1/data.csv").unwrap();
    assert_eq!(std::fs::read(path).unwrap(), b"x,y\n");
}
