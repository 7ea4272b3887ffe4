use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A data induk: master records (schools, health facilities) that data must refer to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MasterData {
    /// Stable identifier, referenced by a column's `data_induk`.
    pub id: String,
    /// Human name.
    pub nama: String,
    /// Where the records come from.
    #[serde(default)]
    pub sumber: String,
    /// The column that identifies a record.
    pub kunci: String,
    /// The records, each a map from column to text value.
    pub baris: Vec<BTreeMap<String, String>>,
}

impl MasterData {
    /// Parses master data from JSON.
    pub fn from_json(bytes: &[u8]) -> crate::Result<Self> {
        crate::error::parse_json("master data", bytes)
    }

    /// The values of `column` across all records.
    pub fn values<'a>(&'a self, column: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.baris.iter().filter_map(move |r| r.get(column).map(String::as_str))
    }
}
