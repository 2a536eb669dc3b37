"""The parts of an N-Quads or N-Triples file as kg writes them, read in bounded memory.

A *part* is a named graph, or, in the default graph, the statements of one
subject (``kg.explore.store_update`` says what updates do with them). Each
has a digest, the sum of a 128-bit hash of each of its lines (so their order
does not matter), and its lines: their offsets in the file, or only their
count.

A part's lines are spread over the file (an article's graph holds relations
written in their sorted order, far apart), so a part is complete only once
the whole file is read. The parts are gathered in a dict; when it holds
``MAX_PARTS`` parts or ``MAX_LINES`` lines, it is written out in key order
as a *run* (a small binary file in a temporary folder) and begun again.
``Parts`` then gives every part in key order by merging the runs, adding up
the pieces of a part found in several. Held in memory at any time: one
dict's worth, whatever the size of the file. The 4.5 million lines of 10^4
synthetic articles make 98,328 parts: they fit in one dict (no run is
written by one process), and that dict held 73 MiB with offsets.
"""

from __future__ import annotations

import hashlib
import heapq
import struct
import tempfile
from array import array
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

GRAPH, SUBJECT = b"G", b"S"  # a part's key: a named graph's term, or a default-graph subject's, after its kind
MASK = (1 << 128) - 1  # a part's digest: the sum of its lines' 128-bit hashes, whatever their order
SPLIT_FROM = 64 << 20  # bytes of a file from which a second process reads half of it
MAX_PARTS = 1 << 18  # parts held in one dict before it is written out as a run
MAX_LINES = 1 << 22  # lines held (an offset, 8 bytes, each) before the same
RECORD = struct.Struct("<IQQI")  # a run's record: key length, digest (low, high 64 bits), line count; then the key, then the offsets

Part = tuple[bytes, int, Any]  # key, digest, the offsets (array "q") or the number of lines


class NotUpdatable(Exception):
    """The file or the store does not allow an update; the caller loads the file whole."""


