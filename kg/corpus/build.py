"""Build: the orchestrator, in the two phases a build has.

1. **Per article** (``kg.extract.article``): read → tokenize → NER → resolution
   within the article → main event → relations, one ``ArticleRecord`` each;
   run by an engine (``kg.corpus.engines``: this process, a process pool or
   Dask) and cached on disk (``kg.corpus.cache``), so a rebuild extracts only
   new or changed articles.
2. **Per corpus**: each record is linked into tables on disk as it arrives
   (``kg.corpus.tables``), merged across articles a group of blocks at a time
   (``kg.corpus.blocks``, with ``kg.corpus.merge``'s rules: blocking,
   judgements, stable ids; then ``kg.corpus.events``), and the outputs
   (``kg.graph``, written by ``kg.corpus.writers``) read from the tables a
   row at a time (``kg.corpus.table_view``), so a build's memory does not
   grow with its archive. A build with a cache keeps the tables as they stood
   after the last article (``kg.corpus.kept``): the next one, if it only adds
   articles after those, links only the new ones. ``extract`` and ``assemble`` do the same in memory
   (``kg.corpus.link``): a library call for a few articles that returns the
   ``Extraction``, and the reference the tables are tested against (the same
   entities, relations and bytes).

Records are put back in input order before the corpus phase, so the outputs
are the same bytes whatever the engine, the number of workers or the cache.
Outputs are written into a build folder of their own and made current by one
atomic switch only when every stage has succeeded (``kg.corpus.outputs``), so
a failed or interrupted build leaves the previous set whole.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.corpus.articles import extract_sources
from kg.corpus.blocks import merge_tables
from kg.corpus.judgements import Judgement
from kg.corpus.kept import Resumed
from kg.corpus.link import CorpusLink
from kg.corpus.table_view import TableView
from kg.corpus.tables import CorpusTables
from kg.corpus.events import merge_events
from kg.corpus.merge import merge_entities
from kg.extract.officials import vietnamese_name
from kg.corpus.writers import OUTPUT_NAMES, PAGE_MEASURES, STREAM_NAMES, graph_formats, helper_wanted, start_helper, write_outputs  # noqa: F401 - importable from here
from kg.extract.article import ArticleRecord, extract_article
from kg.extract.ingest import Skipped
from kg.extract.ner import Recognizer
from kg.extract.sources import Source, find_sources
from kg.model import Document, Entity, Extraction, Relation

CACHE_DIR = ".kg-cache"  # inside the output directory unless --cache names another


@dataclass
class BuildReport:
    documents: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    entities: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    triples: int = 0
    seconds: float = 0.0
    outputs: dict[str, Path] = field(default_factory=dict)
    ner_model: str = ""
    warnings: list[str] = field(default_factory=list)
    extracted: int = 0  # articles extracted in this build (the others came from the cache)
    cached: int = 0
    engine: str = "local"
    workers: int = 1
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase
    unchanged: bool = False  # nothing changed since the last build: its outputs were kept as they were
    kept: int = 0  # articles taken up linked from the last build (kg.corpus.kept): only those after them were read
    spliced: list[str] = field(default_factory=list)  # outputs made from the last build's, only their changed parts written (kg.corpus.spliced)


@contextmanager
def few_collections() -> Iterator[None]:
    """The corpus phase without the cyclic garbage collector, which it gives nothing to do.

    Linking, merging and writing make millions of small acyclic objects; each
    full collection walks them all, which cost 40% of the corpus phase at 10^5
    mentions. The collector runs again (and the frozen records thaw) after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def extract(
    documents: list[Document],
    recognizer: Recognizer,
    progress: Callable[[Iterable], Iterable] | None = None,
    judgements: Sequence[Judgement] = (),
    warnings: list[str] | None = None,
) -> Extraction:
    """Run the text stages over documents and return the resolved extraction.

    Each article is extracted on its own (``extract_article``: resolution
    within the article, before relations, so its mentions and posts are read
    in context); then the records are linked and merged across articles,
    where posts can veto merging two namesakes.
    """
    steps = progress(documents) if progress else documents
    articles = [extract_article(document, recognizer) for document in steps]
    return assemble(articles, getattr(recognizer, "name", "rules"), judgements, warnings)


def assemble(articles: Iterable[ArticleRecord], ner_model: str, judgements: Sequence[Judgement] = (), warnings: list[str] | None = None) -> Extraction:
    """The corpus phase: article records (in corpus order) linked and merged into one extraction."""
    link = CorpusLink()
    for article in articles:
        link.add(article)
    return assemble_linked(link, ner_model, judgements, warnings)


