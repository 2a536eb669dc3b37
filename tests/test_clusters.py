"""The groups clustered in this process or half of them by a helper process: the same merge either way."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.corpus import clusters
from kg.corpus.build import build
from kg.corpus.engines import SerialEngine
from kg.corpus.judgements import parse_judgements
from kg.extract.ner.rules import RuleRecognizer

RULES = RuleRecognizer()
ROOT = Path(__file__).resolve().parents[1]


class TwoWorkers(SerialEngine):
    """This process, reported as a build allowed two workers (what lets the merge take a helper)."""

    workers = 2


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic archive: national figures named across articles, so groups hold several records."""
    folder = tmp_path_factory.mktemp("synth")
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), "60", str(folder)], check=True, capture_output=True, cwd=ROOT)
    return next(p for p in folder.rglob("*.txt")).parent


def files(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.iterdir()) if not path.name.startswith(".")}


def helped_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Let a corpus of any size take the helper, and count the merges that did."""
    calls: list[int] = []
    real = clusters.cluster_in_two

    def counted(tables, warnings):  # noqa: ANN001, ANN202
        calls.append(tables.documents)  # the articles of the merge that took the helper
        return real(tables, warnings)

    monkeypatch.setattr(clusters, "HELPED_FROM", 1)
    monkeypatch.setattr(clusters, "cluster_in_two", counted)
    return calls


def test_a_helper_clustering_half_the_groups_gives_the_same_bytes(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = build([archive], tmp_path / "alone", RULES, engine=TwoWorkers(RULES), formats=("turtle", "nq"))  # 60 articles: no helper
    calls = helped_calls(monkeypatch)
    helped = build([archive], tmp_path / "helped", RULES, engine=TwoWorkers(RULES), formats=("turtle", "nq"))
    assert calls == [60]
    assert files(tmp_path / "helped") == files(tmp_path / "alone")
    assert (helped.entities, helped.relations) == (alone.entities, alone.relations)
    assert helped.entities["Person"] > 0


def test_one_worker_clusters_every_group_itself(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = helped_calls(monkeypatch)
    build([archive], tmp_path / "out", RULES)
    assert calls == []


def test_judgements_are_applied_in_this_process_after_a_helped_automatic_merge(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The automatic merge (the ids a judgement may name) may take the helper; the judged one runs here.
    judgements = parse_judgements("nobody same no-one\n")
    alone = build([archive], tmp_path / "alone", RULES, engine=TwoWorkers(RULES), judgements=judgements)
    calls = helped_calls(monkeypatch)
    helped = build([archive], tmp_path / "helped", RULES, engine=TwoWorkers(RULES), judgements=judgements)
    assert calls == [60]
    assert files(tmp_path / "helped") == files(tmp_path / "alone")
    assert helped.warnings == alone.warnings
    assert any("nobody" in warning for warning in helped.warnings)


def test_a_helper_that_fails_costs_time_not_the_merge(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = build([archive], tmp_path / "alone", RULES)
    real = clusters.cluster_in_two

    def tables_gone(tables, warnings):  # noqa: ANN001, ANN202 - the helper is sent to tables that are not there
        path, tables.path = tables.path, tmp_path / "gone" / "corpus.sqlite"
        (tmp_path / "gone").mkdir()
        try:
            return real(tables, warnings)
        finally:
            tables.path = path

    monkeypatch.setattr(clusters, "HELPED_FROM", 1)
    monkeypatch.setattr(clusters, "cluster_in_two", tables_gone)
    helped = build([archive], tmp_path / "helped", RULES, engine=TwoWorkers(RULES))
    assert files(tmp_path / "helped") == files(tmp_path / "alone")
    assert [w for w in helped.warnings if "helper" in w] == [w for w in helped.warnings if "this process clustered its groups" in w] != []
    assert not any("helper" in w for w in alone.warnings)


def slow_claims(monkeypatch: pytest.MonkeyPatch, chunks_done: list[list[int]]) -> None:
    """Eight chunks, this process taking the first at once and waiting before each other (so that the helper, late to start, takes some), and the chunks it did."""
    real_claims, real_chunks = clusters.claims, clusters.cluster_chunks

    def slow(counter, chunks):  # noqa: ANN001, ANN202
        claim = real_claims(counter, chunks)
        taken = []

        def next_chunk():  # noqa: ANN202
            if taken:
                time.sleep(0.5)
            taken.append(claim())
            return taken[-1]

        return next_chunk

    def recorded(*args):  # noqa: ANN002, ANN202
        done = real_chunks(*args)
        chunks_done.append(done)
        return done

    monkeypatch.setattr(clusters, "HELPED_FROM", 1)
    monkeypatch.setattr(clusters, "CHUNKS", 8)
    monkeypatch.setattr(clusters, "claims", slow)
    monkeypatch.setattr(clusters, "cluster_chunks", recorded)


def test_chunks_split_between_the_processes_give_the_same_bytes(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = build([archive], tmp_path / "alone", RULES, engine=TwoWorkers(RULES))
    done: list[list[int]] = []
    slow_claims(monkeypatch, done)
    helped = build([archive], tmp_path / "helped", RULES, engine=TwoWorkers(RULES))
    [mine] = done
    assert 0 < len(mine) < 8  # the helper took the others
    assert files(tmp_path / "helped") == files(tmp_path / "alone")
    assert (helped.entities, helped.relations) == (alone.entities, alone.relations)


def test_the_chunk_a_failed_helper_had_taken_is_clustered_here(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build([archive], tmp_path / "alone", RULES)
    done: list[list[int]] = []
    slow_claims(monkeypatch, done)
    real = clusters.cluster_in_two

    def empty_tables(tables, warnings):  # noqa: ANN001, ANN202 - the helper opens a file with no tables: it takes a chunk, then fails
        path, tables.path = tables.path, tmp_path / "empty" / "corpus.sqlite"
        (tmp_path / "empty").mkdir()
        sqlite3.connect(tables.path).close()
        try:
            return real(tables, warnings)
        finally:
            tables.path = path

    monkeypatch.setattr(clusters, "cluster_in_two", empty_tables)
    helped = build([archive], tmp_path / "helped", RULES, engine=TwoWorkers(RULES))
    mine, redone = done
    assert redone and sorted(mine + redone) == list(range(8))
    assert files(tmp_path / "helped") == files(tmp_path / "alone")
    assert any("this process clustered its groups" in w for w in helped.warnings)


def test_a_build_that_adds_articles_clusters_only_the_groups_they_change(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(archive, corpus)
    later = sorted(corpus.glob("*.txt"))[-3:]
    held = tmp_path / "held"
    held.mkdir()
    for article in later:
        shutil.move(article, held / article.name)
    cache = tmp_path / "cache"
    build([corpus], tmp_path / "out", RULES, cache_dir=cache)
    for article in later:
        shutil.move(held / article.name, corpus / article.name)
    clustered: list[int] = []
    real = clusters.ClusterRows.add

    def counted(self: clusters.ClusterRows, tables: object, rows: list[tuple], judge: object = None) -> None:
        clustered.append(len(rows))
        real(self, tables, rows, judge)  # type: ignore[arg-type]

    monkeypatch.setattr(clusters.ClusterRows, "add", counted)
    added = build([corpus], tmp_path / "out", RULES, cache_dir=cache)
    db = sqlite3.connect(cache / "merged-tables.sqlite")
    try:
        (groups,) = db.execute("SELECT COUNT(DISTINCT grp) FROM member").fetchone()
    finally:
        db.close()
    assert added.kept == 57 and 0 < len(clustered) < groups / 4  # the others' clusters are the last build's
    monkeypatch.setattr(clusters.ClusterRows, "add", real)
    build([corpus], tmp_path / "full", RULES)
    assert files(tmp_path / "out") == files(tmp_path / "full")
