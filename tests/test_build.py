"""End to end: the seed articles through every stage, checked on real content."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kg.corpus.build import build
from kg.extract.ner.select import make_recognizer


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    from tests.conftest import SEEDS

    out = tmp_path_factory.mktemp("out")
    report = build([SEEDS], out, make_recognizer("rules"))
    return out, report


def records(out: Path) -> dict[str, dict]:
    return {r["doc"]: r for r in json.loads((out / "extraction.json").read_text(encoding="utf-8"))}


def entity_by_label(record: dict, label: str) -> dict:
    matches = [e for e in record["entities"] if e["label"].lower() == label.lower()]
    assert matches, f"no entity labelled {label!r} in {record['doc']}"
    return matches[0]


def test_outputs_exist_and_report_counts(built) -> None:
    out, report = built
    assert report.documents == 5 and not report.skipped
    for name in ("graph.ttl", "graph.html", "extraction.json"):
        assert (out / name).stat().st_size > 0
    assert report.entities["Person"] >= 8
    assert report.triples > 100


def test_mai_van_tuat_chaired_the_ninh_binh_conference(built) -> None:
    out, _ = built
    record = records(out)["001_b169a4b563e49ab1.txt"]
    person = entity_by_label(record, "Mai Van Tuat")
    events = [e for e in record["entities"] if e["type"] == "Event" and e.get("attrs", {}).get("main") == "true"]
    assert len(events) == 1
    relations = {(r["s"], r["p"], r["o"]) for r in record["relations"]}
    assert (person["id"], "chaired", events[0]["id"]) in relations
    assert (events[0]["id"], "locatedIn", "ninh-binh") in relations


def test_mai_van_tuat_holds_a_post_in_the_provincial_party_committee(built) -> None:
    out, _ = built
    record = records(out)["001_b169a4b563e49ab1.txt"]
    person = entity_by_label(record, "Mai Van Tuat")
    committee = entity_by_label(record, "Ninh Binh Provincial Party Committee")
    posts = [r for r in record["relations"] if r["s"] == person["id"] and r["p"] == "holdsPost"]
    assert committee["id"] in {r["o"] for r in posts}
    evidence = posts[0]["evidence"][0]
    text = (Path("seeds") / "001_b169a4b563e49ab1.txt")
    source = (Path(__file__).resolve().parent.parent / text).read_text(encoding="utf-8")
    assert source[evidence["start"] : evidence["end"]] in evidence["text"]


def test_truong_thi_mai_holds_a_post_in_the_secretariat(built) -> None:
    out, _ = built
    record = records(out)["000_6c5f65b621f6c69c.txt"]
    person = entity_by_label(record, "Truong Thi Mai")
    orgs = {r["o"] for r in record["relations"] if r["s"] == person["id"] and r["p"] == "holdsPost"}
    assert "party-secretariat" in orgs


def test_national_bodies_merge_across_documents_and_languages(built) -> None:
    out, _ = built
    docs = records(out)
    front_hi = entity_by_label(docs["001_b169a4b563e49ab1.txt"], "Vietnam Fatherland Front")
    front_ar = entity_by_label(docs["002_2eb9fc4c6954d307.txt"], "Vietnam Fatherland Front")
    assert front_hi["id"] == front_ar["id"]


def test_provincial_committees_stay_apart(built) -> None:
    out, _ = built
    docs = records(out)
    ninh_binh = entity_by_label(docs["001_b169a4b563e49ab1.txt"], "Ninh Binh Provincial Party Committee")
    lao_cai = entity_by_label(docs["004_1475deab2fd511b9.txt"], "Lao Cai Provincial Party Committee")
    assert ninh_binh["id"] != lao_cai["id"]


def test_turtle_reparses_with_a_second_parser(built) -> None:
    import pyoxigraph
    import rdflib

    out, report = built
    data = (out / "graph.ttl").read_bytes()
    rdflib_count = len(rdflib.Graph().parse(data=data, format="turtle"))
    oxigraph_count = len(list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE)))
    assert rdflib_count == oxigraph_count == report.triples


def test_graph_conforms_to_the_shapes(built) -> None:
    import pyshacl
    import rdflib

    out, _ = built
    root = Path(__file__).resolve().parent.parent
    data = rdflib.Graph().parse(out / "graph.ttl")
    shapes = rdflib.Graph().parse(root / "ontology" / "shapes.ttl")
    ontology = rdflib.Graph().parse(root / "ontology" / "kg.ttl")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none")
    assert conforms, text


def test_two_builds_give_byte_identical_turtle(built, tmp_path: Path) -> None:
    from tests.conftest import SEEDS

    out, _ = built
    build([SEEDS], tmp_path, make_recognizer("rules"))
    assert (tmp_path / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()
    assert (tmp_path / "extraction.json").read_bytes() == (out / "extraction.json").read_bytes()


def test_a_failed_build_keeps_the_previous_outputs(built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import SEEDS

    build([SEEDS], tmp_path, make_recognizer("rules"))
    before = (tmp_path / "graph.ttl").read_bytes()

    def broken(triples, handle, *args, **kwargs):
        handle.write("@prefix half-written")  # the stream fails part-way
        raise RuntimeError("disk full")

    monkeypatch.setattr("kg.graph.turtle_stream.write_turtle", broken)
    with pytest.raises(RuntimeError):
        build([SEEDS], tmp_path, make_recognizer("rules"))
    assert (tmp_path / "graph.ttl").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert [p.name for p in (tmp_path / ".builds").iterdir() if p.name != ".lock"] == [os.readlink(tmp_path / ".current").split("/")[-1]]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_extraction_json_is_written_one_record_at_a_time_as_json_dumps_would(count: int) -> None:
    import io
    import json

    from kg.graph.export import write_records

    records = [{"doc": f"d{i}.txt", "entities": [{"id": "x", "mentions": ["a\nb", "ق"]}], "relations": [], "source_url": None} for i in range(count)]
    handle = io.StringIO()
    assert write_records(iter(records), handle) == count
    assert handle.getvalue() == json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def test_a_build_says_each_step_after_the_articles(tmp_path: Path) -> None:
    """What a long build shows after its progress bar: merging, then each file as it is written."""
    from tests.conftest import SEEDS

    steps: list[str] = []
    build([SEEDS], tmp_path / "out", make_recognizer("rules"), formats=("turtle", "nt"), stage=steps.append)
    assert steps == ["merging 5 articles", "writing graph.html", "writing graph.ttl", "writing graph.nt", "writing extraction.json"]

