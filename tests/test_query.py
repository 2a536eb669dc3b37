"""kg.explore.query: canned queries on both stores, safe parameters, output formats."""

from __future__ import annotations

import json

import pytest

from kg.explore.query import QueryError, canned_queries, format_result, load_store, resolve_query

SMALL_TTL = """\
@prefix kg: <https://w3id.org/kg-vn/ontology#> .
@prefix id: <https://w3id.org/kg-vn/id/> .
@prefix doc: <https://w3id.org/kg-vn/id/doc/> .
@prefix fact: <https://w3id.org/kg-vn/id/assertion/> .
@prefix mem: <https://w3id.org/kg-vn/id/membership/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

id:nguyen-van-an a kg:Person ; rdfs:label "Nguyen Van An" ; skos:altLabel "गुयेन वान आन"@hi ;
    kg:mentionedIn doc:d1 ; kg:chaired id:e-d1 ; kg:holdsPost id:ha-tinh-pc ; kg:launched id:new-rural .
id:le-thi-binh a kg:Person ; rdfs:label "Le Thi Binh" ; kg:mentionedIn doc:d1 ; kg:attended id:e-d1 .
id:tran-quoc-cuong a kg:Person ; rdfs:label "Tran Quoc Cuong <script>" ; kg:mentionedIn doc:d1 ; kg:spokeAt id:e-d1 .
id:ha-tinh-pc a kg:Organization ; rdfs:label "Ha Tinh Provincial Party Committee" ; kg:implements id:new-rural .
id:e-d1 a kg:Event ; rdfs:label "Conference in Ha Tinh" ; kg:eventType "conference" ; kg:date "2023-10-09"^^xsd:date .
id:new-rural a kg:Campaign ; rdfs:label "New rural areas emulation movement" .
mem:m1 a org:Membership ; org:member id:nguyen-van-an ; org:organization id:ha-tinh-pc ;
    kg:postTitle "Secretary"@en ; kg:statedOn "2023-10-09"^^xsd:date ; kg:document doc:d1 .
fact:f1 a kg:Assertion ; rdf:subject id:nguyen-van-an ; rdf:predicate kg:chaired ; rdf:object id:e-d1 ;
    kg:document doc:d1 ; kg:sentenceText "Nguyen Van An chaired the conference."@en ;
    kg:startOffset 15 ; kg:endOffset 22 ; kg:rule "trigger:chaired" ; kg:confidence 0.9 .
"""

HOSTILE = [
    'x") } ; DROP ALL #',
    "\" || true || \"",
    "'} UNION { ?s ?p ?o } #",
    "a\\u0022b",
    "?person",
    "<https://w3id.org/kg-vn/id/nguyen-van-an>",
]


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("g") / "graph.ttl"
    path.write_text(SMALL_TTL, encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=["rdflib", "oxigraph"])
def store(request, graph_file):
    return load_store(graph_file, request.param)


@pytest.mark.parametrize(
    "name,params,expected",
    [
        ("officials_of_body", {"body": "ha tinh"}, {("Ha Tinh Provincial Party Committee", "Nguyen Van An", "Secretary")}),
        ("events_of_official", {"person": "Le Thi"}, {("Le Thi Binh", "attended", "Conference in Ha Tinh")}),
        ("posts_of_person", {"person": "nguyen-van-an"}, {("Nguyen Van An", "Secretary", "Ha Tinh Provincial Party Committee")}),
        ("evidence", {"predicate": "chaired"}, {("Nguyen Van An", "chaired", "Conference in Ha Tinh")}),
        ("campaigns", {}, {("New rural areas emulation movement", "implements", "Ha Tinh Provincial Party Committee"), ("New rural areas emulation movement", "launched", "Nguyen Van An")}),
    ],
)
def test_canned_queries_answer_on_both_stores(store, name, params, expected):
    result = store.run(name, params)
    assert {row[:3] for row in result.rows} == expected
    assert not set(canned_queries()[name].params) & set(result.variables)  # parameter columns dropped


def test_co_attendance_counts_shared_events(store):
    rows = store.run("co_attendance", {"person": "binh"}).records()
    assert {(r["aLabel"], r["bLabel"], r["events"]) for r in rows} == {("Le Thi Binh", "Nguyen Van An", 1), ("Le Thi Binh", "Tran Quoc Cuong <script>", 1)}


def test_both_stores_give_the_same_results(graph_file):
    rdflib_store, oxigraph_store = load_store(graph_file, "rdflib"), load_store(graph_file, "oxigraph")
    for name in canned_queries():
        a, b = rdflib_store.run(name), oxigraph_store.run(name)
        assert a.variables == b.variables
        assert sorted(map(repr, a.rows)) == sorted(map(repr, b.rows)), name


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_parameter_is_only_a_string(store, value):
    before = len(store)
    for name, q in canned_queries().items():
        for param in q.params:
            if param in ("since", "until"):  # a date bound is checked before it is bound
                with pytest.raises(QueryError, match="YYYY"):
                    store.run(name, {param: value})
                continue
            assert store.run(name, {param: value}).rows == [], (name, param)
    assert len(store) == before


def test_free_query_with_a_parameter_and_errors(store):
    text = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?s ?name WHERE { ?s rdfs:label ?l FILTER(?l = ?name) }"
    assert [r[0] for r in store.run(text, {"name": "Le Thi Binh"}).rows] == ["https://w3id.org/kg-vn/id/le-thi-binh"]
    with pytest.raises(QueryError, match="not a variable"):
        store.run(text, {"other": "x"})
    with pytest.raises(QueryError, match="unknown parameter"):
        store.run("officials_of_body", {"person": "x"})
    with pytest.raises(QueryError, match="no canned query"):
        store.run("no_such_query")
    with pytest.raises(QueryError, match="SPARQL error"):
        store.select("SELECT ?x WHERE {")
    with pytest.raises(QueryError, match="SPARQL error"):
        store.select("INSERT DATA { <a:b> <a:c> <a:d> }")


