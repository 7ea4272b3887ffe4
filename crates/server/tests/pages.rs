//! The portal's pages over a real socket, on SQLite and PostgreSQL each: the home page, the
//! search with the Indonesian stemmer and its filters, the dataset page (files whose SHA-256
//! matches what downloads, the preview, the chart, the versions with their changes, quality
//! and timeliness), a version's changes, organization and topic pages, the public key, the Atom
//! feeds and the language switch; and that a dataset not open to the public is on none of them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use satudata_core::StatusKerahasiaan;
use satudata_core::access::{Actor, Role};
use satudata_ingest::IngestOptions;
use satudata_server::{AppState, Config};
use satudata_workflow::{DataCenter, Decision, Submission};
use sha2::Digest;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const PENDUDUK: &str = "jumlah-penduduk-kelurahan";
const PUSKESMAS: &str = "kunjungan-puskesmas";
const SEKOLAH: &str = "sekolah-jenjang";

struct Portal {
    _dir: tempfile::TempDir,
    state: AppState,
    base: String,
    client: reqwest::Client,
}

struct Page {
    status: u16,
    content_type: String,
    csp: String,
    cookie: String,
    text: String,
}

async fn publish(dc: &DataCenter, dataset: &str, period: &str, file: &str) -> u32 {
    let bytes = std::fs::read(root().join("sample_data/submissions").join(file)).unwrap();
    let outcome = dc
        .submit(Submission {
            dataset,
            period,
            file_name: file,
            bytes: &bytes,
            options: IngestOptions::default(),
            actor: &Actor::user("uji", Role::Admin, None),
        })
        .await
        .unwrap();
    match outcome.decision {
        Decision::Published { version, .. } => version,
        other => panic!("{dataset} {period}: {other:?}"),
    }
}

impl Portal {
    /// The sample region with penduduk published for 2024 then 2025 (two versions), puskesmas
    /// for 2024 (open), and sekolah for 2024 as `terbatas` (not for the public).
    async fn new(url: &str) -> Portal {
        let dir = tempfile::tempdir().unwrap();
        let dc = DataCenter::init_with_database(&dir.path().join("data"), Some(url))
            .await
            .unwrap();
        dc.load_region(&root().join("sample_data"), "admin").await.unwrap();
        let walidata = Actor::user("walidata", Role::Walidata, None);
        for (dataset, org, status) in [
            (PENDUDUK, "disdukcapil", StatusKerahasiaan::Terbuka),
            (PUSKESMAS, "dinkes", StatusKerahasiaan::Terbuka),
            (SEKOLAH, "disdikbud", StatusKerahasiaan::Terbatas),
        ] {
            dc.set_auto_approve(dataset, Some(status), &walidata).await.unwrap();
            let produsen = Actor::user("p", Role::Produsen, Some(org));
            dc.set_standing_consent(dataset, true, &produsen).await.unwrap();
        }
        assert_eq!(publish(&dc, PENDUDUK, "2024", "penduduk-kelurahan-2024.csv").await, 1);
        assert_eq!(publish(&dc, PENDUDUK, "2025", "penduduk-kelurahan-2025.csv").await, 2);
        assert_eq!(publish(&dc, PUSKESMAS, "2024", "kunjungan-puskesmas-2024.csv").await, 1);
        assert_eq!(publish(&dc, SEKOLAH, "2024", "sekolah-2024.csv").await, 1);
        let config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            ..Config::default()
        };
        let state = AppState::new(dc, config);
        let server = satudata_server::bind(state.clone()).await.unwrap();
        let base = format!("http://{}", server.local_addr().unwrap());
        tokio::spawn(server.run());
        Portal {
            _dir: dir,
            state,
            base,
            client: reqwest::Client::new(),
        }
    }

    async fn get_with(&self, path: &str, cookie: Option<&str>) -> Page {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.unwrap();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        let (content_type, csp, cookie) = (
            header("content-type"),
            header("content-security-policy"),
            header("set-cookie"),
        );
        Page {
            status: response.status().as_u16(),
            content_type,
            csp,
            cookie,
            text: response.text().await.unwrap(),
        }
    }

    async fn get(&self, path: &str) -> Page {
        self.get_with(path, None).await
    }

    /// A page that must be there, as HTML with the pages' policy.
    async fn page(&self, path: &str) -> String {
        let page = self.get(path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.text);
        assert_eq!(page.content_type, "text/html; charset=utf-8", "{path}");
        assert!(
            page.csp.contains("default-src 'none'; style-src 'self'"),
            "{path}: {}",
            page.csp
        );
        page.text
    }
}

