"""kg serve's address: canned queries on the live endpoint (with and without parameters), entity pages, graph page, proxying."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper
from test_explore_entities import RICH_TTL

from kg.explore.query import bind_as_literals, canned_queries, load_store
from kg.explore.serve import free_port, oxigraph_binary
from kg.explore.site import start_site

ENGINES = ["python"] + (["oxigraph"] if oxigraph_binary() else [])
PARAMS = {
    "officials_of_body": {"body": "Ha Tinh"},
    "events_of_official": {"person": "Le Thi"},
    "co_attendance": {"person": "binh"},
    "campaigns": {"campaign": "rural"},
    "posts_of_person": {"person": "Nguyen Van An"},
    "evidence": {"predicate": "holdsPost"},
}


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("site") / "graph.ttl"
    path.write_text(RICH_TTL, encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=ENGINES)
def site(request, graph_file):
    running = start_site(graph_file, free_port(), request.param, timeout_s=20, max_rows=1000)
    yield running
    running.stop()


def post_query(url: str, text: str) -> list[dict]:
    request = urllib.request.Request(url, data=text.encode("utf-8"), headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["results"]["bindings"]


def test_every_canned_query_answers_on_the_live_endpoint_with_and_without_parameters(site, graph_file):
    local = load_store(graph_file, "oxigraph")
    assert set(PARAMS) == set(canned_queries())
    for name, query in canned_queries().items():
        pasted = post_query(site.query_url, query.text)  # as a user pastes the file into the query page
        assert pasted and len(pasted) == len(local.run(name).rows), name
        bound = post_query(site.query_url, bind_as_literals(name, PARAMS[name]))  # kg query NAME --print -p ...
        assert bound and len(bound) == len(local.run(name, PARAMS[name]).rows) < len(pasted) + 1, name
    # the engine behind the front answers the same
    direct = post_query(site.sparql.url, canned_queries()["co_attendance"].text)
    assert len(direct) == len(post_query(site.query_url, canned_queries()["co_attendance"].text))


def test_sparqlwrapper_through_the_front(site):
    client = SPARQLWrapper(site.query_url)
    client.setQuery(bind_as_literals("posts_of_person", {"person": "binh"}))
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert [r["post"]["value"] for r in rows] == ["Deputy Secretary"]


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode("utf-8", "replace")


def test_entity_pages_index_and_graph_page(site):
    status, kind, page = get(site.url + "/entity/le-thi-binh")
    assert status == 200 and kind.startswith("text/html")
    assert "Deputy Secretary" in page and "2024 (year of the article)" in page and "لي ثي بينه" in page
    assert get(site.url + "/entity/" + urllib.parse.quote("Le Thi"))[2] == page  # a name works too
    assert get(site.url + "/entity/nobody")[0] == 404
    status, _, index = get(site.url + "/entities?q=ha+tinh")
    assert status == 200 and "3 of 7 entities" in index and 'href="/entity/ha-tinh-pc"' in index
    status, _, graph = get(site.url + "/graph")
    assert status == 200 and "entity page: evidence, posts, dates" in graph and "/entity/le-thi-binh" in graph
    assert get(site.url + "/graph?focus=le-thi-binh&hops=1")[0] == 200
    assert get(site.url + "/graph?focus=nobody")[0] == 404


def test_the_front_keeps_the_endpoint_read_only(site):
    request = urllib.request.Request(site.url + "/update", data=b"update=DROP ALL", headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code in (403, 404, 405)
    assert post_query(site.query_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]["value"] != "0"


def test_the_query_page(site):
    status, _, page = get(site.url + "/")
    assert status == 200
    if site.sparql.engine == "oxigraph":
        assert "yasgui" in page.lower()
        assert get(site.url + "/yasgui.min.js")[0] == 200  # served by Oxigraph itself: works offline
    else:
        assert "/entities" in page and "/query" in page


@pytest.mark.parametrize("content", ["[1, 2, 3]", '{"documents": 5}', '[{"doc": "a.txt", "entities": "none", "relations": []}]', "not json"])
def test_a_wrong_shaped_extraction_is_refused_at_start(graph_file, tmp_path, content: str) -> None:
    from kg.explore.serve import ServeError
    from kg.explore.site import Pages

    extraction = tmp_path / "extraction.json"
    extraction.write_text(content, encoding="utf-8")
    with pytest.raises(ServeError) as error:
        Pages(graph_file, extraction)
    assert str(extraction) in str(error.value) and "\n" not in str(error.value)
    beside = tmp_path / "graph.ttl"
    beside.write_text(graph_file.read_text(encoding="utf-8"), encoding="utf-8")
    assert Pages(beside).records is None  # one found beside the graph is only left out


def test_a_post_without_a_sentence_says_where_it_came_from(site):
    status, _, page = get(site.url + "/entity/nguyen-van-an")
    assert status == 200 and "read as a title beside the name in" in page and "no sentence was recorded" in page
