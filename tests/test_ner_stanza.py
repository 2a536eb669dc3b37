"""Stanza backend (model resolution, offline loading, spans) and the rules+Stanza merge."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from kg.model import Mention
from kg.extract.ner.combine import combine
from kg.extract.ner.stanza_backend import (
    SHIPPED_DIR,
    ModelNotFound,
    MultiLanguageStanza,
    StanzaRecognizer,
    describe_model,
    proclitic_length,
    resolve_model,
)
from kg.extract.tokenize import tokenize
from tests.conftest import make_document


@pytest.fixture
def no_user_models(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("KG_NER_MODEL", "KG_STANZA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(tmp_path / "stanza_resources"))
    return tmp_path


# -- model resolution ---------------------------------------------------------


def fake_model(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a real model")
    return path


def test_shipped_model_when_nothing_is_installed(no_user_models: Path) -> None:
    choice = resolve_model("hi")
    assert choice.origin == "shipped"
    assert choice.path.parent == SHIPPED_DIR / "hi"
    assert (choice.path.parent / "resources.json").exists()
    assert choice.model_id == "kg-hi-ner-v1"
    assert "kg-hi-ner-v1" in describe_model("hi")


def test_official_models_win_over_shipped(no_user_models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = no_user_models / "stanza_resources"
    fake_model(root / "ar" / "ner" / "aqmar.pt")
    fake_model(root / "ar" / "pretrain" / "conll17.pt")
    choice = resolve_model("ar")
    assert (choice.origin, choice.path.name, choice.pretrain.name) == ("official", "aqmar.pt", "conll17.pt")
    assert resolve_model("hi").origin == "shipped"


def test_explicit_path_and_env_win_over_everything(no_user_models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_model(no_user_models / "stanza_resources" / "hi" / "ner" / "official.pt")
    mine = fake_model(no_user_models / "mine" / "hi" / "my-model.pt")
    assert resolve_model("hi", no_user_models / "mine").path == mine
    monkeypatch.setenv("KG_NER_MODEL", str(mine))
    assert resolve_model("hi").path == mine
    monkeypatch.delenv("KG_NER_MODEL")
    other = fake_model(no_user_models / "other" / "hi" / "ner" / "x.pt")
    monkeypatch.setenv("KG_STANZA_DIR", str(no_user_models / "other"))
    assert resolve_model("hi").path == other


def test_missing_model_is_reported(no_user_models: Path) -> None:
    with pytest.raises(ModelNotFound):
        resolve_model("hi", no_user_models / "nowhere")
    assert not MultiLanguageStanza(no_user_models / "nowhere").available()
    assert describe_model("xx").startswith("none")


def test_shipped_models_are_small() -> None:
    for lang in ("hi", "ar"):
        files = list((SHIPPED_DIR / lang).glob("*.pt"))
        assert files, f"no shipped model for {lang}"
        assert all(f.stat().st_size < 20 * 1024 * 1024 for f in files)


# -- Arabic proclitics ----------------------------------------------------------


def test_arabic_proclitics_are_left_out() -> None:
    assert proclitic_length("وجبهة", "ar") == 1
    assert proclitic_length("للجنة", "ar") == 1
    assert proclitic_length("والحزب", "ar") == 1
    assert proclitic_length("لجنة", "ar") == 0
    assert proclitic_length("جبهة", "ar") == 0
    assert proclitic_length("وجبهة", "hi") == 0


# -- loading the real model offline ---------------------------------------------


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003
        raise AssertionError("the Stanza backend tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.model
@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        ("hi", "सम्मेलन में प्रांतीय पार्टी समिति के सचिव कॉमरेड न्गुयेन वान हंग ने भाषण दिया।", "न्गुयेन वान हंग"),
        ("ar", "وحضر المؤتمر رئيس اللجنة الشعبية الإقليمية تران فان هونج.", "تران فان هونج"),
    ],
)
def test_backend_finds_a_person_offline(offline: None, lang: str, text: str, name: str) -> None:
    recognizer = StanzaRecognizer(lang, SHIPPED_DIR)
    document = make_document(text, lang=lang)
    mentions = recognizer.recognize(document, tokenize(document))
    for m in mentions:
        assert document.text[m.start : m.end] == m.text
        assert m.source == f"stanza:kg-{lang}-ner-v1"
        assert m.type in ("Person", "Organization", "Location", "Campaign")
    assert ("Person", name) in {(m.type, m.text) for m in mentions}


@pytest.mark.model
def test_arabic_mention_starts_after_the_proclitic(offline: None) -> None:
    text = "وأشاد الرفيق بجهود لجنة الحزب الإقليمية ولجبهة الوطن الفيتنامية."
    document = make_document(text, lang="ar")
    mentions = StanzaRecognizer("ar", SHIPPED_DIR).recognize(document, tokenize(document))
    organizations = {m.text for m in mentions if m.type == "Organization"}
    assert organizations and not any(o[0] in "وب" for o in organizations)


# -- combine --------------------------------------------------------------------


def mention(start: int, end: int, type_: str, source: str, text: str = "x") -> Mention:
    return Mention("d", 0, start, end, text * (end - start), type_, source)


def test_stanza_adds_what_no_rule_covers() -> None:
    rule = mention(0, 5, "Organization", "rule:lexicon:body")
    extra = mention(10, 20, "Person", "stanza:m")
    assert combine([rule], [extra]) == [rule, extra]


def test_rule_wins_on_the_same_span_and_on_type() -> None:
    rule = mention(0, 5, "Organization", "rule:grammar:core")
    assert combine([rule], [mention(0, 5, "Location", "stanza:m")]) == [rule]
    assert combine([rule], [mention(0, 5, "Organization", "stanza:m")]) == [rule]


def test_stanza_inside_or_crossing_a_rule_span_is_dropped() -> None:
    rule = mention(10, 30, "Organization", "rule:grammar:chain")
    assert combine([rule], [mention(12, 20, "Location", "stanza:m")]) == [rule]
    assert combine([rule], [mention(25, 40, "Organization", "stanza:m")]) == [rule]


def test_longer_stanza_span_of_the_same_type_replaces_a_non_lexicon_rule() -> None:
    rule = mention(10, 20, "Person", "rule:syllables")
    longer = mention(10, 26, "Person", "stanza:m")
    assert combine([rule], [longer]) == [longer]


def test_lexicon_hits_win_over_a_covering_stanza_span() -> None:
    rule = mention(10, 20, "Organization", "rule:lexicon:body")
    assert combine([rule], [mention(5, 20, "Organization", "stanza:m")]) == [rule]
    person = mention(10, 20, "Person", "rule:syllables")
    assert combine([person], [mention(5, 25, "Organization", "stanza:m")]) == [person]


def test_nested_rule_mentions_survive_a_replacement() -> None:
    outer = mention(0, 20, "Organization", "rule:grammar:chain")
    inner = mention(10, 20, "Organization", "rule:grammar:core")
    longer = mention(0, 30, "Organization", "stanza:m")
    assert combine([outer, inner], [longer]) == [longer, inner]


def test_stanza_mentions_never_overlap_each_other() -> None:
    result = combine([], [mention(0, 10, "Person", "stanza:m"), mention(5, 15, "Location", "stanza:m")])
    assert len(result) == 1


def test_a_much_longer_stanza_span_does_not_replace_a_rule() -> None:
    rule = Mention("d", 0, 0, 9, "لجنة الحزب", "Organization", "rule:grammar:core")
    long = Mention("d", 0, 0, 40, "لجنة الحزب بشأن الحلول والتوجيهات القيادية", "Organization", "stanza:m")
    assert combine([rule], [long]) == [rule]


# -- which quoted spans may be campaigns ----------------------------------------


def quote_span(tokens: tuple, words: str) -> tuple[int, int]:
    texts = [t.text for t in tokens]
    first = texts.index(words.split()[0])
    return first, first + len(words.split()) - 1


@pytest.mark.parametrize(
    ("lang", "text", "name", "cued"),
    [
        ("hi", 'संघ ने "हरित गली" अभियान शुरू किया।', "हरित गली", True),
        ("hi", 'अभियान शुरू हुआ, फिर वार्ड के "सुंदर शहर" के निर्माण में योगदान दिया।', "सुंदर शहर", False),
        ("ar", 'أطلقت اللجنة حملة "بيئة نظيفة" في المقاطعة.', "بيئة نظيفة", True),
        ("ar", 'نظم الاتحاد الاجتماع تحت شعار "صوت المرأة".', "صوت المرأة", False),
    ],
)
def test_a_stanza_campaign_needs_a_cue_in_its_clause(lang: str, text: str, name: str, cued: bool) -> None:
    document = make_document(text, lang=lang)
    tokens = tokenize(document)[0].tokens
    first, last = quote_span(tokens, name)
    assert StanzaRecognizer(lang, SHIPPED_DIR).cued_campaign(tokens, first, last) is cued


@pytest.mark.parametrize(
    ("lang", "text", "span", "breaks"),
    [
        ("hi", "कार्यकारी समिति, स्थायी समिति में शामिल", "कार्यकारी समिति, स्थायी समिति", True),
        ("ar", "شارك ممثلو لاتحاد واللجان في الاجتماع", "لاتحاد واللجان", True),
        ("ar", "ناقشت لجنة الحزب بشأن الحلول", "لجنة الحزب بشأن الحلول", True),
        ("ar", "عقدت لجنة التوجيه المركزية مؤتمرا", "لجنة التوجيه المركزية", False),
    ],
)
def test_a_stanza_span_no_body_name_can_be_is_dropped(lang: str, text: str, span: str, breaks: bool) -> None:
    document = make_document(text, lang=lang)
    tokens = tokenize(document)[0].tokens
    first, last = quote_span(tokens, span)
    assert StanzaRecognizer(lang, SHIPPED_DIR).breaks_body_grammar(tokens, first, last) is breaks


def test_an_unknown_one_word_place_is_not_a_place() -> None:
    recognizer = StanzaRecognizer("hi", SHIPPED_DIR)
    tokens = tokenize(make_document("दो दिन तक हा तिन्ह और विन्ह में कार्यक्रम हुए।", lang="hi"))[0].tokens
    texts = [t.text for t in tokens]
    assert not recognizer.is_place_name(tokens, texts.index("दो"), texts.index("दो"))
    assert recognizer.is_place_name(tokens, texts.index("हा"), texts.index("तिन्ह"))


# -- which sentences Stanza reads ------------------------------------------------


def test_stanza_reads_only_sentences_the_rules_left_candidates_in() -> None:
    from kg.extract.ner.rules import RuleRecognizer
    from kg.extract.ner.select import leaves_candidates

    # Every name and body explained by the rules: nothing for the model to add.
    explained = make_document("प्रांतीय पार्टी समिति के सचिव कॉमरेड न्गुयेन वान हंग ने भाषण दिया।", lang="hi")
    sentence = tokenize(explained)[0]
    assert not leaves_candidates("hi", sentence, RuleRecognizer().recognize(explained, [sentence]))
    # A body head noun the rules did not take into a mention: the model may read a name there.
    open_ = make_document("बैठक में समिति ने निर्णय लिया।", lang="hi")
    sentence = tokenize(open_)[0]
    mentions = RuleRecognizer().recognize(open_, [sentence])
    assert not any(m.type == "Organization" for m in mentions)
    assert leaves_candidates("hi", sentence, mentions)
