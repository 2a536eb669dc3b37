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
characters and percent-encode the rest (see :func:`segment`).

Output is canonical: :func:`to_turtle` and :func:`to_trig` do not use rdflib's
serialisers (their order of graphs and prefixes follows Python's per-process
string hashing) but write sorted subjects, predicates and objects themselves,
so one extraction always gives byte-identical files.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import re

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.model import Extraction
from kg.graph.namespace import (
    CLASS_IRIS,
    DOC,
    FACT,
    GRAPH,
    ID,
    KG,
    MEMBERSHIP,
    ORG,
    POST,
    PREDICATE_IRIS,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    ROLE,
    RUN,
    SKOS,
    XSD,
)
from kg.graph.turtle import clean, quad_key, serialize_trig, serialize_turtle

Triple = tuple[Node, URIRef, Node]
Quad = tuple[Node, URIRef, Node, "URIRef | None"]

# --------------------------------------------------------------------------- IRIs

ENTITY_SAFE = re.compile(r"[a-z0-9-]")
DOC_SAFE = re.compile(r"[A-Za-z0-9_-]")
ROLE_SAFE = re.compile(r"[A-Za-z0-9-]")
MAX_SEGMENT = 120
# "%2D" (an encoded "-") never comes out of encoding, because "-" is always kept:
# it marks the empty string and the hash tail of over-long segments unambiguously.
MARK = "%2D"


def segment(text: str, safe: re.Pattern[str] = ENTITY_SAFE, space: str | None = None) -> str:
    """``text`` as one IRI path segment: safe characters kept, the rest percent-encoded (UTF-8).

    Injective: ``%`` is never safe, so an encoded string cannot equal a plain
    one. ``space`` (if given, e.g. ``_``) replaces spaces; that character is
    then itself encoded wherever it occurs. Empty text gives ``%2D``; over-long
    segments are cut and end with ``%2D`` + 16 hex digits of a SHA-256.
    """
    if not text:
        return MARK
    parts = []
    for char in text:
        if space is not None and char == " ":
            parts.append(space)
        elif safe.fullmatch(char) and char != space:
            parts.append(char)
        else:
            parts.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass")))
    out = "".join(parts)
    if len(out) > MAX_SEGMENT:
        head, size = [], 0
        for part in parts:
            if size + len(part) > MAX_SEGMENT - 19:
                break
            head.append(part)
            size += len(part)
        out = "".join(head) + MARK + digest(text)[:16]
    return out


