//! The fixture catalog of the integration tests: Kota Pontianak with three datasets of two or
//! three files each, and hostile text in the titles.

#![allow(dead_code, clippy::too_many_arguments)]

use chrono::{DateTime, TimeZone, Utc};
use satudata_dcat::{
    CatalogInfo, Contact, DatasetView, DistributionView, Frequency, License, Publisher, Spatial, StatusKerahasiaan,
    Temporal,
};

pub const BASE: &str = "https://data.pontianak.go.id";

pub fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 8, 30, 0).single().expect("valid date")
}

pub fn info() -> CatalogInfo {
    CatalogInfo {
        base_url: BASE.into(),
        title: "Satu Data Kota Pontianak".into(),
        description: "Data terbuka Pemerintah Kota Pontianak: kependudukan, kesehatan, pendidikan.".into(),
        language: "id".into(),
        modified: at(2026, 3, 1),
        publisher_name: "Dinas Komunikasi dan Informatika Kota Pontianak".into(),
        publisher_homepage: "https://pontianak.go.id".into(),
    }
}

/// Titles that break naive writers: quotes of every kind, `<&>`, line breaks, a backslash,
/// a control character, `]]>`, Turtle's `"""` and non-ASCII Indonesian text.
pub const HOSTILE_TITLES: [&str; 3] = [
    "Jumlah Penduduk \"Menurut\" Kecamatan <2025> & 'Jenis Kelamin'",
    "Angka Partisipasi Sekolah\nbaris kedua\r\n\\ C:\\data\\ \u{1}\t]]> \"\"\" --> ",
    "Fasilitas Kesehatan — Puskesmas Kecamatan Pontianak Selatan: ü, é, ñ, \u{1F3E5} <![CDATA[x]]>",
];

fn distribution(dataset: &str, n: u32, format: &str, media_type: &str, ext: &str) -> DistributionView {
    DistributionView {
        id: format!("{dataset}-{n}"),
        title: format!("Berkas {n} <{format}> & \"rilis\""),
        // The second file's page has a space, quotes, `<>` and `ü` in its query: the feeds
        // percent-encode what an IRI cannot hold.
        access_url: if n == 2 {
            format!("{BASE}/dataset/{dataset}?kecamatan=Pontianak Selatan&catatan=\"<ü>\"")
        } else {
            format!("{BASE}/dataset/{dataset}#unduhan")
        },
        download_url: format!("{BASE}/dataset/{dataset}/rilis/3/data.{ext}"),
        media_type: media_type.into(),
        format: format.into(),
        byte_size: 1024 * u64::from(n) + 17,
        sha256: format!("{:064x}", u64::from(n) * 0x9e37_79b9 + dataset.len() as u64),
        issued: at(2025, 1, 15),
        modified: at(2026, 2, n),
    }
}

fn dataset(
    n: usize,
    id: &str,
    name: &str,
    frequency: Frequency,
    status: StatusKerahasiaan,
    license: License,
    temporal: (&str, &str),
    files: &[(&str, &str, &str)],
) -> DatasetView {
    DatasetView {
        id: id.into(),
        name: name.into(),
        title: HOSTILE_TITLES[n].into(),
        description: format!("Deskripsi {name}: data \"resmi\" <b>tebal</b> & baris\nbaru ü."),
        keywords: vec!["penduduk".into(), format!("tag \"{n}\" <x>")],
        themes: vec!["kependudukan".into()],
        issued: at(2024, 5, 1),
        modified: at(2026, 2, 20),
        version: "3".into(),
        frequency,
        spatial: Some(Spatial {
            code: "61.71".into(),
            name: "Kota Pontianak".into(),
        }),
        temporal: Some(Temporal {
            start: Some(temporal.0.into()),
            end: Some(temporal.1.into()),
        }),
        publisher: Publisher {
            slug: "disdukcapil".into(),
            name: "Dinas Kependudukan & Pencatatan Sipil".into(),
            email: Some("disdukcapil@pontianak.go.id".into()),
        },
        contact: Contact {
            name: "Walidata \"Utama\"".into(),
            email: Some("walidata@pontianak.go.id".into()),
        },
        status,
        license,
        conforms_to: Some(format!("{BASE}/standar/{name}/1")),
        landing_page: format!("{BASE}/dataset/{name}"),
        distributions: files
            .iter()
            .enumerate()
            .map(|(i, (format, media_type, ext))| distribution(id, i as u32 + 1, format, media_type, ext))
            .collect(),
    }
}

const CSV: (&str, &str, &str) = ("CSV", "text/csv", "csv");
const PARQUET: (&str, &str, &str) = ("Parquet", "application/vnd.apache.parquet", "parquet");
const JSON: (&str, &str, &str) = ("JSON", "application/json", "json");

pub fn datasets() -> Vec<DatasetView> {
    vec![
        dataset(
            0,
            "5f0c3a52-8d1e-4c7a-9a43-0b6f1d2e3c41",
            "jumlah-penduduk",
            Frequency::Tahunan,
            StatusKerahasiaan::Terbuka,
            License::CcBy,
            ("2020", "2025"),
            &[CSV, PARQUET, JSON],
        ),
        dataset(
            1,
            "a3b1c2d4-0e5f-4a6b-8c7d-9e0f1a2b3c4d",
            "angka-partisipasi-sekolah",
            Frequency::Semesteran,
            StatusKerahasiaan::Terbatas,
            License::Odbl,
            ("2024-01", "2025-06"),
            &[CSV, PARQUET],
        ),
        dataset(
            2,
            "0d9e8f7a-6b5c-4d3e-a2f1-b0c9d8e7f6a5",
            "fasilitas-kesehatan",
            Frequency::TidakTetap,
            StatusKerahasiaan::Terbuka,
            License::Cc0,
            ("2025-01-01", "2025-12-31"),
            &[CSV, JSON],
        ),
    ]
}