def test_ask_construct_and_row_cap(store):
    assert store.select("ASK { ?s ?p ?o }").rows == [(True,)]
    assert store.select("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").variables == ["subject", "predicate", "object"]
    capped = store.select("SELECT ?s WHERE { ?s ?p ?o }", max_rows=2)
    assert len(capped.rows) == 2 and capped.truncated


def test_output_formats(store):
    result = store.run("events_of_official", {"person": "Tran"})
    table = format_result(result, "table")
    assert "id:tran-quoc-cuong" in table and table.rstrip().endswith("1 row")
    assert format_result(result, "csv").splitlines()[0].startswith("personLabel,role,eventLabel")
    assert "\t" in format_result(result, "tsv")
    assert json.loads(format_result(result, "json"))[0]["person_iri"] == "https://w3id.org/kg-vn/id/tran-quoc-cuong"


def test_query_files_and_bad_graphs(tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    assert resolve_query(f"@{rq}")[0].startswith("SELECT")
    with pytest.raises(QueryError, match="cannot read"):
        resolve_query(f"@{tmp_path / 'missing.rq'}")
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    for name in ("rdflib", "oxigraph"):
        with pytest.raises(QueryError, match="bad.ttl"):
            load_store(bad, name)
    with pytest.raises(QueryError, match="unknown graph format"):
        load_store(rq, "rdflib")


def test_canned_queries_pasted_as_is_return_every_row(store):
    """Nothing bound (the text pasted into another endpoint): every row, as with the parameter left out."""
    for name, q in canned_queries().items():
        pasted = store.select(q.text)
        assert pasted.rows, name
        assert len(pasted.rows) == len(store.run(name).rows), name


@pytest.mark.parametrize("value", ["Le Thi", 'x") } ; DROP ALL #', "a\\b\n\"c\""])
def test_printed_query_binds_parameters_as_literals(store, value):
    from kg.explore.query import bind_as_literals, drop_columns

    for name, q in canned_queries().items():
        param = next(iter(q.params))
        text = bind_as_literals(name, {param: value})
        assert "VALUES ?" + param in text
        printed = drop_columns(store.select(text), set(q.params))
        assert printed.rows == store.run(name, {param: value}).rows, name
    assert bind_as_literals("co_attendance") == canned_queries()["co_attendance"].text
    with pytest.raises(QueryError, match="unknown parameter"):
        bind_as_literals("co_attendance", {"body": "x"})


def test_table_width():
    from kg.explore.query import Result

    result = Result(["a"], [("x" * 100,)])
    assert "x" * 59 + "\u2026" in format_result(result)
    assert "x" * 100 in format_result(result, width=0)
    assert "xxxxxxxxx\u2026" in format_result(result, width=10) and "x" * 11 not in format_result(result, width=10)


def test_a_query_nested_past_any_use_is_one_error_not_a_crash(tmp_path) -> None:  # noqa: ANN001
    import subprocess
    import sys

    from tests.conftest import SEEDS

    out = tmp_path / "out"
    assert subprocess.run([sys.executable, "-m", "kg.cli", "build", str(SEEDS), "--out", str(out), "--ner", "rules", "-q"], capture_output=True, timeout=300).returncode == 0
    query = "SELECT * WHERE { " + "OPTIONAL { " * 5000 + "?s ?p ?o " + "} " * 5000 + "}"
    result = subprocess.run([sys.executable, "-m", "kg.cli", "query", str(out / "graph.ttl"), query], capture_output=True, timeout=300)
    assert result.returncode == 2 and b"nested" in result.stderr and b"Traceback" not in result.stderr


@pytest.mark.parametrize("typed", ["Nguyễn Văn An", "NGUYỄN văn", "nguyen van an"])
def test_names_match_whatever_diacritics_and_case_the_user_types(store, typed):
    rows = store.run("posts_of_person", {"person": typed}).records()
    assert {(r["personLabel"], r["post"]) for r in rows} == {("Nguyen Van An", "Secretary")}
    assert {r["bodyLabel"] for r in store.run("officials_of_body", {"body": "Hà Tĩnh"}).records()} == {"Ha Tinh Provincial Party Committee"}


def test_date_bounds_on_canned_queries(store):
    assert store.run("co_attendance", {"since": "2023"}).rows and not store.run("co_attendance", {"since": "2024"}).rows
    assert store.run("co_attendance", {"until": "2023-10"}).rows and not store.run("co_attendance", {"until": "2023-09"}).rows
    assert {r["role"] for r in store.run("events_of_official", {"since": "2023-10-09", "until": "2023-10-09"}).records()} == {"chaired", "attended", "spokeAt"}
    assert [r["post"] for r in store.run("posts_of_person", {"person": "an", "since": "2023-01-01"}).records()] == ["Secretary"]
    assert not store.run("officials_of_body", {"until": "2022"}).rows


def test_names_match_whole_words_not_parts_of_words(store):
    from kg.explore.labels import LabelIndex

    assert store.run("campaigns", {"campaign": "rural areas"}).rows
    assert not store.run("campaigns", {"campaign": "rura"}).rows  # part of a word is no match
    index = LabelIndex([("urn:a", "Emulation movement 1"), ("urn:b", "Emulation movement 10"), ("urn:c", "Movement (1)")])
    assert index.find("emulation movement 1") == ["urn:a"]
    assert index.find("Movement 1") == ["urn:a", "urn:c"]
