"""A persistent Oxigraph store of a build: ``kg load OUT --store DIR``.

Loading a graph file into a query engine on every ``kg query`` costs seconds at
10^6 triples; a store on disk opens in milliseconds. ``load`` bulk-loads a
build's graph (``graph.nq`` when the build wrote one, so each article's named
graph and its provenance stay apart; else ``graph.nt`` or ``graph.ttl``) into
a fresh Oxigraph (RocksDB) directory beside it, then puts it in place of
``DIR`` by one atomic switch: ``DIR`` is a link to the current version
(``.DIR.versions/…``), replaced by one rename, so a reader opens the old store
or the new one, never a part; the previous version is kept until the next load,
so a query still reading it finishes. ``DIR/kg-store.json`` says what was
loaded and marks the directory as a kg store, which ``kg query``, ``kg serve``
and ``kg.api.load_graph`` open read-only in place of a graph file; beside it,
``kg-labels.sqlite`` holds the label index name parameters are looked up in
(``kg.explore.label_db``; a store of an older kg has ``kg-labels.json``).
Loaded again from N-Quads or N-Triples, a store has only the parts of the
graph that changed replaced in its new version (``kg.explore.store_update``,
which keeps ``kg-parts.sqlite`` beside it).
"""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.machine import usable_cores

if TYPE_CHECKING:
    from kg.explore.store_parts import Parts

MARK = "kg-store.json"
LABEL_DB = "kg-labels.sqlite"  # the label index (``kg.explore.label_db``), so that a query need not build it
LABELS = "kg-labels.json"  # the label rows as an older kg stored them: still read
PREFERRED = ("graph.nq", "graph.nt", "graph.ttl")
FORMATS = {".nq": "N_QUADS", ".nt": "N_TRIPLES", ".ttl": "TURTLE", ".trig": "TRIG"}


class StoreError(Exception):
    """A store or graph the user can fix; the message is one line."""


@dataclass
class StoreInfo:
    source: str
    format: str
    quads: int
    seconds: float
    loaded_at: str
    updated_parts: int | None = None  # the parts of the graph replaced in the last version; None: loaded whole


def graph_file(source: Path, preferred: tuple[str, ...] = PREFERRED) -> Path:
    """The graph file of a build folder (the first of ``preferred``; N-Quads first by default), or ``source`` itself when it is a file."""
    if source.is_file():
        if source.suffix.lower() not in FORMATS:
            raise StoreError(f"{source}: unknown graph format; use one of {', '.join(FORMATS)}")
        return source
    for name in preferred:
        if (source / name).is_file():
            return source / name
    raise StoreError(f"{source}: no {', '.join(preferred)} (build it with `kg build ... --out {source}`)")


def write_labels(store: Any, path: Path) -> None:
    """Every subject's ``rdfs:label`` as (IRI, label, the label's words as names are matched) rows, sorted, into the index file ``path``.

    The words are folded here, once, so that ``kg query`` on the store does not
    fold every label again at each start (42,000 labels took about 0.3 s), and
    indexed, so that it does not read them all either (``kg.explore.label_db``).
    """
    from kg.explore.label_db import write_label_db
    from kg.explore.labels import LABEL_QUERY, words_of

    pairs = sorted((row["s"].value, row["label"].value) for row in store.query(LABEL_QUERY, use_default_graph_as_union=True))
    write_label_db(((iri, label, words_of(label)) for iri, label in pairs), path)


