"""Entity profiles and pages, timelines and person projections (kg.explore.entities, pages, timeline, projections)."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from test_query import SMALL_TTL

from kg.explore.entities import entity_index, find_entity, profile
from kg.explore.formats import load_networkx
from kg.explore.pages import entity_page, index_page
from kg.explore.projections import co_attendance, edge_rows, same_body, simple_graph, top_by_degree, write_projection
from kg.explore.query import QueryError, load_store
from kg.explore.timeline import timeline

RICH_TTL = SMALL_TTL + """
id:le-thi-binh skos:altLabel "لي ثي بينه"@ar , "ले थी बिन्ह"@hi ; kg:mentionedIn doc:d2 ; kg:attended id:e-d2 ; kg:holdsPost id:ha-tinh-pc .
id:nguyen-van-an kg:attended id:e-d2 .
id:e-d2 a kg:Event ; rdfs:label "Congress in Ha Tinh" ; kg:eventType "congress" .
mem:m2 a org:Membership ; org:member id:le-thi-binh ; org:organization id:ha-tinh-pc ; kg:postTitle "Deputy Secretary"@en ; kg:document doc:d2 .
mem:m3 a org:Membership ; org:member id:nguyen-van-an ; org:organization id:ha-tinh-pc ; kg:postTitle "Secretary"@en ; kg:document doc:d3 .
doc:d1 a kg:Document ; kg:language "en" ; kg:sourceUrl "https://example.org/d1"^^xsd:anyURI ; kg:year "2023"^^xsd:gYear .
doc:d2 a kg:Document ; kg:language "ar" ; kg:year "2024"^^xsd:gYear .
doc:d3 a kg:Document ; kg:language "hi" .
fact:f2 a kg:Assertion ; rdf:subject id:le-thi-binh ; rdf:predicate kg:holdsPost ; rdf:object id:ha-tinh-pc ;
    kg:document doc:d2 ; kg:sentenceText "حضر نائب السكرتير <b>لي ثي بينه</b>"@ar ;
    kg:startOffset 4 ; kg:endOffset 20 ; kg:rule "post-chain" ; kg:confidence 0.85 .
