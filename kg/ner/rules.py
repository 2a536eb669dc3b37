"""Domain recognisers driven by the language resources.

Each finder looks at one sentence's tokens and proposes spans:

- known names from the lexicons (bodies, campaigns, places);
- quoted campaign names next to a cue word (अनुकरण आंदोलन "…", حملة "…");
- named congresses and numbered bodies (13वीं राष्ट्रीय पार्टी कांग्रेस);
- generic bodies from the body grammar (modifiers + head noun, chained by
  genitive links: Hindi ``X की स्थायी समिति``, Arabic ``لجنة … التابعة للجنة …``);
- places marked by a place noun (येन खान जिले, مقاطعة ها تينه);
- persons: runs of Vietnamese name syllables, as written in the script.

Overlaps are settled in ``select``: a longer span wins over a shorter one it
crosses; a span inside another survives only where nesting is meaningful
(a parent body inside a commission's name, a place inside a body or event, a
person inside a campaign name).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from kg.lexicon import Lexicon, fold, resource_lexicon, text_keys, token_keys
from kg.model import Document, Mention, Sentence, Token
from kg.resources import load_table

QUOTES = "\"“”«»„‟"
ORDINAL_SUFFIX = re.compile(r"^\d+(वां|वीं|वें|वा|वी|वे|ठी|ठा|ठे|था|थी|थे|रा|री|रे|ला|ली|ले)$")
NESTING = {
    ("Organization", "Organization"),
    ("Organization", "Location"),
    ("Event", "Location"),
    ("Event", "Organization"),
    ("Campaign", "Person"),
    ("Campaign", "Location"),
    ("Organization", "Campaign"),
}
PRIORITY = {"Event": 5, "Campaign": 4, "Organization": 3, "Location": 2, "Person": 1}


@dataclass(frozen=True, slots=True)
class Span:
    start_token: int
    end_token: int
    start: int
    end: int
    type: str
    rule: str
    key: str = ""
    confidence: float = 1.0


class LanguageRules:
    """The resource lexicons of one language, loaded once."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.bodies = resource_lexicon(lang, "bodies")
        self.campaigns = resource_lexicon(lang, "campaigns")
        self.locations = resource_lexicon(lang, "locations")
        self.events = resource_lexicon(lang, "events")
        self.titles = resource_lexicon(lang, "titles", None)
        self.posts = resource_lexicon(lang, "posts")
        self.cues = resource_lexicon(lang, "campaign_cues", None)
        self.ordinals = resource_lexicon(lang, "ordinals")
        self.place_words = {fold(r[0], lang): r for r in load_table(lang, "place_words")}
        self.function_words = {fold(r[0], lang) for r in load_table(lang, "function_words")}
        self.syllables: dict[str, tuple[str, bool]] = {}
        for row in load_table(lang, "syllables"):
            flags = row[2] if len(row) > 2 else ""
            self.syllables.setdefault(fold(row[0], lang), (row[1], "common" in flags))
        roles: dict[str, set[str]] = {}
        for row in load_table(lang, "body_words"):
            if len(row) > 1:
                roles.setdefault(row[1], set()).add(fold(row[0], lang))
        self.heads = roles.get("head", set())
        self.modifiers = roles.get("modifier", set())
        self.links = roles.get("link", set())
        self.body_stops = roles.get("stop", set())
        self.plurals = roles.get("plural", set())
        self.body_token_keys = self.heads | self.modifiers | set(self.bodies.root)

    def readings(self, token: Token) -> list[tuple[str, int]]:
        return token_keys(token, self.lang)

    def is_head(self, token: Token) -> bool:
        return any(k in self.heads for k, _ in text_keys(token.text, self.lang))

    def is_modifier(self, token: Token) -> bool:
        return any(k in self.modifiers for k, _ in text_keys(token.text, self.lang))

    def continues_body_ar(self, token: Token) -> bool:
        """An Arabic word that can continue a body name: as written, or after the genitive ل.

        A word with a leading و is a new conjunct ("and the organisations"), not part of the name.
        """
        words = self.heads | self.modifiers
        readings = self.readings(token)
        return readings[0][0] in words or (token.text.startswith("ل") and any(k in words for k, _ in readings[1:]))

    def is_link(self, token: Token) -> bool:
        return fold(token.text, self.lang) in self.links

    def syllable(self, token: Token) -> tuple[str, bool] | None:
        return self.syllables.get(fold(token.text, self.lang))


