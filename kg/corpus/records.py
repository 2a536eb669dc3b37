"""Article records as plain data: what the cache stores, read back without running anything.

A record becomes JSON types only (objects, lists, strings, numbers, booleans)
and is rebuilt field by field after every field's type is checked
(``check_record``); anything not in that shape raises ``RecordFormatError``,
which the cache treats as a miss. (Pickle would run
whatever a tampered cache row asked for.)
"""

from __future__ import annotations

import json
from typing import Any

from kg.extract.article import ArticleRecord
from kg.extract.resolve import Record
from kg.extract.translit import NameSyllable
from kg.model import Document, Entity, Mention, Relation

FORMAT = 1


class RecordFormatError(ValueError):
    """Stored data that is not an article record of this format."""


def syllable_to_list(syllable: NameSyllable) -> list[Any]:
    return [syllable.latin, syllable.known, syllable.skeleton, syllable.vowels_written, list(syllable.readings), syllable.surface]


def syllable_from_list(data: list[Any]) -> NameSyllable:
    latin, known, skeleton, vowels_written, readings, surface = data
    return NameSyllable(str(latin), bool(known), str(skeleton), bool(vowels_written), tuple(str(r) for r in readings), str(surface))


def resolver_record_to_dict(record: Record) -> dict[str, Any]:
    return {
        "id": record.id, "doc_id": record.doc_id, "key": record.key, "type": record.type, "label": record.label,
        "block": record.block, "seniority": list(record.seniority), "syllables": [syllable_to_list(s) for s in record.syllables],
    }


def resolver_record_from_dict(data: dict[str, Any]) -> Record:
    rank, name = data["seniority"]
    return Record(
        str(data["id"]), str(data["doc_id"]), str(data["key"]), str(data["type"]), str(data["label"]), str(data["block"]),
        (int(rank), str(name)), tuple(syllable_from_list(s) for s in data["syllables"]),
    )


def record_to_dict(record: ArticleRecord) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "document": record.document.to_dict(),
        "mentions": [m.to_dict() for m in record.mentions],
        "records": [resolver_record_to_dict(r) for r in record.records],
        "entities": [e.to_dict() for e in record.entities.values()],
        "event": record.event.to_dict() if record.event is not None else None,
        "relations": [r.to_dict() for r in record.relations],
        "event_update": [record.event_update[0], record.event_update[1]] if record.event_update else None,
        "warnings": list(record.warnings),
        "text_key": record.text_key,
    }


OPTIONAL_STR = (str, type(None))
NUMBER = (int, float)
SHAPES: dict[str, dict[str, tuple[type, ...]]] = {
    "document": {"id": (str,), "path": (str,), "lang": (str,), "text": (str,), "source_url": OPTIONAL_STR, "year": (int, type(None)), "skipped": (list,), "date": OPTIONAL_STR, "title": OPTIONAL_STR},
    "mention": {"doc_id": (str,), "sentence": (int,), "start": (int,), "end": (int,), "text": (str,), "type": (str,), "source": (str,), "confidence": NUMBER, "key": (str,)},
    "entity": {"id": (str,), "type": (str,), "label": (str,), "mentions": (list,), "alt_labels": (list,), "posts": (list,), "attrs": (dict,)},
    "post": {"title": (str,), "org": OPTIONAL_STR, "doc_id": (str,), "date": OPTIONAL_STR},
    "relation": {"s": (str,), "p": (str,), "o": (str,), "evidence": (dict,)},
    "evidence": {"doc_id": (str,), "sentence": (int,), "start": (int,), "end": (int,), "text": (str,), "rule": (str,), "confidence": NUMBER, "source_url": OPTIONAL_STR},
    "record": {"id": (str,), "doc_id": (str,), "key": (str,), "type": (str,), "label": (str,), "block": (str,), "seniority": (list,), "syllables": (list,)},
}


# Each shape's field names as the keys a record may have (a relation's post title is written only when
# it has one), and its fields with whether a boolean is refused where a number is asked for.
KEYS = {shape: [set(fields)] + ([set(fields) | {"post"}] if shape == "relation" else []) for shape, fields in SHAPES.items()}
CHECKS = {shape: [(name, types, bool not in types and int in types) for name, types in fields.items()] for shape, fields in SHAPES.items()}


def check_shape(item: Any, shape: str) -> None:
    """``item`` has exactly the fields of ``shape`` with values of their types (booleans are not numbers)."""
    if type(item) is not dict or item.keys() not in KEYS[shape]:  # (keys views compare with sets without copying)
        raise RecordFormatError(f"malformed {shape}")
    for name, types, no_bool in CHECKS[shape]:
        value = item[name]
        if not isinstance(value, types) or (no_bool and value.__class__ is bool):
            raise RecordFormatError(f"malformed {shape}: {name}")


def check_record(data: dict[str, Any]) -> None:
    """Every field the record is rebuilt from, checked before anything is made of it."""
    check_shape(data["document"], "document")
    for mention in data["mentions"]:
        check_shape(mention, "mention")
    for entity in data["entities"] + ([data["event"]] if data["event"] is not None else []):
        check_shape(entity, "entity")
        for mention in entity["mentions"]:
            check_shape(mention, "mention")
        for post in entity["posts"]:
            check_shape(post, "post")
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in entity["attrs"].items()):
            raise RecordFormatError("malformed entity: attrs")
        if not all(isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair) for pair in entity["alt_labels"]):
            raise RecordFormatError("malformed entity: alt_labels")
    for relation in data["relations"]:
        check_shape(relation, "relation")
        check_shape(relation["evidence"], "evidence")
        if not isinstance(relation.get("post", ""), str):
            raise RecordFormatError("malformed relation: post")
    for record in data["records"]:
        check_shape(record, "record")
    if not isinstance(data["warnings"], list) or not all(isinstance(w, str) for w in data["warnings"]) or not isinstance(data["text_key"], str):
        raise RecordFormatError("malformed record: warnings or text key")


def record_from_dict(data: Any) -> ArticleRecord:
    """The record ``data`` describes; ``RecordFormatError`` for anything else."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RecordFormatError("not an article record of this format")
    try:
        check_record(data)
        entities = [Entity.from_dict(e) for e in data["entities"]]
        update = data["event_update"]
        return ArticleRecord(
            Document.from_dict(data["document"]),
            [],
            [Mention.from_dict(m) for m in data["mentions"]],
            [resolver_record_from_dict(r) for r in data["records"]],
            {e.id: e for e in entities},
            Entity.from_dict(data["event"]) if data["event"] is not None else None,
            [Relation.from_dict(r) for r in data["relations"]],
            (str(update[0]), {str(k): str(v) for k, v in update[1].items()}) if update else None,
            tuple(str(w) for w in data["warnings"]),
            str(data["text_key"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise RecordFormatError(f"malformed article record ({type(error).__name__}: {error})") from None


def dumps(record: ArticleRecord) -> bytes:
    # (surrogatepass: text read with surrogateescape keeps its undecodable bytes through the cache)
    return json.dumps(record_to_dict(record), ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def loads(blob: bytes) -> ArticleRecord:
    # (Each record is linked into the corpus tables and dropped (kg.corpus.tables): its strings need
    # not be shared with other records' as they were when a build held every record.)
    try:
        data = json.loads(blob.decode("utf-8", "surrogatepass"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RecordFormatError(f"not JSON ({error})") from None
    return record_from_dict(data)
