"""The per-article phase over a corpus's sources: records in input order, repeats left out, the cache consulted.

Records come from the article cache (``kg.corpus.cache``) or from an engine
(``kg.corpus.engines``), in whatever order the engine finishes them, and are
handed on in input order. A document whose id an earlier one has is skipped,
and one whose text an earlier one has (the same article under two names) is
counted once: ``KnownDocuments`` answers which came first, from the corpus
tables on disk in a build, so that an archive's ids and texts are not all
held in memory to check it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from kg.corpus.article_rows import ReadyArticle, article_rows
from kg.extract.article import ArticleRecord
from kg.extract.ingest import Skipped, shown
from kg.extract.ner import Recognizer
from kg.extract.sources import Source

if TYPE_CHECKING:
    from kg.corpus.build import BuildReport

FREEZE_EVERY = 1000  # records collected between two gc.freeze() calls


def extract_sources(
    sources: Iterable[Source],
    recognizer: Recognizer,
    engine: Any = None,
    cache: Any = None,
    progress: Callable[[Iterable], Iterable] | None = None,
    report: BuildReport | None = None,
    fingerprints: Sequence[str] | None = None,
    consume: Callable[[Any], None] | None = None,
    known: KnownDocuments | None = None,
    rows: bool = False,
) -> tuple[list[ArticleRecord], list[Skipped]]:
    """The per-article phase over ``sources``: records in input order, and the sources skipped.

    Cached records are taken from ``cache``; the others are extracted by
    ``engine`` (this process when None) and stored. A document whose id an
    earlier document already has is skipped, as ``read_documents`` does.

    With ``consume``, each record is handed to it in input order as soon as
    every earlier source is done (a pool returns them out of order; the wait
    is bounded by its window), and none is kept: the list returned is empty.
    ``known`` answers which earlier document had an id or a text (the corpus
    tables, on disk); by default two dicts that grow with the archive.
    With ``rows``, ``consume`` is handed each article's rows
    (``kg.corpus.article_rows``) instead of its record: the engine's workers
    make them, with the cache's entries, so that this process only writes them.
    """
    from kg.corpus.engines import CACHED_ROWS, RECORD, ROWS, SerialEngine

    engine = engine or SerialEngine(recognizer)
    deliver = (CACHED_ROWS if cache is not None else ROWS) if rows else RECORD
    ready: dict[int, ArticleRecord | ReadyArticle | Skipped] = {}  # done, waiting for an earlier source
    keys: dict[int, str] = {}
    records: list[ArticleRecord] = []
    skipped: list[Skipped] = []
    known = known if known is not None else SeenDocuments()
    take = consume or records.append
    next_index = 0
    handed = 0

    def hand_over() -> None:
        """Every result whose predecessors are all done, in input order, to ``take`` (or skipped)."""
        nonlocal next_index, handed
        while next_index in ready:
            result = ready.pop(next_index)
            next_index += 1
            if isinstance(result, Skipped):
                skipped.append(result)
                continue
            doc_id, path = (result.doc_id, result.path) if isinstance(result, ReadyArticle) else (result.document.id, result.document.path)
            first = known.path_with_id(doc_id)
            if first is not None:
                skipped.append(Skipped(path, f"{shown(path)}: same document id as {shown(first)}"))
                continue
            first = known.path_with_text(result.text_key) if result.text_key else None
            if first is not None:
                # The same article under two names would count its meetings twice (co-attendance weights).
                if report is not None:
                    report.warnings.append(f"{shown(path)}: the same text as {shown(first)}; counted once")
                continue
            known.remember(doc_id, result.text_key, path)
            if report is not None:
                report.warnings.extend(getattr(result, "warnings", ()))  # records cached before the field have none
            if isinstance(result, ReadyArticle):
                take(result.rows)
            else:
                take(article_rows(result) if rows else result)
            handed += 1
            if handed % FREEZE_EVERY == 0:
                gc.freeze()  # what the corpus keeps of them lives until the build ends: the collector need not scan it again

    def misses() -> Iterator[tuple[int, Source]]:
        for index, source in enumerate(sources):
            key = (fingerprints[index] if fingerprints is not None else source.fingerprint()) if cache is not None else ""
            record = cache.get(key) if key else None
            if record is not None:
                ready[index] = record
                hand_over()
                continue
            keys[index] = key
            yield index, source

    done: Iterable[tuple[int, ArticleRecord | ReadyArticle | Skipped]] = engine.map(misses(), deliver)
    if progress:
        done = progress(done)
    extracted = 0
    for index, result in done:
        ready[index] = result
        if isinstance(result, ReadyArticle):
            extracted += 1
            if cache is not None:
                cache.put_stored(keys.pop(index), result.lang, result.cached)
        elif isinstance(result, ArticleRecord):
            extracted += 1
            if cache is not None:
                cache.put(keys.pop(index), result)
        hand_over()
    hand_over()
    if cache is not None:
        cache.commit()
    if report is not None:
        report.extracted += extracted
        report.cached += cache.hits if cache is not None else 0
    return records, skipped


class KnownDocuments(Protocol):
    """The documents taken so far: the path of the first with an id, or with a text (``text_key``)."""

    def path_with_id(self, doc_id: str) -> str | None: ...

    def path_with_text(self, text_key: str) -> str | None: ...

    def remember(self, doc_id: str, text_key: str, path: str) -> None: ...


class SeenDocuments:
    """``KnownDocuments`` in memory, for a corpus held in memory anyway."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.texts: dict[str, str] = {}

    def path_with_id(self, doc_id: str) -> str | None:
        return self.ids.get(doc_id)

    def path_with_text(self, text_key: str) -> str | None:
        return self.texts.get(text_key)

    def remember(self, doc_id: str, text_key: str, path: str) -> None:
        self.ids[doc_id] = path
        if text_key:
            self.texts[text_key] = path
