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


# ------------------------------------------------------------------ issue #14
import pytest  # noqa: E402

from kg.cli import main  # noqa: E402

WRONG_SHAPES = {
    "an object": ({"doc": "a.txt"}, "expected a list of documents, got dict"),
    "an empty list": ([], "no documents"),
    "a list of numbers": ([1, 2], "document 1: expected an object, got int"),
    "no entities": ([{"doc": "a.txt"}], "missing key 'entities'"),
    "entities as an object": ([{"doc": "a.txt", "entities": {}}], "'entities' is dict"),
    "an entity id as a number": ([{"doc": "a.txt", "entities": [{"id": 1, "type": "Person", "label": "P"}]}], "'id' is int"),
    "a post without a title": ([{"doc": "a.txt", "entities": [{"id": "p", "type": "Person", "label": "P", "posts": [{"org": "x"}]}]}], "missing key 'title'"),
    "a relation without an object": ([{"doc": "a.txt", "entities": [], "relations": [{"s": "a", "p": "chaired"}]}], "missing key 'o'"),
    "a gold file (one object)": ({"doc": "a.txt", "lang": "hi", "entities": [], "relations": []}, "expected a list of documents"),
}


@pytest.mark.parametrize("data, reason", WRONG_SHAPES.values(), ids=WRONG_SHAPES.keys())
@pytest.mark.parametrize("command", ["review", "viz"])
def test_an_extraction_of_the_wrong_shape_is_one_line(tmp_path, data, reason, command) -> None:
    path = tmp_path / "extraction.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    args = [command, str(path)] + (["--out", str(tmp_path / "page.html")] if command == "viz" else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0, result.output
    assert reason in result.output and "not an extraction.json" in result.output
    assert "Traceback" not in result.output and result.output.strip().count("\n") == 0
    assert not (tmp_path / "page.html").exists()


def test_judge_refuses_a_broken_id_and_writes_nothing(tmp_path) -> None:
    judgements = tmp_path / "judgements.txt"
    for bad in ("a\nb", "a\tb", ""):
        result = CliRunner().invoke(judge_command, [bad, "same", "b", "--judgements", str(judgements)])
        assert result.exit_code != 0 and "Traceback" not in result.output
    assert not judgements.exists()


def test_an_entity_without_a_label_is_one_line_for_review_and_viz(tmp_path) -> None:  # noqa: ANN001
    import json

    from click.testing import CliRunner

    from kg.cli import main
    from kg.corpus.build import build
    from kg.extract.ner.rules import RuleRecognizer
    from tests.conftest import SEEDS

    build([SEEDS], tmp_path / "out", RuleRecognizer())
    records = json.loads((tmp_path / "out" / "extraction.json").read_text(encoding="utf-8"))
    del records[0]["entities"][0]["label"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    for args in (["review", str(bad)], ["viz", str(bad), "--out", str(tmp_path / "page.html")]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code != 0 and "missing key 'label'" in result.output and "Traceback" not in result.output, args
    assert not (tmp_path / "page.html").exists()
