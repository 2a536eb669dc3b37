"""Updating a store after a rebuild: the parts of the graph that changed are replaced, the rest is kept.

Reloading a store is a bulk load of the whole graph: 43 s for the 4.5 million
quads of 10^4 synthetic articles. After one article is added, few parts of
that graph differ. A *part* is a named graph (in a build's ``graph.nq`` each
article's facts are in a graph of its own), or, in the default graph, the
statements of one subject (an entity, a document). Beside the store,
``kg-parts.sqlite`` keeps each part's digest (the sum of a 128-bit hash of
each of its lines, so their order does not matter) and its number of lines.
The next load of a file of the same kind reads it once for its parts
(``kg.explore.store_parts``: a big file in two halves, one in a helper
process, in bounded memory), compares them in key order with those recorded,
holding only the changed ones, then:

1. the store's current version is copied into the new version by hard links
   (``Store.backup``: its files are never changed in place, so the version
   readers have open stays as it was);
2. each changed part is dropped from the copy (a named graph, or a subject's
   statements in the default graph), and its lines in the new file are
   parsed and added, ``CHUNK`` bytes at a time;
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

import shutil
import sqlite3
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.explore.store_parts import GRAPH, NotUpdatable, Parts, digest_text, line_count
from kg.files import read_only_uri

PARTS = "kg-parts.sqlite"
FORMATS = ("N_QUADS", "N_TRIPLES")  # the files read by parts: one statement per line
LABEL = b"<http://www.w3.org/2000/01/rdf-schema#label>"
MOST_CHANGED = 0.2  # above this share of the lines in changed parts, a full load is as quick
CHUNK = 32 << 20  # bytes of changed lines parsed at a time


@dataclass
class Changes:
    """What differs between a new file's parts and those recorded: the parts' keys, the new lines' offsets, and the lines in both."""

    keys: list[bytes] = field(default_factory=list)
    offsets: array = field(default_factory=lambda: array("q"))
    lines: int = 0


def changed_parts(parts: Parts, old: Path, most: float | None = None) -> Changes | None:
    """The parts that differ from those recorded at ``old`` (new, gone or changed); None past ``most`` lines in them.

    Both are read in key order and compared as they come (the recorded ones
    by the table's own key order, bytes compared as Python compares them),
    so only the changes are held.
    """
    try:
        db = sqlite3.connect(read_only_uri(old), uri=True)
    except sqlite3.Error as error:
        raise NotUpdatable(f"the parts file cannot be read ({error})") from None
    changes = Changes()

    def differs(key: bytes, old_lines: int, new_lines: Any) -> bool:
        changes.keys.append(key)
        changes.lines += old_lines
        if new_lines is not None:
            changes.offsets.extend(new_lines)
            changes.lines += len(new_lines)
        return most is not None and changes.lines > most

    try:
        recorded = db.execute("SELECT key, digest, lines FROM part ORDER BY key")
        old_part = next(recorded, None)
        for key, digest, offsets in parts:
            while old_part is not None and old_part[0] < key:  # gone
                if differs(old_part[0], old_part[2], None):
                    return None
                old_part = next(recorded, None)
            if old_part is not None and old_part[0] == key:
                same = old_part[2] == line_count(offsets) and old_part[1] == digest_text(digest)
                if not same and differs(key, old_part[2], offsets):
                    return None
                old_part = next(recorded, None)
            elif differs(key, 0, offsets):  # new
                return None
        while old_part is not None:
            if differs(old_part[0], old_part[2], None):
                return None
            old_part = next(recorded, None)
    except sqlite3.Error as error:
        raise NotUpdatable(f"the parts file cannot be read ({error})") from None
    finally:
        db.close()
    return changes


def update_version(current: Path, staging: Path, graph: Path, fmt: str, changes: Changes) -> None:
    """Make ``staging`` the store at ``current`` with the changed parts (``changes``) replaced by those of ``graph``; the label index with it."""
    import pyoxigraph as ox

    from kg.explore.store import LABEL_DB

    ox.Store.read_only(str(current)).backup(str(staging))
    store = ox.Store(str(staging))
    relabelled: set[bytes] = set()
    label = ox.NamedNode(LABEL[1:-1].decode())
    for key in changes.keys:
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
    for chunk in chunks_of(graph, changes.offsets, relabelled):
        store.extend(ox.parse(input=chunk, format=getattr(ox.RdfFormat, fmt)))
    store.flush()
    shutil.copyfile(current / LABEL_DB, staging / LABEL_DB)
    relabel(store, label, staging / LABEL_DB, relabelled)
    del store


def term_of(text: bytes) -> Any:
    """The node written ``text`` in N-Quads, decoded as a parser decodes it."""
    import pyoxigraph as ox

    [triple] = ox.parse(input=text + b" <urn:kg:p> <urn:kg:o> .\n", format=ox.RdfFormat.N_TRIPLES)
    return triple.subject


def chunks_of(graph: Path, offsets: array, relabelled: set[bytes]) -> Iterator[bytes]:
    """The lines of ``graph`` at ``offsets``, in file order, joined in chunks of about ``CHUNK`` bytes; the subjects of their labels go into ``relabelled``."""
    lines: list[bytes] = []
    size = 0
    with open(graph, "rb") as handle:
        for offset in sorted(offsets):
            handle.seek(offset)
            line = handle.readline()
            subject_end = line.find(b"> ")
            if line[subject_end + 2 :].startswith(LABEL + b" "):
                relabelled.add(line[: subject_end + 1])
            lines.append(line)
            size += len(line)
            if size >= CHUNK:
                yield b"".join(lines)
                lines, size = [], 0
    if lines:
        yield b"".join(lines)


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
