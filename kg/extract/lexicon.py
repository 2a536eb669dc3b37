"""Matching language resources against token sequences.

Machine translation spells the same word several ways (Hindi nukta and
chandrabindu, Arabic hamza forms and ta marbuta), so lexicon entries and text
are compared through ``fold``. Matching works on tokens, not characters, so a
lexicon entry matches whatever whitespace the article used between words.

Arabic attaches one-letter proclitics (و ف ب ل ك) to the first word of a name;
``token_keys`` offers the stripped form as well, with its character offset, so
``للجنة الحزب`` matches the entry ``لجنة الحزب`` and the mention starts after
the ``ل``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from kg.model import Token
from kg.extract.tokenize import tokenize_span

ARABIC_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")
ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
DEVANAGARI_FOLD = str.maketrans({"\u093c": None, "\u0901": "\u0902", "\u200c": None, "\u200d": None})
PROCLITICS = "وفبلك"


# Invisible format characters: never part of a matching key. Shown text keeps the
# joiners (they shape Devanagari and Arabic letters) and drops the rest, which only
# hide or reorder what is displayed.
FORMAT_CHARS = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
HIDDEN_CHARS = re.compile("[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def shown_text(text: str) -> str:
    """``text`` as a label may show it: without bidi controls, zero-width spaces, soft hyphens (display spoofing)."""
    return HIDDEN_CHARS.sub("", text)


@lru_cache(maxsize=200_000)
def fold(text: str, lang: str) -> str:
    """A matching key: NFC, script-specific spelling variants merged, lower case."""
    text = unicodedata.normalize("NFC", text)
    if lang == "ar":
        text = ARABIC_DIACRITICS.sub("", text).translate(ARABIC_FOLD)
    elif lang == "hi":
        text = unicodedata.normalize("NFD", text).translate(DEVANAGARI_FOLD)
        text = unicodedata.normalize("NFC", text)
    return FORMAT_CHARS.sub("", text).lower()


def token_keys(token: Token, lang: str) -> list[tuple[str, int]]:
    """(folded key, start offset) readings of a token: as written, and without a proclitic."""
    return [(key, token.start + delta) for key, delta in text_keys(token.text, lang)]


@lru_cache(maxsize=200_000)
def text_keys(text: str, lang: str) -> tuple[tuple[str, int], ...]:
    keys = [(fold(text, lang), 0)]
    if lang == "ar" and len(text) > 2 and text[0] in PROCLITICS:
        stripped = text[1:]
        if stripped.startswith("ـ"):
            stripped = stripped[1:]
        # للجنة = ل + لجنة, and لل + definite noun = ل + ال...
        keys.append((fold(stripped, lang), len(text) - len(stripped)))
        if text.startswith("لل") and len(text) > 3:
            keys.append((fold("ا" + text[1:], lang), 1))
            # ل + a definite noun whose own first letter is ل writes two lams, not three
            # (ل + اللجنة = للجنة): the noun is "ا" + the whole word.
            keys.append((fold("ا" + text, lang), 1))
    return tuple(keys)


def split_entry(text: str, lang: str) -> tuple[str, ...]:
    return tuple(fold(t.text, lang) for t in tokenize_span(text, 0, len(text)))


@dataclass(frozen=True, slots=True)
class Match:
    start_token: int
    end_token: int  # exclusive
    start: int  # character offset (after a stripped proclitic)
    end: int
    value: str


@dataclass
class Lexicon:
    """A token trie from entries (surface → value); finds longest matches."""

    lang: str
    root: dict = field(default_factory=dict)
    size: int = 0

    VALUE = "\x00"

    def add(self, surface: str, value: str) -> None:
        keys = split_entry(surface, self.lang)
        if not keys:
            return
        node = self.root
        for key in keys:
            node = node.setdefault(key, {})
        node.setdefault(self.VALUE, value)
        self.size += 1

    def match_at(self, tokens: Sequence[Token], i: int, allow_proclitic: bool = True) -> Match | None:
        """The longest entry starting at token ``i``."""
        best: Match | None = None
        readings = text_keys(tokens[i].text, self.lang)
        if not allow_proclitic:
            readings = readings[:1]
        for first_key, delta in readings:
            node = self.root.get(first_key)
            j = i + 1
            while node is not None:
                if self.VALUE in node and (best is None or j > best.end_token):
                    best = Match(i, j, tokens[i].start + delta, tokens[j - 1].end, node[self.VALUE])
                if j >= len(tokens):
                    break
                node = node.get(fold(tokens[j].text, self.lang))
                j += 1
        return best

    def matches_at(self, tokens: Sequence[Token], i: int) -> list[Match]:
        """Every entry starting at token ``i``, shortest first."""
        found: list[Match] = []
        for first_key, char_start in token_keys(tokens[i], self.lang):
            node = self.root.get(first_key)
            j = i + 1
            while node is not None:
                if self.VALUE in node:
                    found.append(Match(i, j, char_start, tokens[j - 1].end, node[self.VALUE]))
                if j >= len(tokens):
                    break
                node = node.get(fold(tokens[j].text, self.lang))
                j += 1
        return sorted(found, key=lambda m: (m.end_token, m.start))

    def find_all(self, tokens: Sequence[Token]) -> list[Match]:
        """Non-overlapping longest matches, left to right."""
        matches = []
        i = 0
        while i < len(tokens):
            match = self.match_at(tokens, i)
            if match:
                matches.append(match)
                i = match.end_token
            else:
                i += 1
        return matches

    def value_of(self, surface: str) -> str | None:
        """The value of the entry that is the whole of ``surface``, else None."""
        node = self.root
        for key in split_entry(surface, self.lang):
            node = node.get(key)
            if node is None:
                return None
        return node.get(self.VALUE)

    def __contains__(self, surface: str) -> bool:
        return self.value_of(surface) is not None


def build_lexicon(lang: str, rows: Iterable[tuple[str, ...]], value_column: int | None = 1) -> Lexicon:
    lexicon = Lexicon(lang)
    for row in rows:
        value = row[value_column] if value_column is not None and len(row) > value_column else row[0]
        lexicon.add(row[0], value)
    return lexicon


@lru_cache(maxsize=None)
def resource_lexicon(lang: str, name: str, value_column: int | None = 1) -> Lexicon:
    from kg.extract.resources import load_table

    return build_lexicon(lang, load_table(lang, name), value_column)


@lru_cache(maxsize=None)
def alone_bodies(lang: str) -> frozenset[str]:
    """The folded body words (bodies.tsv rows flagged "alone") that name their body only at a clause's start or after a separator."""
    return flagged_bodies(lang, "alone")


@lru_cache(maxsize=None)
def unqualified_bodies(lang: str) -> frozenset[str]:
    """The folded body words (bodies.tsv rows flagged "unqualified") that name their body only when no
    adjective follows them (Arabic الحكومة, not الحكومة المحلية "the local government")."""
    return flagged_bodies(lang, "unqualified")


def flagged_bodies(lang: str, flag: str) -> frozenset[str]:
    from kg.extract.resources import load_table

    return frozenset(fold(r[0], lang) for r in load_table(lang, "bodies") if len(r) > 4 and r[4] == flag)
