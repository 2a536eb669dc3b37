"""The one place code refers to ontology terms and instance IRIs.

``KG`` is a closed namespace: it lists every term of ``ontology/kg.ttl`` and
raises on any other name, so a misspelt term fails at once instead of minting
an undefined IRI (``tests/test_ontology.py`` checks that this list, the terms
used in ``kg/*.py`` and the ontology agree). The other vocabularies are
rdflib's closed namespaces of the W3C and schema.org vocabularies.

Instance IRIs live under ``ID`` (``https://w3id.org/kg-vn/id/``); see
``kg/rdf.py`` for how each kind of node is named.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

from kg.graph.prefixes import ID_BASE, ONTOLOGY_IRI, PREFIXES
from kg.model import ENTITY_TYPES, PREDICATES

#: Instance IRIs: entities are ``ID[<slug>]``, the other kinds sit in sub-namespaces below.
ID = Namespace(ID_BASE)
DOC = Namespace(ID_BASE + "doc/")
GRAPH = Namespace(ID_BASE + "graph/")
FACT = Namespace(ID_BASE + "assertion/")
MEMBERSHIP = Namespace(ID_BASE + "membership/")
POST = Namespace(ID_BASE + "post/")
ROLE = Namespace(ID_BASE + "role/")
RUN = Namespace(ID_BASE + "run/")

SCHEMA = SDO  # https://schema.org/


class KG(DefinedNamespace):
    """Terms of ``ontology/kg.ttl`` (``https://w3id.org/kg-vn/ontology#``)."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes
    Person: URIRef
    Organization: URIRef
    Event: URIRef
    Campaign: URIRef
    Location: URIRef
    Assertion: URIRef
    Document: URIRef
    ExtractionRun: URIRef

    # the ten relation predicates of the gold annotations
    chaired: URIRef
    attended: URIRef
    spokeAt: URIRef
    organized: URIRef
    launched: URIRef
    implements: URIRef
    holdsPost: URIRef
    subOrganizationOf: URIRef
    memberOf: URIRef
    locatedIn: URIRef

    # other object properties
    province: URIRef
    mentionedIn: URIRef
    reportedIn: URIRef
    document: URIRef

    # evidence (assertion) properties
    sentenceIndex: URIRef
    startOffset: URIRef
    endOffset: URIRef
    sentenceText: URIRef
    rule: URIRef
    confidence: URIRef
    sourceUrl: URIRef

    # posts and memberships
    postTitle: URIRef
    statedOn: URIRef

    # entity and document attributes
    date: URIRef
    eventType: URIRef
    isMainEvent: URIRef
    scope: URIRef
    locationKind: URIRef
    attribute: URIRef
    language: URIRef
    year: URIRef
    nerModel: URIRef


#: Predicate name of the data model (``kg.model.PREDICATES``) -> property IRI.
PREDICATE_IRIS: dict[str, URIRef] = {name: KG[name] for name in PREDICATES}

#: Entity type of the data model (``kg.model.ENTITY_TYPES``) -> class IRI.
CLASS_IRIS: dict[str, URIRef] = {name: KG[name] for name in ENTITY_TYPES}

__all__ = [
    "CLASS_IRIS",
    "DOC",
    "FACT",
    "FOAF",
    "GRAPH",
    "ID",
    "ID_BASE",
    "KG",
    "MEMBERSHIP",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "POST",
    "PREDICATE_IRIS",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "ROLE",
    "RUN",
    "SCHEMA",
    "SKOS",
    "XSD",
]
