//! The crate's [`Error`] in the catalogs' words (`error.tus.*`, in both catalogs).
//!
//! The match is exhaustive so that a new variant cannot go without a message.

use satudata_core::{Lang, Localize};

use crate::Error;

impl Localize for Error {
    fn key(&self) -> &'static str {
        match self {
            Error::Version { .. } => "error.tus.version",
            Error::Unauthenticated => "error.tus.unauthenticated",
            Error::Header { .. } => "error.tus.header",
            Error::Metadata { .. } => "error.tus.metadata",
            Error::TooLarge { .. } => "error.tus.too-large",
            Error::PastLength { .. } => "error.tus.past-length",
            Error::ContentType => "error.tus.content-type",
            Error::Offset { .. } => "error.tus.offset",
            Error::NotFound => "error.tus.not-found",
            Error::Expired => "error.tus.expired",
            Error::Locked => "error.tus.locked",
            Error::TooMany { .. } => "error.tus.too-many",
            Error::Method { .. } => "error.tus.method",
            Error::Interrupted { .. } => "error.tus.interrupted",
            Error::Io { .. } => "error.path",
            Error::Info { .. } => "error.tus.info",
        }
    }

    fn args(&self, _: Lang) -> Vec<(&'static str, String)> {
        match self {
            Error::Version { .. }
            | Error::Unauthenticated
            | Error::ContentType
            | Error::NotFound
            | Error::Expired
            | Error::Locked => Vec::new(),
            Error::Header { name } => vec![("name", (*name).to_owned())],
            Error::Metadata { pair } => vec![("pair", pair.clone())],
            Error::TooLarge { length, max } => vec![("length", length.to_string()), ("max", max.to_string())],
            Error::PastLength { length } => vec![("length", length.to_string())],
            Error::TooMany { max } => vec![("max", max.to_string())],
            Error::Offset { given, offset } => vec![("given", given.to_string()), ("offset", offset.to_string())],
            Error::Method { allow } => vec![("allow", (*allow).to_owned())],
            Error::Interrupted { received } => vec![("received", received.to_string())],
            Error::Io { path, .. } => vec![("path", path.clone())],
            Error::Info { path, source } => vec![("path", path.clone()), ("detail", source.to_string())],
        }
    }

    fn cause(&self) -> Option<&dyn Localize> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_variant() -> Vec<Error> {
        vec![
            Error::Version { given: None },
            Error::Unauthenticated,
            Error::Header { name: "Upload-Length" },
            Error::Metadata { pair: "nama x".into() },
            Error::TooLarge { length: 10, max: 5 },
            Error::PastLength { length: 5 },
            Error::ContentType,
            Error::Offset { given: 3, offset: 4 },
            Error::NotFound,
            Error::Expired,
            Error::Locked,
            Error::TooMany { max: 16 },
            Error::Method { allow: "POST, OPTIONS" },
            Error::Interrupted { received: 7 },
            Error::Io {
                path: "uploads".into(),
                source: std::io::Error::from(std::io::ErrorKind::StorageFull),
            },
            Error::Info {
                path: "x.info.json".into(),
                source: serde_json::from_str::<u8>("[").unwrap_err(),
            },
        ]
    }

    #[test]
    fn every_error_has_a_message_in_both_languages_with_its_values() {
        for e in every_variant() {
            for lang in [Lang::Id, Lang::En] {
                let text = e.localize(lang);
                assert!(!text.starts_with("error.") && !text.contains('{'), "{text}");
            }
        }
        let e = Error::Offset { given: 3, offset: 4 };
        assert!(e.localize(Lang::Id).contains('3') && e.localize(Lang::Id).contains('4'));
        assert!(e.localize(Lang::En).contains("HEAD"));
    }
}
