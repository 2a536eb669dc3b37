"""What linking one article record into the corpus tables needs of it, as plain rows, made where the record is made.

``CorpusTables.add_rows`` numbers an article's nodes and links its shared
keys to the corpus's; everything else in its rows (each person's member
row, the mentions' texts, the relations, in JSON where the tables keep JSON)
follows from the record alone. A build's workers make the rows
(``kg.corpus.engines``), so this process receives tuples of strings and
numbers, which unpickle in C, instead of a record's hundred objects, and only
numbers and writes them.

Within the rows an article's entities are *slots*: its records in order,
then its main event. Where the tables keep a node (a post's body, a
relation's end), the rows hold the slot's number; an id the article does not
name stays a string.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kg.corpus.table_json import json_text, syllables_text
from kg.extract.article import ArticleRecord
from kg.extract.resolve import Record
from kg.model import Entity, Relation


class ArticleRows(NamedTuple):
    """One article record as the corpus tables link it (``article_rows``)."""

    document: tuple[str, str, str, str, str]  # id, data (JSON, its text left out), path, text_key, lang
    # Per record: a person's (True, record id, member columns grp..attrs, posts, mention texts), or a shared key's
    # (False, key, seniority, doc id, member columns grp..syllables as its first article gives them, alternative labels, attributes,
    # mention texts): most shared keys are known by then, so their labels and attributes are encoded only for a new one.
    slots: list[tuple]
    event: tuple[str, str, list[str]] | None  # the article's own main event: id, entity (JSON), mention texts
    event_update: tuple[int, dict[str, Any]] | None  # (slot, attributes): what the article tells of an event it names
    relations: list[tuple]  # each relation_row without the document's number, its ends as slots where the article names them


def article_rows(article: ArticleRecord) -> ArticleRows:
    """The rows of one article record (see the module docstring)."""
    document = article.document
    data = document.to_dict()
    data["text"] = ""
    slot_of = {record.id: slot for slot, record in enumerate(article.records)}
    if article.event is not None:
        slot_of[article.event.id] = len(article.records)
    slots: list[tuple] = []
    for record in article.records:
        local = article.entities[record.id]
        texts = [m.text for m in local.mentions]
        if record.type == "Person":  # resolved per document (kg.corpus.link.scope_of): a node of its own
            posts = [[p.title, slot_of.get(p.org, p.org) if p.org is not None else None, p.doc_id, p.date] for p in local.posts]
            slots.append((True, record.id, member_columns(record, local), posts, texts))
        else:  # one node per key: the first article's record, the seniority of the most senior one
            first = member_head(record, "#" + record.key)
            slots.append((False, record.key, record.seniority, record.doc_id, first, sorted(local.alt_labels), local.attrs, texts))
    event = None
    if article.event is not None:
        main = article.event
        event = (main.id, json_text(event_data(main)), [m.text for m in main.mentions])
    update = None
    if article.event_update is not None:
        local_id, attrs = article.event_update
        update = (slot_of[local_id], attrs)
    relations = [relation_columns(seq, r, slot_of) for seq, r in enumerate(article.relations)]
    return ArticleRows((document.id, json_text(data), document.path, article.text_key, document.lang), slots, event, update, relations)


def member_head(record: Record, rid: str) -> tuple:
    """A member row's columns from ``grp`` to ``syllables`` (``ref_id`` left empty: filled where judgements need it)."""
    return (
        record.block, record.block, record.key, rid, record.doc_id, record.seniority[0], record.seniority[1],
        record.type, record.label, record.label.lower(), "", syllables_text(record.syllables),
    )


def member_columns(record: Record, entity: Entity) -> tuple:
    """A person's member row's columns from ``grp`` to ``attrs``."""
    return (*member_head(record, record.id), json_text(sorted(entity.alt_labels)), json_text(entity.attrs))


def event_data(event: Entity) -> dict:
    return {"id": event.id, "type": event.type, "label": event.label, "alt": sorted(event.alt_labels), "attrs": event.attrs}


def relation_columns(seq: int, relation: Relation, slot_of: dict[str, int]) -> tuple:
    e = relation.evidence
    s_slot, o_slot = slot_of.get(relation.subject), slot_of.get(relation.object)
    return (
        seq, s_slot, relation.subject if s_slot is None else None, relation.predicate, o_slot, relation.object if o_slot is None else None,
        relation.post, e.doc_id, e.sentence, e.start, e.end, e.text, e.rule, e.confidence, e.source_url,
    )


class ReadyArticle(NamedTuple):
    """What a build's worker hands back for one article instead of its record: what the build checks, stores and links.

    ``cached`` is the record as the article cache keeps it (``ArticleCache.put_stored``), or empty when the build has no cache.
    """

    warnings: tuple[str, ...]
    cached: bytes
    rows: ArticleRows

    # What the build checks of the document, read from its row.
    @property
    def doc_id(self) -> str:
        return self.rows.document[0]

    @property
    def path(self) -> str:
        return self.rows.document[2]

    @property
    def text_key(self) -> str:
        return self.rows.document[3]

    @property
    def lang(self) -> str:
        return self.rows.document[4]


def ready_article(record: ArticleRecord, cached: bool) -> ReadyArticle:
    """Made where the record is made (a worker): its rows, and with ``cached`` its cache entry."""
    from kg.corpus.cache import stored_record

    return ReadyArticle(record.warnings, stored_record(record) if cached else b"", article_rows(record))
