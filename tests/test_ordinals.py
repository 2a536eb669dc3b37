"""Ordinals read by the small grammar over ordinals.tsv."""

from __future__ import annotations

import pytest

from kg.extract.ordinals import ordinal_at
from kg.extract.tokenize import tokenize_span


@pytest.mark.parametrize(
    ("text", "lang", "number", "words"),
    [
        ("13वीं", "hi", 13, 1),
        ("पहली", "hi", 1, 1),
        ("प्रथम", "hi", 1, 1),
        ("الخامس", "ar", 5, 1),
        ("السادس عشر", "ar", 16, 2),
        ("الحادية عشرة", "ar", 11, 2),
        ("الخامسة والتسعين", "ar", 95, 2),
        ("الثمانين", "ar", 80, 1),
        # The nominative of a tens word (the subject of a sentence) is the same number.
        ("العشرون", "ar", 20, 1),
        ("الخامسة والسبعون", "ar", 75, 2),
        # A unit ordinal before another word is just the unit.
        ("الخامس للحزب", "ar", 5, 1),
    ],
)
def test_ordinals_and_their_compounds(text: str, lang: str, number: int, words: int) -> None:
    assert ordinal_at(tokenize_span(text, 0, len(text)), 0, lang) == (words, number)


def test_a_teen_word_alone_is_no_ordinal() -> None:
    assert ordinal_at(tokenize_span("عشر", 0, 3), 0, "ar") is None


def test_hindi_pahle_after_se_is_before_not_first() -> None:
    from kg.extract.ordinals import ordinal_at
    from kg.extract.tokenize import tokenize_span

    before = tokenize_span("समारोह से पहले धूप अर्पण", 0, 24)
    assert ordinal_at(before, 2, "hi") is None
    first = tokenize_span("पहले धूप अर्पण समारोह", 0, 21)
    assert ordinal_at(first, 0, "hi") == (1, 1)