"""

RECORDS = [
    {"doc": "d1.txt", "lang": "hi", "entities": [{"id": "le-thi-binh", "type": "Person", "label": "Le Thi Binh", "mentions": ["ले थी बिन्ह"], "posts": []}], "relations": []},
    {"doc": "d2.txt", "lang": "ar", "entities": [{"id": "le-thi-binh", "type": "Person", "label": "Le Thi Binh", "mentions": ["لي ثي بينه"], "posts": []}], "relations": []},
]


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("rich") / "graph.ttl"
    path.write_text(RICH_TTL, encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=["rdflib", "oxigraph"])
def store(request, graph_file):
    return load_store(graph_file, request.param)


def test_find_entity_by_id_label_part_and_other_name(store):
    assert find_entity(store, "le-thi-binh").label == "Le Thi Binh"
    assert find_entity(store, "le thi binh").id == "le-thi-binh"
    assert find_entity(store, "Congress").type == "Event"
    assert find_entity(store, "بينه").id == "le-thi-binh"  # an Arabic spelling
    with pytest.raises(KeyError, match="names 3 entities"):
        find_entity(store, "Ha Tinh")  # the conference, the congress and the committee
    with pytest.raises(KeyError, match="no entity"):
        find_entity(store, "nobody at all")


def test_profile_of_a_person(store):
    found = profile(store, "Le Thi Binh", RECORDS)
    assert found.entity.type == "Person"
    assert found.names == [("لي ثي بينه", "ar"), ("ले थी बिन्ह", "hi")]
    (post,) = found.posts
    assert (post.title, post.body.label, post.date, post.document) == ("Deputy Secretary", "Ha Tinh Provincial Party Committee", "2024 (year of the article)", "d2")
    assert post.file == "d2.txt" and post.evidence[0].rule == "post-chain" and post.evidence[0].lang == "ar"
    assert {(f.predicate, f.other.label) for f in found.facts} == {("attended", "Conference in Ha Tinh"), ("attended", "Congress in Ha Tinh"), ("holdsPost", "Ha Tinh Provincial Party Committee")}
    assert [d["id"] for d in found.documents] == ["d1", "d2"]
    assert found.merge[0].startswith("Read in 2 articles and merged into one person: d1: ले थी बिन्ह (hi); d2: لي ثي بينه (ar)")


def test_profile_evidence_and_urls(store):
    found = profile(store, "nguyen-van-an")
    (chaired,) = [f for f in found.facts if f.predicate == "chaired"]
    (evidence,) = chaired.evidence
    assert (evidence.sentence, evidence.document, evidence.start, evidence.end, evidence.url) == ("Nguyen Van An chaired the conference.", "d1", 15, 22, "https://example.org/d1")
    assert found.merge is None  # no extraction.json given


def test_timeline_of_a_person_and_of_a_body(store):
    title, result = timeline(store, "Nguyen Van An")
    assert title == "Nguyen Van An (person)"
    assert [(r["date"], r["post"], r["article"]) for r in result.records()] == [("2023-10-09", "Secretary", "d1"), ("undated", "Secretary", "d3")]
    title, result = timeline(store, "Ha Tinh Provincial Party Committee")
    assert result.variables[:3] == ["date", "person", "post"]
    assert [(r["date"], r["person"]) for r in result.records()] == [("2023-10-09", "Nguyen Van An"), ("2024 (year of the article)", "Le Thi Binh"), ("undated", "Nguyen Van An")]
    assert "حضر نائب السكرتير" in result.records()[1]["sentence"]
    with pytest.raises(QueryError, match="is an Event: a timeline is for a person"):
        timeline(store, "Congress in Ha Tinh")


def test_entity_page_escapes_and_links(store):
    page = entity_page(profile(store, "Le Thi Binh", RECORDS))
    assert "<b>لي" not in page and "&lt;b&gt;لي ثي بينه&lt;/b&gt;" in page  # text from the graph is escaped
    assert 'href="/entity/ha-tinh-pc"' in page and 'href="/entity/e-d2"' in page
    assert "2024 (year of the article)" in page and "Why this is one entity" in page
    assert "<script" not in page
    index = index_page([ref for ref, _ in entity_index(store)], "binh")
    assert "1 of 7 entities" in index and 'href="/entity/le-thi-binh"' in index


def test_co_attendance_and_same_body(graph_file):
    graph = load_networkx(graph_file)
    people = co_attendance(graph)
    assert isinstance(people, nx.Graph) and not people.is_multigraph() and people.number_of_nodes() == 3
    tie = people.edges["nguyen-van-an", "le-thi-binh"]
    assert tie["weight"] == 2 and tie["events"] == ["e-d1", "e-d2"] and tie["event_labels"] == ["Conference in Ha Tinh", "Congress in Ha Tinh"]
    assert tie["docs"] == ["d1"]  # the articles of the evidence: only the chaired/attended facts at e-d1 have an assertion here
    assert [r[2:5] for r in edge_rows(people)][0] == ("Le Thi Binh", "Nguyen Van An", 2)
    assert top_by_degree(people, 1)[0][1:3] == ("Le Thi Binh", 2)
    bodies = same_body(graph)
    assert list(bodies.edges(data="bodies")) == [("le-thi-binh", "nguyen-van-an", ["ha-tinh-pc"])]
    assert nx.pagerank(people) and nx.eigenvector_centrality(people, weight="weight")


def test_simple_graph_makes_centralities_work(graph_file):
    graph = load_networkx(graph_file)
    with pytest.raises(nx.NetworkXNotImplemented):
        nx.eigenvector_centrality(graph)
    simple = simple_graph(graph)
    assert simple.number_of_nodes() == graph.number_of_nodes() and simple.edges["nguyen-van-an", "e-d1"]["weight"] == 1
    assert max(nx.eigenvector_centrality(simple, max_iter=1000).items(), key=lambda kv: kv[1])[0] in {"e-d1", "nguyen-van-an"}


@pytest.mark.parametrize("suffix", [".graphml", ".csv", ".json", ".html"])
def test_projection_exports(graph_file, tmp_path, suffix):
    people = co_attendance(load_networkx(graph_file))
    written = write_projection(people, tmp_path / f"people{suffix}")
    assert all(p.stat().st_size > 0 for p in written)
    if suffix == ".graphml":
        back = nx.read_graphml(written[0])
        assert back.number_of_edges() == 3 and back.edges["le-thi-binh", "nguyen-van-an"]["weight"] == 2
    if suffix == ".json":
        data = json.loads(written[0].read_text(encoding="utf-8"))
        assert len(data["links"]) == 3
    if suffix == ".csv":
        assert [p.name for p in written] == ["people.nodes.csv", "people.edges.csv"]
        assert "Le Thi Binh,Nguyen Van An,2" in written[1].read_text(encoding="utf-8")
    if suffix == ".html":
        page = written[0].read_text(encoding="utf-8")
        assert "co-attendance: 3 persons, 3 ties" in page and '"arrows":""' in page


def test_find_entity_and_the_index_page_ignore_diacritics(store):
    from kg.explore.pages import index_page

    assert find_entity(store, "Lê Thị Bình").id == "le-thi-binh"
    page = index_page([ref for ref, _ in entity_index(store)], "Lê Thị")
    assert "le-thi-binh" in page and "1 of" in page


def test_namesakes_are_listed_with_what_tells_them_apart(tmp_path):
    from kg.explore.query import load_store
    from test_query import SMALL_TTL

    twin = SMALL_TTL + '\nid:le-thi-binh-2 a kg:Person ; rdfs:label "Le Thi Binh" ; kg:mentionedIn doc:d2 .\n'
    path = tmp_path / "graph.ttl"
    path.write_text(twin, encoding="utf-8")
    store = load_store(path, "oxigraph")
    with pytest.raises(KeyError) as error:
        find_entity(store, "Lê Thị Bình")
    message = str(error.value)
    assert "2 entities" in message and "le-thi-binh (Person" in message and "le-thi-binh-2 (Person, in d2)" in message and "give the id" in message
    assert find_entity(store, "le-thi-binh-2").id == "le-thi-binh-2"
