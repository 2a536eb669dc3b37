"""English labels of bodies no lexicon lists, read from the body grammar.

A body name the grammar recognised (``प्रांतीय जन परिषद की स्थायी समिति``,
``اللجنة الدائمة للجنة الحزب الإقليمية``) is a chain of parts joined by
genitive links. Each part is glossed word by word from ``body_words.tsv`` (the
``english`` column), places from the locations table, ordinals as numbers;
the parts are then put in English order:

- Hindi writes the owner first (``A के B`` = B of A) and modifiers before the
  head, as English does: parts are reversed, words kept in order.
- Arabic writes the owner last (``B لـA``, ``B التابعة لـA``) and adjectives and
  construct genitives after the head (``لجنة الحزب الإقليمية`` = Provincial
  Party Committee): parts are kept in order, words reversed.

A part with a word the tables cannot gloss gives no label: the caller keeps
the text as written rather than a made-up name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.lexicon import fold, resource_lexicon, text_keys
from kg.extract.ordinals import ordinal_at
from kg.extract import gazetteer
from kg.extract.resources import load_table, mapping
from kg.extract.tokenize import tokenize_span

ORDINAL = re.compile(r"^(\d+)")
# English words of a body's level below the nation (Provincial People's Council, Commune …).
LEVEL_WORDS = frozenset({"Provincial", "City", "District", "Commune", "Ward", "Town"})


@lru_cache(maxsize=None)
def glossary(lang: str) -> tuple[dict[str, str], frozenset[str]]:
    """(folded word → English, folded link words) of a language's body vocabulary."""
    words: dict[str, str] = {}
    links: set[str] = set()
    for row in load_table(lang, "body_words"):
        if len(row) < 2:
            continue
        key = fold(row[0], lang)
        if row[1] == "link":
            links.add(key)
        elif len(row) > 2 and row[2]:
            words.setdefault(key, row[2])
    return words, frozenset(links)


@lru_cache(maxsize=None)
def level_nouns(lang: str) -> frozenset[str]:
    return frozenset(fold(row[0], lang) for row in load_table(lang, "place_words") if len(row) < 2 or row[1] != "venue")


def ordinal_label(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def english_body_label(text: str, lang: str, place_label=None) -> str | None:  # noqa: ANN001
    """The English label of a body name, or None when a word has no gloss.

    ``place_label`` (id → label) names places written inside the body's name.
    """
    words, links = glossary(lang)
    places = resource_lexicon(lang, "locations")
    bodies = resource_lexicon(lang, "bodies")
    tokens = tokenize_span(text, 0, len(text))
    parts: list[list[str]] = [[]]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        readings = [key for key, _ in text_keys(token.text, lang)]
        if readings[0] in links:
            parts.append([])
            i += 1
            continue
        if not token.text[0].isalnum():
            i += 1
            continue
        # A place whose name begins with its level noun (مدينة هوشي منه: Ho Chi Minh alone is the
        # person) is read before the level noun is passed over.
        place = places.match_at(tokens, i)
        if not place and any(reading in level_nouns(lang) for reading in readings):  # لمقاطعة: the level noun behind ل
            i += 1  # مقاطعة, प्रांत: the place's own name says it
            continue
        if place and place_label:
            named = place_label(place.value)
            if named:  # an empty label leaves the place out: the body's own words
                parts[-1].append(named)
            i = place.end_token
            continue
        # A known body named inside as the owner (निर्माण मंत्रालय की पार्टी समिति, لجنة الحزب بوزارة
        # الخارجية): its own label, as one word. Only where the genitive makes it the owner: before a
        # link in Hindi, behind a proclitic or a link in Arabic.
        body = bodies.match_at(tokens, i)
        if body and not owner_position(tokens, i, body.end_token, lang, links):
            body = None
        if body and (i, body.end_token) != (0, len(tokens)):
            named = known_body_label(lang, body.value)
            if named:
                if lang == "ar" and i > 0 and parts[-1]:
                    parts.append([])  # Arabic names the owner after (لجنة الحزب بوزارة الخارجية)
                # Words before it that its label already says (वियतनाम + Vietnam People's Army) go.
                parts[-1] = [w for w in parts[-1] if w.lower() not in named.lower().split()]
                parts[-1].append(named)
                i = body.end_token
                continue
        number = ORDINAL.match(token.text)
        ordinal = ordinal_at(tokens, i, lang)
        if number or ordinal:
            parts[-1].append(ordinal_label(int(number.group(1)) if number else ordinal[1]))
            i = i + 1 if number else ordinal[0]
            continue
        # Arabic ل before a word is "of": it opens the owner's part (للجنة الحزب).
        if lang == "ar" and i > 0 and token.text.startswith("ل") and readings[0] not in words and any(k in words for k in readings[1:]):
            parts.append([])
        gloss = next((words[k] for k in readings if k in words), None)
        if gloss is None:
            return None
        parts[-1].append(gloss)
        i += 1
    parts = [p for p in parts if p]
    if not parts:
        return None
    if lang == "ar":
        phrases = [" ".join(dedupe(reversed(p))) for p in parts]
    else:
        phrases = [" ".join(dedupe(p)) for p in reversed(parts)]
    return " of the ".join(phrases)


def owner_position(tokens, start: int, end: int, lang: str, links: frozenset[str]) -> bool:  # noqa: ANN001
    if lang == "ar":
        first = tokens[start].text
        return start > 0 and (first[:1] in "لب" and len(text_keys(first, lang)) > 1 or text_keys(tokens[start - 1].text, lang)[0][0] in links)
    return end < len(tokens) and text_keys(tokens[end].text, lang)[0][0] in links


@lru_cache(maxsize=None)
def known_body_label(lang: str, body_id: str) -> str | None:
    """A known body's English label: the gazetteer's, the same from every language; else the language table's."""
    return gazetteer.label(body_id) or mapping(lang, "bodies", 1, 2).get(body_id)


def dedupe(words) -> list[str]:  # noqa: ANN001
    """Drop a word repeated right after itself (two spellings of one word glossed alike)."""
    out: list[str] = []
    for word in words:
        if not out or out[-1] != word:
            out.append(word)
    return out
