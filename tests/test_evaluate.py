"""`kg eval` scoring: exact numbers on tiny hand-made gold/prediction pairs."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from kg.evaluate.scores import EvalError, EvalReport, evaluate, fold_label, fold_mention, format_report


def ent(id_: str, type_: str, label: str, mentions: list[str], **extra: Any) -> dict[str, Any]:
    return {"id": id_, "type": type_, "label": label, "mentions": mentions, **extra}


def rel(s: str, p: str, o: str, **extra: Any) -> dict[str, Any]:
    return {"s": s, "p": p, "o": o, **extra}


def doc(name: str, entities: list[dict], relations: list[dict] | None = None, lang: str = "hi") -> dict[str, Any]:
    return {"doc": name, "lang": lang, "entities": entities, "relations": relations or []}


def write_gold(root: Path, docs: list[dict]) -> Path:
    gold = root / "gold"
    gold.mkdir(exist_ok=True)
    for d in docs:
        (gold / (d["doc"].removesuffix(".txt") + ".json")).write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    return gold


def score(tmp_path: Path, gold: list[dict], pred: Any) -> EvalReport:
    gold_dir = write_gold(tmp_path, gold)
    pred_path = tmp_path / "pred.json"
    pred_path.write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")
    return evaluate(gold_dir, pred_path)


GOLD_A = doc(
    "a.txt",
    [
        ent("mai", "Person", "Truong Thi Mai", ["माई", "त्रुओंग थी माई"]),
        ent("hoai", "Person", "Bui Thi Minh Hoai", ["बुई थी मिन्ह होई"]),
        ent("secretariat", "Organization", "Secretariat", ["सचिवालय"]),
        ent("e-a-conference", "Event", "Conference", []),
    ],
    [
        rel("mai", "spokeAt", "e-a-conference"),
        rel("hoai", "attended", "e-a-conference"),
        rel("mai", "holdsPost", "secretariat", post="Standing Member"),
    ],
)


def perfect_prediction() -> dict[str, Any]:
    """GOLD_A with other ids, a main-event flag and extra keys: must score 1.0."""
    return doc(
        "a.txt",
        [
            ent("person:mai", "Person", "Trương Thị Mai", ["त्रुओंग थी माई", "माई"]),
            ent("person:hoai", "Person", "bui thi minh hoai", ["बुई थी मिन्ह होई"], posts=[]),
            ent("org:sec", "Organization", "The Secretariat", ["सचिवालय"]),
            ent("event:a-main", "Event", "A conference", [], attrs={"doc": "a", "main": "true"}),
        ],
        [
            rel("person:mai", "spokeAt", "event:a-main", evidence=[{"text": "..."}]),
            rel("person:hoai", "attended", "event:a-main"),
            rel("person:mai", "holdsPost", "org:sec", post="Member"),
        ],
    )


def all_ones(report: EvalReport) -> None:
    for name, s in {**report.mentions, "overall": report.mentions_overall}.items():
        assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0), name
    for name, s in {**report.relations, "overall": report.relations_overall}.items():
        assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0), name
    b = report.resolution
    assert b.items > 0 and (b.precision, b.recall, b.f1) == (1.0, 1.0, 1.0)
    assert report.labels.accuracy == 1.0 and report.labels.total > 0


def test_perfect_prediction_with_other_ids(tmp_path: Path) -> None:
    report = score(tmp_path, [GOLD_A], [perfect_prediction()])
    all_ones(report)
    assert report.alignment["a.txt"] == {"mai": "person:mai", "hoai": "person:hoai", "secretariat": "org:sec", "e-a-conference": "event:a-main"}
    assert report.mentions["Person"].gold == 3 and report.relations["holdsPost"].correct == 1


def test_real_gold_against_itself(gold_dir: Path, tmp_path: Path) -> None:
    all_ones(evaluate(gold_dir, gold_dir))
    # as one list file, and with a copied directory
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))]
    (tmp_path / "all.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    copy = tmp_path / "gold"
    shutil.copytree(gold_dir, copy)
    report = evaluate(copy, tmp_path / "all.json")
    all_ones(report)
    assert report.to_dict()["mentions"]["overall"]["f1"] == 1.0
    assert len(report.documents) == len(records)


def test_real_gold_with_renamed_ids_and_events(gold_dir: Path, tmp_path: Path) -> None:
    """A corpus-wide bijective renaming of ids, entities in another order: still 1.0 everywhere."""
    records = []
    for path in sorted(gold_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        rename = {e["id"]: ("event/" if e["type"] == "Event" else "x:") + e["id"] for e in data["entities"]}
        for e in data["entities"]:
            e["id"] = rename[e["id"]]
        for r in data["relations"]:
            r["s"], r["o"] = rename[r["s"]], rename[r["o"]]
        data["entities"].reverse()
        records.append(data)
    (tmp_path / "p.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    all_ones(evaluate(gold_dir, tmp_path / "p.json"))


def test_one_missed_mention(tmp_path: Path) -> None:
    pred = perfect_prediction()
    pred["entities"][0]["mentions"] = ["त्रुओंग थी माई"]  # "माई" missed
    report = score(tmp_path, [GOLD_A], [pred])
    person = report.mentions["Person"]
    assert (person.gold, person.pred, person.correct) == (3, 2, 2)
    assert person.precision == 1.0 and person.recall == pytest.approx(2 / 3) and person.f1 == pytest.approx(0.8)
    overall = report.mentions_overall
    assert (overall.gold, overall.pred, overall.correct) == (4, 3, 3)
    # the missed mention is not a B-cubed item; everything else is perfect
    assert report.resolution.items == 3 and report.resolution.f1 == 1.0
    assert report.relations_overall.f1 == 1.0


def test_spurious_and_mistyped_mentions(tmp_path: Path) -> None:
    pred = perfect_prediction()
    pred["entities"][2]["type"] = "Campaign"  # Secretariat predicted with the wrong type
    pred["entities"].append(ent("x", "Location", "Hanoi", ["हनोई"]))
    report = score(tmp_path, [GOLD_A], [pred])
    org, camp, loc = report.mentions["Organization"], report.mentions["Campaign"], report.mentions["Location"]
    assert (org.gold, org.pred, org.correct) == (1, 0, 0)
    assert (camp.gold, camp.pred, camp.correct) == (0, 1, 0) and camp.precision == 0.0
    assert (loc.gold, loc.pred, loc.correct) == (0, 1, 0)
    overall = report.mentions_overall
    assert (overall.gold, overall.pred, overall.correct) == (4, 5, 3)
    # alignment ignores the type: the relation to the secretariat still counts
    assert report.alignment["a.txt"]["secretariat"] == "org:sec"
    assert report.relations["holdsPost"].correct == 1


def test_wrong_merge_b_cubed(tmp_path: Path) -> None:
    """Gold {m1, m2} {h}; predicted {m1, m2, h}: P = (2/3 + 2/3 + 1/3) / 3 = 5/9, R = 1, F1 = 5/7."""
    pred = perfect_prediction()
    pred["entities"][0]["mentions"].append("बुई थी मिन्ह होई")
    del pred["entities"][1]
    pred["relations"] = [r for r in pred["relations"] if r["s"] != "person:hoai"]
    report = score(tmp_path, [GOLD_A], [pred])
    b = report.resolution
    # 4 items: 3 person mentions in one predicted cluster, the secretariat alone
    assert b.items == 4
    assert b.precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    assert b.recall == 1.0
    assert b.f1 == pytest.approx(2 * b.precision / (b.precision + 1))
    # Hoai is aligned to the merged entity, whose label is Mai's: one label wrong
    assert report.alignment["a.txt"]["hoai"] == "person:mai"
    assert (report.labels.correct, report.labels.total) == (1, 2)


def test_wrong_merge_b_cubed_exact(tmp_path: Path) -> None:
    gold = doc("m.txt", [ent("a", "Person", "A", ["a1", "a2"]), ent("b", "Person", "B", ["b1"])])
    pred = doc("m.txt", [ent("x", "Person", "A", ["a1", "a2", "b1"])])
    b = score(tmp_path, [gold], [pred]).resolution
    assert b.items == 3
    assert b.precision == pytest.approx(5 / 9) and b.recall == 1.0 and b.f1 == pytest.approx(5 / 7)


def test_cross_document_split_and_merge(tmp_path: Path) -> None:
    """Same gold id in two documents, two predicted ids: recall 1/2; the reverse: precision 1/2."""
    gold = [doc("d1.txt", [ent("mai", "Person", "Mai", ["m"])]), doc("d2.txt", [ent("mai", "Person", "Mai", ["m"])])]
    split = [doc("d1.txt", [ent("p1", "Person", "Mai", ["m"])]), doc("d2.txt", [ent("p2", "Person", "Mai", ["m"])])]
    b = score(tmp_path, gold, split).resolution
    assert (b.items, b.precision, b.recall) == (2, 1.0, 0.5)
    gold2 = [doc("d1.txt", [ent("a", "Person", "A", ["m"])]), doc("d2.txt", [ent("b", "Person", "B", ["n"])])]
    merged = [doc("d1.txt", [ent("p", "Person", "A", ["m"])]), doc("d2.txt", [ent("p", "Person", "A", ["n"])])]
    second = tmp_path / "second"
    second.mkdir()
    b = score(second, gold2, merged).resolution
    assert (b.items, b.precision, b.recall) == (2, 0.5, 1.0)


def test_relations_per_predicate(tmp_path: Path) -> None:
    pred = perfect_prediction()
    pred["relations"] = [
        rel("person:mai", "spokeAt", "event:a-main"),  # correct
        rel("person:mai", "spokeAt", "event:a-main", evidence={"x": 1}),  # duplicate: counted once
        rel("person:hoai", "chaired", "event:a-main"),  # wrong predicate (gold: attended)
        rel("org:sec", "organized", "event:a-main"),  # spurious
    ]
    report = score(tmp_path, [GOLD_A], [pred])
    r = report.relations
    assert (r["spokeAt"].gold, r["spokeAt"].pred, r["spokeAt"].correct) == (1, 1, 1)
    assert (r["attended"].gold, r["attended"].pred, r["attended"].correct) == (1, 0, 0)
    assert (r["chaired"].gold, r["chaired"].pred, r["chaired"].correct) == (0, 1, 0)
    assert (r["holdsPost"].gold, r["holdsPost"].pred, r["holdsPost"].correct) == (1, 0, 0)
    overall = report.relations_overall
    assert (overall.gold, overall.pred, overall.correct) == (3, 3, 1)
    assert overall.precision == pytest.approx(1 / 3) and overall.recall == pytest.approx(1 / 3)


def test_relations_direction_and_unaligned(tmp_path: Path) -> None:
    pred = perfect_prediction()
    pred["entities"] = [e for e in pred["entities"] if e["id"] != "person:hoai"]
    pred["relations"] = [rel("event:a-main", "spokeAt", "person:mai"), rel("person:hoai", "attended", "event:a-main")]
    report = score(tmp_path, [GOLD_A], [pred])
    assert report.alignment["a.txt"]["hoai"] is None
    assert report.relations_overall.correct == 0  # reversed direction and an unaligned subject never match


def test_event_alignment_prefers_shared_mentions_then_main(tmp_path: Path) -> None:
    gold = doc(
        "e.txt",
        [
            ent("mai", "Person", "Mai", ["माई"]),
            ent("e-main", "Event", "Conference", []),
            ent("congress", "Event", "13th Congress", ["13वीं कांग्रेस"]),
        ],
        [rel("mai", "spokeAt", "e-main")],
    )
    pred = doc(
        "e.txt",
        [
            ent("ev:congress", "Event", "Congress", ["13वीं कांग्रेस"]),
            ent("ev:other", "Event", "Other", ["कुछ"]),
            ent("ev:e-main", "Event", "Conference", []),
            ent("p", "Person", "Mai", ["माई"]),
        ],
        [rel("p", "spokeAt", "ev:e-main")],
    )
    report = score(tmp_path, [gold], [pred])
    assert report.alignment["e.txt"] == {"mai": "p", "e-main": "ev:e-main", "congress": "ev:congress"}
    assert report.relations_overall.f1 == 1.0


def test_named_event_not_found_stays_unaligned(tmp_path: Path) -> None:
    gold = doc("e.txt", [ent("e-main", "Event", "Conference", []), ent("congress", "Event", "Congress", ["कांग्रेस"])])
    pred = doc("e.txt", [ent("ev1", "Event", "Conference", [])])
    report = score(tmp_path, [gold], [pred])
    assert report.alignment["e.txt"] == {"e-main": "ev1", "congress": None}


def test_labels_case_and_diacritics(tmp_path: Path) -> None:
    assert fold_label("Trương  Thị Mai") == fold_label("truong thi mai")
    assert fold_label("Đỗ Văn Chiến") == "do van chien"
    pred = perfect_prediction()
    pred["entities"][1]["label"] = "Bui Thi Minh Hoa"  # wrong
    report = score(tmp_path, [GOLD_A], [pred])
    assert (report.labels.correct, report.labels.total) == (1, 2)
    assert report.labels.wrong == [{"doc": "a.txt", "gold": "Bui Thi Minh Hoai", "predicted": "Bui Thi Minh Hoa"}]


def test_mention_folding(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Trương Thị Mai")
    assert fold_mention(" Trương \n Thị\u00a0Mai ") == fold_mention(decomposed) == unicodedata.normalize("NFC", "Trương Thị Mai")
    gold = doc("f.txt", [ent("mai", "Person", "Truong Thi Mai", ["Trương Thị Mai"])])
    pred = doc("f.txt", [ent("p", "Person", "Truong Thi Mai", [decomposed.replace(" ", "  ")])])
    all_ones(score(tmp_path, [gold], [pred]))


def test_missing_prediction_scores_as_misses(tmp_path: Path) -> None:
    other = doc("b.txt", [ent("x", "Location", "Hanoi", ["हनोई"])], [])
    report = score(tmp_path, [GOLD_A, other], [perfect_prediction()])
    assert report.missing_predictions == ["b.txt"]
    assert report.mentions["Location"].gold == 1 and report.mentions["Location"].recall == 0.0
    assert report.alignment["b.txt"] == {"x": None}
    assert report.mentions_overall.recall == pytest.approx(4 / 5)


def test_prediction_shapes(tmp_path: Path) -> None:
    gold_dir = write_gold(tmp_path, [GOLD_A])
    single = tmp_path / "single.json"
    single.write_text(json.dumps(perfect_prediction(), ensure_ascii=False), encoding="utf-8")
    all_ones(evaluate(gold_dir, single))
    folder = tmp_path / "preds"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps([perfect_prediction()], ensure_ascii=False), encoding="utf-8")
    all_ones(evaluate(gold_dir, folder))


@pytest.mark.parametrize(
    ("pred", "message"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps([{"doc": "a.txt", "entities": []}]), "missing key 'relations'"),
        (json.dumps([{"doc": "a.txt", "entities": [{"id": "x", "mentions": []}], "relations": []}]), "missing key 'type'"),
        (json.dumps([{"doc": "a.txt", "entities": [], "relations": [{"s": "x", "p": "chaired"}]}]), "missing key 'o'"),
        (json.dumps([doc("zzz.txt", [])]), "'zzz.txt' is not in the gold set"),
        (json.dumps([doc("a.txt", []), doc("a.txt", [])]), "predicted twice"),
        (json.dumps(["a.txt"]), "expected a document object"),
    ],
)
def test_errors_name_file_and_problem(tmp_path: Path, pred: str, message: str) -> None:
    gold_dir = write_gold(tmp_path, [GOLD_A])
    path = tmp_path / "pred.json"
    path.write_text(pred, encoding="utf-8")
    with pytest.raises(EvalError) as error:
        evaluate(gold_dir, path)
    text = str(error.value)
    assert message in text and "pred.json" in text and "\n" not in text


def test_bad_gold_file(tmp_path: Path) -> None:
    gold_dir = write_gold(tmp_path, [GOLD_A])
    (gold_dir / "broken.json").write_text('{"doc": "b.txt", "entities": [{"id": "x", "type": "Person", "mentions": []}], "relations": []}')
    pred = tmp_path / "p.json"
    pred.write_text(json.dumps([perfect_prediction()]), encoding="utf-8")
    with pytest.raises(EvalError, match=r"broken\.json.*missing key 'label'"):
        evaluate(gold_dir, pred)
    (gold_dir / "broken.json").unlink()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(EvalError, match="no gold"):
        evaluate(empty, pred)
    with pytest.raises(EvalError, match="not found"):
        evaluate(gold_dir, tmp_path / "nope.json")


def test_format_report_and_to_dict(tmp_path: Path) -> None:
    pred = perfect_prediction()
    pred["relations"].pop()
    report = score(tmp_path, [GOLD_A], [pred])
    text = format_report(report)
    for needle in ("Mentions", "Person", "B-cubed", "Relations", "holdsPost", "spokeAt", "Labels", "gold", "pred", "correct"):
        assert needle in text
    holds = next(line for line in text.splitlines() if line.strip().startswith("holdsPost"))
    assert holds.split()[1:4] == ["1", "0", "0"]
    data = report.to_dict()
    json.dumps(data)  # plain JSON types
    assert data["relations"]["overall"] == {"gold": 3, "pred": 2, "correct": 2, "precision": 1.0, "recall": pytest.approx(2 / 3, abs=1e-6), "f1": pytest.approx(0.8)}
    assert data["resolution"]["b_cubed"]["f1"] == 1.0
    assert data["labels"]["accuracy"] == 1.0


def test_main_event_flag_wins(tmp_path: Path) -> None:
    gold = doc("001_abcdef.txt", [ent("e-001-conference", "Event", "Conference", [])])
    pred = doc(
        "001_abcdef.txt",
        [
            ent("ev:x", "Event", "Meeting", []),
            ent("ev:other-doc", "Event", "Elsewhere", [], attrs={"doc": "002_zzzzzz", "main": "true"}),
            ent("e-001_abcdef-conference", "Event", "Conference", [], attrs={"doc": "001_abcdef", "main": "true"}),
        ],
    )
    report = score(tmp_path, [gold], [pred])
    assert report.alignment["001_abcdef.txt"] == {"e-001-conference": "e-001_abcdef-conference"}


def test_gold_relation_with_an_unknown_id_is_refused(tmp_path) -> None:
    import json

    import pytest

    from kg.evaluate.scores import EvalError, evaluate

    gold = tmp_path / "gold"
    gold.mkdir()
    doc = {"doc": "a.txt", "lang": "hi", "entities": [{"id": "x", "type": "Person", "label": "X", "mentions": ["x"]}],
           "relations": [{"s": "x", "p": "attended", "o": "missing"}]}
    (gold / "a.json").write_text(json.dumps(doc), encoding="utf-8")
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps([{**doc, "relations": []}]), encoding="utf-8")
    with pytest.raises(EvalError, match="a.json.*unknown entity id 'missing'"):
        evaluate(gold, pred)
