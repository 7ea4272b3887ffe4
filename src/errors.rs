//! Errors of the command line, printed in the language asked for.
//!
//! `run` returns `anyhow::Error`s. Each library error phrases itself through
//! [`satudata_core::Localize`]; what the binary adds around one (the file it was reading, the
//! standard it was checking) is a [`Failure`]: a catalog key (`error.cli.*`), its arguments and
//! the error underneath, added with [`Explain::explain`] where `anyhow::Context` would be.
//! [`report`] prints the whole chain once, in one language: `galat: Tidak dapat membaca x.csv:
//! tidak ada` with `--lang id`, `error: Cannot read x.csv: does not exist` with `--lang en`.

use std::fmt;

use satudata_core::messages::render;
use satudata_core::{Lang, Localize};

/// An error the catalogs phrase that can travel inside an `anyhow::Error`.
pub trait Phrased: Localize + fmt::Debug + Send + Sync + 'static {}

impl<T: Localize + fmt::Debug + Send + Sync + 'static> Phrased for T {}

/// A failure the binary names: a catalog key, its arguments and the error underneath.
#[derive(Debug)]
pub struct Failure {
    key: &'static str,
    args: Vec<(&'static str, String)>,
    cause: Option<Box<dyn Phrased>>,
}

impl Failure {
    /// The failure of catalog key `key` (`error.cli.read`), without arguments yet.
    pub fn new(key: &'static str) -> Self {
        Failure {
            key,
            args: Vec::new(),
            cause: None,
        }
    }

    /// Fills the placeholder `{name}` with `value`.
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// Sets the error underneath, phrased after this failure's message.
    pub fn because(mut self, cause: impl Phrased) -> Self {
        self.cause = Some(Box::new(cause));
        self
    }
}

impl Localize for Failure {
    fn key(&self) -> &'static str {
        self.key
    }

    fn args(&self, _: Lang) -> Vec<(&'static str, String)> {
        self.args.clone()
    }

    fn cause(&self) -> Option<&dyn Localize> {
        self.cause.as_deref().map(|c| c as &dyn Localize)
    }
}

/// English, for logs and debugging; users see [`report`].
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

// The cause is part of the message, so it is not also a `source` (that would print it twice).
impl std::error::Error for Failure {}

/// Adds a [`Failure`] around an error, the way `anyhow::Context` adds a text.
pub trait Explain<T> {
    /// Wraps the error in the failure `failure` builds (called only on error).
    fn explain(self, failure: impl FnOnce() -> Failure) -> Result<T, Failure>;
}

impl<T, E: Phrased> Explain<T> for Result<T, E> {
    fn explain(self, failure: impl FnOnce() -> Failure) -> Result<T, Failure> {
        self.map_err(|e| failure().because(e))
    }
}

/// The failure "cannot read `path`", for [`Explain::explain`]: `.explain(reading(path))`.
pub fn reading<P: AsRef<std::path::Path> + ?Sized>(path: &P) -> impl FnOnce() -> Failure + '_ {
    move || Failure::new("error.cli.read").arg("path", path.as_ref().display())
}

/// The line `main` prints for `error`: the prefix and the message, both in `lang`.
pub fn report(error: &anyhow::Error, lang: Lang) -> String {
    format!("{}: {}", render(lang, "error.prefix", &[]), message(error, lang))
}

/// The message of `error` in `lang`. The chain is read from the outside in up to the first
/// error the catalogs phrase, which phrases its own causes; a text added with
/// `anyhow::Context` (not yet a [`Failure`]) is shown as written.
pub fn message(error: &anyhow::Error, lang: Lang) -> String {
    let mut parts = Vec::new();
    for e in error.chain() {
        if let Some(text) = phrase(e, lang) {
            parts.push(text);
            break;
        }
        parts.push(e.to_string());
    }
    parts.join(": ")
}

/// `error` in `lang`, when it is one of the errors the catalogs phrase.
fn phrase(error: &(dyn std::error::Error + 'static), lang: Lang) -> Option<String> {
    macro_rules! first_of {
        ($($t:ty),*) => {
            $(if let Some(e) = error.downcast_ref::<$t>() {
                return Some(e.localize(lang));
            })*
        };
    }
    first_of!(
        Failure,
        satudata_server::Error,
        satudata_workflow::Error,
        satudata_ingest::Error,
        satudata_catalog::Error,
        satudata_auth::Error,
        satudata_validate::Error,
        satudata_publish::Error,
        satudata_core::Error,
        std::io::Error
    );
    None
}

#[cfg(test)]
mod tests {
    use std::io::{Error, ErrorKind};

    use anyhow::Context as _;

    use super::*;

    fn missing(path: &str) -> anyhow::Error {
        Err::<(), _>(Error::from(ErrorKind::NotFound))
            .explain(|| Failure::new("error.cli.read").arg("path", path))
            .unwrap_err()
            .into()
    }

    #[test]
    fn a_failure_prints_its_cause_once_in_one_language() {
        let e = missing("x.csv");
        assert_eq!(report(&e, Lang::Id), "galat: Tidak dapat membaca x.csv: tidak ada");
        assert_eq!(report(&e, Lang::En), "error: Cannot read x.csv: does not exist");
        assert_eq!(format!("{e:#}"), "Cannot read x.csv: does not exist");
    }

    #[test]
    fn library_errors_are_phrased_by_their_crates() {
        let e = anyhow::Error::from(satudata_workflow::Error::Catalog(satudata_catalog::Error::NotFound {
            kind: "dataset",
            key: "tidak-ada".into(),
        }));
        assert_eq!(
            report(&e, Lang::Id),
            "galat: Tidak ada dataset \"tidak-ada\" di katalog"
        );
    }

    #[test]
    fn a_plain_text_context_is_kept_before_the_phrased_error() {
        let e = Err::<(), _>(Error::from(ErrorKind::PermissionDenied))
            .context("membuka / opening x")
            .unwrap_err();
        assert_eq!(message(&e, Lang::En), "membuka / opening x: permission denied");
    }
}
