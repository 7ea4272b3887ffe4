//! The portal's harvest feeds over a real socket: what `demo` published, as DCAT-AP 3 in three
//! syntaxes (parsed and checked by rdflib, the library ckanext-dcat is built on, with
//! `crates/dcat/tests/rdflib_check.py`), per dataset, and as Project Open Data 1.1, each
//! listing exactly the open published datasets with their files' real sizes and checksums.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

use common::{Env, root};
use serde_json::Value;

/// `satudata serve` on a free port, killed when dropped.
struct Serving {
    child: Child,
    url: String,
}

impl Serving {
    fn start(env: &Env) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_satudata"))
            .current_dir(root())
            .env("SATUDATA_LOG", "warn")
            .arg("--data-dir")
            .arg(env.data_dir())
            .args(["serve", "--listen", "127.0.0.1:0", "--workers", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        // Both lines it prints are read, so that it never writes to a closed pipe.
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        assert_eq!(lines.next().unwrap().unwrap(), "Tekan Ctrl+C untuk berhenti.");
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap()
            .to_owned();
        Serving { child, url }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn get(client: &reqwest::Client, url: &str) -> (u16, String, Vec<u8>) {
    let response = client.get(url).send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, response.bytes().await.unwrap().to_vec())
}

/// Whether python3 with rdflib is here; under `CI=true` it must be.
fn rdflib() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import rdflib"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found || std::env::var_os("CI").is_none(),
        "CI=true but python3 with rdflib is missing (pip install rdflib)"
    );
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feeds_list_the_open_published_datasets_for_harvesters() {
    let env = Env::new();
    let demo = env.run(&["demo", "--no-serve"]);
    assert_eq!(demo.code, 0, "{}\n{}", demo.stdout, demo.stderr);
    let server = Serving::start(&env);
    let client = reqwest::Client::new();
    let base = &server.url;

    // What the JSON API shows the public is what the feeds must list.
    let (_, _, body) = get(&client, &format!("{base}/api/v1/datasets?limit=500")).await;
    let listed: Value = serde_json::from_slice(&body).unwrap();
    let open: Vec<String> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["latest_release"].is_null())
        .map(|d| d["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(open.len(), 2, "the demo publishes two open datasets: {listed}");

    let feeds = env.dir.path().join("umpan");
    std::fs::create_dir_all(&feeds).unwrap();
    for (ext, media) in [
        ("ttl", "text/turtle"),
        ("rdf", "application/rdf+xml"),
        ("jsonld", "application/ld+json"),
    ] {
        let (status, kind, body) = get(&client, &format!("{base}/catalog.{ext}")).await;
        assert_eq!(status, 200, "/catalog.{ext}: {}", String::from_utf8_lossy(&body));
        assert!(kind.starts_with(media), "/catalog.{ext} is {kind}");
        std::fs::write(feeds.join(format!("catalog.{ext}")), &body).unwrap();
    }
    let turtle = std::fs::read_to_string(feeds.join("catalog.ttl")).unwrap();
    for name in &open {
        assert!(turtle.contains(&format!("/dataset/{name}")), "{name} is in the catalog");
    }
    // Every distribution's checksum is the SHA-256 of what its download URL serves.
    let downloads: Vec<&str> = turtle
        .split(['<', '>'])
        .filter(|s| s.contains("/releases/v") && s.contains("/files/"))
        .collect();
    assert!(downloads.len() >= 4, "{turtle}");
    for url in downloads {
        let (status, _, bytes) = get(&client, url).await;
        assert_eq!(status, 200, "{url}");
        assert!(
            turtle.contains(&satudata_core::sha256_hex(&bytes)),
            "{url}'s checksum is in the feed"
        );
    }

    if rdflib() {
        let script = root().join("crates/dcat/tests/rdflib_check.py");
        let out = Command::new("python3").arg(script).arg(&feeds).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(summary["datasets"], 2, "{summary}");
        assert_eq!(summary["total_items"], 2, "{summary}");
    }

    // One dataset, in each syntax; a draft and an unknown one are not found.
    for ext in ["ttl", "rdf", "jsonld", "xml"] {
        let (status, _, body) = get(&client, &format!("{base}/dataset/{}.{ext}", open[0])).await;
        assert_eq!(status, 200, "{ext}: {}", String::from_utf8_lossy(&body));
    }
    assert_eq!(
        get(&client, &format!("{base}/dataset/sekolah-jenjang.ttl")).await.0,
        404,
        "waiting for review"
    );
    assert_eq!(get(&client, &format!("{base}/dataset/tidak-ada.ttl")).await.0, 404);
    assert_eq!(get(&client, &format!("{base}/dataset/{}.csv", open[0])).await.0, 404);

    // Paging and modified_since.
    let (status, _, body) = get(&client, &format!("{base}/catalog.ttl?modified_since=2999-01-01")).await;
    assert_eq!(status, 200);
    assert!(
        !String::from_utf8_lossy(&body).contains("dcat:Dataset"),
        "nothing changed since"
    );
    assert_eq!(get(&client, &format!("{base}/catalog.ttl?page=0")).await.0, 400);
    assert_eq!(
        get(&client, &format!("{base}/catalog.ttl?modified_since=kemarin"))
            .await
            .0,
        400
    );

    // Project Open Data 1.1.
    let (status, kind, body) = get(&client, &format!("{base}/data.json")).await;
    assert_eq!((status, kind.starts_with("application/json")), (200, true));
    let pod: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(pod["conformsTo"], "https://project-open-data.cio.gov/v1.1/schema");
    let mut titles: Vec<&str> = pod["dataset"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["identifier"].as_str().unwrap())
        .collect();
    titles.sort();
    assert_eq!(titles.len(), 2);
    for d in pod["dataset"].as_array().unwrap() {
        assert_eq!(d["accessLevel"], "public");
        assert!(!d["distribution"].as_array().unwrap().is_empty());
    }
}
