//! The publish [`Error`] in the catalogs' words: a key and arguments for each variant.
//!
//! A new variant gets its key here (`error.publish.*`, in both catalogs); the match is
//! exhaustive so that none is forgotten.

use satudata_core::{Lang, Localize};

use crate::Error;

impl Localize for Error {
    fn key(&self) -> &'static str {
        match self {
            Error::Write(_) => "error.publish.write",
            Error::Key(_) => "error.publish.key",
            Error::TrustedKeys { .. } => "error.publish.trusted-keys",
            Error::Random(_) => "error.publish.random",
            Error::Json(_) => "error.publish.json",
        }
    }

    fn args(&self, _: Lang) -> Vec<(&'static str, String)> {
        let detail = match self {
            Error::TrustedKeys { line, detail } => {
                return vec![("line", line.to_string()), ("detail", detail.clone())];
            }
            Error::Write(e) => e.to_string(),
            Error::Key(detail) | Error::Random(detail) => detail.clone(),
            Error::Json(e) => e.to_string(),
        };
        vec![("detail", detail)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_message_in_both_languages() {
        let json = serde_json::from_str::<u8>("x").unwrap_err();
        for e in [
            Error::Key("expected 32 bytes".into()),
            Error::Random("x".into()),
            Error::TrustedKeys {
                line: 3,
                detail: "expected 32 bytes".into(),
            },
            Error::Json(json),
        ] {
            for lang in [Lang::Id, Lang::En] {
                let text = e.localize(lang);
                assert!(!text.starts_with("error.") && !text.contains('{'), "{text}");
            }
        }
    }
}
