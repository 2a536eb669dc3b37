"""One event per real event: main events merged across articles."""

from __future__ import annotations

import json
from pathlib import Path

from kg.corpus.events import ALSO_REPORTED, merge_events
from kg.model import Entity, Evidence, Relation

REPORT_A = "हा तिन्ह, 9 अक्टूबर - हा तिन्ह प्रांतीय पार्टी समिति ने सम्मेलन आयोजित किया।\nसम्मेलन में प्रांतीय पार्टी समिति के सचिव गुयेन वान आन ने भाग लिया और भाषण दिया।\n"
REPORT_B = "9 अक्टूबर को हा तिन्ह प्रांतीय पार्टी समिति ने एक सम्मेलन आयोजित किया।\nप्रांतीय पार्टी समिति के सचिव गुयेन वान आन ने सम्मेलन की अध्यक्षता की।\n"


def event(doc: str, date: str = "--10-09", province: str = "ha-tinh") -> Entity:
    return Entity(f"e-{doc}-conference", "Event", "Conference", attrs={"event_type": "conference", "date": date, "province": province, "doc": doc, "main": "true"})


def took_part(person: str, event_id: str, doc: str, predicate: str = "attended") -> Relation:
    return Relation(person, predicate, event_id, Evidence(doc, 0, 0, 1, "s", "rule", 0.8))


def test_two_articles_reporting_one_conference_give_one_event_node(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text(REPORT_A, encoding="utf-8")
    (articles / "b.txt").write_text(REPORT_B, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(articles), "--out", str(out), "--ner", "rules", "-q"])
    assert result.exit_code == 0, result.output
    records = json.loads((out / "extraction.json").read_text(encoding="utf-8"))
    events = {doc["doc"]: [e["id"] for e in doc["entities"] if e["type"] == "Event"] for doc in records}
    assert events["a.txt"] == events["b.txt"] and len(events["a.txt"]) == 1
    turtle = (out / "graph.ttl").read_text(encoding="utf-8")
    assert turtle.count("kg:reportedIn doc:a, doc:b") == 1


def test_a_shared_participant_is_needed_and_kind_day_and_place_must_agree() -> None:
    a, b, c, d = event("a"), event("b"), event("c"), event("d", date="--10-10")
    relations = [took_part("an", a.id, "a"), took_part("an", b.id, "b", "chaired"), took_part("binh", c.id, "c"), took_part("an", d.id, "d")]
    merged = merge_events([a, b, c, d], relations)
    assert merged.id_of == {b.id: a.id}
    kept = {e.id: e for e in merged.entities}
    assert set(kept) == {a.id, c.id, d.id}
    assert json.loads(kept[a.id].attrs[ALSO_REPORTED]) == ["b"]
    assert {(r.subject, r.predicate, r.object) for r in merged.relations} == {("an", "attended", a.id), ("an", "chaired", a.id), ("binh", "attended", c.id), ("an", "attended", d.id)}


def test_events_without_a_date_or_place_are_never_merged() -> None:
    a, b = event("a", date=""), event("b", date="")
    merged = merge_events([a, b], [took_part("an", a.id, "a"), took_part("an", b.id, "b")])
    assert merged.id_of == {} and len(merged.entities) == 2


def test_unshared_same_day_events_are_listed_for_review_and_a_judgement_merges_them(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text(REPORT_A, encoding="utf-8")
    other = "9 अक्टूबर को हा तिन्ह में एक सम्मेलन आयोजित किया गया।\nत्रान थी माई ने सम्मेलन की अध्यक्षता की।\n"  # nobody in common
    (articles / "b.txt").write_text(other, encoding="utf-8")
    out, judgements = tmp_path / "out", tmp_path / "judgements.txt"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(articles), "--out", str(out), "--ner", "rules", "-q"]).exit_code == 0
    review = runner.invoke(main, ["review", str(out / "extraction.json"), "--json"])
    items = [i for i in json.loads(review.output) if "one event?" in i["reason"]]
    assert len(items) == 1, review.output
    a, b = items[0]["a"], items[0]["b"]
    assert runner.invoke(main, ["judge", a, "same", b, "--judgements", str(judgements)]).exit_code == 0
    rebuilt = runner.invoke(main, ["build", str(articles), "--out", str(out), "--ner", "rules", "-q", "--judgements", str(judgements)])
    assert rebuilt.exit_code == 0 and "names no entity" not in rebuilt.output, rebuilt.output
    records = json.loads((out / "extraction.json").read_text(encoding="utf-8"))
    events = {doc["doc"]: [e["id"] for e in doc["entities"] if e["type"] == "Event"] for doc in records}
    assert events["a.txt"] == events["b.txt"] == [min(a, b)]


def test_a_different_judgement_holds_through_a_shared_participant() -> None:
    from kg.corpus.judgements import parse_judgements

    a, b, c = event("a"), event("b"), event("c")
    relations = [took_part("an", a.id, "a"), took_part("an", b.id, "b"), took_part("an", c.id, "c")]
    merged = merge_events([a, b, c], relations, parse_judgements(f"{a.id} different {c.id}\n"))
    assert merged.id_of == {b.id: a.id} and c.id in {e.id for e in merged.entities}
