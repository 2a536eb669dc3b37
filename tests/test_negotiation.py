"""SPARQL protocol content negotiation: the endpoint answers in the type the client asks for."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request

import pytest
from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper
from test_query import SMALL_TTL

from kg.explore.engines import JSON_RESULTS, N_TRIPLES, Answer
from kg.explore.negotiation import accepted, choose, negotiate
from kg.explore.serve import free_port, oxigraph_binary, start_server

ENGINES = ["python"] + (["oxigraph"] if oxigraph_binary() else [])
SELECT = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label LIMIT 3"
CONSTRUCT = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l } LIMIT 3"


def test_accept_header_quality_and_order() -> None:
    assert accepted("text/csv;q=0.5, application/sparql-results+xml, */*;q=0.1") == [
        ("application/sparql-results+xml", 1.0), ("text/csv", 0.5), ("*/*", 0.1)]
    offered = [JSON_RESULTS, "application/sparql-results+xml", "text/csv"]
    assert choose(None, offered) == JSON_RESULTS
    assert choose("text/*", offered) == "text/csv"
    assert choose("image/png", offered) is None
    assert choose("text/csv;q=0, */*", offered) == JSON_RESULTS


def test_errors_pass_through_untouched() -> None:
    error = Answer.text(400, "bad query")
    assert negotiate(error, "text/csv") is error


def test_a_graph_result_as_turtle_and_json_ld() -> None:
    triples = Answer(200, N_TRIPLES, b'<http://x/a> <http://x/p> "v\\"q" .\n')
    turtle = negotiate(triples, "text/turtle")
    assert turtle.content_type == "text/turtle" and b'"v\\"q"' in turtle.body
    data = json.loads(negotiate(triples, "application/ld+json").body)
    assert data[0]["http://x/p"][0]["@value"] == "v\"q"
    assert negotiate(triples, "text/csv").status == 406


@pytest.fixture(scope="module", params=ENGINES)
def server(request, tmp_path_factory):
    graph = tmp_path_factory.mktemp("neg") / "graph.ttl"
    graph.write_text(SMALL_TTL, encoding="utf-8")
    running = start_server(graph, free_port(), request.param, timeout_s=20, max_rows=1000)
    yield running
    running.stop()


def wrapper(server, fmt):  # noqa: ANN001, ANN201
    client = SPARQLWrapper(server.url)
    client.setQuery(SELECT)
    client.setReturnFormat(fmt)
    return client.query()


def test_sparqlwrapper_gets_xml_csv_and_json(server) -> None:  # noqa: ANN001
    json_rows = wrapper(server, JSON).convert()["results"]["bindings"]
    labels = [row["label"]["value"] for row in json_rows]
    xml = wrapper(server, XML).convert()  # a DOM document: SPARQLWrapper parsed the XML without a warning
    assert [e.firstChild.data for e in xml.getElementsByTagName("literal")] == labels
    table = list(csv.reader(io.StringIO(wrapper(server, CSV).convert().decode("utf-8"))))
    assert table[0] == ["s", "label"] and [r[1] for r in table[1:]] == labels


def post(server, query: str, accept: str) -> tuple[int, str, bytes]:  # noqa: ANN001
    request = urllib.request.Request(server.url, data=query.encode("utf-8"), headers={"Content-Type": "application/sparql-query", "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def test_tsv_turtle_and_refusal_over_http(server) -> None:  # noqa: ANN001
    status, kind, body = post(server, SELECT, "text/tab-separated-values")
    assert status == 200 and kind.startswith("text/tab-separated-values") and body.decode("utf-8").startswith("?s\t?label")
    status, kind, body = post(server, CONSTRUCT, "text/turtle, application/n-triples;q=0.5")
    assert status == 200 and kind == "text/turtle" and b"rdfs:label" in body or b"label" in body
    status, _, body = post(server, SELECT, "image/png")
    assert status == 406 and b"text/csv" in body


def test_a_cut_select_converts_and_says_it_was_cut(tmp_path) -> None:  # noqa: ANN001
    graph = tmp_path / "graph.ttl"
    graph.write_text(SMALL_TTL, encoding="utf-8")
    running = start_server(graph, free_port(), "python", timeout_s=20, max_rows=1)
    try:
        request = urllib.request.Request(running.url, data=b"SELECT ?s WHERE { ?s ?p ?o }", headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
        with urllib.request.urlopen(request, timeout=30) as response:
            rows = list(csv.reader(io.StringIO(response.read().decode("utf-8"))))
            assert response.headers["X-Truncated"] == "true"
        assert rows[0] == ["s"] and len(rows) == 2
    finally:
        running.stop()
