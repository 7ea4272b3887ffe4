//! The analyser's output on the real engines: SQLite FTS5 (`unicode61`) and PostgreSQL
//! (`to_tsvector('simple')`) see exactly our terms, find the same datasets for the same query,
//! and no hostile query is a syntax error on either.
//!
//! PostgreSQL is the server of `SATUDATA_TEST_POSTGRES` (satudata-testkit): without one the
//! PostgreSQL half is skipped with a note, except under `CI=true`, where the test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use satudata_search::{analyze, analyze_query, index_terms};
use satudata_testkit::TestDb;
use sqlx::{Connection, Executor, PgConnection, Row, SqliteConnection};

/// (title, description) of the datasets searched.
const DATASETS: &[(&str, &str)] = &[
    (
        "Jumlah Penduduk menurut Kecamatan",
        "Data kependudukan Kota Pontianak (61.71), per kecamatan.",
    ),
    (
        "Statistik Kependudukan Kota Pontianak",
        "Angka kelahiran dan kematian penduduk.",
    ),
    (
        "Data Persekolahan 2024",
        "Jumlah sekolah, guru dan murid menurut jenjang pendidikan.",
    ),
    (
        "Fasilitas Kesehatan",
        "Puskesmas, rumah sakit dan posyandu di Kota Pontianak.",
    ),
    (
        "KESEHÄTAN Ibu dan Anak",
        "Angka kematian ibu dan bayi; imunisasi dasar lengkap.",
    ),
    (
        "Pertanian dan Perikanan",
        "Produksi padi, jagung dan ikan oleh petani dan nelayan.",
    ),
    (
        "Tingkat Pengangguran Terbuka",
        "Penduduk usia kerja yang menganggur, menurut pendidikan.",
    ),
    (
        "Persentase Penduduk Miskin",
        "Garis kemiskinan dan jumlah penduduk miskin, 61.71.01.",
    ),
    (
        "Perekonomian Daerah",
        "Produk domestik regional bruto atas dasar harga berlaku.",
    ),
    (
        "Kelurahan di Pontianak Selatan",
        "Daftar kelurahan dan kode wilayah 61.71.02.1001.",
    ),
    ("Covid-19 dataset", "Kasus covid harian menurut kecamatan."),
    // Letters NFKD leaves non-ASCII: both tokenizers must still keep them whole.
    ("Straße ø 日本語", "العربية ǆ Œuvre"),
];

/// The datasets as the catalog would store them: (id, title_terms, body_terms).
fn rows() -> impl Iterator<Item = (i64, String, String)> {
    DATASETS
        .iter()
        .zip(1..)
        .map(|((title, body), id)| (id, index_terms(title), index_terms(body)))
}

async fn sqlite() -> SqliteConnection {
    let mut c = SqliteConnection::connect("sqlite::memory:").await.unwrap();
    c.execute("CREATE VIRTUAL TABLE ds USING fts5(title_terms, body_terms, tokenize='unicode61')")
        .await
        .unwrap();
    for (id, title, body) in rows() {
        let insert = sqlx::query("INSERT INTO ds (rowid, title_terms, body_terms) VALUES (?1, ?2, ?3)");
        insert.bind(id).bind(title).bind(body).execute(&mut c).await.unwrap();
    }
    c
}

/// The PostgreSQL table, or `None` when no server is reachable outside CI (testkit's rule).
async fn postgres(db: Option<&TestDb>) -> Option<PgConnection> {
    let mut c = PgConnection::connect(db?.url()).await.unwrap();
    c.execute(
        "CREATE TABLE ds (id BIGINT PRIMARY KEY, title_terms TEXT NOT NULL, body_terms TEXT NOT NULL,
           tsv TSVECTOR GENERATED ALWAYS AS (
             setweight(to_tsvector('simple', title_terms), 'A') ||
             setweight(to_tsvector('simple', body_terms), 'B')) STORED)",
    )
    .await
    .unwrap();
    for (id, title, body) in rows() {
        let insert = sqlx::query("INSERT INTO ds (id, title_terms, body_terms) VALUES ($1, $2, $3)");
        insert.bind(id).bind(title).bind(body).execute(&mut c).await.unwrap();
    }
    Some(c)
}

/// Ids of the matching datasets, best first (bm25 with the title weighted 10 to 1).
async fn search_sqlite(c: &mut SqliteConnection, expr: &str) -> Result<Vec<i64>, sqlx::Error> {
    let rows = sqlx::query("SELECT rowid FROM ds WHERE ds MATCH ?1 ORDER BY bm25(ds, 10.0, 1.0), rowid")
        .bind(expr)
        .fetch_all(c)
        .await?;
    Ok(rows.iter().map(|r| r.get::<i64, _>(0)).collect())
}

