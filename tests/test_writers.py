"""The build's files, written in this process or partly by a helper process: the same bytes either way."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.corpus import writers
from kg.corpus.build import build
from kg.corpus.engines import SerialEngine
from kg.corpus.outputs import OutputError
from kg.extract.ner.rules import RuleRecognizer
from tests.conftest import SEEDS

RULES = RuleRecognizer()


class TwoWorkers(SerialEngine):
    """This process, reported as a build allowed two workers (what lets the outputs take a helper)."""

    workers = 2


def files(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.iterdir()) if not path.name.startswith(".")}


@pytest.mark.parametrize("formats", [("turtle",), ("turtle", "nt", "nq", "jsonl"), ("nt",)])
def test_a_helper_process_writes_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, formats: tuple[str, ...]) -> None:
    alone = build([SEEDS], tmp_path / "alone", RULES, engine=TwoWorkers(RULES), formats=formats)  # five articles: no helper
    monkeypatch.setattr(writers, "HELPED_FROM", 1)
    steps: list[str] = []
    helped = build([SEEDS], tmp_path / "helped", RULES, engine=TwoWorkers(RULES), formats=formats, stage=steps.append)
    assert files(tmp_path / "helped") == files(tmp_path / "alone")
    assert set(files(tmp_path / "helped")) == {path.name for path in helped.outputs.values()}
    assert helped.triples == alone.triples > 0
    assert any("beside it" in step for step in steps)  # the helper was used
    assert not list((tmp_path / "helped" / ".current").glob(".claim-*"))  # who wrote which file is not left behind


def test_each_file_is_taken_by_the_first_process_to_claim_it(tmp_path: Path) -> None:
    assert writers.claim(tmp_path, "graph.nq")
    assert not writers.claim(tmp_path, "graph.nq")  # the other process: already taken
    assert writers.claim(tmp_path, "extraction.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".claim-extraction.json", ".claim-graph.nq"]


def test_one_worker_writes_every_file_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writers, "HELPED_FROM", 1)
    steps: list[str] = []
    build([SEEDS], tmp_path / "out", RULES, stage=steps.append)
    assert [s for s in steps if s.startswith("writing")] == ["writing graph.html", "writing graph.ttl", "writing extraction.json"]


def test_a_helper_that_fails_leaves_the_previous_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.corpus.table_view import TableView

    out = tmp_path / "out"
    build([SEEDS], out, RULES)
    before = files(out)
    monkeypatch.setattr(writers, "HELPED_FROM", 1)
    real = TableView.__init__

    def tables_gone(self: TableView, *args: object) -> None:  # the helper is given tables that are not there
        real(self, *args)  # type: ignore[arg-type]
        self.path = tmp_path / "gone.sqlite"

    monkeypatch.setattr(TableView, "__init__", tables_gone)
    with pytest.raises(OutputError, match="gone.sqlite: the merged corpus tables cannot be read"):
        build([SEEDS], out, RULES, engine=TwoWorkers(RULES))
    assert files(out) == before
    assert [p.name for p in (out / ".builds").iterdir() if p.is_dir()] == [Path(os.readlink(out / ".current")).name]  # nothing staged is left


def test_output_names_follow_the_formats() -> None:
    assert writers.output_names(("turtle",)) == {"html": "graph.html", "turtle": "graph.ttl", "json": "extraction.json"}
    assert writers.output_names(("nq", "jsonl")) == {"html": "graph.html", "nq": "graph.nq", "json": "extraction.jsonl"}
    assert writers.output_names(("jsonl",)) == {"html": "graph.html", "turtle": "graph.ttl", "json": "extraction.jsonl"}


def test_the_helper_is_started_while_the_corpus_is_merged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.corpus import build as build_module

    monkeypatch.setattr(writers, "HELPED_FROM", 1)
    events: list[str] = []
    real = writers.start_helper

    def started() -> object:
        events.append("helper started")
        return real()

    monkeypatch.setattr(build_module, "start_helper", started)
    helped = build([SEEDS], tmp_path / "helped", RULES, engine=TwoWorkers(RULES), stage=events.append)
    assert events.index("helper started") < events.index("merging 5 articles")
    assert any("beside it" in event for event in events)  # and it wrote the files beside this process
    monkeypatch.setattr(writers, "HELPED_FROM", 10**9)
    alone = build([SEEDS], tmp_path / "alone", RULES, engine=TwoWorkers(RULES))
    assert files(tmp_path / "helped") == files(tmp_path / "alone") and helped.triples == alone.triples
