//! The binary with its catalog in a database named by `--database-url`, on PostgreSQL and on
//! SQLite: a data directory is initialised, loaded and published into, the audit log verifies,
//! and an edit made around the triggers (as a superuser could) is named by `audit verify`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Env;
use satudata_catalog::{Backend, Catalog};

/// Runs `satudata --database-url URL ARGS...` and requires exit `code`.
fn run(env: &Env, url: &str, args: &[&str], code: i32) -> String {
    let mut all = vec!["--database-url", url];
    all.extend(args);
    let out = env.run(&all);
    assert_eq!(out.code, code, "{args:?}\n{}\n{}", out.stdout, out.stderr);
    out.stdout
}

async fn init_load_publish_and_detect_tampering(url: &str) {
    let env = Env::new();
    run(&env, url, &["init"], 0);
    run(&env, url, &["load", "sample_data"], 0);
    // Sekolah a recurring feed: the verifier's automatic approval and Disdikbud's consent.
    let password = common::PASSWORD;
    run(
        &env,
        url,
        &["user", "add", "--role", "walidata", "--password", password, "walidata"],
        0,
    );
    let produsen = [
        "user",
        "add",
        "--role",
        "produsen",
        "--org",
        "disdikbud",
        "--password",
        password,
    ];
    run(&env, url, &[&produsen[..], &["produsen-disdikbud"]].concat(), 0);
    let auto = [
        "dataset",
        "auto-approve",
        "sekolah-jenjang",
        "--status",
        "terbuka",
        "--as",
        "walidata",
    ];
    run(&env, url, &auto, 0);
    run(
        &env,
        url,
        &["dataset", "consent", "sekolah-jenjang", "--as", "produsen-disdikbud"],
        0,
    );
    let published = run(&env, url, &["run", "pipelines/sekolah-jenjang-2024.toml"], 0);
    assert!(published.contains("Rilis v1 diterbitkan"), "{published}");
    // The same file again publishes nothing new.
    let again = run(&env, url, &["run", "pipelines/sekolah-jenjang-2024.toml"], 0);
    assert!(!again.contains("Rilis v2"), "{again}");
    let broken = run(&env, url, &["run", "pipelines/sekolah-jenjang-rusak-nilai.toml"], 1);
    assert!(!broken.contains("diterbitkan"), "{broken}");
    assert!(run(&env, url, &["audit", "verify"], 0).contains("utuh"));
    // The catalog lives in the database, not in the data directory.
    assert!(!env.data_dir().join("catalog.db").exists());
    assert!(
        env.release("disdikbud", "sekolah-jenjang", 1)
            .join("manifest.json")
            .exists()
    );

    let catalog = Catalog::connect(url).await.unwrap();
    let releases = catalog.releases("sekolah-jenjang").await.unwrap();
    assert_eq!(releases.iter().map(|r| r.version).collect::<Vec<_>>(), [1]);
    let drop_trigger = match catalog.backend() {
        Backend::Postgres => "DROP TRIGGER audit_log_no_update ON audit_log",
        _ => "DROP TRIGGER audit_log_no_update",
    };
    let refused = sqlx::query("UPDATE audit_log SET actor = 'penyusup' WHERE id = 3")
        .execute(catalog.pool())
        .await;
    assert!(refused.is_err(), "the trigger refuses edits");
    for sql in [drop_trigger, "UPDATE audit_log SET actor = 'penyusup' WHERE id = 3"] {
        sqlx::query(sql).execute(catalog.pool()).await.unwrap();
    }
    catalog.pool().close().await;
    let tampered = run(&env, url, &["audit", "verify"], 1);
    assert!(tampered.contains("entri 3"), "{tampered}");
}

async fn a_database_url_the_catalog_cannot_use_is_refused(url: &str) {
    let env = Env::new();
    let out = env.run(&["--database-url", "mysql://root@localhost/satu", "init"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("mysql://root@localhost/satu"), "{}", out.stderr);
    // A data directory initialised on a database is not one without it.
    run(&env, url, &["init"], 0);
    let without = env.run(&["audit", "verify"]);
    assert_eq!(without.code, 2, "{}", without.stderr);
}

satudata_testkit::on_both!(
    init_load_publish_and_detect_tampering,
    a_database_url_the_catalog_cannot_use_is_refused,
);
