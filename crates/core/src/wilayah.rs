//! Kode wilayah: Kemendagri region codes, always text (`61`, `61.71`, `61.71.01`, `61.71.01.1001`).

use serde::{Deserialize, Serialize};

/// Administrative level of a region code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// Provinsi (`61`).
    #[serde(rename = "provinsi")]
    Provinsi,
    /// Kabupaten/kota (`61.71`).
    #[serde(rename = "kabupaten/kota")]
    KabupatenKota,
    /// Kecamatan (`61.71.01`).
    #[serde(rename = "kecamatan")]
    Kecamatan,
    /// Desa/kelurahan (`61.71.01.1001`).
    #[serde(rename = "desa/kelurahan")]
    DesaKelurahan,
}

impl Level {
    /// The level's name as written in standards.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Provinsi => "provinsi",
            Level::KabupatenKota => "kabupaten/kota",
            Level::Kecamatan => "kecamatan",
            Level::DesaKelurahan => "desa/kelurahan",
        }
    }
}

/// The 38 province codes of Kemendagri 2025.
pub const PROVINCES: [&str; 38] = [
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36", "51", "52", "53",
    "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82", "91", "92", "93", "94", "95", "96",
];

/// The level of a well-formed region code, or `None` when the code is malformed.
pub fn level(code: &str) -> Option<Level> {
    let parts: Vec<&str> = code.split('.').collect();
    let widths = [2usize, 2, 2, 4];
    if parts.len() > widths.len()
        || parts
            .iter()
            .zip(widths)
            .any(|(p, w)| p.len() != w || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    match parts.len() {
        1 => Some(Level::Provinsi),
        2 => Some(Level::KabupatenKota),
        3 => Some(Level::Kecamatan),
        4 => Some(Level::DesaKelurahan),
        _ => None,
    }
}

/// Whether `code` lies inside region `scope` (a code is inside itself).
pub fn is_within(code: &str, scope: &str) -> bool {
    code == scope || (code.starts_with(scope) && code.as_bytes().get(scope.len()) == Some(&b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(level("61"), Some(Level::Provinsi));
        assert_eq!(level("61.71"), Some(Level::KabupatenKota));
        assert_eq!(level("61.71.01"), Some(Level::Kecamatan));
        assert_eq!(level("61.71.01.1001"), Some(Level::DesaKelurahan));
        assert_eq!(level("61.7"), None);
        assert_eq!(level("6171"), None);
        assert_eq!(level("61.71.01.1001.1"), None);
    }

    #[test]
    fn scope() {
        assert!(is_within("61.71.01.1001", "61.71"));
        assert!(is_within("61.71", "61.71"));
        assert!(!is_within("61.710", "61.71"));
        assert!(!is_within("32.75.01.1001", "61.71"));
    }
}
