"""The statements of a corpus: each entity, relation, assertion, membership and document as plain term tuples.

The RDF stage (``kg.graph.rdf``; the layout and the reasons are in
``ontology/README.md``) writes these: every writer (Turtle, N-Triples,
N-Quads, the rdflib dataset) reads one stream of ``kg.graph.terms`` tuples
(s, p, o, graph), graph None for the default graph, made here from a corpus
view (``kg.graph.view``) in a fixed order. The IRIs of the nodes that stand
for a piece of content (a membership, an assertion) are a digest of it
(``membership_iri``, ``assertion_iri``), so the same content always gets the
same IRI; ``kg.corpus.spliced`` relies on it to find the parts of a build's
files that changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.graph import terms
from kg.graph.iris import DOC_SAFE, digest, post_iri, role_iri, run_iri, segment
from kg.graph.namespace import CLASS_IRIS, DOC, FACT, GRAPH, ID, KG, MEMBERSHIP, ORG, PREDICATE_IRIS, PROV, RDF, RDFS, SKOS
from kg.model import ALSO_REPORTED, Document, Extraction, Post, Relation

if TYPE_CHECKING:
    from kg.graph.view import CorpusView

T_TYPE, T_LABEL, T_ALT = (0, str(RDF.type)), (0, str(RDFS.label)), (0, str(SKOS.altLabel))
T_SUBJECT, T_PREDICATE, T_OBJECT = (0, str(RDF.subject)), (0, str(RDF.predicate)), (0, str(RDF.object))
T_DERIVED, T_GENERATED = (0, str(PROV.wasDerivedFrom)), (0, str(PROV.wasGeneratedBy))
T_ROLE_CLASS, T_POST_CLASS, T_MEMBERSHIP_CLASS = (0, str(ORG.Role)), (0, str(ORG.Post)), (0, str(ORG.Membership))
T_POST_IN, T_ROLE, T_HOLDS = (0, str(ORG.postIn)), (0, str(ORG.role)), (0, str(ORG.holds))
T_MEMBER, T_ORGANIZATION = (0, str(ORG.member)), (0, str(ORG.organization))
K = {name: (0, str(KG[name])) for name in (
    "ExtractionRun", "Assertion", "Document", "nerModel", "language", "sourceUrl", "year", "mentionedIn",
    "postTitle", "document", "statedOn", "sentenceIndex", "startOffset", "endOffset", "sentenceText",
    "rule", "confidence", "province", "scope", "eventType", "date", "reportedIn", "isMainEvent",
    "locationKind", "attribute",
)}
T_CLASSES = {name: (0, str(iri)) for name, iri in CLASS_IRIS.items()}
T_PREDICATES = {name: (0, str(iri)) for name, iri in PREDICATE_IRIS.items()}


class Minter:
    """IRIs of entities, documents and graphs as terms, the most recently used kept minted.

    Bounded, not one per entity of the build: at 10^5 articles the entities'
    IRIs alone would be a hundred megabytes held to the end of the outputs.
    """

    SIZE = 1 << 16

    def __init__(self) -> None:
        self.entity = lru_cache(maxsize=self.SIZE)(lambda entity_id: (0, str(ID) + segment(entity_id)))
        self.document = lru_cache(maxsize=self.SIZE)(lambda doc_id: (0, str(DOC) + segment(doc_id, DOC_SAFE)))
        self.graph = lru_cache(maxsize=self.SIZE)(lambda doc_id: (0, str(GRAPH) + segment(doc_id, DOC_SAFE)))


def statements(extraction: Extraction, graphs: bool = True) -> Iterator[tuple]:
    """Every statement of the extraction as (s, p, o, graph) ``kg.graph.terms`` tuples, graph None = default (``view_statements``)."""
    from kg.graph.view import ExtractionView

    return view_statements(ExtractionView(extraction), graphs)


def view_statements(view: CorpusView, graphs: bool = True, referenced: dict[str, None] | None = None) -> Iterator[tuple]:
    """Every statement of a corpus (``kg.graph.view``) as (s, p, o, graph) ``kg.graph.terms`` tuples, graph None = default.

    With ``graphs`` False every graph is None: the statements of the merged
    graph (``graph.ttl``, ``graph.nt``), each once.

    A stream in a fixed order (documents, entities by id, relations in their
    sorted order, then the document nodes): the same extraction always gives
    the same stream. Statements about one entity, one relation or one shared
    node (roles, posts, documents) are written once; the same relation stated
    twice by one article's sentences gives its triple twice in a row.
    ``referenced``, when given, collects the ids of the documents named.
    """
    mint = Minter()
    if referenced is None:
        referenced = {}  # the documents named so far, each given its node at the end
    yield from entity_statements(view, graphs, mint, referenced)
    yield from relation_statements(view, graphs, mint, referenced)
    yield from document_nodes(view, mint, referenced)


def graph_part(view: CorpusView, part: str) -> Iterator[tuple]:
    """One of the two parts (``entities``, ``relations``) whose statements together are ``view_statements(view, graphs=False)``'s, as (s, p, o).

    Not in its order (each part gives the nodes of the documents it names), so
    for a graph written as a set, ``graph.ttl``: two processes can make its
    runs (``kg.corpus.writers``).
    """
    mint = Minter()
    referenced: dict[str, None] = {}
    statements = entity_statements if part == "entities" else relation_statements
    for s, p, o, _ in statements(view, False, mint, referenced):
        yield s, p, o
    for s, p, o, _ in document_nodes(view, mint, referenced):
        yield s, p, o


def entity_statements(view: CorpusView, graphs: bool, mint: Minter, referenced: dict[str, None]) -> Iterator[tuple]:
    """The extraction run, the documents, and each entity with its labels, attributes and posts; the documents named go into ``referenced``."""
    in_graph = mint.graph if graphs else lambda doc_id: None
    run = (0, str(run_iri(view.ner_model)))
    yield run, T_TYPE, K["ExtractionRun"], None
    yield run, T_LABEL, terms.text(f"kg extraction run (NER: {view.ner_model})", "en"), None
    yield run, K["nerModel"], terms.text(view.ner_model), None

    for document in view.documents():
        referenced[document.id] = None
        node = mint.document(document.id)
        yield node, K["language"], terms.text(document.lang), None
        if document.source_url:
            yield node, K["sourceUrl"], terms.any_uri(document.source_url), None
        if document.year:
            yield node, K["year"], terms.year(document.year), None

    roles: set[str] = set()
    seats: set[tuple[str, str]] = set()
    for entity, docs in view.entities():
        subject = mint.entity(entity.id)
        own: set[tuple] = set()
        cls = T_CLASSES.get(entity.type)
        if cls is not None:
            yield subject, T_TYPE, cls, None
        yield subject, T_LABEL, terms.text(entity.label), None
        for surface, lang in sorted(entity.alt_labels):
            yield subject, T_ALT, terms.text(surface, lang), None
        for doc_id in docs:
            referenced.setdefault(doc_id)
            yield subject, K["mentionedIn"], mint.document(doc_id), None
        for key, value in sorted(entity.attrs.items()):
            if key == ALSO_REPORTED:  # an event merged across articles: reported in each
                for doc_id in json.loads(value):
                    referenced.setdefault(doc_id)
                    yield subject, K["reportedIn"], mint.document(doc_id), None
                continue
            statement = attribute(subject, key, value, mint, referenced)
            if statement is not None and statement not in own:
                own.add(statement)
                yield statement
        for post in entity.posts:
            graph = in_graph(post.doc_id)
            referenced.setdefault(post.doc_id)
            source = mint.document(post.doc_id)
            role = (0, str(role_iri(post.title)))
            if post.title not in roles:
                roles.add(post.title)
                yield role, T_TYPE, T_ROLE_CLASS, None
                yield role, T_LABEL, terms.text(post.title, "en"), None
            if not post.org:
                statement = (subject, K["postTitle"], terms.text(post.title, "en"), graph)
                if statement not in own:
                    own.add(statement)
                    yield statement
                continue
            org = mint.entity(post.org)
            seat = (0, str(post_iri(post.org, post.title)))
            if (post.org, post.title) not in seats:
                seats.add((post.org, post.title))
                yield seat, T_TYPE, T_POST_CLASS, None
                org_label = view.label(post.org)
                yield seat, T_LABEL, terms.text(f"{post.title}, {post.org if org_label is None else org_label}", "en"), None
                yield seat, T_POST_IN, org, None
                yield seat, T_ROLE, role, None
            membership = (0, membership_iri(entity.id, post))
            block = [
                (subject, T_HOLDS, seat, graph),
                (membership, T_TYPE, T_MEMBERSHIP_CLASS, graph),
                (membership, T_MEMBER, subject, graph),
                (membership, T_ORGANIZATION, org, graph),
                (membership, T_ROLE, role, graph),
                (membership, K["postTitle"], terms.text(post.title, "en"), graph),
                (membership, K["document"], source, graph),
                (membership, T_DERIVED, source, graph),
            ]
            if post.date:
                block.append((membership, K["statedOn"], terms.date(post.date), graph))
            for statement in block:
                if statement not in own:
                    own.add(statement)
                    yield statement


def relation_statements(view: CorpusView, graphs: bool, mint: Minter, referenced: dict[str, None], assertions_too: bool = True) -> Iterator[tuple]:
    """Each relation's fact and (unless not ``assertions_too``) its assertion of each evidence; the documents named go into ``referenced``."""
    in_graph = mint.graph if graphs else lambda doc_id: None
    run = (0, str(run_iri(view.ner_model)))
    previous: tuple | None = None
    assertions: set[tuple] = set()
    for relation in view.relations():
        predicate = T_PREDICATES.get(relation.predicate)
        if predicate is None:
            continue
        evidence = relation.evidence
        graph = in_graph(evidence.doc_id)
        referenced.setdefault(evidence.doc_id)
        source = mint.document(evidence.doc_id)
        subject, obj = mint.entity(relation.subject), mint.entity(relation.object)
        fact = (subject, predicate, obj, graph)
        if fact != previous:
            # Relations are sorted by (s, p, o, document, …): a fact seen before was just seen.
            if previous is None or fact[:3] != previous[:3]:
                assertions.clear()
            previous = fact
            yield fact
        if not assertions_too:
            continue
        document = view.document(evidence.doc_id)
        url = evidence_url(relation, document)
        assertion = (0, assertion_iri(relation, url))
        if assertion in assertions:
            continue
        assertions.add(assertion)
        yield assertion, T_TYPE, K["Assertion"], graph
        yield assertion, T_SUBJECT, subject, graph
        yield assertion, T_PREDICATE, predicate, graph
        yield assertion, T_OBJECT, obj, graph
        yield assertion, K["document"], source, graph
        yield assertion, T_DERIVED, source, graph
        yield assertion, T_GENERATED, run, graph
        yield assertion, K["sentenceIndex"], terms.integer(evidence.sentence), graph
        yield assertion, K["startOffset"], terms.integer(evidence.start), graph
        yield assertion, K["endOffset"], terms.integer(evidence.end), graph
        yield assertion, K["sentenceText"], terms.text(evidence.text, document.lang if document else None), graph
        yield assertion, K["rule"], terms.text(evidence.rule), graph
        yield assertion, K["confidence"], terms.decimal(evidence.confidence), graph
        if url:
            yield assertion, K["sourceUrl"], terms.any_uri(url), graph
        if relation.post:
            yield assertion, K["postTitle"], terms.text(relation.post, "en"), graph


