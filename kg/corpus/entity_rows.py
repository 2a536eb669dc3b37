"""The merged entities as rows: each cluster drafted where it is formed, finished once ids are minted.

A cluster's label, alternative labels, attributes and posts are what
``merge_entities`` makes of its records, read from the member rows in
seniority order (rank, name, record id). All of that but the posts' bodies is
known as soon as the cluster is formed (``kg.corpus.clusters``),
so the cluster is *drafted* then, from the rows already read: one ``draft``
row per cluster. Reading the million member rows of 10^6 mentions a second
time, sorted by cluster, cost more than clustering them.

A post's body is a node until every cluster has its id (``blocks.mint``):
``write_entities`` finishes each draft with the bodies' final ids, then
writes ``entity`` and ``post``.
"""

from __future__ import annotations

from functools import lru_cache

from kg.corpus.events import event_key
from kg.corpus.table_json import json_text, json_value, syllables_of
from kg.corpus.tables import PERSON, CorpusTables
from kg.extract.officials import official_vietnamese_names, vietnamese_name
from kg.extract.name_reading import label_rank
from kg.model import Entity

DRAFT_SCHEMA = """
CREATE TABLE draft (node INTEGER PRIMARY KEY, type TEXT NOT NULL, label TEXT NOT NULL, alt TEXT NOT NULL,
                    attrs TEXT NOT NULL, posts TEXT NOT NULL, evkey TEXT);
"""
DRAFT_INSERT = "INSERT INTO draft VALUES (?, ?, ?, ?, ?, ?, ?)"

# Member row columns (``kg.corpus.clusters.MEMBER_COLUMNS``) that a draft reads.
NODE, KIND, TYPE, LABEL, RANK, NAME, RID, SYLLABLES, ALT, ATTRS, POSTS, MENTIONS = 0, 1, 6, 7, 9, 10, 3, 11, 12, 13, 14, 15


def seniority(row: tuple) -> tuple:
    return row[RANK], row[NAME], row[RID]


def draft(cluster: list[tuple], decoded: dict[int, tuple[list, dict]]) -> tuple:
    """The draft row of one cluster's member rows: its entity with posts whose bodies are still nodes.

    The rows must be in seniority order; ``decoded`` has the posts and
    attributes the merge read of each row of a group of several, by node. A single member's
    stored JSON is its entity's as it stands, so it is decoded only where
    something is added to it.
    """
    senior = cluster[0]
    type_ = senior[TYPE]
    if len(cluster) == 1:
        label, alt, attrs, posts = senior[LABEL], senior[ALT], senior[ATTRS], senior[POSTS]
        if senior[KIND] != PERSON:  # a shared key's labels were gathered by SQLite, in its own JSON spelling
            alt = json_text(sorted({tuple(a) for a in json_value(alt)}))
        if type_ == "Person" and label in official_vietnamese_names():
            alt = with_vietnamese(label, json_value(alt), json_value(posts)) or alt
        evkey = key_text(type_, json_value(attrs)) if type_ == "Event" else None
        return senior[NODE], type_, label, alt, attrs, posts, evkey
    label = max(enumerate(cluster), key=lambda item: (label_rank(syllables_of(item[1][SYLLABLES])), item[1][MENTIONS], -item[0]))[1][LABEL]
    alt_labels: set[tuple[str, str]] = set()
    posts: list[list] = []
    held: set[tuple] = set()
    attrs: dict = {}
    for row in cluster:
        alt_labels |= {tuple(a) for a in json_value(row[ALT])}  # type: ignore[misc]
        stored, row_attrs = decoded[row[NODE]]  # a cluster of several comes from a group the merge decoded
        for post in stored:
            if (seen := tuple(post)) not in held:  # the same post before its body's id is known is the same after
                held.add(seen)
                posts.append(post)
        for name, value in row_attrs.items():
            attrs.setdefault(name, value)
    alt = (type_ == "Person" and label in official_vietnamese_names() and with_vietnamese(label, alt_labels, posts)) or json_text(sorted(alt_labels))
    evkey = key_text(type_, attrs) if type_ == "Event" else None
    return senior[NODE], type_, label, alt, json_text(attrs), json_text(posts), evkey


def with_vietnamese(label: str, alt: object, posts: list[list]) -> str | None:
    """The alternative labels with the official's Vietnamese spelling added, as ``after_merge`` adds it; None if not."""
    vietnamese = vietnamese_name(label, (title for title, *_ in posts))
    if not vietnamese:
        return None
    return json_text(sorted({tuple(a) for a in alt} | {(vietnamese, "vi")}))  # type: ignore[union-attr]


