"""A file of the last build with some of its parts replaced: ``graph.ttl`` by subject, ``extraction.json`` by document.

Both files are made of parts that can be found without parsing them:

- ``graph.ttl`` is its prefix lines, then each subject's block in subject
  order, each block written as a blank line, its lines and a newline; no
  block holds a blank line (literals escape their newlines). So a subject is
  found by a binary search over the file's bytes: go to a middle byte, step
  to the next block, read its subject. The bytes are read where the search
  asks (``FileBytes``), not mapped: at 10^5 articles the pages a search of the
  mapped 2.4 GB file touched (stepping over the blocks of entities named in
  thousands of articles) counted 112 MiB more at the build's peak.
- ``extraction.json`` is a list of one record per document in corpus order,
  each record's lines indented inside it; a record ends with a line of two
  spaces and ``}``, and only records do. ``extraction.jsonl`` is a header
  line, then one line per record. Records are counted in one pass over the
  file, a few megabytes at a time (mapped, the whole file would count as
  the process's memory), keeping the offsets of the changed ones alone.

A ``Plan`` is the new file as pieces: byte ranges of the old file, copied by
the kernel where it can (``os.copy_file_range``), and the parts written
again. It is made whole before a byte is written, so a part of the old file
that is not what the caller says it was (``NotSpliceable``: the file was
edited, or is not that build's) costs nothing but the plan.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.graph.namespace import PREFIXES
from kg.graph.turtle import prefix_lines
from kg.graph.turtle_stream import sort_string

COPY_CHUNK = 1 << 24


class NotSpliceable(Exception):
    """The old file is not made of the parts the splice expected: write the file whole."""


@dataclass
class Plan:
    """A new file as ranges of the old one and new bytes, in order."""

    old: Path
    pieces: list[tuple[int, int] | bytes] = field(default_factory=list)

    def copy(self, start: int, end: int) -> None:
        if end > start:
            self.pieces.append((start, end))

    def add(self, data: bytes) -> None:
        if data:
            self.pieces.append(data)

    def write(self, fd: int) -> int:
        """Write the new file to the file descriptor ``fd`` (at its offset); how many bytes."""
        written = 0
        with open(self.old, "rb") as old:
            for piece in self.pieces:
                if isinstance(piece, bytes):
                    view = memoryview(piece)
                    while view:
                        view = view[os.write(fd, view):]
                    written += len(piece)
                    continue
                start, end = piece
                copy_range(old.fileno(), fd, start, end)
                written += end - start
        return written


def copy_range(source: int, target: int, start: int, end: int) -> None:
    """Bytes ``start``–``end`` of ``source`` appended to ``target`` at its offset: in the kernel where the system can."""
    offset = start
    if hasattr(os, "copy_file_range"):
        try:
            while offset < end:
                done = os.copy_file_range(source, target, min(end - offset, COPY_CHUNK), offset)
                if not done:
                    break
                offset += done
        except OSError:
            pass  # (another file system, an older kernel) read and written instead
    while offset < end:
        data = os.pread(source, min(end - offset, COPY_CHUNK), offset)
        if not data:
            raise NotSpliceable("the old file is shorter than its parts")
        view = memoryview(data)
        while view:
            view = view[os.write(target, view):]
        offset += len(data)


# ------------------------------------------------------------------ graph.ttl

HEADER = ("\n".join(prefix_lines()) + "\n").encode()
NAMESPACES = {prefix: namespace for prefix, namespace in PREFIXES}


def subject_key(line: bytes) -> str:
    """The sort key (``kg.graph.turtle_stream.sort_string``) of the subject a block's first line names."""
    text = line.decode("utf-8")
    if text.startswith("<") and text.endswith(">"):
        return sort_string((0, text[1:-1]))
    prefix, colon, local = text.partition(":")
    if not colon or prefix not in NAMESPACES:
        raise NotSpliceable(f"not a subject: {text[:80]!r}")
    return sort_string((0, str(NAMESPACES[prefix]) + local))


