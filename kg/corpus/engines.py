"""Engines: where the per-article phase runs — this process, a local process pool, or Dask.

Every engine takes ``(index, Source)`` pairs and yields ``(index, result)``
pairs, a result being an ``ArticleRecord`` (without sentences and text) or a
``Skipped``; they may come in any order, and the build puts them back in
input order, so every engine gives the same graph byte for byte. A build
that links into its tables asks for each article ready to store and link
instead of its record (``deliver``, ``kg.corpus.article_rows.ReadyArticle``):
the worker makes its rows and cache entry, and this process, which every
article passes through, only writes them.

- ``local`` with one worker: in this process.
- ``local`` with N workers: a pool of N processes (``forkserver``: workers
  start clean, never inheriting a parent's torch threads). Each worker builds
  its recogniser once and keeps its Stanza models loaded for the whole build.
- ``dask``: tasks on a Dask distributed cluster — an existing one
  (``scheduler="tcp://host:8786"``) or a ``LocalCluster`` of N single-threaded
  worker processes started for the build. Each Dask worker process loads the
  models once, on its first task.

Torch is limited to one thread per process everywhere (``limit_threads``):
its default, one thread per core in every process, oversubscribes the cores as
soon as two processes run, and made builds 4–10× slower on a busy machine.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from kg.corpus.article_rows import ReadyArticle, ready_article
from kg.extract.article import ArticleRecord, extract_article
from kg.extract.ingest import IngestError, Skipped
from kg.extract.sources import Source, read_source, with_contents

Result = ArticleRecord | ReadyArticle | Skipped
# What a worker hands back for each article (``deliver``): its record, its rows, or its rows and cache entry.
RECORD, ROWS, CACHED_ROWS = "record", "rows", "cached rows"
BATCH = 8  # articles per task: large enough to hide the per-task overhead, small enough to balance
DASK_BATCH = 32  # a Dask task costs more (the scheduler's round trips, the worker's event loop): fewer, larger ones
# A LocalCluster started for a build shows no dashboard, so nothing reads the workers' statistical profiler (a
# stack sample every 10 ms); and each event loop need not check itself 50 times a second. Without both, a worker's
# CPU outside its tasks halved (1.2–1.3 s against 2.5–2.7 s per 1,024 synthetic articles). Its workers live for one
# build, so they need not hand freed memory back to the system at once (Dask's MALLOC_TRIM_THRESHOLD_, which makes
# the C allocator shrink its heap after each large free: extraction allocates and frees all the time), nor check
# their memory ten times a second and the system's twice.
QUIET_CLUSTER = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.nanny.pre-spawn-environ": {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1},
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
}


def limit_threads(threads: int = 1) -> None:
    """One compute thread per process for torch and the BLAS/OpenMP libraries.

    The environment covers a torch imported later (the rules never import it);
    a torch already imported is told directly.
    """
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[name] = str(threads)
    torch = sys.modules.get("torch")
    if torch is None:
        return
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(threads)
    except RuntimeError:
        pass  # already set, or parallel work has started: it can be set only once


def warm_up(recognizer: Any) -> None:
    """Load the recogniser's models now (Stanza's load on first use), so that workers start ready."""
    stanza = getattr(recognizer, "stanza", recognizer)
    if not (hasattr(stanza, "langs") and hasattr(stanza, "has_model") and hasattr(stanza, "recognizer")):
        return
    for lang in stanza.langs:
        if stanza.has_model(lang):
            stanza.recognizer(lang).tagger()
    limit_threads(1)  # torch is imported now


def extract_source(source: Source, recognizer: Any, deliver: str = RECORD) -> Result:
    """The slim record of one source (or what ``deliver`` asks of it), or why it was skipped."""
    try:
        document = read_source(source)
    except IngestError as error:
        return Skipped(source.name if source.row else source.path, str(error))
    record = extract_article(document, recognizer).without_text()
    return record if deliver == RECORD else ready_article(record, cached=deliver == CACHED_ROWS)


def extract_batch(batch: list[tuple[int, Source]], recognizer: Any, deliver: str = RECORD) -> list[tuple[int, Result]]:
    return [(index, extract_source(source, recognizer, deliver)) for index, source in batch]


def batches(items: Iterable[tuple[int, Source]], size: int = BATCH) -> Iterator[list[tuple[int, Source]]]:
    batch: list[tuple[int, Source]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class SerialEngine:
    """The per-article phase in this process."""

    name = "local"
    workers = 1

    def __init__(self, recognizer: Any) -> None:
        self.recognizer = recognizer
        limit_threads(1)  # models load on the first article that needs them: a cached rebuild loads none

    def map(self, items: Iterable[tuple[int, Source]], deliver: str = RECORD) -> Iterator[tuple[int, Result]]:
        for index, source in items:
            yield index, extract_source(source, self.recognizer, deliver)

    def close(self) -> None:
        pass


# -- local process pool --------------------------------------------------------

_worker_recognizer: Any = None


def init_worker(recognizer: Any) -> None:
    global _worker_recognizer
    limit_threads(1)
    _worker_recognizer = recognizer
    warm_up(recognizer)


def ready() -> int:
    return os.getpid()


def pool_task(batch: list[tuple[int, Source]], deliver: str = RECORD) -> list[tuple[int, Result]]:
    return extract_batch(batch, _worker_recognizer, deliver)


class ProcessEngine:
    """The per-article phase on a pool of ``workers`` local processes."""

    name = "local"

    def __init__(self, recognizer: Any, workers: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            context.set_forkserver_preload(["kg.corpus.engines"])
        self.pool = ProcessPoolExecutor(workers, mp_context=context, initializer=init_worker, initargs=(recognizer,))
        for future in [self.pool.submit(ready) for _ in range(workers)]:
            future.result()  # every worker started, its models loaded

    def map(self, items: Iterable[tuple[int, Source]], deliver: str = RECORD) -> Iterator[tuple[int, Result]]:
        from concurrent.futures import FIRST_COMPLETED, wait

        pending: set = set()
        window = self.workers * 4
        for batch in batches(items):
            pending.add(self.pool.submit(pool_task, batch, deliver))
            if len(pending) >= window:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield from future.result()
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield from future.result()

    def close(self) -> None:
        """Stop the workers (again: a no-op)."""
        self.pool.shutdown(cancel_futures=True)


# -- Dask ----------------------------------------------------------------------


def dask_task(batch: list[tuple[int, Source]], recognizer: Any, deliver: str = RECORD) -> list[tuple[int, Result]]:
    """One Dask task: the recogniser arrives once per worker (scattered); its models stay loaded in the process."""
    limit_threads(1)
    return extract_batch(batch, recognizer, deliver)


def extractor_versions(recognizer: Any) -> dict[str, str]:
    """The per-article phase's version for each language (``kg.corpus.cache.ExtractorVersion``), as this process sees its files."""
    from kg.corpus.cache import ExtractorVersion
    from kg.extract.resources import LANGUAGES

    version = ExtractorVersion(recognizer)
    return {lang: version(lang) for lang in sorted(LANGUAGES)}