/// The dataset names a page links to as dataset cards.
fn cards(html: &str) -> Vec<String> {
    let mut names: Vec<String> = html
        .split("<h3><a href=\"/dataset/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    names.dedup();
    names
}

async fn the_public_pages_show_what_is_open_and_nothing_else(url: &str) {
    let portal = Portal::new(url).await;

    // Home: the counts, and the two open datasets (sekolah is terbatas).
    let home = portal.page("/").await;
    assert!(home.starts_with("<!DOCTYPE html><html lang=\"id\">"), "{home}");
    assert!(home.contains("<strong>2</strong>dataset terbit"), "{home}");
    let mut listed = cards(&home);
    listed.sort();
    listed.dedup();
    assert_eq!(listed, [PENDUDUK, PUSKESMAS]);
    assert!(!home.contains(SEKOLAH));

    // Search: the stemmer finds penduduk by kependudukan (its topic) and by the plain word.
    for q in ["penduduk", "kependudukan", "PENDUDUK"] {
        let found = portal.page(&format!("/dataset?q={q}")).await;
        assert_eq!(cards(&found), [PENDUDUK], "q={q}");
        assert!(found.contains("1 dataset ditemukan"), "{found}");
    }
    // A filter by PD, from its facet link; the filtered page links back without it.
    let all = portal.page("/dataset").await;
    assert!(all.contains("2 dataset ditemukan"));
    assert!(all.contains("href=\"/dataset?organization=dinkes\""), "{all}");
    let dinkes = portal.page("/dataset?organization=dinkes").await;
    assert_eq!(cards(&dinkes), [PUSKESMAS]);
    assert!(dinkes.contains("aria-current=\"true\" data-facet=\"organization\" data-value=\"dinkes\""));
    let by_year = portal.page("/dataset?tahun=2025").await;
    assert_eq!(cards(&by_year), [PENDUDUK]);
    let none = portal.page("/dataset?organization=disdikbud").await;
    assert!(cards(&none).is_empty() && none.contains("0 dataset ditemukan"));
    let by_name = portal.page("/dataset?sort=name").await;
    // By title: "Jumlah Kunjungan ..." before "Jumlah Penduduk ...".
    assert_eq!(cards(&by_name), [PUSKESMAS, PENDUDUK]);

    // The dataset page.
    let page = portal.page(&format!("/dataset/{PENDUDUK}")).await;
    for id in [
        "unduh",
        "grafik",
        "pratinjau",
        "versi",
        "kualitas",
        "ketepatan",
        "metadata",
        "kolom",
        "sitasi",
    ] {
        assert!(page.contains(&format!("id=\"{id}\"")), "no section {id}");
    }
    // Each file's SHA-256 on the page is that of the bytes its link downloads.
    let links: Vec<(String, String)> = page
        .split("<a class=\"download\" href=\"")
        .skip(1)
        .map(|rest| {
            let href = rest.split('"').next().unwrap().to_owned();
            let sha = rest
                .split("data-sha256=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_owned();
            (href, sha)
        })
        .collect();
    assert_eq!(links.len(), 5, "parquet, csv, json, datapackage.json, metadata.json");
    assert!(links.iter().any(|(href, _)| href.ends_with("/files/data.json")));
    for (href, sha) in &links {
        let bytes = portal.client.get(href).send().await.unwrap().bytes().await.unwrap();
        assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), *sha, "{href}");
        assert!(page.contains(&format!("<code class=\"hash\">{sha}</code>")));
    }
    assert!(page.contains("satudata verify --public-key kenirsangkalan.pub ."));
    // Each whole download was counted: the page says so.
    let counted = portal.page(&format!("/dataset/{PENDUDUK}")).await;
    assert!(counted.contains(" · 5 unduhan "), "{counted}");
    assert!(page.contains("Penduduk (jiwa) menurut kelurahan"), "the chart's title");
    assert!(page.matches("<rect ").count() >= 2, "bars");
    assert!(page.contains("<table class=\"preview\">") && page.contains("<td>61.71.01.1002</td>"));
    assert!(page.contains("<span class=\"badge ok\">Tepat waktu</span>"));
    assert!(page.contains("/100</span>") && page.contains("kriteria terpenuhi"));
    assert!(page.contains("@misc{jumlah_penduduk_kelurahan_v2,"));
    assert!(page.contains("(Versi 2) [Data set]. Satu Data."));
    assert!(
        page.contains("v1: +58 baris, 0 berubah, 0 dihapus"),
        "the first version's rows"
    );
    // v2's changes are computed in the background, then shown.
    let mut v2 = String::new();
    for _ in 0..100 {
        v2 = portal.page(&format!("/dataset/{PENDUDUK}")).await;
        if v2.contains("v2: +") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(v2.contains("v2: +58 baris, 0 berubah, 0 dihapus"), "{v2}");

    // A version's changes: v2 added 2025's rows to 2024's.
    let diff = portal.page(&format!("/dataset/{PENDUDUK}/versi/2")).await;
    assert!(
        diff.contains("Dibandingkan dengan v1: <strong>+58 baris, 0 berubah, 0 dihapus</strong>, 58 tetap."),
        "{diff}"
    );
    assert!(diff.contains("<td>2025</td>"));
    assert_eq!(portal.get(&format!("/dataset/{PENDUDUK}/versi/9")).await.status, 404);

    // What is not open is not found, as a page.
    for path in [
        format!("/dataset/{SEKOLAH}"),
        "/dataset/tidak-ada".into(),
        "/organization/tidak-ada".into(),
    ] {
        let missing = portal.get(&path).await;
        assert_eq!(missing.status, 404, "{path}");
        assert!(missing.content_type.starts_with("text/html") && missing.text.contains("Halaman tidak ditemukan"));
    }

    // Organizations and topics.
    let orgs = portal.page("/organization").await;
    assert!(orgs.contains("href=\"/organization/disdukcapil\""));
    let org = portal.page("/organization/disdukcapil").await;
    assert_eq!(cards(&org), [PENDUDUK]);
    assert!(org.contains("1 dataset terbit, 0 terlambat diperbarui."), "{org}");
    assert!(cards(&portal.page("/organization/disdikbud").await).is_empty());
    let topics = portal.page("/group").await;
    assert!(topics.contains("href=\"/group/kependudukan\""), "{topics}");
    assert_eq!(cards(&portal.page("/group/kependudukan").await), [PENDUDUK]);

    // The public key, as `satudata verify --public-key` reads it, and on the about page.
    let key = portal.get("/.well-known/satudata/kenirsangkalan.pub").await;
    let hex = portal.state.center().public_key_hex();
    assert_eq!((key.status, key.text.trim()), (200, hex.as_str()));
    let about = portal.page("/about").await;
    let fingerprint = satudata_publish::fingerprint(&satudata_publish::parse_public_key(&hex).unwrap());
    assert!(about.contains(&hex) && about.contains(&fingerprint), "{about}");
    assert!(
        page.contains(&fingerprint),
        "the dataset page names the key as verify does"
    );

    // Atom: one entry per open dataset site-wide, one per version of a dataset.
    let feed = portal.get("/feeds/dataset.atom").await;
    assert_eq!(feed.content_type, "application/atom+xml; charset=utf-8");
    assert_eq!(feed.text.matches("<entry>").count(), 2, "{}", feed.text);
    assert!(!feed.text.contains(SEKOLAH));
    let own = portal.get(&format!("/feeds/dataset/{PENDUDUK}.atom")).await;
    assert_eq!(own.text.matches("<entry>").count(), 2);
    assert_eq!(portal.get(&format!("/feeds/dataset/{SEKOLAH}.atom")).await.status, 404);

    // English on the switch, kept by its cookie.
    let english = portal.get("/dataset?lang=en").await;
    assert!(english.text.starts_with("<!DOCTYPE html><html lang=\"en\">"));
    assert!(english.text.contains("2 datasets found"));
    assert!(english.cookie.starts_with("satudata_lang=en;"), "{}", english.cookie);
    let kept = portal.get_with("/about", Some("satudata_lang=en")).await;
    assert!(kept.text.contains("About this portal"));
    assert!(
        kept.text
            .contains("href=\"/about?lang=id\" lang=\"id\" hreflang=\"id\">Bahasa Indonesia</a>")
    );
}

satudata_testkit::on_both!(the_public_pages_show_what_is_open_and_nothing_else);
