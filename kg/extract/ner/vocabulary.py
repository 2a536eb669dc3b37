"""The vocabulary the domain recognisers share: spans and per-language lexicons.

``LanguageRules`` loads every resource table of one language once; the
finders in ``kg.extract.ner.rules`` and ``kg.extract.ner.bodies`` read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from kg.extract import gazetteer
from kg.extract.lexicon import Lexicon, alone_bodies, build_lexicon, fold, resource_lexicon, text_keys, token_keys, unqualified_bodies
from kg.model import Token
from kg.extract.resources import load_table
from kg.extract.translit import syllable_reading

QUOTES = "\"“”«»„‟"
NESTING = {
    ("Organization", "Organization"),
    ("Organization", "Location"),
    ("Location", "Organization"),  # a venue named after a body: पार्टी केंद्रीय समिति मुख्यालय
    ("Event", "Location"),
    ("Event", "Organization"),
    ("Campaign", "Person"),
    ("Campaign", "Location"),
    ("Organization", "Campaign"),
    ("Organization", "Event"),  # a committee for an event: اللجنة المنظمة للذكرى الثمانين لـX
}
NISBA_FEMININE = "ية"  # an Arabic adjective of relation agreeing with a feminine noun (الحكومة المحلية)
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
        self.body_scopes = {r[1]: r[3] for r in load_table(lang, "bodies") if len(r) > 3}
        # Rows flagged "alone" name their body only at a clause's start or after a separator.
        self.alone_bodies = alone_bodies(lang)
        self.unqualified_bodies = unqualified_bodies(lang)
        self.campaigns = resource_lexicon(lang, "campaigns")
        self.locations = resource_lexicon(lang, "locations")
        self.events = resource_lexicon(lang, "events")
        self.named_events = resource_lexicon(lang, "named_events")
        self.epithets = resource_lexicon(lang, "person_epithets")
        self.triggers = resource_lexicon(lang, "triggers")
        self.delegates = {fold(r[0], lang) for r in load_table(lang, "event_qualifiers") if len(r) > 1 and r[1] == "delegates"}
        self.titles = resource_lexicon(lang, "titles", None)
        self.posts = resource_lexicon(lang, "posts")
        cue_rows = load_table(lang, "campaign_cues")
        # "list" cues (परियोजनाएं, projects) announce campaigns only in a list: …, जैसे: "A", "B".
        # "theme" words (नारा, شعار: slogan) quote an event's theme, a campaign only after a cue.
        flag = {r: (r[1] if len(r) > 1 else "") for r in cue_rows}
        self.cues = build_lexicon(lang, [r for r in cue_rows if flag[r] == ""], None)
        self.list_cues = build_lexicon(lang, [r for r in cue_rows if flag[r] in ("", "list")], None)
        self.theme_cues = build_lexicon(lang, [r for r in cue_rows if flag[r] == "theme"], None)
        place_rows = load_table(lang, "place_words")
        self.place_words = {fold(r[0], lang): r for r in place_rows if len(r) < 2 or r[1] != "venue"}
        self.venues = {fold(r[0], lang): (r[3] if len(r) > 3 else r[0]) for r in place_rows if len(r) > 1 and r[1] == "venue"}
        self.venue_phrases = build_lexicon(lang, [(r[0], r[3]) for r in place_rows if len(r) > 3 and r[1] == "venue"])
        self.countries = {"loc:" + r[1] for r in load_table(lang, "locations") if len(r) > 3 and r[3] == "country"}
        self.demonyms = {fold(r[0], lang): "loc:" + r[1] for r in load_table(lang, "demonyms") if len(r) > 1}
        self.function_words = {fold(r[0], lang) for r in load_table(lang, "function_words")}
        self.raw_function_words = {r[0] for r in load_table(lang, "function_words")}  # as written, before folding
        self.examples = {fold(r[0], lang) for r in load_table(lang, "function_words") if len(r) > 1 and r[1] == "example"}
        self.postpositions = {fold(r[0], lang) for r in load_table(lang, "function_words") if len(r) > 1 and r[1] == "postposition"}
        self.clause_verbs = {fold(r[0], lang) for r in load_table(lang, "function_words") if len(r) > 1 and r[1] == "verb"}
        self.photo_words = {fold(r[0], lang) for r in load_table(lang, "function_words") if len(r) > 1 and r[1] == "photo"}
        roles: dict[str, set[str]] = {}
        for row in load_table(lang, "body_words"):
            if len(row) > 1:
                roles.setdefault(row[1], set()).add(fold(row[0], lang))
        self.heads = roles.get("head", set())
        self.modifiers = roles.get("modifier", set())
        self.links = roles.get("link", set())
        self.body_stops = roles.get("stop", set())
        self.plurals = roles.get("plural", set())
        # The level adjective "provincial" (प्रांतीय, الإقليمي): a province's own building is written with it.
        self.provincial = {fold(r[0], lang) for r in load_table(lang, "body_words") if len(r) > 2 and r[1] == "modifier" and r[2] == "Provincial"}
        self.body_token_keys = self.heads | self.modifiers | (set(self.bodies.root) - self.alone_bodies)

    def known_body_at(self, tokens: Sequence[Token], i: int):  # noqa: ANN201 (a lexicon Match or None)
        """The bodies table's longest match at token ``i``, unless it is a word that names its body only standing alone and does not."""
        match = self.bodies.match_at(tokens, i)
        if match is not None and not self.stands_alone(tokens, Span(match.start_token, match.end_token, 0, 0, "Organization", "")):
            return None
        return match

    def stands_alone(self, tokens: Sequence[Token], span: Span) -> bool:
        """Whether a body span flagged "alone" has nothing qualifying it before it, and one flagged
        "unqualified" no Arabic adjective of relation after it (الحكومة المحلية, الحكومة الماليزية)."""
        word = fold(tokens[span.start_token].text, self.lang) if span.end_token - span.start_token == 1 else None
        if word is not None and word in self.unqualified_bodies and span.end_token < len(tokens):
            after = tokens[span.end_token].text
            # Only a feminine singular agrees with الحكومة; أعضاء الحكومة المعنيون qualifies the members.
            if after.startswith("ال") and after.endswith(NISBA_FEMININE):
                return False
        if word is None or word not in self.alone_bodies:
            return True
        if span.start_token == 0:
            return True
        # Not after a conjunction: "the Party and the government" (पार्टी और सरकार) is the state in general;
        # and a noun, not a compound's first word (सरकार निर्माण: government-building): a separator or
        # a function word follows.
        if tokens[span.start_token - 1].text[0].isalnum():
            return False
        after = tokens[span.end_token] if span.end_token < len(tokens) else None
        return after is None or not after.text[0].isalnum() or fold(after.text, self.lang) in self.function_words

    def readings(self, token: Token) -> list[tuple[str, int]]:
        return token_keys(token, self.lang)

    def place_word(self, token: Token) -> tuple[str, ...] | None:
        """The row of the level noun a token is (प्रांत, مقاطعة), as written or behind an Arabic proclitic (وبلديات)."""
        return next((self.place_words[key] for key, _ in text_keys(token.text, self.lang) if key in self.place_words), None)

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

    def has_branches(self, body_key: str) -> bool:
        """Whether a body has a branch per place: local bodies, the Front and the mass organisations.

        The National Assembly or a ministry named before a place (… في هانوي) is
        the national body, the place saying something else.
        """
        kind, _, body = body_key.partition(":")
        if kind != "body":
            return True  # a body the grammar read: its own words say what it is
        body = body.partition("@")[0]
        return self.body_scopes.get(body) == "local" or gazetteer.kind(gazetteer.canonical_id(body)) in ("front", "mass-organisation")

    def venue(self, token: Token) -> tuple[str, int] | None:
        """(English name, where the noun starts) of a building noun (मुख्यालय, مقر → Headquarters): with a body, it names a place.

        The start is after a proclitic glued to it (بمقر = ب + مقر), which is no part of the place.
        """
        return next(((self.venues[key], token.start + delta) for key, delta in text_keys(token.text, self.lang) if key in self.venues), None)

    def is_link(self, token: Token) -> bool:
        return fold(token.text, self.lang) in self.links

    def syllable(self, token: Token) -> tuple[str, bool] | None:
        return self.syllable_text(token.text)

    def syllable_text(self, text: str) -> tuple[str, bool] | None:
        """(Latin, also an ordinary word) of a name syllable: a table row, or a loose variant of one."""
        return syllable_reading(text, self.lang)


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


