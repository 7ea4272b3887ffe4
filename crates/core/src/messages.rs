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

/// The message `key` in `lang` with its `{name}` placeholders filled from `args`.
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
                    Some((_, v)) => out.push_str(v),
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
    fn fills_placeholders() {
        let s = render(Lang::En, "type-error", &[("value", "seratus"), ("type", "integer")]);
        assert!(s.contains("\"seratus\"") && s.contains("integer"), "{s}");
        assert_eq!(render(Lang::Id, "no-such-key", &[]), "no-such-key");
    }
}
