"""The persistent store (`kg load`), opened by `kg query`, and name parameters bound through the label index."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.corpus.build import build
from kg.explore import labels
from kg.explore.query import canned_queries, load_store
from kg.explore.store import StoreError, info, is_store, load
from kg.extract.ner.rules import RuleRecognizer
from tests.conftest import SEEDS

pytest.importorskip("pyoxigraph")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

NAMES = {
    "officials_of_body": {"body": "Ha Tinh"},
    "events_of_official": {"person": "Nguyen"},
    "co_attendance": {"person": "Tran"},
    "campaigns": {"campaign": "movement 1"},
    "posts_of_person": {"person": "Le "},
    "evidence": {"predicate": "chaired", "subject": "Pham"},
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    build([SEEDS], out, RuleRecognizer(), formats=("turtle", "nq"))
    return out


@pytest.fixture(scope="module")
def store(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("stores") / "store"
    loaded = load(built, directory)
    assert loaded.format == "n_quads" and loaded.quads > 1000
    return directory


def test_load_makes_a_store_kg_query_opens(store: Path, built: Path) -> None:
    assert is_store(store) and info(store)["source"].endswith("graph.nq")
    assert load_store(store)._labels is not None  # the label index comes with the store
    runner = CliRunner()
    from_store = runner.invoke(main, ["query", str(store), "posts_of_person", "-p", "person=Truong Thi Mai", "--format", "json"])
    from_file = runner.invoke(main, ["query", str(built / "graph.ttl"), "posts_of_person", "-p", "person=Truong Thi Mai", "--format", "json", "--store", "rdflib"])
    assert from_store.exit_code == 0 and from_store.output == from_file.output
    assert "Truong Thi Mai" in from_store.output


def test_named_graphs_stay_apart_in_the_store(store: Path) -> None:
    result = load_store(store).select("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert result.rows[0][0] == 5  # one graph per article


def test_loading_again_replaces_the_store(store: Path, built: Path) -> None:
    before = len(load_store(store))
    load(built / "graph.ttl", store)
    assert info(store)["format"] == "turtle" and len(load_store(store)) < before
    load(built, store)
    assert len(load_store(store)) == before


def test_load_refuses_a_folder_that_is_not_a_store(tmp_path: Path, built: Path) -> None:
    (tmp_path / "precious.txt").write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="not a kg store"):
        load(built, tmp_path)
    result = CliRunner().invoke(main, ["load", str(tmp_path), "--store", str(tmp_path / "s")])
    assert result.exit_code == 2 and "no graph.nq" in result.output
    with pytest.raises(StoreError, match="not a kg store"):  # a file where the store would go: one line, no traceback
        load(built, tmp_path / "precious.txt")
    assert (tmp_path / "precious.txt").read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("query", sorted(NAMES))
def test_bound_names_give_the_rows_of_the_filter(query: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench_query import generate

    path = tmp_path / "g.nt"
    path.write_text(generate(6000), encoding="utf-8")
    store = load_store(path)
    bound = store.run(query, NAMES[query])
    monkeypatch.setattr("kg.explore.query.plan_names", lambda text, params, lookup: None)
    assert normal(store.run(query, NAMES[query]).rows) == normal(bound.rows)
    assert bound.rows


def normal(rows: list[tuple]) -> list[tuple]:
    """Rows with GROUP_CONCAT lists sorted: SPARQL leaves their order to the engine's evaluation order."""
    return [tuple(" | ".join(sorted(c.split(" | "))) if isinstance(c, str) and " | " in c else c for c in row) for row in rows]


def test_which_parameters_are_names() -> None:
    texts = {q.name: q.text for q in canned_queries().values()}
    assert labels.entity_variables(texts["evidence"], "subject") == ["s"]
    assert labels.is_name_parameter(texts["evidence"], "subject")
    assert not labels.is_name_parameter(texts["evidence"], "predicate")
    assert labels.entity_variables(texts["co_attendance"], "person") == ["a", "b"]
    assert labels.order_by(texts["co_attendance"]) == [("events", True), ("aLabel", False), ("bLabel", False)]
    plan = labels.plan_names(texts["co_attendance"], {"person": "x"}, lambda name: ["https://w3id.org/kg-vn/id/x"])
    assert len(plan.texts) == 2 and plan.drops[1] == [("a", frozenset({"https://w3id.org/kg-vn/id/x"}))]


def test_a_name_that_matches_nothing_gives_no_rows(store: Path) -> None:
    assert load_store(store).run("posts_of_person", {"person": "nobody at all"}).rows == []