@lru_cache(maxsize=None)
def language_rules(lang: str) -> LanguageRules:
    return LanguageRules(lang)


def is_word(token: Token) -> bool:
    return token.text[0].isalnum()


def lexicon_spans(tokens: Sequence[Token], lexicon: Lexicon, type_: str, prefix: str) -> list[Span]:
    return [
        Span(m.start_token, m.end_token, m.start, m.end, type_, f"lexicon:{prefix}", f"{prefix}:{m.value}")
        for m in lexicon.find_all(tokens)
    ]


def nested_body_spans(rules: LanguageRules, tokens: Sequence[Token], outer: list[Span]) -> list[Span]:
    """Known bodies named inside a longer known body name: the parent in a commission's name."""
    spans = []
    for span in outer:
        for i in range(span.start_token, span.end_token):
            for m in rules.bodies.matches_at(tokens, i):
                end_token = m.end_token
                # Arabic: the province after a body belongs to its name (لجنة الحزب الإقليمية ها تينه).
                place = rules.locations.match_at(tokens, end_token, False) if rules.lang == "ar" and end_token < len(tokens) else None
                if place and place.end_token <= span.end_token:
                    end_token = place.end_token
                if end_token <= span.end_token and (m.start_token, end_token) != (span.start_token, span.end_token):
                    spans.append(Span(m.start_token, end_token, m.start, tokens[end_token - 1].end, "Organization", "lexicon:body-nested", f"body:{m.value}"))
    return spans


def drop_named_tail(spans: list[Span], lang: str) -> list[Span]:
    """Drop a nested body that shares its head side with the body containing it.

    In ``प्रांतीय पार्टी समिति की स्थायी समिति`` the trailing ``स्थायी समिति`` is
    the outer body itself, not another body; Arabic puts the head first.
    """
    orgs = [s for s in spans if s.type == "Organization"]

    def is_tail(span: Span) -> bool:
        for other in orgs:
            if other is span or (other.start, other.end) == (span.start, span.end):
                continue
            if other.start <= span.start and span.end <= other.end:
                if (lang == "ar" and span.start_token == other.start_token) or (lang != "ar" and span.end_token == other.end_token):
                    return True
        return False

    return [s for s in spans if s.type != "Organization" or not is_tail(s)]


def drop_places_in_fixed_names(spans: list[Span]) -> list[Span]:
    """A place inside a known body's fixed name (वियतनाम in Vietnam Fatherland Front) is not a mention of the place."""
    fixed = [s for s in spans if s.type == "Organization" and s.rule == "lexicon:body"]
    return [
        s
        for s in spans
        if s.type != "Location" or not any(f.start <= s.start and s.end <= f.end for f in fixed)
    ]


