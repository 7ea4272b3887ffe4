//! JSON-LD 1.1: an `@context` of the prefixes and a `@graph` of node objects, one per top-level
//! subject, with blank nodes nested as node objects without `@id`.

use serde_json::{Map, Value, json};

use crate::graph::{Graph, Layout, LiteralKind, Subject, Term, compact};
use crate::vocab::{PREFIXES, RDF_TYPE};

impl Graph {
    /// The graph as a JSON-LD document (`application/ld+json`); [`Graph::serialize`] writes it
    /// as text.
    pub fn to_jsonld(&self) -> Value {
        let layout = Layout::new(self);
        let context: Map<String, Value> = PREFIXES
            .iter()
            .map(|(prefix, namespace)| ((*prefix).to_owned(), Value::from(*namespace)))
            .collect();
        let nodes: Vec<Value> = layout.top_level().map(|subject| node(&layout, subject, true)).collect();
        json!({ "@context": context, "@graph": nodes })
    }
}

fn node(layout: &Layout<'_>, subject: &Subject, with_id: bool) -> Value {
    let mut object = Map::new();
    match subject {
        Subject::Iri(iri) => {
            object.insert("@id".into(), Value::from(iri.as_str()));
        }
        Subject::Blank(label) if with_id => {
            object.insert("@id".into(), Value::from(format!("_:{label}")));
        }
        Subject::Blank(_) => {}
    }
    for (predicate, objects) in layout.properties(subject) {
        let (key, values): (String, Vec<Value>) = if *predicate == RDF_TYPE {
            let types = objects
                .iter()
                .map(|object| match object {
                    Term::Iri(iri) => Value::from(term(iri)),
                    Term::Blank(label) => Value::from(format!("_:{label}")),
                    // rdf:type with a literal value cannot be written as @type.
                    Term::Literal(literal) => Value::from(literal.value.as_str()),
                })
                .collect();
            ("@type".into(), types)
        } else {
            (
                term(predicate),
                objects.iter().map(|object| value(layout, object)).collect(),
            )
        };
        let value = if values.len() == 1 {
            values.into_iter().next().unwrap_or_default()
        } else {
            Value::Array(values)
        };
        object.insert(key, value);
    }
    Value::Object(object)
}

fn value(layout: &Layout<'_>, object: &Term) -> Value {
    match object {
        Term::Iri(iri) => json!({ "@id": iri }),
        Term::Blank(label) if layout.is_nested(label) => node(layout, &Subject::Blank(label.clone()), false),
        Term::Blank(label) => json!({ "@id": format!("_:{label}") }),
        Term::Literal(literal) => match &literal.kind {
            LiteralKind::Plain => Value::from(literal.value.as_str()),
            LiteralKind::Lang(lang) => json!({ "@value": literal.value, "@language": lang }),
            LiteralKind::Typed(datatype) => json!({ "@value": literal.value, "@type": term(datatype) }),
        },
    }
}

/// A property or type as `prefix:local` when it compacts, else the full IRI.
fn term(iri: &str) -> String {
    match compact(iri) {
        Some((prefix, local)) => format!("{prefix}:{local}"),
        None => iri.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Term;

    #[test]
    fn values_take_their_json_ld_forms() {
        let mut graph = Graph::new();
        let s = Subject::Iri("https://x.id/dataset/1".into());
        graph.add(&s, RDF_TYPE, Term::iri("http://www.w3.org/ns/dcat#Dataset"));
        graph.add(
            &s,
            "http://purl.org/dc/terms/title",
            Term::lang("Judul \"kutip\"\n<b>", "id"),
        );
        graph.add(&s, "http://www.w3.org/ns/dcat#keyword", Term::plain("a"));
        graph.add(&s, "http://www.w3.org/ns/dcat#keyword", Term::plain("b"));
        let b = graph.blank();
        graph.add(&s, "http://purl.org/dc/terms/spatial", b.clone().into());
        graph.add(&b, "http://purl.org/dc/terms/identifier", Term::plain("61.71"));
        let doc = graph.to_jsonld();
        assert_eq!(doc["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
        let node = &doc["@graph"][0];
        assert_eq!(node["@id"], "https://x.id/dataset/1");
        assert_eq!(node["@type"], "dcat:Dataset");
        assert_eq!(
            node["dct:title"],
            json!({"@value": "Judul \"kutip\"\n<b>", "@language": "id"})
        );
        assert_eq!(node["dcat:keyword"], json!(["a", "b"]));
        assert_eq!(node["dct:spatial"], json!({"dct:identifier": "61.71"}));
        assert_eq!(doc["@graph"].as_array().map(Vec::len), Some(1));
    }
}
