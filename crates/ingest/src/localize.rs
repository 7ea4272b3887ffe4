//! The ingest [`Error`] in the catalogs' words: a key and arguments for each variant.
//!
//! A new variant gets its key here (`error.ingest.*`, in both catalogs); the match is
//! exhaustive so that none is forgotten.

use satudata_core::{Lang, Localize};

use crate::{Error, FetchProblem};

impl Localize for Error {
    fn key(&self) -> &'static str {
        match self {
            Error::Encoding { line: Some(_), .. } => "error.ingest.encoding-line",
            Error::Encoding { line: None, .. } => "error.ingest.encoding",
            Error::Format { .. } => "format-error",
            Error::Empty => "error.ingest.empty",
            Error::Read(_) => "error.ingest.read",
            Error::Fetch { problem, .. } => match problem {
                FetchProblem::Scheme(_) => "error.ingest.fetch-scheme",
                FetchProblem::Status(_) => "error.ingest.fetch-status",
                FetchProblem::TooLarge(_) => "error.ingest.fetch-too-large",
                FetchProblem::Timeout => "error.ingest.fetch-timeout",
                FetchProblem::Request(_) => "error.ingest.fetch",
            },
            Error::Sheet { .. } => "error.ingest.sheet",
            Error::Option { .. } => "error.ingest.option",
            Error::NotText { .. } => "format-error.binary",
            Error::ColumnType { .. } => "format-error.type",
            Error::TooLarge { bound, .. } => bound.message_key(),
            Error::Table(_) => "error.ingest.table",
        }
    }

    fn args(&self, lang: Lang) -> Vec<(&'static str, String)> {
        match self {
            Error::Encoding { encoding, line } => {
                let mut args = vec![("encoding", (*encoding).to_owned())];
                args.extend(line.map(|l| ("line", l.to_string())));
                args
            }
            Error::Format { format, detail } => vec![("format", (*format).to_owned()), ("detail", detail.clone())],
            Error::Empty | Error::Read(_) => Vec::new(),
            Error::Fetch { url, problem } => {
                let detail = match problem {
                    FetchProblem::Scheme(s) | FetchProblem::Request(s) => s.clone(),
                    FetchProblem::Status(status) => status.to_string(),
                    FetchProblem::TooLarge(limit) => limit.to_string(),
                    FetchProblem::Timeout => String::new(),
                };
                vec![("url", url.clone()), ("detail", detail)]
            }
            Error::Sheet { sheet, available } => {
                let none = satudata_core::messages::render(lang, "error.ingest.no-sheets", &[]);
                let list = if available.is_empty() {
                    none
                } else {
                    available.join(", ")
                };
                vec![("sheet", sheet.clone()), ("available", list)]
            }
            Error::Option { what, value } => vec![
                ("what", satudata_core::messages::render(lang, option_key(what), &[])),
                ("value", value.clone()),
            ],
            Error::NotText { offset } => vec![("offset", offset.to_string())],
            Error::ColumnType {
                format,
                label,
                type_name,
            } => vec![
                ("format", (*format).to_owned()),
                ("label", label.clone()),
                ("type", type_name.clone()),
            ],
            Error::TooLarge { format, limit, .. } => {
                vec![("format", (*format).to_owned()), ("limit", limit.to_string())]
            }
            Error::Table(e) => vec![("detail", e.to_string())],
        }
    }

    fn cause(&self) -> Option<&dyn Localize> {
        match self {
            Error::Read(e) => Some(e),
            _ => None,
        }
    }
}

/// The catalog word for an option's name (`encoding` -> `pengodean`).
fn option_key(what: &str) -> &'static str {
    match what {
        "encoding" => "error.option.encoding",
        "delimiter" => "error.option.delimiter",
        _ => "error.option.format",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_sheet_lists_the_sheets_there_are() {
        let e = Error::Sheet {
            sheet: "X".into(),
            available: vec!["Data".into(), "Rekap".into()],
        };
        assert_eq!(e.localize(Lang::Id), "Lembar \"X\" tidak ada; yang ada: Data, Rekap");
        assert_eq!(
            e.localize(Lang::En),
            "Sheet \"X\" is not in the workbook; it has: Data, Rekap"
        );
    }

    #[test]
    fn every_variant_has_a_message_in_both_languages() {
        let errors = [
            Error::Encoding {
                encoding: "utf-8",
                line: Some(2),
            },
            Error::Encoding {
                encoding: "utf-8",
                line: None,
            },
            Error::format("JSON", "key must be a string"),
            Error::Empty,
            Error::Read(std::io::Error::from(std::io::ErrorKind::IsADirectory)),
            Error::Fetch {
                url: "http://x".into(),
                problem: FetchProblem::Status(404),
            },
            Error::Fetch {
                url: "ftp://x".into(),
                problem: FetchProblem::Scheme("ftp".into()),
            },
            Error::Fetch {
                url: "http://x".into(),
                problem: FetchProblem::TooLarge(1000),
            },
            Error::Fetch {
                url: "http://x".into(),
                problem: FetchProblem::Request("timed out".into()),
            },
            Error::Sheet {
                sheet: "X".into(),
                available: Vec::new(),
            },
            Error::Option {
                what: "delimiter",
                value: "::".into(),
            },
            Error::NotText { offset: 3 },
            Error::ColumnType {
                format: "Parquet",
                label: "a".into(),
                type_name: "list".into(),
            },
            Error::too_large("CSV", crate::Bound::Rows, 10u64),
        ];
        for e in errors {
            for lang in [Lang::Id, Lang::En] {
                let text = e.localize(lang);
                assert!(!text.starts_with("error.") && !text.contains('{'), "{text}");
                assert!(!text.contains("as ?") && !text.contains("sebagai ?"), "{text}");
            }
        }
    }
}
