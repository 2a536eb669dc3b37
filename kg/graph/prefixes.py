"""The prefixes of the project's IRIs as plain strings.

``kg.graph.namespace`` holds the same namespaces as rdflib objects; this
module needs no rdflib, so that reading a store (``kg query`` on a ``kg load``
directory) starts without importing it (a third of a 0.3 s command).
``tests/test_ontology.py`` checks that the two agree.
"""

from __future__ import annotations

ONTOLOGY_IRI = "https://w3id.org/kg-vn/ontology"
ID_BASE = "https://w3id.org/kg-vn/id/"

#: Prefixes written at the top of every Turtle/TriG file, in this order.
PREFIXES: tuple[tuple[str, str], ...] = (
    ("kg", ONTOLOGY_IRI + "#"),
    ("id", ID_BASE),
    ("doc", ID_BASE + "doc/"),
    ("g", ID_BASE + "graph/"),
    ("fact", ID_BASE + "assertion/"),
    ("mem", ID_BASE + "membership/"),
    ("post", ID_BASE + "post/"),
    ("role", ID_BASE + "role/"),
    ("run", ID_BASE + "run/"),
    ("org", "http://www.w3.org/ns/org#"),
    ("schema", "https://schema.org/"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
)
