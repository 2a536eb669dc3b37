"""The files a build writes from its corpus view, and which process writes each.

Every file is written from the view alone (``kg.graph.view``), streamed, into
one ``OutputSet`` (``kg.corpus.outputs``) made current by one switch when all
are written. The page comes first (it holds only the entities it shows), then
the graph files, then the document records.

The files do not depend on one another, and after the per-article phase the
workers have given their cores back. So a build allowed more than one worker,
of a corpus on disk (``TableView``) big enough to pay for a process's start,
writes ``graph.ttl`` here while one helper process, reading the same tables
through a read-only connection of its own, writes the others into the same
staged folder: at 10^4 articles the outputs then take as long as the Turtle
alone, not the sum of all files. When this process is done first, it takes
the helper's files the helper has not started (each is claimed by creating a
hidden file beside it): with ``graph.nq`` as well, the helper no longer
writes three big files while this one waits. Each file has the same bytes
whoever wrote it. The helper is started while the corpus is merged
(``start_helper``), on the core the merge leaves idle, so that its start and
imports (about a second) are done when the outputs begin.

A build that only added articles to the last one (``kg.corpus.merged``)
splices ``graph.ttl`` and the document records from the last build's files
(``kg.corpus.spliced``): this process makes the plans and writes them, while
the helper, when there is one, draws the page. Whatever cannot be spliced is
written whole, with the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import IO, TYPE_CHECKING

from kg.corpus.outputs import OutputError, OutputSet
from kg.files import new_text_file, reason

if TYPE_CHECKING:
    from kg.corpus.build import BuildReport
    from kg.corpus.merged import Base
    from kg.corpus.table_view import TableView
    from kg.graph.splice import Plan
    from kg.graph.view import CorpusView

OUTPUT_NAMES = {"turtle": "graph.ttl", "html": "graph.html", "json": "extraction.json", "jsonl": "extraction.jsonl"}
STREAM_NAMES = {"nt": "graph.nt", "nq": "graph.nq"}
HELPED_FROM = 1000  # documents from which a second process writes the files other than graph.ttl (a start costs about a second)
PAGE_MEASURES = "page-measures.json"  # in the cache folder: the page's measures kept between builds (kg.graph.page_measures)
CLAIM = ".claim-{}"  # in the staged folder: the file of that name is being written by one of the two processes


def graph_formats(formats: Sequence[str]) -> list[str]:
    """The formats of ``formats`` that are graph files (``jsonl`` is the document records')."""
    return [f for f in formats if f != "jsonl"]


def output_names(formats: Sequence[str]) -> dict[str, str]:
    """{kind: file name} of what a build with ``formats`` writes, in the order written: the page, the graph files, the document records."""
    names = {"html": OUTPUT_NAMES["html"]}
    if "turtle" in formats or not graph_formats(formats):
        names["turtle"] = OUTPUT_NAMES["turtle"]
    for fmt in ("nt", "nq"):
        if fmt in formats:
            names[fmt] = STREAM_NAMES[fmt]
    names["json"] = OUTPUT_NAMES["jsonl" if "jsonl" in formats else "json"]
    return names


def write_file(view: CorpusView, name: str, handle: IO[str], documents: int, memo: Path | None = None) -> int | None:
    """Write the output ``name`` of a corpus of ``documents`` articles to ``handle``; for a graph file, how many triples or lines.

    ``memo``: where the page's measures are kept from one build to the next (``kg.graph.page_measures``).
    """
    from kg.graph.statements import view_statements

    if name == OUTPUT_NAMES["html"]:
        from kg.graph.page_bounds import page_of
        from kg.graph.viz import render_html

        # Drawn from the entities it shows alone; nothing of it is held while the other files are written.
        shown_graph, note = page_of(view)
        measured = None
        if memo is not None:
            from kg.corpus.cache import package_digest
            from kg.graph.page_measures import remembered_measures

            measured = remembered_measures(shown_graph, memo, package_digest())
        handle.write(render_html(shown_graph, note, measured=measured) if note else render_html(shown_graph, measured=measured))
        return None
    if name == OUTPUT_NAMES["turtle"]:
        from kg.graph.turtle_stream import write_turtle

        # Spilled in bounded runs and merged as written: the graph is never held whole.
        return write_turtle(((s, p, o) for s, p, o, _ in view_statements(view, graphs=False)), handle)
    if name in STREAM_NAMES.values():
        from kg.graph.turtle import write_ntriples

        quads = name == STREAM_NAMES["nq"]
        return write_ntriples(view_statements(view, graphs=quads), handle, graphs=quads)
    from kg.graph.export import view_records, write_jsonl, write_records

    if name == OUTPUT_NAMES["jsonl"]:
        from kg.graph.extraction_file import jsonl_header

        write_jsonl(view_records(view), handle, jsonl_header(ner_model=view.ner_model, documents=documents))
    else:
        write_records(view_records(view), handle)
    return None


def write_outputs(
    view: CorpusView,
    documents: int,
    out_dir: Path,
    formats: Sequence[str],
    report: BuildReport,
    stage: Callable[[str], None] | None = None,
    base: Base | None = None,
    memo: Path | None = None,
    helper: Executor | None = None,
) -> dict[str, Path]:
    """Write the graph files of ``formats``, ``graph.html`` and ``extraction.json`` (or ``.jsonl``) of a corpus (``kg.graph.view``) of ``documents`` articles, all or none; ``stage`` is told each file as it starts.

    ``base``: the last build, when this one only added articles (``kg.corpus.merged``): the files that can be are spliced from its files.
    ``memo``: where the page's measures are kept between builds (``kg.graph.page_measures``).
    ``helper``: the helper process, when the build started it already (``start_helper``); it is the build's to stop.
    """
    names = output_names(formats)
    counts: dict[str, int | None] = {}
    helped = helper_takes(view, names, documents, report.workers)
    # One build folder made current by one atomic switch (kg.corpus.outputs): a reader
    # sees the previous set or this one, never a mix.
    with OutputSet(out_dir) as staged:
        assert staged.folder is not None
        if base is not None:
            counts.update(written_spliced(view, base, staged, documents, names, report, stage, memo, helper))
        elif helped:
            counts.update(written_beside(view, helped, staged, documents, names, stage, memo, helper))
        else:
            for name in names.values():
                if stage is not None:
                    stage(f"writing {name}")
                with staged.open(name) as handle:
                    counts[name] = write_file(view, name, handle, documents, memo)
        committed = staged.commit()
    for kind in ("turtle", "nt", "nq"):  # the triples of graph.ttl, else the lines of the first stream
        if counts.get(names.get(kind, "")) is not None:
            report.triples = counts[names[kind]] or 0
            break
    return {kind: committed.get(name, out_dir / name) for kind, name in names.items()}


def splice_plans(view: CorpusView, names: dict[str, str], base: Base, stage: Callable[[str], None] | None) -> dict[str, tuple[Plan, int | None]]:
    """The plans of the files a build that only added articles splices from the base's (``kg.corpus.spliced``), with their counts; none when they cannot be."""
    import sqlite3

    from kg.corpus.changes import attach, find_changes
    from kg.corpus.spliced import spliced_records, spliced_turtle
    from kg.graph.splice import NotSpliceable

    path = getattr(view, "path", None)
    if path is None:
        return {}
    if stage is not None:
        stage("finding what the added articles changed")
    try:
        db = attach(path, base.path)
        try:
            changes = find_changes(db)
        finally:
            db.close()
        plans: dict[str, tuple[Plan, int | None]] = {}
        if names.get("turtle") == OUTPUT_NAMES["turtle"] and "turtle" in base.outputs:
            plans[OUTPUT_NAMES["turtle"]] = spliced_turtle(path, base, view.ner_model, changes)
        if "json" in base.outputs and Path(base.outputs["json"]).name == names["json"]:
            plans[names["json"]] = (spliced_records(path, base, view.ner_model, changes, lines=names["json"] == OUTPUT_NAMES["jsonl"]), None)
    except (NotSpliceable, sqlite3.Error, OSError, ValueError):
        return {}  # written whole
    return plans


def written_spliced(
    view: CorpusView,
    base: Base,
    staged: OutputSet,
    documents: int,
    names: dict[str, str],
    report: BuildReport,
    stage: Callable[[str], None] | None,
    memo: Path | None,
    started: Executor | None = None,
) -> dict[str, int | None]:
    """Write the files of a build that only added articles: ``graph.ttl`` and ``extraction.json`` spliced from the base's where they can be
    (``report.spliced`` names them), the others whole, by a helper process while this one splices when a big build has workers to spare
    (``started``, when the build started it already: ``start_helper``)."""
    assert staged.folder is not None
    counts: dict[str, int | None] = {}
    spliceable = [name for name in names.values() if name in (OUTPUT_NAMES["turtle"], OUTPUT_NAMES["json"], OUTPUT_NAMES["jsonl"])]
    others = [name for name in names.values() if name not in spliceable]
    helped = others if set(helper_takes(view, names, documents, report.workers)) >= set(others) and others else []
    with (helper_pool(started) if helped else nullcontext()) as helper:
        future = helper.submit(write_files_of_tables, str(view.path), view.ner_model, documents, helped, str(staged.folder), str(staged.out_dir), memo) if helper else None  # type: ignore[attr-defined]
        plans = splice_plans(view, names, base, stage)
        report.spliced = sorted(plans)
        for name in spliceable + others:
            if name in others and helped and not claim(staged.folder, name):
                continue  # the helper's
            if stage is not None:
                stage(f"{'splicing' if name in plans else 'writing'} {name}")
            with staged.open(name) as handle:
                if name in plans:
                    plan, counts[name] = plans[name]
                    handle.flush()
                    plan.write(handle.fileno())
                else:
                    counts[name] = write_file(view, name, handle, documents, memo)
        written = future.result() if future is not None else {}
    for name in helped:
        (staged.folder / CLAIM.format(name)).unlink(missing_ok=True)
    for name in written:
        staged.adopt(name)
    counts.update(written)
    return counts


def start_helper() -> Executor:
    """The outputs' helper process, started (its modules imported) while the corpus is merged: a start costs the outputs about a second."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    helper = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    helper.submit(import_writers)
    return helper


def import_writers() -> None:
    """In the helper: import what writing the page, the records and the graph's runs needs."""
    import kg.corpus.table_view  # noqa: F401
    import kg.graph.export  # noqa: F401
    import kg.graph.page_bounds  # noqa: F401
    import kg.graph.page_measures  # noqa: F401
    import kg.graph.statements  # noqa: F401
    import kg.graph.turtle_stream  # noqa: F401


def helper_wanted(workers: int, documents: int) -> bool:
    """Whether a build of ``documents`` articles allowed ``workers`` workers writes its outputs with a helper (``helper_takes`` says which files)."""
    return workers >= 2 and documents >= HELPED_FROM


@contextmanager
def helper_pool(started: Executor | None) -> Iterator[Executor]:
    """The helper the build ``started``, left running for it to stop; else one of this block's own.

    Either way the block ends only when the helper has done what it was
    given, as the outputs' staged folder it writes into may be removed next.
    """
    if started is not None:
        try:
            yield started
        finally:
            try:
                started.submit(int).result()  # queued after its tasks: done when they are
            except Exception:  # noqa: BLE001 - a helper that failed has said so through its task
                pass
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as helper:
        yield helper


def helper_takes(view: CorpusView, names: dict[str, str], documents: int, workers: int) -> list[str]:
    """The files a helper process writes: all but the first graph file, when there are workers to spare and a corpus on disk worth it."""
    path = getattr(view, "path", None)
    if not helper_wanted(workers, documents) or path is None or len(names) < 2:
        return []
    graph_files = [name for kind, name in names.items() if kind in ("turtle", "nt", "nq")]
    here = graph_files[0] if graph_files else names["json"]
    return [name for name in names.values() if name != here]


def written_beside(
    view: CorpusView,
    helped: list[str],
    staged: OutputSet,
    documents: int,
    names: dict[str, str],
    stage: Callable[[str], None] | None,
    memo: Path | None = None,
    started: Executor | None = None,
) -> dict[str, int | None]:
    """Write the files of ``helped`` in a helper process (``started``, when the build started it already) while this one writes the rest; each file's count."""
    import tempfile

    assert staged.folder is not None
    counts: dict[str, int | None] = {}
    here = [name for name in names.values() if name not in helped]
    tables = str(view.path)  # type: ignore[attr-defined]
    with helper_pool(started) as helper, tempfile.TemporaryDirectory(prefix="kg-turtle-") as spill:
        turtle = OUTPUT_NAMES["turtle"] in here
        if turtle:  # the helper first makes the runs of the entities' part of graph.ttl; this process, the relations' and the merge
            runs = helper.submit(spill_graph_part, tables, view.ner_model, "entities", spill)
        future = helper.submit(write_files_of_tables, tables, view.ner_model, documents, helped, str(staged.folder), str(staged.out_dir), memo)
        for name in here:
            if stage is not None:
                stage(f"writing {name} (and {', '.join(helped)} beside it)")
            with staged.open(name) as handle:
                if turtle and name == OUTPUT_NAMES["turtle"]:
                    from kg.graph.statements import graph_part
                    from kg.graph.turtle_stream import write_turtle

                    counts[name] = write_turtle(graph_part(view, "relations"), handle, spill=spill, more_runs=runs.result)
                else:
                    counts[name] = write_file(view, name, handle, documents, memo)
        for name in helped:  # the helper's files it has not started yet are this process's now (graph.nq beside the rest)
            if claim(staged.folder, name):
                if stage is not None:
                    stage(f"writing {name} (the helper the others)")
                with staged.open(name) as handle:
                    counts[name] = write_file(view, name, handle, documents, memo)
        left = [name for name in helped if name not in counts]
        if stage is not None and left:
            stage(f"writing {', '.join(left)}")
        written = future.result()
        counts.update(written)
    for name in helped:
        (staged.folder / CLAIM.format(name)).unlink(missing_ok=True)
    for name in written:
        staged.adopt(name)
    return counts


def claim(folder: Path, name: str) -> bool:
    """Whether this process writes ``name``: the helper and this one each take the next file nobody has, by creating its claim."""
    try:
        os.close(os.open(folder / CLAIM.format(name), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    return True


def spill_graph_part(tables: str, ner_model: str, part: str, folder: str) -> list[str]:
    """In a helper process: the runs of ``part`` of graph.ttl (``kg.graph.statements.graph_part``) of the merged tables at ``tables``, spilled into ``folder``; their names."""
    from kg.graph.statements import graph_part
    from kg.graph.turtle_stream import spill_turtle

    view = open_view(tables, ner_model)
    try:
        return spill_turtle(graph_part(view, part), folder, f"{part}-")
    finally:
        view.close()


def open_view(tables: str, ner_model: str) -> TableView:
    import sqlite3

    from kg.corpus.table_view import TableView

    try:
        return TableView.read_only(Path(tables), ner_model)
    except sqlite3.Error as error:
        raise OutputError(f"{tables}: the merged corpus tables cannot be read ({error})") from None


def write_files_of_tables(tables: str, ner_model: str, documents: int, names: list[str], folder: str, out_dir: str, memo: Path | None = None) -> dict[str, int | None]:
    """In a helper process: write the outputs ``names`` of the merged tables at ``tables`` into the staged ``folder`` of ``out_dir``, each fsynced."""
    view = open_view(tables, ner_model)
    counts: dict[str, int | None] = {}
    try:
        for name in names:
            if not claim(Path(folder), name):
                continue  # the other process took it
            path = Path(folder) / name
            try:
                with new_text_file(path) as handle:
                    counts[name] = write_file(view, name, handle, documents, memo)
            except OSError as error:
                raise OutputError(f"{out_dir}: cannot write the outputs ({reason(error)})") from None
    finally:
        view.close()
    return counts


__all__ = ["HELPED_FROM", "OUTPUT_NAMES", "STREAM_NAMES", "graph_formats", "output_names", "write_file", "write_outputs"]
