use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A Perangkat Daerah (PD): an agency that produces data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// Short identifier used in paths and URLs (`disdukcapil`).
    pub slug: String,
    /// Full name.
    pub nama: String,
    /// Abbreviation as people say it.
    #[serde(default)]
    pub singkatan: String,
    /// The region the PD serves (`61.71`).
    pub kode_wilayah: String,
    /// Contact e-mail.
    #[serde(default)]
    pub email: String,
}

/// Status kerahasiaan: who may read a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusKerahasiaan {
    /// Open data: anyone may read it.
    Terbuka,
    /// Limited: signed-in government users.
    Terbatas,
    /// Secret: the owning PD and the verifiers.
    Rahasia,
}

impl StatusKerahasiaan {
    /// The word used in data and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Terbuka => "terbuka",
            Self::Terbatas => "terbatas",
            Self::Rahasia => "rahasia",
        }
    }
}

impl fmt::Display for StatusKerahasiaan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for StatusKerahasiaan {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        match s {
            "terbuka" => Ok(Self::Terbuka),
            "terbatas" => Ok(Self::Terbatas),
            "rahasia" => Ok(Self::Rahasia),
            other => Err(crate::Error::invalid("status kerahasiaan", other)),
        }
    }
}

/// Dataset metadata as a PD writes it.
///
/// Only the fields that identify the dataset are typed: the rest is kept as written, so that
/// metadata breaking the metadata standard can still be stored and reported as
/// `metadata-error` rather than refused at the door.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetMetadata {
    /// Slug, unique within the data center (`jumlah-penduduk-kelurahan`).
    pub name: String,
    /// Slug of the producing organization.
    pub organization: String,
    /// Id of the data standard the dataset follows.
    pub standard: String,
    /// Every other field, as written.
    #[serde(flatten)]
    pub rest: serde_json::Map<String, serde_json::Value>,
}

impl DatasetMetadata {
    /// Parses dataset metadata from JSON.
    pub fn from_json(bytes: &[u8]) -> crate::Result<Self> {
        crate::error::parse_json("dataset metadata", bytes)
    }

    /// The title, or the name when there is none.
    pub fn title(&self) -> &str {
        self.text("title").unwrap_or(&self.name)
    }

    /// A text field of the metadata.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.rest.get(key).and_then(serde_json::Value::as_str)
    }

    /// The declared status kerahasiaan; datasets that declare none or an unknown one are
    /// treated as `rahasia` (closed) until a verifier decides.
    pub fn status_kerahasiaan(&self) -> StatusKerahasiaan {
        self.text("status_kerahasiaan")
            .and_then(|s| s.parse().ok())
            .unwrap_or(StatusKerahasiaan::Rahasia)
    }

    /// The metadata as one JSON value.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_status_is_closed() {
        let m = DatasetMetadata::from_json(
            br#"{"name":"a","organization":"o","standard":"s","status_kerahasiaan":"bebas"}"#,
        )
        .unwrap();
        assert_eq!(m.status_kerahasiaan(), StatusKerahasiaan::Rahasia);
        assert_eq!(m.title(), "a");
        assert_eq!(m.to_value()["status_kerahasiaan"], "bebas");
    }
}