class DaskEngine:
    """The per-article phase as Dask tasks on an existing cluster or a LocalCluster of ``workers``."""

    name = "dask"
    batch = DASK_BATCH

    def __init__(self, recognizer: Any, scheduler: str | None = None, workers: int = 2) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as error:
            raise RuntimeError("the dask engine needs dask.distributed (pip install 'kg[scale]')") from error
        self.cluster = None
        # A cluster elsewhere cannot read this machine's files: they travel with the tasks.
        self.ships_files = bool(scheduler)
        if scheduler:
            self.client = Client(scheduler)
        else:
            import dask

            with dask.config.set(QUIET_CLUSTER):  # the nannies pass the workers this configuration
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, worker_dashboard_address=None)
            # Results come straight from the workers, not relayed through the scheduler (in this process: read twice).
            self.client = Client(self.cluster, direct_to_workers=True)
        self.client.run(limit_threads, 1)
        if scheduler:
            self.check_versions(recognizer, scheduler)
        self.client.run(warm_up, recognizer)  # each worker process loads the models once, now
        self.workers = max(1, len(self.client.scheduler_info(n_workers=-1)["workers"]))
        [self.recognizer] = self.client.scatter([recognizer], broadcast=True)

    def check_versions(self, recognizer: Any, scheduler: str) -> None:
        """Refuse workers whose per-article phase is not this machine's: their records would be cached under this version."""
        mine = extractor_versions(recognizer)
        others = sorted(address for address, versions in self.client.run(extractor_versions, recognizer).items() if versions != mine)
        if others:
            self.close()
            shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            raise RuntimeError(
                f"workers of {scheduler} ({shown}) run another version of kg's per-article phase (code, language tables, "
                "relation weights or NER models) than this machine; install the same kg, and the same models at the same paths, there"
            )

    def map(self, items: Iterable[tuple[int, Source]], deliver: str = RECORD) -> Iterator[tuple[int, Result]]:
        from distributed import as_completed

        window = self.workers * 4
        shipped = ((index, with_contents(source)) for index, source in items) if self.ships_files else items
        stream = batches(shipped, self.batch)
        running = as_completed()
        for batch in stream:
            running.add(self.client.submit(dask_task, batch, self.recognizer, deliver, pure=False))
            if running.count() >= window:
                break
        for future in running:
            yield from future.result()
            future.release()
            batch = next(stream, None)
            if batch is not None:
                running.add(self.client.submit(dask_task, batch, self.recognizer, deliver, pure=False))

    def close(self) -> None:
        """Disconnect, and stop a cluster started for the build (again: a no-op)."""
        if self.client is None:
            return
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None


def make_engine(recognizer: Any, engine: str = "local", workers: int = 1, scheduler: str | None = None) -> SerialEngine | ProcessEngine | DaskEngine:
    """The engine for ``kg build --engine/--workers/--scheduler``."""
    if engine == "dask":
        return DaskEngine(recognizer, scheduler, workers)
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}; use local or dask")
    if workers <= 1:
        return SerialEngine(recognizer)
    return ProcessEngine(recognizer, workers)
