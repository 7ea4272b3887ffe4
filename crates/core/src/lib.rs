//! Domain types and rules of satudata that need no I/O.
//!
//! Everything the stages pass to each other is defined here, with serde for all of it:
//! [`DatasetMetadata`] (what a PD says about a dataset), [`DataStandard`] and its
//! [`Column`]s (the MS-Var description every submission is checked against), [`CodeList`]
//! (kode referensi), [`MasterData`] (data induk), [`Finding`] and [`Report`] (what
//! validation found), and [`Manifest`] (the signed list of a release's files).
//! User-facing text comes from one message catalog per language ([`messages`]).
//!
//! ```
//! use satudata_core::{Finding, FindingCode, Lang, ReportBuilder};
//! let mut report = ReportBuilder::new(100);
//! report.push(Finding::cell(FindingCode::TypeError, 2, 4, "jumlah", "seratus")
//!     .with_message("type-error", &[("value", "seratus"), ("type", "integer"), ("example", "1250")]));
//! let report = report.finish(1);
//! assert!(!report.valid);
//! assert!(report.findings[0].message(Lang::En).contains("seratus"));
//! ```

pub mod access;
mod codelist;
mod error;
mod finding;
pub mod fingerprint;
pub mod lifecycle;
pub mod localize;
mod manifest;
mod masterdata;
pub mod messages;
mod metadata;
pub mod period;
pub mod render;
mod standard;
pub mod wilayah;

pub use codelist::{CodeEntry, CodeList};
pub use error::{Error, Result};
pub use finding::{Finding, FindingCode, Report, ReportBuilder, ReportContext, Severity};
pub use localize::Localize;
pub use manifest::{
    DetachedSignature, MANIFEST_FORMAT, MANIFEST_FORMAT_V1, Manifest, ManifestFile, ManifestSignature, SIGNATURE_FORMAT,
};
pub use masterdata::MasterData;
pub use messages::Lang;
pub use metadata::{DatasetMetadata, Organization, StatusKerahasiaan};
pub use period::{Coverage, Frequency, Period, PeriodError, PeriodKind};
pub use standard::{
    Checks, Column, ConsistencyRule, DataStandard, DataType, ForeignKey, LabelMatching, MasterDataRef, RuleFinding,
    ValidationRules, ValueFormat, normalise_label,
};

pub mod frictionless;

/// Hex-encoded SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
