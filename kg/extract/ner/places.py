"""Places a level noun marks: syllable runs before or after it (येन खान जिले, مقاطعة ها تينه), lists of them,
a village of one syllable, and a neighbouring country's province the tables lack (مقاطعة سافاناكيت).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import replace

from kg.extract.lexicon import fold, text_keys
from kg.model import Token
from kg.extract.ner.names import CONJUNCTION_AR, NAME_CLOSERS, closes_name, name_start, unexplained_word
from kg.extract.ner.vocabulary import LanguageRules, Span

FEMININE_ENDING = "ة"
def place_spans(rules: LanguageRules, tokens: Sequence[Token], persons: list[Span]) -> list[Span]:
    """Name-syllable runs marked as places by a place noun (येन खान जिले, مقاطعة ها تينه).

    In a list ending in a place noun (नहो क्वान, किम सोन, होआ लू जिले) every item is a place.
    """
    spans = []
    # Whether the sentence names another country: read once, and only for a province noun.
    is_abroad = functools.cache(lambda: names_another_country(rules, tokens))
    by_start = {p.start_token: p for p in persons}
    by_end = {p.end_token: p for p in persons}
    for i, token in enumerate(tokens):
        row = rules.place_word(token)
        if not row and rules.lang == "ar" and token.text.startswith("ال") and i + 1 < len(tokens) and tokens[i + 1].text == ":":
            # A list announced with the definite plural (في الأحياء: A، وB): the noun without its article.
            row = rules.place_word(replace(token, text=token.text[2:]))
        if not row:
            continue
        position = row[2] if len(row) > 2 else "after"
        # Syllables the person rule thought too ambiguous for a name are a place before a
        # level noun all the same (नाम कैट तिएन कम्यून): names of places are Vietnamese syllables too.
        if position == "after" and i not in by_end:
            start = i
            while start > 0 and i - start < 4 and rules.syllable(tokens[start - 1]) is not None and fold(tokens[start - 1].text, rules.lang) not in rules.function_words:
                start -= 1
            # A village may be named by one syllable (बाक गांव: thôn Bắc), after a function word.
            single = i - start == 1 and row[1] == "village" and (start == 0 or fold(tokens[start - 1].text, rules.lang) in rules.function_words)
            if i - start >= 2 or single:
                by_end[i] = Span(start, i, tokens[start].start, tokens[i - 1].end, "Location", "place-noun")
            elif i - start == 0 and foreign_place_noun(row):
                found = foreign_place(rules, tokens, i, "after")
                if found is not None:
                    by_end[i] = found
        if position == "after" and i in by_end:
            run = by_end[i]
            chain = [run]
            k = run.start_token
            while k >= 2 and tokens[k - 1].text in ",،" and (k - 1) in by_end:
                run = by_end[k - 1]
                chain.append(run)
                k = run.start_token
            for p in chain:
                spans.append(Span(p.start_token, p.end_token, p.start, p.end, "Location", "place-noun", level_key(row, is_abroad), 0.8))
        elif position == "before":
            # The noun may announce a list: بلديات: A، وB، وC.
            # Items the person rule found too ambiguous for a name are places all the same (هام تيان).
            k = i + 2 if i + 2 < len(tokens) and tokens[i + 1].text == ":" else i + 1
            if len(row) > 4 and row[4] == "house-number":
                # An address names its street after the house number (رقم 2 لي كوانغ داو).
                if k + 1 >= len(tokens) or not tokens[k].text.isdigit():
                    continue
                k += 1
            p = list_item(rules, tokens, k, by_start)
            if p is None and foreign_place_noun(row):
                p = foreign_place(rules, tokens, k, "before")
            while p is not None:
                spans.append(Span(p.start_token, p.end_token, p.start, p.end, "Location", "place-noun", level_key(row, is_abroad), 0.8))
                k = p.end_token + 1 if p.end_token < len(tokens) and tokens[p.end_token].text in ",،" else p.end_token
                following = list_item(rules, tokens, k, by_start)
                if k == p.end_token and not (following is not None and tokens[k].text[0] == "و"):
                    break
                p = following
    return spans


FOREIGN_PLACE_LEVELS = ("province",)  # the level neighbouring countries share (Lao, Chinese provinces); a district noun (منطقة) also means "area"
FOREIGN_PLACE_WORDS = 3


def foreign_place_noun(row: tuple[str, ...]) -> bool:
    """A singular province or district noun: a plural one is followed by adjectives (مناطق ريفية جديدة) more than names."""
    return len(row) > 1 and row[1] in FOREIGN_PLACE_LEVELS and not (len(row) > 4 and row[4] == "plural")


def foreign_place(rules: LanguageRules, tokens: Sequence[Token], k: int, side: str) -> Span | None:
    """A place the tables lack, next to a province or district noun: words they do not explain, closed like a name.

    A Lao or Chinese province (مقاطعة تشامباساك، सेकोंग प्रांत) is no run of Vietnamese
    syllables. Arabic writes it after the noun up to punctuation or a function word;
    Hindi before the noun, after punctuation or a function word. A word led by the
    conjunction و goes on the sentence, not the name; a feminine Arabic word after
    مقاطعة or منطقة is an adjective agreeing with it.
    """
    if side == "before":
        end = k
        while end < len(tokens) and end - k < FOREIGN_PLACE_WORDS and unexplained_word(rules, tokens, end) and not tokens[end].text.startswith(CONJUNCTION_AR):
            if tokens[end].text.endswith(FEMININE_ENDING):
                return None  # an adjective agreeing with the noun (منطقة ساحلية، جبلية): no name
            end += 1
        closed = end >= len(tokens) or closes_name(tokens, end) or tokens[end].text == "(" or fold(tokens[end].text, rules.lang) in rules.function_words
        start = k
    else:
        start = k
        while start > 0 and k - start < FOREIGN_PLACE_WORDS and unexplained_word(rules, tokens, start - 1):
            start -= 1
        closed = start == 0 or tokens[start - 1].text in NAME_CLOSERS or fold(tokens[start - 1].text, rules.lang) in rules.function_words
        end = k
    if end == start or not closed:
        return None
    return Span(start, end, tokens[start].start, tokens[end - 1].end, "Location", "place-noun")


def names_another_country(rules: LanguageRules, tokens: Sequence[Token]) -> bool:
    """Whether the sentence names a country other than Vietnam, or a nationality."""
    if any(key in rules.demonyms for token in tokens for key, _ in text_keys(token.text, rules.lang)):
        return True
    return any(m.value != "vietnam" and "loc:" + m.value in rules.countries for m in rules.locations.find_all(tokens))


def level_key(place_word: tuple[str, ...], abroad: Callable[[], bool] = lambda: False) -> str:
    """The key of a place its level noun names: ``level:commune`` (नाम कैट तिएन कम्यून), so the place knows its kind.

    ``#abroad`` marks a province of a sentence that names another country (Lao provinces read as
    Vietnamese syllables: بو كيو), which is no Vietnamese district the province noun stands for;
    ``abroad`` is asked only for a province.
    """
    if len(place_word) < 2 or not place_word[1]:
        return ""
    return f"level:{place_word[1]}" + ("#abroad" if place_word[1] == "province" and abroad() else "")


def list_item(rules: LanguageRules, tokens: Sequence[Token], k: int, names: dict[int, Span]) -> Span | None:
    """The item of a place list at token k: a name the person rule found, else a run of name syllables."""
    if k >= len(tokens):
        return None
    return names.get(k) or syllable_run(rules, tokens, k)


def syllable_run(rules: LanguageRules, tokens: Sequence[Token], k: int) -> Span | None:
    """Two to four name syllables from token k (the first maybe behind a proclitic: وموي ني), as a span.

    After a level noun the first word may fold to a function word (بلدية آن ثانغ: آن folds
    to أن, "that"): the noun vouches for a name, and a second syllable must follow.
    """
    syllable, start = name_start(rules, tokens[k])
    if syllable is None or (tokens[k].text in rules.raw_function_words and fold(tokens[k].text, rules.lang) in rules.function_words):
        return None
    end = k + 1
    while end < len(tokens) and end - k < 4 and rules.syllable(tokens[end]) is not None and fold(tokens[end].text, rules.lang) not in rules.function_words:
        end += 1
    return Span(k, end, start, tokens[end - 1].end, "Location", "place-noun") if end - k >= 2 else None