def membership_iri(entity_id: str, post: Post) -> str:
    """The IRI of the membership that a person's post gives (its content's digest: the same post, the same IRI)."""
    return str(MEMBERSHIP) + digest("membership", entity_id, post.org, post.title, post.doc_id, post.date)[:24]


def evidence_url(relation: Relation, document: Document | None) -> str | None:
    """Where a relation's evidence can be read: its own source, else its document's."""
    return relation.evidence.source_url or (document.source_url if document else None)


def assertion_iri(relation: Relation, url: str | None) -> str:
    """The IRI of the assertion of one relation's evidence, ``url`` its source's (its content's digest)."""
    evidence = relation.evidence
    return str(FACT) + digest(
        "assertion", relation.subject, relation.predicate, relation.object, relation.post,
        evidence.doc_id, evidence.sentence, evidence.start, evidence.end, evidence.text,
        evidence.rule, evidence.confidence, url,
    )[:24]


def document_nodes(view: CorpusView, mint: Minter, referenced: dict[str, None]) -> Iterator[tuple]:
    """The node and named graph of each document in ``referenced``."""
    run = (0, str(run_iri(view.ner_model)))
    for doc_id in referenced:
        node = mint.document(doc_id)
        yield node, T_TYPE, K["Document"], None
        yield node, T_LABEL, terms.text(doc_id), None
        graph = mint.graph(doc_id)
        yield graph, T_DERIVED, node, None
        yield graph, T_GENERATED, run, None


def attribute(subject: tuple, key: str, value: object, mint: Minter, referenced: dict[str, None]) -> tuple | None:
    """One entity attribute of ``kg.model.Entity.attrs`` as a statement of the default graph."""
    if value is None:
        return None
    value = str(value)
    if key == "province" and value:
        return subject, K["province"], mint.entity(value), None
    if key == "scope":
        return subject, K["scope"], terms.text(value), None
    if key == "event_type":
        return subject, K["eventType"], terms.text(value), None
    if key == "date" and value:
        return subject, K["date"], terms.date(value), None
    if key == "doc" and value:
        referenced.setdefault(value)
        return subject, K["reportedIn"], mint.document(value), None
    if key == "main":
        return subject, K["isMainEvent"], terms.boolean(value), None
    if key == "kind":
        return subject, K["locationKind"], terms.text(value), None
    return subject, K["attribute"], terms.text(f"{key}={value}"), None
