"""Checks the DCAT-AP 3 feeds with rdflib, the RDF library ckanext-dcat is built on.

Usage: python3 rdflib_check.py DIR

DIR holds catalog.ttl, catalog.rdf and catalog.jsonld (written by tests/rdflib.rs). Each is
parsed with rdflib's own parser for its syntax; the three graphs must be isomorphic; SPARQL
queries then check every required property on the catalog, every dataset, every distribution
and the paging node (its `next` and `previous` exist only where there is such a page, so they
are reported, not required). What is missing is printed, one line per node and property, and the exit
status is 1. On success a JSON summary goes to stdout for the Rust test to compare with its
input.
"""

import json
import sys
from pathlib import Path

import re

from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX vcard: <http://www.w3.org/2006/vcard/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX spdx: <http://spdx.org/rdf/terms#>
PREFIX hydra: <http://www.w3.org/ns/hydra/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

EU = "http://publications.europa.eu/resource/authority/"

# (class, property name as reported, graph pattern about ?n that must match)
REQUIRED = [
    ("dcat:Catalog", "dct:title", "?n dct:title ?v . FILTER(lang(?v) = 'id')"),
    ("dcat:Catalog", "dct:description", "?n dct:description ?v . FILTER(lang(?v) = 'id')"),
    ("dcat:Catalog", "foaf:homepage", "?n foaf:homepage ?v . FILTER(isIRI(?v))"),
    ("dcat:Catalog", "dct:language", f"?n dct:language <{EU}language/IND>"),
    ("dcat:Catalog", "dct:modified", "?n dct:modified ?v . FILTER(datatype(?v) = xsd:dateTime)"),
    ("dcat:Catalog", "dct:publisher", "?n dct:publisher ?p . ?p a foaf:Agent ; foaf:name ?name"),
    ("dcat:Catalog", "dcat:dataset", "?n dcat:dataset ?d . ?d a dcat:Dataset"),
    ("dcat:Dataset", "dct:title", "?n dct:title ?v . FILTER(lang(?v) = 'id')"),
    ("dcat:Dataset", "dct:description", "?n dct:description ?v . FILTER(lang(?v) = 'id')"),
    ("dcat:Dataset", "dcat:keyword", "?n dcat:keyword ?v . FILTER(isLiteral(?v))"),
    ("dcat:Dataset", "dcat:theme", "?n dcat:theme ?v . ?v a skos:Concept ; skos:prefLabel ?l"),
    ("dcat:Dataset", "dct:identifier", "?n dct:identifier ?v . FILTER(isLiteral(?v))"),
    ("dcat:Dataset", "dct:issued", "?n dct:issued ?v . FILTER(datatype(?v) = xsd:dateTime)"),
    ("dcat:Dataset", "dct:modified", "?n dct:modified ?v . FILTER(datatype(?v) = xsd:dateTime)"),
    ("dcat:Dataset", "dcat:version", "?n dcat:version ?v"),
    ("dcat:Dataset", "dct:accrualPeriodicity",
     f"?n dct:accrualPeriodicity ?v . FILTER(STRSTARTS(STR(?v), '{EU}frequency/'))"),
    ("dcat:Dataset", "dct:spatial",
     "?n dct:spatial ?v . ?v a dct:Location ; skos:prefLabel ?l ; dct:identifier ?code"),
    ("dcat:Dataset", "dct:temporal",
     "?n dct:temporal ?v . ?v a dct:PeriodOfTime ; dcat:startDate ?s ; dcat:endDate ?e ."
     " FILTER(datatype(?s) IN (xsd:gYear, xsd:gYearMonth, xsd:date) && datatype(?e) = datatype(?s))"),
    ("dcat:Dataset", "dct:publisher",
     "?n dct:publisher ?v . ?v a foaf:Agent ; foaf:name ?name ; foaf:mbox ?m . FILTER(STRSTARTS(STR(?m), 'mailto:'))"),
    ("dcat:Dataset", "dcat:contactPoint",
     "?n dcat:contactPoint ?v . ?v a vcard:Organization ; vcard:fn ?fn ; vcard:hasEmail ?m ."
     " FILTER(isIRI(?m) && STRSTARTS(STR(?m), 'mailto:'))"),
    ("dcat:Dataset", "dct:accessRights",
     f"?n dct:accessRights ?v . FILTER(STRSTARTS(STR(?v), '{EU}access-right/'))"),
    ("dcat:Dataset", "dct:conformsTo", "?n dct:conformsTo ?v . FILTER(isIRI(?v))"),
    ("dcat:Dataset", "dcat:landingPage", "?n dcat:landingPage ?v . FILTER(isIRI(?v))"),
    ("dcat:Dataset", "dcat:distribution", "?n dcat:distribution ?v . ?v a dcat:Distribution"),
    ("dcat:Distribution", "dct:title", "?n dct:title ?v"),
    ("dcat:Distribution", "dcat:accessURL", "?n dcat:accessURL ?v . FILTER(isIRI(?v))"),
    ("dcat:Distribution", "dcat:downloadURL", "?n dcat:downloadURL ?v . FILTER(isIRI(?v))"),
    ("dcat:Distribution", "dcat:mediaType",
     "?n dcat:mediaType ?v . FILTER(STRSTARTS(STR(?v), 'http://www.iana.org/assignments/media-types/'))"),
    ("dcat:Distribution", "dct:format", "?n dct:format ?v"),
    ("dcat:Distribution", "dct:license", "?n dct:license ?v . FILTER(isIRI(?v))"),
    ("dcat:Distribution", "dcat:byteSize",
     "?n dcat:byteSize ?v . FILTER(datatype(?v) = xsd:nonNegativeInteger)"),
    ("dcat:Distribution", "dct:issued", "?n dct:issued ?v . FILTER(datatype(?v) = xsd:dateTime)"),
    ("dcat:Distribution", "dct:modified", "?n dct:modified ?v . FILTER(datatype(?v) = xsd:dateTime)"),
    ("dcat:Distribution", "spdx:checksum",
     "?n spdx:checksum ?c . ?c a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ;"
     " spdx:checksumValue ?h . FILTER(datatype(?h) = xsd:hexBinary && STRLEN(STR(?h)) = 64)"),
    ("hydra:PagedCollection", "hydra:totalItems", "?n hydra:totalItems ?v"),
    ("hydra:PagedCollection", "hydra:itemsPerPage", "?n hydra:itemsPerPage ?v"),
    ("hydra:PagedCollection", "hydra:first", "?n hydra:first ?v . FILTER(CONTAINS(STR(?v), 'page=1'))"),
    ("hydra:PagedCollection", "hydra:last", "?n hydra:last ?v . FILTER(CONTAINS(STR(?v), 'page='))"),
]


