use serde::{Deserialize, Serialize};

/// One entry of a code list: the code and its meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeEntry {
    /// The code as written in data (text, never a number).
    pub kode: String,
    /// What the code means.
    pub nilai: String,
}

/// A kode referensi: a named list of allowed codes such as region codes or sexes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeList {
    /// Stable identifier, referenced by a column's `klasifikasi`.
    pub id: String,
    /// Human name.
    pub nama: String,
    /// Where the list comes from.
    #[serde(default)]
    pub sumber: String,
    /// The entries.
    pub isian: Vec<CodeEntry>,
}

impl CodeList {
    /// Parses a code list from JSON.
    pub fn from_json(bytes: &[u8]) -> crate::Result<Self> {
        crate::error::parse_json("code list", bytes)
    }

    /// Whether `code` is one of the list's codes.
    pub fn contains(&self, code: &str) -> bool {
        self.isian.iter().any(|e| e.kode == code)
    }
}
