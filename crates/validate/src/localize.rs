//! The validate [`Error`] in the catalogs' words: a key and arguments for each variant.
//!
//! A new variant gets its key here (`error.validate.*`, in both catalogs); the match is
//! exhaustive so that none is forgotten.

use satudata_core::messages::render;
use satudata_core::{Lang, Localize};

use crate::Error;

impl Localize for Error {
    fn key(&self) -> &'static str {
        match self {
            Error::MissingCodeList(_) => "error.validate.missing-code-list",
            Error::MissingMasterData(_) => "error.validate.missing-master-data",
            Error::UnknownField { .. } => "error.validate.unknown-field",
            Error::Pattern { .. } => "error.validate.pattern",
            Error::Rule { .. } => "error.validate.rule",
            Error::ListFormat { .. } => "error.validate.list-format",
            Error::MissingReference(_) => "error.validate.missing-reference",
            Error::Schema(_) => "error.validate.schema",
            Error::Table(_) => "error.validate.table",
            Error::Spill(_) => "error.validate.spill",
        }
    }

    fn args(&self, lang: Lang) -> Vec<(&'static str, String)> {
        match self {
            Error::MissingCodeList(id) | Error::MissingMasterData(id) | Error::MissingReference(id) => {
                vec![("id", id.clone())]
            }
            Error::UnknownField { what, field } => vec![("what", place(lang, what)), ("field", field.clone())],
            Error::Pattern { field, detail } | Error::ListFormat { field, detail } => {
                vec![("field", field.clone()), ("detail", detail.clone())]
            }
            Error::Rule {
                kind,
                name,
                rule,
                problem,
            } => vec![
                ("kind", rule_kind(lang, kind)),
                ("name", name.clone()),
                ("rule", crate::rules::excerpt(rule, problem.at())),
                ("detail", problem.localize(lang)),
            ],
            Error::Schema(detail) => vec![("detail", detail.clone())],
            Error::Table(e) => vec![("detail", e.to_string())],
            Error::Spill(_) => Vec::new(),
        }
    }

    fn cause(&self) -> Option<&dyn Localize> {
        match self {
            Error::Spill(e) => Some(e),
            _ => None,
        }
    }
}

/// `consistency rule` or `row constraint` in `lang`.
fn rule_kind(lang: Lang, kind: &str) -> String {
    match kind {
        "consistency rule" => render(lang, "error.validate.consistency-rule", &[]),
        "row constraint" => render(lang, "error.validate.row-constraint", &[]),
        other => other.to_owned(),
    }
}

/// Where a standard names a column (`the primary key`, `consistency rule jumlah`) in `lang`.
fn place(lang: Lang, what: &str) -> String {
    let key = match what {
        "the primary key" => "error.validate.in-primary-key",
        "kolom_periode" => "error.validate.in-period-column",
        "a foreign key" => "error.validate.in-foreign-key",
        "a foreign key's reference" => "error.validate.in-foreign-reference",
        "the referenced table" => "error.validate.in-referenced-table",
        _ => {
            for kind in ["consistency rule", "row constraint"] {
                if let Some(name) = what.strip_prefix(kind).and_then(|r| r.strip_prefix(' ')) {
                    return format!("{} {name}", rule_kind(lang, kind));
                }
            }
            return what.to_owned();
        }
    };
    render(lang, key, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_message_in_both_languages() {
        let errors = [
            Error::MissingCodeList("wilayah-indonesia".into()),
            Error::MissingMasterData("sekolah".into()),
            Error::UnknownField {
                what: "consistency rule total".into(),
                field: "jumlah".into(),
            },
            Error::UnknownField {
                what: "the primary key".into(),
                field: "id".into(),
            },
            Error::Pattern {
                field: "kode".into(),
                detail: "unclosed group".into(),
            },
            Error::Rule {
                kind: "row constraint",
                name: "r".into(),
                rule: "abs(a) < 1".into(),
                problem: crate::RuleError::UnknownFunction {
                    at: crate::At::Char(1),
                    name: "abs".into(),
                },
            },
            Error::ListFormat {
                field: "jenjang".into(),
                detail: "pemisah_isi is empty".into(),
            },
            Error::MissingReference("sekolah".into()),
            Error::Schema("bad".into()),
            Error::Spill(std::io::Error::from(std::io::ErrorKind::StorageFull)),
        ];
        for e in errors {
            for lang in [Lang::Id, Lang::En] {
                let text = e.localize(lang);
                assert!(!text.starts_with("error.") && !text.contains('{'), "{text}");
            }
        }
        let e = Error::UnknownField {
            what: "consistency rule total".into(),
            field: "jumlah".into(),
        };
        assert_eq!(
            e.localize(Lang::Id),
            "Kolom jumlah yang disebut aturan konsistensi total tidak ada di standar data"
        );
    }

    #[test]
    fn a_broken_rule_is_quoted_with_where_it_breaks_in_the_language_asked_for() {
        let broken = |rumus: &str| Error::Rule {
            kind: "consistency rule",
            name: "total".into(),
            rule: rumus.into(),
            problem: crate::rules::parse(rumus, crate::rules::Syntax::SatuData).unwrap_err(),
        };
        let e = broken("jumlah = laki_laki +");
        assert_eq!(
            e.localize(Lang::Id),
            "Rumus aturan konsistensi \"total\" tidak sah: 'jumlah = laki_laki +' berakhir sebelum selesai, setelah '+'"
        );
        assert_eq!(
            e.localize(Lang::En),
            "The consistency rule \"total\" is invalid: 'jumlah = laki_laki +' ends before it is complete, after '+'"
        );
        let e = broken("jumlah = laki_laki & perempuan");
        assert_eq!(
            e.localize(Lang::Id),
            "Rumus aturan konsistensi \"total\" tidak sah: 'jumlah = laki_laki & perempuan' memuat tanda '&' yang \
             tidak dikenal pada karakter ke-20"
        );
        // A long rule is quoted around the place it breaks, on one line.
        let long = format!("{} = a +\t b ?", vec!["x"; 100].join(" + "));
        let text = broken(&long).localize(Lang::En);
        assert!(
            text.contains("'…x + x + ") && text.contains("x + x = a +  b ?'"),
            "{text}"
        );
        assert!(
            text.contains(&format!("at character {}", long.chars().count())),
            "{text}"
        );
    }
}
