"""The article cache: per-article records on disk, so a rebuild extracts only what changed.

A record is stored under its source's fingerprint (the file's bytes and path,
or the dump record's fields; ``kg.extract.sources``) together with the
*extractor version* of its language, and is used only while that version is
unchanged. The version hashes everything an article's record depends on:

- the code of the per-article phase (``kg/extract/**.py``, ``kg/model.py``);
- the language resources of the article's language (``kg/resources/<lang>/``)
  and those shared by every language;
- the NER: the recogniser's description and the bytes of the model files it
  loads for that language;
- the relation weights (``kg/models/relations/weights.json``).

So editing a Hindi table re-extracts the Hindi articles and keeps the Arabic
ones; editing code or changing ``--ner`` re-extracts everything.

One SQLite file (``articles.sqlite``) holds the records; only the build's
main process reads and writes it, so workers never contend for it. Records are
stored without their sentences and text (what the corpus phase needs), as
compressed JSON (``kg.corpus.records``): reading a row never runs code, and a
row that does not parse is a miss. The version guards against reading a
record written by other code.

A cache is disposable: a file that is not a database of this layout is set
aside and a new one started, and a cache that cannot be opened or written at
all (a folder in its place, a read-only or full disk) is left out with one
warning; the build goes on either way.
"""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from functools import lru_cache
from pathlib import Path

from kg.extract.article import ArticleRecord

PACKAGE = Path(__file__).resolve().parents[1]
CACHE_FILE = "articles.sqlite"
SCHEMA = 3  # 3: records carry their text key; 2: records as JSON (1 was pickle)
COLUMNS = ["key", "lang", "version", "record"]


@lru_cache(maxsize=None)
def file_digest(path: Path, size: int, mtime_ns: int) -> str:
    """SHA-256 of a file's bytes (memoised on size and mtime: model files are megabytes)."""
    del size, mtime_ns
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def digest_files(paths: list[Path], root: Path | None = None) -> str:
    """The files' contents under their names: relative to ``root``, or without ``root`` their bare names, so
    that the same model or weights installed in another folder (another checkout, another environment)
    is the same version and a cache built there is still good."""
    digest = hashlib.sha256()
    entries = []
    for path in paths:
        stat = path.stat()
        name = str(path.relative_to(root)) if root else path.name
        entries.append(f"{name}\0{file_digest(path, stat.st_size, stat.st_mtime_ns)}\0")
    for entry in sorted(entries):
        digest.update(entry.encode())
    return digest.hexdigest()


def package_digest() -> str:
    """Every module of the package, by path within it and content: what a build's shortcuts (``kg.corpus.unchanged``, ``kg.corpus.kept``) were made by."""
    return digest_files(list(PACKAGE.rglob("*.py")), PACKAGE)


def code_files() -> list[Path]:
    return [p for p in (PACKAGE / "extract").rglob("*.py") if "training" not in p.parts] + [PACKAGE / "model.py"]


def resource_files(lang: str, resources: Path | None = None) -> list[Path]:
    """The files of ``kg/resources/<lang>/`` and the shared ones at the top of ``kg/resources/``."""
    from kg.extract.resources import resource_dir

    root = resources or resource_dir()
    shared = [p for p in root.iterdir() if p.is_file() and p.suffix != ".md"] if root.is_dir() else []
    own = [p for p in (root / lang).rglob("*") if p.is_file()] if (root / lang).is_dir() else []
    return shared + own


def model_files(recognizer: object, lang: str) -> list[Path]:
    """The Stanza model files ``recognizer`` loads for ``lang`` (none for the rules)."""
    stanza = getattr(recognizer, "stanza", recognizer)
    if not (hasattr(stanza, "has_model") and hasattr(stanza, "recognizer")) or not stanza.has_model(lang):
        return []
    choice = stanza.recognizer(lang).choice
    return [Path(p) for p in (choice.path, choice.pretrain, choice.forward_charlm, choice.backward_charlm) if p]


def relation_model_files() -> list[Path]:
    """The relation weights the per-article phase decides with (kg.extract.decide.weights)."""
    from kg.extract.decide.weights import SHIPPED

    return [SHIPPED] if SHIPPED.is_file() else []


