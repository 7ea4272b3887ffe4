//! What the pages show, as the server gathers it: plain values, no storage.

use chrono::{DateTime, Utc};
use satudata_core::{DataStandard, DatasetMetadata, Frequency};

use crate::Lang;
use crate::chart::Chart;
use crate::quality::Quality;
use crate::timeliness::Timeliness;

/// The request a page answers: its language and where it is.
#[derive(Debug, Clone)]
pub struct Site {
    /// The portal's name.
    pub title: String,
    /// The page's language.
    pub lang: Lang,
    /// The public address of the server (`https://data.example.go.id`), without a trailing `/`.
    pub base: String,
    /// The request's path (`/dataset`).
    pub path: String,
    /// The request's query parameters, without `lang`.
    pub query: Vec<(String, String)>,
    /// The signed-in user's name, if any.
    pub user: Option<String>,
}

/// Something with a slug and a name: a PD, a topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// Its slug, as in its URL.
    pub slug: String,
    /// What people call it.
    pub title: String,
}

/// A dataset as a list shows it.
#[derive(Debug, Clone)]
pub struct Card {
    /// Its name (slug).
    pub name: String,
    /// Its title.
    pub title: String,
    /// Its description.
    pub description: String,
    /// The PD that produces it.
    pub organization: Named,
    /// Its topic, when it has one.
    pub topic: Option<Named>,
    /// Its tags.
    pub tags: Vec<String>,
    /// When it, or what it shows, last changed.
    pub modified: DateTime<Utc>,
    /// Its newest served release, and when that was published.
    pub latest: Option<(u32, DateTime<Utc>)>,
    /// How many times its files were downloaded.
    pub downloads: u64,
    /// Its frekuensi penerbitan.
    pub frequency: Option<Frequency>,
    /// Where it stands against that frequency.
    pub timeliness: Timeliness,
    /// Its status kerahasiaan.
    pub status: String,
}

/// A facet of the search and its values.
#[derive(Debug, Clone)]
pub struct Facet {
    /// Its field (`organization`, `groups`, `tags`, `tahun`, ...), also the query parameter.
    pub field: String,
    /// Its values: value, what people read, count.
    pub values: Vec<(String, String, u64)>,
}

/// The search page.
#[derive(Debug, Clone)]
pub struct Search {
    /// The words searched for.
    pub q: String,
    /// The filters applied: field and value.
    pub filters: Vec<(String, String)>,
    /// The order (`relevance`, `newest`, `name`, `downloads`).
    pub sort: String,
    /// The page, from 1.
    pub page: u64,
    /// Results per page.
    pub per_page: u64,
    /// How many datasets match.
    pub total: u64,
    /// This page's results.
    pub results: Vec<Card>,
    /// The facets over every match.
    pub facets: Vec<Facet>,
}

/// The home page.
#[derive(Debug, Clone)]
pub struct Home {
    /// Published datasets, PDs with one, and topics.
    pub counts: (u64, u64, u64),
    /// The newest datasets.
    pub newest: Vec<Card>,
    /// The most downloaded.
    pub popular: Vec<Card>,
    /// The most recently updated.
    pub updated: Vec<Card>,
    /// The topics with their number of datasets.
    pub topics: Vec<(Named, u64)>,
    /// The PDs with their number of datasets.
    pub organizations: Vec<(Named, u64)>,
}

/// A list of datasets under one PD or topic.
#[derive(Debug, Clone)]
pub struct Group {
    /// The PD or topic.
    pub named: Named,
    /// What else is known of it (a PD's full name, contact), as label and value.
    pub about: Vec<(String, String)>,
    /// Its datasets.
    pub datasets: Vec<Card>,
}

/// How many rows a version added, changed and removed against the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changes {
    /// Rows added.
    pub added: u64,
    /// Rows changed.
    pub changed: u64,
    /// Rows removed.
    pub removed: u64,
}

