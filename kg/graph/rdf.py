"""RDF stage: the extraction as an RDF dataset (ontology: ``ontology/kg.ttl``).

Layout (the reasons are in ``ontology/README.md``):

* **Default graph** – facts that do not depend on one article: each entity's
  class, its single ``rdfs:label``, ``skos:altLabel`` surface forms with their
  language tag, its attributes (scope, province, event type, date, …), the
  ``kg:mentionedIn`` links to documents, the document nodes themselves, the
  ``org:Role`` / ``org:Post`` nodes and the extraction run.
* **One named graph per article** (``g:<doc>``) – what that article states:
  the relation triples (``id:a kg:chaired id:b``), one reified
  ``kg:Assertion`` node per extracted fact (``rdf:subject`` / ``rdf:predicate``
  / ``rdf:object`` + document, sentence index, character offsets, sentence
  text, rule, confidence, source URL) and the ``org:Membership`` nodes of the
  posts the article gives.

Every node has an IRI under ``https://w3id.org/kg-vn/id/`` (no blank nodes):
entities ``id:<slug>``, documents ``doc:<id>``, graphs ``g:<id>``, roles
``role:<Title_With_Underscores>``, posts ``post:<org>/<role>``, assertions
and memberships ``fact:<hash>`` / ``mem:<hash>`` (a SHA-256 of their content,
so the same fact always gets the same IRI). Path segments keep only safe
characters and percent-encode the rest (``kg.graph.iris``).

Output is canonical: :func:`to_turtle` and :func:`to_trig` do not use rdflib's
serialisers (their order of graphs and prefixes follows Python's per-process
string hashing) but write sorted subjects, predicates and objects themselves,
so one extraction always gives byte-identical files. The statements
themselves are made in ``kg.graph.statements`` (re-exported here), as plain
term tuples every writer reads; this module gives them as rdflib terms.
"""

from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.model import Extraction
from kg.graph.namespace import PREFIXES
from kg.graph import terms
from kg.graph.iris import document_iri, entity_iri, graph_iri, role_iri, segment
from kg.graph.statements import Minter, graph_part, statements, view_statements  # noqa: F401 - the statements, importable from here
from kg.graph.terms import to_rdflib
from kg.graph.turtle import serialize_trig, serialize_turtle

Triple = tuple[Node, URIRef, Node]
Quad = tuple[Node, URIRef, Node, "URIRef | None"]

# ----------------------------------------------------------------------- literals
# rdflib versions of the kg.graph.terms helpers (for callers that want rdflib terms).


def text(value: str, lang: str | None = None) -> Literal:
    """A string literal, language-tagged when ``lang`` is a well-formed tag (lower-cased)."""
    return to_rdflib(terms.text(value, lang))


def integer(value: int) -> Literal:
    return to_rdflib(terms.integer(value))


def decimal(value: float) -> Literal:
    """A confidence as ``xsd:decimal`` in canonical form; NaN and infinities as ``xsd:double``."""
    return to_rdflib(terms.decimal(value))


def boolean(value: str) -> Literal:
    return to_rdflib(terms.boolean(value))


def date(value: str) -> Literal:
    """``2023-10-09`` as xsd:date, ``--10-09`` as xsd:gMonthDay, … anything else as a plain string."""
    return to_rdflib(terms.date(value))


def any_uri(value: str) -> Literal:
    return to_rdflib(terms.any_uri(value))


def quads(extraction: Extraction) -> list[Quad]:
    """Every statement of the extraction as rdflib (s, p, o, graph), graph None = default graph; sorted, unique."""
    unique = sorted(set(statements(extraction)), key=lambda q: ("" if q[3] is None else q[3][1], q[0], q[1], q[2]))
    return [(to_rdflib(s), to_rdflib(p), to_rdflib(o), None if g is None else to_rdflib(g)) for s, p, o, g in unique]


def triples(extraction: Extraction) -> set[tuple]:
    """The statements of all graphs merged: the set of (s, p, o) terms ``graph.ttl`` holds."""
    return {(s, p, o) for s, p, o, _ in statements(extraction, graphs=False)}


# ------------------------------------------------------------------ public API


def build_dataset(extraction: Extraction) -> Dataset:
    """The extraction as an rdflib Dataset: default graph + one named graph per document."""
    dataset = Dataset()
    for prefix, namespace in PREFIXES:
        dataset.bind(prefix, namespace, override=True, replace=True)
    graphs: dict[URIRef, Graph] = {}
    default = dataset.default_graph
    for s, p, o, g in quads(extraction):
        if g is None:
            default.add((s, p, o))
        else:
            if g not in graphs:
                graphs[g] = dataset.graph(g)
            graphs[g].add((s, p, o))
    return dataset


def to_turtle(extraction: Extraction) -> str:
    """All statements merged into one graph, as canonical Turtle."""
    return serialize_turtle(triples(extraction))


def to_trig(extraction: Extraction) -> str:
    """The dataset (default graph + one named graph per document) as canonical TriG."""
    return serialize_trig(set(statements(extraction)))


__all__ = [
    "Minter",
    "build_dataset",
    "document_iri",
    "graph_part",
    "entity_iri",
    "graph_iri",
    "quads",
    "role_iri",
    "segment",
    "statements",
    "serialize_trig",
    "serialize_turtle",
    "to_trig",
    "to_turtle",
    "view_statements",
]
