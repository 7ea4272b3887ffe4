//! The views the feeds are built from: plain owned data the server fills from catalog rows.

use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::{Error, Result};

/// The portal itself: the `dcat:Catalog` and the POD catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogInfo {
    /// The portal's public base URL without a trailing slash, e.g. `https://data.pontianak.go.id`.
    /// It is the catalog's IRI and the prefix of every dataset IRI.
    pub base_url: String,
    /// The portal's title.
    pub title: String,
    /// What the portal holds.
    pub description: String,
    /// The metadata language, a BCP 47 tag (`id` or `en`): the language tag of titles and
    /// descriptions and the catalog's `dct:language`.
    pub language: String,
    /// The last change of any dataset in the catalog.
    pub modified: DateTime<Utc>,
    /// The publisher of the catalog (the Walidata, e.g. Diskominfo).
    pub publisher_name: String,
    /// The publisher's homepage URL.
    pub publisher_homepage: String,
}

/// One published dataset, as the public may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetView {
    /// The stable UUID (CKAN's `id`); the dataset IRI is `{base_url}/dataset/{id}`.
    pub id: String,
    /// The URL name (slug).
    pub name: String,
    /// The title.
    pub title: String,
    /// The description (CKAN's `notes`).
    pub description: String,
    /// Tags.
    pub keywords: Vec<String>,
    /// Topic words (the basis-data groups, e.g. `kependudukan`); each becomes the topic page's
    /// IRI `{base_url}/group/{topic}`.
    pub themes: Vec<String>,
    /// First publication.
    pub issued: DateTime<Utc>,
    /// Last change.
    pub modified: DateTime<Utc>,
    /// The release number, e.g. `3`.
    pub version: String,
    /// Frekuensi penerbitan.
    pub frequency: Frequency,
    /// Cakupan wilayah, if known.
    pub spatial: Option<Spatial>,
    /// The period the data covers, if known.
    pub temporal: Option<Temporal>,
    /// The producing PD.
    pub publisher: Publisher,
    /// Who answers questions (CKAN's maintainer).
    pub contact: Contact,
    /// Status kerahasiaan.
    pub status: StatusKerahasiaan,
    /// The license of every distribution.
    pub license: License,
    /// The data standard's URL, if the dataset follows one.
    pub conforms_to: Option<String>,
    /// The dataset's page URL.
    pub landing_page: String,
    /// The release's files.
    pub distributions: Vec<DistributionView>,
}

/// One downloadable file of a dataset's current release.
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionView {
    /// A stable id (CKAN's resource `id`); the IRI is `{dataset IRI}/resource/{id}`.
    pub id: String,
    /// The title, e.g. `Jumlah penduduk 2025 (CSV)`.
    pub title: String,
    /// Where the file is offered (its page or API call).
    pub access_url: String,
    /// The file itself.
    pub download_url: String,
    /// The IANA media type: `text/csv`, `application/vnd.apache.parquet`, `application/json`.
    pub media_type: String,
    /// The format word: `CSV`, `Parquet`, `JSON`.
    pub format: String,
    /// Size in bytes.
    pub byte_size: u64,
    /// The SHA-256 of the file, hexadecimal.
    pub sha256: String,
    /// When the file was published.
    pub issued: DateTime<Utc>,
    /// When the file last changed.
    pub modified: DateTime<Utc>,
}

/// Cakupan wilayah: a Kemendagri region code and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spatial {
    /// The kode wilayah, e.g. `61.71`.
    pub code: String,
    /// The region's name, e.g. `Kota Pontianak`.
    pub name: String,
}

/// The period the data covers; each bound is `YYYY`, `YYYY-MM` or `YYYY-MM-DD` text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Temporal {
    /// The first year, month or day covered.
    pub start: Option<String>,
    /// The last year, month or day covered.
    pub end: Option<String>,
}

/// The producing perangkat daerah.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publisher {
    /// The organization slug; the agent's IRI is `{base_url}/organization/{slug}`.
    pub slug: String,
    /// The PD's name.
    pub name: String,
    /// The PD's e-mail address.
    pub email: Option<String>,
}

/// The contact point (CKAN's maintainer and maintainer_email).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// The name.
    pub name: String,
    /// The e-mail address.
    pub email: Option<String>,
}

/// A page of the catalog feed: which page, its size, how many datasets match, and the query
/// the page links carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The feed's path, e.g. `/catalog.ttl`; page links are `{base_url}{path}?{query}&page=N`.
    pub path: String,
    /// The page number, from 1.
    pub page: u64,
    /// Datasets per page (100, as ckanext-dcat).
    pub per_page: u64,
    /// Datasets matching the query over all pages.
    pub total: u64,
    /// Query parameters every page link carries (e.g. `modified_since`), in order; a `page`
    /// parameter here is ignored.
    pub query: Vec<(String, String)>,
}

impl Page {
    /// A page with no extra query parameters.
    pub fn new(path: impl Into<String>, page: u64, per_page: u64, total: u64) -> Page {
        Page {
            path: path.into(),
            page,
            per_page,
            total,
            query: Vec::new(),
        }
    }

