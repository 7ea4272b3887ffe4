//! The portal's harvest feeds over a real socket: what `demo` published, as DCAT-AP 3 in three
//! syntaxes (parsed and checked by rdflib, the library ckanext-dcat is built on, with
//! `crates/dcat/tests/rdflib_check.py`), per dataset, and as Project Open Data 1.1, each
//! listing exactly the open published datasets with their files' real sizes and checksums.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::{Serving, root};
use serde_json::Value;

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
    let (env, server) = Serving::after_demo();
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

/// Runs the `ckanapi` command line client (PyPI) against `base`; its stdout.
fn ckanapi(base: &str, args: &[&str]) -> String {
    let out = Command::new("ckanapi").args(args).args(["-r", base]).output().unwrap();
    assert!(
        out.status.success(),
        "ckanapi {args:?}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Whether the `ckanapi` client is here; under `CI=true` it must be.
fn has_ckanapi() -> bool {
    let found = Command::new("ckanapi")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found || std::env::var_os("CI").is_none(),
        "CI=true but ckanapi is missing (pip install ckanapi)"
    );
    found
}

async fn action(client: &reqwest::Client, base: &str, query: &str) -> Value {
    let (status, _, body) = get(client, &format!("{base}/api/3/action/{query}")).await;
    let value: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, 200, "{query}: {value}");
    assert_eq!(value["success"], true, "{query}: {value}");
    value["result"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ckan_clients_and_harvesters_read_the_catalog_as_they_read_ckan() {
    let (_env, server) = Serving::after_demo();
    let client = reqwest::Client::new();
    let base = &server.url;
    let mut open = vec!["jumlah-penduduk-kelurahan".to_owned(), "kunjungan-puskesmas".to_owned()];
    open.sort();

    // The CKAN harvester's gathering: pages by id until an empty page.
    let mut gathered: Vec<String> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for start in (0..).step_by(1) {
        let page = action(
            &client,
            base,
            &format!("package_search?rows=1&start={start}&sort=id+asc"),
        )
        .await;
        let results = page["results"].as_array().unwrap();
        if results.is_empty() {
            break;
        }
        assert_eq!(page["count"], 2);
        for r in results {
            gathered.push(r["name"].as_str().unwrap().to_owned());
            ids.push(r["id"].as_str().unwrap().to_owned());
        }
    }
    let mut sorted_ids = ids.clone();
    sorted_ids.sort();
    assert_eq!(ids, sorted_ids, "pages come by id");
    gathered.sort();
    assert_eq!(gathered, open, "every open dataset once, nothing else");
    // Incrementally: what changed since a time.
    let since = action(
        &client,
        base,
        "package_search?fq=metadata_modified:[2000-01-01T00:00:00Z+TO+*]&sort=id+asc",
    )
    .await;
    assert_eq!(since["count"], 2);
    let none = action(
        &client,
        base,
        "package_search?fq=metadata_modified:[2999-01-01T00:00:00Z+TO+*]",
    )
    .await;
    assert_eq!(none["count"], 0);
    assert!(none["results"].as_array().unwrap().is_empty());

    // Search, filters and facets, as portals call them.
    let found = action(
        &client,
        base,
        "package_search?q=penduduk&facet.field=[\"organization\",\"res_format\"]",
    )
    .await;
    assert_eq!(found["count"], 1, "{found}");
    assert_eq!(found["results"][0]["name"], "jumlah-penduduk-kelurahan");
    assert_eq!(found["facets"]["organization"]["disdukcapil"], 1, "{found}");
    assert_eq!(
        found["search_facets"]["res_format"]["items"].as_array().unwrap().len(),
        2
    );
    let negated = action(&client, base, "package_search?fq=-organization:disdukcapil").await;
    assert_eq!(negated["count"], 1);
    assert_eq!(negated["results"][0]["name"], "kunjungan-puskesmas");
    let phrase = action(&client, base, "package_search?fq=title:\"kunjungan\"").await;
    assert_eq!(phrase["count"], 1, "a field only Rust evaluates: {phrase}");

    // The package dict: every resource downloads, with its SHA-256 as the hash.
    let package = action(&client, base, "package_show?id=kunjungan-puskesmas").await;
    assert_eq!(package["organization"]["name"], "dinkes");
    assert_eq!(package["num_resources"], package["resources"].as_array().unwrap().len());
    for resource in package["resources"].as_array().unwrap() {
        let (status, _, bytes) = get(&client, resource["url"].as_str().unwrap()).await;
        assert_eq!(status, 200);
        assert_eq!(resource["hash"], satudata_core::sha256_hex(&bytes));
        assert_eq!(resource["size"], bytes.len());
        let shown = action(
            &client,
            base,
            &format!("resource_show?id={}", resource["id"].as_str().unwrap()),
        )
        .await;
        assert_eq!(shown["url"], resource["url"]);
    }
    // Each whole download counts, and the most downloaded sort first.
    let popular = action(&client, base, "package_search?sort=views_recent+desc&rows=1").await;
    assert_eq!(popular["results"][0]["name"], "kunjungan-puskesmas", "{popular}");
    let by_id = action(
        &client,
        base,
        &format!("package_show?id={}", package["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(by_id["name"], "kunjungan-puskesmas");

    // datastore_search over the published rows of the CSV resource.
    let csv = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["format"] == "CSV")
        .unwrap();
    let csv_id = csv["id"].as_str().unwrap();
    let (_, _, bytes) = get(&client, csv["url"].as_str().unwrap()).await;
    let text = String::from_utf8(bytes).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let ds = action(&client, base, &format!("datastore_search?resource_id={csv_id}&limit=5")).await;
    assert_eq!(ds["total"], rows.len(), "{ds}");
    assert_eq!(ds["records"].as_array().unwrap().len(), 5);
    assert_eq!(ds["fields"][0]["id"], "_id");
    assert_eq!(ds["records"][0]["_id"], 1);
    let january = rows.iter().filter(|r| r[col("bulan")] == "1").count();
    let filtered = action(
        &client,
        base,
        &format!("datastore_search?resource_id={csv_id}&filters=%7B%22bulan%22:1%7D&limit=1000"),
    )
    .await;
    assert_eq!(filtered["total"], january, "{filtered}");
    assert!(filtered["records"].as_array().unwrap().iter().all(|r| r["bulan"] == 1));
    let most = rows
        .iter()
        .map(|r| r[col("jumlah_kunjungan")].parse::<i64>().unwrap())
        .max()
        .unwrap();
    let top = action(
        &client,
        base,
        &format!("datastore_search?resource_id={csv_id}&sort=jumlah_kunjungan+desc&limit=1"),
    )
    .await;
    assert_eq!(top["records"][0]["jumlah_kunjungan"], most);
    let as_csv = action(
        &client,
        base,
        &format!("datastore_search?resource_id={csv_id}&limit=2&records_format=csv"),
    )
    .await;
    assert_eq!(as_csv["records"].as_str().unwrap().lines().count(), 2);
    let (status, _, _) = get(
        &client,
        &format!("{base}/api/3/action/datastore_search?resource_id={csv_id}&filters=%7B%22tidak_ada%22:1%7D"),
    )
    .await;
    assert_eq!(status, 409, "an unknown column is a Validation Error");

    // What may not be seen is not found; errors have CKAN's envelope.
    let (status, _, body) = get(&client, &format!("{base}/api/3/action/package_show?id=sekolah-jenjang")).await;
    let error: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (status, error["success"].clone(), error["error"]["__type"].clone()),
        (404, false.into(), "Not Found Error".into())
    );
    let (status, _, _) = get(&client, &format!("{base}/api/3/action/package_search?rows=-1")).await;
    assert_eq!(status, 409);
    let (status, _, _) = get(
        &client,
        &format!("{base}/api/3/action/package_search?fq=organization:(dinkes"),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _, _) = get(&client, &format!("{base}/api/3/action/tidak_ada")).await;
    assert_eq!(status, 400);

    // Lists, organizations, groups and tags; the /api/action/ path too.
    let mut names: Vec<String> = serde_json::from_value(action(&client, base, "package_list").await).unwrap();
    names.sort();
    assert_eq!(names, open);
    let orgs = action(&client, base, "organization_list?all_fields=true").await;
    let dinkes = orgs.as_array().unwrap().iter().find(|o| o["name"] == "dinkes").unwrap();
    assert_eq!(dinkes["package_count"], 1);
    let shown = action(&client, base, "organization_show?id=dinkes&include_datasets=true").await;
    assert_eq!(shown["packages"].as_array().unwrap().len(), 1);
    let groups: Vec<String> = serde_json::from_value(action(&client, base, "group_list").await).unwrap();
    assert!(!groups.is_empty());
    assert!(!action(&client, base, "tag_list").await.as_array().unwrap().is_empty());
    let (status, _, _) = get(&client, &format!("{base}/api/action/status_show")).await;
    assert_eq!(status, 200);

    // The real client, as data.go.id's tools use it.
    if has_ckanapi() {
        let searched: Value =
            serde_json::from_str(&ckanapi(base, &["action", "package_search", "q=puskesmas"])).unwrap();
        assert_eq!(searched["count"], 1, "{searched}");
        let shown: Value =
            serde_json::from_str(&ckanapi(base, &["action", "package_show", "id=kunjungan-puskesmas"])).unwrap();
        assert_eq!(shown["name"], "kunjungan-puskesmas");
        let rows: Value = serde_json::from_str(&ckanapi(
            base,
            &[
                "action",
                "datastore_search",
                &format!("resource_id={csv_id}"),
                "limit=2",
            ],
        ))
        .unwrap();
        assert_eq!(rows["records"].as_array().unwrap().len(), 2, "{rows}");
        let dump = ckanapi(base, &["dump", "datasets", "--all", "-q"]);
        let mut dumped: Vec<String> = dump
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["name"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        dumped.sort();
        assert_eq!(dumped, open);
    }
}