def assemble_linked(link: CorpusLink, ner_model: str, judgements: Sequence[Judgement] = (), warnings: list[str] | None = None) -> Extraction:
    """The corpus phase after every article was added to ``link``: ids minted, merged into one extraction."""
    documents, sentences = link.documents, link.sentences
    linked = link.finish()
    on_entities, on_events = split_judgements(judgements, linked.entities)
    merged = merge_entities(documents, linked.resolution, linked.entities, linked.relations, on_entities)
    if warnings is not None:
        warnings.extend(merged.warnings)
    entities, relations = after_merge(merged.entities, merged.relations, on_events)
    return Extraction(documents, sentences, entities, relations, ner_model=ner_model)


def split_judgements(judgements: Sequence[Judgement], entities: Iterable[Entity]) -> tuple[list[Judgement], list[Judgement]]:
    """(the entity merge's judgements, the event merge's): those between two main events are the latter's."""
    main_events = {e.id for e in entities if e.type == "Event" and e.attrs.get("main") == "true"}
    on_events = [j for j in judgements if {j.a.split("/", 1)[-1], j.b.split("/", 1)[-1]} <= main_events]
    return [j for j in judgements if j not in on_events], on_events


def after_merge(entities: list[Entity], relations: list[Relation], event_judgements: Sequence[Judgement] = ()) -> tuple[list[Entity], list[Relation]]:
    """The corpus steps after the entity merge: main events merged across articles, known officials' Vietnamese names."""
    events = merge_events(entities, relations, event_judgements)
    for entity in events.entities:
        if entity.type == "Person" and (vietnamese := vietnamese_name(entity.label, (p.title for p in entity.posts))):
            entity.alt_labels.add((vietnamese, "vi"))  # a known official's name as Vietnamese write it
    return events.entities, events.relations


