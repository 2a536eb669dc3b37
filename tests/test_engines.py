"""Engines: a process pool and a Dask LocalCluster give the single-process build byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.corpus.build import build
from kg.corpus.engines import make_engine
from kg.extract.ner.rules import RuleRecognizer
from tests.conftest import SEEDS

RULES = RuleRecognizer()
OUTPUTS = ("graph.ttl", "graph.html", "extraction.json")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for seed in sorted(SEEDS.glob("*.txt")):
        for n in range(3):  # each copy its own text: the same text twice counts once
            (folder / f"{seed.stem}-{n}.txt").write_bytes(seed.read_bytes() + f"\ncopy {n}".encode())
    (folder / "broken.txt").write_bytes(b"\x89PNG\r\n")
    return folder


@pytest.fixture(scope="module")
def single(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("single")
    report = build([corpus], out, RULES)
    assert report.documents == 15 and len(report.skipped) == 1
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def built_with(engine, corpus: Path, out: Path) -> dict[str, bytes]:
    try:
        report = build([corpus], out, RULES, engine=engine)
    finally:
        engine.close()
    assert report.documents == 15 and len(report.skipped) == 1
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def test_process_pool_build_equals_single_process_build(corpus: Path, single: dict, tmp_path: Path) -> None:
    assert built_with(make_engine(RULES, "local", workers=2), corpus, tmp_path) == single


def test_dask_local_cluster_build_equals_single_process_build(corpus: Path, single: dict, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    engine = make_engine(RULES, "dask", workers=2)
    engine.batch = 2  # several tasks in flight on both workers, their results back in any order
    assert built_with(engine, corpus, tmp_path) == single


def test_a_local_cluster_runs_its_workers_quiet() -> None:
    """No statistical profiler in the workers of a cluster started for the build; the caller's configuration stays."""
    pytest.importorskip("distributed")
    import dask

    before = dask.config.get("distributed.worker.profile.enabled")
    engine = make_engine(RULES, "dask", workers=1)
    try:
        profiling = engine.client.run(dask.config.get, "distributed.worker.profile.enabled")
    finally:
        engine.close()
    assert list(profiling.values()) == [False]
    assert dask.config.get("distributed.worker.profile.enabled") == before


def test_torch_runs_one_thread_per_process() -> None:
    torch = pytest.importorskip("torch")
    from kg.corpus.engines import limit_threads

    before = torch.get_num_threads()
    try:
        limit_threads(1)
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_a_cluster_elsewhere_builds_files_it_cannot_see(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers of a scheduler given by address run in another folder (another machine): the files travel with the tasks."""
    pytest.importorskip("distributed")
    import os

    from distributed import LocalCluster

    monkeypatch.chdir(corpus.parent)
    relative = Path(corpus.name)  # means nothing in the workers' folder
    serial = tmp_path / "serial"
    build([relative], serial, RULES)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        engine = make_engine(RULES, "dask", scheduler=cluster.scheduler_address)
        engine.client.run(os.chdir, str(elsewhere))
        shipped = built_with(engine, relative, tmp_path / "dask")
    assert shipped == {name: (serial / name).read_bytes() for name in OUTPUTS}


def test_workers_running_other_code_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Records from a worker with other tables or models would be cached as this machine's: the engine does not start."""
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    from kg.corpus.cache import ExtractorVersion

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        make_engine(RULES, "dask", scheduler=cluster.scheduler_address).close()  # the same code: accepted
        # Another version on this side only: the worker process computes its own from its own files.
        monkeypatch.setattr(ExtractorVersion, "__call__", lambda self, lang: "this machine's")
        with pytest.raises(RuntimeError, match="another version of kg"):
            make_engine(RULES, "dask", scheduler=cluster.scheduler_address)
