"""kg.explore.store_update: a store loaded again from a rebuild has only its changed parts replaced, and equals a full load."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.explore.query import load_store
from kg.explore.store import current_store, load
from kg.explore.store_parts import GRAPH, SUBJECT, NotUpdatable, file_parts
from tests.conftest import SEEDS

ox = pytest.importorskip("pyoxigraph")


@pytest.fixture
def builds(seed_nquads_builds: dict[int, Path]) -> tuple[Path, Path, Path]:
    """Builds (N-Quads) of one seed article, of four, and of all five."""
    return seed_nquads_builds[1], seed_nquads_builds[4], seed_nquads_builds[5]


def quads(store_dir: Path) -> tuple[set[str], list[str]]:
    store = ox.Store.read_only(str(current_store(store_dir)))
    return {str(quad) for quad in store}, sorted(str(graph) for graph in store.named_graphs())


def label_rows(store_dir: Path) -> list[set[tuple[str, str]]]:
    db = sqlite3.connect(current_store(store_dir) / "kg-labels.sqlite")
    try:
        return [
            set(db.execute("SELECT iri, label || ' | ' || words FROM label")),
            set(db.execute("SELECT label.iri, word FROM word JOIN label USING (row)")),
            set(db.execute("SELECT label.iri, tail FROM tail JOIN label USING (row)")),
        ]
    finally:
        db.close()


def test_an_added_article_replaces_only_its_parts_and_the_store_is_what_a_full_load_makes(builds, tmp_path: Path) -> None:
    _, four, five = builds
    assert load(four, tmp_path / "store").updated_parts is None
    updated = load(five, tmp_path / "store")
    fresh = load(five, tmp_path / "fresh")
    assert updated.updated_parts and fresh.updated_parts is None
    assert updated.quads == fresh.quads
    assert quads(tmp_path / "store") == quads(tmp_path / "fresh")
    assert label_rows(tmp_path / "store") == label_rows(tmp_path / "fresh")
    for name, params in (("posts_of_person", {"person": "Truong Thi Mai"}), ("officials_of_body", {"body": "Ha Tinh"})):
        assert load_store(tmp_path / "store").run(name, params).rows == load_store(tmp_path / "fresh").run(name, params).rows


def test_a_removed_article_leaves_nothing_of_it(builds, tmp_path: Path) -> None:
    _, four, five = builds
    load(five, tmp_path / "store")
    assert load(four, tmp_path / "store").updated_parts
    load(four, tmp_path / "fresh")
    assert quads(tmp_path / "store") == quads(tmp_path / "fresh")
    assert label_rows(tmp_path / "store") == label_rows(tmp_path / "fresh")


def test_loading_the_same_graph_again_replaces_nothing(builds, tmp_path: Path) -> None:
    _, _, five = builds
    load(five, tmp_path / "store")
    before = quads(tmp_path / "store")
    again = load(five, tmp_path / "store")
    assert again.updated_parts == 0 and quads(tmp_path / "store") == before


def test_most_of_the_graph_changed_full_or_another_format_is_a_full_load(builds, tmp_path: Path) -> None:
    one, four, five = builds
    load(one, tmp_path / "store")
    assert load(five, tmp_path / "store").updated_parts is None  # one article to five: most parts are new
    assert load(four, tmp_path / "store", full=True).updated_parts is None
    assert load(five / "graph.ttl", tmp_path / "store").updated_parts is None
    assert load(five, tmp_path / "store").updated_parts is None  # the store holds Turtle's load: no parts to compare
    result = CliRunner().invoke(main, ["load", str(four), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0 and "parts of the graph replaced" in result.output
    load(four, tmp_path / "fresh")
    assert quads(tmp_path / "store") == quads(tmp_path / "fresh")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "g.nq"
    path.write_bytes(text.encode("utf-8"))
    return path


def test_each_line_belongs_to_its_graph_or_in_the_default_graph_to_its_subject(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([
        '<http://x/s> <http://x/p> <http://x/o> .',
        '<http://x/s> <http://x/p> "a <b> c"@en .',
        '<http://x/s> <http://x/p> "a <b c"^^<http://x/dt> .',
        '<http://x/s> <http://x/p> "2024"^^<http://www.w3.org/2001/XMLSchema#gYear> <http://x/g1> .',
        '<http://x/t> <http://x/p> "text \\" <http://x/g2>" <http://x/g2> .',
        '<http://x/t> <http://x/p> <http://x/o> <http://x/g1> .',
        '# a comment',
        '',
    ]) + "\n")
    parts = file_parts(path)
    counts = {key: len(offsets) for key, (_, offsets) in parts.items()}
    assert counts == {SUBJECT + b"<http://x/s>": 3, GRAPH + b"<http://x/g1>": 2, GRAPH + b"<http://x/g2>": 1}
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.N_QUADS)  # the same grouping as a parser's
    assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode("http://x/g1")))) == 2


@pytest.mark.parametrize("line", ['_:b <http://x/p> <http://x/o> .', '<http://x/s> <http://x/p> _:b .', '<http://x/s> <http://x/p> "x" _:g .', '<http://x/s>  <http://x/p> "x" .'])
def test_a_file_kg_would_not_write_is_loaded_whole(line: str, tmp_path: Path) -> None:
    path = write(tmp_path, line + "\n")
    with pytest.raises(NotUpdatable):
        file_parts(path)
    store_dir = tmp_path / "store"
    assert load(path, store_dir).updated_parts is None
    assert load(path, store_dir).updated_parts is None  # and again: there are no parts to compare with


def test_build_with_a_store_loads_it_then_updates_it_and_leaves_it_when_nothing_changed(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    out, store = tmp_path / "out", tmp_path / "store"
    runner = CliRunner()

    def build_into_store(articles: list[Path]) -> str:
        result = runner.invoke(main, ["build", *map(str, articles), "--out", str(out), "--store", str(store), "--ner", "rules", "-q"])
        assert result.exit_code == 0, result.output
        return result.output

    assert "loaded" in build_into_store(seeds[:4]) and (out / "graph.nq").is_file()
    assert "parts replaced" in build_into_store(seeds)
    assert "up to date" in build_into_store(seeds)
    load(out, tmp_path / "fresh")
    assert quads(store) == quads(tmp_path / "fresh")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "keep.txt").write_text("x", encoding="utf-8")
    refused = runner.invoke(main, ["build", str(seeds[0]), "--out", str(out), "--store", str(tmp_path / "other"), "--ner", "rules", "-q"])
    assert refused.exit_code == 2 and "not a kg store" in refused.output and (tmp_path / "other" / "keep.txt").is_file()


def test_two_processes_find_the_parts_one_finds(builds, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.explore import store_parts

    _, _, five = builds
    alone = file_parts(five / "graph.nq")
    monkeypatch.setattr(store_parts, "SPLIT_FROM", 0)
    halves = file_parts(five / "graph.nq", processes=2)
    assert {key: (digest, list(offsets)) for key, (digest, offsets) in halves.items()} == {key: (digest, list(offsets)) for key, (digest, offsets) in alone.items()}


def test_parts_counted_without_offsets_are_the_same_parts(builds, monkeypatch: pytest.MonkeyPatch) -> None:
    # A full load records the parts without their offsets: the same digests and line counts, read by one process or two.
    from kg.explore import store_parts

    _, _, five = builds
    with_offsets = {key: (digest, len(offsets)) for key, (digest, offsets) in file_parts(five / "graph.nq").items()}
    assert {key: tuple(entry) for key, entry in file_parts(five / "graph.nq", offsets=False).items()} == with_offsets
    monkeypatch.setattr(store_parts, "SPLIT_FROM", 0)
    assert {key: tuple(entry) for key, entry in file_parts(five / "graph.nq", processes=2, offsets=False).items()} == with_offsets
