"""The corpus phase's tables: article records linked as they come, held on disk, not in memory.

``kg.corpus.link.CorpusLink`` keeps every article's mentions, relations and
persons until the corpus is merged: about 40 KB an article, so 4 GiB at 10^5
articles. ``CorpusTables`` reads each record once, as it arrives, into an
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
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from kg.extract.article import ArticleRecord
from kg.extract.resolve import Record, key_slug
from kg.extract.translit import NameSyllable
from kg.model import Entity, Post, Relation

SHARED, PERSON, MAIN_EVENT = 0, 1, 2  # node kinds


def json_encoder() -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False)``'s text, from one encoder made once.

    ``JSONEncoder.encode`` makes a new C encoder for every call, two thirds of
    the time of encoding the tables' millions of small values (a post, a pair
    of labels). The values are the tables' own, never cyclic, so the
    encoder skips the check for cycles, as the text does not depend on it.
    """
    plain = json.JSONEncoder(ensure_ascii=False)
    if c_make_encoder is None:  # a Python without the C accelerator
        return plain.encode
    encode = c_make_encoder(None, plain.default, encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(encode(value, 0))


def json_decoder() -> Callable[[str], Any]:
    """``json.loads`` of the tables' own JSON (no whitespace around it): the scanner alone, without ``loads``' checks around it."""
    scan = json.JSONDecoder().scan_once
    return lambda text: scan(text, 0)[0]


json_text = json_encoder()
json_value = json_decoder()
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


def syllables_text(syllables: tuple[NameSyllable, ...]) -> str:
    """A name's syllables as stored (``syllables_of`` reads them back): the JSON list of each one's fields."""
    return "[" + ", ".join(syllable_text(s) for s in syllables) + "]"


# syllable_text's memo: id(syllable) -> (syllable, its text). Each entry holds its syllable, so no other object takes its id.
SYLLABLE_TEXTS: dict[int, tuple[NameSyllable, str]] = {}
SYLLABLE_TEXTS_KEPT = 1 << 15


def syllable_text(syllable: NameSyllable) -> str:
    """Memoised by the syllable object: an archive's hundreds of thousands of names are spelled with a few
    thousand, read once each (``name_reading.written_syllables``), and a lookup by identity does not call the
    dataclass's hash over six fields, as a memo by value would for each of millions of syllables."""
    found = SYLLABLE_TEXTS.get(id(syllable))
    if found is not None and found[0] is syllable:
        return found[1]
    s = syllable
    text = json_text([s.latin, s.known, s.skeleton, s.vowels_written, list(s.readings), s.surface])
    if len(SYLLABLE_TEXTS) >= SYLLABLE_TEXTS_KEPT:
        SYLLABLE_TEXTS.clear()
    SYLLABLE_TEXTS[id(syllable)] = (syllable, text)
    return text


@lru_cache(maxsize=1 << 16)
def syllables_of(text: str) -> tuple[NameSyllable, ...]:
    """A name's syllables as ``syllables_text`` stored them; memoised, as names recur in group after group."""
    return tuple(NameSyllable(latin, known, skeleton, vowels, tuple(readings), surface) for latin, known, skeleton, vowels, readings, surface in json_value(text))


class CorpusTables:
    """The article records of a build, linked as they are added (in corpus order), on disk at ``path``."""

    def __init__(self, path: Path, resume: bool = False) -> None:
        """New tables at ``path``; with ``resume``, the copy ``keep_state`` left there, to go on adding articles to."""
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "temp_store = FILE", "cache_size = -32768"):
            self.db.execute(f"PRAGMA {pragma}")
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
        tables.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
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
        """A node's number; its row is written with the rest of its article's (``add``)."""
        node = self.nodes
        self.nodes += 1
        self.node_rows.append((node, kind, final))
        return node

    def add(self, article: ArticleRecord) -> None:
        """Link one article record (the next in corpus order) into the tables; nothing of it is kept in memory."""
        doc = self.documents
        self.documents += 1
        document = article.document
        self.langs.add(document.lang)
        data = document.to_dict()
        data["text"] = ""
        self.db.execute("INSERT INTO document VALUES (?, ?, ?, ?, ?)", (doc, document.id, json_text(data), document.path, article.text_key))
        nodes: dict[str, int] = {}  # the article's local ids -> nodes
        persons: list[tuple[Record, Entity, int]] = []
        mentions: list[tuple[int, int, str]] = []
        alts: list[tuple[int, str, str]] = []
        for record in article.records:
            local = article.entities[record.id]
            if record.type == "Person":  # resolved per document (kg.corpus.link.scope_of): a node of its own
                node = self.new_node(PERSON, record.id)
                persons.append((record, local, node))
            else:  # one node and member per key: the first article's record, the seniority of the most senior one
                node = self.shared_nodes.get(record.key, -1)
                if node < 0:
                    node = self.shared_nodes[record.key] = self.new_node(SHARED)
                    self.seniority[node] = record.seniority
                    row = member_row(node, SHARED, replace(record, id="#" + record.key), local, 0, [])
                    self.db.execute(MEMBER_INSERT, row)
                elif record.seniority < self.seniority[node]:
                    self.seniority[node] = record.seniority
                    self.db.execute("UPDATE member SET doc_id = ?, rank = ?, name = ? WHERE node = ?", (record.doc_id, *record.seniority, node))
                alts.extend((node, text, lang) for text, lang in local.alt_labels)
            nodes[record.id] = node
            mentions.extend((doc, node, m.text) for m in local.mentions)
        if article.event is not None:  # the article's own main event keeps its id
            event = article.event
            node = nodes[event.id] = self.new_node(MAIN_EVENT, event.id)
            self.db.execute("INSERT INTO main_event VALUES (?, ?)", (node, json_text(event_data(event))))
            mentions.extend((doc, node, m.text) for m in event.mentions)
        if article.event_update is not None:  # in corpus order, as CorpusLink applies them
            local_id, update = article.event_update
            node = nodes[local_id]
            (attrs,) = self.db.execute("SELECT attrs FROM member WHERE node = ?", (node,)).fetchone()
            self.db.execute("UPDATE member SET attrs = ? WHERE node = ?", (json_text({**json_value(attrs), **update}), node))
        self.db.executemany(
            MEMBER_INSERT,
            [member_row(node, PERSON, record, local, len(local.mentions), [post_row(p, nodes) for p in local.posts]) for record, local, node in persons],
        )
        self.db.executemany("INSERT INTO node VALUES (?, ?, ?)", self.node_rows)
        self.node_rows.clear()
        self.db.executemany("INSERT OR IGNORE INTO shared_alt VALUES (?, ?, ?)", alts)
        self.db.executemany("INSERT INTO mention VALUES (?, ?, ?)", mentions)
        self.db.executemany(
            "INSERT INTO relation VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [relation_row(doc, seq, r, nodes) for seq, r in enumerate(article.relations)],
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


def event_data(event: Entity) -> dict:
    return {"id": event.id, "type": event.type, "label": event.label, "alt": sorted(event.alt_labels), "attrs": event.attrs}


def post_row(post: Post, nodes: dict[str, int]) -> list:
    """A post with its body as the node the article names (or its id as written, or None)."""
    org: int | str | None = post.org
    if org is not None and org in nodes:
        org = nodes[org]
    return [post.title, org, post.doc_id, post.date]


def member_row(node: int, kind: int, record: Record, entity: Entity, mentions: int, posts: list) -> tuple:
    return (
        node, kind, record.block, record.block, record.key, record.id, record.doc_id, record.seniority[0], record.seniority[1],
        record.type, record.label, record.label.lower(), "",  # ref_id: filled where judgements need it
        syllables_text(record.syllables), json_text(sorted(entity.alt_labels)), json_text(entity.attrs),
        json_text(posts), mentions,
    )


def relation_row(doc: int, seq: int, relation: Relation, nodes: dict[str, int]) -> tuple:
    e = relation.evidence
    s_node, o_node = nodes.get(relation.subject), nodes.get(relation.object)
    return (
        doc, seq, s_node, relation.subject if s_node is None else None, relation.predicate, o_node, relation.object if o_node is None else None,
        relation.post, e.doc_id, e.sentence, e.start, e.end, e.text, e.rule, e.confidence, e.source_url,
    )