class TurtleBlocks:
    """The subjects' blocks of a canonical ``graph.ttl``, found by binary search in its bytes."""

    def __init__(self, data: FileBytes | bytes) -> None:
        self.data = data
        if data[: len(HEADER)] != HEADER:
            raise NotSpliceable("the prefix lines are not this kg's")
        self.start = len(HEADER)  # where the first block's blank line is
        self.size = len(data)

    def next_block(self, position: int) -> int:
        """The first block (the offset of its blank line) at ``position`` or after; the file's size if none."""
        if position <= self.start:
            return min(self.size, self.start)
        found = self.data.find(b"\n\n", position - 1)
        return self.size if found < 0 else found + 1

    def block_end(self, block: int) -> int:
        return self.next_block(block + 1)

    def key(self, block: int) -> str:
        line_end = self.data.find(b"\n", block + 1)
        if line_end < 0:
            raise NotSpliceable("a block without its lines")
        return subject_key(self.data[block + 1 : line_end])

    def lower_bound(self, key: str, low: int) -> int:
        """The first block from ``low`` (a block's offset) whose subject is ``key`` or after it."""
        high = self.size
        while low < high:
            middle = self.next_block((low + high) // 2)
            if middle >= high:  # no block starts in the upper half: step from the lower end
                if self.key(low) < key:
                    low = self.block_end(low)
                else:
                    high = low
            elif self.key(middle) < key:
                low = self.block_end(middle)
            else:
                high = middle
        return low


def turtle_plan(old: Path, changes: Iterable[tuple[str, str | None, str | None]]) -> Plan:
    """The plan of ``old`` (a canonical ``graph.ttl``) with subjects' blocks replaced.

    ``changes``: (subject sort key, its block in ``old`` or None, its new
    block or None), in key order; a block the old file does not hold as said
    raises ``NotSpliceable``.
    """
    plan = Plan(old)
    with open(old, "rb") as handle:
        data = FileBytes(handle.fileno())
        if not len(data):
            raise NotSpliceable("the old file is empty")
        blocks = TurtleBlocks(data)
        plan.copy(0, blocks.start)
        cursor = blocks.start
        previous = None
        for key, before, after in changes:
            if previous is not None and key <= previous:
                raise ValueError("changes out of subject order")
            previous = key
            at = blocks.lower_bound(key, cursor)
            plan.copy(cursor, at)
            cursor = at
            present = at < blocks.size and blocks.key(at) == key
            if present:
                end = blocks.block_end(at)
                if before is None or data[at:end] != b"\n" + before.encode() + b"\n":
                    raise NotSpliceable("a block is not the one the last build wrote")
                cursor = end
            elif before is not None:
                raise NotSpliceable("a block the last build wrote is missing")
            if after is not None:
                plan.add(b"\n" + after.encode() + b"\n")
        plan.copy(cursor, blocks.size)
    return plan


class FileBytes:
    """The bytes of an open file as far as ``TurtleBlocks`` reads them (its length, slices, ``find``), each read when asked."""

    FIND_CHUNK = 1 << 16  # a search from a middle byte mostly meets a blank line within a few hundred bytes

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.size = os.fstat(fd).st_size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, span: slice) -> bytes:
        start, stop, step = span.indices(self.size)
        if step != 1:
            raise ValueError("only contiguous slices")
        return read_at(self.fd, start, stop)

    def find(self, pattern: bytes, start: int = 0) -> int:
        """The offset of the first ``pattern`` at ``start`` or after, or -1."""
        return next(occurrences(self.fd, pattern, start, self.FIND_CHUNK), -1)


# ------------------------------------------------------------ extraction.json

NEXT_RECORD = b"\n  },\n  {"  # between two records of extraction.json, and only there
SCAN_CHUNK = 1 << 22


def occurrences(fd: int, pattern: bytes, start: int = 0, chunk: int = SCAN_CHUNK) -> Iterator[int]:
    """The offsets of ``pattern`` in the file ``fd`` from ``start``, read ``chunk`` bytes at a time (a record file is scanned whole: mapped,
    all of it would count as the process's memory)."""
    offset, tail = max(start, 0), b""
    keep = len(pattern) - 1  # a pattern cut by a chunk's end is found in the next window
    while True:
        data = os.pread(fd, chunk, offset)
        if not data:
            return
        window, begin = tail + data, offset - len(tail)
        found = window.find(pattern)
        while found >= 0:
            yield begin + found
            found = window.find(pattern, found + 1)
        tail = window[max(len(window) - keep, 0) :] if keep else b""
        offset += len(data)


