//! User-facing text: one catalog per language (`messages/id.toml`, `messages/en.toml`).
//!
//! A message is looked up by key and its `{name}` placeholders are filled from arguments.
//! Indonesian is the default language.
//!
//! A counted word is written `{name:one|other}` in the template: `1 {rows:row|rows}` renders
//! `1 row`, `2 rows`, after `{name}`'s argument. Indonesian words have no plural, so id.toml
//! has no such forms; English ones do.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A language the interface speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Bahasa Indonesia (default).
    #[default]
    Id,
    /// English.
    En,
}

impl Lang {
    /// The language's code, as `<html lang>` and `?lang=` write it (`id`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }
}

impl FromStr for Lang {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "id" | "in" | "ind" => Ok(Lang::Id),
            "en" | "eng" => Ok(Lang::En),
            other => Err(crate::Error::invalid("language", other)),
        }
    }
}

const ID: &str = include_str!("../messages/id.toml");
const EN: &str = include_str!("../messages/en.toml");

type Catalog = HashMap<String, String>;

fn parse(text: &str) -> Catalog {
    // The catalogs are part of the build and checked by a test; a broken one renders keys.
    toml::from_str(text).unwrap_or_default()
}

fn catalog(lang: Lang) -> &'static Catalog {
    static ID_CATALOG: OnceLock<Catalog> = OnceLock::new();
    static EN_CATALOG: OnceLock<Catalog> = OnceLock::new();
    match lang {
        Lang::Id => ID_CATALOG.get_or_init(|| parse(ID)),
        Lang::En => EN_CATALOG.get_or_init(|| parse(EN)),
    }
}

/// How many characters of a value a message or a finding quotes.
pub const QUOTE_CHARS: usize = 200;

/// `text` as a report quotes it: whole up to [`QUOTE_CHARS`] characters, otherwise its start
/// followed by its length (`… (70.000.000 karakter)`), so that no report grows with a cell.
pub fn clip(lang: Lang, text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= QUOTE_CHARS {
        return text.into();
    }
    let Some((cut, _)) = text.char_indices().nth(QUOTE_CHARS) else {
        return text.into();
    };
    let count = grouped(text.chars().count(), if lang == Lang::Id { '.' } else { ',' });
    let unit = if lang == Lang::Id { "karakter" } else { "characters" };
    format!("{}… ({count} {unit})", &text[..cut]).into()
}

/// `n` with its thousands grouped by `separator`.
fn grouped(n: usize, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(d);
    }
    out
}

/// The message `key` in `lang` with its `{name}` placeholders filled from `args`, each cut by
/// [`clip`].
///
/// An unknown key renders as the key itself, so a missing translation shows, never panics.
pub fn render(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let Some(template) = catalog(lang).get(key) else {
        return key.to_owned();
    };
    fill(lang, template, args)
}

/// Whether `key` is in the catalog of `lang`.
pub fn has(lang: Lang, key: &str) -> bool {
    catalog(lang).contains_key(key)
}

/// The label people read for a finding code (`type-error` -> "Nilai tidak sesuai tipe").
pub fn code_label(lang: Lang, code: crate::FindingCode) -> String {
    render(lang, &format!("label.{code}"), &[])
}

/// The word for a column type (`integer` -> "bilangan bulat" / "whole number").
pub fn type_name(lang: Lang, kind: crate::DataType) -> String {
    render(lang, &format!("type.{kind}"), &[])
}

/// The names of the placeholders of a template (`{rows:row|rows}` counts as `rows`).
pub fn placeholders(template: &str) -> std::collections::BTreeSet<&str> {
    let mut names = std::collections::BTreeSet::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let inner = &after[..end];
        names.insert(inner.split_once(':').map_or(inner, |(name, _)| name));
        rest = &after[end + 1..];
    }
    names
}

