"""The resource loader: surface patterns, word classes and their errors (kg/extract/resources.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import resources
from kg.extract.lexicon import resource_lexicon
from kg.extract.tokenize import tokenize_span
from kg.extract.resources import (
    LANGUAGES,
    PATTERN_TABLES,
    ResourceError,
    expand_text,
    load_table,
    read_table,
    read_word_classes,
)

CLASSES = {"and": ("und", "sowie"), "head": ("amt", "kommission"), "empty-ok": ("x",)}


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "pattern, surfaces",
    [
        ("rat der stadt", ["rat der stadt"]),
        ("(zentral|land) amt", ["zentral amt", "land amt"]),
        ("(a b|c) d", ["a b d", "c d"]),
        ("zentral [partei] amt", ["zentral partei amt", "zentral amt"]),
        ("zentral [partei|staat] amt", ["zentral partei amt", "zentral staat amt", "zentral amt"]),
        ("presse {and} werbung", ["presse und werbung", "presse sowie werbung"]),
        ("((a|b) [c]|d) e", ["a c e", "a e", "b c e", "b e", "d e"]),
        ("[{and} (x|y)] z", ["und x z", "und y z", "sowie x z", "sowie y z", "z"]),
        ("w(a|b)c", ["wac", "wbc"]),  # inside a word, as Arabic و(أخلاقه|أخلاقياته)
        ("amt[, bezirk]", ["amt, bezirk", "amt"]),
        ("  a  [b]  c ", ["a b c", "a c"]),  # spaces collapse around an omitted part
        ("nachricht \\(vna\\) \\[1\\] \\{x\\} a\\|b c\\\\d", ["nachricht (vna) [1] {x} a|b c\\d"]),
        ("(a|a) [a|a]", ["a a", "a"]),  # duplicates dropped, first kept
    ],
)
def test_patterns_expand(pattern: str, surfaces: list[str]) -> None:
    assert list(expand_text(pattern, CLASSES)) == surfaces


def test_the_leftmost_choice_varies_slowest() -> None:
    assert list(expand_text("(a|b) (c|d) {and}", CLASSES)) == [
        "a c und", "a c sowie", "a d und", "a d sowie", "b c und", "b c sowie", "b d und", "b d sowie",
    ]


def test_expansion_is_the_same_every_time() -> None:
    pattern = "[(zentral|land)] (presse|werbung [{and} kultur]) {head}"
    first = expand_text(pattern, CLASSES)
    assert len(first) == 3 * 4 * 2
    assert all(expand_text(pattern, dict(CLASSES)) == first for _ in range(5))


def test_surfaces_are_nfc_after_expansion() -> None:
    # alef, then hamza above or below: joined, they compose to أ and إ
    assert expand_text("\u0627(\u0654|\u0655)", {}) == ("\u0623", "\u0625")


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("a (b c", "unbalanced '(' at character 3: no ')' closes it"),
        ("a [b (c|d]", "unbalanced ']' at character 10 (the bracket at character 6 wants ')')"),
        ("a b) c", "unbalanced ')' at character 4"),
        ("a } b", "unbalanced '}' at character 3"),
        ("a | b", "'|' at character 3 is outside ( ) or [ ]"),
        ("a {and b", "'{' at character 3 is not a word class name in braces"),
        ("a {an d} b", "'{' at character 3 is not a word class name in braces"),
        ("a () b", "empty '()' at character 3"),
        ("a b\\", "'\\' at the end"),
        ("a {nope} b", "unknown word class {nope} at character 3"),
        ("[a] [b]", "can stand for an empty surface"),
    ],
)
def test_malformed_patterns_say_where_and_what(pattern: str, message: str) -> None:
    with pytest.raises(ResourceError) as error:
        expand_text(pattern, CLASSES, "bodies.tsv:7")
    text = str(error.value)
    assert text.startswith("bodies.tsv:7: ") and message in text, text
    assert repr(pattern) in text


def test_an_unknown_class_lists_the_known_ones() -> None:
    with pytest.raises(ResourceError, match=r"the word classes of pattern_words\.tsv: and, empty-ok, head"):
        expand_text("{ands}", CLASSES)


def test_a_pattern_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "MAX_EXPANSIONS", 7)
    assert len(expand_text("(a|b|c|d|e|f|g)", CLASSES)) == 7
    with pytest.raises(ResourceError, match="stands for 8 surfaces, more than 7"):
        expand_text("(a|b) (c|d) (e|f)", CLASSES, "t.tsv:1")


def test_read_table_expands_first_columns_and_copies_the_rest(tmp_path: Path) -> None:
    table = write(
        tmp_path / "bodies.tsv",
        "# surface\tid\tlabel\tscope",
        "{and} (x|y)\tone\tOne\tlocal",
        "",
        "und x\tone\tOne\tlocal",  # already produced: dropped
        "und x\ttwo\tTwo",  # another row for the same surface: kept after it (the first row wins)
        "plain (not a) pattern\tthree\t\t",
    )
    rows = read_table(table, CLASSES)
    assert rows == (
        ("und x", "one", "One", "local"),
        ("und y", "one", "One", "local"),
        ("sowie x", "one", "One", "local"),
        ("sowie y", "one", "One", "local"),
        ("und x", "two", "Two"),
        ("plain not a pattern", "three"),
    )
    # Without classes a table is read as plain text.
    assert read_table(table)[0] == ("{and} (x|y)", "one", "One", "local")


def test_errors_in_a_table_name_its_file_and_line(tmp_path: Path) -> None:
    table = write(tmp_path / "campaigns.tsv", "# surface\tid", "(a|b) c\tok", "# comment", "a (b c\tbroken")
    with pytest.raises(ResourceError, match=rf"^{tmp_path / 'campaigns.tsv'}:4: unbalanced '\('"):
        read_table(table, {})
    table = write(tmp_path / "bodies.tsv", "x {who}\tid")
    with pytest.raises(ResourceError, match=rf"^{tmp_path / 'bodies.tsv'}:1: unknown word class {{who}}"):
        read_table(table, CLASSES)


def test_word_classes_are_read_in_order_and_may_use_patterns(tmp_path: Path) -> None:
    words = write(
        tmp_path / "pattern_words.tsv",
        "# name\talternative",
        "body\t{level} (amt|rat)",  # a class may use a class defined later
        "and\tund",
        "and\tsowie",
        "level\tland",
        "level\tstadt[teil]",
    )
    classes = read_word_classes(words)
    assert classes["and"] == ("und", "sowie")
    assert classes["level"] == ("land", "stadtteil", "stadt")
    assert classes["body"] == ("land amt", "land rat", "stadtteil amt", "stadtteil rat", "stadt amt", "stadt rat")
    assert read_word_classes(tmp_path / "missing.tsv") == {}


@pytest.mark.parametrize(
    "lines, line, message",
    [
        (["a\tx", "a\t(y"], 2, "unbalanced '('"),
        (["a\tx", "b\t{a} {c}"], 2, "unknown word class {c}"),
        (["a\t{b}", "b\tx [{a}]"], 2, "word class {b} refers to itself through a → b → a"),
        (["a\tx", "a\tx\ty"], 2, "expected a word class name and one alternative"),
        (["a b\tx"], 1, "expected a word class name and one alternative"),
    ],
)
def test_malformed_word_classes_say_where(tmp_path: Path, lines: list[str], line: int, message: str) -> None:
    words = write(tmp_path / "pattern_words.tsv", *lines)
    with pytest.raises(ResourceError) as error:
        read_word_classes(words)
    assert str(error.value).startswith(f"{words}:{line}: ") and message in str(error.value), str(error.value)


@pytest.fixture
def resource_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A resource folder of one language, ``xx``, with the loader's caches cleared around the test."""
    (tmp_path / "xx").mkdir()
    monkeypatch.setattr(resources, "resource_dir", lambda: tmp_path)
    resources.load_table.cache_clear()
    resources.word_classes.cache_clear()
    yield tmp_path / "xx"
    resources.load_table.cache_clear()
    resources.word_classes.cache_clear()


