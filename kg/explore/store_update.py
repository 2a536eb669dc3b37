"""Updating a store after a rebuild: the parts of the graph that changed are replaced, the rest is kept.

Reloading a store is a bulk load of the whole graph: 43 s for the 4.5 million
quads of 10^4 synthetic articles. After one article is added, few parts of
that graph differ. A *part* is a named graph (in a build's ``graph.nq`` each
article's facts are in a graph of its own), or, in the default graph, the
statements of one subject (an entity, a document). Beside the store,
``kg-parts.sqlite`` keeps each part's digest (the sum of a 128-bit hash of
each of its lines, so their order does not matter) and its number of lines.
The next load of a file of the same kind reads it once for its parts (a big
file in two halves, one in a helper process), then:

1. the store's current version is copied into the new version by hard links
   (``Store.backup``: its files are never changed in place, so the version
   readers have open stays as it was);
2. each changed part is dropped from the copy (a named graph, or a subject's
   statements in the default graph), and its lines in the new file are
   parsed and added in one transaction;
3. the label index is copied, and the rows of every subject whose labels were
   dropped or added are read again from the store.

The new version is then made current by ``kg.explore.store``'s one switch,
as a full load is. The lines are read as kg writes N-Quads and N-Triples:
one statement per line, terms separated by one space. A file with a blank
node (whose label means nothing from one file to the next), a line in
another shape, a store without a parts file, or changes to more than a fifth
of the lines: the caller loads the file whole instead.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from array import array
from pathlib import Path
from typing import Any

PARTS = "kg-parts.sqlite"
FORMATS = ("N_QUADS", "N_TRIPLES")  # the files read by parts: one statement per line
LABEL = b"<http://www.w3.org/2000/01/rdf-schema#label>"
MOST_CHANGED = 0.2  # above this share of the lines in changed parts, a full load is as quick
GRAPH, SUBJECT = b"G", b"S"  # a part's key: a named graph's term, or a default-graph subject's, after its kind
MASK = (1 << 128) - 1  # a part's digest: the sum of its lines' 128-bit hashes, whatever their order
SPLIT_FROM = 64 << 20  # bytes of a file from which a second process reads half of it


class NotUpdatable(Exception):
    """The file or the store does not allow an update; the caller loads the file whole."""


def file_parts(path: Path, processes: int = 1, offsets: bool = True) -> dict[bytes, list[Any]]:
    """Each part of the N-Quads or N-Triples file at ``path``: key -> [the sum of its lines' hashes, their offsets].

    With ``processes`` of 2 and a file past ``SPLIT_FROM`` bytes, a helper
    process reads the second half (the sum does not depend on which process
    read which line): 4.5 million lines are read in half the time on 2 cores.
    Without ``offsets`` (a full load, which only records the parts), each
    part's lines are only counted: the offsets are 8 bytes a line, 36 MB for
    10^4 articles, and grow with the archive.
    """
    size = path.stat().st_size
    if processes < 2 or size < SPLIT_FROM:
        return parts_between(str(path), 0, size, offsets)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with open(path, "rb") as handle:
        handle.seek(size // 2)
        handle.readline()
        cut = handle.tell()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as helper:
        second = helper.submit(parts_between, str(path), cut, size, offsets)
        parts = parts_between(str(path), 0, cut, offsets)
        for key, (digest, lines) in second.result().items():
            entry = parts.get(key)
            if entry is None:
                parts[key] = [digest, lines]
            else:
                entry[0] += digest
                entry[1] += lines  # (offsets arrays are extended, counts added)
    return parts


def parts_between(path: str, start: int, end: int, offsets: bool = True) -> dict[bytes, list[Any]]:
    """``file_parts`` of the lines of the file at ``path`` that start at ``start`` up to ``end`` (offsets of line starts).

    Raises ``NotUpdatable`` at a line kg would not write: a blank node
    anywhere, terms not separated by single spaces, a subject or predicate
    that is not an IRI.
    """
    parts: dict[bytes, list[Any]] = {}
    known = parts.get
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    offset = start
    with open(path, "rb") as lines:
        lines.seek(start)
        for line in lines:  # 4.5 million lines at 10^4 articles: kept to byte operations, one part lookup each
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
            entry = known(key)
            if entry is None:
                parts[key] = [digest, array("q", (at,)) if offsets else 1]
            else:
                entry[0] += digest
                if offsets:
                    entry[1].append(at)
                else:
                    entry[1] += 1
    return parts


def digest_text(digest: int) -> str:
    return f"{digest & MASK:032x}"


def line_count(lines: array | int) -> int:
    """How many lines a part has, from its offsets or its count (``file_parts``)."""
    return lines if isinstance(lines, int) else len(lines)


def write_parts(parts: dict[bytes, list[Any]], path: Path) -> None:
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        db.execute("CREATE TABLE part (key BLOB PRIMARY KEY, digest TEXT NOT NULL, lines INTEGER NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT INTO part VALUES (?, ?, ?)", ((key, digest_text(digest), line_count(lines)) for key, (digest, lines) in parts.items()))
        db.commit()
    finally:
        db.close()


def changed_parts(parts: dict[bytes, list[Any]], old: Path) -> tuple[set[bytes], int]:
    """The keys of the parts that differ from those recorded at ``old`` (new, gone or changed), and the lines they hold in both."""
    try:
        db = sqlite3.connect(f"{old.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise NotUpdatable(f"the parts file cannot be read ({error})") from None
    changed: set[bytes] = set()
    recorded: set[bytes] = set()
    lines = 0
    try:
        for key, digest, count in db.execute("SELECT key, digest, lines FROM part"):
            recorded.add(key)
            entry = parts.get(key)
            if entry is None or len(entry[1]) != count or digest_text(entry[0]) != digest:
                changed.add(key)
                lines += count
    except sqlite3.Error as error:
        raise NotUpdatable(f"the parts file cannot be read ({error})") from None
    finally:
        db.close()
    for key, (_, offsets) in parts.items():
        if key in changed or key not in recorded:
            changed.add(key)
            lines += len(offsets)
    return changed, lines


def update_version(current: Path, staging: Path, graph: Path, fmt: str, parts: dict[bytes, list[Any]], changed: set[bytes]) -> None:
    """Make ``staging`` the store at ``current`` with the ``changed`` parts replaced by those of ``graph``; the label index with it."""
    import pyoxigraph as ox

    from kg.explore.store import LABEL_DB

    ox.Store.read_only(str(current)).backup(str(staging))
    store = ox.Store(str(staging))
    relabelled: set[bytes] = set()
    label = ox.NamedNode(LABEL[1:-1].decode())
    for key in changed:
        node = term_of(key[1:])
        if key[:1] == GRAPH:
            relabelled.update(str(quad.subject).encode("utf-8") for quad in store.quads_for_pattern(None, label, None, node))
            store.remove_graph(node)
        else:
            own = list(store.quads_for_pattern(node, None, None, ox.DefaultGraph()))
            if any(quad.predicate == label for quad in own):
                relabelled.add(key[1:])
            for quad in own:
                store.remove(quad)
    new_lines = lines_of(graph, parts, changed, relabelled)
    store.extend(ox.parse(input=b"".join(new_lines), format=getattr(ox.RdfFormat, fmt)))
    store.flush()
    shutil.copyfile(current / LABEL_DB, staging / LABEL_DB)
    relabel(store, label, staging / LABEL_DB, relabelled)
    del store


def term_of(text: bytes) -> Any:
    """The node written ``text`` in N-Quads, decoded as a parser decodes it."""
    import pyoxigraph as ox

    [triple] = ox.parse(input=text + b" <urn:kg:p> <urn:kg:o> .\n", format=ox.RdfFormat.N_TRIPLES)
    return triple.subject


def lines_of(graph: Path, parts: dict[bytes, list[Any]], changed: set[bytes], relabelled: set[bytes]) -> list[bytes]:
    """The lines of ``graph`` in the ``changed`` parts, read at their offsets; the subjects of their labels go into ``relabelled``."""
    lines = []
    with open(graph, "rb") as handle:
        for offset in sorted(offset for key in changed if key in parts for offset in parts[key][1]):
            handle.seek(offset)
            line = handle.readline()
            subject_end = line.find(b"> ")
            if line[subject_end + 2 :].startswith(LABEL + b" "):
                relabelled.add(line[: subject_end + 1])
            lines.append(line)
    return lines


def relabel(store: Any, label: Any, path: Path, subjects: set[bytes]) -> None:
    """The label index at ``path`` with the rows of ``subjects`` read again from ``store`` (``label``: the predicate's node)."""
    from kg.explore.label_db import insert_label, iri_tails
    from kg.explore.labels import words_of

    db = sqlite3.connect(path)
    try:
        row = db.execute("SELECT COALESCE(MAX(row), -1) FROM label").fetchone()[0]
        for subject in sorted(subjects):
            node = term_of(subject)
            for old, words in db.execute("SELECT row, words FROM label WHERE iri = ?", (node.value,)).fetchall():
                # By the whole key of each table (word or tail, then row): the index files of older stores have no other.
                db.executemany("DELETE FROM word WHERE word = ? AND row = ?", ((w, old) for w in set(words.split())))
                db.executemany("DELETE FROM tail WHERE tail = ? AND row = ?", ((t, old) for t in iri_tails(node.value)))
                db.execute("DELETE FROM label WHERE row = ?", (old,))
            for value in sorted({quad.object.value for quad in store.quads_for_pattern(node, label, None, None)}):
                row += 1
                insert_label(db, row, node.value, value, words_of(value))
        db.commit()
    finally:
        db.close()
