"""kg.graph.network: the entity graph, one entity's neighbourhood, and the entity a name means."""

from __future__ import annotations

import pytest

from kg.graph.network import ego, find_node, to_networkx
from kg.model import Document, Entity, Evidence, Extraction, Mention, Relation


def chain() -> Extraction:
    """Five people in a line, a-b-c-d-e, each naming the next; two of them share a word."""
    names = {"a": "Nguyen Van An", "b": "Tran Thi Binh", "c": "Le Van Cuong", "d": "Pham Thi Dung", "e": "Hoang Van Em"}
    entities = [Entity(key, "Person", label, [Mention("d1", 0, 0, 4, label.split()[-1], "Person", "test")]) for key, label in names.items()]
    relations = [Relation(s, "attended", o, Evidence("d1", 0, 0, 3, "met", "test", 0.9)) for s, o in zip("abcd", "bcde")]
    return Extraction([Document("d1", "d1.txt", "hi", "text")], {}, entities, relations)


def test_a_name_means_an_id_a_label_in_any_case_or_the_one_entity_whose_names_hold_it() -> None:
    graph = to_networkx(chain())
    assert find_node(graph, "c") == "c"
    assert find_node(graph, "  le van  CUONG ") == "c"
    assert find_node(graph, "Dung") == "d"
    with pytest.raises(KeyError, match="names 2 entities"):
        find_node(graph, "Thi")
    with pytest.raises(KeyError, match="no entity named"):
        find_node(graph, "Vo Van Kiet")


def test_the_neighbourhood_of_an_entity_goes_both_ways_as_far_as_asked() -> None:
    graph = to_networkx(chain())
    assert set(ego(graph, "Le Van Cuong", hops=1)) == {"b", "c", "d"}
    assert set(ego(graph, "c", hops=2)) == {"a", "b", "c", "d", "e"}
    assert set(ego(graph, "a", hops=0)) == {"a"}
    assert ego(graph, "c", hops=1).has_edge("b", "c", key="attended")


def test_a_graph_restricted_to_some_entities_is_the_whole_graph_cut_to_them() -> None:
    extraction = chain()
    whole = to_networkx(extraction)
    part = to_networkx(extraction, only={"b", "c", "d"})
    cut = whole.subgraph({"b", "c", "d"}).copy()
    assert list(part.nodes(data=True)) == list(cut.nodes(data=True))
    assert list(part.edges(keys=True, data=True)) == list(cut.edges(keys=True, data=True))