def test_only_the_pattern_tables_expand(resource_root: Path) -> None:
    assert {"bodies", "campaigns"} <= PATTERN_TABLES and "titles" not in PATTERN_TABLES
    write(resource_root / "pattern_words.tsv", "level\tland", "level\tstadt")
    write(resource_root / "bodies.tsv", "{level} (amt|rat)\tbody-id")
    write(resource_root / "titles.tsv", "herr (dr.)")
    surfaces = ("land amt", "land rat", "stadt amt", "stadt rat")
    assert load_table("xx", "bodies") == tuple((surface, "body-id") for surface in surfaces)
    assert load_table("xx", "titles") == (("herr (dr.)",),)
    assert load_table("xx", "bodies") is load_table("xx", "bodies")  # cached


def test_a_broken_shipped_table_fails_to_load(resource_root: Path) -> None:
    write(resource_root / "campaigns.tsv", "# surface\tid", "x [y\tz")
    with pytest.raises(ResourceError, match=r"campaigns\.tsv:2: unbalanced '\['"):
        load_table("xx", "campaigns")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", sorted(PATTERN_TABLES))
def test_shipped_pattern_tables_expand(lang: str, name: str) -> None:
    rows = load_table(lang, name)
    assert rows and all(row[0] and not any(c in row[0] for c in "[]{}|\\") for row in rows), name


@pytest.mark.parametrize(
    "lang, surface",
    [
        # The campaign is named by its object alone: ideology, morality and style (or lifestyle), in this order.
        ("hi", "हो ची मिन्ह के विचारों, नैतिकता और जीवन शैली"),
        ("hi", "हो ची मिन्ह की विचारधारा, नैतिकता एवं शैली"),
        ("hi", "हो ची मिन्ह की विचारधारा, नैतिकता और शैली का अध्ययन और अनुसरण"),
        ("ar", "فكر هو شي منه وأخلاقه وأسلوب حياته"),
        ("ar", "أيديولوجية هوشي منه وأخلاقياته وأسلوبه"),
        ("ar", "أيديولوجية وأخلاق وأسلوب حياة هو تشي منه"),
        ("ar", "دراسة واتباع فكر هو تشي مينه وأخلاقه وأسلوبه"),
    ],
)
def test_the_ho_chi_minh_campaign_without_its_verbs(lang: str, surface: str) -> None:
    campaigns = resource_lexicon(lang, "campaigns")
    assert surface in campaigns
    tokens = tokenize_span(surface, 0, len(surface))
    match = campaigns.match_at(tokens, 0)
    assert match is not None and match.end_token == len(tokens)
    assert match.value == "studying-and-following-ho-chi-minh-ideology"


@pytest.mark.parametrize(
    "lang, surface",
    [
        ("hi", "हो ची मिन्ह की विचारधारा, नैतिकता"),  # no style
        ("hi", "हो ची मिन्ह की विचारधारा"),
        ("ar", "أيديولوجية هو تشي مينه وأخلاقياته"),  # no style
        ("ar", "أيديولوجية هو تشي مينه"),
    ],
)
def test_all_three_nouns_are_needed(lang: str, surface: str) -> None:
    assert surface not in resource_lexicon(lang, "campaigns")
