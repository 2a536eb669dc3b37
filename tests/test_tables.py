"""The corpus phase on disk (kg.corpus.tables, blocks, table_view) writes the bytes of the corpus merged in memory."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
import sys
from pathlib import Path

import pytest

from kg.corpus.build import BuildReport, build, extract, write_outputs
from kg.corpus.judgements import parse_judgements
from kg.extract.article_files import read_documents
from kg.extract.ingest import Skipped
from kg.extract.ner.rules import RuleRecognizer
from kg.graph.view import ExtractionView
from tests.conftest import SEEDS

RULES = RuleRecognizer()
FORMATS = ("turtle", "nt", "nq")
FILES = ("graph.ttl", "graph.nt", "graph.nq", "graph.html", "extraction.json")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds three times over, each copy with a line of its own (the same text twice is read once)."""
    folder = tmp_path_factory.mktemp("copies")
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        for n in (1, 2, 3):
            (folder / f"c{n}-{seed.name}").write_text(f"{text}\n\n{n}\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic archive: national figures across articles, local ones, occasions reported twice."""
    folder = tmp_path_factory.mktemp("synth")
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), "40", str(folder)], check=True, capture_output=True, cwd=ROOT)
    return next(p for p in folder.rglob("*.txt")).parent


def in_memory(folder: Path, out: Path, judgements: str = "") -> dict[str, bytes]:
    documents = [d for d in read_documents([folder]) if not isinstance(d, Skipped)]
    extraction = extract(documents, RULES, judgements=parse_judgements(judgements))
    write_outputs(ExtractionView(extraction), len(documents), out, FORMATS, BuildReport())
    files = {name: (out / name).read_bytes() for name in FILES}
    files["counts"] = json.dumps([Counter(e.type for e in extraction.entities), Counter(r.predicate for r in {r.key(): r for r in extraction.relations}.values())], sort_keys=True).encode()
    return files


def on_disk(folder: Path, out: Path, judgements: str = "") -> tuple[dict[str, bytes], BuildReport]:
    report = build([folder], out, RULES, judgements=parse_judgements(judgements), formats=FORMATS)
    return {name: (out / name).read_bytes() for name in FILES}, report


@pytest.mark.parametrize("corpus", ["copies", "archive"])
def test_a_build_writes_what_the_corpus_merged_in_memory_writes(corpus: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = request.getfixturevalue(corpus)
    expected = in_memory(folder, tmp_path / "memory")
    got, report = on_disk(folder, tmp_path / "disk")
    for name in FILES:
        assert got[name] == expected[name], name
    assert report.documents == len(json.loads(got["extraction.json"]))
    assert json.dumps([report.entities, report.relations], sort_keys=True).encode() == expected["counts"]


def test_judgements_apply_on_disk_as_in_memory(copies: Path, tmp_path: Path) -> None:
    plain = json.loads(in_memory(copies, tmp_path / "plain")["extraction.json"])
    persons: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    events: list[str] = []
    for record in plain:
        for entity in record["entities"]:
            labels[entity["id"]] = entity["label"]
            if entity["type"] == "Person":
                persons.setdefault(entity["id"], []).append(record["doc"][: -len(".txt")])
            if entity.get("attrs", {}).get("main") == "true" and entity["id"] not in events:
                events.append(entity["id"])
    shared = next(p for p, docs in persons.items() if len(docs) > 1)
    alone = [p for p, docs in persons.items() if p != shared][:2]
    judgements = "\n".join([
        f"{persons[shared][0]}/{shared} different {persons[shared][1]}/{shared}",  # one person split in two
        f"{labels[alone[0]]} same {alone[1]}",  # two persons joined, by label and by id
        "no-such-entity same nobody",  # names nothing: a warning
        *([f"{events[0]} different {events[1]}"] if len(events) > 1 else []),  # two main events kept apart
    ]) + "\n"
    expected = in_memory(copies, tmp_path / "memory", judgements)
    got, report = on_disk(copies, tmp_path / "disk", judgements)
    assert expected["graph.ttl"] != (tmp_path / "plain" / "graph.ttl").read_bytes()  # the judgements changed the graph
    for name in FILES:
        assert got[name] == expected[name], name
    assert any("names no entity" in w for w in report.warnings)


def test_the_scratch_tables_are_removed_after_the_build(copies: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([copies], tmp_path / "out", RULES, cache_dir=cache)
    assert [p.name for p in cache.iterdir() if p.name.startswith("corpus-")] == []


@pytest.mark.parametrize(("max_nodes", "max_edges"), [(1500, 6000), (25, 6000), (25, 12), (1, 5)])
def test_the_page_of_a_big_graph_is_drawn_alike_from_the_tables(archive: Path, tmp_path: Path, max_nodes: int, max_edges: int) -> None:
    from kg.corpus.blocks import merge_tables
    from kg.corpus.table_view import TableView
    from kg.corpus.tables import CorpusTables
    from kg.extract.article import extract_article
    from kg.graph.page_bounds import page_of
    from kg.graph.viz import render_html

    documents = [d for d in read_documents([archive]) if not isinstance(d, Skipped)]
    records = [extract_article(d, RULES).without_text() for d in documents]
    tables = CorpusTables(tmp_path / "corpus.sqlite")
    for record in records:
        tables.add(record)
    tables.link()
    merge_tables(tables)
    pages = []
    for view in (TableView(tables, "rules"), ExtractionView(extract(documents, RULES))):
        graph, note = page_of(view, max_nodes, max_edges)
        pages.append((note, render_html(graph, note) if note else render_html(graph)))
    tables.close()
    assert pages[0] == pages[1]
    assert (pages[0][0] is None) == (max_nodes == 1500)


def test_judgements_that_name_nothing_are_each_reported(copies: Path, tmp_path: Path) -> None:
    judgements = "nobody same no-one\nNobody Else different nothing-at-all\n"
    documents = [d for d in read_documents([copies]) if not isinstance(d, Skipped)]
    expected: list[str] = []
    extract(documents, RULES, judgements=parse_judgements(judgements), warnings=expected)
    _, report = on_disk(copies, tmp_path / "disk", judgements)
    assert len(expected) == 4 and [w for w in report.warnings if "names no entity" in w] == expected


def test_the_tables_know_each_documents_first_path_by_id_and_by_text(tmp_path: Path) -> None:
    """What the build asks before linking an article: an earlier document with its id, or with its text (never a second copy in memory)."""
    from kg.corpus.articles import SeenDocuments
    from kg.corpus.tables import CorpusTables
    from kg.extract.article import extract_article

    first, second = [extract_article(d, RULES).without_text() for d in list(read_documents([SEEDS]))[:2]]
    tables, seen = CorpusTables(tmp_path / "t.sqlite"), SeenDocuments()
    for known in (tables, seen):
        assert known.path_with_id(first.document.id) is None and known.path_with_text(first.text_key) is None
    for record in (first, second):
        tables.add(record)
        seen.remember(record.document.id, record.text_key, record.document.path)
    for known in (tables, seen):
        assert known.path_with_id(second.document.id) == second.document.path
        assert known.path_with_text(first.text_key) == first.document.path
        assert known.path_with_id("no such document") is None and known.path_with_text("") is None
    tables.close()
