"""The NER training-data generator: deterministic, well-formed, built for the domain."""

from __future__ import annotations

import json

import pytest

from kg.extract.ner.training.generate import (
    LABELS,
    Generator,
    generate,
    glue,
    load_fillers,
    load_templates,
    tag_tokens,
    write_dataset,
)
from kg.extract.tokenize import tokenize_span


@pytest.mark.parametrize("lang", ["hi", "ar"])
def test_templates_are_many_and_use_slots(lang: str) -> None:
    templates = load_templates(lang)
    assert len(templates) >= 60
    assert len(set(templates)) == len(templates)
    joined = "\n".join(templates)
    for slot in ("{PER}", "{POST}", "{ORG}", "{CAMP}", "{LOC}", "{PEOPLE}", "{TITLE}", "{DIST}"):
        assert slot in joined


@pytest.mark.parametrize("lang", ["hi", "ar"])
def test_same_seed_same_sentences(lang: str) -> None:
    assert generate(lang, 50, seed=7) == generate(lang, 50, seed=7)
    assert generate(lang, 50, seed=7) != generate(lang, 50, seed=8)


def well_formed_bio(tags: list[str]) -> bool:
    previous = "O"
    for tag in tags:
        if tag == "O":
            previous = tag
            continue
        prefix, _, label = tag.partition("-")
        if prefix not in ("B", "I") or label not in LABELS:
            return False
        if prefix == "I" and previous[2:] != label:
            return False
        previous = tag
    return True


@pytest.mark.parametrize("lang", ["hi", "ar"])
def test_tags_are_well_formed_bio_over_project_tokens(lang: str) -> None:
    sentences = generate(lang, 300, seed=3)
    labels_seen = set()
    for sentence in sentences:
        tokens = [t for t, _ in sentence]
        tags = [tag for _, tag in sentence]
        assert tokens and well_formed_bio(tags), sentence
        # The tokens are exactly what the project's tokenizer makes of the sentence.
        text = " ".join(tokens)
        assert [t.text for t in tokenize_span(text, 0, len(text))] == tokens
        labels_seen.update(tag[2:] for tag in tags if tag != "O")
    assert labels_seen == set(LABELS)


@pytest.mark.parametrize("lang", ["hi", "ar"])
def test_titles_are_never_part_of_a_person(lang: str) -> None:
    titles = set(load_fillers(lang).get("TITLE"))
    for sentence in generate(lang, 300, seed=5):
        for token, tag in sentence:
            if tag.endswith("PER"):
                assert token not in titles


def test_generated_names_use_the_syllable_tables() -> None:
    generator = Generator("hi", seed=11)
    syllables = {s for surfaces in generator.fillers.syllables.values() for s in surfaces}
    for _ in range(100):
        name = generator.person()
        assert 2 <= len(name.split()) <= 4
        assert all(part in syllables for part in name.split())


def test_arabic_proclitic_glues_to_the_body_and_drops_the_alif() -> None:
    assert glue("حضر ممثلو ل", "اللجنة الشعبية") == "حضر ممثلو للجنة الشعبية"
    assert glue("رئيس ل", "الحزب") == "رئيس للحزب"
    assert glue("و", "جبهة الوطن") == "وجبهة الوطن"
    tagged = tag_tokens("وحضر رئيس للجنة الحزب", [(11, 21, "ORG")])
    assert tagged == [("وحضر", "O"), ("رئيس", "O"), ("للجنة", "B-ORG"), ("الحزب", "I-ORG")]


def test_write_dataset_is_stanza_json(tmp_path) -> None:  # noqa: ANN001
    train, dev = write_dataset("ar", tmp_path, 20, 5, seed=1)
    data = json.loads(train.read_text(encoding="utf-8"))
    assert len(data) == 20 and len(json.loads(dev.read_text(encoding="utf-8"))) == 5
    assert all(set(token) == {"text", "ner"} for sentence in data for token in sentence)


