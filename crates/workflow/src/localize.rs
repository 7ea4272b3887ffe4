//! The workflow [`Error`] in the catalogs' words, and the typed problems of its variants.
//!
//! A new variant (or problem) gets its key here (`error.workflow.*`, in both catalogs); the
//! matches are exhaustive so that none is forgotten. The errors of the stages are phrased by
//! their own crates.

use satudata_core::wilayah::Level;
use satudata_core::{Lang, Localize};

use crate::Error;

/// What is wrong with an input file (a descriptor, a region-code file).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputProblem {
    /// A column the file must have is not there.
    #[error("no column {0}")]
    NoColumn(String),
    /// A row holds a code that is not a region code of the file's level.
    #[error("row {row}: \"{code}\" is not a {} code", level.as_str())]
    NotRegionCode {
        /// The row, as in the file.
        row: u64,
        /// The code.
        code: String,
        /// The level the file holds.
        level: Level,
    },
    /// A Table Schema was given without the file it describes.
    #[error("a Table Schema needs the file to check")]
    FileNeeded,
    /// Anything else, in the words of the code that found it (not yet a catalog text).
    #[error("{0}")]
    Other(String),
}

/// What is wrong with a pipeline file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineProblem {
    /// The TOML cannot be read: where, and why in the TOML parser's words.
    #[error("{}{detail}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Syntax {
        /// The line of the file, when the parser knows it.
        line: Option<usize>,
        /// The parser's message.
        detail: String,
    },
    /// `[source]` names both a path and a URL, or neither.
    #[error("[source] needs exactly one of path and url")]
    SourceCount,
    /// `header_row = 0`: rows count from 1.
    #[error("header_row counts from 1")]
    HeaderRowZero,
    /// `sheet` or `header_row` for a file whose content is not a workbook.
    #[error("{option} applies to workbooks only, and the file is {kind}")]
    WorkbookOption {
        /// The option named (`sheet`, `header_row`).
        option: &'static str,
        /// What the file is (`CSV`).
        kind: &'static str,
    },
    /// Anything else, in the words of the code that found it (not yet a catalog text).
    #[error("{0}")]
    Other(String),
}

impl PipelineProblem {
    /// The problem of a TOML error in `text`: its message and the line it points at.
    pub fn syntax(text: &str, error: &toml::de::Error) -> Self {
        let line = error
            .span()
            .and_then(|span| text.get(..span.start))
            .map(|before| before.matches('\n').count() + 1);
        PipelineProblem::Syntax {
            line,
            detail: error.message().trim().to_owned(),
        }
    }
}

/// `From` a text for a problem type's `Other`, so that code written before the problem had
/// variants (`detail: format!(…).into()`) still builds.
macro_rules! from_text {
    ($($problem:ident),*) => {$(
        impl From<String> for $problem {
            fn from(text: String) -> Self {
                $problem::Other(text)
            }
        }

        impl From<&str> for $problem {
            fn from(text: &str) -> Self {
                $problem::Other(text.to_owned())
            }
        }
    )*};
}

from_text!(InputProblem, PipelineProblem);

impl Localize for Error {
    fn key(&self) -> &'static str {
        match self {
            Error::NotInitialized(_) => "error.workflow.not-initialized",
            Error::NotRegion(_) => "usage.not-region-folder",
            Error::Period(_) => "error.detail",
            Error::Io { .. } => "error.path",
            Error::Document { .. } => "error.path",
            Error::Input { .. } => "error.path",
            Error::Pipeline { .. } => "error.workflow.pipeline",
            Error::Options(e) => e.key(),
            Error::Catalog(e) => e.key(),
            Error::Validate(e) => e.key(),
            Error::Publish(e) => e.key(),
            Error::ReleaseTable { .. } => "error.workflow.release-table",
            Error::UnknownSubmission(_) => "error.workflow.unknown-submission",
            Error::Unreadable(_) => "error.workflow.submission-unreadable",
            Error::Denied(satudata_core::access::Decision::Hidden) => "error.workflow.denied-hidden",
            Error::Denied(satudata_core::access::Decision::Unauthenticated) => "error.workflow.denied-unauthenticated",
            Error::Denied(_) => "error.workflow.denied-forbidden",
            Error::Account(None) => "error.workflow.account-missing",
            Error::Account(Some(_)) => "error.workflow.account-unusable",
            Error::UnknownJob(_) => "error.workflow.unknown-job",
        }
    }

    fn args(&self, lang: Lang) -> Vec<(&'static str, String)> {
        match self {
            Error::Period(e) => vec![("detail", e.message(lang))],
            Error::NotInitialized(path)
            | Error::NotRegion(path)
            | Error::Io { path, .. }
            | Error::Document { path, .. }
            | Error::Input { path, .. }
            | Error::Pipeline { path, .. } => vec![("path", path.display().to_string())],
            Error::Options(e) => e.args(lang),
            Error::Catalog(e) => e.args(lang),
            Error::Validate(e) => e.args(lang),
            Error::Publish(e) => e.args(lang),
            Error::ReleaseTable {
                dataset,
                version,
                source,
            } => vec![
                ("dataset", dataset.clone()),
                ("version", version.to_string()),
                ("detail", source.to_string()),
            ],
            Error::UnknownSubmission(id) | Error::Unreadable(id) => vec![("id", id.to_string())],
            Error::Denied(_) | Error::Account(None) => Vec::new(),
            Error::Account(Some(name)) => vec![("name", name.clone())],
            Error::UnknownJob(kind) => vec![("kind", kind.clone())],
        }
    }

    fn cause(&self) -> Option<&dyn Localize> {
        match self {
            Error::NotInitialized(_)
            | Error::NotRegion(_)
            | Error::Period(_)
            | Error::ReleaseTable { .. }
            | Error::UnknownSubmission(_)
            | Error::Denied(_)
            | Error::Account(_)
            | Error::UnknownJob(_)
            | Error::Unreadable(_) => None,
            Error::Io { source, .. } => Some(source),
            Error::Document { source, .. } => Some(source),
            Error::Input { detail, .. } => Some(detail),
            Error::Pipeline { detail, .. } => Some(detail),
            Error::Options(e) => e.cause(),
            Error::Catalog(e) => e.cause(),
            Error::Validate(e) => e.cause(),
            Error::Publish(e) => e.cause(),
        }
    }
}