def read_labels(store_dir: Path | str) -> list[tuple[str, ...]] | None:
    """The label rows an older ``kg load`` wrote as JSON ([IRI, label, words] or [IRI, label]), or None (the index is then built from the store)."""
    try:
        rows = json.loads((Path(store_dir) / LABELS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(rows, list) or not all(type(row) is list and 2 <= len(row) <= 3 and type(row[0]) is str for row in rows):
        return None  # not what kg load writes: the index is built from the store instead
    return [tuple(row) for row in rows]


def is_store(path: Path | str) -> bool:
    return Path(path).is_dir() and (Path(path) / MARK).is_file()


def load(source: Path | str, store_dir: Path | str, full: bool = False) -> StoreInfo:
    """Load the graph of ``source`` (a build folder or a graph file) into the store ``store_dir``.

    A store loaded before from N-Quads (or N-Triples) has only the parts of
    the graph that changed replaced (``kg.explore.store_update``), unless
    ``full`` or most of it changed; otherwise the file is bulk-loaded whole.
    """
    import shutil

    import pyoxigraph as ox

    from kg.explore.bulk_load import load_graph_file
    from kg.explore.store_parts import write_parts
    from kg.explore.store_update import FORMATS as BY_PARTS, PARTS

    source, store_dir = Path(source), Path(store_dir)
    graph = graph_file(source)
    check_store_folder(store_dir)
    started = time.perf_counter()
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = versions_dir(store_dir) / f"{time.strftime('%Y%m%dT%H%M%S')}-{time.perf_counter_ns()}"
    staging.parent.mkdir(parents=True, exist_ok=True)
    fmt = FORMATS[graph.suffix.lower()]
    parts: Parts | None = None
    updated: int | None = None
    try:
        if not full and updatable(store_dir, fmt):
            parts = parts_of(graph, min(2, usable_cores()), folder=staging.parent)
            updated = None if parts is None else updated_store(store_dir, staging, graph, fmt, parts)
        if updated is None:
            if parts is not None:
                parts.spill()  # too much changed: kept for the parts file, out of memory while Oxigraph loads
            with ThreadPoolExecutor(1) as beside:
                # The parts the next load compares with are read while Oxigraph loads (it lets go of the GIL): 39 s
                # against 57 s one after the other, for 4.5 million quads.
                reading = beside.submit(parts_of, graph, 1, False, staging.parent) if parts is None and fmt in BY_PARTS else None
                store = load_graph_file(lambda: empty_store(staging), graph, fmt)
                store.optimize()
                parts = reading.result() if reading is not None else parts
        else:
            store = ox.Store(str(staging))
        quads = len(store)
        store.flush()
        if updated is None:
            write_labels(store, staging / LABEL_DB)
        del store
        if parts is not None:
            write_parts(parts, staging / PARTS)
        info = StoreInfo(str(graph.resolve()), fmt.lower(), quads, round(time.perf_counter() - started, 3), time.strftime("%Y-%m-%dT%H:%M:%S"), updated)
        (staging / MARK).write_text(json.dumps(asdict(info), indent=1) + "\n", encoding="utf-8")
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise StoreError(f"{store_dir}: cannot write the store ({error})") from None
    except Exception as error:  # noqa: BLE001 - a parse error is the graph's, one line
        shutil.rmtree(staging, ignore_errors=True)
        raise StoreError(f"{graph}: cannot load it: {' '.join(str(error).split())[:300]}") from None
    finally:
        if parts is not None:
            parts.close()  # its runs
    switch_to(store_dir, staging)
    return info


def check_store_folder(store_dir: Path) -> None:
    """Refuse to make a store where something else is: ``store_dir`` must be a store, an empty directory, or nothing yet."""
    if store_dir.exists() and not is_store(store_dir) and (not store_dir.is_dir() or any(store_dir.iterdir())):
        raise StoreError(f"{store_dir}: not a kg store and not empty; give a new or empty directory")


def empty_store(folder: Path) -> Any:
    """A new, empty Oxigraph store in ``folder`` (whatever was there removed)."""
    import shutil

    import pyoxigraph as ox

    shutil.rmtree(folder, ignore_errors=True)
    return ox.Store(str(folder))


def parts_of(graph: Path, processes: int = 1, offsets: bool = True, folder: Path | None = None) -> Parts | None:
    """The parts of ``graph`` (``kg.explore.store_parts``, its runs in ``folder``), or None when it cannot be updated by parts."""
    from kg.explore.store_parts import NotUpdatable, file_parts

    try:
        return file_parts(graph, processes, offsets, folder)
    except NotUpdatable:
        return None


def updatable(store_dir: Path, fmt: str) -> bool:
    """Whether ``store_dir`` is a store loaded from a file of format ``fmt`` whose parts it recorded (``kg.explore.store_update``)."""
    from kg.explore.store_update import FORMATS as BY_PARTS, PARTS

    if fmt not in BY_PARTS or not is_store(store_dir):
        return False
    current = current_store(store_dir)
    try:
        return info(store_dir).get("format") == fmt.lower() and (current / PARTS).is_file() and (current / LABEL_DB).is_file()
    except (OSError, ValueError, AttributeError):
        return False


def updated_store(store_dir: Path, staging: Path, graph: Path, fmt: str, parts: Parts) -> int | None:
    """Make ``staging`` the current store with the parts of ``graph`` that changed replaced; how many, or None when the file must be loaded whole."""
    from kg.explore.store_parts import NotUpdatable
    from kg.explore.store_update import MOST_CHANGED, PARTS, changed_parts, update_version

    current = current_store(store_dir)
    try:
        changes = changed_parts(parts, current / PARTS, MOST_CHANGED * parts.lines)
    except NotUpdatable:
        return None
    if changes is None:
        return None
    update_version(current, staging, graph, fmt, changes)
    return len(changes.keys)


def versions_dir(store_dir: Path) -> Path:
    return store_dir.with_name(f".{store_dir.name}.versions")


def switch_to(store_dir: Path, version: Path) -> None:
    """Make ``store_dir`` (a link) point to ``version`` by one rename; drop all versions but this and the one before."""
    import shutil

    previous = current_store(store_dir) if store_dir.exists() else None
    if store_dir.is_dir() and not store_dir.is_symlink():
        # A store made by an older kg (a real folder), or an empty folder: moved into the versions once.
        if any(store_dir.iterdir()):
            legacy = versions_dir(store_dir) / f"0-legacy-{os.getpid()}"
            store_dir.rename(legacy)
            previous = legacy
        else:
            store_dir.rmdir()
    link = store_dir.with_name(f".{store_dir.name}.link-{os.getpid()}")
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(version, store_dir.parent))
    os.replace(link, store_dir)
    keep = {version.resolve()} | ({previous.resolve()} if previous is not None else set())
    for old in versions_dir(store_dir).iterdir():
        if old.resolve() not in keep and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)


def current_store(store_dir: Path | str) -> Path:
    """The folder ``store_dir`` stands for now (its link's target, resolved once so that one reader sees one version)."""
    return Path(store_dir).resolve()


def open_store(store_dir: Path | str) -> Any:
    """The store at ``store_dir``, read-only (``pyoxigraph.Store``)."""
    import pyoxigraph as ox

    store_dir = Path(store_dir)
    if not is_store(store_dir):
        raise StoreError(f"{store_dir}: not a kg store (make one with `kg load OUT --store {store_dir}`)")
    try:
        return ox.Store.read_only(str(current_store(store_dir)))
    except OSError as error:
        raise StoreError(f"{store_dir}: cannot open the store ({' '.join(str(error).split())[:200]})") from None


def info(store_dir: Path | str) -> dict[str, Any]:
    return json.loads((Path(store_dir) / MARK).read_text(encoding="utf-8"))
