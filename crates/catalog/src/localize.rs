//! The catalog [`Error`] and the audit log's [`Break`]s in the catalogs' words.
//!
//! A new variant gets its key here (`error.catalog.*`, `audit.*`, in both catalogs); the matches
//! are exhaustive so that none is forgotten.

use satudata_core::localize::document_kind;
use satudata_core::{Lang, Localize};

use crate::Error;
use crate::audit::Break;

impl Localize for Error {
    fn key(&self) -> &'static str {
        match self {
            Error::Database(_) => "error.catalog.database",
            Error::Migrate(_) => "error.catalog.migrate",
            Error::Store(_) => "error.catalog.store",
            Error::Document { .. } => "error.catalog.document",
            Error::NotFound { .. } => "error.catalog.not-found",
            Error::ReleaseExists { .. } => "error.catalog.release-exists",
            Error::UnsupportedUrl { .. } => "error.catalog.unsupported-url",
            Error::JobState { .. } => "error.catalog.job-state",
            Error::SubmissionState { .. } => "error.catalog.submission-state",
            Error::Review(e) => e.key(),
            Error::Io { .. } => "error.path",
            Error::Auth(e) => e.key(),
            Error::Account(e) => e.key(),
        }
    }

    fn args(&self, lang: Lang) -> Vec<(&'static str, String)> {
        match self {
            Error::Database(e) => vec![("detail", e.to_string())],
            Error::Migrate(e) => vec![("detail", e.to_string())],
            Error::Store(e) => vec![("detail", e.to_string())],
            Error::Document { kind, key, source } => vec![
                ("kind", document_kind(lang, kind)),
                ("key", key.clone()),
                ("detail", source.to_string()),
            ],
            Error::NotFound { kind, key } => vec![("kind", document_kind(lang, kind)), ("key", key.clone())],
            Error::ReleaseExists { dataset, version } => {
                vec![("dataset", dataset.clone()), ("version", format!("v{version}"))]
            }
            Error::UnsupportedUrl { url } => vec![("url", url.clone())],
            Error::JobState { id, state } | Error::SubmissionState { id, state } => {
                vec![("id", id.to_string()), ("state", state.clone())]
            }
            Error::Review(e) => e.args(lang),
            Error::Io { path, .. } => vec![("path", path.clone())],
            Error::Auth(e) => e.args(lang),
            Error::Account(e) => e.args(lang),
        }
    }

    fn cause(&self) -> Option<&dyn Localize> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl Localize for crate::ReviewProblem {
    fn key(&self) -> &'static str {
        use crate::ReviewProblem as P;
        match self {
            P::Refused(e) => e.key(),
            P::Raced { .. } => "error.review.raced",
            P::StatusMissing => "error.review.status-missing",
            P::ConsentClosed(_) => "error.review.consent-closed",
            P::NoConsent { .. } => "error.review.no-consent",
            P::AlreadyWithdrawn { .. } => "error.review.already-withdrawn",
            P::Text { .. } => "error.review.text",
        }
    }

    fn args(&self, lang: Lang) -> Vec<(&'static str, String)> {
        use crate::ReviewProblem as P;
        match self {
            P::Refused(e) => e.args(lang),
            P::Raced { id } | P::NoConsent { id } => vec![("id", id.to_string())],
            P::StatusMissing => Vec::new(),
            P::ConsentClosed(state) => vec![(
                "state",
                satudata_core::messages::render(lang, &satudata_core::lifecycle::state_key(*state), &[]),
            )],
            P::AlreadyWithdrawn { dataset, version } => {
                vec![("dataset", dataset.clone()), ("version", format!("v{version}"))]
            }
            P::Text { max } => vec![("max", max.to_string())],
        }
    }
}

impl Localize for Break {
    fn key(&self) -> &'static str {
        match self {
            Break::Gap { .. } => "audit.gap",
            Break::PreviousHash => "audit.previous-hash",
            Break::Content => "audit.content",
        }
    }

    fn args(&self, _: Lang) -> Vec<(&'static str, String)> {
        match self {
            Break::Gap { expected } => vec![("expected", expected.to_string())],
            Break::PreviousHash | Break::Content => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_record_is_named_in_both_languages() {
        let e = Error::NotFound {
            kind: "dataset",
            key: "tidak-ada".into(),
        };
        assert_eq!(e.localize(Lang::Id), "Tidak ada dataset \"tidak-ada\" di katalog");
        assert_eq!(e.localize(Lang::En), "There is no dataset \"tidak-ada\" in the catalog");
        let e = Error::Io {
            path: "store".into(),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        assert_eq!(e.localize(Lang::Id), "store: akses ditolak");
        let e = Error::UnsupportedUrl {
            url: "mysql://u@h/db".into(),
        };
        assert_eq!(
            e.localize(Lang::En),
            "The catalog cannot run on mysql://u@h/db: give a sqlite: or postgres:// database URL"
        );
        let e = Error::NotFound {
            kind: "job",
            key: "7".into(),
        };
        assert_eq!(e.localize(Lang::Id), "Tidak ada tugas \"7\" di katalog");
    }

    #[test]
    fn audit_breaks_have_messages_in_both_languages() {
        for b in [Break::Gap { expected: 3 }, Break::PreviousHash, Break::Content] {
            for lang in [Lang::Id, Lang::En] {
                let text = b.localize(lang);
                assert!(!text.starts_with("audit.") && !text.contains('{'), "{text}");
            }
        }
        assert_eq!(
            Break::Content.localize(Lang::Id),
            "isi entri tidak cocok dengan hash-nya"
        );
    }
}