class Parts:
    """The parts of one file, in key order each time they are iterated: (key, digest, offsets or count).

    ``sources`` are runs and the dict of parts still held, in the order of
    the file's lines they hold (so a part's offsets come in file order).
    ``lines`` is the number of statement lines. ``close()`` removes the runs.
    """

    def __init__(self, sources: list[Path | dict[bytes, list[Any]]], lines: int, offsets: bool, owner: Any = None) -> None:
        self.sources, self.lines, self.offsets = sources, lines, offsets
        self._owner = owner  # the TemporaryDirectory of the runs, removed with this object

    def __iter__(self) -> Iterator[Part]:
        streams = [read_run(source, self.offsets) if isinstance(source, Path) else held_parts(source) for source in self.sources]
        # For one key, merge takes the streams in their order: a part's pieces are joined in file order. (A generator:
        # it holds this object, and so its runs, while it is read.)
        yield from combined(heapq.merge(*streams, key=itemgetter(0)))

    def spill(self) -> None:
        """Write the parts still held out as runs too: nothing of them stays in memory (while a full load runs beside)."""
        assert self._owner is not None, "spill() after close()"
        folder = Path(self._owner.name)
        sources: list[Path | dict[bytes, list[Any]]] = []
        for index, source in enumerate(self.sources):
            if isinstance(source, dict):
                if not source:
                    continue
                source = write_run(source, folder / f"held-{index:05d}")
            sources.append(source)
        self.sources = sources

    def items(self) -> Iterator[tuple[bytes, tuple[int, Any]]]:
        """(key, (digest, offsets or count)) of each part, in key order."""
        return ((key, (digest, lines)) for key, digest, lines in self)

    def close(self) -> None:
        self.sources = []
        if self._owner is not None:
            self._owner.cleanup()
            self._owner = None

    def __enter__(self) -> Parts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def file_parts(path: Path, processes: int = 1, offsets: bool = True, folder: Path | None = None) -> Parts:
    """The parts of the N-Quads or N-Triples file at ``path`` (``Parts``); ``NotUpdatable`` for a file kg would not write.

    Runs go into a new folder in ``folder``, by default the system's
    temporary folder (a store's load gives its versions' folder: the store's
    own disk, where a killed load's leftovers are removed by the next switch,
    while the system's temporary folder may be memory).

    With ``processes`` of 2 and a file past ``SPLIT_FROM`` bytes, a helper
    process reads the second half (a digest does not depend on which process
    read which line): 4.5 million lines are read in half the time on 2 cores.
    Without ``offsets`` (a full load, which only records the parts), each
    part's lines are only counted: the offsets are 8 bytes a line.
    """
    owner = tempfile.TemporaryDirectory(prefix="kg-parts-", dir=folder)
    folder = Path(owner.name)
    try:
        size = path.stat().st_size
        if processes < 2 or size < SPLIT_FROM:
            runs, held, lines = gather(str(path), 0, size, offsets, str(folder), "a")
            return Parts([*runs, held], lines, offsets, owner)
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with open(path, "rb") as handle:
            handle.seek(size // 2)
            handle.readline()
            cut = handle.tell()
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as helper:
            second = helper.submit(gather_into_runs, str(path), cut, size, offsets, str(folder), "b")
            runs, held, lines = gather(str(path), 0, cut, offsets, str(folder), "a")
            more_runs, more_lines = second.result()
        return Parts([*runs, held, *more_runs], lines + more_lines, offsets, owner)
    except BaseException:
        owner.cleanup()
        raise


def gather_into_runs(path: str, start: int, end: int, offsets: bool, folder: str, name: str) -> tuple[list[Path], int]:
    """In a helper process: ``gather``, with what it still holds written out too (a run is what goes back, not a dict)."""
    runs, held, lines = gather(path, start, end, offsets, folder, name)
    if held:
        runs.append(write_run(held, Path(folder) / f"{name}-{len(runs):05d}"))
    return runs, lines


def gather(path: str, start: int, end: int, offsets: bool, folder: str, name: str) -> tuple[list[Path], dict[bytes, list[Any]], int]:
    """The parts of the lines of the file at ``path`` that start at ``start`` up to ``end`` (offsets of line starts).

    Returns the runs written into ``folder`` (named after ``name``), the parts
    still held, and how many statement lines there were. Raises
    ``NotUpdatable`` at a line kg would not write: a blank node anywhere,
    terms not separated by single spaces, a subject or predicate that is not
    an IRI.
    """
    runs: list[Path] = []
    parts: dict[bytes, list[Any]] = {}
    known = parts.get
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    offset = start
    lines = held_from = 0
    with open(path, "rb") as handle:
        handle.seek(start)
        for line in handle:  # 4.5 million lines at 10^4 articles: kept to byte operations, one part lookup each
            if offset >= end:
                break
            at = offset
            offset += len(line)
            if not line.endswith(b" .\n") or line[:1] != b"<" or b" _:" in line:
                if not line.strip() or line.lstrip().startswith(b"#"):
                    continue
                raise NotUpdatable("a blank node, or a line in another shape than kg writes")
            subject_end = line.find(b"> ")
            predicate_end = line.find(b"> ", subject_end + 2)
            if predicate_end < 0 or line[subject_end + 2 : subject_end + 3] != b"<":
                raise NotUpdatable("a line whose predicate is not an IRI")
            key = None
            if line[-4:-3] == b">":
                # The last term, after a space, past the object: a graph, unless it is the object or a literal's datatype.
                space = line.rfind(b" <", 0, -3)
                if space > predicate_end + 1:
                    graph = line[space + 1 : -3]
                    if graph.find(b">") == len(graph) - 1 and b" " not in graph and b'"' not in graph:
                        key = GRAPH + graph
            if key is None:
                key = SUBJECT + line[: subject_end + 1]
            digest = from_bytes(blake2b(line, digest_size=16).digest(), "little")
            lines += 1
            entry = known(key)
            if entry is None:
                if len(parts) >= MAX_PARTS or lines - held_from > MAX_LINES:
                    runs.append(write_run(parts, Path(folder) / f"{name}-{len(runs):05d}"))
                    parts.clear()
                    held_from = lines - 1
                parts[key] = [digest, array("q", (at,)) if offsets else 1]
            else:
                entry[0] += digest
                if offsets:
                    entry[1].append(at)
                else:
                    entry[1] += 1
    return runs, parts, lines


def write_run(parts: dict[bytes, list[Any]], path: Path) -> Path:
    """Write ``parts`` in key order to ``path`` (``RECORD`` each); the path."""
    with open(path, "wb") as handle:
        for key in sorted(parts):
            digest, lines = parts[key]
            digest &= MASK
            handle.write(RECORD.pack(len(key), digest & 0xFFFFFFFFFFFFFFFF, digest >> 64, line_count(lines)))
            handle.write(key)
            if not isinstance(lines, int):
                handle.write(lines.tobytes())
    return path


def held_parts(parts: dict[bytes, list[Any]]) -> Iterator[Part]:
    for key in sorted(parts):
        digest, lines = parts[key]
        yield key, digest & MASK, lines


def read_run(path: Path, offsets: bool) -> Iterator[Part]:
    """The parts of a run, in its (key) order; with their ``offsets`` when the run was written with them."""
    with open(path, "rb") as handle:
        while True:
            header = handle.read(RECORD.size)
            if not header:
                return
            size, low, high, count = RECORD.unpack(header)
            key = handle.read(size)
            if offsets:
                lines = array("q")
                lines.frombytes(handle.read(8 * count))
                yield key, low | high << 64, lines
            else:
                yield key, low | high << 64, count


def combined(stream: Iterator[Part]) -> Iterator[Part]:
    """The parts of a key-ordered ``stream`` with the pieces of one key added up (digests summed, lines joined)."""
    pending: Part | None = None
    for part in stream:
        if pending is not None and pending[0] == part[0]:
            # (Counts add up; offset arrays concatenate into a new array, the pieces' own left as they are.)
            pending = (part[0], (pending[1] + part[1]) & MASK, pending[2] + part[2])
            continue
        if pending is not None:
            yield pending
        pending = part
    if pending is not None:
        yield pending


def digest_text(digest: int) -> str:
    return f"{digest & MASK:032x}"


def line_count(lines: array | int) -> int:
    """How many lines a part has, from its offsets or its count."""
    return lines if isinstance(lines, int) else len(lines)


def write_parts(parts: Parts, path: Path) -> None:
    """Record ``parts`` (digest and line count each) at ``path``, the file the next update compares with."""
    import sqlite3

    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        db.execute("CREATE TABLE part (key BLOB PRIMARY KEY, digest TEXT NOT NULL, lines INTEGER NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT INTO part VALUES (?, ?, ?)", ((key, digest_text(digest), line_count(lines)) for key, digest, lines in parts))
        db.commit()
    finally:
        db.close()
