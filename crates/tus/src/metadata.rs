//! `Upload-Metadata`: comma-separated `key base64-value` pairs, the value optional.
//!
//! Keys are ASCII without spaces or commas and appear once; values must decode (padded or not)
//! to UTF-8 text, which is what every client sends (file name, type, the application's fields).
//! The header is bounded ([`MAX_HEADER`]) so that metadata cannot grow an info file without end.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::{Error, Result};

/// The longest `Upload-Metadata` header accepted, in bytes.
pub const MAX_HEADER: usize = 4096;

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The pairs of an `Upload-Metadata` header (a key without a value maps to `""`).
pub fn parse(header: &str) -> Result<BTreeMap<String, String>> {
    if header.len() > MAX_HEADER {
        return Err(Error::Header {
            name: "Upload-Metadata",
        });
    }
    let mut pairs = BTreeMap::new();
    for pair in header.split(',').map(str::trim) {
        if pair.is_empty() {
            continue;
        }
        let bad = || Error::Metadata {
            pair: pair.chars().take(60).collect(),
        };
        let (key, value) = pair.split_once(' ').unwrap_or((pair, ""));
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(bad());
        }
        let value = LENIENT.decode(value.trim()).map_err(|_| bad())?;
        let value = String::from_utf8(value).map_err(|_| bad())?;
        if pairs.insert(key.to_owned(), value).is_some() {
            return Err(bad());
        }
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_decode_with_or_without_padding_and_values_are_optional() {
        let m = parse("filename cGVuZHVkdWsuY3N2,dataset cGVuZHVkdWs, is_draft").unwrap();
        assert_eq!(m["filename"], "penduduk.csv");
        assert_eq!(m["dataset"], "penduduk");
        assert_eq!(m["is_draft"], "");
        assert!(parse("").unwrap().is_empty());
    }

    #[test]
    fn broken_pairs_are_refused_by_name() {
        for bad in ["nama !!!", "a YQ==,a Yg==", "kunci/é YQ==", "x /w=="] {
            let Err(Error::Metadata { pair }) = parse(bad) else {
                panic!("{bad} was accepted")
            };
            assert!(bad.contains(&pair), "{pair}");
        }
        assert!(matches!(parse(&"a YQ==,".repeat(1000)), Err(Error::Header { .. })));
    }
}
