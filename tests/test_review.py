"""kg review: uncertain pairs with evidence and score; kg judge appends decisions."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kg.corpus.judgements import load_judgements, parse_judgements
from kg.corpus.review import judge_command, review_command, review_items


def person(entity_id: str, label: str, mention: str, org: str | None = None) -> dict:
    return {"id": entity_id, "type": "Person", "label": label, "mentions": [mention], "posts": [{"title": "Secretary", "org": org}] if org else []}


def committee(province: str) -> dict:
    return {"id": f"{province}-provincial-party-committee", "type": "Organization", "label": "x", "mentions": [], "attrs": {"province": province}}


RECORDS = [
    {"doc": "a.txt", "lang": "hi", "entities": [person("mai-van-tuat", "Mai Van Tuat", "माई वान तुआट", "ninh-binh-provincial-party-committee"), committee("ninh-binh")], "relations": []},
    {"doc": "b.txt", "lang": "ar", "entities": [person("mai-van-tuat-1a2b3c4d", "Mai Van Tuat", "ماي فان توات", "lao-cai-provincial-party-committee"), committee("lao-cai"), person("truong-van-an", "Truong Van An", "ترونج فان آن")], "relations": []},
    {"doc": "c.txt", "lang": "hi", "entities": [person("trung-van-an", "Trung Van An", "त्रुंग वान आन")], "relations": []},
]


def test_namesakes_kept_apart_are_listed_with_their_posts_and_provinces() -> None:
    items = review_items(RECORDS)
    first = items[0]
    assert (first.a, first.b, first.score) == ("mai-van-tuat", "mai-van-tuat-1a2b3c4d", 1.0)
    assert "[ninh-binh]" in first.evidence[0] and "[lao-cai]" in first.evidence[1]


def test_similar_names_the_table_reads_differently_are_listed_below_full_score() -> None:
    pair = next(i for i in review_items(RECORDS) if {i.a, i.b} == {"truong-van-an", "trung-van-an"})
    assert 0 < pair.score < 1


def test_judged_pairs_are_not_listed_again() -> None:
    judged = parse_judgements("Mai Van Tuat different mai-van-tuat-1a2b3c4d\ntrung-van-an unsure truong-van-an\n")
    assert review_items(RECORDS, judged) == []


def test_review_and_judge_commands(tmp_path) -> None:
    extraction = tmp_path / "extraction.json"
    extraction.write_text(json.dumps(RECORDS, ensure_ascii=False), encoding="utf-8")
    judgements = tmp_path / "judgements.txt"
    runner = CliRunner()
    shown = runner.invoke(review_command, [str(extraction), "--judgements", str(judgements)])
    assert shown.exit_code == 0 and "mai-van-tuat  ?  mai-van-tuat-1a2b3c4d" in shown.output
    judged = runner.invoke(judge_command, ["mai-van-tuat", "different", "mai-van-tuat-1a2b3c4d", "--judgements", str(judgements)])
    assert judged.exit_code == 0
    assert [j.verdict for j in load_judgements(judgements)] == ["different"]
    shown = runner.invoke(review_command, [str(extraction), "--judgements", str(judgements), "--json"])
    assert [(i["a"], i["b"]) for i in json.loads(shown.output)] == [("trung-van-an", "truong-van-an")]


def test_unreadable_extraction_is_one_line() -> None:
    result = CliRunner().invoke(review_command, ["/dev/null"])
    assert result.exit_code != 0 and "Traceback" not in result.output
