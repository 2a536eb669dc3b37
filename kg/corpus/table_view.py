"""The outputs' view (``kg.graph.view``) of a corpus merged in its tables (``kg.corpus.blocks``).

Every method reads rows in the order the writer needs them (entities by id,
relations in their sorted order, each document's entities and relations), so
the outputs are written from disk a row at a time; what is held is one
document's rows, or the entities of one page.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from types import SimpleNamespace

from kg.corpus.table_json import json_value
from kg.corpus.tables import CorpusTables
from kg.graph.view import PAGE_DOCS, DocumentEntry
from kg.model import Document, Entity, Evidence, Extraction, Mention, Post, Relation
from kg.files import read_only_uri

RELATION_COLUMNS = "s, p, o, post, ev_doc, sentence, start, end, text, rule, confidence, source_url"
SORTED = "ORDER BY s, p, o, ev_doc, sentence, start, doc, seq"  # the build's order; ties in corpus order
PAGE_SOURCE = "kg.page"  # the source of the mentions a page's entities are drawn with (their text and document only)


def relation_of(row: tuple) -> Relation:
    s, p, o, post, doc_id, sentence, start, end, text, rule, confidence, url = row
    return Relation(s, p, o, Evidence(doc_id, sentence, start, end, text, rule, confidence, url), post)


def entity_of(row: tuple) -> Entity:
    entity_id, entity_type, label, alt, posts, attrs = row
    return Entity(
        entity_id, entity_type, label, alt_labels={tuple(a) for a in json_value(alt)},  # type: ignore[misc]
        posts=[Post(title, org, doc_id, date) for title, org, doc_id, date in json_value(posts)], attrs=json_value(attrs),
    )


class TableView:
    """The view of merged corpus tables."""

    def __init__(self, tables: CorpusTables, ner_model: str) -> None:
        self.db = tables.db
        self.path: Path | None = tables.path  # another process may read the same tables (kg.corpus.writers)
        self.ner_model = ner_model
        self.document = lru_cache(maxsize=4096)(self._document)  # type: ignore[method-assign]
        self.label = lru_cache(maxsize=65536)(self._label)  # type: ignore[method-assign]

    @classmethod
    def read_only(cls, path: Path, ner_model: str) -> TableView:
        """The view of tables merged by another process, through a read-only connection of this one's."""
        view = cls(SimpleNamespace(db=sqlite3.connect(read_only_uri(path), uri=True), path=path), ner_model)  # type: ignore[arg-type]
        view.db.execute("PRAGMA cache_size = -32768")
        return view

    def close(self) -> None:
        self.db.close()

    def documents(self) -> Iterator[Document]:
        for (data,) in self.db.execute("SELECT data FROM document ORDER BY doc"):
            yield Document.from_dict(json_value(data))

    def _document(self, doc_id: str) -> Document | None:
        row = self.db.execute("SELECT data FROM document WHERE id = ?", (doc_id,)).fetchone()
        return Document.from_dict(json_value(row[0])) if row else None

    def _label(self, entity_id: str) -> str | None:
        row = self.db.execute("SELECT label FROM entity WHERE id = ?", (entity_id,)).fetchone()
        return row[0] if row else None

    def entities(self) -> Iterator[tuple[Entity, list[str]]]:
        docs = self.db.execute("SELECT id, doc_id FROM entity_doc ORDER BY id, doc_id")
        pending = next(docs, None)
        for row in self.db.execute("SELECT id, type, label, alt, posts, attrs FROM entity ORDER BY id"):
            entity_id = row[0]
            while pending is not None and pending[0] < entity_id:  # an entity merged away (an event) keeps no row
                pending = next(docs, None)
            found = []
            while pending is not None and pending[0] == entity_id:
                found.append(pending[1])
                pending = next(docs, None)
            yield entity_of(row), found

    def relations(self) -> Iterator[Relation]:
        return map(relation_of, self.db.execute(f"SELECT {RELATION_COLUMNS} FROM relation {SORTED}"))

    def document_entries(self) -> Iterator[DocumentEntry]:
        return self.entries_of(self.db.execute("SELECT doc, data FROM document ORDER BY doc"))

    def entries_of(self, documents: Iterable[tuple[int, str]]) -> Iterator[DocumentEntry]:
        """``document_entries`` of the documents ``documents`` gives as (number, data) rows."""
        db = self.db
        for doc, data in documents:
            document = Document.from_dict(json_value(data))
            surfaces: dict[str, set[str]] = defaultdict(set)
            for entity_id, text in db.execute("SELECT n.final, m.text FROM mention m JOIN node n ON n.node = m.node WHERE m.doc = ?", (doc,)):
                surfaces[entity_id].add(text)
            posts: dict[str, list[Post]] = defaultdict(list)
            for entity_id, title, org in db.execute("SELECT id, title, org FROM post WHERE doc_id = ? ORDER BY id, seq", (document.id,)):
                posts[entity_id].append(Post(title, org, document.id))
            entries = []
            for row in db.execute(
                "SELECT e.id, e.type, e.label, '[]', '[]', e.attrs FROM doc_entity de JOIN entity e ON e.id = de.id WHERE de.doc_id = ? ORDER BY de.id", (document.id,)
            ):
                entries.append((entity_of(row), sorted(surfaces.get(row[0], ())), posts.get(row[0], [])))
            relations = [relation_of(r) for r in db.execute(f"SELECT {RELATION_COLUMNS} FROM relation WHERE ev_doc = ? ORDER BY s, p, o, sentence, start, doc, seq", (document.id,))]
            yield document, entries, relations

    def ranking(self, limit: int) -> tuple[list[str], int, int]:
        """The degrees counted in a table on disk: a dict of every entity would grow with the archive."""
        db = self.db
        db.execute("CREATE TEMP TABLE degree (id TEXT PRIMARY KEY, d INTEGER NOT NULL) WITHOUT ROWID")
        db.execute("INSERT INTO degree SELECT id, 0 FROM entity")
        db.execute(
            "WITH facts AS MATERIALIZED (SELECT DISTINCT s, p, o FROM relation), "
            "ends AS (SELECT s AS id FROM facts UNION ALL SELECT o FROM facts) "
            "INSERT INTO degree SELECT id, COUNT(*) FROM ends WHERE true GROUP BY id ON CONFLICT (id) DO UPDATE SET d = excluded.d"
        )
        ranked = [node for (node,) in db.execute("SELECT id FROM degree ORDER BY d DESC, id LIMIT ?", (limit,))]
        total, ends = db.execute("SELECT COUNT(*), TOTAL(d) FROM degree").fetchone()
        db.execute("DROP TABLE degree")
        facts = int(ends) // 2  # each fact has two ends
        return ranked, total, facts

    def page_entities(self, ids: set[str]) -> Iterator[tuple[Entity, list[str], int, list[str]]]:
        db = self.db
        for row in db.execute("SELECT id, type, label, alt, posts, attrs FROM entity WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", (json.dumps(sorted(ids)),)):
            entity = entity_of(row)
            docs = [doc_id for (doc_id,) in db.execute("SELECT doc_id FROM entity_doc WHERE id = ? ORDER BY doc_id LIMIT ?", (entity.id, PAGE_DOCS))]
            total = db.execute("SELECT COUNT(*) FROM entity_doc WHERE id = ?", (entity.id,)).fetchone()[0]
            surfaces = [] if entity.alt_labels else [text for (text,) in db.execute(
                "SELECT DISTINCT m.text FROM node n JOIN mention m ON m.node = n.node WHERE n.final = ?", (entity.id,))]
            yield entity, docs, total, surfaces

    def page_facts(self, ids: set[str]) -> Iterator[tuple[tuple[str, str, str], list[Relation]]]:
        rows = self.db.execute(
            f"SELECT {RELATION_COLUMNS} FROM relation WHERE s IN (SELECT value FROM json_each(?1)) AND o IN (SELECT value FROM json_each(?1)) {SORTED}",
            (json.dumps(sorted(ids)),))
        for key, group in groupby(rows, key=lambda r: (r[0], r[1], r[2])):
            yield key, [relation_of(r) for r in group]

    def page_extraction(self, ids: set[str] | None) -> Extraction:
        """The corpus as an extraction, to draw a small graph whole (``ids`` is None: a page of a big graph reads ``page_entities``).

        The page shows an entity's documents and, when it has no alternative
        labels, its mentions' texts: its mentions are given with those two
        fields (source ``PAGE_SOURCE``), not their offsets.
        """
        if ids is not None:
            raise ValueError("a page of chosen entities is read through page_entities and page_facts")
        db = self.db
        relations = [relation_of(r) for r in db.execute(f"SELECT {RELATION_COLUMNS} FROM relation {SORTED}")]
        entities = []
        for row in db.execute("SELECT id, type, label, alt, posts, attrs FROM entity ORDER BY id").fetchall():
            entity = entity_of(row)
            entity.mentions = [
                Mention(doc_id, 0, 0, 0, text, entity.type, PAGE_SOURCE)
                for doc_id, text in db.execute(
                    "SELECT DISTINCT d.id, m.text FROM node n JOIN mention m ON m.node = n.node JOIN document d ON d.doc = m.doc WHERE n.final = ?", (entity.id,))
            ]
            entities.append(entity)
        return Extraction([], {}, entities, relations, self.ner_model)
