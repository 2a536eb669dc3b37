"""The label index of a ``kg load`` store on disk: a name looked up without reading every label.

``kg.explore.labels.LabelIndex`` holds every label in memory and scans them
all for a name. That is right for a graph loaded by the query itself, but a
store is opened by every ``kg query``: reading and scanning the 42,000 labels
of a 10^6-triple store took most of a query's 250 ms. Here the labels live in
an SQLite file beside the store (``kg-labels.sqlite``) with two indexes:

- each folded word of a label (``words_of``), so a name's rows are those
  holding all its words; the whole-word, in-order test is then made on those
  rows alone, exactly as ``LabelIndex.find`` makes it on every row;
- each tail of an IRI after an ``/id/`` and the IRI itself, for a name that
  is an id or an IRI.

``StoredLabelIndex.find`` gives what ``LabelIndex.find`` gives over the same
rows; the lookups take parameters, never pasted text.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from kg.explore.labels import words_of
from kg.files import read_only_uri

ID_PATH = "/id/"
MAX_LOOKUP_WORDS = 8  # a name's words the candidate rows must all hold (SQLite bounds a compound SELECT)
SCHEMA = """
CREATE TABLE label (row INTEGER PRIMARY KEY, iri TEXT NOT NULL, label TEXT NOT NULL, words TEXT NOT NULL);
CREATE TABLE word (word TEXT NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (word, row)) WITHOUT ROWID;
CREATE TABLE tail (tail TEXT NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (tail, row)) WITHOUT ROWID;
"""


def iri_tails(iri: str) -> set[str]:
    """What an IRI answers to as a name: itself, and what follows each ``/id/`` in it (``endswith("/id/" + name)``)."""
    tails = {iri}
    at = iri.find(ID_PATH)
    while at >= 0:
        tails.add(iri[at + len(ID_PATH) :])
        at = iri.find(ID_PATH, at + 1)
    return tails


def write_label_db(rows: Iterable[tuple[str, str, str]], path: Path) -> int:
    """``rows`` of (IRI, label, ``words_of(label)``) into a new index file at ``path``; how many rows."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.executescript(SCHEMA)
        count = 0
        for row, (iri, label, words) in enumerate(rows):
            insert_label(connection, row, iri, label, words)
            count += 1
        connection.commit()
    finally:
        connection.close()
    return count


def insert_label(connection: sqlite3.Connection, row: int, iri: str, label: str, words: str) -> None:
    """One label row, with its words and its IRI's tails (``write_label_db``, and a store's update)."""
    connection.execute("INSERT INTO label VALUES (?, ?, ?, ?)", (row, iri, label, words))
    connection.executemany("INSERT OR IGNORE INTO word VALUES (?, ?)", ((w, row) for w in set(words.split())))
    connection.executemany("INSERT OR IGNORE INTO tail VALUES (?, ?)", ((t, row) for t in iri_tails(iri)))


class StoredLabelIndex:
    """``LabelIndex``'s lookups, answered from an index file of ``write_label_db``."""

    def __init__(self, path: Path) -> None:
        # Read-only, as the store is opened: a query never writes beside it. ``kg serve`` answers
        # from several threads: they share the connection one lookup at a time.
        self.connection = sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)
        self.lock = threading.Lock()
        self.connection.execute("SELECT row, iri, words FROM label LIMIT 1").fetchall()  # not our layout: fail here, not at a query

    def __len__(self) -> int:
        with self.lock:
            return self.connection.execute("SELECT COUNT(*) FROM label").fetchone()[0]

    def find(self, name: str) -> list[str]:
        """IRIs whose label holds the words of ``name`` in order, that are ``name``, or end in ``/id/<name>``."""
        found: set[str] = set()
        words = words_of(name).split()
        with self.lock:
            if words:
                wanted = f" {' '.join(words)} "
                distinct = sorted(set(words))[:MAX_LOOKUP_WORDS]  # candidates only: the test below reads every word
                holding = " INTERSECT ".join(["SELECT row FROM word WHERE word = ?"] * len(distinct))
                query = f"SELECT iri, words FROM label WHERE row IN ({holding})"
                found.update(iri for iri, label in self.connection.execute(query, distinct) if wanted in f" {label} ")
            found.update(iri for (iri,) in self.connection.execute("SELECT label.iri FROM tail JOIN label USING (row) WHERE tail.tail = ?", (name,)))
        return sorted(found)


def open_label_db(path: Path) -> StoredLabelIndex | None:
    """The index file at ``path``, or None when there is none or it is not one (the caller falls back)."""
    if not path.is_file():
        return None
    try:
        return StoredLabelIndex(path)
    except sqlite3.Error:
        return None
