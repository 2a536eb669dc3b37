"""Ordinal numbers as the languages write them: a small grammar over ``ordinals.tsv``.

Hindi writes most ordinals with digits (13वीं, read by ``ORDINAL_SUFFIX``) and
a few as words (पहली, प्रथम). Arabic composes them: a unit ordinal alone
(الخامس), before عشر/عشرة for 11–19 (السادس عشر), before و and a tens word for
21–99 (الخامسة والتسعين), or a tens word alone (الثمانين, nominative الثمانون). The table lists
the words with a role (empty: an ordinal word; ``teen``: adds ten after a
unit; ``tens``: a tens word, alone or after a unit and و; ``adverb``: a word
after which an ordinal word is an adverb, Hindi से पहले "before"); the
compounds are read here, never listed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from kg.extract.lexicon import Lexicon, build_lexicon, fold
from kg.extract.resources import load_table
from kg.model import Token

ORDINAL_SUFFIX = re.compile(r"^\d+(वां|वीं|वें|वा|वी|वे|ठी|ठा|ठे|था|थी|थे|रा|री|रे|ला|ली|ले)$")
CONJUNCTION = "و"


@lru_cache(maxsize=None)
def ordinal_words(lang: str) -> tuple[Lexicon, dict[str, int], dict[str, int]]:
    """(ordinal words and tens words as a lexicon, teen words, tens words) of a language."""
    rows = list(load_table(lang, "ordinals"))
    if lang == "ar":
        # A tens word is written in the oblique case (العشرين) in the table; the subject of a
        # sentence takes the nominative ending ون (افتتح المؤتمر العشرون), the same number.
        rows += [(r[0][:-2] + "ون", *r[1:]) for r in rows if len(r) > 2 and r[2] == "tens" and r[0].endswith("ين")]
    role = {r: (r[2] if len(r) > 2 else "") for r in rows}
    words = build_lexicon(lang, [r for r in rows if role[r] in ("", "tens")])
    teens = {fold(r[0], lang): int(r[1]) for r in rows if role[r] == "teen"}
    tens = {fold(r[0], lang): int(r[1]) for r in rows if role[r] == "tens"}
    return words, teens, tens


@lru_cache(maxsize=None)
def adverb_makers(lang: str) -> frozenset[str]:
    """Words after which an ordinal word is an adverb (से पहले: "before", not "first")."""
    return frozenset(fold(r[0], lang) for r in load_table(lang, "ordinals") if len(r) > 2 and r[2] == "adverb")


def ordinal_at(tokens: Sequence[Token], i: int, lang: str) -> tuple[int, int] | None:
    """(end token, number) of an ordinal starting at token i (13वीं, छठी, السادس عشر, الخامسة والتسعين), else None."""
    if ORDINAL_SUFFIX.match(tokens[i].text):
        return i + 1, int(re.match(r"\d+", tokens[i].text).group())  # type: ignore[union-attr]
    words, teens, tens = ordinal_words(lang)
    match = words.match_at(tokens, i, allow_proclitic=False)
    if match is None or (i > 0 and fold(tokens[i - 1].text, lang) in adverb_makers(lang)):
        return None
    end, number = match.end_token, int(match.value)
    if number < 10 and end < len(tokens):
        following = tokens[end].text
        if fold(following, lang) in teens:
            return end + 1, number + teens[fold(following, lang)]
        if following.startswith(CONJUNCTION) and fold(following[1:], lang) in tens:
            return end + 1, number + tens[fold(following[1:], lang)]
    return end, number
