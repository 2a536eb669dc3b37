"""The ontology is well formed, documented and defines every kg: term the code uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef

from kg.graph import namespace as ns
from kg.model import ENTITY_TYPES, PREDICATES
from kg.graph.namespace import CLASS_IRIS, KG, OWL, PREDICATE_IRIS, RDF, RDFS

# rdflib's closed namespaces warn when pytest probes module attributes, so they stay behind ``ns.``

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "kg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
NS = str(KG._NS)
TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY, format="turtle")


def defined_terms(graph: rdflib.Graph) -> set[str]:
    return {
        str(s)[len(NS):]
        for t in TERM_TYPES
        for s in graph.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(NS)
    }


def used_terms() -> dict[str, set[str]]:
    """kg: terms named in the code: ``KG.xxx`` / ``KG["xxx"]`` and full IRIs of the namespace."""
    pattern = re.compile(r"\bKG(?:\.(\w+)|\[\s*[\"'](\w+)[\"']\s*\])|" + re.escape(NS) + r"(\w+)")
    uses: dict[str, set[str]] = {}
    for path in sorted((ROOT / "kg").rglob("*.py")):
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            name = next(g for g in match.groups() if g)
            if not name.startswith("_"):
                uses.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return uses


def test_ontology_parses_and_declares_itself(ontology):
    assert (URIRef("https://w3id.org/kg-vn/ontology"), RDF.type, OWL.Ontology) in ontology


def test_every_kg_term_used_in_code_is_defined(ontology):
    defined = defined_terms(ontology)
    missing = {name: files for name, files in used_terms().items() if name not in defined}
    assert not missing, f"kg: terms used in code but not defined in ontology/kg.ttl: {missing}"


def test_namespace_module_lists_exactly_the_ontology_terms(ontology):
    declared = {name for name in KG.__annotations__ if not name.startswith("_")}
    assert declared == defined_terms(ontology)


def test_every_term_has_english_label_and_comment(ontology):
    for name in sorted(defined_terms(ontology)):
        term = KG[name]
        labels = [o for o in ontology.objects(term, RDFS.label) if isinstance(o, Literal) and o.language == "en"]
        comments = [o for o in ontology.objects(term, RDFS.comment) if isinstance(o, Literal) and o.language == "en"]
        assert len(labels) == 1, f"kg:{name} needs one English rdfs:label"
        assert comments and all(len(c) > 10 for c in comments), f"kg:{name} needs an English rdfs:comment"


def test_no_dangling_kg_references(ontology):
    """Every kg: IRI mentioned anywhere in the ontology or the shapes is defined."""
    defined = defined_terms(ontology)
    graphs = [ontology, rdflib.Graph().parse(SHAPES, format="turtle")]
    for graph in graphs:
        for triple in graph:
            for term in triple:
                if isinstance(term, URIRef) and str(term).startswith(NS):
                    assert str(term)[len(NS):] in defined, term


def test_model_types_and_predicates_have_terms(ontology):
    assert set(CLASS_IRIS) == set(ENTITY_TYPES)
    assert set(PREDICATE_IRIS) == set(PREDICATES)
    for cls in CLASS_IRIS.values():
        assert (cls, RDF.type, OWL.Class) in ontology
    for prop in PREDICATE_IRIS.values():
        assert (prop, RDF.type, OWL.ObjectProperty) in ontology
        assert ontology.value(prop, RDFS.domain) is not None
        assert ontology.value(prop, RDFS.range) is not None


def union_members(graph: rdflib.Graph, node) -> set:
    if isinstance(node, URIRef):
        return {node}
    members = graph.value(node, OWL.unionOf)
    return set(rdflib.collection.Collection(graph, members))


GOLD_TABLE = {
    "chaired": ({"Person"}, {"Event"}),
    "attended": ({"Person", "Organization"}, {"Event"}),
    "spokeAt": ({"Person"}, {"Event"}),
    "organized": ({"Organization"}, {"Event"}),
    "launched": ({"Person", "Organization"}, {"Campaign"}),
    "implements": ({"Organization"}, {"Campaign"}),
    "holdsPost": ({"Person"}, {"Organization"}),
    "subOrganizationOf": ({"Organization"}, {"Organization"}),
    "memberOf": ({"Organization"}, {"Organization"}),
    "locatedIn": ({"Organization", "Event"}, {"Location"}),
}


@pytest.mark.parametrize("predicate", sorted(GOLD_TABLE))
def test_domains_and_ranges_follow_the_gold_table(ontology, predicate):
    domain, range_ = GOLD_TABLE[predicate]
    prop = KG[predicate]
    assert union_members(ontology, ontology.value(prop, RDFS.domain)) == {KG[c] for c in domain}
    assert union_members(ontology, ontology.value(prop, RDFS.range)) == {KG[c] for c in range_}


def test_alignments(ontology):
    expected = [
        (KG.Person, OWL.equivalentClass, ns.FOAF.Person),
        (KG.Organization, OWL.equivalentClass, ns.ORG.Organization),
        (KG.Event, RDFS.subClassOf, ns.SCHEMA.Event),
        (KG.Assertion, RDFS.subClassOf, ns.PROV.Entity),
        (KG.Document, RDFS.subClassOf, ns.PROV.Entity),
        (KG.attended, OWL.inverseOf, ns.SCHEMA.attendee),
        (KG.organized, OWL.inverseOf, ns.SCHEMA.organizer),
        (KG.subOrganizationOf, OWL.equivalentProperty, ns.ORG.subOrganizationOf),
        (KG.memberOf, RDFS.subPropertyOf, ns.ORG.memberOf),
        (KG.holdsPost, RDFS.subPropertyOf, ns.ORG.memberOf),
        (KG.locatedIn, RDFS.subPropertyOf, ns.SCHEMA.location),
        (KG.document, RDFS.subPropertyOf, ns.PROV.wasDerivedFrom),
    ]
    for triple in expected:
        assert triple in ontology, triple


def test_external_terms_used_in_code_exist():
    """Every ORG./SCHEMA./PROV./FOAF./SKOS. term named in kg/*.py is a term of that vocabulary."""
    vocabularies = {"ORG": ns.ORG, "SCHEMA": ns.SCHEMA, "SDO": ns.SCHEMA, "PROV": ns.PROV, "FOAF": ns.FOAF,
                    "SKOS": ns.SKOS}
    pattern = re.compile(r"\b(" + "|".join(vocabularies) + r")\.([A-Za-z]\w*)")
    seen = 0
    for path in sorted((ROOT / "kg").rglob("*.py")):
        for prefix, name in pattern.findall(path.read_text(encoding="utf-8")):
            vocabulary = vocabularies[prefix]
            assert name in vocabulary.__annotations__, f"{path.name}: {prefix}.{name} is not a term of {vocabulary._NS}"
            seen += 1
    assert seen > 5
    with pytest.raises(AttributeError):
        KG.notATerm  # noqa: B018


def test_the_plain_prefixes_are_the_namespaces_of_the_rdf_code() -> None:
    # kg.graph.prefixes spells the namespaces without rdflib (fast start of `kg query`); they must not drift.
    from rdflib.namespace import FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

    from kg.graph import namespace as ns
    from kg.graph.prefixes import PREFIXES

    expected = {
        "kg": ns.KG._NS, "id": ns.ID, "doc": ns.DOC, "g": ns.GRAPH, "fact": ns.FACT, "mem": ns.MEMBERSHIP, "post": ns.POST,
        "role": ns.ROLE, "run": ns.RUN, "org": ORG._NS, "schema": SDO._NS, "prov": PROV._NS, "foaf": FOAF._NS,
        "skos": SKOS._NS, "rdf": RDF._NS, "rdfs": RDFS._NS, "owl": OWL._NS, "xsd": XSD._NS,
    }
    assert dict(PREFIXES) == {prefix: str(namespace) for prefix, namespace in expected.items()}
    assert [prefix for prefix, _ in PREFIXES] == list(expected)
