"""What a build that only added articles changed: its merged tables against the last build's (``kg.corpus.merged``).

The two builds linked their first articles alike (the new one resumed the
kept tables, ``kg.corpus.kept``), so a node, a document and a relation row
have the same number in both; only merging can have moved them. The changes
are read by joins on those numbers and on entity ids:

- the entities whose row differs (type, label, alternative labels, posts,
  attributes), or that came or went;
- the nodes whose merged id differs (an article's person now one with
  another's);
- the relation rows whose ends differ, and the added articles' rows;
- the added articles, and the entities they name or give a post in.

From these, ``kg.corpus.spliced`` finds each part of the outputs that may
differ and writes it again from both tables, the last build's and this one's,
through a ``PartView``: the view of the outputs (``kg.graph.view``) cut to
some entities, relations and documents.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.corpus.table_view import RELATION_COLUMNS, SORTED, TableView, entity_of, relation_of
from kg.graph.view import DocumentEntry
from kg.model import Document, Relation
from kg.files import read_only_uri

ENTITY_COLUMNS = ("type", "label", "alt", "posts", "attrs")
RECORD_COLUMNS = ("type", "label", "attrs")  # what a document's record in extraction.json gives of an entity


@dataclass
class Changes:
    """What differs between the base's merged tables and this build's."""

    documents: int  # the base's articles: this build's first ones, numbered alike
    added: list[str] = field(default_factory=list)  # the ids of the articles added, in corpus order
    entities: set[str] = field(default_factory=set)  # entity ids whose part of graph.ttl may differ
    rows: set[str] = field(default_factory=set)  # of those, the ones whose row differs, came or went
    records: set[str] = field(default_factory=set)  # entity ids whose type, label or attributes differ, came or went
    posts: set[str] = field(default_factory=set)  # entity ids whose posts differ
    relations: list[int] = field(default_factory=list)  # relation rows whose ends differ, and the added ones (by rowid)
    nodes: list[int] = field(default_factory=list)  # nodes whose merged id differs
    finals: set[str] = field(default_factory=set)  # those nodes' merged ids, before and after


def attach(tables: Path, base: Path) -> sqlite3.Connection:
    """A read-only connection to this build's merged tables with the base's attached as ``base``."""
    db = sqlite3.connect(read_only_uri(tables), uri=True)
    db.execute("ATTACH ? AS base", (read_only_uri(base),))
    return db


def find_changes(db: sqlite3.Connection) -> Changes:
    """The changes between the base (attached as ``base``) and this build's tables (``main``)."""
    (documents,) = db.execute("SELECT COUNT(*) FROM base.document").fetchone()
    changes = Changes(documents)
    if db.execute("SELECT 1 FROM base.document b JOIN main.document m ON m.doc = b.doc WHERE m.id IS NOT b.id LIMIT 1").fetchone():
        raise ValueError("the base's articles are not this build's first ones")
    changes.added = [doc_id for (doc_id,) in db.execute("SELECT id FROM main.document WHERE doc >= ? ORDER BY doc", (documents,))]
    differs = " OR ".join(f"m.{c} IS NOT b.{c}" for c in ENTITY_COLUMNS)
    record_differs = " OR ".join(f"m.{c} IS NOT b.{c}" for c in RECORD_COLUMNS)
    for entity_id, record, posts in db.execute(
        f"SELECT m.id, b.id IS NULL OR {record_differs}, b.id IS NULL OR m.posts IS NOT b.posts FROM main.entity m LEFT JOIN base.entity b ON b.id = m.id "
        f"WHERE b.id IS NULL OR {differs}"
    ):
        changes.rows.add(entity_id)
        if record:
            changes.records.add(entity_id)
        if posts:
            changes.posts.add(entity_id)
    for (entity_id,) in db.execute("SELECT b.id FROM base.entity b WHERE NOT EXISTS (SELECT 1 FROM main.entity m WHERE m.id = b.id)"):
        changes.rows.add(entity_id)
        changes.records.add(entity_id)
        changes.posts.add(entity_id)
    for node, before, after in db.execute("SELECT m.node, b.final, m.final FROM main.node m JOIN base.node b ON b.node = m.node WHERE m.final IS NOT b.final"):
        changes.nodes.append(node)
        changes.finals.update(f for f in (before, after) if f is not None)
    (last_row,) = db.execute("SELECT COALESCE(MAX(rowid), 0) FROM base.relation").fetchone()
    changes.relations = [row for (row,) in db.execute(
        "SELECT m.rowid FROM main.relation m JOIN base.relation b ON b.rowid = m.rowid WHERE m.s IS NOT b.s OR m.o IS NOT b.o "
        "UNION ALL SELECT rowid FROM main.relation WHERE rowid > ? ORDER BY 1", (last_row,))]
    # An entity's part of graph.ttl: its row, the articles it appears in, the facts it is the subject of.
    added = json.dumps(changes.added)
    named = {entity_id for (entity_id,) in db.execute(
        "SELECT id FROM main.doc_entity WHERE doc_id IN (SELECT value FROM json_each(?1)) UNION SELECT id FROM main.post WHERE doc_id IN (SELECT value FROM json_each(?1))", (added,))}
    subjects = set()
    for schema in ("base", "main"):
        subjects.update(s for (s,) in db.execute(f"SELECT s FROM {schema}.relation WHERE rowid IN (SELECT value FROM json_each(?))", (json.dumps(changes.relations),)))
    changes.entities = changes.rows | changes.finals | named | {s for s in subjects if s is not None}
    return changes


