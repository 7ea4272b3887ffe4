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
        let inflated = std::io::copy(&mut (&mut part).take(limit + 1), &mut std::io::sink())
            .map_err(|e| Error::format(format, e))?;
        if inflated > limit {
            return Err(Error::too_large(format, bound, bound_value(bound, limits)));
        }
    }
    Ok(())
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
    fn not_a_zip_is_a_format_error() {
        let e = check(b"PK\x03\x04 not really", "XLSX", &Limits::default()).unwrap_err();
        assert!(matches!(e, Error::Format { format: "XLSX", .. }), "{e}");
    }
}