def digest(*parts: object) -> str:
    data = json.dumps(parts, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def entity_iri(entity_id: str) -> URIRef:
    return ID[segment(entity_id)]


def document_iri(doc_id: str) -> URIRef:
    return DOC[segment(doc_id, DOC_SAFE)]


def graph_iri(doc_id: str) -> URIRef:
    """The named graph holding what document ``doc_id`` states."""
    return GRAPH[segment(doc_id, DOC_SAFE)]


def role_iri(title: str) -> URIRef:
    return ROLE[segment(title, ROLE_SAFE, space="_")]


def post_iri(org_id: str, title: str) -> URIRef:
    return POST[segment(org_id) + "/" + segment(title, ROLE_SAFE, space="_")]


def run_iri(ner_model: str) -> URIRef:
    return RUN[segment(ner_model, DOC_SAFE)]


# ----------------------------------------------------------------------- literals

LANG_TAG = re.compile(r"[a-z]{1,8}(-[a-z0-9]{1,8})*")
DATE_PATTERNS = (
    (re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"), XSD.date),
    (re.compile(r"--(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"), XSD.gMonthDay),
    (re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])"), XSD.gYearMonth),
    (re.compile(r"-?\d{4,}"), XSD.gYear),
)


def text(value: str, lang: str | None = None) -> Literal:
    """A string literal, language-tagged when ``lang`` is a well-formed tag (lower-cased)."""
    tag = (lang or "").strip().lower().replace("_", "-")
    if tag and LANG_TAG.fullmatch(tag):
        return Literal(clean(value), lang=tag)
    return Literal(clean(value))


def integer(value: int) -> Literal:
    return Literal(str(int(value)), datatype=XSD.integer)


def decimal(value: float) -> Literal:
    """A confidence as ``xsd:decimal`` in canonical form; NaN and infinities as ``xsd:double``."""
    value = float(value)
    if math.isnan(value):
        return Literal("NaN", datatype=XSD.double)
    if math.isinf(value):
        return Literal("INF" if value > 0 else "-INF", datatype=XSD.double)
    lexical = f"{value:.6f}".rstrip("0")
    if lexical.endswith("."):
        lexical += "0"
    if lexical in ("-0.0",):
        lexical = "0.0"
    return Literal(lexical, datatype=XSD.decimal)


def boolean(value: str) -> Literal:
    return Literal("true" if str(value).strip().lower() in ("true", "1", "yes") else "false", datatype=XSD.boolean)


def date(value: str) -> Literal:
    """``2023-10-09`` as xsd:date, ``--10-09`` as xsd:gMonthDay, … anything else as a plain string."""
    value = value.strip()
    for pattern, datatype in DATE_PATTERNS:
        if pattern.fullmatch(value):
            if datatype == XSD.date and not valid_date(value):
                break
            return Literal(value, datatype=datatype)
    return text(value)


def valid_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def any_uri(value: str) -> Literal:
    return Literal(clean(value.strip()), datatype=XSD.anyURI)


# ------------------------------------------------------------------------ quads


def quads(extraction: Extraction) -> list[Quad]:
    """Every statement of the extraction as (s, p, o, graph) with graph None = default graph; sorted, unique."""
    out: set[Quad] = set()

    def add(s: Node, p: URIRef, o: Node, g: URIRef | None = None) -> None:
        out.add((s, p, o, g))

    documents = {d.id: d for d in extraction.documents}
    labels = {e.id: e.label for e in extraction.entities}
    run = run_iri(extraction.ner_model)
    add(run, RDF.type, KG.ExtractionRun)
    add(run, RDFS.label, text(f"kg extraction run (NER: {extraction.ner_model})", "en"))
    add(run, KG.nerModel, text(extraction.ner_model))

    referenced: set[str] = set(documents)

    def doc_node(doc_id: str) -> URIRef:
        referenced.add(doc_id)
        return document_iri(doc_id)

    for document in extraction.documents:
        node = document_iri(document.id)
        add(node, KG.language, text(document.lang))
        if document.source_url:
            add(node, KG.sourceUrl, any_uri(document.source_url))
        if document.year:
            add(node, KG.year, Literal(f"{document.year:04d}", datatype=XSD.gYear))

    for entity in extraction.entities:
        subject = entity_iri(entity.id)
        cls = CLASS_IRIS.get(entity.type)
        if cls is not None:
            add(subject, RDF.type, cls)
        add(subject, RDFS.label, text(entity.label))
        for surface, lang in sorted(entity.alt_labels):
            add(subject, SKOS.altLabel, text(surface, lang))
        for doc_id in entity.docs():
            add(subject, KG.mentionedIn, doc_node(doc_id))
        for key, value in sorted(entity.attrs.items()):
            add_attribute(add, subject, key, value, doc_node)
        for post in entity.posts:
            graph = graph_iri(post.doc_id)
            source = doc_node(post.doc_id)
            role = role_iri(post.title)
            add(role, RDF.type, ORG.Role)
            add(role, RDFS.label, text(post.title, "en"))
            if not post.org:
                add(subject, KG.postTitle, text(post.title, "en"), graph)
                continue
            org = entity_iri(post.org)
            seat = post_iri(post.org, post.title)
            add(seat, RDF.type, ORG.Post)
            add(seat, RDFS.label, text(f"{post.title}, {labels.get(post.org, post.org)}", "en"))
            add(seat, ORG.postIn, org)
            add(seat, ORG.role, role)
            add(subject, ORG.holds, seat, graph)
            membership = MEMBERSHIP[digest("membership", entity.id, post.org, post.title, post.doc_id, post.date)[:24]]
            add(membership, RDF.type, ORG.Membership, graph)
            add(membership, ORG.member, subject, graph)
            add(membership, ORG.organization, org, graph)
            add(membership, ORG.role, role, graph)
            add(membership, KG.postTitle, text(post.title, "en"), graph)
            add(membership, KG.document, source, graph)
            add(membership, PROV.wasDerivedFrom, source, graph)
            if post.date:
                add(membership, KG.statedOn, date(post.date), graph)

    for relation in extraction.relations:
        predicate = PREDICATE_IRIS.get(relation.predicate)
        if predicate is None:
            continue
        evidence = relation.evidence
        graph = graph_iri(evidence.doc_id)
        source = doc_node(evidence.doc_id)
        subject, obj = entity_iri(relation.subject), entity_iri(relation.object)
        add(subject, predicate, obj, graph)
        document = documents.get(evidence.doc_id)
        url = evidence.source_url or (document.source_url if document else None)
        assertion = FACT[
            digest(
                "assertion", relation.subject, relation.predicate, relation.object, relation.post,
                evidence.doc_id, evidence.sentence, evidence.start, evidence.end, evidence.text,
                evidence.rule, evidence.confidence, url,
            )[:24]
        ]
        add(assertion, RDF.type, KG.Assertion, graph)
        add(assertion, RDF.subject, subject, graph)
        add(assertion, RDF.predicate, predicate, graph)
        add(assertion, RDF.object, obj, graph)
        add(assertion, KG.document, source, graph)
        add(assertion, PROV.wasDerivedFrom, source, graph)
        add(assertion, PROV.wasGeneratedBy, run, graph)
        add(assertion, KG.sentenceIndex, integer(evidence.sentence), graph)
        add(assertion, KG.startOffset, integer(evidence.start), graph)
        add(assertion, KG.endOffset, integer(evidence.end), graph)
        add(assertion, KG.sentenceText, text(evidence.text, document.lang if document else None), graph)
        add(assertion, KG.rule, text(evidence.rule), graph)
        add(assertion, KG.confidence, decimal(evidence.confidence), graph)
        if url:
            add(assertion, KG.sourceUrl, any_uri(url), graph)
        if relation.post:
            add(assertion, KG.postTitle, text(relation.post, "en"), graph)

    for doc_id in referenced:
        node = document_iri(doc_id)
        add(node, RDF.type, KG.Document)
        add(node, RDFS.label, text(doc_id))
        graph = graph_iri(doc_id)
        add(graph, PROV.wasDerivedFrom, node)
        add(graph, PROV.wasGeneratedBy, run)

    return sorted(out, key=quad_key)


def add_attribute(add, subject: URIRef, key: str, value: str, doc_node) -> None:  # noqa: ANN001
    """One entity attribute of ``kg.model.Entity.attrs`` as a triple of the default graph."""
    if value is None:
        return
    value = str(value)
    if key == "province" and value:
        add(subject, KG.province, entity_iri(value))
    elif key == "scope":
        add(subject, KG.scope, text(value))
    elif key == "event_type":
        add(subject, KG.eventType, text(value))
    elif key == "date" and value:
        add(subject, KG.date, date(value))
    elif key == "doc" and value:
        add(subject, KG.reportedIn, doc_node(value))
    elif key == "main":
        add(subject, KG.isMainEvent, boolean(value))
    elif key == "kind":
        add(subject, KG.locationKind, text(value))
    else:
        add(subject, KG.attribute, text(f"{key}={value}"))


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
    return serialize_turtle((s, p, o) for s, p, o, _ in quads(extraction))


def to_trig(extraction: Extraction) -> str:
    """The dataset (default graph + one named graph per document) as canonical TriG."""
    return serialize_trig(quads(extraction))


__all__ = [
    "build_dataset",
    "document_iri",
    "entity_iri",
    "graph_iri",
    "quads",
    "segment",
    "serialize_trig",
    "serialize_turtle",
    "to_trig",
    "to_turtle",
]
