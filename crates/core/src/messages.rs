//! User-facing text: one catalog per language (`messages/id.toml`, `messages/en.toml`).
//!
//! A message is looked up by key and its `{name}` placeholders are filled from arguments.
//! Indonesian is the default language.

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
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template.as_str();
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(&clip(lang, v)),
                    None => {
                        out.push('{');
                        out.push_str(name);
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
        let message = render(Lang::En, "type-error", &[("value", &long), ("type", "integer")]);
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
