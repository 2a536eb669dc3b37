"""A build that only adds articles: the last build's linked articles taken up where it left them.

Linking (``kg.corpus.tables``) reads the articles in corpus order, and what it
has made after the first N articles depends on those N alone. A build that
used the article cache therefore keeps, in the cache folder, a copy of its
tables as they stood after the last article, before they were merged
(``keep``), with a key over what they were made from: the package's code, the
per-article phase's version of each language they hold, and the fingerprints
of their sources in order. A later build whose first sources are those
(an archive that grew by new articles listed after the old ones) starts from
the copy and links only the new articles (``resume``): at 10^4 articles that
skips reading 10^4 records from the cache. Anything else (an article changed,
removed or inserted before the last one, another model, another kg) builds
from the first article, as before; the merge and the outputs are always made
whole, so the outputs are the bytes of a build from scratch.

The copy is a cache and only a cache: one that is missing, damaged or of
another build is ignored, and writing it is best effort.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.corpus.cache import ExtractorVersion, package_digest
from kg.files import read_only_uri

KEPT = "linked-articles.sqlite"
FORMAT = "kg-linked-articles/1"
SCHEMA = "CREATE TABLE kept (format TEXT NOT NULL, code TEXT NOT NULL, versions TEXT NOT NULL, sources INTEGER NOT NULL, prefix TEXT NOT NULL, warnings TEXT NOT NULL)"


@dataclass
class Resumed:
    """What a build takes up from the kept tables: how many of its first sources they hold, and the warnings reading those gave."""

    sources: int
    warnings: list[str]


def prefix_digest(fingerprints: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for fingerprint in fingerprints:
        digest.update(fingerprint.encode() + b"\n")
    return digest.hexdigest()


def resume(cache_dir: Path, target: Path, fingerprints: Sequence[str], version: ExtractorVersion) -> Resumed | None:
    """Copy the kept tables to ``target`` when they hold the first of these sources' articles, made by this kg; None otherwise (``target`` untouched)."""
    kept = Path(cache_dir) / KEPT
    try:
        with sqlite3.connect(read_only_uri(kept), uri=True) as db:
            row = db.execute("SELECT format, code, versions, sources, prefix, warnings FROM kept").fetchone()
        db.close()
    except (sqlite3.Error, OSError):
        return None
    if row is None:
        return None
    form, code, versions, count, prefix, warnings = row
    try:
        langs = json.loads(versions)
        warnings = json.loads(warnings)
    except ValueError:
        return None
    if (
        form != FORMAT
        or not isinstance(count, int)
        or not 0 < count <= len(fingerprints)
        or not isinstance(langs, dict)
        or not isinstance(warnings, list)
        or not all(isinstance(w, str) for w in warnings)
        or code != package_digest()
        or any(version(lang) != value for lang, value in langs.items())
        or prefix != prefix_digest(fingerprints[:count])
    ):
        return None
    try:
        shutil.copyfile(kept, target)
    except OSError:
        Path(target).unlink(missing_ok=True)
        return None
    return Resumed(count, warnings)


def keep(tables_path: Path, cache_dir: Path, fingerprints: Sequence[str], langs: Sequence[str], version: ExtractorVersion, warnings: Sequence[str]) -> None:
    """Copy the tables at ``tables_path`` (``CorpusTables.keep_state`` just committed them) into the cache folder, keyed for ``resume``."""
    kept = Path(cache_dir) / KEPT
    staged = kept.with_name(f".{kept.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(tables_path, staged)
        with sqlite3.connect(staged) as db:
            db.execute("DROP TABLE IF EXISTS kept")
            db.execute(SCHEMA)
            versions = json.dumps({lang: version(lang) for lang in sorted(langs)})
            db.execute("INSERT INTO kept VALUES (?, ?, ?, ?, ?, ?)", (FORMAT, package_digest(), versions, len(fingerprints), prefix_digest(fingerprints), json.dumps(list(warnings), ensure_ascii=False)))
        db.close()
        os.replace(staged, kept)
    except (sqlite3.Error, OSError):
        staged.unlink(missing_ok=True)


def forget(cache_dir: Path) -> None:
    """No kept tables (this build's sources could not all be read: its tables are not those of its listing)."""
    try:
        (Path(cache_dir) / KEPT).unlink(missing_ok=True)
    except OSError:
        pass
