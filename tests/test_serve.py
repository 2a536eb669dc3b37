"""kg.explore.serve: a local read-only SPARQL server queried with real clients, and push to a Graph Store."""

from __future__ import annotations

import subprocess
import tempfile
import urllib.error
import urllib.request

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper
from test_query import SMALL_TTL

from kg.explore.serve import ServeError, free_port, oxigraph_binary, push, start_server, wait_until_listening

COUNT_CHAIRED = "PREFIX kg: <https://w3id.org/kg-vn/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?p kg:chaired ?e }"
ENGINES = ["python"] + (["oxigraph"] if oxigraph_binary() else [])


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "graph.ttl"
    path.write_text(SMALL_TTL, encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=ENGINES)
def server(request, graph_file):
    running = start_server(graph_file, free_port(), engine=request.param, timeout_s=10, max_rows=3)
    yield running
    running.stop()


def test_sparqlwrapper_reads_the_served_graph(server):
    client = SPARQLWrapper(server.url)
    client.setQuery(COUNT_CHAIRED)
    client.setReturnFormat(JSON)
    assert client.query().convert()["results"]["bindings"][0]["n"]["value"] == "1"
    client.setQuery("ASK { ?s ?p ?o }")
    assert client.query().convert()["boolean"] is True


def test_rdflib_sparqlstore_reads_the_served_graph(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server.url)
    rows = list(store.query("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?l WHERE { <https://w3id.org/kg-vn/id/e-d1> rdfs:label ?l }"))
    assert [str(r[0]) for r in rows] == ["Conference in Ha Tinh"]


def test_the_server_refuses_updates(server):
    base = server.url.rsplit("/", 1)[0]
    form = urllib.request.Request(base + "/update", data=b"update=DROP%20ALL", headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(form, timeout=10)
    assert refused.value.code in (403, 404, 405)
    client = SPARQLWrapper(server.url)
    client.setQuery(COUNT_CHAIRED)
    client.setReturnFormat(JSON)
    assert client.query().convert()["results"]["bindings"][0]["n"]["value"] == "1"


def test_python_engine_caps_rows(graph_file):
    running = start_server(graph_file, free_port(), engine="python", max_rows=3)
    try:
        client = SPARQLWrapper(running.url)
        client.setQuery("SELECT * WHERE { ?s ?p ?o }")
        client.setReturnFormat(JSON)
        answer = client.query().convert()
        assert len(answer["results"]["bindings"]) == 3 and answer["truncated"] is True
    finally:
        running.stop()


def test_bad_inputs_are_one_line_errors(graph_file, tmp_path):
    with pytest.raises(ServeError, match="no such graph file"):
        start_server(tmp_path / "missing.ttl", free_port())
    with pytest.raises(ServeError, match="must be an http"):
        push("ftp://example.org/store", graph_file)
    with pytest.raises(ServeError, match="cannot reach"):
        push(f"http://127.0.0.1:{free_port()}/store", graph_file, timeout_s=5)


@pytest.mark.skipif(oxigraph_binary() is None, reason="the oxigraph server binary (pip install oxigraph) is missing")
def test_push_loads_a_graph_store(graph_file):
    port = free_port()
    with tempfile.TemporaryDirectory() as location:
        process = subprocess.Popen([oxigraph_binary(), "serve", "--location", location, "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until_listening(port, process=process)
            sent = push(f"http://127.0.0.1:{port}/store", graph_file)
            push(f"http://127.0.0.1:{port}/store", graph_file, graph_iri="https://example.org/g")
            client = SPARQLWrapper(f"http://127.0.0.1:{port}/query")
            client.setReturnFormat(JSON)
            client.setQuery(COUNT_CHAIRED)
            assert client.query().convert()["results"]["bindings"][0]["n"]["value"] == "1"
            client.setQuery("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://example.org/g> { ?s ?p ?o } }")
            assert int(client.query().convert()["results"]["bindings"][0]["n"]["value"]) == sent
        finally:
            process.terminate()
            process.wait(timeout=10)
