"""The corpus phase's tables: article records linked as they come, held on disk, not in memory.

``kg.corpus.link.CorpusLink`` keeps every article's mentions, relations and
persons until the corpus is merged: about 40 KB an article, so 4 GiB at 10^5
articles. ``CorpusTables`` reads each record once, as it arrives (as its
rows, ``kg.corpus.article_rows``, which a build's workers make), into an
SQLite file of the build's own and keeps in memory only what grows with the
world, not with the archive: each shared key's node (a body, place, campaign
or named event of the corpus) and the seniority of its record. Everything
else is a row:

- ``document``: each article, in corpus order (``doc`` is its index);
- ``node``: each entity an article names, as linking sees it: a shared key
  (one node for the corpus), a person (one node per article: persons are
  resolved per document) or the article's own main event; ``final`` is its id
  once merged (``kg.corpus.blocks``);
- ``member``: what merging reads of a node (its resolver record, entity and
  posts, the posts' bodies as nodes); one row per person, and one per shared
  key, written at its first article (its seniority, alternative labels
  (``shared_alt``), attribute updates and mention count kept up to date);
- ``mention``: each mention's text, by article and node;
- ``relation``: each relation with its evidence; an end the article names is
  a node, any other end its id as written.

Linking in this form gives what ``CorpusLink`` gives: the same shared records
(the first article's, with the seniority of the most senior one), the same
ids (``mint_cluster_ids`` over the shared keys), every article's posts and
relations moved to them. ``kg.corpus.blocks`` merges the members block by
block and ``kg.corpus.table_view`` reads the outputs from the tables.

The file is scratch: written without a journal, deleted with the build's
temporary folder. Before it is linked, a build that used the article cache
keeps a copy with what linking holds in memory (``keep_state``), and a later
build that only adds articles after those resumes from it
(``CorpusTables(path, resume=True)``, ``kg.corpus.kept``).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from functools import lru_cache
from pathlib import Path

from kg.corpus.article_rows import ArticleRows, article_rows
from kg.corpus.table_json import json_text, json_value
from kg.extract.article import ArticleRecord
from kg.extract.resolve import Record, key_slug
from kg.model import Entity
from kg.files import read_only_uri

SHARED, PERSON, MAIN_EVENT = 0, 1, 2  # node kinds
MEMBER_INSERT = "INSERT INTO member VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)"  # a member_row; auto is filled by the merge

SCHEMA = """
CREATE TABLE document (doc INTEGER PRIMARY KEY, id TEXT NOT NULL, data TEXT NOT NULL, path TEXT NOT NULL, text_key TEXT NOT NULL);
CREATE INDEX document_by_id ON document (id);
CREATE INDEX document_by_text ON document (text_key) WHERE text_key != '';
CREATE TABLE node (node INTEGER PRIMARY KEY, kind INTEGER NOT NULL, final TEXT);
CREATE TABLE member (
    node INTEGER PRIMARY KEY, kind INTEGER NOT NULL, grp TEXT NOT NULL, block TEXT NOT NULL, key TEXT NOT NULL,
    rid TEXT NOT NULL, doc_id TEXT NOT NULL, rank INTEGER NOT NULL, name TEXT NOT NULL,
    type TEXT NOT NULL, label TEXT NOT NULL, label_lower TEXT NOT NULL, ref_id TEXT NOT NULL,
    syllables TEXT NOT NULL, alt TEXT NOT NULL, attrs TEXT NOT NULL, posts TEXT NOT NULL, mentions INTEGER NOT NULL,
    auto TEXT
);
CREATE TABLE shared_alt (node INTEGER NOT NULL, text TEXT NOT NULL, lang TEXT NOT NULL, PRIMARY KEY (node, text, lang)) WITHOUT ROWID;
CREATE TABLE taken (slug TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE main_event (node INTEGER PRIMARY KEY, entity TEXT NOT NULL);
CREATE TABLE mention (doc INTEGER NOT NULL, node INTEGER NOT NULL, text TEXT NOT NULL);
CREATE TABLE relation (
    doc INTEGER NOT NULL, seq INTEGER NOT NULL, s_node INTEGER, s TEXT, p TEXT NOT NULL, o_node INTEGER, o TEXT,
    post TEXT, ev_doc TEXT NOT NULL, sentence INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    text TEXT NOT NULL, rule TEXT NOT NULL, confidence REAL NOT NULL, source_url TEXT
);
"""
# What linking holds in memory between two articles, written into a kept copy (``keep_state``).
STATE_SCHEMA = """
CREATE TABLE linking (documents INTEGER NOT NULL, nodes INTEGER NOT NULL, langs TEXT NOT NULL);
CREATE TABLE shared_key (key TEXT PRIMARY KEY, node INTEGER NOT NULL, rank INTEGER NOT NULL, name TEXT NOT NULL) WITHOUT ROWID;
"""


class CorpusTables:
    """The article records of a build, linked as they are added (in corpus order), on disk at ``path``."""

    def __init__(self, path: Path, resume: bool = False) -> None:
        """New tables at ``path``; with ``resume``, the copy ``keep_state`` left there, to go on adding articles to."""
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "temp_store = FILE", "cache_size = -32768"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.create_function("kg_ref_id", 3, ref_id, deterministic=True)  # a cluster's id when another has its slug, in an UPDATE
        self.documents = 0
        self.langs: set[str] = set()
        self.nodes = 0
        self.node_rows: list[tuple[int, int, str | None]] = []
        # What grows with the world, not the archive: each shared key's node and the seniority of its record.
        self.shared_nodes: dict[str, int] = {}
        self.seniority: dict[int, tuple[int, str]] = {}
        if resume:
            self.resume_state()
        else:
            self.db.executescript(SCHEMA)
        self.db.execute("BEGIN")
        self.linked_id = lru_cache(maxsize=1 << 16)(self._linked_id)  # type: ignore[method-assign]
        self.entity_by_id = lru_cache(maxsize=1 << 14)(self._entity_by_id)  # type: ignore[method-assign]

    @classmethod
    def read_only(cls, path: Path) -> CorpusTables:
        """Tables another process is merging, read through a read-only connection of this one's (``kg.corpus.clusters``)."""
        tables = cls.__new__(cls)
        tables.path = path
        tables.db = sqlite3.connect(read_only_uri(path), uri=True, isolation_level=None)
        tables.db.execute("PRAGMA cache_size = -32768")
        tables.linked_id = lru_cache(maxsize=1 << 16)(tables._linked_id)  # type: ignore[method-assign]
        tables.entity_by_id = lru_cache(maxsize=1 << 14)(tables._entity_by_id)  # type: ignore[method-assign]
        return tables

    def close(self) -> None:
        self.db.close()

    def keep_state(self) -> None:
        """Write what linking holds in memory into the file and commit it, so that a copy taken now can be resumed."""
        db = self.db
        for statement in ("DROP TABLE IF EXISTS linking", "DROP TABLE IF EXISTS shared_key", *STATE_SCHEMA.strip().split(";\n")):
            db.execute(statement)
        db.execute("INSERT INTO linking VALUES (?, ?, ?)", (self.documents, self.nodes, json.dumps(sorted(self.langs))))
        db.executemany("INSERT INTO shared_key VALUES (?, ?, ?, ?)", ((key, node, *self.seniority[node]) for key, node in self.shared_nodes.items()))
        db.execute("COMMIT")
        db.execute("BEGIN")

    def resume_state(self) -> None:
        (self.documents, self.nodes, langs), = self.db.execute("SELECT documents, nodes, langs FROM linking")
        self.langs = set(json.loads(langs))
        for key, node, rank, name in self.db.execute("SELECT key, node, rank, name FROM shared_key"):
            self.shared_nodes[key] = node
            self.seniority[node] = (rank, name)
        self.db.executescript("DROP TABLE linking; DROP TABLE shared_key;")

    def new_node(self, kind: int, final: str | None = None) -> int:
        """A node's number; its row is written with the rest of its article's (``add_rows``)."""
        node = self.nodes
        self.nodes += 1
        self.node_rows.append((node, kind, final))
        return node

    def add(self, article: ArticleRecord) -> None:
        """Link one article record (the next in corpus order) into the tables, through its rows; nothing of it is kept in memory."""
        self.add_rows(article_rows(article))

    def add_rows(self, rows: ArticleRows) -> None:
        """Link one article's rows (``kg.corpus.article_rows``): its nodes numbered, its shared keys those of the corpus."""
        db = self.db
        doc = self.documents
        self.documents += 1
        doc_id, data, path, text_key, lang = rows.document
        self.langs.add(lang)
        db.execute("INSERT INTO document VALUES (?, ?, ?, ?, ?)", (doc, doc_id, data, path, text_key))
        nodes: list[int] = []  # by slot
        persons: list[tuple[int, tuple]] = []
        mentions: list[tuple[int, int, str]] = []
        alts: list[tuple[int, str, str]] = []
        for slot in rows.slots:
            if slot[0]:  # a person: a node of its own
                node = self.new_node(PERSON, slot[1])
                persons.append((node, slot))
            else:  # one node and member per key: the first article's record, the seniority of the most senior one
                _, key, seniority, record_doc, head, alt, attrs, _ = slot
                node = self.shared_nodes.get(key, -1)
                if node < 0:
                    node = self.shared_nodes[key] = self.new_node(SHARED)
                    self.seniority[node] = seniority
                    db.execute(MEMBER_INSERT, (node, SHARED, *head, json_text(alt), json_text(attrs), "[]", 0))
                elif seniority < self.seniority[node]:
                    self.seniority[node] = seniority
                    db.execute("UPDATE member SET doc_id = ?, rank = ?, name = ? WHERE node = ?", (record_doc, *seniority, node))
                alts.extend((node, text, alt_lang) for text, alt_lang in alt)
            nodes.append(node)
            mentions.extend((doc, node, text) for text in slot[-1])
        if rows.event is not None:  # the article's own main event keeps its id
            event_id, entity, texts = rows.event
            node = self.new_node(MAIN_EVENT, event_id)
            nodes.append(node)
            db.execute("INSERT INTO main_event VALUES (?, ?)", (node, entity))
            mentions.extend((doc, node, text) for text in texts)
        if rows.event_update is not None:  # in corpus order, as CorpusLink applies them
            slot, update = rows.event_update
            (attrs,) = db.execute("SELECT attrs FROM member WHERE node = ?", (nodes[slot],)).fetchone()
            db.execute("UPDATE member SET attrs = ? WHERE node = ?", (json_text({**json_value(attrs), **update}), nodes[slot]))
        db.executemany(
            MEMBER_INSERT,
            [(node, PERSON, *columns, json_text([[title, nodes[org] if isinstance(org, int) else org, post_doc, date] for title, org, post_doc, date in posts]), len(texts))
             for node, (_, _, columns, posts, texts) in persons],
        )
        db.executemany("INSERT INTO node VALUES (?, ?, ?)", self.node_rows)
        self.node_rows.clear()
        db.executemany("INSERT OR IGNORE INTO shared_alt VALUES (?, ?, ?)", alts)
        db.executemany("INSERT INTO mention VALUES (?, ?, ?)", mentions)
        db.executemany(
            "INSERT INTO relation VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(doc, seq, None if s_slot is None else nodes[s_slot], s, p, None if o_slot is None else nodes[o_slot], *rest)
             for seq, s_slot, s, p, o_slot, *rest in rows.relations],
        )

    # The documents added so far (``kg.corpus.articles.KnownDocuments``): asked of the disk, so that
    # checking 10^6 articles for repeats does not hold 10^6 ids and paths.

    def path_with_id(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT path FROM document WHERE id = ? ORDER BY doc LIMIT 1", (doc_id,)).fetchone()
        return row[0] if row else None

    def path_with_text(self, text_key: str) -> str | None:
        row = self.db.execute("SELECT path FROM document WHERE text_key = ? AND text_key != '' ORDER BY doc LIMIT 1", (text_key,)).fetchone()
        return row[0] if row else None

    def remember(self, doc_id: str, text_key: str, path: str) -> None:
        """Nothing to do: ``add`` writes the document's row."""

    def link(self) -> None:
        """The shared keys' corpus ids, as ``CorpusLink.finish`` mints them (``mint_cluster_ids`` over their records), and their members completed."""
        db = self.db
        db.execute("CREATE INDEX mention_by_node ON mention (node)")
        db.execute("UPDATE member SET mentions = (SELECT COUNT(*) FROM mention WHERE mention.node = member.node) WHERE kind = ?", (SHARED,))
        db.execute(
            "UPDATE member SET alt = (SELECT json_group_array(json_array(text, lang)) FROM shared_alt WHERE shared_alt.node = member.node) "
            "WHERE kind = ? AND node IN (SELECT node FROM shared_alt)", (SHARED,))
        mint_in_order(db, "SELECT node, key, label, doc_id FROM member WHERE kind = ? ORDER BY rank, name, rid", (SHARED,))
        db.execute("UPDATE member SET rid = (SELECT final FROM minted WHERE minted.node = member.node) WHERE kind = ?", (SHARED,))
        db.execute("UPDATE node SET final = (SELECT final FROM minted WHERE minted.node = node.node) WHERE kind = ?", (SHARED,))
        db.execute("DROP TABLE minted")
        db.execute("CREATE INDEX member_group ON member (grp)")
        db.execute("CREATE INDEX member_rid ON member (rid)")
        self.shared_nodes, self.seniority = {}, {}

    def _linked_id(self, org: int | str | None) -> str | None:
        """A post's body in corpus ids, before merging: a node's linked id, or the id as written."""
        if not isinstance(org, int):
            return org
        return self.db.execute("SELECT final FROM node WHERE node = ?", (org,)).fetchone()[0]

    def _entity_by_id(self, linked: str) -> Entity | None:
        """The entity a linked id stands for, as merging reads a post's body (type, label, attributes), or None."""
        row = self.db.execute("SELECT type, label, attrs FROM member WHERE rid = ?", (linked,)).fetchone()
        return Entity(linked, row[0], row[1], attrs=json_value(row[2])) if row else None

    def counts(self) -> tuple[Counter[str], Counter[str]]:
        """Once merged: entities by type, and distinct (subject, predicate, object) facts by predicate."""
        entities = Counter(dict(self.db.execute("SELECT type, COUNT(*) FROM entity GROUP BY type").fetchall()))
        relations = Counter(dict(self.db.execute("SELECT p, COUNT(*) FROM (SELECT DISTINCT s, p, o FROM relation) GROUP BY p").fetchall()))
        return entities, relations

    def main_event_ids(self) -> set[str]:
        """The ids of the main events before merging: the articles' own, and the named events articles report as theirs."""
        found = {rid for (rid,) in self.db.execute("SELECT rid FROM member WHERE kind = ? AND type = 'Event' AND json_extract(attrs, '$.main') = 'true'", (SHARED,))}
        for (data,) in self.db.execute("SELECT entity FROM main_event"):
            event = json.loads(data)
            if event["type"] == "Event" and event["attrs"].get("main") == "true":
                found.add(event["id"])
        return found


def mint_in_order(db: sqlite3.Connection, seniors: str, params: tuple = ()) -> None:
    """``mint_cluster_ids``' rule over the rows of the query ``seniors`` ((node, key, label, doc_id), in (seniority, id)
    order): the first of a slug keeps it, the others take their ``ref_id``; into the temporary table ``minted`` (node, final)."""
    db.execute("DELETE FROM taken")
    db.execute("CREATE TEMP TABLE minted (node INTEGER PRIMARY KEY, final TEXT NOT NULL)")
    for node, key, label, doc_id in db.execute(seniors, params):
        slug = key_slug(key, label)
        final = slug if db.execute("INSERT OR IGNORE INTO taken VALUES (?)", (slug,)).rowcount else ref_id(key, label, doc_id)
        if final != slug:
            db.execute("INSERT OR IGNORE INTO taken VALUES (?)", (final,))
        db.execute("INSERT INTO minted VALUES (?, ?)", (node, final))


def ref_id(key: str, label: str, doc_id: str) -> str:
    """``Record.ref_id`` of a record of ``key`` and ``label`` named in ``doc_id``: the id its cluster gets when another has its slug."""
    return Record("", doc_id, key, "", label, "", (0, "")).ref_id()