/// Ids of the matching datasets, best first (ts_rank over the weighted vector).
async fn search_postgres(c: &mut PgConnection, expr: &str) -> Result<Vec<i64>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT id FROM ds, to_tsquery('simple', $1) q WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC, id")
            .bind(expr)
            .fetch_all(c)
            .await?;
    Ok(rows.iter().map(|r| r.get::<i64, _>(0)).collect())
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn both_engines_find_the_same_datasets() {
    let db = TestDb::postgres().await;
    let mut lite = sqlite().await;
    let mut pg = postgres(db.as_ref()).await;
    // (query, the datasets it must find, in any order)
    let cases: &[(&str, &[i64])] = &[
        ("penduduk", &[1, 2, 7, 8]),
        ("kependudukan", &[1, 2, 7, 8]),
        ("sekolah", &[3]),
        ("persekolahan", &[3]),
        ("Kesehatan", &[4, 5]),
        ("KESEHATAN", &[4, 5]),
        ("kesehätan", &[4, 5]),
        ("\"angka kematian\"", &[5]),
        ("\"kematian angka\"", &[]),
        ("angka kematian ibu", &[5]),
        ("61.71", &[1, 8, 10]),
        ("61.71.01", &[8]),
        ("pontia", &[1, 2, 4, 10]),
        ("tani", &[6]),
        ("pengangguran", &[7]),
        ("kemiskinan kota", &[]),
        ("miskin", &[8]),
        ("perekonomian", &[9]),
        ("lurah selatan", &[10]),
        ("selat", &[10]),
        ("covid", &[11]),
        ("19", &[11]),
        ("dataset", &[11]),
        ("yang dan di", &[]),
        ("kependud", &[1, 2, 7, 8]),
        ("kependud ", &[]),
        ("pendid", &[3, 7]),
        ("persekol", &[3]),
        ("strasse", &[]),
        ("straße", &[12]),
        ("日本語", &[12]),
        ("العربية", &[12]),
    ];
    for (text, want) in cases {
        let q = analyze_query(text);
        let (Some(fts), Some(tsq)) = (q.to_fts5(), q.to_tsquery()) else {
            assert!(want.is_empty(), "{text:?} rendered nothing");
            continue;
        };
        let found = search_sqlite(&mut lite, &fts).await.unwrap();
        assert_eq!(sorted(found.clone()), *want, "FTS5 {text:?} -> {fts}");
        if let Some(pg) = pg.as_mut() {
            let pg_found = search_postgres(pg, &tsq).await.unwrap();
            assert_eq!(sorted(pg_found), sorted(found), "PostgreSQL {text:?} -> {tsq}");
        }
    }
    // A title match ranks above a body match on both.
    let q = analyze_query("kependudukan statistik");
    assert_eq!(search_sqlite(&mut lite, &q.to_fts5().unwrap()).await.unwrap(), [2]);
    let q = analyze_query("persekolahan");
    assert_eq!(search_sqlite(&mut lite, &q.to_fts5().unwrap()).await.unwrap()[0], 3);
    let q = analyze_query("penduduk");
    let lite_top = search_sqlite(&mut lite, &q.to_fts5().unwrap()).await.unwrap();
    assert!([1, 2, 8].contains(&lite_top[0]), "{lite_top:?}");
    if let Some(pg) = pg.as_mut() {
        let pg_top = search_postgres(pg, &q.to_tsquery().unwrap()).await.unwrap();
        assert!([1, 2, 8].contains(&pg_top[0]), "{pg_top:?}");
        assert!(!matches!(pg_top[0], 7), "body-only match first: {pg_top:?}");
    }
}

#[tokio::test]
async fn hostile_queries_are_never_a_syntax_error() {
    let db = TestDb::postgres().await;
    let mut lite = sqlite().await;
    let mut pg = postgres(db.as_ref()).await;
    let mut run = 0;
    for text in common::hostile_queries() {
        let q = analyze_query(&text);
        let (Some(fts), Some(tsq)) = (q.to_fts5(), q.to_tsquery()) else {
            continue;
        };
        run += 1;
        let found = search_sqlite(&mut lite, &fts)
            .await
            .unwrap_or_else(|e| panic!("FTS5 refused {text:?} as {fts:?}: {e}"));
        if let Some(pg) = pg.as_mut() {
            let pg_found = search_postgres(pg, &tsq)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL refused {text:?} as {tsq:?}: {e}"));
            assert_eq!(sorted(pg_found), sorted(found), "{text:?}");
        }
    }
    assert!(run > 20, "only {run} hostile queries had terms");
    // The control: the same inputs unrendered do break both syntaxes, so the loop above tests
    // something.
    for raw in ["\"unclosed phrase", "duduk AND", "(", "NEAR(a b", "*duduk"] {
        assert!(
            search_sqlite(&mut lite, raw).await.is_err(),
            "FTS5 accepted raw {raw:?}"
        );
    }
    if let Some(pg) = pg.as_mut() {
        for raw in ["&|!", "duduk &", "(", "'duduk':* & !", "a b"] {
            assert!(
                search_postgres(pg, raw).await.is_err(),
                "PostgreSQL accepted raw {raw:?}"
            );
        }
    }
}

#[tokio::test]
async fn both_tokenizers_see_exactly_our_terms() {
    let db = TestDb::postgres().await;
    let mut lite = sqlite().await;
    lite.execute("CREATE VIRTUAL TABLE v USING fts5vocab(ds, 'instance')")
        .await
        .unwrap();
    let mut pg = postgres(db.as_ref()).await;
    for (i, (title, body)) in DATASETS.iter().enumerate() {
        for (col, text) in [(0, title), (1, body)] {
            let ours = analyze(text);
            let rows = sqlx::query("SELECT term FROM v WHERE doc = ?1 AND col = ?2 ORDER BY offset")
                .bind(i as i64 + 1)
                .bind(if col == 0 { "title_terms" } else { "body_terms" })
                .fetch_all(&mut lite)
                .await
                .unwrap();
            let fts: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
            assert_eq!(fts, ours, "FTS5 tokens of {text:?}");
            if let Some(pg) = pg.as_mut() {
                let rows = sqlx::query(
                    "SELECT lexeme, unnest(positions) AS pos FROM unnest(to_tsvector('simple', $1)) ORDER BY pos",
                )
                .bind(index_terms(text))
                .fetch_all(&mut *pg)
                .await
                .unwrap();
                let lexemes: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
                assert_eq!(lexemes, ours, "PostgreSQL lexemes of {text:?}");
            }
        }
    }
}
