"""Sources: where articles come from — folders of ``.txt`` files, JSON Lines or Parquet dumps.

A ``Source`` names one article without reading it: a file path, or one
record of a dump (``text`` and optional ``id``, ``url``, ``lang``, ``date``,
``title`` — the shape news dumps come in). It is small and picklable, so the
build can hash it for the cache and send it to a worker, which turns it into
a ``Document`` with ``read_source``.

Record fields:

- ``text`` (required): the article;
- ``id``: the document id; default ``<dump stem>-<line or row number>``;
- ``url``: the source URL (else a ``source: https://…`` line of the text);
- ``lang``: ``hi`` or ``ar`` (else detected from the script);
- ``date``: the article date, ``YYYY-MM-DD`` (a longer ISO timestamp is cut to
  its day; ``YYYY-MM`` and ``YYYY`` are kept as given): it gives the year and
  dates the main event (when the text names no day) and the posts;
- ``title``: kept with the document.

A record that cannot be an article (no text, not an object, a bad date) is
skipped with a one-line reason naming the dump and the line, like a bad file.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kg.extract.article_files import ignored_lines, scan_inputs
from kg.extract.file_bytes import MAX_BYTES, IngestError, read_bytes, shown
from kg.extract.ingest import Skipped, document_from_text, file_ids, read_document, text_name
from kg.model import Document

DUMP_SUFFIXES = (".jsonl", ".ndjson", ".parquet")
DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
FIELDS = ("text", "id", "url", "lang", "date", "title")


@dataclass(frozen=True, slots=True)
class Source:
    """One article to read: ``path`` alone for a file; ``path``, ``row`` and the fields for a dump record."""

    path: str
    row: int = 0  # 1-based line (JSON Lines) or row (Parquet) of a dump; 0 for a file
    fields: tuple[tuple[str, Any], ...] = ()
    error: str = ""  # why the record cannot be read (found while reading the dump)
    file_id: str = ""  # a file's document id among the corpus's files (``ingest.file_ids``)
    raw: bytes | None = None  # a file's bytes, read here for a worker on another machine (``with_contents``)

    @property
    def name(self) -> str:
        return shown(self.path) + (f":{self.row}" if self.row else "")

    def doc_id(self) -> str:
        """The id the document will have (known before it is read)."""
        if not self.row:
            return self.file_id or text_name(Path(self.path).stem)
        given = dict(self.fields).get("id")
        return str(given) if given not in (None, "") else f"{Path(self.path).name.split('.')[0]}-{self.row}"

    def fingerprint(self) -> str:
        """A hash of everything the document is made from: the file's bytes, or the record's fields.

        A file that cannot be read gets an empty fingerprint (never cached):
        it is read as ingest reads it (``read_bytes``: regular files only, at
        most ``MAX_BYTES``), so a FIFO or ``/dev/zero`` cannot hang or exhaust
        the build here; reading the source then says why it is skipped.
        """
        digest = hashlib.sha256()
        digest.update(self.path.encode("utf-8", "surrogatepass") + b"\0" + str(self.row).encode() + b"\0" + self.file_id.encode("utf-8", "surrogatepass") + b"\0")
        if self.row:
            digest.update(json.dumps(self.fields, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass"))
        else:
            try:
                digest.update(read_bytes(Path(self.path)))
            except IngestError:
                return ""
        return digest.hexdigest()


def with_contents(source: Source) -> Source:
    """``source`` carrying its file's bytes, or why they cannot be read, for a worker that cannot see this machine's files.

    A worker of a cluster elsewhere has neither the files nor this process's
    working folder (a relative path means nothing there); a dump's record
    already carries its fields.
    """
    if source.row or source.raw is not None or source.error:
        return source
    try:
        return replace(source, raw=read_bytes(Path(source.path)))
    except IngestError as error:
        return replace(source, error=str(error))


def is_dump(path: Path) -> bool:
    return path.name.lower().endswith(DUMP_SUFFIXES)


def find_sources(inputs: Iterable[Path], not_read: list[Skipped] | None = None, warnings: list[str] | None = None) -> Iterator[Source]:
    """Every article of ``inputs``: ``.txt`` files of folders, given files, the records of given dumps.

    Files come sorted as ``find_article_files`` sorts them; a dump's records in
    file order. Dumps are read lazily, one record at a time. What the folders
    hold that cannot be read (a folder that cannot be listed) goes to
    ``not_read``, one line per folder for what is not an article (no ``.txt``
    suffix, hidden folders, links to folders) to ``warnings`` (``kg.extract.article_files.scan_inputs``).
    """
    inputs = list(inputs)
    dumps = [p for p in inputs if p.is_file() and is_dump(p)]
    files, skipped, ignored = scan_inputs([p for p in inputs if p not in dumps])
    if not_read is not None:
        not_read.extend(skipped)
    if warnings is not None:
        warnings.extend(ignored_lines(ignored))
    ids = file_ids(files)
    for path in files:
        yield Source(str(path), file_id=ids[path])
    for dump in dumps:
        yield from dump_sources(dump)


def dump_sources(path: Path) -> Iterator[Source]:
    if path.name.lower().endswith(".parquet"):
        yield from parquet_sources(path)
    else:
        yield from jsonl_sources(path)


def jsonl_sources(path: Path) -> Iterator[Source]:
    """One source per line; a byte-order mark is skipped; a line past the article limit is one skipped record, never held whole."""
    with open(path, encoding="utf-8-sig", errors="surrogateescape") as handle:
        number = 0
        while line := handle.readline(MAX_BYTES + 1):
            number += 1
            if len(line) > MAX_BYTES:
                while (rest := handle.readline(1 << 20)) and not rest.endswith("\n"):
                    pass  # the rest of the line, read in pieces and dropped
                yield Source(str(path), number, error=f"record over the {MAX_BYTES} byte limit for one article; split it")
                continue
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError as error:
                yield Source(str(path), number, error=f"not a JSON object ({error.msg})")
                continue
            yield record_source(path, number, data)


def parquet_sources(path: Path) -> Iterator[Source]:
    try:
        import pyarrow.parquet as pq
    except ImportError as error:  # pragma: no cover - pyarrow is in the scale extra
        raise IngestError(f"{shown(path)}: reading Parquet needs pyarrow (pip install 'kg[scale]')") from error
    number = 0
    try:
        table = pq.ParquetFile(path)
        columns = [c for c in FIELDS if c in table.schema_arrow.names]
        for batch in table.iter_batches(columns=columns, batch_size=1024):
            for data in batch.to_pylist():
                number += 1
                yield record_source(path, number, data)
    except Exception as error:  # noqa: BLE001 - pyarrow's many errors: one skipped input, the rest builds
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        yield Source(str(path), number + 1, error=f"not a readable Parquet file ({first_line[:200]})")


def record_source(path: Path, number: int, data: Any) -> Source:
    if not isinstance(data, dict):
        return Source(str(path), number, error="not a JSON object")
    fields = tuple((name, data[name]) for name in FIELDS if data.get(name) is not None)
    return Source(str(path), number, fields)


SHOWN_VALUE = 40  # characters of a bad value echoed in a message


def normal_date(value: Any) -> str:
    """``2023-10-09T07:00:00Z`` → ``2023-10-09``; ``2023-10`` and ``2023`` as given; else ValueError.

    A date must exist in the calendar (no 2025-02-30, no year 0); a bad value
    is echoed cut to ``SHOWN_VALUE`` characters.
    """
    import datetime

    text = str(value).strip()
    shown = text if len(text) <= SHOWN_VALUE else text[:SHOWN_VALUE] + f"… ({len(text)} characters)"
    match = DATE.match(text)
    if not match or (match.end() < len(text) and text[match.end()] not in "T "):
        raise ValueError(f"date {shown!r} is not an ISO date (YYYY-MM-DD)")
    year, month, day = match.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(f"date {shown!r} is not a date of the calendar") from None
    return match.group(0)


def read_source(source: Source) -> Document:
    """The Document of ``source``; ``IngestError`` with a one-line reason when it cannot be one."""
    if not source.row:
        if source.error:  # a file's reason names it already
            raise IngestError(source.error)
        return read_document(Path(source.path), source.file_id or None, source.raw)
    if source.error:
        raise IngestError(f"{source.name}: {source.error}")
    fields = dict(source.fields)
    text = fields.get("text")
    if not isinstance(text, str):
        raise IngestError(f"{source.name}: no text field" if text is None else f"{source.name}: text is not a string")
    if len(text) > MAX_BYTES // 4 and len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise IngestError(f"{source.name}: text over the {MAX_BYTES} byte limit for one article; split it")
    lang = fields.get("lang")
    date = None
    if fields.get("date") not in (None, ""):
        try:
            date = normal_date(fields["date"])
        except ValueError as error:
            raise IngestError(f"{source.name}: {error}") from None
    document = document_from_text(text, source.doc_id(), source.name, source.name, str(lang).strip().lower() if lang else None)
    return replace(
        document,
        source_url=str(fields["url"]) if fields.get("url") else document.source_url,
        year=int(date[:4]) if date else document.year,
        date=date,
        title=str(fields["title"]) if fields.get("title") else None,
    )