def build(
    inputs: list[Path],
    out_dir: Path,
    recognizer: Recognizer,
    progress: Callable[[Iterable], Iterable] | None = None,
    judgements: Sequence[Judgement] = (),
    engine: Any = None,
    cache_dir: Path | None = None,
    formats: Sequence[str] = ("turtle",),
    stage: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the graph of the articles under ``inputs`` into ``out_dir``.

    ``engine`` runs the per-article phase and is closed when it is done (``kg.corpus.engines.make_engine``;
    this process when None); ``cache_dir`` keeps article records between
    builds (no cache when None). ``formats``: ``turtle`` (``graph.ttl``),
    ``nt`` and ``nq`` (``graph.nt``/``graph.nq``, N-Triples and N-Quads written
    as a stream), ``jsonl`` (the document records as ``extraction.jsonl``, one
    per line, instead of ``extraction.json``). ``graph.html`` and the document
    records are always written. ``stage`` is told each step after the
    articles (merging, then each file written): at 10^4 articles they take a minute.
    """
    from kg.corpus import kept, merged, unchanged
    from kg.corpus.cache import ExtractorVersion, open_cache

    started = time.perf_counter()
    report = BuildReport(ner_model=getattr(recognizer, "description", getattr(recognizer, "name", "")))
    if engine is not None:
        report.engine, report.workers = engine.name, engine.workers
    cache = open_cache(cache_dir, ExtractorVersion(recognizer), report.warnings) if cache_dir is not None else None
    not_read: list[Skipped] = []  # folders that cannot be listed: their articles are lost, say so
    sources: Iterable[Source] = find_sources(inputs, not_read, report.warnings)
    found: unchanged.Fingerprints | None = None
    last: dict[str, Any] | None = None
    base: merged.Base | None = None
    with scratch_folder(cache_dir) as scratch, scratch_errors(scratch):
        resumed: Resumed | None = None
        try:
            if cache is not None and cache_dir is not None:
                sources = list(sources)
                last = unchanged.read_manifest(cache_dir)
                found = unchanged.fingerprints_of(sources, last)
                if last is not None and not not_read:
                    key = unchanged.build_key(cache.version, last["langs"], found.values, judgements, formats, out_dir)
                    if last["key"] == key and unchanged.outputs_intact(last):
                        same = unchanged_report(report, last, started)
                        if found.reread:  # files touched but the same: their new stamps are trusted next time
                            unchanged.write_manifest(cache_dir, key, last["langs"], same, found)
                        return same
                unchanged.forget(cache_dir)
                if not not_read:
                    resumed = kept.resume(cache_dir, scratch / "corpus.sqlite", found.values, cache.version)
            tables, resumed = open_tables(scratch / "corpus.sqlite", resumed)
            if resumed.sources and last is not None and unchanged.outputs_intact(last):  # only articles added: the last build is a base to splice from
                base = merged.base_for(cache_dir, last, unchanged.build_key(cache.version, last["langs"], found.values[: resumed.sources], judgements, formats, out_dir))
            report.kept = resumed.sources
            report.warnings.extend(resumed.warnings)
            before = len(report.warnings)
            # Each article is linked into the tables as it comes, in input order, and not kept (kg.corpus.tables):
            # its rows, made by the worker that extracted it (kg.corpus.article_rows).
            _, skipped = extract_sources(
                list(sources)[resumed.sources :] if resumed.sources else sources, recognizer, engine, cache, progress, report,
                found.values[resumed.sources :] if found else None, consume=tables.add_rows, known=tables, rows=True,
            )
            report.skipped = not_read + skipped
            if cache is not None and cache_dir is not None and found is not None:
                if report.skipped:  # the tables lack what could not be read: not the tables of these sources
                    kept.forget(cache_dir)
                elif resumed.sources < len(found.values):  # (else the kept copy is these tables already)
                    tables.keep_state()
                    kept.keep(scratch / "corpus.sqlite", cache_dir, found.values, sorted(tables.langs), cache.version, resumed.warnings + report.warnings[before:])
        finally:
            if cache is not None:
                cache.close()
                report.warnings.extend(cache.warnings)
            if engine is not None:
                # The workers' models are not needed for the corpus phase: their memory is given back
                # before it grows (peak of a 2-worker build of 1,450 articles: 1,150 → under 900 MiB).
                engine.close()
        report.phases["articles"] = time.perf_counter() - started
        report.documents = tables.documents
        # The outputs' helper process starts while the corpus is merged, on the core the merge leaves idle (kg.corpus.writers).
        helper = start_helper() if helper_wanted(report.workers, tables.documents) else None
        with few_collections(), helper if helper is not None else nullcontext():
            if stage is not None:
                stage(f"merging {tables.documents} articles")
            tables.link()
            report.warnings.extend(merge_tables(tables, judgements, report.workers, None if base is None else base.path))
            view = TableView(tables, getattr(recognizer, "name", "rules"))
            report.phases["corpus"] = time.perf_counter() - started - report.phases["articles"]
            if tables.documents:
                memo = None if cache_dir is None else cache_dir / PAGE_MEASURES
                report.outputs = write_outputs(view, tables.documents, out_dir, formats, report, stage, base, memo=memo, helper=helper)
            else:
                # Nothing was read: an empty graph must not replace the last good one.
                report.warnings.append(f"no article could be read; the outputs in {out_dir} were left as they were")
        report.entities, report.relations = tables.counts()
        langs = sorted(tables.langs)
        tables.close()
        recorded = cache is not None and cache_dir is not None and found is not None and bool(report.outputs) and not report.skipped
        if recorded:
            key = unchanged.build_key(cache.version, langs, found.values, judgements, formats, out_dir)
            merged.keep(scratch / "corpus.sqlite", cache_dir, key)  # the next build's base, should it only add articles
        elif cache_dir is not None:
            merged.forget(cache_dir)
    report.phases["outputs"] = time.perf_counter() - started - report.phases["articles"] - report.phases["corpus"]
    report.seconds = time.perf_counter() - started
    if recorded:
        unchanged.write_manifest(cache_dir, key, langs, report, found)
    return report


def open_tables(path: Path, resumed: Resumed | None) -> tuple[CorpusTables, Resumed]:
    """The build's corpus tables, and what they already hold: the kept ones copied to ``path`` when ``resumed``, else new ones (also when that copy is damaged)."""
    import sqlite3

    if resumed is not None:
        try:
            return CorpusTables(path, resume=True), resumed
        except (sqlite3.Error, ValueError):  # (ValueError: a state row missing or not in its shape)
            path.unlink(missing_ok=True)
    return CorpusTables(path), Resumed(0, [])


@contextmanager
def scratch_errors(scratch: Path) -> Iterator[None]:
    """A failure to write the corpus tables (a full disk) as one line naming their folder; the outputs are then untouched."""
    import sqlite3

    from kg.corpus.outputs import OutputError

    try:
        yield
    except sqlite3.Error as error:
        raise OutputError(f"{scratch}: cannot write the corpus tables ({error}); free space there, or give --cache a folder on another disk") from None


@contextmanager
def scratch_folder(cache_dir: Path | None) -> Iterator[Path]:
    """A private folder for the corpus tables, removed after the build: in the cache folder when there is one (the user's place for build data), else the system's temporary folder."""
    import shutil
    import tempfile

    parent = None
    if cache_dir is not None:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            parent = cache_dir
        except OSError:
            parent = None
    folder = Path(tempfile.mkdtemp(prefix="corpus-", dir=parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def unchanged_report(report: BuildReport, last: dict[str, Any], started: float) -> BuildReport:
    """The report of a build that found nothing changed: the last build's counts (``last`` is well formed), its outputs kept."""
    report.unchanged = True
    report.documents = report.cached = last["documents"]
    report.entities = Counter(last["entities"])
    report.relations = Counter(last["relations"])
    report.triples = last["triples"]
    report.warnings.extend(w for w in last["warnings"] if w not in report.warnings)  # listing the inputs said some again
    report.outputs = {name: Path(item["path"]) for name, item in last["outputs"].items()}
    report.seconds = time.perf_counter() - started
    return report
