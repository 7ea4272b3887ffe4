//! The RDF graph the feeds are built as: subjects, predicates and objects with IRIs, typed and
//! language-tagged literals and blank nodes. Triples keep the order they were added in and are
//! kept once; the serialisers walk them through [`Layout`].

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use crate::vocab::PREFIXES;
use crate::{Error, RdfFormat, Result};

/// The subject of a triple: an IRI or a blank node.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    /// An absolute IRI.
    Iri(String),
    /// A blank node, by its label (unique within the graph).
    Blank(String),
}

/// The object of a triple.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Term {
    /// An absolute IRI.
    Iri(String),
    /// A blank node, by its label.
    Blank(String),
    /// A literal.
    Literal(Literal),
}

/// A literal: its lexical form and whether it is plain, language-tagged or typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Literal {
    /// The lexical form.
    pub value: String,
    /// Plain, language or datatype.
    pub kind: LiteralKind,
}

/// What qualifies a literal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LiteralKind {
    /// A simple literal (`xsd:string`).
    Plain,
    /// A language-tagged string, with its BCP 47 tag.
    Lang(String),
    /// A typed literal, with its datatype IRI.
    Typed(String),
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Triple {
    /// Who the statement is about.
    pub subject: Subject,
    /// The property IRI.
    pub predicate: String,
    /// The value.
    pub object: Term,
}

/// A set of triples in insertion order, built by [`crate::catalog_graph`] or
/// [`crate::dataset_graph`]. Only this crate adds triples, so every IRI in it is absolute and
/// valid and every predicate has a prefix the serialisers declare.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    triples: Vec<Triple>,
    seen: HashSet<Triple>,
    blanks: usize,
}

impl Graph {
    pub(crate) fn new() -> Graph {
        Graph::default()
    }

    /// The triples, in the order they were added.
    pub fn triples(&self) -> &[Triple] {
        &self.triples
    }

    /// The number of triples.
    pub fn len(&self) -> usize {
        self.triples.len()
    }

    /// Whether the graph has no triple.
    pub fn is_empty(&self) -> bool {
        self.triples.is_empty()
    }

    /// The graph in `format`.
    pub fn serialize(&self, format: RdfFormat) -> String {
        match format {
            RdfFormat::JsonLd => {
                // A `Value` always serialises; the fallback keeps the signature infallible.
                serde_json::to_string_pretty(&self.to_jsonld()).unwrap_or_default() + "\n"
            }
            RdfFormat::Turtle => self.to_turtle(),
            RdfFormat::RdfXml => self.to_rdf_xml(),
        }
    }

    /// A fresh blank node.
    pub(crate) fn blank(&mut self) -> Subject {
        self.blanks += 1;
        Subject::Blank(format!("b{}", self.blanks))
    }

    pub(crate) fn add(&mut self, subject: &Subject, predicate: &str, object: Term) {
        let triple = Triple {
            subject: subject.clone(),
            predicate: predicate.to_owned(),
            object,
        };
        if self.seen.insert(triple.clone()) {
            self.triples.push(triple);
        }
    }
}

impl Term {
    /// An IRI object from a checked IRI.
    pub(crate) fn iri(iri: impl Into<String>) -> Term {
        Term::Iri(iri.into())
    }

    /// A language-tagged literal of cleaned text.
    pub(crate) fn lang(text: &str, lang: &str) -> Term {
        Term::Literal(Literal {
            value: clean_text(text),
            kind: LiteralKind::Lang(lang.to_owned()),
        })
    }

    /// A plain literal of cleaned text.
    pub(crate) fn plain(text: &str) -> Term {
        Term::Literal(Literal {
            value: clean_text(text),
            kind: LiteralKind::Plain,
        })
    }

    /// A typed literal; `value` is a lexical form this crate made, `datatype` an IRI.
    pub(crate) fn typed(value: impl Into<String>, datatype: &str) -> Term {
        Term::Literal(Literal {
            value: value.into(),
            kind: LiteralKind::Typed(datatype.to_owned()),
        })
    }
}

impl From<Subject> for Term {
    fn from(subject: Subject) -> Term {
        match subject {
            Subject::Iri(iri) => Term::Iri(iri),
            Subject::Blank(label) => Term::Blank(label),
        }
    }
}

