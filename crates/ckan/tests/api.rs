//! The public API end to end: requests as clients send them, answers compared with reviewed
//! golden files in `tests/fixtures/` (regenerate with `SNAPSHOT_UPDATE=1`, then review the diff).

#![allow(clippy::unwrap_used)]

use satudata_ckan::{
    ApiError, Column, ColumnType, DatasetView, DatastoreSearch, Expr, GroupList, GroupShow, PackageSearch, PackageShow,
    Params, RequestUrl, Row, answer, check_action, datastore_result, organization_dict, organization_show,
    package_dict, package_search_result, resource_show,
};
use serde_json::{Value, json};

mod common;

use common::{SITE, datasets, run_search, snapshot};

#[test]
fn package_show_answer() {
    let views = datasets();
    let params = Params::from_query("id=kunjungan-puskesmas");
    let show = PackageShow::from_params(&params).unwrap();
    let found = views.iter().find(|v| v.name() == show.id || v.id == show.id).unwrap();
    let a = answer(SITE, "package_show", Ok(package_dict(found)));
    assert_eq!(a.status, 200);
    let r = &a.body["result"];
    // The fields the issue and the harvester need, checked one by one before the snapshot.
    assert_eq!(r["id"], "3b0f6d1e-5c1a-4b8e-9a47-0c2f7d9e1a01");
    assert_eq!(r["metadata_modified"], "2025-01-15T03:04:05.123456");
    assert_eq!(r["metadata_created"], "2024-02-01T08:15:30.250000");
    assert_eq!(
        (&r["license_id"], &r["isopen"], &r["private"]),
        (&json!("cc-by"), &json!(true), &json!(false))
    );
    assert_eq!(r["num_resources"], 2);
    assert_eq!(r["num_tags"], 4);
    assert_eq!(r["version"], "2");
    assert_eq!(
        r["resources"][1]["hash"],
        "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d"
    );
    assert_eq!(r["resources"][1]["position"], 1);
    assert_eq!(r["resources"][0]["datastore_active"], true);
    assert_eq!(r["organization"]["name"], "dinkes");
    assert_eq!(r["owner_org"], r["organization"]["id"]);
    assert_eq!(r["groups"][0]["name"], "kesehatan");
    let extras: Vec<&str> = r["extras"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        extras,
        [
            "cakupan",
            "frekuensi_penerbitan",
            "level_penyajian",
            "rujukan",
            "standard_id",
            "standard_version",
            "status_kerahasiaan",
            "tahun"
        ]
    );
    snapshot("package_show.json", &a.body);

    let res = resource_show(found, "0b0b0b0b-0000-4000-8000-000000000002").unwrap();
    assert_eq!(res["format"], "Parquet");
    assert_eq!(res["package_id"], found.id);
    assert!(
        resource_show(found, "0a0a0a0a-0000-4000-8000-000000000001").is_none(),
        "older releases are not resources"
    );
}

#[test]
fn closed_dataset_dict() {
    let views = datasets();
    let d = package_dict(&views[3]);
    assert_eq!(d["private"], true);
    assert_eq!(d["license_id"], "other-closed");
    assert_eq!(d["isopen"], false);
    assert!(d.get("license_url").is_none());
    assert_eq!(d["num_resources"], 0);
    assert_eq!(d["version"], Value::Null);
    assert_eq!(d["groups"], json!([]));
}

#[test]
fn package_search_answer_with_facets() {
    let views = datasets();
    let params = Params::from_query(
        "q=kesehatan&fq=-organization:bappeda&rows=1&sort=name+asc&facet.field=%5B%22organization%22%2C%22tags%22%2C%22res_format%22%2C%22groups%22%5D&facet.limit=3",
    );
    let search = PackageSearch::from_params(&params).unwrap();
    let (matched, page) = run_search(&search, &views);
    let result = package_search_result(&search, &matched, page);
    assert_eq!(result["count"], 2);
    assert_eq!(result["results"][0]["name"], "imunisasi-dasar");
    assert_eq!(result["facets"]["organization"], json!({"dinkes": 2}));
    assert_eq!(
        result["facets"]["tags"],
        json!({"kesehatan": 2, "imunisasi": 1, "jkn": 1})
    );
    assert_eq!(
        result["search_facets"]["organization"]["items"][0]["display_name"],
        "Dinas Kesehatan"
    );
    assert_eq!(result["sort"], "name asc");
    snapshot("package_search.json", &answer(SITE, "package_search", Ok(result)).body);
}

