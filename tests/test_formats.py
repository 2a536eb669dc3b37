"""kg.explore.formats: RDF exports, GraphML, CSV, and the entity graph from RDF and from extraction.json."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest
import rdflib
from rdflib.compare import isomorphic
from test_query import SMALL_TTL

from kg.explore.formats import ExportError, export, load_networkx, records_to_networkx


@pytest.fixture()
def graph_file(tmp_path):
    path = tmp_path / "graph.ttl"
    path.write_text(SMALL_TTL, encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix,fmt", [(".ttl", "turtle"), (".nt", "nt"), (".jsonld", "json-ld")])
def test_rdf_exports_round_trip(graph_file, tmp_path, suffix, fmt):
    (out,) = export(graph_file, tmp_path / f"x{suffix}")
    original = rdflib.Graph().parse(graph_file)
    assert isomorphic(original, rdflib.Graph().parse(out, format=fmt))


def test_n_triples_are_sorted_and_stable(graph_file, tmp_path):
    first = export(graph_file, tmp_path / "a.nt")[0].read_text(encoding="utf-8")
    assert first == export(graph_file, tmp_path / "b.nt")[0].read_text(encoding="utf-8")
    assert first.splitlines() == sorted(first.splitlines())


def test_entity_graph_from_rdf(graph_file):
    g = load_networkx(graph_file)
    assert g.nodes["nguyen-van-an"]["type"] == "Person"
    assert g.nodes["nguyen-van-an"]["posts"] == ["Secretary"]
    assert g.nodes["nguyen-van-an"]["mentions"] == ["गुयेन वान आन"]
    edge = g.edges["nguyen-van-an", "e-d1", "chaired"]
    assert edge["evidence"] == ["Nguyen Van An chaired the conference."] and edge["confidence"] == 0.9
    assert g.edges["nguyen-van-an", "ha-tinh-pc", "holdsPost"]["post"] == "Secretary"


def test_graphml_opens_in_networkx_with_scalar_attributes(graph_file, tmp_path):
    (out,) = export(graph_file, tmp_path / "g.graphml")
    g = nx.read_graphml(out)
    assert g.number_of_nodes() == 6 and g.number_of_edges() == 6
    assert g.nodes["tran-quoc-cuong"]["label"] == "Tran Quoc Cuong <script>"


def test_csv_nodes_and_edges(graph_file, tmp_path):
    nodes, edges = export(graph_file, tmp_path / "g.csv")
    node_rows = list(csv.DictReader(nodes.open(encoding="utf-8")))
    edge_rows = list(csv.DictReader(edges.open(encoding="utf-8")))
    assert {r["id"] for r in node_rows} >= {"nguyen-van-an", "ha-tinh-pc"}
    assert {(r["source"], r["predicate"], r["target"]) for r in edge_rows} >= {("nguyen-van-an", "chaired", "e-d1")}


def test_extraction_json_gives_the_same_shape():
    records = [
        {
            "doc": "d1.txt",
            "entities": [
                {"id": "a", "type": "Person", "label": "A", "mentions": ["ए"], "posts": [{"title": "Secretary", "org": "b"}]},
                {"id": "b", "type": "Organization", "label": "B", "mentions": ["बी"]},
            ],
            "relations": [{"s": "a", "p": "holdsPost", "o": "b", "post": "Secretary", "evidence": [{"doc_id": "d1", "text": "A is Secretary of B.", "rule": "r", "confidence": 0.7}]}],
        }
    ]
    g = records_to_networkx(records)
    assert g.nodes["a"]["docs"] == ["d1"] and g.nodes["a"]["posts"] == ["Secretary"]
    assert g.edges["a", "b", "holdsPost"]["evidence"] == ["A is Secretary of B."]


def test_errors_are_one_line(graph_file, tmp_path):
    with pytest.raises(ExportError, match="cannot tell the export format"):
        export(graph_file, tmp_path / "x.unknown")
    with pytest.raises(ExportError, match="no such directory"):
        export(graph_file, tmp_path / "missing" / "x.ttl")
    with pytest.raises(ExportError, match="no such graph file"):
        export(tmp_path / "none.ttl", tmp_path / "x.ttl")
    bad = tmp_path / "extraction.json"
    bad.write_text(json.dumps({"not": "a list"}), encoding="utf-8")
    with pytest.raises(ExportError, match="not an extraction.json"):
        load_networkx(bad)


# ------------------------------------------------------------------ issue #14

FORMULAS = ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "＝1+1"]


def test_csv_cells_that_look_like_formulas_are_neutralised(tmp_path):
    """OWASP CSV injection: labels and file names from scraped articles never reach a spreadsheet as formulas."""
    records = [
        {
            "doc": "=cmd|' /C calc'!A0.txt",
            "lang": "hi",
            "entities": [{"id": f"e{i}", "type": "Person", "label": label, "mentions": [label]} for i, label in enumerate(FORMULAS)]
            + [{"id": "org", "type": "Organization", "label": "Plain", "mentions": []}],
            "relations": [{"s": "e0", "p": "memberOf", "o": "org", "evidence": [{"text": "@evidence", "doc_id": "-doc", "rule": "+r", "confidence": 0.5}]}],
        }
    ]
    source = tmp_path / "extraction.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    nodes, edges = export(source, tmp_path / "g.csv")
    cells = [cell for path in (nodes, edges) for row in csv.reader(path.open(encoding="utf-8", newline="")) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r", "＝")]
    labels = {row["id"]: row["label"] for row in csv.DictReader(nodes.open(encoding="utf-8", newline=""))}
    assert labels["e0"] == "'" + FORMULAS[0] and labels["org"] == "Plain"
    edge = next(csv.DictReader(edges.open(encoding="utf-8", newline="")))
    assert edge["evidence"] == "'@evidence" and edge["confidence"] == "0.5"


def test_query_csv_neutralises_formulas_but_not_numbers():
    from kg.explore.query import Result, format_result

    text = format_result(Result(["label", "n"], [("=1+1", -3), ("@x", 2)]), "csv")
    assert text.splitlines() == ["label,n", "'=1+1,-3", "'@x,2"]
    assert format_result(Result(["label"], [("-x",)]), "tsv").splitlines()[1] == "'-x"


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "graphml", "csv"])
def test_export_into_a_read_only_folder_is_one_line(graph_file, tmp_path, monkeypatch, fmt):
    """Root writes anywhere, so the refusal is simulated at the file creation."""
    import errno
    import os

    import kg.files

    def refused(path, content):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(kg.files, "write_file", refused)
    with pytest.raises(ExportError, match="cannot write .permission denied.") as error:
        export(graph_file, tmp_path / f"x.{fmt}")
    assert "\n" not in str(error.value)
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]


def test_export_keeps_the_umask(graph_file, tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        (out,) = export(graph_file, tmp_path / "x.nt")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_graphml_edge_ids_are_unique(graph_file, tmp_path):
    import re

    from kg.explore.formats import export

    target = tmp_path / "g.graphml"
    export(graph_file, target)
    ids = re.findall(r'<edge [^>]*id="([^"]*)"', target.read_text(encoding="utf-8"))
    assert len(ids) == len(set(ids)) == nx.read_graphml(target).number_of_edges() > 1


def test_jsonld_context_has_terms_and_round_trips(graph_file, tmp_path):
    import json

    import rdflib
    from rdflib.compare import isomorphic

    from kg.explore.formats import export, load_rdf

    target = tmp_path / "g.jsonld"
    export(graph_file, target)
    data = json.loads(target.read_text(encoding="utf-8"))
    keys = {k for node in data["@graph"] for k in node}
    assert {"confidence", "label", "chaired", "sentenceText", "postTitle"} <= keys
    assert not {k for k in keys if k.startswith("kg:")}
    assert data["@context"]["confidence"]["@id"] == "kg:confidence" and data["@context"]["chaired"]["@type"] == "@id"
    assert isomorphic(rdflib.Graph().parse(target, format="json-ld"), load_rdf(graph_file))


def test_a_format_contradicting_the_suffix_is_refused(graph_file, tmp_path):
    from kg.explore.formats import ExportError, export

    with pytest.raises(ExportError, match="suffix .ttl means turtle, not graphml"):
        export(graph_file, tmp_path / "g.ttl", "graphml")
    assert not (tmp_path / "g.ttl").exists()
    assert export(graph_file, tmp_path / "g.xml", "graphml") == [tmp_path / "g.xml"]  # a suffix of no format: --format decides


@pytest.mark.parametrize("suffix", [".graphml", ".json", ".csv"])
def test_projection_into_a_read_only_folder_is_one_line(tmp_path, monkeypatch, suffix):
    import errno

    import kg.files
    from kg.explore.projections import write_projection

    def refused(path, content):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(kg.files, "write_file", refused)
    proj = nx.Graph(projection="co-attendance")
    proj.add_edge("a", "b", weight=1)
    with pytest.raises(ExportError, match="cannot write .permission denied."):
        write_projection(proj, tmp_path / f"p{suffix}")


def test_gexf_has_gephi_timeline_spells_from_event_and_post_dates(graph_file, tmp_path):
    (out,) = export(graph_file, tmp_path / "g.gexf")
    g = nx.read_gexf(out)
    assert g.graph["mode"] == "dynamic"
    event = g.nodes["e-d1"]
    assert event["label"] == "Conference in Ha Tinh" and event["start"] == event["end"] == "2023-10-09"
    assert "start" not in g.nodes["nguyen-van-an"]  # persons and bodies are always there
    chaired = [d for s, t, d in g.edges(data=True) if (s, t) == ("nguyen-van-an", "e-d1")]
    assert chaired and chaired[0]["start"] == "2023-10-09"
    assert 'timeformat="date"' in out.read_text(encoding="utf-8")


def test_ftm_export_validates_with_followthemoney(graph_file, tmp_path):
    model = pytest.importorskip("followthemoney").model
    (out,) = export(graph_file, tmp_path / "graph.ftm.json")
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    proxies = {item["id"]: model.get_proxy(item, cleaned=False) for item in items}
    for item in items:  # every value survives the model's own cleaning: nothing invalid was written
        assert {k: sorted(v) for k, v in proxies[item["id"]].to_dict()["properties"].items()} == {k: sorted(v) for k, v in item["properties"].items()}
    assert proxies["kg-nguyen-van-an"].schema.name == "Person" and proxies["kg-nguyen-van-an"].get("alias") == ["गुयेन वान आन"]
    event = proxies["kg-e-d1"]
    assert event.schema.name == "Event" and event.get("date") == ["2023-10-09"]
    assert set(event.get("involved")) >= {"kg-nguyen-van-an", "kg-le-thi-binh", "kg-tran-quoc-cuong"}
    membership = next(p for p in proxies.values() if p.schema.name == "Membership")
    assert membership.get("member") == ["kg-nguyen-van-an"] and membership.get("role") == ["Secretary"] and membership.get("date") == ["2023-10-09"]
    assert export(graph_file, tmp_path / "g.json", "ftm")  # --format ftm with any name
