//! Errors in the user's language: every library error names a catalog key and its arguments.
//!
//! Each crate's `Error` implements [`Localize`]: [`Localize::key`] is an `error.*` key of the
//! catalogs (`messages/id.toml`, `messages/en.toml`), [`Localize::args`] fills its placeholders
//! and [`Localize::cause`] is the error underneath, phrased after it (`…: tidak ada`). The
//! binary prints [`Localize::localize`] in the language asked for; `Display` (thiserror) stays
//! English for logs and never reaches a user. Operating-system errors get their own small table
//! ([`std::io::Error`]: `tidak ada`, `akses ditolak`, …).
//!
//! ```
//! use satudata_core::{Lang, Localize};
//! let e = std::io::Error::from(std::io::ErrorKind::NotFound);
//! assert_eq!(e.localize(Lang::Id), "tidak ada");
//! assert_eq!(e.localize(Lang::En), "does not exist");
//! ```

use crate::messages::{self, Lang};

/// Something the catalogs can phrase: an error, or a problem a check reports.
pub trait Localize {
    /// The catalog key of the message (`error.io.not-found`).
    fn key(&self) -> &'static str;

    /// The values of the message's `{name}` placeholders in `lang`.
    fn args(&self, lang: Lang) -> Vec<(&'static str, String)> {
        let _ = lang;
        Vec::new()
    }

    /// The error underneath, phrased after this one's message, if there is one.
    fn cause(&self) -> Option<&dyn Localize> {
        None
    }

    /// The message in `lang`, each cause after it once (`Tidak dapat membaca x.csv: tidak ada`).
    fn localize(&self, lang: Lang) -> String {
        let args = self.args(lang);
        let pairs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let mut text = messages::render(lang, self.key(), &pairs);
        if let Some(cause) = self.cause() {
            text.push_str(": ");
            text.push_str(&cause.localize(lang));
        }
        text
    }
}

impl Localize for std::io::Error {
    fn key(&self) -> &'static str {
        use std::io::ErrorKind as K;
        match self.kind() {
            K::NotFound => "error.io.not-found",
            K::PermissionDenied => "error.io.permission-denied",
            K::AlreadyExists => "error.io.already-exists",
            K::IsADirectory => "error.io.is-a-directory",
            K::NotADirectory => "error.io.not-a-directory",
            K::DirectoryNotEmpty => "error.io.directory-not-empty",
            K::StorageFull | K::QuotaExceeded => "error.io.storage-full",
            K::ReadOnlyFilesystem => "error.io.read-only",
            K::InvalidData => "error.io.invalid-data",
            K::UnexpectedEof => "error.io.unexpected-eof",
            K::TimedOut => "error.io.timed-out",
            K::OutOfMemory => "error.io.out-of-memory",
            _ => "error.io.other",
        }
    }

    fn args(&self, _: Lang) -> Vec<(&'static str, String)> {
        vec![("detail", self.to_string())]
    }
}

/// The catalog key naming a kind of document (`"data standard"` -> `error.kind.data-standard`),
/// for the `{kind}` of a message; an unknown kind is its own name.
pub fn document_kind(lang: Lang, kind: &str) -> String {
    let key = match kind {
        "data standard" => "error.kind.data-standard",
        "dataset metadata" => "error.kind.dataset-metadata",
        "code list" => "error.kind.code-list",
        "master data" => "error.kind.master-data",
        "manifest" => "error.kind.manifest",
        "organizations" => "error.kind.organizations",
        "organization" => "error.kind.organization",
        "dataset" => "error.kind.dataset",
        "standard" => "error.kind.standard",
        "release" => "error.kind.release",
        "submission" => "error.kind.submission",
        "report" => "error.kind.report",
        "job" => "error.kind.job",
        "language" => "error.kind.language",
        "status kerahasiaan" => "error.kind.status",
        "Frictionless descriptor" => "error.kind.descriptor",
        "Frictionless checklist" => "error.kind.checklist",
        "Frictionless field" => "error.kind.field",
        "resource without a local path" => "error.kind.resource-without-path",
        _ => return kind.to_owned(),
    };
    messages::render(lang, key, &[])
}

