"""The viz stage: networkx graph and the offline, escaped, deterministic HTML page."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from kg.model import Document, Entity, Evidence, Extraction, Mention, Post, Relation
from kg.graph.viz import TYPE_STYLES, render_html, to_networkx, write_html

HOSTILE = 'Evil <script>alert("pwned")</script> & Co'
QUOTE = 'He said </script><script>alert(1)</script> at the <b>conference</b> & left.'


def mention(doc: str, text: str, type_: str, start: int = 0) -> Mention:
    return Mention(doc, 0, start, start + len(text), text, type_, "test")


def evidence(doc: str, text: str, rule: str = "test-rule") -> Evidence:
    return Evidence(doc, 0, 0, len(text), text, rule, 0.9)


@pytest.fixture
def extraction() -> Extraction:
    docs = [Document("d1", "d1.txt", "hi", "text one"), Document("d2", "d2.txt", "ar", "text two")]
    entities = [
        Entity("truong-thi-mai", "Person", "Truong Thi Mai", [mention("d1", "त्रुओंग थी माई", "Person"), mention("d2", "ترونغ ثي ماي", "Person")],
               posts=[Post("Standing Member of the Secretariat", "party-secretariat", "d1")]),
        Entity("evil", "Person", HOSTILE, [mention("d1", HOSTILE, "Person")], posts=[Post("Head <i>of</i> things", None, "d1")]),
        Entity("party-secretariat", "Organization", "Secretariat", [mention("d1", "सचिवालय", "Organization")]),
        Entity("e-d1-conference", "Event", "Conference", [], attrs={"doc": "d1", "main": "true"}),
        Entity("emulation", "Campaign", "Emulation movement", [mention("d1", "अनुकरण आंदोलन", "Campaign")]),
        Entity("ninh-binh", "Location", "Ninh Binh", [mention("d2", "نينه بينه", "Location")]),
    ]
    relations = [
        Relation("truong-thi-mai", "spokeAt", "e-d1-conference", evidence("d1", "Mai spoke at the conference.")),
        Relation("truong-thi-mai", "spokeAt", "e-d1-conference", evidence("d2", QUOTE)),
        Relation("truong-thi-mai", "holdsPost", "party-secretariat", evidence("d1", "Mai, Standing Member."), post="Standing Member of the Secretariat"),
        Relation("evil", "attended", "e-d1-conference", evidence("d1", QUOTE)),
        Relation("party-secretariat", "implements", "emulation", evidence("d1", "The secretariat carries out the movement.")),
        Relation("e-d1-conference", "locatedIn", "ninh-binh", evidence("d2", "In Ninh Binh.")),
        Relation("truong-thi-mai", "attended", "e-d1-conference", evidence("d1", "Mai attended.")),
    ]
    return Extraction(docs, {}, entities, relations)


def test_graph_nodes_and_attributes(extraction: Extraction) -> None:
    graph = to_networkx(extraction)
    assert isinstance(graph, nx.MultiDiGraph)
    assert set(graph.nodes) == {e.id for e in extraction.entities}
    mai = graph.nodes["truong-thi-mai"]
    assert mai["type"] == "Person"
    assert mai["label"] == "Truong Thi Mai"
    assert mai["posts"] == ["Standing Member of the Secretariat"]
    assert mai["docs"] == ["d1", "d2"]
    assert graph.nodes["e-d1-conference"]["type"] == "Event"
    assert graph.nodes["evil"]["label"] == HOSTILE  # the graph holds raw data; escaping is the page's job


def test_graph_one_edge_per_distinct_triple(extraction: Extraction) -> None:
    graph = to_networkx(extraction)
    assert graph.number_of_edges() == 6  # two spokeAt relations with the same (s, p, o) give one edge
    spoke = graph.get_edge_data("truong-thi-mai", "e-d1-conference", key="spokeAt")
    assert spoke["predicate"] == "spokeAt" and spoke["label"] == "spokeAt"
    assert spoke["evidence"] == ["Mai spoke at the conference.", QUOTE]
    assert spoke["docs"] == ["d1", "d2"]
    assert set(graph.get_edge_data("truong-thi-mai", "e-d1-conference")) == {"spokeAt", "attended"}
    post = graph.get_edge_data("truong-thi-mai", "party-secretariat", key="holdsPost")
    assert post["post"] == "Standing Member of the Secretariat"
    assert "post" not in spoke


def test_dangling_relation_keeps_edge(extraction: Extraction) -> None:
    extraction.relations.append(Relation("ghost", "memberOf", "party-secretariat", evidence("d1", "x")))
    graph = to_networkx(extraction)
    assert graph.has_edge("ghost", "party-secretariat", key="memberOf")
    assert graph.nodes["ghost"]["label"] == "ghost"
    assert "ghost" in render_html(graph)


def page_of(extraction: Extraction, tmp_path: Path, name: str = "g.html") -> str:
    path = tmp_path / name
    write_html(extraction, path)
    return path.read_text(encoding="utf-8")


def test_html_escapes_document_text(extraction: Extraction, tmp_path: Path) -> None:
    page = page_of(extraction, tmp_path)
    assert "alert(" in page  # the data is there ...
    assert "<script>alert" not in page  # ... but never as markup
    assert "</script><script>" not in page
    assert "<b>conference</b>" not in page and "<i>of</i>" not in page
    # Outside the inlined library, the only script elements are our own.
    own = page.split("</style>")[-1]
    assert own.count("<script") == 1 and own.count("</script>") == 1
    # The tooltip markup carries the text escaped, and the JSON escapes < > & again.
    assert "\\u0026lt;script\\u0026gt;" in page
    assert "\\u003cb\\u003e" in page  # our own tooltip markup, JSON-escaped


def test_html_offline_no_cdn(extraction: Extraction, tmp_path: Path) -> None:
    page = page_of(extraction, tmp_path)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert "cdnjs" not in page and "jsdelivr" not in page
    assert "vis.Network" in page and "DataSet" in page  # the library is inlined


def test_html_content(extraction: Extraction, tmp_path: Path) -> None:
    page = page_of(extraction, tmp_path)
    for label in ("Truong Thi Mai", "Secretariat", "Emulation movement", "Ninh Binh", "Conference"):
        assert f'"label":"{label}"' in page
    for predicate in ("spokeAt", "holdsPost", "implements", "locatedIn", "attended"):
        assert f'"label":"{predicate}"' in page
    assert "Standing Member of the Secretariat" in page  # post in tooltip
    assert "Mai spoke at the conference." in page  # evidence quote in tooltip
    for type_, (colour, _, shape, _) in TYPE_STYLES.items():
        assert type_ in page and colour in page and f'"shape":"{shape}"' in page
    assert '"solver":"barnesHut"' in page and '"iterations":' in page
    assert "stabilizationIterationsDone" in page and "physics: {enabled: false}" in page


def test_html_deterministic(extraction: Extraction, tmp_path: Path) -> None:
    first = page_of(extraction, tmp_path, "a.html")
    second = page_of(extraction, tmp_path, "b.html")
    assert first == second
    extraction.entities.reverse()
    extraction.relations.reverse()
    assert page_of(extraction, tmp_path, "c.html") == first


def test_write_html_accepts_graph(extraction: Extraction, tmp_path: Path) -> None:
    graph = to_networkx(extraction)
    write_html(graph, tmp_path / "g.html")
    assert (tmp_path / "g.html").read_text(encoding="utf-8") == page_of(extraction, tmp_path, "x.html")


def test_embedded_data_is_valid_json(extraction: Extraction, tmp_path: Path) -> None:
    page = page_of(extraction, tmp_path)
    nodes = json.loads(re.search(r"var nodeList = (.*);\n", page).group(1))
    edges = json.loads(re.search(r"var edgeList = (.*);\n", page).group(1))
    assert [n["id"] for n in nodes] == sorted(n["id"] for n in nodes)
    assert len({e["id"] for e in edges}) == len(edges) == 6
    evil = next(n for n in nodes if n["id"] == "evil")
    assert evil["label"] == HOSTILE  # canvas text, drawn as text
    assert "&lt;script&gt;" in evil["title"] and "<script" not in evil["title"]


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_page_script_parses(extraction: Extraction, tmp_path: Path) -> None:
    page = page_of(extraction, tmp_path)
    script = page.split("</style>")[-1].split("<script>", 1)[1].split("</script>", 1)[0]
    (tmp_path / "page.js").write_text(script, encoding="utf-8")
    subprocess.run(["node", "--check", str(tmp_path / "page.js")], check=True, capture_output=True)


def test_empty_extraction(tmp_path: Path) -> None:
    page = page_of(Extraction([], {}, [], []), tmp_path)
    assert "var nodeList = [];" in page and "0 entities, 0 relations" in page


def test_long_labels_cut_on_canvas_only(extraction: Extraction, tmp_path: Path) -> None:
    long = "Conference reviewing the implementation of grassroots democracy regulations in 2024"
    extraction.entities[3].label = long
    page = page_of(extraction, tmp_path)
    nodes = json.loads(re.search(r"var nodeList = (.*);\n", page).group(1))
    event = next(n for n in nodes if n["id"] == "e-d1-conference")
    assert event["label"].endswith("\u2026") and len(event["label"]) <= 48 and long.startswith(event["label"][:-1])
    assert long in event["title"]
    assert to_networkx(extraction).nodes["e-d1-conference"]["label"] == long


def test_the_page_replaces_an_old_one_whole_and_a_bad_target_is_one_line(tmp_path) -> None:  # noqa: ANN001
    import networkx as nx

    from kg.files import OutputError
    from kg.graph.viz import write_html

    page = tmp_path / "g.html"
    page.write_text("old page", encoding="utf-8")
    graph = nx.MultiDiGraph()
    graph.add_node("a", label="A", type="Person")
    write_html(graph, page)
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html") or "<html" in page.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["g.html"]  # no staged file left beside it
    (tmp_path / "dir.html").mkdir()
    import pytest

    with pytest.raises(OutputError):
        write_html(graph, tmp_path / "dir.html")


def test_measures_do_not_depend_on_the_order_nodes_were_added() -> None:
    """Louvain and sampled betweenness follow iteration order; a subgraph's order follows a set's (hash seed)."""
    from kg.graph.viz import measures

    edges = [(f"n{i}", f"n{(i * 7 + 3) % 400}") for i in range(400)] + [(f"n{i}", f"n{i + 1}") for i in range(0, 399, 2)]
    forward, backward = nx.MultiDiGraph(), nx.MultiDiGraph()
    forward.add_edges_from(edges)
    backward.add_nodes_from(sorted(forward.nodes, reverse=True))
    backward.add_edges_from(reversed(edges))
    assert measures(forward) == measures(backward)


def test_a_big_graph_page_keeps_the_best_attested_relations_and_says_so() -> None:
    from kg.graph.page_bounds import bounded

    graph = nx.MultiDiGraph()
    for i in range(30):
        graph.add_node(f"n{i:02d}", type="Person", label=f"N{i}")
    for i in range(30):
        for j in range(i + 1, min(i + 4, 30)):
            graph.add_edge(f"n{i:02d}", f"n{j:02d}", key="attended", docs=[f"d{k}" for k in range(1 + (i * j) % 7)])
    shown, note = bounded(graph, max_nodes=20, max_edges=10)
    assert shown.number_of_nodes() == 20 and shown.number_of_edges() == 10
    kept = sorted(len(d["docs"]) for _, _, d in shown.edges(data=True))
    dropped = [len(d["docs"]) for s, o, d in graph.subgraph(shown.nodes).edges(data=True) if not shown.has_edge(s, o)]
    assert min(kept) >= max(dropped)  # the relations read in most articles are the ones shown
    assert "20 most connected of 30 entities" in note and "10 relations" in note
    assert bounded(graph, max_nodes=30, max_edges=1000) == (graph, None)


@pytest.mark.parametrize(("max_nodes", "max_edges"), [(1500, 6000), (3, 1000), (3, 1), (100, 2), (1, 1000)])
@pytest.mark.parametrize("order", ["sorted", "shuffled"])
def test_the_build_page_is_the_bounded_whole_graph_without_drawing_it(extraction: Extraction, max_nodes: int, max_edges: int, order: str) -> None:
    import random
    from dataclasses import replace as with_

    from kg.graph.page_bounds import bounded, page_graph

    relations = sorted(extraction.relations, key=lambda r: r.key()) + [
        Relation("ghost", "attended", "e-d1-conference", evidence("d1", "A ghost attended.")),  # a dangling id
        Relation("ninh-binh", "locatedIn", "ninh-binh", evidence("d2", "Ninh Binh is in Ninh Binh.")),  # a self-loop
    ]
    if order == "shuffled":
        random.Random(7).shuffle(relations)
    else:
        relations.sort(key=lambda r: r.key())
    corpus = with_(extraction, relations=relations)
    expected, expected_note = bounded(to_networkx(corpus), max_nodes, max_edges)
    shown, note = page_graph(corpus, max_nodes, max_edges)
    assert note == expected_note
    assert sorted(shown.nodes) == sorted(expected.nodes)
    assert sorted(shown.edges(keys=True)) == sorted(expected.edges(keys=True))
    # A big graph's page keeps what it shows of each node and edge (the first documents and sentences, and how many): the same page.
    assert (render_html(shown, note) if note else render_html(shown)) == (render_html(expected, note) if note else render_html(expected))


def test_a_node_named_and_posted_a_thousand_ways_keeps_a_bounded_tooltip_and_search() -> None:
    from kg.graph.viz import MAX_POSTS, MAX_SEARCH_NAMES, _node_title

    graph = nx.MultiDiGraph()
    names = [f"Name {i:04d}" for i in range(1000)]
    posts = [f"Secretary {i}\tbody-{i}" for i in range(100)]
    graph.add_node("p", type="Person", label="P", posts=[], post_orgs=posts, docs=["d1"], mentions=names)
    title = _node_title("p", graph.nodes["p"], graph)
    assert title.count("<li>") == MAX_POSTS + 1 and f"\u2026 {100 - MAX_POSTS} more" in title
    page = render_html(graph)
    assert "name 0049" in page and "name 0050" not in page  # the first names, in order, and no more
    assert MAX_SEARCH_NAMES == 50