#[test]
fn bare_words_search_column_concepts_too() {
    let views = datasets();
    let names = |q: &str| names_found(q, &views);
    assert_eq!(names("q=kedatangan"), ["kunjungan-puskesmas"]);
    assert_eq!(names("q=jumlah_kunjungan"), ["kunjungan-puskesmas"]);
    assert!(names("q=text:kedatangan+-organization:dinkes").is_empty());
}

#[test]
fn private_datasets_need_include_private() {
    let views = datasets();
    let open = PackageSearch::from_params(&Params::from_query("q=*:*&rows=0")).unwrap();
    let (matched, page) = run_search(&open, &views);
    assert_eq!((matched.len(), page.len()), (3, 0), "rows=0 gives the count only");
    let all = PackageSearch::from_params(&Params::from_query("include_private=true")).unwrap();
    assert_eq!(run_search(&all, &views).0.len(), 4);
    let with_files = names_found(
        "include_private=true&sort=name+asc&fq=num_resources:%5B1+TO+*%5D",
        &views,
    );
    assert_eq!(
        with_files,
        ["imunisasi-dasar", "jumlah-penduduk-kelurahan", "kunjungan-puskesmas"]
    );
}

/// The ckanext-harvest CKAN harvester: pages of `sort=id asc` until an empty page, then an
/// incremental run with `fq=metadata_modified:[... TO *]`.
#[test]
fn harvester_gathers_every_open_dataset_once() {
    let views = datasets();
    let mut seen = Vec::new();
    let mut start = 0;
    loop {
        let q = format!("rows=2&start={start}&sort=id+asc");
        let search = PackageSearch::from_params(&Params::from_query(&q)).unwrap();
        let (_, page) = run_search(&search, &views);
        if page.is_empty() {
            break;
        }
        seen.extend(page.iter().map(|p| p["id"].as_str().unwrap().to_owned()));
        start += 2;
    }
    let mut open: Vec<String> = views.iter().filter(|v| !v.private()).map(|v| v.id.clone()).collect();
    open.sort();
    assert_eq!(seen, open, "every open dataset exactly once, in id order");

    let fq = "metadata_modified:[2024-11-01T00:00:00.000000Z TO *]";
    let q = format!("rows=100&start=0&sort=id+asc&fq={}", form(fq));
    let names = names_found(&q, &views);
    assert_eq!(names, ["kunjungan-puskesmas", "imunisasi-dasar"]);

    // The harvester joins its constraints with spaces: an organization include list, a group
    // exclusion, the incremental range. Each must hold as a whole.
    let fq = "organization:dinkes OR organization:disdukcapil -groups:kesehatan";
    let q = format!("fq={}&sort=name+asc", form(fq));
    assert_eq!(names_found(&q, &views), ["jumlah-penduduk-kelurahan"]);
    let fq = "organization:disdukcapil OR organization:dinkes metadata_modified:[2024-11-01T00:00:00Z TO *]";
    let q = format!("fq={}&sort=name+asc", form(fq));
    assert_eq!(names_found(&q, &views), ["imunisasi-dasar", "kunjungan-puskesmas"]);
}

/// The names on the page a query string finds.
fn names_found(query: &str, views: &[DatasetView]) -> Vec<String> {
    let search = PackageSearch::from_params(&Params::from_query(query)).unwrap();
    run_search(&search, views)
        .1
        .iter()
        .map(|p| p["name"].as_str().unwrap().into())
        .collect()
}

