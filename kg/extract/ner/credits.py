"""Credits and buildings: what a page credits (its source's address, a byline, a body's acronym, the
photographer) and the places that are buildings (a venue named after a body, a province's own hall).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from kg.extract.lexicon import fold
from kg.extract.ner.vocabulary import LanguageRules, Span
from kg.extract.resources import load_table
from kg.extract.translit import syllable_tiers
from kg.model import Token

TOP_LEVEL_DOMAINS = {"vn", "com", "net", "org", "gov", "info", "edu"}
ACRONYM = re.compile(r"^(?:[A-Z]{2,8}|(?:\w\.){2,5}\w?)$")


PHOTOGRAPHER_WORDS = 4  # words of a photographer's name after a photo credit


def photographer_spans(rules: LanguageRules, tokens: Sequence[Token], spans: list[Span]) -> list[Span]:
    """The photographer a photo credit names (फोटो: वीजीपी/नहत बाक, صورة: VGP/Nhat Bac, फोटो: NAM TRAN).

    After the credit word and its colon, and an agency's abbreviation with a
    slash, the name runs to the end of the credit: a person the rules read, or
    Latin words that are Vietnamese name syllables. A credited person took no
    part in what the article reports.
    """
    found = []
    persons = {s.start_token: s for s in spans if s.type == "Person"}
    syllables = {latin.lower() for latin in syllable_tiers()}
    for k in range(len(tokens) - 2):
        if fold(tokens[k].text, rules.lang) not in rules.photo_words or tokens[k + 1].text != ":":
            continue
        j = k + 2
        if j + 2 < len(tokens) and tokens[j + 1].text == "/":  # the agency (VGP, वीजीपी)
            j += 2
        if j in persons:
            person = persons[j]
            found.append(Span(person.start_token, person.end_token, person.start, person.end, "Person", "credit:photo", person.key, 1.0))
            continue
        end = j
        while end < len(tokens) and end - j < PHOTOGRAPHER_WORDS and tokens[end].text.isascii() and tokens[end].text.isalpha() and tokens[end].text.lower() in syllables:
            end += 1
        if end - j >= 2:
            name = " ".join(t.text.capitalize() for t in tokens[j:end])
            found.append(Span(j, end, tokens[j].start, tokens[end - 1].end, "Person", "credit:photo", "person:" + name, 1.0))
    return found


def credit_spans(tokens: Sequence[Token], spans: list[Span]) -> list[Span]:
    """Sources credited by a web address (Baoquangngai.vn) and bodies' acronyms in brackets.

    An address is written without spaces: its dotted parts are adjacent
    tokens ending on a top-level domain. A bracketed acronym right after a body
    (… (VFF)) is another name of that body; at the start of a line it credits a
    source (``(VGP) -``).
    """
    found = []
    k = 0
    while k < len(tokens):
        j = k
        while j + 2 < len(tokens) and tokens[j + 1].text == "." and tokens[j].end == tokens[j + 1].start == tokens[j + 1].end - 1 and tokens[j + 1].end == tokens[j + 2].start and tokens[j + 2].text.isascii() and tokens[j + 2].text.isalnum():
            j += 2
        if j > k and tokens[k].text.isascii() and tokens[k].text.isalnum() and tokens[j].text.lower() in TOP_LEVEL_DOMAINS:
            text = "".join(t.text for t in tokens[k : j + 1])
            found.append(Span(k, j + 1, tokens[k].start, tokens[j].end, "Organization", "credit:address", "press:" + text.lower()))
            k = j + 1
            continue
        k += 1
    # A byline: an abbreviation opening the line, then a dash (ن.د.و - …, VNA - …).
    j = 0
    while j + 1 < len(tokens) and tokens[j].end == tokens[j + 1].start and tokens[j + 1].text not in "-–—":
        j += 1
    if j + 1 < len(tokens) and tokens[j + 1].text in "-–—" and ACRONYM.match("".join(t.text for t in tokens[: j + 1])):
        text = "".join(t.text for t in tokens[: j + 1])
        found.append(Span(0, j + 1, tokens[0].start, tokens[j].end, "Organization", "credit:byline", "press:" + text.lower()))
    bodies = {s.end_token: s for s in spans if s.type == "Organization"}
    for k in range(len(tokens) - 1):
        if tokens[k].text != "(":
            continue
        close = next((j for j in range(k + 1, min(k + 8, len(tokens))) if tokens[j].text == ")"), None)
        if close is None or close == k + 1:
            continue
        inner = tokens[k + 1 : close]
        text = "".join(t.text for t in inner)
        if any(a.end != b.start for a, b in zip(inner, inner[1:])) or not ACRONYM.match(text):
            continue
        body = bodies.get(k)
        if body is not None:
            found.append(Span(k + 1, close, inner[0].start, inner[-1].end, "Organization", "credit:acronym", body.key, body.confidence))
        elif k == 0 and text.isascii():
            found.append(Span(k + 1, close, inner[0].start, inner[-1].end, "Organization", "credit:acronym", "press:" + text.lower()))
    return found


def is_latin_word(text: str) -> bool:
    """Letters of the Latin script only, Vietnamese ones included (ơ, ư, ạ …)."""
    return text.isalpha() and all(ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF for c in text)


@cache
def source_heads() -> tuple[tuple[str, ...], ...]:
    """The head nouns of ``vi/source_heads.tsv`` as word tuples, longest first."""
    return tuple(sorted((tuple(row[0].split()) for row in load_table("vi", "source_heads")), key=len, reverse=True))


def source_line_spans(tokens: Sequence[Token]) -> list[Span]:
    """A page's source named in Vietnamese on a line of its own: the body it credits.

    Translated pages keep their source line in Vietnamese, often written
    twice with no space between and the date glued on (Báo Tuyên QuangBáo
    Tuyên Quang08/11/2025, Báo Hà Nam•17/12/2024). The name opens the line with
    a head noun of ``vi/source_heads.tsv`` and runs over Latin words to the
    first digit, the repeat of its head, or the end of the line.
    """
    words = [t.text for t in tokens]
    head = next((h for h in source_heads() if tuple(words[: len(h)]) == h), None)
    if head is None:
        return []
    name = list(head)
    end, name_end = len(head), tokens[len(head) - 1].end
    while end < len(tokens):
        text = tokens[end].text
        glued = next((i for i in range(1, len(text)) if text[i:].startswith(head[0]) or text[i].isdigit()), None)
        letters = text[:glued] if glued is not None else text
        if not is_latin_word(letters):
            break
        name.append(letters)
        name_end = tokens[end].start + len(letters)
        end += 1
        if glued is not None:
            break
    if end == len(head):
        return []  # a head noun alone names nothing
    return [Span(0, end, tokens[0].start, name_end, "Organization", "credit:source", "press:" + " ".join(name), 1.0)]


def venue_spans(rules: LanguageRules, tokens: Sequence[Token], spans: list[Span]) -> list[Span]:
    """A building named after a body is a place (पार्टी केंद्रीय समिति मुख्यालय, مقر الجمعية الوطنية).

    Hindi writes the venue noun after the body, Arabic before it (an adjective
    may stand between: المقر المركزي للحزب).
    """
    found = []
    for body in spans:
        if body.type != "Organization":
            continue
        if rules.lang == "ar":
            k = body.start_token - 1
            if k >= 0 and fold(tokens[k].text, rules.lang) in rules.modifiers and k >= 1:
                k -= 1
            venue = rules.venue(tokens[k]) if k >= 0 else None
            if venue:
                name, start = venue
                found.append(Span(k, body.end_token, start, body.end, "Location", "grammar:venue", f"venue:{name}@{body.key}", body.confidence))
        elif body.end_token < len(tokens) and (venue := rules.venue(tokens[body.end_token])):
            end = body.end_token + 1
            found.append(Span(body.start_token, end, body.start, tokens[end - 1].end, "Location", "grammar:venue", f"venue:{venue[0]}@{body.key}", body.confidence))
    return found + provincial_venue_spans(rules, tokens)


def provincial_venue_spans(rules: LanguageRules, tokens: Sequence[Token]) -> list[Span]:
    """A province's own building, written with the level adjective: प्रांतीय सम्मेलन केंद्र, مركز المؤتمرات الإقليمي.

    Its key names the level, and the resolver places it in the article's province.
    """
    found = []
    for i in range(len(tokens)):
        if rules.lang == "ar":
            venue = rules.venue_phrases.match_at(tokens, i)
            k = venue.end_token if venue else len(tokens)
            if venue and k < len(tokens) and fold(tokens[k].text, rules.lang) in rules.provincial:
                found.append(Span(i, k + 1, venue.start, tokens[k].end, "Location", "grammar:venue", f"venue:{venue.value}@level:province", 0.8))
        elif fold(tokens[i].text, rules.lang) in rules.provincial and i + 1 < len(tokens):
            venue = rules.venue_phrases.match_at(tokens, i + 1)
            if venue:
                found.append(Span(i, venue.end_token, tokens[i].start, tokens[venue.end_token - 1].end, "Location", "grammar:venue", f"venue:{venue.value}@level:province", 0.8))
    return found