/// Fills a template's `{name}` and `{name:one|other}` placeholders.
fn fill(lang: Lang, template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let inner = &after[..end];
                let (name, forms) = match inner.split_once(':') {
                    Some((name, forms)) => (name, Some(forms)),
                    None => (inner, None),
                };
                match (args.iter().find(|(k, _)| *k == name), forms) {
                    (Some((_, v)), Some(forms)) => out.push_str(plural(v, forms)),
                    (Some((_, v)), None) => out.push_str(&clip(lang, v)),
                    (None, _) => {
                        out.push('{');
                        out.push_str(inner);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The form of `forms` (`one|other`) for the count `n`: `one` for exactly 1, `other` else.
fn plural<'f>(n: &str, forms: &'f str) -> &'f str {
    let (one, other) = forms.split_once('|').unwrap_or((forms, forms));
    if n.trim() == "1" { one } else { other }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogs_parse_and_have_the_same_keys() {
        let id: Catalog = toml::from_str(ID).unwrap();
        let en: Catalog = toml::from_str(EN).unwrap();
        assert!(!id.is_empty());
        let mut a: Vec<_> = id.keys().collect();
        let mut b: Vec<_> = en.keys().collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
    }

    #[test]
    fn both_catalogs_fill_the_same_placeholders() {
        for (key, id) in catalog(Lang::Id) {
            let en = &catalog(Lang::En)[key];
            assert_eq!(placeholders(id), placeholders(en), "{key}");
        }
    }

    #[test]
    fn every_finding_code_has_a_label_and_a_fix_in_both_catalogs() {
        for code in crate::FindingCode::ALL {
            for lang in [Lang::Id, Lang::En] {
                for key in [format!("label.{code}"), format!("fix.{code}")] {
                    assert!(has(lang, &key), "{lang:?} has no {key}");
                }
            }
        }
        assert_eq!(
            code_label(Lang::Id, crate::FindingCode::TypeError),
            "Nilai tidak sesuai tipe"
        );
        assert_eq!(
            code_label(Lang::En, crate::FindingCode::TypeError),
            "Wrong type of value"
        );
    }

    #[test]
    fn every_type_has_a_word_in_both_catalogs() {
        for kind in crate::DataType::ALL {
            for lang in [Lang::Id, Lang::En] {
                let word = type_name(lang, *kind);
                assert!(!word.starts_with("type."), "{lang:?} has no word for {kind}");
            }
        }
        assert_eq!(type_name(Lang::Id, crate::DataType::Integer), "bilangan bulat");
        assert_eq!(type_name(Lang::En, crate::DataType::KodeWilayah), "region code");
    }

    #[test]
    fn counted_words_take_their_plural() {
        let one = render(
            Lang::En,
            "cli.invalid",
            &[("rows", "1"), ("errors", "1"), ("warnings", "0")],
        );
        assert_eq!(one, "INVALID: 1 row, 1 error, 0 warnings");
        let many = render(
            Lang::En,
            "cli.invalid",
            &[("rows", "12"), ("errors", "2"), ("warnings", "1")],
        );
        assert_eq!(many, "INVALID: 12 rows, 2 errors, 1 warning");
        let id = render(
            Lang::Id,
            "cli.invalid",
            &[("rows", "1"), ("errors", "2"), ("warnings", "1")],
        );
        assert_eq!(id, "TIDAK VALID: 1 baris, 2 galat, 1 peringatan");
        assert_eq!(fill(Lang::En, "{n} {n:file|files}", &[("n", "11")]), "11 files");
        assert_eq!(fill(Lang::En, "{n:file|files}", &[]), "{n:file|files}");
        assert_eq!(placeholders("{a} {b:x|y} {c}"), ["a", "b", "c"].into_iter().collect());
    }

    #[test]
    fn every_finding_code_has_a_message() {
        for code in crate::FindingCode::ALL {
            let key = code.as_str();
            let has = catalog(Lang::Id)
                .keys()
                .any(|k| k == key || k.starts_with(&format!("{key}.")));
            assert!(has, "no message for {key}");
        }
    }

    #[test]
    fn long_values_are_cut() {
        let long = "é".repeat(70_000);
        let id = clip(Lang::Id, &long);
        assert!(id.starts_with(&"é".repeat(QUOTE_CHARS)), "{id}");
        assert!(id.ends_with("é… (70.000 karakter)"), "{id}");
        assert!(clip(Lang::En, &long).ends_with("… (70,000 characters)"));
        assert_eq!(clip(Lang::Id, "pendek"), "pendek");
        let message = render(
            Lang::En,
            "type-error",
            &[("value", &long), ("type", "integer"), ("example", "12")],
        );
        assert!(message.len() < 1000, "{message}");
        assert_eq!(grouped(70_000_000, '.'), "70.000.000");
        assert_eq!(grouped(999, '.'), "999");
    }

    #[test]
    fn fills_placeholders() {
        let s = render(Lang::En, "type-error", &[("value", "seratus"), ("type", "integer")]);
        assert!(s.contains("\"seratus\"") && s.contains("integer"), "{s}");
        assert_eq!(render(Lang::Id, "no-such-key", &[]), "no-such-key");
    }
}
