//! The guard in front of every zip-based workbook (`.xlsx`, `.xlsb`, `.ods`): each part is
//! inflated into nothing, counting, before any reader sees it, so that a zip bomb is refused
//! within milliseconds of passing a bound instead of after it has filled memory.

use std::io::{Cursor, Read};

use crate::limits::{Limits, RATIO_GRACE_BYTES};
use crate::{Bound, Error, Result};

/// Checks every part of the zip archive in `bytes` against the part-size and ratio limits.
///
/// A part's declared size is not trusted: it is inflated and counted, and the count stops one
/// byte past the bound. Nothing is written anywhere, so entry names (`../../x`) do not matter.
pub(crate) fn check(bytes: &[u8], format: &'static str, limits: &Limits) -> Result<()> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::format(format, e))?;
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).map_err(|e| Error::format(format, e))?;
        let (bound, limit) = part_limit(part.compressed_size(), limits);
        if part.size() > limit {
            return Err(Error::too_large(format, bound, bound_value(bound, limits)));
        }
        let is_strings = part
            .name()
            .is_ok_and(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"));
        let mut head = Vec::new();
        let mut bounded = (&mut part).take(limit + 1);
        if is_strings {
            (&mut bounded)
                .take(4096)
                .read_to_end(&mut head)
                .map_err(|e| Error::format(format, e))?;
        }
        let inflated = head.len() as u64
            + std::io::copy(&mut bounded, &mut std::io::sink()).map_err(|e| Error::format(format, e))?;
        if inflated > limit {
            return Err(Error::too_large(format, bound, bound_value(bound, limits)));
        }
        check_string_count(&head, inflated, format)?;
    }
    Ok(())
}

/// Refuses a shared-string table that declares more strings than its bytes can hold (each
/// `<si>` takes at least four): the reader reserves room for the declared count up front.
fn check_string_count(head: &[u8], inflated: u64, format: &'static str) -> Result<()> {
    let Some(declared) = attribute_number(head, b"uniqueCount=") else {
        return Ok(());
    };
    if declared > inflated / 4 + 1 {
        return Err(Error::format(
            format,
            format!(
                "sharedStrings.xml declares {declared} strings but holds at most {}",
                inflated / 4
            ),
        ));
    }
    Ok(())
}

/// The digits after `key` (and a quote) in `text`, as a number (saturating: a count past `u64` is huge).
fn attribute_number(text: &[u8], key: &[u8]) -> Option<u64> {
    let mut at = text.windows(key.len()).position(|w| w == key)? + key.len();
    if matches!(text.get(at), Some(b'"' | b'\'')) {
        at += 1;
    }
    let digits: Vec<u8> = text[at..].iter().copied().take_while(u8::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0u64, |n, d| n.saturating_mul(10).saturating_add(u64::from(d - b'0'))),
    )
}

/// The most a part stored in `stored` bytes may inflate to, and the bound that sets it: the
/// part-size limit, or the ratio past the grace size, whichever is smaller.
fn part_limit(stored: u64, limits: &Limits) -> (Bound, u64) {
    let by_ratio = stored.saturating_mul(limits.max_inflate_ratio).max(RATIO_GRACE_BYTES);
    if by_ratio < limits.max_part_bytes {
        (Bound::InflateRatio, by_ratio)
    } else {
        (Bound::PartBytes, limits.max_part_bytes)
    }
}

/// The value a user sets for `bound`, for the message.
fn bound_value(bound: Bound, limits: &Limits) -> u64 {
    match bound {
        Bound::InflateRatio => limits.max_inflate_ratio,
        _ => limits.max_part_bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_parts_get_the_grace_size() {
        let limits = Limits::default();
        assert_eq!(part_limit(10, &limits), (Bound::InflateRatio, RATIO_GRACE_BYTES));
        assert_eq!(part_limit(100_000, &limits), (Bound::InflateRatio, 10_000_000));
        assert_eq!(part_limit(50 << 20, &limits), (Bound::PartBytes, 256 << 20));
    }

    #[test]
    fn string_counts_must_fit_their_bytes() {
        let head = br#"<sst xmlns="x" count="3" uniqueCount="100000000000000000000"><si>"#;
        assert_eq!(attribute_number(head, b"uniqueCount="), Some(u64::MAX));
        assert!(check_string_count(head, 4096, "XLSX").is_err());
        let fine = br#"<sst count="3" uniqueCount="2"><si><t>a</t></si><si><t>b</t></si></sst>"#;
        assert!(check_string_count(fine, fine.len() as u64, "XLSX").is_ok());
        assert!(check_string_count(b"<sst>", 5, "XLSX").is_ok());
    }

    #[test]
    fn not_a_zip_is_a_format_error() {
        let e = check(b"PK\x03\x04 not really", "XLSX", &Limits::default()).unwrap_err();
        assert!(matches!(e, Error::Format { format: "XLSX", .. }), "{e}");
    }
}