def test_train_ner_trains_on_gold_and_silver_into_a_folder_and_cross_validates(tmp_path) -> None:  # noqa: ANN001
    """A tiny generated gold set and corpus: the command writes both models, a report, and nothing in the package."""
    import hashlib

    from click.testing import CliRunner

    from kg.cli import main
    from kg.extract.ner.training.train import SHIPPED_MODELS

    gold, texts, corpus = tmp_path / "gold", tmp_path / "texts", tmp_path / "corpus"
    for folder in (gold, texts, corpus):
        folder.mkdir()
    sentences = {
        "hi": ["गुयेन वान आन ने हा तिन्ह प्रांतीय पार्टी समिति के सम्मेलन में भाग लिया।", "त्रान थी माई ने भाषण दिया।"],
        "ar": ["شارك نجوين فان آن في مؤتمر لجنة الحزب في ها تينه.", "ألقت تران ثي ماي كلمة."],
    }
    people = {"hi": ["गुयेन वान आन", "त्रान थी माई"], "ar": ["نجوين فان آن", "تران ثي ماي"]}
    for lang in ("hi", "ar"):
        for n in range(2):
            doc = f"{lang}{n}.txt"
            (texts / doc).write_text(sentences[lang][n], encoding="utf-8")
            entity = {"id": f"p{n}", "type": "Person", "label": "X", "mentions": [people[lang][n]]}
            (gold / f"{lang}{n}.json").write_text(json.dumps({"doc": doc, "lang": lang, "entities": [entity], "relations": []}), encoding="utf-8")
    lines = []
    for lang in ("hi", "ar"):
        text = " ".join(sentences[lang])
        raw = text.encode("utf-8")
        doc = f"page-{lang}.txt"
        (corpus / doc).write_bytes(raw)
        lines.append(json.dumps({"doc": doc, "lang": lang, "url": f"https://www.vietnam.vn/{lang}/page-{lang}", "query": "q", "sha256": hashlib.sha256(raw).hexdigest(), "chars": len(text)}))
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = {p: p.stat().st_mtime_ns for p in SHIPPED_MODELS.rglob("*.pt")}
    out = tmp_path / "models"
    args = ["train-ner", "--gold", str(gold), "--texts", str(texts), "--corpus", str(corpus), "--manifest", str(manifest),
            "--templates", "20", "--steps", "10", "--folds", "2", "--out", str(out), "-q"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "cross-validated over 4 articles in 2 folds" in result.output
    for lang in ("hi", "ar"):
        meta = json.loads((out / lang / "model.json").read_text(encoding="utf-8"))
        assert meta["data"]["gold_articles"] == 2 and meta["data"]["silver_pages"] == 1
        assert meta["filters"] in ("open", "strict") and (out / lang / f"kg-{lang}-ner-v1.pt").stat().st_size > 0
    report = json.loads((out / "cross-validation.json").read_text(encoding="utf-8"))
    assert len(report["folds"]) == 2 and set(report["total"]) >= {"rules", "combined open"}
    assert {p: p.stat().st_mtime_ns for p in SHIPPED_MODELS.rglob("*.pt")} == before
    again = tmp_path / "again"  # the same data and seed give the same model bytes
    assert CliRunner().invoke(main, args[:-7] + ["--lang", "hi", "--steps", "10", "--out", str(again), "-q"]).exit_code == 0
    for lang in ("hi",):
        assert (again / lang / f"kg-{lang}-ner-v1.pt").read_bytes() == (out / lang / f"kg-{lang}-ner-v1.pt").read_bytes(), lang


def test_train_ner_refuses_a_corpus_none_of_whose_pages_match(tmp_path) -> None:  # noqa: ANN001
    from click.testing import CliRunner

    from kg.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"doc": "a.txt", "lang": "hi", "url": "https://www.vietnam.vn/hi/a", "query": "q", "sha256": "0" * 64, "chars": 1}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["train-ner", "--corpus", str(corpus), "--manifest", str(manifest), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "none of the 1 manifest pages" in result.output