/// Text as every serialisation can carry it: without the control characters XML 1.0 forbids
/// (all below U+0020 but tab, line feed and carriage return) and without U+FFFE and U+FFFF.
/// They never mean anything in metadata, and dropping them here keeps the three serialisations
/// of one graph the same graph.
pub(crate) fn clean_text(text: &str) -> String {
    text.chars()
        .filter(|&c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect()
}

/// Checks that `value` is an absolute URL (`scheme:` first) and percent-encodes what an IRI may
/// not hold (controls, space, `<>"{}|\^` and backquote), so that the serialisers can write it
/// as it is.
pub(crate) fn checked_iri(field: &'static str, value: &str) -> Result<String> {
    let value = value.trim();
    let scheme_end = value.find(':').unwrap_or(0);
    let scheme = &value[..scheme_end];
    let scheme_ok = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // A scheme spelt like a declared prefix would be read as a compact IRI in JSON-LD.
    let is_prefix = PREFIXES.iter().any(|(prefix, _)| prefix.eq_ignore_ascii_case(scheme));
    if !scheme_ok || is_prefix || value.len() == scheme_end + 1 {
        return Err(Error::NotAbsolute {
            field,
            value: value.to_owned(),
        });
    }
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c <= ' '
            || matches!(
                c,
                '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}'
            )
        {
            push_percent_encoded(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// `c` as the `%XX` escapes of its UTF-8 bytes.
pub(crate) fn push_percent_encoded(out: &mut String, c: char) {
    for byte in c.encode_utf8(&mut [0u8; 4]).bytes() {
        let _ = write!(out, "%{byte:02X}");
    }
}

/// `iri` as `prefix:local` when a declared prefix covers it and `local` is a name every syntax
/// accepts unescaped (a letter or `_`, then letters, digits, `_` and `-`).
pub(crate) fn compact(iri: &str) -> Option<(&'static str, &str)> {
    PREFIXES.iter().find_map(|(prefix, namespace)| {
        let local = iri.strip_prefix(namespace)?;
        let mut chars = local.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        (first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')).then_some((*prefix, local))
    })
}

/// The graph as the serialisers walk it: subjects in first-use order, each with its predicates
/// in first-use order and their objects; blank nodes used as the object of exactly one triple
/// are nested where they are used, the others are written with their labels.
pub(crate) struct Layout<'g> {
    subjects: Vec<&'g Subject>,
    properties: HashMap<&'g Subject, Vec<(&'g str, Vec<&'g Term>)>>,
    nested: HashSet<&'g str>,
}

impl<'g> Layout<'g> {
    pub(crate) fn new(graph: &'g Graph) -> Layout<'g> {
        let mut subjects = Vec::new();
        let mut properties: HashMap<&Subject, Vec<(&str, Vec<&Term>)>> = HashMap::new();
        let mut uses: HashMap<&str, usize> = HashMap::new();
        for triple in &graph.triples {
            let entry = properties.entry(&triple.subject).or_insert_with(|| {
                subjects.push(&triple.subject);
                Vec::new()
            });
            match entry.iter_mut().find(|(predicate, _)| *predicate == triple.predicate) {
                Some((_, objects)) => objects.push(&triple.object),
                None => entry.push((&triple.predicate, vec![&triple.object])),
            }
            if let Term::Blank(label) = &triple.object {
                *uses.entry(label).or_default() += 1;
            }
        }
        let nested = uses
            .into_iter()
            .filter(|(_, n)| *n == 1)
            .map(|(label, _)| label)
            .collect();
        Layout {
            subjects,
            properties,
            nested,
        }
    }

    /// The subjects written at the top level, in order.
    pub(crate) fn top_level(&self) -> impl Iterator<Item = &'g Subject> + '_ {
        self.subjects.iter().copied().filter(|subject| match subject {
            Subject::Blank(label) => !self.nested.contains(label.as_str()),
            Subject::Iri(_) => true,
        })
    }

    /// The predicates of `subject` and their objects.
    pub(crate) fn properties(&self, subject: &Subject) -> &[(&'g str, Vec<&'g Term>)] {
        self.properties.get(subject).map(Vec::as_slice).unwrap_or_default()
    }

    /// Whether a blank node object is written nested (it is used once and has properties).
    pub(crate) fn is_nested(&self, label: &str) -> bool {
        self.nested.contains(label) && self.properties.contains_key(&Subject::Blank(label.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_must_be_absolute_and_are_percent_encoded() {
        assert_eq!(
            checked_iri("url", " https://x.id/a b\"<c>{d}|e\\f^g`h\n ").unwrap(),
            "https://x.id/a%20b%22%3Cc%3E%7Bd%7D%7Ce%5Cf%5Eg%60h"
        );
        assert_eq!(
            checked_iri("url", "https://x.id/kependudukan/pendudukü").unwrap(),
            "https://x.id/kependudukan/pendudukü"
        );
        assert_eq!(checked_iri("url", "mailto:a@b.id").unwrap(), "mailto:a@b.id");
        for bad in [
            "",
            "/dataset/a",
            "data.pontianak.go.id",
            "1http://x",
            "http:",
            "ht tp://x",
            "dct:title",
            "_:b1",
        ] {
            assert!(
                matches!(checked_iri("url", bad), Err(Error::NotAbsolute { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn text_loses_only_what_xml_cannot_carry() {
        assert_eq!(clean_text("a\u{0}b\u{1b}c\td\ne\rf\u{fffe}é"), "abc\td\ne\rfé");
    }

    #[test]
    fn compaction_needs_a_simple_local_name() {
        assert_eq!(compact("http://www.w3.org/ns/dcat#Dataset"), Some(("dcat", "Dataset")));
        assert_eq!(
            compact("http://spdx.org/rdf/terms#checksumAlgorithm_sha256"),
            Some(("spdx", "checksumAlgorithm_sha256"))
        );
        assert_eq!(compact("http://www.w3.org/ns/dcat#a.b"), None);
        assert_eq!(compact("http://www.w3.org/ns/dcat#"), None);
        assert_eq!(compact("https://example.id/x"), None);
    }

    #[test]
    fn triples_are_kept_once_in_order() {
        let mut graph = Graph::new();
        let s = Subject::Iri("https://x.id/a".into());
        graph.add(&s, "http://purl.org/dc/terms/title", Term::plain("t"));
        graph.add(&s, "http://purl.org/dc/terms/title", Term::plain("t"));
        graph.add(&s, "http://purl.org/dc/terms/description", Term::plain("d"));
        assert_eq!(graph.len(), 2);
        assert_eq!(graph.triples()[1].predicate, "http://purl.org/dc/terms/description");
    }
}
