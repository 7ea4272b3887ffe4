//! RDF/XML: one `rdf:Description` per top-level subject, a property element per triple, blank
//! nodes nested in their property element.

use std::fmt::Write;

use crate::graph::{Graph, Layout, LiteralKind, Subject, Term, compact};
use crate::vocab::PREFIXES;

impl Graph {
    /// The graph as RDF/XML (`application/rdf+xml`).
    pub fn to_rdf_xml(&self) -> String {
        let layout = Layout::new(self);
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rdf:RDF");
        for (prefix, namespace) in PREFIXES {
            let _ = write!(out, "\n    xmlns:{prefix}=\"{}\"", attribute(namespace));
        }
        out.push_str(">\n");
        for subject in layout.top_level() {
            match subject {
                Subject::Iri(iri) => {
                    let _ = writeln!(out, "  <rdf:Description rdf:about=\"{}\">", attribute(iri));
                }
                Subject::Blank(label) => {
                    let _ = writeln!(out, "  <rdf:Description rdf:nodeID=\"{}\">", attribute(label));
                }
            }
            write_properties(&mut out, &layout, subject, 2);
            out.push_str("  </rdf:Description>\n");
        }
        out.push_str("</rdf:RDF>\n");
        out
    }
}

fn write_properties(out: &mut String, layout: &Layout<'_>, subject: &Subject, depth: usize) {
    let indent = "  ".repeat(depth);
    for (predicate, objects) in layout.properties(subject) {
        let (name, declaration) = element_name(predicate);
        for object in objects {
            let _ = write!(out, "{indent}<{name}{declaration}");
            match object {
                Term::Iri(iri) => {
                    let _ = writeln!(out, " rdf:resource=\"{}\"/>", attribute(iri));
                }
                Term::Blank(label) if layout.is_nested(label) => {
                    let _ = writeln!(out, ">\n{indent}  <rdf:Description>");
                    write_properties(out, layout, &Subject::Blank(label.clone()), depth + 2);
                    let _ = writeln!(out, "{indent}  </rdf:Description>\n{indent}</{name}>");
                }
                Term::Blank(label) => {
                    let _ = writeln!(out, " rdf:nodeID=\"{}\"/>", attribute(label));
                }
                Term::Literal(literal) => {
                    match &literal.kind {
                        LiteralKind::Plain => {}
                        LiteralKind::Lang(lang) => {
                            let _ = write!(out, " xml:lang=\"{}\"", attribute(lang));
                        }
                        LiteralKind::Typed(datatype) => {
                            let _ = write!(out, " rdf:datatype=\"{}\"", attribute(datatype));
                        }
                    }
                    let _ = writeln!(out, ">{}</{name}>", text(&literal.value));
                }
            }
        }
    }
}

/// The QName of a property element, and the namespace declaration it needs when no declared
/// prefix covers it (never, for the graphs this crate builds).
fn element_name(predicate: &str) -> (String, String) {
    if let Some((prefix, local)) = compact(predicate) {
        return (format!("{prefix}:{local}"), String::new());
    }
    let split = predicate.rfind(['#', '/']).map_or(0, |i| i + 1);
    let (namespace, local) = predicate.split_at(split);
    (
        format!("ns0:{local}"),
        format!(" xmlns:ns0=\"{}\"", attribute(namespace)),
    )
}

/// Character data: `&`, `<` and `>` as entities, and a carriage return as `&#xD;` so that the
/// parser's line-end normalisation keeps it.
pub(crate) fn text(value: &str) -> String {
    escape(value, false)
}

/// An attribute value in double quotes: also `"`, and tab and line feed as character
/// references so that attribute normalisation does not turn them into spaces.
pub(crate) fn attribute(value: &str) -> String {
    escape(value, true)
}

fn escape(value: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            '"' if in_attribute => out.push_str("&quot;"),
            '\n' if in_attribute => out.push_str("&#xA;"),
            '\t' if in_attribute => out.push_str("&#x9;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped_for_xml() {
        assert_eq!(text("a <b> & \"c\" 'd'"), "a &lt;b&gt; &amp; \"c\" 'd'");
        assert_eq!(text("baris\r\nkedua"), "baris&#xD;\nkedua");
        assert_eq!(attribute("a\"b\n\tc&<"), "a&quot;b&#xA;&#x9;c&amp;&lt;");
        assert_eq!(
            text("Kecamatan Pontianak Selatan — ü ñ"),
            "Kecamatan Pontianak Selatan — ü ñ"
        );
        assert_eq!(text("]]>"), "]]&gt;");
    }

    #[test]
    fn unknown_namespaces_are_declared_on_the_element() {
        assert_eq!(
            element_name("http://purl.org/dc/terms/title"),
            ("dct:title".to_owned(), String::new())
        );
        assert_eq!(
            element_name("https://example.id/vocab#kode"),
            (
                "ns0:kode".to_owned(),
                " xmlns:ns0=\"https://example.id/vocab#\"".to_owned()
            )
        );
    }
}
