"""The last build's merged tables, kept as the base the next build's outputs are spliced from.

A build that used the article cache moves its merged corpus tables
(``kg.corpus.blocks``) into the cache folder when its outputs are current
(``keep``), marked with the key of that build (``kg.corpus.unchanged``). The
next build that only adds articles after the last one's (it resumed the kept
linked tables, ``kg.corpus.kept``) takes them as its ``Base``
(``base_for``): the same code, judgements, formats and output folder, the
same first sources, and output files that are still the ones that build wrote.
Comparing its own merged tables with the base (``kg.corpus.changes``), it
writes again only the parts of ``graph.ttl`` and ``extraction.json`` that
changed and copies the rest from the last build's files
(``kg.graph.splice``).

The base is a cache and only a cache: missing, damaged or of another build,
it is ignored and the outputs are written whole.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.files import read_only_uri

MERGED = "merged-tables.sqlite"
FORMAT = "kg-merged-tables/1"


@dataclass
class Base:
    """The last build as a splice's base: its merged tables, its article count, its output files by kind, its triples."""

    path: Path
    documents: int
    outputs: dict[str, Path]
    triples: int


def keep(tables_path: Path, cache_dir: Path, key: str) -> None:
    """Move the merged tables at ``tables_path`` (closed, their build's outputs current) into the cache folder, marked with that build's ``key``."""
    target = Path(cache_dir) / MERGED
    try:
        with sqlite3.connect(tables_path) as db:
            db.execute("DROP TABLE IF EXISTS merged_base")
            db.execute("CREATE TABLE merged_base (format TEXT NOT NULL, key TEXT NOT NULL)")
            db.execute("INSERT INTO merged_base VALUES (?, ?)", (FORMAT, key))
        db.close()
        os.replace(tables_path, target)
    except (sqlite3.Error, OSError):
        forget(cache_dir)


def base_for(cache_dir: Path, last: dict[str, Any] | None, resumed_key: str | None) -> Base | None:
    """The kept tables as the base of this build, when ``last`` (the last build's manifest, its outputs intact) was made
    with the key this build's resumed sources give (``resumed_key``) and the tables are that build's; else None."""
    if last is None or resumed_key is None or last["key"] != resumed_key:
        return None
    path = Path(cache_dir) / MERGED
    try:
        db = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            row = db.execute("SELECT format, key FROM merged_base").fetchone()
            (documents,) = db.execute("SELECT COUNT(*) FROM document").fetchone()
        finally:
            db.close()
    except (sqlite3.Error, OSError):
        return None
    if row != (FORMAT, resumed_key) or documents != last["documents"]:
        return None
    return Base(path, documents, {kind: Path(item["path"]) for kind, item in last["outputs"].items()}, last["triples"])


def forget(cache_dir: Path) -> None:
    try:
        (Path(cache_dir) / MERGED).unlink(missing_ok=True)
    except OSError:
        pass