impl Localize for crate::Error {
    fn key(&self) -> &'static str {
        match self {
            crate::Error::Json { source, .. } if source.is_eof() => "error.core.json-eof",
            crate::Error::Json { .. } => "error.core.json",
            crate::Error::SchemaPath { .. } => "error.core.schema-path",
            crate::Error::UnsupportedCheck(_) => "error.core.unsupported-check",
            crate::Error::InvalidValue { .. } => "error.core.invalid-value",
        }
    }

    fn args(&self, lang: Lang) -> Vec<(&'static str, String)> {
        match self {
            crate::Error::Json { kind, source } => vec![
                ("kind", document_kind(lang, kind)),
                ("line", source.line().to_string()),
                ("column", source.column().to_string()),
                ("detail", json_detail(source)),
            ],
            crate::Error::SchemaPath { resource, path } => {
                vec![("resource", resource.clone()), ("path", path.clone())]
            }
            crate::Error::UnsupportedCheck(check) => vec![("check", check.clone())],
            crate::Error::InvalidValue { what, value } => {
                vec![("what", document_kind(lang, what)), ("value", value.clone())]
            }
        }
    }
}

/// The parser's own words for a JSON error, without the position the message already gives.
pub fn json_detail(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&position).unwrap_or(&text).to_owned()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};

    use super::*;

    fn catalog(text: &str) -> HashMap<String, String> {
        toml::from_str(text).unwrap()
    }

    /// The placeholders' names; a counted word (`{n:one|other}`) counts as its name.
    fn placeholders(template: &str) -> BTreeSet<&str> {
        messages::placeholders(template)
    }

    #[test]
    fn every_error_key_is_in_both_catalogs_with_the_same_placeholders() {
        let id = catalog(include_str!("../messages/id.toml"));
        let en = catalog(include_str!("../messages/en.toml"));
        let errors: Vec<_> = id
            .keys()
            .filter(|k| k.starts_with("error.") || k.starts_with("audit."))
            .collect();
        assert!(errors.len() > 40, "{}", errors.len());
        for key in errors {
            let Some(english) = en.get(key) else {
                panic!("{key} is missing from en.toml")
            };
            assert_eq!(placeholders(&id[key]), placeholders(english), "{key}");
        }
        for key in en.keys().filter(|k| k.starts_with("error.") || k.starts_with("audit.")) {
            assert!(id.contains_key(key), "{key} is missing from id.toml");
        }
    }

    #[test]
    fn io_errors_have_words_of_their_own() {
        use std::io::{Error, ErrorKind};
        let denied = Error::from(ErrorKind::PermissionDenied);
        assert_eq!(denied.localize(Lang::Id), "akses ditolak");
        assert_eq!(denied.localize(Lang::En), "permission denied");
        let other = Error::other("sesuatu");
        assert!(other.localize(Lang::En).contains("sesuatu"));
    }

    #[test]
    fn every_key_the_core_error_names_exists() {
        let json = serde_json::from_str::<u8>("[").unwrap_err();
        let errors = [
            crate::Error::Json {
                kind: "data standard",
                source: json,
            },
            crate::Error::SchemaPath {
                resource: "data".into(),
                path: "s.json".into(),
            },
            crate::Error::UnsupportedCheck("forbidden-value".into()),
            crate::Error::invalid("language", "fr"),
        ];
        for e in errors {
            for lang in [Lang::Id, Lang::En] {
                let text = e.localize(lang);
                assert!(!text.starts_with("error.") && !text.contains('{'), "{text}");
            }
        }
        let e = crate::Error::invalid("language", "fr");
        assert_eq!(e.localize(Lang::Id), "bahasa tidak sah: fr");
        let eof = crate::Error::Json {
            kind: "code list",
            source: serde_json::from_str::<serde_json::Value>("{").unwrap_err(),
        };
        assert_eq!(
            eof.localize(Lang::Id),
            "Dokumen kode referensi berakhir sebelum selesai (baris 1, kolom 1): ada kurung atau tanda kutip yang belum ditutup?"
        );
    }
}
