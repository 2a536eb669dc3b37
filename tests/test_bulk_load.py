"""A graph file loaded in pieces means what it means loaded whole; its errors name its own lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.corpus.build import build
from kg.explore.bulk_load import load_graph_file
from kg.extract.ner.rules import RuleRecognizer
from tests.conftest import SEEDS

ox = pytest.importorskip("pyoxigraph")

PIECE = 4096  # bytes: the seeds' graph files are hundreds of pieces


class CountingStore:
    """An Oxigraph store in memory that counts its bulk loads."""

    def __init__(self) -> None:
        self.store = ox.Store()
        self.loads = 0

    def bulk_load(self, *args: Any, **kwargs: Any) -> None:
        self.loads += 1
        self.store.bulk_load(*args, **kwargs)

    def quads(self) -> set:
        return set(self.store.quads_for_pattern(None, None, None, None))


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    build([SEEDS], out, RuleRecognizer(), formats=("turtle", "nq"))
    return out


def whole(path: Path, fmt: str) -> set:
    store = ox.Store()
    store.bulk_load(path=str(path), format=getattr(ox.RdfFormat, fmt))
    return set(store.quads_for_pattern(None, None, None, None))


def load(path: Path, fmt: str, piece: int = PIECE) -> tuple[CountingStore, int]:
    made: list[CountingStore] = []

    def open_store() -> CountingStore:
        made.append(CountingStore())
        return made[-1]

    store = load_graph_file(open_store, path, fmt, piece)
    assert store is made[-1]
    return store, len(made)


@pytest.mark.parametrize(("name", "fmt"), [("graph.nq", "N_QUADS"), ("graph.ttl", "TURTLE")])
def test_a_build_s_graph_loaded_in_pieces_is_the_graph_loaded_whole(graphs: Path, name: str, fmt: str) -> None:
    store, made = load(graphs / name, fmt)
    assert store.loads > 10 and made == 1  # really in pieces, never started again
    assert store.quads() == whole(graphs / name, fmt)


def test_a_small_file_is_loaded_whole(graphs: Path) -> None:
    store, _ = load(graphs / "graph.nq", "N_QUADS", piece=1 << 30)
    assert store.loads == 1


def test_blank_nodes_keep_their_identity_across_pieces(tmp_path: Path) -> None:
    lines = [f"<http://e/s{i}> <http://e/p> \"{'x' * 100}\" ." for i in range(200)]
    lines[10] = "_:b <http://e/p> <http://e/first> ."
    lines[190] = "_:b <http://e/p> <http://e/last> ."  # the same node, many pieces later
    path = tmp_path / "g.nt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store, _ = load(path, "N_TRIPLES", piece=1024)
    subjects = {q.subject for q in store.quads() if isinstance(q.subject, ox.BlankNode)}
    assert len(subjects) == 1
    assert len(store.quads()) == 200


def test_a_parse_error_names_the_line_of_the_file(tmp_path: Path) -> None:
    lines = [f"<http://e/s{i}> <http://e/p> \"value {i}\" ." for i in range(300)]
    lines[250] = '<http://e/s250> <http://e/p> "never closed .'
    path = tmp_path / "g.nt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SyntaxError, match=r"line 251\b") as raised:
        load(path, "N_TRIPLES", piece=1024)
    assert raised.value.lineno == 251


def test_kg_turtle_with_a_long_literal_is_loaded_whole(graphs: Path, tmp_path: Path) -> None:
    # A long literal may hold a blank line, where a piece would end: such a file is read again in one go.
    text = (graphs / "graph.ttl").read_text(encoding="utf-8")
    path = tmp_path / "g.ttl"
    path.write_text(text + '\n<http://e/s> <http://e/note> """first\n\nsecond""" .\n', encoding="utf-8")
    store, made = load(path, "TURTLE")
    assert made == 2 and store.loads == 1
    assert ox.Literal("first\n\nsecond") in {q.object for q in store.quads()}
    assert store.quads() == whole(path, "TURTLE")


LATER_PREFIX = "@prefix id: <http://elsewhere/> .\n\n" + "".join(f"id:s{i} <http://e/p> \"{'z' * 100}\" .\n\n" for i in range(60))
SHARED_BLANK = "_:b <http://e/p> <http://e/first> .\n\n" + "".join(f"<http://e/s{i}> <http://e/p> \"{'z' * 100}\" .\n\n" for i in range(60)) + "_:b <http://e/p> <http://e/last> .\n"


@pytest.mark.parametrize("tail", [LATER_PREFIX, SHARED_BLANK], ids=["prefix declared later", "blank node in two pieces"])
def test_kg_turtle_whose_pieces_depend_on_each_other_is_loaded_whole(graphs: Path, tmp_path: Path, tail: str) -> None:
    path = tmp_path / "g.ttl"
    path.write_text((graphs / "graph.ttl").read_text(encoding="utf-8") + "\n" + tail, encoding="utf-8")
    store, made = load(path, "TURTLE", piece=1024)
    assert made == 2
    assert without_blank_labels(store.quads()) == without_blank_labels(whole(path, "TURTLE"))


def without_blank_labels(quads: set) -> tuple[set, int]:
    """The quads with every blank node as one term (each parse names them anew), and how many blank nodes there were."""
    blanks = {term for q in quads for term in (q.subject, q.object) if isinstance(term, ox.BlankNode)}
    blank = ox.NamedNode("http://blank/")
    def plain(term: Any) -> Any:
        return blank if isinstance(term, ox.BlankNode) else term
    return {(plain(q.subject), q.predicate, plain(q.object)) for q in quads}, len(blanks)


def test_kg_turtle_that_does_not_parse_reports_the_file_s_own_line(graphs: Path, tmp_path: Path) -> None:
    lines = (graphs / "graph.ttl").read_text(encoding="utf-8").split("\n")
    broken = len(lines) - 20
    lines[broken] = lines[broken] + ' "unclosed'
    path = tmp_path / "g.ttl"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SyntaxError) as raised:
        load(path, "TURTLE")
    assert raised.value.lineno == broken + 1


def test_turtle_from_elsewhere_is_loaded_whole(tmp_path: Path) -> None:
    body = "".join(f"<http://e/s{i}> <http://e/p> \"{'y' * 100}\" .\n\n" for i in range(100))
    path = tmp_path / "g.ttl"
    path.write_text("@prefix e: <http://e/> .\n" + body, encoding="utf-8")
    store, made = load(path, "TURTLE", piece=1024)
    assert store.loads == 1 and made == 1
    assert len(store.quads()) == 100


def test_a_store_loaded_in_pieces_starts_again_on_disk_when_it_must(graphs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The store made for the pieces is closed before a new one takes its folder: `kg load` of such a file succeeds.
    from kg.explore import bulk_load
    from kg.explore.store import load as load_store
    from kg.explore.store import open_store

    monkeypatch.setitem(bulk_load.PIECE, "TURTLE", PIECE)
    path = tmp_path / "graph.ttl"
    path.write_text((graphs / "graph.ttl").read_text(encoding="utf-8") + '\n<http://e/s> <http://e/note> """a\n\nb""" .\n', encoding="utf-8")
    info = load_store(path, tmp_path / "store")
    assert info.quads == len(whole(path, "TURTLE"))
    assert ox.Literal("a\n\nb") in {q.object for q in open_store(tmp_path / "store").quads_for_pattern(None, None, None, None)}
