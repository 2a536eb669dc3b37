"""Export: the extraction as JSON in the shape of the gold annotations.

``out/extraction.json`` is a list with one object per document, each in the
shape of ``shared/gold/README.md`` (doc, lang, entities with mentions and
posts, relations), so ``kg eval`` compares it with the gold files directly.
Entity ids are corpus-wide: the same id in two documents is one entity.
Relations also carry their evidence, which the gold shape does not have and
the scorer ignores.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring as encode_string  # the C escaper when there is one
from typing import IO, TYPE_CHECKING, Any

from kg.model import Extraction

if TYPE_CHECKING:
    from kg.graph.view import CorpusView


def document_name(document: Any) -> str:
    """The name a document goes by in extraction.json: its file's name, or its id + ``.txt`` (a dump record, or a file whose name it shares)."""
    base = document.path.rsplit("/", 1)[-1]
    return base if base.endswith(".txt") and base[: -len(".txt")] == document.id else document.id + ".txt"


def document_records(extraction: Extraction) -> list[dict[str, Any]]:
    return list(iter_document_records(extraction))


def iter_document_records(extraction: Extraction) -> Iterator[dict[str, Any]]:
    """The records of ``extraction.json``, one per document in corpus order, made as they are asked for (``view_records``)."""
    from kg.graph.view import ExtractionView

    return view_records(ExtractionView(extraction))


def view_records(view: CorpusView) -> Iterator[dict[str, Any]]:
    """The records of ``extraction.json`` of a corpus (``kg.graph.view``), one per document in corpus order."""
    for document, entries, relations in view.document_entries():
        entities = []
        for entity, mentions, posts in entries:
            record: dict[str, Any] = {"id": entity.id, "type": entity.type, "label": entity.label, "mentions": mentions}
            if entity.type == "Person":
                record["posts"] = [{"title": post.title, "org": post.org} if post.org else {"title": post.title} for post in posts]
            if entity.attrs:
                record["attrs"] = dict(sorted(entity.attrs.items()))
            entities.append(record)
        seen: dict[tuple[str, str, str], dict[str, Any]] = {}
        for relation in relations:
            item = seen.get(relation.key())
            if item is None:
                item = {"s": relation.subject, "p": relation.predicate, "o": relation.object}
                if relation.post:
                    item["post"] = relation.post
                item["evidence"] = []
                seen[relation.key()] = item
            item["evidence"].append(relation.evidence.to_dict())
        yield {
            "doc": document_name(document),
            "path": document.path,
            "lang": document.lang,
            "source_url": document.source_url,
            "entities": entities,
            "relations": list(seen.values()),
        }


def write_records(records: Iterable[dict[str, Any]], handle: IO[str]) -> int:
    """``records`` as ``extraction.json`` (the bytes of ``json.dumps(list, indent=2)``), one record in memory at a time; how many."""
    count = 0
    for record in records:
        handle.write(("[\n  " if not count else ",\n  ") + record_text(record))
        count += 1
    handle.write("\n]\n" if count else "[]\n")
    return count


def record_text(record: dict[str, Any]) -> str:
    """One record as ``extraction.json`` writes it, nested in the list (no raw newline inside a string: records split at their lines)."""
    pieces: list[str] = []
    try:
        indented_json(record, "  ", pieces)
    except TypeError:  # a value only the standard encoder knows how to write (or refuses)
        return json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    return "".join(pieces)


def write_jsonl(records: Iterable[dict[str, Any]], handle: IO[str], header: dict[str, Any]) -> int:
    """``records`` as ``extraction.jsonl``: the header line, then one record per line; how many."""
    handle.write(record_line(header))
    count = 0
    for record in records:
        handle.write(record_line(record))
        count += 1
    return count


def record_line(record: dict[str, Any]) -> str:
    """One line of ``extraction.jsonl`` (its header, or a record), with its newline."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def json_float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def indented_json(value: Any, indent: str, out: list[str]) -> None:
    """``value`` as ``json.dumps(value, ensure_ascii=False, indent=2)`` writes it, nested one level
    deeper than ``indent``, appended to ``out`` in pieces; TypeError for anything but JSON's own types.

    The standard encoder drops to pure Python for indented output and spent
    most of ``extraction.json``'s writing in its generators (45 of 190 s of a
    10^4-article build's outputs under the profiler); strings still go
    through its C escaper.
    """
    if type(value) is str:
        out.append(encode_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif type(value) is int:
        out.append(int.__repr__(value))
    elif type(value) is float:
        out.append(json_float(value))
    elif type(value) is dict:
        if not value:
            out.append("{}")
            return
        inner = indent + "  "
        opening = "{\n" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError("a key that is not a string")
            out.append(opening + encode_string(key) + ": ")
            indented_json(item, inner, out)
            opening = ",\n" + inner
        out.append("\n" + indent + "}")
    elif type(value) in (list, tuple):
        if not value:
            out.append("[]")
            return
        inner = indent + "  "
        opening = "[\n" + inner
        for item in value:
            out.append(opening)
            indented_json(item, inner, out)
            opening = ",\n" + inner
        out.append("\n" + indent + "]")
    else:
        raise TypeError(f"not a JSON value: {type(value).__name__}")
