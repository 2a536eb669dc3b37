"""A build's extraction file read one document record at a time.

``kg build`` writes the document records (``kg.graph.export``) either as
``extraction.json``, one JSON list, or with ``--format jsonl`` as
``extraction.jsonl``: a header line (``{"kg": "extraction", "format": 1, …}``)
and then one record per line. Both are read here as streams: a list is
decoded element by element from a buffer of about a megabyte, so reading the
records of a 10^5-article build never holds its whole text, nor all its
records unless the reader keeps them. ``kg eval``, ``kg review``, ``kg viz``
and ``kg serve`` read through this module.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

JSONL_KIND = "extraction"
JSONL_FORMAT = 1
FILE_NAMES = ("extraction.json", "extraction.jsonl")
CHUNK = 1 << 20  # characters read at a time
WHITESPACE = " \t\n\r"


class RecordError(ValueError):
    """A file that is not in the shape of ``extraction.json``; the message is one line naming what is wrong."""


def beside(path: Path) -> Path:
    """The extraction file of the build that ``path`` (a graph file or a build folder) belongs to.

    ``extraction.json`` unless only ``extraction.jsonl`` is there; the name
    returned may not exist.
    """
    folder = path if path.is_dir() else path.parent
    for name in FILE_NAMES:
        if (folder / name).is_file():
            return folder / name
    return folder / FILE_NAMES[0]


def jsonl_header(**fields: Any) -> dict[str, Any]:
    return {"kg": JSONL_KIND, "format": JSONL_FORMAT, **fields}


def iter_values(path: Path) -> Iterator[Any]:
    """The top-level items of a JSON list file, or the records of a JSON Lines extraction, one at a time.

    A file holding one JSON value that is not a JSON Lines header yields that
    value. RecordError names the file and where it stops being JSON.
    """
    yield from open_values(path)[1]


def open_values(path: Path) -> tuple[str, Iterator[Any]]:
    """(what the file holds: ``list``, ``jsonl`` or ``value``, its items as ``iter_values`` yields them)."""
    source = str(path)
    handle = open(path, encoding="utf-8")
    try:
        head = handle.read(CHUNK)
        while not head.strip(WHITESPACE) and (more := handle.read(CHUNK)):
            head += more  # what the file holds is told by its first character that is not a space
        while head.lstrip(WHITESPACE)[:1] == "{" and "\n" not in head.lstrip(WHITESPACE) and (more := handle.read(CHUNK)):
            head += more  # a JSON Lines header is told by its whole first line
    except UnicodeDecodeError:
        handle.close()
        raise RecordError(f"{source}: not UTF-8 text") from None
    start = skip_space(head, 0)
    if start < len(head) and head[start] == "[":
        return "list", closing(handle, list_items(handle, head, start + 1, source), source)
    if start < len(head) and head[start] == "{" and is_jsonl_header(head[start:].split("\n", 1)[0]):
        return "jsonl", closing(handle, jsonl_records(handle, head, source), source)
    try:
        rest = head + handle.read()
    except UnicodeDecodeError:
        raise RecordError(f"{source}: not UTF-8 text") from None
    finally:
        handle.close()
    try:
        value = json.loads(rest)
    except json.JSONDecodeError as error:
        raise RecordError(f"{source}: not valid JSON ({error.msg} at line {error.lineno} column {error.colno})") from None
    return "value", iter([value])


def closing(handle: IO[str], items: Iterator[Any], source: str) -> Iterator[Any]:
    try:
        yield from items
    except UnicodeDecodeError:
        raise RecordError(f"{source}: not UTF-8 text") from None
    finally:
        handle.close()


def skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in WHITESPACE:
        at += 1
    return at


def is_jsonl_header(line: str) -> bool:
    try:
        header = json.loads(line)
    except json.JSONDecodeError:
        return False
    return isinstance(header, dict) and header.get("kg") == JSONL_KIND


def list_items(handle: IO[str], buffer: str, at: int, source: str) -> Iterator[Any]:
    """The items of a JSON list whose ``[`` ends just before ``buffer[at]``, decoded as the file is read."""
    decoder = json.JSONDecoder()
    ended = False
    index = 0

    def fail(what: str) -> RecordError:
        return RecordError(f"{source}: not valid JSON ({what} in item {index + 1} of the list)")

    while True:
        at = skip_space(buffer, at)
        while at == len(buffer) and not ended:
            more = handle.read(CHUNK)
            ended = not more
            buffer, at = more, skip_space(more, 0)
        if at == len(buffer):
            raise RecordError(f"{source}: not valid JSON (the list is not closed)")
        if buffer[at] == "]":
            rest = buffer[at + 1 :] + handle.read()
            if rest.strip(WHITESPACE):
                raise RecordError(f"{source}: not valid JSON (text after the list)")
            return
        if index:
            if buffer[at] != ",":
                raise fail("expected ',' or ']'")
            at = skip_space(buffer, at + 1)
        while True:
            try:
                value, end = decoder.raw_decode(buffer, at)
            except json.JSONDecodeError as error:
                if ended:
                    raise fail(error.msg) from None
                value, end = None, -1
            if end != -1 and (end < len(buffer) or ended):
                break
            # The item runs past what was read (or a number might go on): read more and decode it again.
            more = handle.read(max(CHUNK, len(buffer) - at))
            ended = not more
            buffer = buffer[at:] + more
            at = skip_space(buffer, 0)
        yield value
        index += 1
        at = end


def jsonl_records(handle: IO[str], head: str, source: str) -> Iterator[Any]:
    """The records after the header line of a JSON Lines extraction."""
    pending = head
    number = 0
    while True:
        lines = pending.split("\n")
        pending = lines.pop()  # an unfinished line waits for the next read
        for line in lines:
            number += 1
            if number == 1 or not line.strip(WHITESPACE):
                continue  # the header, blank lines
            try:
                yield json.loads(line)
            except json.JSONDecodeError as error:
                raise RecordError(f"{source}: not valid JSON Lines ({error.msg} at line {number} column {error.colno})") from None
        more = handle.read(CHUNK)
        if not more:
            break
        pending += more
    if pending.strip(WHITESPACE):
        number += 1
        try:
            yield json.loads(pending)
        except json.JSONDecodeError as error:
            raise RecordError(f"{source}: not valid JSON Lines ({error.msg} at line {number} column {error.colno})") from None


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """The document records of an extraction file, each checked (``check_record``) as it is read.

    RecordError for a file that is not one, naming the file and the first
    place it differs; a file with no record is one too.
    """
    source = str(path)
    try:
        kind, values = open_values(Path(path))
    except OSError as error:
        raise RecordError(f"{source}: cannot read ({error.strerror or error})") from None
    if kind == "value":
        value = next(values)
        raise RecordError(f"{source}: not an extraction.json (expected a list of documents, got {type(value).__name__})")
    count = 0
    for count, record in enumerate(values, 1):
        check_record(record, count, source)
        yield record
    if not count:
        raise RecordError(f"{source}: not an extraction.json (no documents)")


def records_or_none(path: Path) -> list[Any] | None:
    """The items of an extraction file (a list or JSON Lines), unchecked; None when it is absent, unreadable or not a list."""
    try:
        kind, values = open_values(Path(path))
        return list(values) if kind != "value" else None
    except (OSError, RecordError):
        return None


def check_records(data: Any, source: str = "extraction.json") -> list[dict[str, Any]]:
    """``data`` when it is a list of records in the shape ``document_records`` writes, else RecordError saying where it differs."""
    if not isinstance(data, list):
        raise RecordError(f"{source}: not an extraction.json (expected a list of documents, got {type(data).__name__})")
    if not data:
        raise RecordError(f"{source}: not an extraction.json (no documents)")
    for i, record in enumerate(data, 1):
        check_record(record, i, source)
    return data


def check_record(record: Any, number: int, source: str) -> None:
    """One document record (the ``number``-th of ``source``) has the fields readers rely on, else RecordError.

    Readers (``kg review``, ``kg viz``, ``kg serve``) check each record first,
    so a file of another shape is one clear error instead of a traceback or an
    empty page.
    """

    def fail(where: str, what: str) -> None:
        raise RecordError(f"{source}: not an extraction.json ({where}{': ' if where else ''}{what})")

    def check_fields(item: Any, where: str, fields: dict[str, tuple[type, ...]], required: tuple[str, ...]) -> None:
        if not isinstance(item, dict):
            fail(where, f"expected an object, got {type(item).__name__}")
        for name in required:
            if name not in item:
                fail(where, f"missing key {name!r}")
        for name, types in fields.items():
            if name in item and not isinstance(item[name], types):
                fail(where, f"{name!r} is {type(item[name]).__name__}, expected {' or '.join(t.__name__ for t in types)}")

    check_fields(record, f"document {number}", {"doc": (str,), "lang": (str,), "entities": (list,), "relations": (list,)}, ("doc", "entities"))
    where = f"document {number} ({record['doc']!r})"
    for j, entity in enumerate(record["entities"], 1):
        check_fields(entity, f"{where}, entity {j}", {"id": (str,), "type": (str,), "label": (str,), "mentions": (list,), "posts": (list,), "attrs": (dict,)}, ("id", "type", "label"))
        for mention in entity.get("mentions", []):
            if not isinstance(mention, str):
                fail(f"{where}, entity {entity['id']!r}", "a mention is not a string")
        for post in entity.get("posts", []):
            check_fields(post, f"{where}, entity {entity['id']!r}, post", {"title": (str,), "org": (str, type(None))}, ("title",))
    for j, relation in enumerate(record.get("relations", []), 1):
        check_fields(relation, f"{where}, relation {j}", {"s": (str,), "p": (str,), "o": (str,), "post": (str,), "evidence": (list,)}, ("s", "p", "o"))
        for evidence in relation.get("evidence", []):
            check_fields(evidence, f"{where}, relation {j}, evidence", {"text": (str,), "doc_id": (str,), "rule": (str,), "confidence": (int, float)}, ())