/// A served version of a dataset.
#[derive(Debug, Clone)]
pub struct Version {
    /// Its number.
    pub version: u32,
    /// When it was published.
    pub published: DateTime<Utc>,
    /// Its rows.
    pub rows: u64,
    /// Its changes against the version before (`None` for the first, or when unknown).
    pub changes: Option<Changes>,
}

/// A downloadable file of the newest release.
#[derive(Debug, Clone)]
pub struct Download {
    /// Its name in the release (`data.csv`).
    pub file: String,
    /// Its format (`CSV`).
    pub format: String,
    /// Where it downloads.
    pub url: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256, hex.
    pub sha256: String,
}

/// The first rows of the newest release.
#[derive(Debug, Clone)]
pub struct Preview {
    /// Column names.
    pub columns: Vec<String>,
    /// The rows, as text.
    pub rows: Vec<Vec<String>>,
    /// Rows in the release.
    pub total: u64,
}

/// The data center's signing key.
#[derive(Debug, Clone)]
pub struct PublicKey {
    /// Where it is published.
    pub url: String,
    /// Its fingerprint as `satudata verify` prints it (`SHA256:` and 32 hex digits).
    pub fingerprint: String,
    /// The key itself, hex.
    pub hex: String,
}

/// A code list as a column shows it: its id, its first entries (code, value), how many in all.
pub type Codes = (String, Vec<(String, String)>, u64);

/// A changed row: its key, and each changed cell as column, before, after.
pub type ChangedRow = (Vec<String>, Vec<(String, String, String)>);

/// The dataset page.
#[derive(Debug, Clone)]
pub struct Dataset<'a> {
    /// The dataset as a list shows it.
    pub card: &'a Card,
    /// Its metadata.
    pub metadata: &'a DatasetMetadata,
    /// Its data standard.
    pub standard: Option<&'a DataStandard>,
    /// The entries of the code lists its columns use, by code list id (capped).
    pub code_lists: &'a [Codes],
    /// What people call its spatial coverage (`Kota Pontianak`).
    pub region: Option<String>,
    /// Its served versions, newest first.
    pub versions: Vec<Version>,
    /// The first rows of the newest.
    pub preview: Option<Preview>,
    /// A chart of the newest, when the data suits one.
    pub chart: Option<Chart>,
    /// The newest release's files.
    pub downloads: Vec<Download>,
    /// The newest release's manifest and signature URLs.
    pub manifest: Option<(String, String)>,
    /// The data center's key.
    pub key: &'a PublicKey,
    /// The quality score.
    pub quality: Quality,
    /// The API's address of this dataset (`package_show`).
    pub api: String,
}

/// One version's changes, row by row.
#[derive(Debug, Clone)]
pub struct VersionDiff {
    /// The dataset's name and title.
    pub dataset: Named,
    /// The version shown and the one it is compared with.
    pub version: u32,
    /// The version before (`None` for the first).
    pub base: Option<u32>,
    /// How rows were matched (`kunci utama` columns; empty for whole rows).
    pub key: Vec<String>,
    /// Columns added and removed.
    pub columns: (Vec<String>, Vec<String>),
    /// Totals.
    pub changes: Changes,
    /// Rows unchanged.
    pub unchanged: u64,
    /// Added rows: the new table's columns and the first rows.
    pub added: (Vec<String>, Vec<Vec<String>>),
    /// Removed rows: the older table's columns and the first rows.
    pub removed: (Vec<String>, Vec<Vec<String>>),
    /// Changed rows: key, then each changed cell as column, before, after.
    pub changed: Vec<ChangedRow>,
}

/// A release in an Atom feed.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    /// The dataset's name and title.
    pub dataset: Named,
    /// Its description.
    pub summary: String,
    /// The PD's name.
    pub author: String,
    /// The version.
    pub version: u32,
    /// When it was published.
    pub published: DateTime<Utc>,
    /// Its rows.
    pub rows: u64,
}
