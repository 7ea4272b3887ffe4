//! The number formats of a BIFF8 workbook's globals: `FORMAT` records (a format code by its
//! id) and `XF` records (each cell format's number format id, indexed as cells refer to them).

use std::collections::HashMap;

use crate::workbook::{format_shows_percent, is_percent_format};

const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;
/// XFs kept at most: BIFF8 allows 4,050; more is a forged file, whose extra XFs count as plain.
const MAX_XFS: usize = 65_536;

/// The formats read so far.
#[derive(Debug, Default)]
pub(super) struct Styles {
    /// Custom format ids whose code shows a percentage (`true`) or not.
    custom: HashMap<u16, bool>,
    /// Each XF's number format id, in record order.
    xf_formats: Vec<u16>,
}

impl Styles {
    /// Takes a `FORMAT` or `XF` record; `false` for any other kind.
    pub(super) fn record(&mut self, kind: u16, data: &[u8]) -> bool {
        match kind {
            FORMAT => {
                if let (Some(id), Some(code)) = (
                    super::u16_at(data, 0),
                    unicode_string(data.get(2..).unwrap_or_default()),
                ) {
                    self.custom.insert(id, is_percent_format(&code));
                }
                true
            }
            XF => {
                if self.xf_formats.len() < MAX_XFS {
                    self.xf_formats.push(super::u16_at(data, 2).unwrap_or(0));
                }
                true
            }
            _ => false,
        }
    }

    /// Whether each XF shows its number as a percentage.
    pub(super) fn percent_xfs(&self) -> Vec<bool> {
        self.xf_formats
            .iter()
            .map(|&id| format_shows_percent(id, &self.custom))
            .collect()
    }
}

/// An `XLUnicodeString`: a 16-bit count of characters, a flags byte, the characters.
fn unicode_string(data: &[u8]) -> Option<String> {
    let count = usize::from(super::u16_at(data, 0)?);
    chars(data.get(2..)?, count)
}

/// A `ShortXLUnicodeString`: an 8-bit count of characters, a flags byte, the characters.
pub(super) fn short_string(data: &[u8]) -> Option<String> {
    let count = usize::from(*data.first()?);
    chars(data.get(1..)?, count)
}

/// `count` characters after a flags byte whose bit 0 says UTF-16 (else one byte, Latin-1, each).
fn chars(data: &[u8], count: usize) -> Option<String> {
    let (&flags, rest) = data.split_first()?;
    if flags & 1 == 0 {
        Some(rest.iter().take(count).map(|&b| char::from(b)).collect())
    } else {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .take(count)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_and_custom_percent_formats() {
        let mut styles = Styles::default();
        // FORMAT 164 = "0.0%" (compressed characters), FORMAT 165 = "0.0\"%\"" (UTF-16).
        let mut custom = vec![164, 0, 4, 0, 0];
        custom.extend_from_slice(b"0.0%");
        assert!(styles.record(FORMAT, &custom));
        let mut quoted = vec![165, 0, 6, 0, 1];
        for unit in "0.0\"%\"".encode_utf16() {
            quoted.extend_from_slice(&unit.to_le_bytes());
        }
        assert!(styles.record(FORMAT, &quoted));
        for id in [0u16, 9, 10, 164, 165, 14] {
            let [lo, hi] = id.to_le_bytes();
            assert!(styles.record(XF, &[0, 0, lo, hi, 0, 0]));
        }
        assert!(!styles.record(0x0203, &[]));
        assert_eq!(styles.percent_xfs(), [false, true, true, true, false, false]);
    }

    #[test]
    fn short_strings() {
        assert_eq!(
            short_string(&[5, 0, b'D', b'a', b't', b'a', b'1']).as_deref(),
            Some("Data1")
        );
        assert_eq!(short_string(&[2, 1, b'O', 0, b'K', 0]).as_deref(), Some("OK"));
        assert_eq!(short_string(&[]), None);
    }
}