def quoted_segments(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """(first inner token, end token) of quoted segments, quotes paired left to right."""
    positions = [i for i, t in enumerate(tokens) if t.text in QUOTES]
    segments = []
    for open_i, close_i in zip(positions[::2], positions[1::2]):
        if close_i > open_i + 1:
            segments.append((open_i + 1, close_i))
    return segments


def campaign_spans(rules: LanguageRules, tokens: Sequence[Token]) -> list[Span]:
    """Quoted names announced by a cue word before the quote or right after it.

    A list of quoted names shares one cue: ``"A", "B" अनुकरण आंदोलन`` and
    ``حملة "A"، و"B"``.
    """
    segments = quoted_segments(tokens)
    cue_ends = {m.end_token for m in rules.cues.find_all(tokens)}
    cue_starts = {m.start_token for m in rules.cues.find_all(tokens)}
    spans = []
    cued = [False] * len(segments)
    for n, (first, end) in enumerate(segments):
        before = first - 1  # the opening quote
        if before in cue_ends or (before - 1) in cue_ends:
            cued[n] = True
        if end + 1 in cue_starts:
            cued[n] = True
        if rules.campaigns.match_at(tokens, first) and (
            rules.campaigns.match_at(tokens, first).end_token == end  # type: ignore[union-attr]
        ):
            cued[n] = True
    # Spread a cue along a list of quoted names separated by commas and conjunctions.
    for direction in (1, -1):
        order = range(len(segments)) if direction == 1 else range(len(segments) - 1, -1, -1)
        previous = None
        for n in order:
            if previous is not None and cued[previous] and joined_by_list(rules, tokens, segments, previous, n):
                cued[n] = True
            previous = n
    for n, (first, end) in enumerate(segments):
        if cued[n]:
            known = rules.campaigns.match_at(tokens, first)
            key = f"campaign:{known.value}" if known and known.end_token == end else ""
            spans.append(Span(first, end, tokens[first].start, tokens[end - 1].end, "Campaign", "quote+cue", key, 0.9))
    return spans


def joined_by_list(rules: LanguageRules, tokens: Sequence[Token], segments: list, a: int, b: int) -> bool:
    lo, hi = sorted((a, b))
    between = tokens[segments[lo][1] + 1 : segments[hi][0] - 1]
    allowed = {",", "،", ";", "؛"} | rules.function_words
    return len(between) <= 2 and all(
        t.text in allowed or fold(t.text, rules.lang) in allowed or t.text in "وو" for t in between
    )


def ordinal_at(rules: LanguageRules, tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
    """(end token, number) of an ordinal starting at token i (13वीं, छठी, الثالث عشر), else None."""
    if ORDINAL_SUFFIX.match(tokens[i].text):
        return i + 1, int(re.match(r"\d+", tokens[i].text).group())  # type: ignore[union-attr]
    match = rules.ordinals.match_at(tokens, i, allow_proclitic=False)
    return (match.end_token, int(match.value)) if match else None


def named_event_spans(rules: LanguageRules, tokens: Sequence[Token]) -> list[Span]:
    """Numbered congresses and bodies: an ordinal and a head noun within a few words.

    Hindi: ``13वीं राष्ट्रीय पार्टी कांग्रेस``, ``14वीं केंद्रीय समिति``.
    Arabic: ``المؤتمر الوطني الثالث عشر للحزب``. The key carries the event
    type and number (``event:congress:13``) so renderings in both languages
    resolve to one event.
    """
    spans = []
    for i in range(len(tokens)):
        ordinal = ordinal_at(rules, tokens, i)
        if ordinal is None:
            continue
        ordinal_end, number = ordinal
        if rules.lang == "ar":
            # The event noun comes first: walk back from the ordinal over adjectives.
            j = i - 1
            while j >= 0 and i - j <= 3:
                event = rules.events.match_at(tokens, j)
                if event and event.end_token <= i:
                    end = ordinal_end
                    if end < len(tokens) and fold(tokens[end].text, "ar") in ("للحزب", "الحزب"):
                        end += 1
                    spans.append(Span(j, end, event.start, tokens[end - 1].end, "Event", "ordinal+event", f"event:{event.value}:{number}"))
                    break
                j -= 1
            continue
        for j in range(ordinal_end, min(len(tokens), ordinal_end + 8)):
            if not is_word(tokens[j]):
                break
            event = rules.events.match_at(tokens, j)
            if event and event.value == "congress":
                spans.append(Span(i, event.end_token, tokens[i].start, tokens[event.end_token - 1].end, "Event", "ordinal+event", f"event:congress:{number}"))
                break
            if rules.is_head(tokens[j]) and j > ordinal_end:
                spans.append(Span(i, j + 1, tokens[i].start, tokens[j].end, "Organization", "ordinal+body"))
                break
            if fold(tokens[j].text, rules.lang) in rules.function_words:
                break
    return spans


def body_core_end_hi(rules: LanguageRules, tokens: Sequence[Token], i: int) -> int | None:
    """End of a Hindi body core at i: modifiers (and hyphens) ending on a head noun."""
    j = i
    last_head = None
    modifiers = 0
    while j < len(tokens):
        token = tokens[j]
        if rules.is_head(token):
            last_head = j + 1
        elif rules.is_modifier(token):
            modifiers += 1
        elif token.text in "-–" and j + 1 < len(tokens) and j > i:
            pass
        else:
            break
        j += 1
    if last_head is None or (last_head - i < 2):
        return None
    return last_head


def body_spans_hi(rules: LanguageRules, tokens: Sequence[Token]) -> list[Span]:
    """Body cores and their genitive chains: ``A के B की C`` names C of B of A."""
    cores: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        end = body_core_end_hi(rules, tokens, i)
        known = rules.bodies.match_at(tokens, i)
        if known and (end is None or known.end_token > end):
            end = known.end_token
        if end:
            cores.append((i, end))
            i = end
        else:
            i += 1
    spans = [Span(s, e, tokens[s].start, tokens[e - 1].end, "Organization", "grammar:core", confidence=0.8) for s, e in cores]
    # Chains: core, link, core -> one span (the last core is the named body).
    for n in range(len(cores)):
        s, e = cores[n]
        m = n
        while m + 1 < len(cores) and cores[m + 1][0] == cores[m][1] + 1 and rules.is_link(tokens[cores[m][1]]):
            m += 1
            chain_end = cores[m][1]
            spans.append(Span(s, chain_end, tokens[s].start, tokens[chain_end - 1].end, "Organization", "grammar:chain", confidence=0.8))
    return spans


def body_core_ar(rules: LanguageRules, tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
    """(start offset, end token) of an Arabic body core at i: a head noun and its modifiers."""
    known = rules.bodies.match_at(tokens, i)
    head_readings = [(k, s) for k, s in rules.readings(tokens[i]) if k in rules.heads]
    if not head_readings and not known:
        return None
    j = i + 1
    modifiers = 0
    while j < len(tokens) and rules.continues_body_ar(tokens[j]):
        modifiers += 1
        j += 1
    if known and known.end_token >= j:
        return known.start, known.end_token
    if not modifiers:
        return None
    return head_readings[0][1], j


def body_spans_ar(rules: LanguageRules, tokens: Sequence[Token]) -> list[Span]:
    """Arabic bodies: a head noun, its modifiers, a linked parent body and a place name.

    ``لجنة التعبئة الجماهيرية التابعة للجنة الحزب الإقليمية ها تينه`` is one
    body (the commission) with its parent and its province nested inside.
    """
    cores: list[tuple[int, int, int]] = []  # (start token, end token, start offset)
    i = 0
    while i < len(tokens):
        core = body_core_ar(rules, tokens, i)
        if core is None:
            i += 1
            continue
        start, end = core
        place = rules.locations.match_at(tokens, end, allow_proclitic=False) if end < len(tokens) else None
        if place:
            end = place.end_token
        cores.append((i, end, start))
        i = end
    spans = [Span(s, e, o, tokens[e - 1].end, "Organization", "grammar:core", confidence=0.8) for s, e, o in cores]
    for n in range(len(cores)):
        s, e, o = cores[n]
        m = n
        while m + 1 < len(cores):
            gap = cores[m + 1][0] - cores[m][1]
            # Construct state links with the preposition ل (لجنة … للجنة الحزب); و would be "and".
            genitive = gap == 0 and tokens[cores[m + 1][0]].text.startswith("ل")
            if genitive or (gap == 1 and rules.is_link(tokens[cores[m][1]])):
                m += 1
                chain_end = cores[m][1]
                spans.append(Span(s, chain_end, o, tokens[chain_end - 1].end, "Organization", "grammar:chain", confidence=0.8))
            else:
                break
    return spans


def place_spans(rules: LanguageRules, tokens: Sequence[Token], persons: list[Span]) -> list[Span]:
    """Name-syllable runs marked as places by a place noun (येन खान जिले, مقاطعة ها تينه).

    In a list ending in a place noun (नहो क्वान, किम सोन, होआ लू जिले) every item is a place.
    """
    spans = []
    by_start = {p.start_token: p for p in persons}
    by_end = {p.end_token: p for p in persons}
    for i, token in enumerate(tokens):
        row = rules.place_words.get(fold(token.text, rules.lang))
        if not row:
            continue
        position = row[2] if len(row) > 2 else "after"
        if position == "after" and i in by_end:
            run = by_end[i]
            chain = [run]
            k = run.start_token
            while k >= 2 and tokens[k - 1].text in ",،" and (k - 1) in by_end:
                run = by_end[k - 1]
                chain.append(run)
                k = run.start_token
            for p in chain:
                spans.append(Span(p.start_token, p.end_token, p.start, p.end, "Location", "place-noun", confidence=0.8))
        elif position == "before" and i + 1 in by_start:
            p = by_start[i + 1]
            spans.append(Span(p.start_token, p.end_token, p.start, p.end, "Location", "place-noun", confidence=0.8))
    return spans


def person_spans(rules: LanguageRules, tokens: Sequence[Token], places: set[int] = frozenset()) -> list[Span]:  # type: ignore[assignment]
    """Runs of two to five name syllables, never across a known place name.

    A syllable that is also an ordinary word (Hindi दो "two") may start a name
    only after a title or when the rest of the run is unambiguous.
    """
    spans = []
    i = 0
    titled = {m.end_token for m in rules.titles.find_all(tokens)}
    while i < len(tokens):
        j = i
        latin = []
        common = []
        while j < len(tokens) and j - i < 5 and j not in places:
            syl = rules.syllable(tokens[j])
            if syl is None or (fold(tokens[j].text, rules.lang) in rules.function_words and j > i and j - i >= 2):
                break
            latin.append(syl[0])
            common.append(syl[1])
            j += 1
        while j - i >= 2 and common[-1] and (j - 1) > i:
            j -= 1
            latin.pop()
            common.pop()
        length = j - i
        if length >= 2:
            ambiguous = sum(common)
            # A line that is nothing but a name is a byline (ها لينه, माई लान-डुक लाम).
            byline = all(not is_word(t) or rules.syllable(t) for t in tokens)
            if ambiguous == 0 or i in titled or byline or (ambiguous == 1 and length >= 3):
                key = "person:" + " ".join(latin)
                spans.append(Span(i, j, tokens[i].start, tokens[j - 1].end, "Person", "syllables", key, 0.9))
                i = j
                continue
        i += 1
    return spans


def select(spans: list[Span]) -> list[Span]:
    """Keep non-crossing spans: longer (then higher-priority) wins; allowed nestings survive."""
    ordered = sorted(spans, key=lambda s: (-(s.end - s.start), -PRIORITY[s.type], -s.confidence, s.start, s.rule))
    kept: list[Span] = []
    for span in ordered:
        ok = True
        for other in kept:
            if span.end <= other.start or span.start >= other.end:
                continue
            inside = other.start <= span.start and span.end <= other.end
            if inside and (other.type, span.type) in NESTING and (span.start, span.end) != (other.start, other.end):
                continue
            ok = False
            break
        if ok:
            kept.append(span)
    return sorted(kept, key=lambda s: (s.start, -s.end))


class RuleRecognizer:
    """The domain recognisers for one document at a time, in any supported language."""

    name = "rules"

    def recognize(self, document: Document, sentences: list[Sentence]) -> list[Mention]:
        rules = language_rules(document.lang)
        mentions = []
        for sentence in sentences:
            for span in self.sentence_spans(rules, sentence.tokens):
                mentions.append(
                    Mention(
                        doc_id=document.id,
                        sentence=sentence.index,
                        start=span.start,
                        end=span.end,
                        text=document.text[span.start : span.end],
                        type=span.type,
                        source=f"rule:{span.rule}",
                        confidence=span.confidence,
                        key=span.key,
                    )
                )
        return mentions

    def sentence_spans(self, rules: LanguageRules, tokens: Sequence[Token]) -> list[Span]:
        if not tokens:
            return []
        places = lexicon_spans(tokens, rules.locations, "Location", "loc")
        bodies = lexicon_spans(tokens, rules.bodies, "Organization", "body")
        persons = person_spans(rules, tokens, {i for p in places for i in range(p.start_token, p.end_token)})
        grammar = body_spans_ar(rules, tokens) if rules.lang == "ar" else body_spans_hi(rules, tokens)
        spans = (
            bodies
            + grammar
            + nested_body_spans(rules, tokens, bodies + grammar)
            + lexicon_spans(tokens, rules.campaigns, "Campaign", "campaign")
            + places
            + campaign_spans(rules, tokens)
            + named_event_spans(rules, tokens)
            + place_spans(rules, tokens, persons)
            + persons
        )
        spans = [s for s in spans if not self.names_a_group(rules, tokens, s) and not self.generic_campaign(rules, tokens, s)]
        kept = drop_named_tail(select(drop_named_tail(spans, rules.lang)), rules.lang)
        return drop_places_in_fixed_names(kept)

    @staticmethod
    def names_a_group(rules: LanguageRules, tokens: Sequence[Token], span: Span) -> bool:
        """A body phrase ending on a plural head (पार्टी समितियों, لجان الحزب) is a group, not one body."""
        if span.type != "Organization":
            return False
        head = tokens[span.end_token - 1] if rules.lang != "ar" else tokens[span.start_token]
        return any(key in rules.plurals for key, _ in rules.readings(head))

    @staticmethod
    def generic_campaign(rules: LanguageRules, tokens: Sequence[Token], span: Span) -> bool:
        """A short campaign name (प्रशासनिक सुधार) counts only in quotes: unquoted it is an ordinary phrase."""
        if span.type != "Campaign" or span.rule != "lexicon:campaign" or span.end_token - span.start_token >= 3:
            return False
        quoted = span.start_token > 0 and tokens[span.start_token - 1].text in QUOTES
        return not quoted
