//! Turtle 1.1: the prefixes, then each top-level subject with its predicates grouped (`;`),
//! objects listed (`,`) and blank nodes nested (`[ ... ]`).

use std::fmt::Write;

use crate::graph::{Graph, Layout, Literal, LiteralKind, Subject, Term, compact};
use crate::vocab::{PREFIXES, RDF_TYPE};

impl Graph {
    /// The graph as Turtle (`text/turtle`).
    pub fn to_turtle(&self) -> String {
        let layout = Layout::new(self);
        let mut out = String::new();
        for (prefix, namespace) in PREFIXES {
            let _ = writeln!(out, "@prefix {prefix}: <{namespace}> .");
        }
        for subject in layout.top_level() {
            out.push('\n');
            match subject {
                Subject::Iri(iri) => out.push_str(&iri_ref(iri)),
                Subject::Blank(label) => {
                    let _ = write!(out, "_:{label}");
                }
            }
            write_properties(&mut out, &layout, subject, 1);
            out.push_str(" .\n");
        }
        out
    }
}

fn write_properties(out: &mut String, layout: &Layout<'_>, subject: &Subject, depth: usize) {
    let indent = "    ".repeat(depth);
    for (i, (predicate, objects)) in layout.properties(subject).iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { " ;\n" });
        out.push_str(&indent);
        if *predicate == RDF_TYPE {
            out.push('a');
        } else {
            out.push_str(&iri_ref(predicate));
        }
        for (j, object) in objects.iter().enumerate() {
            out.push_str(if j == 0 { " " } else { ", " });
            match object {
                Term::Iri(iri) => out.push_str(&iri_ref(iri)),
                Term::Blank(label) if layout.is_nested(label) => {
                    out.push('[');
                    write_properties(out, layout, &Subject::Blank(label.clone()), depth + 1);
                    let _ = write!(out, "\n{indent}]");
                }
                Term::Blank(label) => {
                    let _ = write!(out, "_:{label}");
                }
                Term::Literal(literal) => out.push_str(&literal_text(literal)),
            }
        }
    }
}

/// `prefix:local` when it compacts, else `<iri>`. IRIs in a graph are checked, so they hold
/// nothing an IRIREF must escape.
fn iri_ref(iri: &str) -> String {
    match compact(iri) {
        Some((prefix, local)) => format!("{prefix}:{local}"),
        None => format!("<{iri}>"),
    }
}

fn literal_text(literal: &Literal) -> String {
    let quoted = quote(&literal.value);
    match &literal.kind {
        LiteralKind::Plain => quoted,
        LiteralKind::Lang(lang) => format!("{quoted}@{lang}"),
        LiteralKind::Typed(datatype) => format!("{quoted}^^{}", iri_ref(datatype)),
    }
}

/// A Turtle `STRING_LITERAL_QUOTE`: `"` and `\` escaped, line breaks and tabs as `\n`, `\r`,
/// `\t`, other control characters as `\uXXXX`; everything else, Indonesian letters included,
/// as UTF-8.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_for_turtle() {
        assert_eq!(quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(quote("baris\nkedua\r\tx"), r#""baris\nkedua\r\tx""#);
        assert_eq!(quote("\u{1}\u{7f}"), r#""\u0001\u007F""#);
        assert_eq!(
            quote("Penduduk <Kota> & Kab. 'Kubu Raya' — ü"),
            "\"Penduduk <Kota> & Kab. 'Kubu Raya' — ü\""
        );
        assert_eq!(quote("\"\"\""), r#""\"\"\"""#);
    }

    #[test]
    fn literals_and_iris_are_written_in_their_forms() {
        let typed = Literal {
            value: "12".into(),
            kind: LiteralKind::Typed("http://www.w3.org/2001/XMLSchema#nonNegativeInteger".into()),
        };
        assert_eq!(literal_text(&typed), r#""12"^^xsd:nonNegativeInteger"#);
        let lang = Literal {
            value: "Jumlah".into(),
            kind: LiteralKind::Lang("id".into()),
        };
        assert_eq!(literal_text(&lang), r#""Jumlah"@id"#);
        assert_eq!(iri_ref("http://www.w3.org/ns/dcat#Dataset"), "dcat:Dataset");
        assert_eq!(iri_ref("https://x.id/dataset/1"), "<https://x.id/dataset/1>");
    }
}