fn form(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[test]
fn organization_show_answer() {
    let views = datasets();
    let show = GroupShow::from_params(&Params::from_query("id=dinkes&include_datasets=True")).unwrap();
    let org = &views[0].organization;
    assert_eq!(org.slug, show.id);
    let mine: Vec<&DatasetView> = views
        .iter()
        .filter(|v| v.organization.slug == show.id && !v.private())
        .collect();
    let packages = show
        .include_datasets
        .then(|| mine.iter().take(10).map(|v| package_dict(v)).collect());
    let body = answer(
        SITE,
        "organization_show",
        Ok(organization_show(org, mine.len() as u64, packages)),
    )
    .body;
    assert_eq!(body["result"]["package_count"], 2);
    assert_eq!(body["result"]["packages"].as_array().unwrap().len(), 2);
    assert_eq!(body["result"]["is_organization"], true);
    snapshot("organization_show.json", &body);

    let list = GroupList::from_params(&Params::from_query("all_fields=true"), "organizations").unwrap();
    assert!(list.all_fields);
    let d = organization_dict(org, 2);
    assert!(d.get("packages").is_none() && d.get("users").is_none());
    assert_eq!(d["display_name"], "Dinas Kesehatan");
}

fn table() -> (Vec<Column>, Vec<Row>) {
    let col = |id: &str, t| Column {
        id: id.into(),
        column_type: t,
    };
    let columns = vec![
        col("tahun", ColumnType::Int),
        col("bulan", ColumnType::Int),
        col("nama_puskesmas", ColumnType::Text),
        col("jumlah_kunjungan", ColumnType::Int),
        col("persen_jkn", ColumnType::Numeric),
        col("tanggal_lapor", ColumnType::Date),
        col("diperbarui", ColumnType::Timestamp),
        col("terverifikasi", ColumnType::Bool),
    ];
    let rows = vec![
        Row {
            id: 3,
            values: vec![
                json!(2024),
                json!(1),
                json!("Puskesmas Kampung Dalam"),
                json!(1520),
                json!(63.5),
                json!("2024-02-05"),
                json!("2024-02-05T09:30:00"),
                json!(true),
            ],
        },
        Row {
            id: 7,
            values: vec![
                json!(2024),
                json!(1),
                json!("Puskesmas \"Gang Sehat\", Selatan"),
                json!(987),
                Value::Null,
                json!("2024-02-06"),
                json!("2024-02-06T10:00:00"),
                json!(false),
            ],
        },
    ];
    (columns, rows)
}

#[test]
fn datastore_search_answers() {
    let (columns, rows) = table();
    let query = "resource_id=0b0b0b0b-0000-4000-8000-000000000001&filters=%7B%22tahun%22%3A2024%2C%22bulan%22%3A%5B1%2C2%5D%7D&sort=jumlah_kunjungan+desc&limit=2&offset=2";
    let search = DatastoreSearch::from_params(&Params::from_query(query)).unwrap();
    let url = RequestUrl {
        path: "/api/3/action/datastore_search",
        query,
    };
    let result = datastore_result(&search, &columns, &rows, 9, url).unwrap();
    assert_eq!(result["fields"][0], json!({"id": "_id", "type": "int"}));
    assert_eq!(result["total"], 9);
    assert_eq!(result["records"][1]["persen_jkn"], Value::Null);
    assert_eq!(
        result["_links"]["next"],
        "/api/3/action/datastore_search?resource_id=0b0b0b0b-0000-4000-8000-000000000001&filters=%7B%22tahun%22%3A2024%2C%22bulan%22%3A%5B1%2C2%5D%7D&sort=jumlah_kunjungan+desc&limit=2&offset=4"
    );
    snapshot(
        "datastore_search.json",
        &answer(SITE, "datastore_search", Ok(result)).body,
    );

    let csv = DatastoreSearch::from_params(&Params::from_value(json!({
        "resource_id": "r", "records_format": "csv", "fields": ["_id", "nama_puskesmas", "persen_jkn", "diperbarui", "terverifikasi"]
    })).unwrap())
    .unwrap();
    let post = RequestUrl {
        path: "/api/action/datastore_search",
        query: "",
    };
    let result = datastore_result(&csv, &columns, &rows, 2, post).unwrap();
    assert_eq!(
        result["records"],
        "3,Puskesmas Kampung Dalam,63.5,2024-02-05 09:30:00,t\n7,\"Puskesmas \"\"Gang Sehat\"\", Selatan\",,2024-02-06 10:00:00,f\n"
    );
    let lists = DatastoreSearch::from_params(&Params::from_query(
        "resource_id=r&records_format=lists&fields=bulan,_id",
    ))
    .unwrap();
    let result = datastore_result(&lists, &columns, &rows, 2, post).unwrap();
    assert_eq!(result["records"], json!([[1, 3], [1, 7]]));
    // ckanapi's --datastore-fields reads only `fields`, with limit=0.
    let zero = DatastoreSearch::from_params(&Params::from_query("resource_id=r&limit=0")).unwrap();
    let result = datastore_result(&zero, &columns, &[], 2, post).unwrap();
    assert_eq!(result["fields"].as_array().unwrap().len(), columns.len() + 1);
    assert_eq!(result["records"], json!([]));
}

#[test]
fn datastore_unknown_column_is_a_validation_error() {
    let (columns, rows) = table();
    let search = DatastoreSearch::from_params(&Params::from_query(
        "resource_id=r&filters=%7B%22kecamatan%22%3A%22x%22%7D",
    ))
    .unwrap();
    let err = datastore_result(&search, &columns, &rows, 2, RequestUrl { path: "/p", query: "" }).unwrap_err();
    let a = answer(SITE, "datastore_search", Err(err));
    assert_eq!(a.status, 409);
    assert_eq!(
        a.body["error"],
        json!({"__type": "Validation Error", "filters": ["invalid value \"kecamatan\""]})
    );
}

#[test]
fn error_answers() {
    let a = answer(SITE, "pakage_show", check_action("pakage_show").map(|_| Value::Null));
    assert_eq!(
        (a.status, a.body),
        (400, json!("Bad request - Action name not known: pakage_show"))
    );

    let a = answer(
        SITE,
        "package_show",
        PackageShow::from_params(&Params::default()).map(|_| Value::Null),
    );
    assert_eq!(a.status, 409);
    assert_eq!(
        a.body,
        json!({"help": "https://data.pontianak.go.id/api/3/action/help_show?name=package_show", "success": false,
               "error": {"__type": "Validation Error", "id": ["Missing value"]}})
    );

    let e = PackageSearch::from_params(&Params::from_query("fq=metadata_modified:%5B2024-01-01T00:00:00Z+TO+*"))
        .unwrap_err();
    let a = answer(SITE, "package_search", Err(e));
    assert_eq!(a.status, 400);
    assert_eq!(a.body["error"]["__type"], "Search Query Error");
    let message = a.body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("Search Query is invalid: ('unclosed range"),
        "{message}"
    );

    let a = answer(SITE, "package_show", Err(ApiError::NotFound(String::new())));
    assert_eq!((a.status, &a.body["error"]["message"]), (404, &json!("Not found")));

    let e = Params::from_json(b"{\"id\": ").unwrap_err();
    let a = answer(SITE, "package_show", Err(e));
    assert_eq!(a.status, 400);
    assert!(
        a.body
            .as_str()
            .unwrap()
            .starts_with("Bad request - JSON Error: Error decoding JSON data.")
    );
}

#[test]
fn a_filter_means_the_same_from_get_and_post() {
    let get = PackageSearch::from_params(&Params::from_query("fq=tags:jkn&rows=10&include_private=false")).unwrap();
    let post = PackageSearch::from_params(
        &Params::from_json(br#"{"fq": "tags:jkn", "rows": "10", "include_private": false}"#).unwrap(),
    )
    .unwrap();
    assert_eq!(get, post);
    assert_ne!(get.fq, Expr::All);
}