impl Localize for InputProblem {
    fn key(&self) -> &'static str {
        match self {
            InputProblem::NoColumn(_) => "error.workflow.no-column",
            InputProblem::NotRegionCode { .. } => "error.workflow.not-region-code",
            InputProblem::FileNeeded => "error.workflow.file-needed",
            InputProblem::Other(_) => "error.detail",
        }
    }

    fn args(&self, _: Lang) -> Vec<(&'static str, String)> {
        match self {
            InputProblem::NoColumn(column) => vec![("column", column.clone())],
            InputProblem::NotRegionCode { row, code, level } => vec![
                ("row", row.to_string()),
                ("code", code.clone()),
                ("level", level.as_str().to_owned()),
            ],
            InputProblem::FileNeeded => Vec::new(),
            InputProblem::Other(detail) => vec![("detail", detail.clone())],
        }
    }
}

impl Localize for PipelineProblem {
    fn key(&self) -> &'static str {
        match self {
            PipelineProblem::Syntax { line: Some(_), .. } => "error.workflow.pipeline-syntax-line",
            PipelineProblem::Syntax { line: None, .. } => "error.workflow.pipeline-syntax",
            PipelineProblem::SourceCount => "error.workflow.pipeline-source",
            PipelineProblem::HeaderRowZero => "error.workflow.pipeline-header-row",
            PipelineProblem::WorkbookOption { .. } => "error.workflow.pipeline-workbook-option",
            PipelineProblem::Other(_) => "error.detail",
        }
    }

    fn args(&self, _: Lang) -> Vec<(&'static str, String)> {
        match self {
            PipelineProblem::Syntax { line, detail } => {
                let mut args = vec![("detail", detail.clone())];
                args.extend(line.map(|l| ("line", l.to_string())));
                args
            }
            PipelineProblem::Other(detail) => vec![("detail", detail.clone())],
            PipelineProblem::SourceCount | PipelineProblem::HeaderRowZero => Vec::new(),
            PipelineProblem::WorkbookOption { option, kind } => {
                vec![("option", (*option).to_owned()), ("kind", (*kind).to_owned())]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn an_io_error_names_its_path_once() {
        let e = Error::Io {
            path: PathBuf::from("x/organizations.json"),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        assert_eq!(e.localize(Lang::Id), "x/organizations.json: tidak ada");
        assert_eq!(e.localize(Lang::En), "x/organizations.json: does not exist");
    }

    #[test]
    fn the_stages_errors_are_phrased_by_their_crates() {
        let e = Error::Catalog(satudata_catalog::Error::NotFound {
            kind: "dataset",
            key: "tidak-ada".into(),
        });
        assert_eq!(e.localize(Lang::Id), "Tidak ada dataset \"tidak-ada\" di katalog");
        let e = Error::Input {
            path: PathBuf::from("districts.csv"),
            detail: InputProblem::NotRegionCode {
                row: 2,
                code: "61.71.1".into(),
                level: Level::Kecamatan,
            },
        };
        assert_eq!(
            e.localize(Lang::Id),
            "districts.csv: baris 2: \"61.71.1\" bukan kode kecamatan"
        );
    }

    #[test]
    fn every_variant_has_a_message_in_both_languages() {
        let path = PathBuf::from("p.toml");
        let errors = [
            Error::NotInitialized(path.clone()),
            Error::Pipeline {
                path: path.clone(),
                detail: PipelineProblem::SourceCount,
            },
            Error::Pipeline {
                path: path.clone(),
                detail: PipelineProblem::HeaderRowZero,
            },
            Error::Pipeline {
                path: path.clone(),
                detail: PipelineProblem::WorkbookOption {
                    option: "sheet",
                    kind: "CSV",
                },
            },
            Error::Pipeline {
                path: path.clone(),
                detail: PipelineProblem::Syntax {
                    line: Some(3),
                    detail: "expected `=`".into(),
                },
            },
            Error::Input {
                path: path.clone(),
                detail: InputProblem::FileNeeded,
            },
            Error::Input {
                path,
                detail: InputProblem::NoColumn("code".into()),
            },
            Error::Options(satudata_ingest::Error::Empty),
            Error::ReleaseTable {
                dataset: "penduduk".into(),
                version: 2,
                source: polars::prelude::PolarsError::ComputeError("conversion failed".into()),
            },
            Error::UnknownSubmission(7),
            Error::Unreadable(7),
            Error::Denied(satudata_core::access::Decision::Forbidden),
            Error::Denied(satudata_core::access::Decision::Hidden),
            Error::Denied(satudata_core::access::Decision::Unauthenticated),
            Error::Account(None),
            Error::Account(Some("ani".into())),
            Error::UnknownJob("x".into()),
        ];
        for e in errors {
            for lang in [Lang::Id, Lang::En] {
                let text = e.localize(lang);
                assert!(!text.starts_with("error.") && !text.contains('{'), "{text}");
            }
        }
    }
}
