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
