"""The page's measures kept between builds: taken back for a page of the same shape only, the same numbers either way."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from kg.graph import page_measures
from kg.graph.page_measures import remembered_measures, shape_digest
from kg.graph.viz import measures


def page(extra: tuple[str, str] | None = None) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for node in ("a", "b", "c", "d", "e"):
        graph.add_node(node, label=node.upper())
    for s, o, p in [("a", "b", "attended"), ("b", "a", "organized"), ("a", "c", "attended"), ("c", "d", "holdsPost"), ("d", "e", "locatedIn")]:
        graph.add_edge(s, o, key=p)
    if extra:
        graph.add_edge(*extra, key="spokeAt")
    return graph


def test_measures_are_kept_and_taken_back_for_the_same_shape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    memo = tmp_path / "page-measures.json"
    made = remembered_measures(page(), memo, "v1")
    assert made == measures(page()) and memo.is_file()

    def not_again(graph: nx.Graph) -> None:
        raise AssertionError("measured again")

    monkeypatch.setattr(page_measures, "measures", not_again)
    same_shape = page()
    same_shape.add_edge("b", "a", key="spokeAt")  # one more relation between two linked entities: the same shape
    nx.set_node_attributes(same_shape, {"a": "Another label"}, "label")
    assert remembered_measures(same_shape, memo, "v1") == made


@pytest.mark.parametrize("change", ["a link", "an entity", "another kg", "a damaged file"])
def test_another_shape_or_kg_is_measured_again(tmp_path: Path, change: str) -> None:
    memo = tmp_path / "page-measures.json"
    remembered_measures(page(), memo, "v1")
    graph, version = page(), "v1"
    if change == "a link":
        graph = page(("b", "e"))
    elif change == "an entity":
        graph.add_node("f")
    elif change == "another kg":
        version = "v2"
    else:
        memo.write_text("{not json", encoding="utf-8")
    assert remembered_measures(graph, memo, version) == measures(graph)
    assert json.loads(memo.read_text(encoding="utf-8"))["shape"] == shape_digest(graph, version)  # kept for the next build


def test_the_shape_ignores_direction_and_parallel_relations() -> None:
    one, other = nx.MultiDiGraph(), nx.MultiDiGraph()
    one.add_edge("a", "b", key="attended")
    other.add_edge("b", "a", key="organized")
    other.add_edge("a", "b", key="spokeAt")
    assert shape_digest(one, "v") == shape_digest(other, "v") != shape_digest(one, "w")