class ExtractorVersion:
    """The version of the per-article phase for each language (see the module docstring)."""

    def __init__(self, recognizer: object) -> None:
        self.recognizer = recognizer
        self.versions: dict[str, str] = {}
        self.code = digest_files(code_files(), PACKAGE)

    def __call__(self, lang: str) -> str:
        if lang not in self.versions:
            from kg.extract.resources import resource_dir

            describe = getattr(self.recognizer, "description", getattr(self.recognizer, "name", type(self.recognizer).__name__))
            parts = [
                f"schema {SCHEMA}",
                self.code,
                digest_files(resource_files(lang), resource_dir()),
                f"{type(self.recognizer).__name__}: {describe}",
                digest_files(model_files(self.recognizer, lang)),
                digest_files(relation_model_files()),
            ]
            self.versions[lang] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return self.versions[lang]


def stored_record(record: ArticleRecord) -> bytes:
    """A record as the cache keeps it: its JSON (``kg.corpus.records``), compressed."""
    from kg.corpus.records import dumps

    return zlib.compress(dumps(record), 1)


class CacheUnavailable(Exception):
    """The cache could not be opened or started again; the build runs without it."""


class ArticleCache:
    """Article records by source fingerprint; ``get`` misses when the language's version changed.

    Open it with ``open_cache``, which sets a damaged file aside. A failure
    while reading is a miss; a failure while writing turns writing off and is
    reported once in ``warnings``.
    """

    def __init__(self, directory: Path, version: ExtractorVersion) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / CACHE_FILE
        self.version = version
        self.db = sqlite3.connect(self.path)
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("CREATE TABLE IF NOT EXISTS articles (key TEXT PRIMARY KEY, lang TEXT NOT NULL, version TEXT NOT NULL, record BLOB NOT NULL)")
            columns = [row[1] for row in self.db.execute("PRAGMA table_info(articles)")]
            if columns != COLUMNS:
                raise sqlite3.DatabaseError(f"table layout {columns} is not {COLUMNS}")
        except sqlite3.Error:
            self.db.close()
            raise
        self.hits = 0
        self.misses = 0
        self.pending = 0
        self.writable = True
        self.warnings: list[str] = []

    def get(self, key: str) -> ArticleRecord | None:
        from kg.corpus.records import RecordFormatError, loads

        try:
            row = self.db.execute("SELECT lang, version, record FROM articles WHERE key = ?", (key,)).fetchone() if key else None
        except sqlite3.Error:
            row = None
        if row is None or row[1] != self.version(row[0]):
            self.misses += 1
            return None
        try:
            record = loads(zlib.decompress(row[2]))
        except (RecordFormatError, zlib.error, TypeError):  # a damaged or foreign entry is a miss, never an error
            self.misses += 1
            return None
        self.hits += 1
        return record

    def put(self, key: str, record: ArticleRecord) -> None:
        self.put_stored(key, record.document.lang, stored_record(record))

    def put_stored(self, key: str, lang: str, blob: bytes) -> None:
        """Store a record of ``lang`` already encoded (``stored_record``, by the worker that made it)."""
        if not key or not self.writable:
            return
        try:
            self.db.execute("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?)", (key, lang, self.version(lang), blob))
        except sqlite3.Error as error:
            self.stop_writing(error)
            return
        self.pending += 1
        if self.pending >= 500:
            self.commit()

    def stop_writing(self, error: Exception) -> None:
        self.writable = False
        self.warnings.append(f"{self.path}: the article cache cannot be written ({error}); this build goes on without storing records")

    def commit(self) -> None:
        try:
            self.db.commit()
        except sqlite3.Error as error:
            if self.writable:
                self.stop_writing(error)
        self.pending = 0

    def close(self) -> None:
        self.commit()
        try:
            self.db.close()
        except sqlite3.Error:
            pass

    def __enter__(self) -> ArticleCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_cache(directory: Path, version: ExtractorVersion, warnings: list[str]) -> ArticleCache | None:
    """The cache in ``directory``, started anew when its file is damaged; None (with a warning) when it cannot be had."""
    try:
        return ArticleCache(directory, version)
    except (sqlite3.Error, OSError) as error:
        first = error
    path = directory / CACHE_FILE
    try:
        if path.is_file() or path.is_symlink():
            aside = path.with_name(path.name + ".damaged")
            path.replace(aside)
            for suffix in ("-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            cache = ArticleCache(directory, version)
            warnings.append(f"{path}: not a usable article cache ({first}); set aside as {aside.name} and started anew")
            return cache
    except (sqlite3.Error, OSError):
        pass
    warnings.append(f"{path}: the article cache cannot be used ({first}); building without it")
    return None