    /// The same page carrying one more query parameter.
    #[must_use]
    pub fn with_query(mut self, key: impl Into<String>, value: impl Into<String>) -> Page {
        self.query.push((key.into(), value.into()));
        self
    }

    /// The last page number (1 when nothing matches).
    pub fn last(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }

    /// The URL of page `n` under `base_url`.
    pub fn url(&self, base_url: &str, n: u64) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in self.query.iter().filter(|(key, _)| key != "page") {
            query.append_pair(key, value);
        }
        query.append_pair("page", &n.to_string());
        format!("{}{}?{}", base_url.trim_end_matches('/'), self.path, query.finish())
    }

    pub(crate) fn check(&self) -> Result<()> {
        if self.page == 0 || self.per_page == 0 {
            return Err(Error::Paging {
                page: self.page,
                per_page: self.per_page,
            });
        }
        Ok(())
    }
}

/// Defines a word enum of the schema: its variants, their words, `word()` and `FromStr`.
macro_rules! schema_words {
    ($(#[$meta:meta])* $name:ident, $kind:literal, { $($(#[$vmeta:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in the schema's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The schema's word for the value.
            pub fn word(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }
        }

        impl FromStr for $name {
            type Err = Error;

            fn from_str(word: &str) -> Result<Self> {
                let trimmed = word.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|value| value.word().eq_ignore_ascii_case(trimmed))
                    .ok_or_else(|| Error::UnknownWord { kind: $kind, word: word.to_owned() })
            }
        }
    };
}

schema_words!(
    /// Frekuensi penerbitan, in the schema's words.
    Frequency, "frequency", {
        /// `harian`.
        Harian = "harian",
        /// `mingguan`.
        Mingguan = "mingguan",
        /// `bulanan`.
        Bulanan = "bulanan",
        /// `triwulanan` (quarterly).
        Triwulanan = "triwulanan",
        /// `semesteran` (twice a year).
        Semesteran = "semesteran",
        /// `tahunan`.
        Tahunan = "tahunan",
        /// `lima-tahunan` (every five years, e.g. the census).
        LimaTahunan = "lima-tahunan",
        /// `tidak-tetap` (irregular).
        TidakTetap = "tidak-tetap",
    }
);

schema_words!(
    /// Status kerahasiaan.
    StatusKerahasiaan, "status kerahasiaan", {
        /// `terbuka`: open to all.
        Terbuka = "terbuka",
        /// `terbatas`: shared under conditions.
        Terbatas = "terbatas",
        /// `rahasia`: not public.
        Rahasia = "rahasia",
    }
);

schema_words!(
    /// The license of a dataset's files.
    License, "license", {
        /// Creative Commons Attribution 4.0.
        CcBy = "cc-by",
        /// Creative Commons Attribution-ShareAlike 4.0.
        CcBySa = "cc-by-sa",
        /// Creative Commons Zero 1.0 (public domain dedication).
        Cc0 = "cc0",
        /// Open Data Commons Open Database License 1.0.
        Odbl = "odbl",
        /// Not openly licensed.
        Tertutup = "tertutup",
    }
);

impl License {
    /// The license document's URI; `tertutup` has no public license, so it is the portal's own
    /// page for it, `{base_url}/license/tertutup`.
    pub fn uri(self, base_url: &str) -> String {
        match self {
            License::CcBy => "https://creativecommons.org/licenses/by/4.0/".to_owned(),
            License::CcBySa => "https://creativecommons.org/licenses/by-sa/4.0/".to_owned(),
            License::Cc0 => "https://creativecommons.org/publicdomain/zero/1.0/".to_owned(),
            License::Odbl => "https://opendatacommons.org/licenses/odbl/1-0/".to_owned(),
            License::Tertutup => format!("{}/license/tertutup", base_url.trim_end_matches('/')),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_parse_back_and_unknown_words_are_refused() {
        for frequency in Frequency::ALL {
            assert_eq!(frequency.word().parse::<Frequency>().unwrap(), *frequency);
        }
        assert_eq!(" Tahunan ".parse::<Frequency>().unwrap(), Frequency::Tahunan);
        assert_eq!(
            "rahasia".parse::<StatusKerahasiaan>().unwrap(),
            StatusKerahasiaan::Rahasia
        );
        let err = "kadang".parse::<Frequency>().unwrap_err();
        assert_eq!(err.to_string(), "unknown frequency word \"kadang\"");
        assert!("cc-by-nc".parse::<License>().is_err());
    }

    #[test]
    fn page_links_carry_the_query_and_replace_page() {
        let page = Page::new("/catalog.ttl", 2, 100, 250)
            .with_query("modified_since", "2026-01-01T00:00:00Z")
            .with_query("page", "9");
        assert_eq!(page.last(), 3);
        assert_eq!(
            page.url("https://data.example.id/", 3),
            "https://data.example.id/catalog.ttl?modified_since=2026-01-01T00%3A00%3A00Z&page=3"
        );
        assert_eq!(Page::new("/c", 1, 100, 0).last(), 1);
        assert_eq!(Page::new("/c", 1, 100, 100).last(), 1);
        assert_eq!(Page::new("/c", 1, 100, 101).last(), 2);
        assert!(Page::new("/c", 0, 100, 1).check().is_err());
    }
}
