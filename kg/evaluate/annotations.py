"""Reading annotation files in the shape of the gold README: gold and predicted alike.

Strings are compared after NFC and whitespace folding (``fold_mention``);
document names after dropping folders and extensions (``doc_key``). Every
problem with a file is an ``EvalError`` whose message names the file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.text import fold_label  # noqa: F401 - scores and callers read it from here


class EvalError(Exception):
    """A gold or predicted file that cannot be scored; the message is one line."""


# --------------------------------------------------------------------------- scores



_SPACE = re.compile(r"[\s\u200b\ufeff]+")


def fold_mention(text: str) -> str:
    """NFC, every run of whitespace (and zero-width space/BOM) to one space, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def doc_key(name: str) -> str:
    """Document key: the file name without folders and without a trailing .txt/.json."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    for suffix in (".txt", ".json"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
    return base


# --------------------------------------------------------------------------- loading


@dataclass
class AnnotatedEntity:
    id: str
    type: str
    label: str
    mentions: list[str]  # folded, distinct, in order
    main: bool = False  # predicted: flagged as the document's main event


@dataclass
class AnnotatedDocument:
    key: str
    name: str
    entities: list[AnnotatedEntity]
    relations: list[tuple[str, str, str]]  # distinct, in order


def _fail(source: str, problem: str) -> EvalError:
    return EvalError(f"{source}: {problem}")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise _fail(str(path), f"not valid JSON ({error.msg} at line {error.lineno} column {error.colno})") from None
    except UnicodeDecodeError:
        raise _fail(str(path), "not UTF-8 text") from None
    except OSError as error:
        raise _fail(str(path), f"cannot be read ({error.strerror or error})") from None


def _mention_text(value: Any, source: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("text"), str):  # a full Mention record
        return value["text"]
    raise _fail(source, f"mention {value!r:.60} is not a string")


def _parse_doc(data: Any, source: str, *, gold: bool) -> AnnotatedDocument:
    if not isinstance(data, dict):
        raise _fail(source, f"expected a document object, found {type(data).__name__}")
    for key in ("doc", "entities", "relations"):
        if key not in data:
            raise _fail(source, f"missing key '{key}'")
    if not isinstance(data["doc"], str) or not data["doc"]:
        raise _fail(source, "'doc' is not a non-empty string")
    name = data["doc"]
    where = f"{source} [{name}]"
    if not isinstance(data["entities"], list):
        raise _fail(where, "'entities' is not a list")
    if not isinstance(data["relations"], list):
        raise _fail(where, "'relations' is not a list")
    entities: list[AnnotatedEntity] = []
    seen_ids: set[str] = set()
    required = ("id", "type", "label", "mentions") if gold else ("id", "type", "mentions")
    for index, item in enumerate(data["entities"]):
        if not isinstance(item, dict):
            raise _fail(where, f"entity #{index} is not an object")
        for key in required:
            if key not in item:
                raise _fail(where, f"entity #{index} ({item.get('id', '?')}) missing key '{key}'")
        if not isinstance(item["id"], str) or not isinstance(item["type"], str):
            raise _fail(where, f"entity #{index}: 'id' and 'type' must be strings")
        if not isinstance(item["mentions"], list):
            raise _fail(where, f"entity {item['id']}: 'mentions' is not a list")
        label = item.get("label", "")
        if not isinstance(label, str):
            raise _fail(where, f"entity {item['id']}: 'label' is not a string")
        if item["id"] in seen_ids:
            raise _fail(where, f"entity id '{item['id']}' listed twice")
        seen_ids.add(item["id"])
        mentions: list[str] = []
        for value in item["mentions"]:
            folded = fold_mention(_mention_text(value, f"{where} entity {item['id']}"))
            if folded and folded not in mentions:
                mentions.append(folded)
        attrs = item.get("attrs") if isinstance(item.get("attrs"), dict) else {}
        if attrs.get("doc"):
            main = doc_key(str(attrs["doc"])) == doc_key(name)
        else:
            main = str(attrs.get("main", "")).lower() == "true"
        entities.append(AnnotatedEntity(item["id"], item["type"], label, mentions, main))
    relations: list[tuple[str, str, str]] = []
    for index, item in enumerate(data["relations"]):
        if not isinstance(item, dict):
            raise _fail(where, f"relation #{index} is not an object")
        for key in ("s", "p", "o"):
            if key not in item:
                raise _fail(where, f"relation #{index} missing key '{key}'")
            if not isinstance(item[key], str):
                raise _fail(where, f"relation #{index}: '{key}' is not a string")
        triple = (item["s"], item["p"], item["o"])
        if gold:
            check_gold_relation(triple, seen_ids, f"{where} relation #{index}")
        if triple not in relations:
            relations.append(triple)
    return AnnotatedDocument(doc_key(name), name, entities, relations)


def check_gold_relation(triple: tuple[str, str, str], ids: set[str], where: str) -> None:
    """A gold relation names entities of its own file and one of the ten predicates."""
    from kg.model import PREDICATES

    subject, predicate, obj = triple
    if predicate not in PREDICATES:
        raise _fail(where, f"unknown predicate '{predicate}' (expected one of {', '.join(PREDICATES)})")
    for entity_id in (subject, obj):
        if entity_id not in ids:
            raise _fail(where, f"unknown entity id '{entity_id}' (not listed in this file's entities)")


def _records_in(data: Any, source: str) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and "documents" in data and "sentences" in data and "doc" not in data:
        # A whole Extraction (kg.model) rather than the exported records.
        try:
            from kg.graph.export import document_records
            from kg.model import Extraction

            return document_records(Extraction.from_dict(data))
        except Exception as error:  # noqa: BLE001 - reported as a scoring error
            raise _fail(source, f"looks like an Extraction but cannot be read ({error})") from None
    return [data]


def _stream_records(path: Path) -> Iterator[tuple[int, Any, bool]]:
    """(index, record, whether it is the file's only one) for each document of a predicted file, read as a stream.

    A build's extraction.json of 10^5 articles is hundreds of megabytes: it is
    decoded one document at a time and only the scored fields are kept.
    """
    from kg.graph.extraction_file import RecordError, open_values

    try:
        kind, values = open_values(path)
        if kind == "value":
            records = _records_in(next(values), str(path))
            yield from ((i, r, len(records) == 1) for i, r in enumerate(records))
            return
        ahead = next(values, None)
        index = 0
        while ahead is not None:
            record, ahead = ahead, next(values, None)
            yield index, record, index == 0 and ahead is None
            index += 1
    except RecordError as error:
        raise EvalError(str(error)) from None
    except OSError as error:
        raise _fail(str(path), f"cannot be read ({error.strerror or error})") from None


def load_gold(gold_dir: Path) -> dict[str, AnnotatedDocument]:
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise _fail(str(gold_dir), "gold directory not found")
    files = sorted(p for p in gold_dir.glob("*.json") if p.is_file())
    if not files:
        raise _fail(str(gold_dir), "no gold *.json files")
    docs: dict[str, AnnotatedDocument] = {}
    for path in files:
        doc = _parse_doc(_read_json(path), str(path), gold=True)
        if doc.key in docs:
            raise _fail(str(path), f"document '{doc.name}' already annotated in another gold file")
        docs[doc.key] = doc
    return docs


def load_predicted(predicted: Path, known: set[str] | None = None) -> dict[str, AnnotatedDocument]:
    predicted = Path(predicted)
    if predicted.is_dir():
        files = sorted(p for p in predicted.glob("*.json") if p.is_file())
        if not files:
            raise _fail(str(predicted), "no predicted *.json files")
    elif predicted.is_file():
        files = [predicted]
    else:
        raise _fail(str(predicted), "prediction not found")
    docs: dict[str, AnnotatedDocument] = {}
    for path in files:
        for index, record, alone in _stream_records(path):
            doc = _parse_doc(record, str(path) if alone else f"{path} (item {index})", gold=False)
            if doc.key in docs:
                raise _fail(str(path), f"document '{doc.name}' predicted twice")
            if known is not None and doc.key not in known:
                raise _fail(str(path), f"predicted document '{doc.name}' is not in the gold set")
            docs[doc.key] = doc
    return docs


# --------------------------------------------------------------------------- alignment


