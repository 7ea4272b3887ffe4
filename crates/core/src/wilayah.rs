//! Kode wilayah: Kemendagri region codes, always text (`61`, `61.71`, `61.71.01`, `61.71.01.1001`).

/// Administrative level of a region code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Provinsi (`61`).
    Provinsi,
    /// Kabupaten/kota (`61.71`).
    KabupatenKota,
    /// Kecamatan (`61.71.01`).
    Kecamatan,
    /// Desa/kelurahan (`61.71.01.1001`).
    DesaKelurahan,
}

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