def same_paging_paths(graph: Graph) -> Graph:
    """The graph with its paging links all naming /catalog.ttl: a served feed's paging links
    point back to its own syntax (/catalog.rdf?page=2), which is the only way the three served
    documents of one page differ."""
    def path(term):
        if isinstance(term, URIRef):
            return URIRef(re.sub(r"/catalog\.(rdf|jsonld)(?=\?|$)", "/catalog.ttl", str(term)))
        return term
    out = Graph()
    for s, p, o in graph:
        out.add((path(s), p, path(o)))
    return out


def main() -> int:
    folder = Path(sys.argv[1])
    graphs = {}
    for name, syntax in [("catalog.ttl", "turtle"), ("catalog.rdf", "xml"), ("catalog.jsonld", "json-ld")]:
        graph = Graph()
        graph.parse(folder / name, format=syntax)
        graphs[name] = same_paging_paths(graph)

    problems = []
    sizes = {name: len(graph) for name, graph in graphs.items()}
    if len(set(sizes.values())) != 1:
        problems.append(f"triple counts differ: {sizes}")
    base = graphs["catalog.ttl"]
    for name, graph in graphs.items():
        if not isomorphic(base, graph):
            problems.append(f"{name} is not isomorphic to catalog.ttl")

    counts = {}
    for name, graph in graphs.items():
        for cls, prop, pattern in REQUIRED:
            nodes = graph.query(f"{PREFIXES} SELECT ?n WHERE {{ ?n a {cls} }}")
            counts[cls] = len(nodes)
            if not nodes:
                problems.append(f"{name}: no {cls} at all")
            missing = graph.query(
                f"{PREFIXES} SELECT ?n WHERE {{ ?n a {cls} . FILTER NOT EXISTS {{ {pattern} }} }}"
            )
            for (node,) in missing:
                problems.append(f"{name}: {cls} {node} lacks {prop}")

    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1

    titles = sorted(
        str(row.t) for row in base.query(f"{PREFIXES} SELECT ?t WHERE {{ ?d a dcat:Dataset ; dct:title ?t }}")
    )
    paging = base.query(
        f"{PREFIXES} SELECT ?total ?next WHERE {{ ?p a hydra:PagedCollection ; hydra:totalItems ?total . OPTIONAL {{ ?p hydra:next ?next }} }}"
    )
    total, next_page = next(iter(paging))
    print(json.dumps({
        "triples": sizes["catalog.ttl"],
        "datasets": counts["dcat:Dataset"],
        "distributions": counts["dcat:Distribution"],
        "titles": titles,
        "total_items": int(total),
        "next": str(next_page) if next_page is not None else None,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
