//! Harvest feeds of the Pusat Data: DCAT-AP 3 and Project Open Data 1.1, as pure functions from
//! view structs to documents. No HTTP and no database: the server maps catalog rows to the views
//! and serves what comes out.
//!
//! The data flow is views -> [`Graph`] -> three serialisers:
//!
//! - **Views** ([`CatalogInfo`], [`DatasetView`], [`DistributionView`], [`Page`]) are plain owned
//!   data. The schema's words (frekuensi penerbitan, status kerahasiaan, license) are typed
//!   ([`Frequency`], [`StatusKerahasiaan`], [`License`]) and parse from the words with `FromStr`.
//! - **[`catalog_graph`]** and **[`dataset_graph`]** build one RDF graph with the content of
//!   ckanext-dcat's `euro_dcat_ap_3` profile: `dcat:Catalog` (with `hydra:PagedCollection` paging),
//!   `dcat:Dataset`, `dcat:Distribution` with `spdx:checksum`, and the EU authority IRIs for
//!   language, frequency and access rights. Every IRI in the graph is absolute and valid, and
//!   every literal is text that XML 1.0 can carry, so the serialisers cannot fail.
//! - **Serialisers**: [`Graph::to_turtle`] (`text/turtle`), [`Graph::to_rdf_xml`]
//!   (`application/rdf+xml`) and [`Graph::to_jsonld`] (`application/ld+json`, with an
//!   `@context`), or [`Graph::serialize`] with an [`RdfFormat`]. All three write the same triples
//!   in the same order, nesting blank nodes where they are used.
//! - **[`data_json`]** writes Project Open Data 1.1 (`/data.json`) straight from the views.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use satudata_dcat::{CatalogInfo, Page, RdfFormat, catalog_graph};
//! let info = CatalogInfo {
//!     base_url: "https://data.pontianak.go.id".into(),
//!     title: "Satu Data Kota Pontianak".into(),
//!     description: "Portal data terbuka".into(),
//!     language: "id".into(),
//!     modified: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
//!     publisher_name: "Diskominfo Kota Pontianak".into(),
//!     publisher_homepage: "https://pontianak.go.id".into(),
//! };
//! let page = Page::new("/catalog.ttl", 1, 100, 0);
//! let graph = catalog_graph(&info, &[], &page).unwrap();
//! let turtle = graph.serialize(RdfFormat::Turtle);
//! assert!(turtle.contains("a dcat:Catalog"));
//! assert_eq!(RdfFormat::Turtle.media_type(), "text/turtle");
//! ```

#![forbid(unsafe_code)]

mod dcat;
mod graph;
mod jsonld;
mod pod;
mod rdfxml;
mod turtle;
mod view;
mod vocab;

pub use dcat::{catalog_graph, dataset_graph, dataset_iri, distribution_iri};
pub use graph::{Graph, Literal, LiteralKind, Subject, Term, Triple};
pub use pod::{POD_CONFORMS_TO, data_json};
pub use view::{
    CatalogInfo, Contact, DatasetView, DistributionView, Frequency, License, Page, Publisher, Spatial,
    StatusKerahasiaan, Temporal,
};

/// What went wrong building a feed. Each variant names the view field that was refused.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A word of the schema (frequency, status kerahasiaan, license) is not one this crate knows.
    #[error("unknown {kind} word {word:?}")]
    UnknownWord {
        /// Which list the word was looked up in.
        kind: &'static str,
        /// The word as given.
        word: String,
    },
    /// A catalog language with no EU language authority IRI here.
    #[error("unknown catalog language {0:?} (known: id, en)")]
    UnknownLanguage(String),
    /// A temporal bound that is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[error("temporal value {0:?} is not YYYY, YYYY-MM or YYYY-MM-DD")]
    Temporal(String),
    /// A URL field that is not an absolute IRI (`scheme:...`).
    #[error("{field} is not an absolute URL: {value:?}")]
    NotAbsolute {
        /// The view field.
        field: &'static str,
        /// The value as given.
        value: String,
    },
    /// A SHA-256 that is not 64 hexadecimal digits.
    #[error("sha256 {0:?} is not 64 hexadecimal digits")]
    Checksum(String),
    /// A media type that is not `type/subtype`.
    #[error("media type {0:?} is not type/subtype")]
    MediaType(String),
    /// Paging with a zero page number or page size.
    #[error("page {page} with {per_page} per page: both must be at least 1")]
    Paging {
        /// The page number asked for (1-based).
        page: u64,
        /// The page size.
        per_page: u64,
    },
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The three RDF serialisations the feeds are served in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RdfFormat {
    /// JSON-LD 1.1 with an `@context` of prefixes and a `@graph`.
    JsonLd,
    /// Turtle 1.1.
    Turtle,
    /// RDF/XML.
    RdfXml,
}

impl RdfFormat {
    /// Every format, in the order the feeds list them.
    pub const ALL: [RdfFormat; 3] = [RdfFormat::JsonLd, RdfFormat::Turtle, RdfFormat::RdfXml];

    /// The `Content-Type` to serve the format with.
    pub fn media_type(self) -> &'static str {
        match self {
            RdfFormat::JsonLd => "application/ld+json",
            RdfFormat::Turtle => "text/turtle",
            RdfFormat::RdfXml => "application/rdf+xml",
        }
    }

    /// The file extension of the feed URLs (`/catalog.{ext}`, `/dataset/{name}.{ext}`).
    pub fn extension(self) -> &'static str {
        match self {
            RdfFormat::JsonLd => "jsonld",
            RdfFormat::Turtle => "ttl",
            RdfFormat::RdfXml => "rdf",
        }
    }

    /// The format of a feed URL's extension (`jsonld`, `ttl`, `rdf`; also `xml` as ckanext-dcat
    /// accepts it), or `None`.
    pub fn from_extension(ext: &str) -> Option<RdfFormat> {
        match ext {
            "jsonld" => Some(RdfFormat::JsonLd),
            "ttl" => Some(RdfFormat::Turtle),
            "rdf" | "xml" => Some(RdfFormat::RdfXml),
            _ => None,
        }
    }
}
