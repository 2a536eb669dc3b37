"""What the outputs read of a corpus: a view, so that a graph held in memory and one held on disk write alike.

An ``Extraction`` holds every entity with its mentions and every relation; a
large build holds them in tables on disk (``kg.corpus.table_view``). The
writers (``kg.graph.statements.view_statements``, ``kg.graph.export.view_records``,
``kg.graph.page_bounds.page_of``) ask a view only for what they write, in the
order they write it:

- ``documents()`` in corpus order, and ``document(doc_id)``;
- ``entities()`` by id, each with the articles it is named in or holds a post
  in (``Entity.docs()``; the entity's ``mentions`` may be left empty);
- ``label(entity_id)``;
- ``relations()`` sorted by (subject, predicate, object, document, sentence,
  start), as a build sorts them;
- ``document_entries()``: for each document, its entities (by id, with the
  surface forms and posts of that document) and its relations, in that order;
- ``ranking(limit)``: the ``limit`` most connected nodes (entities, and ids
  a relation names that no entity has), by their number of distinct facts (a
  self-loop twice, as networkx counts it), then by id; how many nodes there
  are; how many distinct facts; ``page_extraction(None)``: the whole corpus as an
  extraction, to draw a small graph whole; for a page of a big one,
  ``page_entities(ids)``: the entities of ``ids`` with their first
  ``PAGE_DOCS`` documents, how many there are and their mentions' texts, and
  ``page_facts(ids)``: each fact between two of ``ids`` with its relations.

``ExtractionView`` is the view of an ``Extraction``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import groupby, pairwise
from typing import Protocol

from kg.model import Document, Entity, Extraction, Post, Relation

PAGE_DOCS = 10  # an entity's documents a page lists (then how many more)
DocumentEntry = tuple[Document, list[tuple[Entity, list[str], list[Post]]], list[Relation]]


class CorpusView(Protocol):
    ner_model: str

    def documents(self) -> Iterable[Document]: ...
    def document(self, doc_id: str) -> Document | None: ...
    def entities(self) -> Iterable[tuple[Entity, list[str]]]: ...
    def label(self, entity_id: str) -> str | None: ...
    def relations(self) -> Iterable[Relation]: ...
    def document_entries(self) -> Iterable[DocumentEntry]: ...
    def ranking(self, limit: int) -> tuple[list[str], int, int]: ...
    def page_extraction(self, ids: set[str] | None) -> Extraction: ...
    def page_entities(self, ids: set[str]) -> Iterable[tuple[Entity, list[str], int, Iterable[str]]]: ...
    def page_facts(self, ids: set[str]) -> Iterable[tuple[tuple[str, str, str], list[Relation]]]: ...


class ExtractionView:
    """The view of an extraction in memory."""

    def __init__(self, extraction: Extraction) -> None:
        self.extraction = extraction
        self.ner_model = extraction.ner_model
        self._documents: dict[str, Document] | None = None
        self._labels: dict[str, str] | None = None

    def documents(self) -> Iterable[Document]:
        return self.extraction.documents

    def document(self, doc_id: str) -> Document | None:
        if self._documents is None:
            self._documents = {d.id: d for d in self.extraction.documents}
        return self._documents.get(doc_id)

    def entities(self) -> Iterator[tuple[Entity, list[str]]]:
        return ((entity, entity.docs()) for entity in self.extraction.entities)

    def label(self, entity_id: str) -> str | None:
        if self._labels is None:
            self._labels = {e.id: e.label for e in self.extraction.entities}
        return self._labels.get(entity_id)

    def relations(self) -> Iterable[Relation]:
        return self.extraction.relations

    def document_entries(self) -> Iterator[DocumentEntry]:
        in_doc: dict[str, list[Entity]] = defaultdict(list)
        # The surface forms of each entity in each document, gathered in one pass: an entity named
        # by every article (a national body) would otherwise be scanned once per article.
        surfaces: dict[tuple[str, str], set[str]] = defaultdict(set)
        posts: dict[tuple[str, str], list[Post]] = defaultdict(list)
        for entity in self.extraction.entities:
            for mention in entity.mentions:
                surfaces[(entity.id, mention.doc_id)].add(mention.text)
            for post in entity.posts:
                posts[(entity.id, post.doc_id)].append(post)
            for doc_id in sorted({m.doc_id for m in entity.mentions} | set(entity.reported_in())):
                in_doc[doc_id].append(entity)
        relations_in: dict[str, list[Relation]] = defaultdict(list)
        for relation in self.extraction.relations:
            relations_in[relation.evidence.doc_id].append(relation)
        for document in self.extraction.documents:
            entries = [(e, sorted(surfaces.get((e.id, document.id), ())), posts.get((e.id, document.id), [])) for e in in_doc[document.id]]
            yield document, entries, relations_in[document.id]

    def ranking(self, limit: int) -> tuple[list[str], int, int]:
        degree: dict[str, int] = dict.fromkeys((e.id for e in self.extraction.entities), 0)
        facts = 0
        for s, _, o in distinct_facts(self.extraction.relations):
            degree[s] = degree.get(s, 0) + 1
            degree[o] = degree.get(o, 0) + 1
            facts += 1
        return sorted(degree, key=lambda n: (-degree[n], n))[:limit], len(degree), facts

    def page_extraction(self, ids: set[str] | None) -> Extraction:
        return self.extraction

    def page_entities(self, ids: set[str]) -> Iterator[tuple[Entity, list[str], int, Iterable[str]]]:
        for entity in self.extraction.entities:
            if entity.id in ids:
                docs = entity.docs()
                yield entity, docs[:PAGE_DOCS], len(docs), (m.text for m in entity.mentions)

    def page_facts(self, ids: set[str]) -> Iterator[tuple[tuple[str, str, str], list[Relation]]]:
        grouped: dict[tuple[str, str, str], list[Relation]] = defaultdict(list)
        for relation in self.extraction.relations:
            if relation.subject in ids and relation.object in ids:
                grouped[relation.key()].append(relation)
        return iter(sorted(grouped.items(), key=lambda item: item[0]))


def distinct_facts(relations: list[Relation]) -> Iterable[tuple[str, str, str]]:
    """Each (s, p, o) of ``relations`` once: in one pass when they are in that order (a build's are), else through a set."""
    if all(a.key() <= b.key() for a, b in pairwise(relations)):
        return (key for key, _ in groupby(r.key() for r in relations))
    return {r.key() for r in relations}