class PartView(TableView):
    """The view of merged tables cut to some entities, relations and documents: what the outputs' changed parts are written from.

    ``entities``: the entities ``entities()`` gives; ``holders``: more it gives
    without their articles, and with only their posts of the ``titles`` (read
    for the roles and posts those give); ``relations``: the
    relation rows (by rowid) ``relations()`` gives, with every row whose
    subject is one of ``subjects``; ``documents``: the documents
    ``documents()`` and ``document_entries()`` give, by number. Lookups
    (``document``, ``label``) see the whole tables.
    """

    def __init__(
        self,
        db: sqlite3.Connection,
        ner_model: str,
        entities: Iterable[str] = (),
        subjects: Iterable[str] = (),
        relations: Iterable[int] = (),
        documents: Iterable[int] = (),
        holders: Iterable[str] = (),
        titles: Iterable[str] = (),
    ) -> None:
        from types import SimpleNamespace

        super().__init__(SimpleNamespace(db=db, path=None), ner_model)  # type: ignore[arg-type]
        self.full = set(entities)
        self.titles = set(titles)
        self.wanted_entities = json.dumps(sorted(self.full | set(holders)))
        self.wanted_subjects = json.dumps(sorted(set(subjects)))
        self.wanted_relations = json.dumps(sorted(set(relations)))
        self.wanted_documents = json.dumps(sorted(set(documents)))

    def documents(self) -> Iterator[Document]:
        for (data,) in self.db.execute("SELECT data FROM document WHERE doc IN (SELECT value FROM json_each(?)) ORDER BY doc", (self.wanted_documents,)):
            yield Document.from_dict(json.loads(data))

    def entities(self) -> Iterator[tuple]:
        db = self.db
        for row in db.execute("SELECT id, type, label, alt, posts, attrs FROM entity WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", (self.wanted_entities,)):
            entity = entity_of(row)
            if entity.id in self.full:
                yield entity, [doc_id for (doc_id,) in db.execute("SELECT doc_id FROM entity_doc WHERE id = ? ORDER BY doc_id", (entity.id,))]
            else:
                entity.posts = [post for post in entity.posts if post.title in self.titles]
                yield entity, []

    def relations(self) -> Iterator[Relation]:
        return map(relation_of, self.db.execute(
            f"SELECT {RELATION_COLUMNS} FROM relation WHERE rowid IN (SELECT rowid FROM relation WHERE s IN (SELECT value FROM json_each(?1)) "
            f"UNION SELECT value FROM json_each(?2)) {SORTED}", (self.wanted_subjects, self.wanted_relations)))

    def document_entries(self) -> Iterator[DocumentEntry]:
        return self.entries_of(self.db.execute("SELECT doc, data FROM document WHERE doc IN (SELECT value FROM json_each(?)) ORDER BY doc", (self.wanted_documents,)))



def same_content(db: sqlite3.Connection, rows: Iterable[tuple]) -> list[int]:
    """The relation rows (by rowid) whose content is one of ``rows`` (``RELATION_COLUMNS``): each gives the same assertion."""
    found: list[int] = []
    for s, p, o, post, doc_id, sentence, start, end, text, rule, confidence, url in rows:
        found.extend(row for (row,) in db.execute(
            "SELECT rowid FROM relation WHERE s IS ? AND p = ? AND o IS ? AND ev_doc = ? AND sentence = ? AND start = ? "
            "AND end = ? AND text = ? AND rule = ? AND confidence = ? AND post IS ? AND source_url IS ?",
            (s, p, o, doc_id, sentence, start, end, text, rule, confidence, post, url)))
    return found


def relation_rows(db: sqlite3.Connection, rowids: Iterable[int]) -> list[tuple]:
    """The relation rows of these rowids, as ``RELATION_COLUMNS``."""
    return db.execute(f"SELECT {RELATION_COLUMNS} FROM relation WHERE rowid IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(rowids))),)).fetchall()