def read_at(fd: int, start: int, end: int) -> bytes:
    return os.pread(fd, end - start, start) if end > start else b""


def spans(boundaries: Iterator[int], first: int, wanted: set[int], step: int, last: int) -> tuple[int, dict[int, tuple[int, int]]]:
    """Count the parts a file's ``boundaries`` (each where one part ends, ``step`` bytes before the next begins) delimit, from ``first`` to ``last``; the spans of those ``wanted``."""
    count, start, found = 0, first, {}
    for boundary in boundaries:
        if count in wanted:
            found[count] = (start, boundary)
        count, start = count + 1, boundary + step
    if count in wanted:
        found[count] = (start, last)
    return count + 1, found


def replaced(plan: Plan, fd: int, parts: dict[int, tuple[int, int]], changes: dict[int, tuple[str, str]], cursor: int) -> int:
    """Add to ``plan`` the old file from ``cursor`` with the ``changes`` made to its ``parts``, each checked against the old bytes; where the old file was left."""
    for number in sorted(changes):
        before, after = changes[number]
        start, end = parts[number]
        if read_at(fd, start, end) != before.encode():
            raise NotSpliceable("a record is not the one the last build wrote")
        plan.copy(cursor, start)
        plan.add(after.encode())
        cursor = end
    return cursor


def records_plan(old: Path, documents: int, changes: dict[int, tuple[str, str]], added: list[str]) -> Plan:
    """The plan of ``old`` (``extraction.json`` of ``documents`` records) with records replaced and some added.

    ``changes``: {record number: (its text in ``old``, its new text)};
    ``added``: the texts of the records that follow the old ones.
    """
    plan = Plan(old)
    with open(old, "rb") as handle:
        fd, size = handle.fileno(), os.fstat(handle.fileno()).st_size
        if documents == 0 or read_at(fd, 0, 4) != b"[\n  " or read_at(fd, size - 3, size) != b"\n]\n":
            raise NotSpliceable("not a list of records")
        ends = (found + len("\n  }") for found in occurrences(fd, NEXT_RECORD))
        count, parts = spans(ends, 4, set(changes), len(",\n  "), size - len("\n]\n"))
        if count != documents:
            raise NotSpliceable(f"{count} records where {documents} were written")
        cursor = replaced(plan, fd, parts, changes, 0)
        plan.copy(cursor, size - len("\n]\n"))
    plan.add("".join(",\n  " + text for text in added).encode() + b"\n]\n")
    return plan


def lines_plan(old: Path, header: tuple[str, str], documents: int, changes: dict[int, tuple[str, str]], added: list[str]) -> Plan:
    """The plan of ``old`` (``extraction.jsonl``: a header line, then ``documents`` record lines) with records replaced and some added.

    ``header``: (the old file's header line, the new one); ``changes``:
    {record number: (its line in ``old``, its new line)}; ``added``: the
    lines of the records that follow the old ones (lines with their newline).
    """
    plan = Plan(old)
    with open(old, "rb") as handle:
        fd, size = handle.fileno(), os.fstat(handle.fileno()).st_size
        first = header[0].encode()
        if size == 0 or read_at(fd, 0, len(first)) != first or read_at(fd, size - 1, size) != b"\n":
            raise NotSpliceable("the header is not the one the last build wrote")
        ends = (found + 1 for found in occurrences(fd, b"\n") if len(first) <= found < size - 1)
        count, parts = spans(ends, len(first), set(changes), 0, size)
        if size == len(first):
            count = 0
        if count != documents:
            raise NotSpliceable(f"{count} record lines where {documents} were written")
        plan.add(header[1].encode())
        cursor = replaced(plan, fd, parts, changes, len(first))
        plan.copy(cursor, size)
    plan.add("".join(added).encode())
    return plan
