"""kg train-relations on a tiny annotated set written here: labels, folds, thresholds, same bytes twice, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("sklearn")

from kg.cli import main  # noqa: E402
from kg.extract.decide import load_model  # noqa: E402
from kg.extract.ner.rules import RuleRecognizer  # noqa: E402
from kg.learn.examples import collect  # noqa: E402
from kg.learn.fit import best_threshold, folds_by_article  # noqa: E402

ARTICLES = {
    "t1_hi": (
        "hi",
        "सम्मेलन में केंद्रीय संगठन विभाग के उप प्रमुख कॉमरेड गुयेन क्वांग डुओंग और कॉमरेड दो वियत आन्ह भी उपस्थित थे।\n"
        "कॉमरेड गुयेन क्वांग डुओंग ने सम्मेलन में भाषण दिया।",
        [
            ("nguyen-quang-duong", "Person", "Nguyen Quang Duong", ["गुयेन क्वांग डुओंग"]),
            ("do-viet-anh", "Person", "Do Viet Anh", ["दो वियत आन्ह"]),
            ("central-organization-commission", "Organization", "Central Organization Commission", ["केंद्रीय संगठन विभाग"]),
            ("e-t1-conference", "Event", "Conference", []),
        ],
        [
            ("nguyen-quang-duong", "attended", "e-t1-conference"),
            ("do-viet-anh", "attended", "e-t1-conference"),
            ("nguyen-quang-duong", "spokeAt", "e-t1-conference"),
            ("nguyen-quang-duong", "holdsPost", "central-organization-commission"),
        ],
    ),
    "t2_hi": (
        "hi",
        "सम्मेलन आयोजित हुआ। सम्मेलन में कॉमरेड दो वियत आन्ह उपस्थित थे। कॉमरेड माई वान तुआट ने सम्मेलन में भाषण दिया।",
        [
            ("do-viet-anh", "Person", "Do Viet Anh", ["दो वियत आन्ह"]),
            ("mai-van-tuat", "Person", "Mai Van Tuat", ["माई वान तुआट"]),
            ("e-t2-conference", "Event", "Conference", []),
        ],
        [("do-viet-anh", "attended", "e-t2-conference"), ("mai-van-tuat", "spokeAt", "e-t2-conference")],
    ),
    "t3_ar": (
        "ar",
        "في صباح يوم 9 أكتوبر، عقدت لجنة الحزب الإقليمية ها تينه مؤتمرا في عام 2023. "
        "وحضر المؤتمر نائب رئيس اللجنة الشعبية الإقليمية لي نجوك تشاو.",
        [
            ("le-ngoc-chau", "Person", "Le Ngoc Chau", ["لي نجوك تشاو"]),
            ("e-t3-conference", "Event", "Conference", []),
        ],
        [("le-ngoc-chau", "attended", "e-t3-conference")],
    ),
    "t4_ar": (
        "ar",
        "عقد المؤتمر في ها تينه. حضر الرفيق في تو ليو وألقى الموضوع.",
        [
            ("vi-tu-lieu", "Person", "Vi Tu Lieu", ["في تو ليو"]),
            ("e-t4-conference", "Event", "Conference", []),
        ],
        [("vi-tu-lieu", "attended", "e-t4-conference"), ("vi-tu-lieu", "spokeAt", "e-t4-conference")],
    ),
}


@pytest.fixture
def annotated(tmp_path: Path) -> tuple[Path, Path]:
    gold, texts = tmp_path / "gold", tmp_path / "texts"
    gold.mkdir()
    texts.mkdir()
    for name, (lang, text, entities, relations) in ARTICLES.items():
        (texts / f"{name}.txt").write_text(text, encoding="utf-8")
        record = {
            "doc": f"{name}.txt",
            "lang": lang,
            "entities": [{"id": i, "type": t, "label": label, "mentions": m} for i, t, label, m in entities],
            "relations": [{"s": s, "p": p, "o": o} for s, p, o in relations],
        }
        (gold / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return gold, texts


def test_candidates_are_labelled_through_the_scorers_alignment(annotated: tuple[Path, Path]) -> None:
    articles = collect(*annotated, RuleRecognizer())
    first = next(a for a in articles if a.name == "t1_hi.txt")
    positives = {(first.reading.entities[c.subject].label, c.predicate) for c, label in zip(first.candidates, first.labels) if label}
    assert {("Nguyen Quang Duong", "attended"), ("Do Viet Anh", "attended"), ("Nguyen Quang Duong", "spokeAt"), ("Nguyen Quang Duong", "holdsPost")} <= positives
    assert ("Do Viet Anh", "spokeAt") not in positives
    assert first.own_event == first.reading.event.id


def test_folds_hold_each_language_apart_evenly() -> None:
    class Article:
        def __init__(self, lang: str) -> None:
            self.lang = lang

    articles = [Article("hi")] * 6 + [Article("ar")] * 4
    folds = folds_by_article(articles, 2, seed=7)  # type: ignore[arg-type]
    assert sorted(i for f in folds for i in f) == list(range(10))
    for fold in folds:
        assert sum(1 for i in fold if articles[i].lang == "hi") == 3 and sum(1 for i in fold if articles[i].lang == "ar") == 2
    assert folds == folds_by_article(articles, 2, seed=7)  # type: ignore[arg-type]


def test_the_threshold_maximises_f1_counting_unreachable_gold() -> None:
    scored = [(0.9, 1, False), (0.8, 1, False), (0.6, 0, False), (0.3, 1, False), (0.1, 0, False)]
    assert best_threshold(scored, unreachable=0) == pytest.approx(0.2)  # keeping the top four: F1 6/7
    assert best_threshold([(0.9, 1, False), (0.5, 0, False)], unreachable=5) == pytest.approx(0.7)


def test_train_relations_writes_the_same_weights_twice(annotated: tuple[Path, Path], tmp_path: Path) -> None:
    gold, texts = annotated
    runner = CliRunner()
    outputs = []
    for n in (1, 2):
        out = tmp_path / f"w{n}.json"
        result = runner.invoke(main, ["train-relations", "--gold", str(gold), "--texts", str(texts), "--out", str(out), "--folds", "2", "--ner", "rules", "-q"])
        assert result.exit_code == 0, result.output
        assert "cross-validated" in result.output and "weights:" in result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    model = load_model(tmp_path / "w1.json")
    assert model.decides("attended") and model.own_event is not None
    data = json.loads(outputs[0])
    assert data["trained_on"] == sorted(f"{name}.txt" for name in ARTICLES)


def test_a_gold_file_without_its_text_is_one_clear_error(annotated: tuple[Path, Path], tmp_path: Path) -> None:
    gold, texts = annotated
    (texts / "t2_hi.txt").unlink()
    result = CliRunner().invoke(main, ["train-relations", "--gold", str(gold), "--texts", str(texts), "--out", str(tmp_path / "w.json"), "--ner", "rules", "-q"])
    assert result.exit_code == 2
    assert "t2_hi.txt" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "w.json").exists()


def test_an_unreadable_text_is_one_clear_error(annotated: tuple[Path, Path], tmp_path: Path) -> None:
    gold, texts = annotated
    (texts / "t2_hi.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = CliRunner().invoke(main, ["train-relations", "--gold", str(gold), "--texts", str(texts), "--out", str(tmp_path / "w.json"), "--ner", "rules", "-q"])
    assert result.exit_code == 2 and "t2_hi.txt" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "w.json").exists()


def test_the_threshold_is_the_middle_of_equally_good_ones() -> None:
    # F1 2/3 keeping the top two, five or eight: the middle threshold, not the edge.
    probabilities = [0.95, 0.85, 0.75, 0.65, 0.55, 0.45, 0.35, 0.25]
    labels = [1, 1, 0, 0, 1, 0, 0, 1]
    assert best_threshold([(p, label, False) for p, label in zip(probabilities, labels)], unreachable=0) == pytest.approx(0.5)