def test_the_api_opens_a_store(store: Path) -> None:
    pytest.importorskip("pandas")
    from kg import api

    graph = api.load_graph(store)
    assert graph.store.name == "oxigraph" and len(graph) > 1000
    assert len(api.sparql(graph, "posts_of_person", person="Truong Thi Mai")) > 0
    assert api.to_networkx(graph).number_of_nodes() > 10 and graph.records() is not None


@pytest.mark.parametrize("engine", ["python", "oxigraph"])
def test_serve_answers_from_a_store(store: Path, engine: str) -> None:
    import json
    import urllib.parse
    import urllib.request

    from kg.explore.serve import free_port, oxigraph_binary, start_server

    if engine == "oxigraph" and oxigraph_binary() is None:
        pytest.skip("no oxigraph server binary")
    running = start_server(store, free_port(), engine=engine, timeout_s=10)
    try:
        query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/kg-vn/ontology#Person> }"})
        with urllib.request.urlopen(f"{running.url}?{query}", timeout=10) as response:
            body = json.loads(response.read())
        assert int(body["results"]["bindings"][0]["n"]["value"]) > 0
    finally:
        running.stop()
    assert is_store(store)  # served in place, left as it was


def test_queries_while_the_store_is_replaced_all_answer(store: Path, built: Path) -> None:
    import threading

    errors: list[BaseException] = []
    counts: list[int] = []
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            try:
                counts.append(len(load_store(store).select("SELECT ?s WHERE { ?s ?p ?o } LIMIT 100").rows))
            except BaseException as error:  # noqa: BLE001 - every failure is the test's finding
                errors.append(error)

    readers = [threading.Thread(target=ask) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for _ in range(3):
            load(built, store)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert not errors and counts and set(counts) == {100}
    assert is_store(store) and store.is_symlink()
    versions = [p for p in store.parent.glob(f".{store.name}.versions/*")]
    assert 1 <= len(versions) <= 2  # the current version and the one before it


def test_the_matched_entities_also_head_each_optional_group_that_uses_them() -> None:
    """Oxigraph hashes a whole OPTIONAL group: restricted to the bound entities it reads the index instead."""
    body = ' ?p kg:holdsPost ?org . OPTIONAL { ?m org:organization ?org ; kg:note "}{" . OPTIONAL { ?m kg:statedOn ?d } } OPTIONAL { ?p rdfs:label ?l } }'
    out = labels.into_optionals(body, "org", "{B}")
    assert out == ' ?p kg:holdsPost ?org . OPTIONAL { {B} ?m org:organization ?org ; kg:note "}{" . OPTIONAL { ?m kg:statedOn ?d } } OPTIONAL { ?p rdfs:label ?l } }'
    assert labels.into_optionals(body, "orgs", "{B}") == body  # ?org is not ?orgs


def test_the_store_indexes_its_labels_and_a_store_of_an_older_kg_still_binds_names(store: Path) -> None:
    import json

    from kg.explore.label_db import StoredLabelIndex
    from kg.explore.store import LABEL_DB, LABELS, current_store, read_labels

    folder = current_store(store)
    stored = load_store(store)._labels
    assert isinstance(stored, StoredLabelIndex)
    rows = stored.connection.execute("SELECT iri, label, words FROM label ORDER BY row").fetchall()
    assert rows and all(words == labels.words_of(label) for _, label, words in rows)  # folded once, at load
    in_memory = labels.LabelIndex(rows)
    for name in ("Truong Thi Mai", "truong thi", "Ha Tinh", "mai truong", "Vietnam"):
        assert stored.find(name) == in_memory.find(name), name
    wanted = stored.find("Truong Thi Mai")
    assert wanted
    index = folder / LABEL_DB
    kept = index.read_bytes()
    try:
        index.unlink()  # a store an older kg made: its labels as JSON
        (folder / LABELS).write_text(json.dumps([[iri, label] for iri, label, _ in rows]), encoding="utf-8")
        assert load_store(store)._labels.find("Truong Thi Mai") == wanted
        (folder / LABELS).write_text('[["x"]]', encoding="utf-8")  # not a labels file: the index comes from the store
        assert read_labels(folder) is None
        assert load_store(store).label_index().find("Truong Thi Mai") == wanted
        index.write_bytes(b"not a database")  # a damaged index: the store still answers
        assert load_store(store).label_index().find("Truong Thi Mai") == wanted
    finally:
        (folder / LABELS).unlink(missing_ok=True)
        index.write_bytes(kept)