def key_text(type_: str, attrs: dict) -> str | None:
    key = event_key(Entity("", type_, "", attrs=attrs))
    return json_text(key) if key else None


def write_entities(tables: CorpusTables) -> None:
    """Each drafted cluster finished with its id and its posts' bodies' ids, then the main events, as rows."""
    db = tables.db

    @lru_cache(maxsize=1 << 16)
    def final_of(org: int | str | None) -> str | None:
        if not isinstance(org, int):
            return org
        return db.execute("SELECT final FROM node WHERE node = ?", (org,)).fetchone()[0]

    # Staged as they come, then copied in key order: the entities' ids come in no order, and a million
    # posts inserted at random into their keyed table cost more than one sort.
    db.execute("CREATE TEMP TABLE staged_entity (id, type, label, alt, posts, attrs, evkey)")
    db.execute("CREATE TEMP TABLE staged_post (id, doc_id, seq, title, org)")
    batch = EntityRows(db, "staged_entity", "staged_post")
    drafts = db.execute("SELECT c.final, d.type, d.label, d.alt, d.attrs, d.posts, d.evkey FROM draft d JOIN cluster c USING (node) ORDER BY d.node")
    for entity_id, type_, label, alt, attrs, posts_text, evkey in drafts:
        posts: list[tuple] = []  # (title, org, doc_id, date), as a Post's fields: a million Post objects cost more than the rows
        if posts_text != "[]":
            held: set[tuple] = set()
            for title, org, doc_id, date in json_value(posts_text):
                post = (title, final_of(org), doc_id, date)
                if post not in held:  # two bodies of one article may be one entity
                    held.add(post)
                    posts.append(post)
        batch.add_row((entity_id, type_, label, alt, json_text(posts), attrs, evkey), posts)
    batch.flush()
    db.execute("INSERT INTO entity SELECT * FROM staged_entity ORDER BY id")
    db.execute("INSERT INTO post SELECT * FROM staged_post ORDER BY id, doc_id, seq")
    for table in ("staged_entity", "staged_post"):  # (the drafts stay: the next build that only adds articles takes those of the groups it leaves as they were)
        db.execute(f"DROP TABLE {table}")
    batch = EntityRows(db)
    # Entities no record stands for (the articles' own main events): a cluster of their id wins, and of two
    # main events of one id the later, as in a dict by id.
    for (data,) in db.execute("SELECT entity FROM main_event ORDER BY node DESC"):
        event = json_value(data)
        batch.add(Entity(event["id"], event["type"], event["label"], alt_labels={tuple(a) for a in event["alt"]}, attrs=event["attrs"]), keep=True)  # type: ignore[misc]
    batch.flush()


class EntityRows:
    """Entity rows (and their posts) written a thousand at a time; ``keep``: an entity of an id already written stays."""

    SIZE = 1000

    def __init__(self, db, entities: str = "entity", posts: str = "post") -> None:
        self.db = db
        self.entity_table, self.post_table = entities, posts
        self.rows: list[tuple] = []
        self.kept: list[tuple] = []
        self.posts: list[tuple] = []

    def add(self, entity: Entity, keep: bool = False) -> None:
        key = event_key(entity)
        posts = [(p.title, p.org, p.doc_id, p.date) for p in entity.posts]
        row = (entity.id, entity.type, entity.label, json_text(sorted(entity.alt_labels)), json_text(posts), json_text(entity.attrs), json_text(key) if key else None)
        self.add_row(row, posts, keep)

    def add_row(self, row: tuple, posts: list[tuple], keep: bool = False) -> None:
        """An entity's row and its posts, each (title, org, doc_id, date)."""
        (self.kept if keep else self.rows).append(row)
        self.posts.extend((row[0], doc_id, i, title, org) for i, (title, org, doc_id, _) in enumerate(posts))
        if len(self.rows) + len(self.kept) >= self.SIZE:
            self.flush()

    def flush(self) -> None:
        self.db.executemany(f"INSERT INTO {self.entity_table} VALUES (?, ?, ?, ?, ?, ?, ?)", self.rows)
        self.db.executemany(f"INSERT OR IGNORE INTO {self.entity_table} VALUES (?, ?, ?, ?, ?, ?, ?)", self.kept)
        self.db.executemany(f"INSERT INTO {self.post_table} VALUES (?, ?, ?, ?, ?)", self.posts)
        self.rows, self.kept, self.posts = [], [], []
