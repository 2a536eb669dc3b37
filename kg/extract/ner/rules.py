"""Domain recognisers driven by the language resources.

Each finder looks at one sentence's tokens and proposes spans:

- known names from the lexicons (bodies, campaigns, places);
- quoted campaign names next to a cue word (अनुकरण आंदोलन "…", حملة "…"):
  ``campaign_names``;
- named congresses and numbered bodies (13वीं राष्ट्रीय पार्टी कांग्रेस), a body's
  own events and committees for events: ``event_names``;
- generic bodies from the body grammar (modifiers + head noun, chained by
  genitive links: Hindi ``X की स्थायी समिति``, Arabic ``لجنة … التابعة للجنة …``);
- places marked by a place noun (येन खान जिले, مقاطعة ها تينه): ``places``;
- persons: runs of Vietnamese name syllables, as written in the script, and
  guests' names after an honorific: ``names``.

Overlaps are settled in ``select``: a longer span wins over a shorter one it
crosses; a span inside another survives only where nesting is meaningful
(a parent body inside a commission's name, a place inside a body or event, a
person inside a campaign name).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from kg.extract import gazetteer
from kg.extract.lexicon import fold
from kg.extract.ordinals import ORDINAL_SUFFIX
from kg.extract.ordinals import ordinal_at
from kg.extract.name_reading import romanize_name
from kg.model import Document, Mention, Sentence, Token
from kg.extract.ner.campaign_names import campaign_spans, genitive_campaign_spans
from kg.extract.ner.event_names import committees_for_events, named_event_spans, owned_events
from kg.extract.ner.bodies import body_spans_ar, body_spans_hi, drop_branch_name_parts, drop_named_tail, drop_places_in_fixed_names, nested_body_spans
from kg.extract.ner.credits import ACRONYM, credit_spans, photographer_spans, source_line_spans, venue_spans
from kg.extract.ner.names import foreign_name_spans, person_spans
from kg.extract.ner.places import place_spans
from kg.extract.ner.vocabulary import (
    NESTING,
    PRIORITY,
    QUOTES,
    LanguageRules,
    Span,
    language_rules,
    lexicon_spans,
)


def place_qualified_bodies(rules: LanguageRules, tokens: Sequence[Token], spans: list[Span], known_places: Sequence[Span] = ()) -> list[Span]:
    """A body written with its place is one name: the place's branch of the body.

    Hindi puts the place first, bare or with its level noun and a genitive
    (``विन्ह लांग प्रांतीय पार्टी समिति``, ``नाम कैट तिएन कम्यून के किसान संघ``); Arabic
    after the body, bare, behind في or a proclitic, with or without the level
    noun (``لجنة الحزب الإقليمية في ها تينه``, ``جمعية المزارعين بمقاطعة كوانج نام``).
    The place stays a Location mention inside the body's name; the key carries
    it (``body:<id>@<place key>``) so that the resolver qualifies the body by
    this place rather than by the article's province. ``known_places`` are the
    gazetteer's places before selection, which a body sharing their level noun
    may have crossed out.
    """
    places = [s for s in spans if s.type == "Location"]
    by_start = {p.start_token: p for p in places}
    by_end = {p.end_token: p for p in places}
    known_by_end = {p.end_token: p for p in known_places}
    known_by_start = {p.start_token: p for p in known_places}
    found = []
    for body in spans:
        if body.type != "Organization":
            continue
        termed = term_of_body(rules, tokens, body)
        if termed:
            found.append(termed)
            body = termed
        foreign = foreign_body(rules, tokens, body, by_end)
        if foreign is not None:
            found.append(foreign)
            continue
        if rules.lang == "ar":
            k = body.end_token
            # The body's abbreviation may stand between it and its place: لجنة جبهة الوطن (VFF) بمقاطعة …
            if k + 2 < len(tokens) and tokens[k].text == "(" and ACRONYM.match(tokens[k + 1].text) and tokens[k + 2].text == ")":
                k += 3
            if k < len(tokens) and fold(tokens[k].text, rules.lang) in rules.links:
                k += 1
            known = known_by_start.get(k)
            if known is not None and k not in by_start and rules.place_word(tokens[k]):
                # A place named with its level noun (مدينة هوشي منه: Ho Chi Minh alone is the person),
                # crossed out by a longer reading of the whole.
                by_start[k] = known
                found.append(known)
            level = rules.place_word(tokens[k]) if k < len(tokens) and k not in by_start else None
            if level:
                k += 1
            place = by_start.get(k)
            if place is None or (k == body.end_token and "@" in body.key):
                continue
            start, end, start_char, end_char = body.start_token, place.end_token, body.start, place.end
        else:
            k = body.start_token
            place = by_end.get(k)
            level = None
            # A place whose name ends with the level noun the body begins with (हो ची मिन्ह शहर +
            # शहर पार्टी समिति): the place named in full, not the syllables before the noun.
            overlapping = known_by_end.get(k + 1) if rules.place_word(tokens[k]) else None
            if overlapping is not None and overlapping.start_token < k and (place is None or overlapping.start_token <= place.start_token):
                place = overlapping
                found.append(place)  # it stands inside the body's name in place of the bare syllables
            if place is None and k >= 2 and rules.is_link(tokens[k - 1]) and rules.place_word(tokens[k - 2]):
                place = by_end.get(k - 2)
                level = rules.place_word(tokens[k - 2])
            if place is None:
                continue
            start, end, start_char, end_char = place.start_token, body.end_token, place.start, body.end
        if place.key in rules.countries and place.key != HOME_COUNTRY:
            # Another country's body (الجمعية الوطنية في لاوس): not Vietnam's, located there.
            found.append(Span(start, end, start_char, end_char, "Organization", "grammar:place-body", f"{body.key}@{place.key}#country", body.confidence))
            continue
        if place.key in rules.countries:
            # The national body "of Vietnam" (جمعية المزارعين في فيتنام): the same body, named in full.
            found.append(Span(start, end, start_char, end_char, "Organization", "grammar:place-body", body.key, body.confidence))
            continue
        if not rules.has_branches(body.key):
            continue
        where = place.key if place.key.startswith("loc:") else "name:" + " ".join(t.text for t in tokens[place.start_token : place.end_token])
        if level and len(level) > 1 and level[1] in gazetteer.LOCAL_PLACE_KINDS:
            where += "#" + level[1]  # the body of a commune or ward, not a province's
        found.append(Span(start, end, start_char, end_char, "Organization", "grammar:place-body", f"{body.key}@{where}", body.confidence))
    return found + venue_spans(rules, tokens, spans)


HOME_COUNTRY = "loc:vietnam"


def foreign_body(rules: LanguageRules, tokens: Sequence[Token], body: Span, places_by_end: dict[int, Span]) -> Span | None:
    """A body named with another country's adjective is that country's (الجمعية الوطنية اللاوية, लाओ नेशनल असेंबली).

    Arabic writes the adjective after the name, Hindi before it (and not as the start of
    a place: लाओ काई is the province Lao Cai).
    """
    if "@" in body.key or not body.key.startswith("body:"):
        return None
    if rules.lang == "ar":
        k = body.end_token
        country = rules.demonyms.get(fold(tokens[k].text, rules.lang)) if k < len(tokens) else None
        if country is None:
            return None
        start, end = body.start_token, k + 1
        start_char, end_char = body.start, tokens[k].end
    else:
        k = body.start_token - 1
        country = rules.demonyms.get(fold(tokens[k].text, rules.lang)) if k >= 0 and k + 1 not in places_by_end else None
        if country is None:
            return None
        start, end = k, body.end_token
        start_char, end_char = tokens[k].start, body.end
    return Span(start, end, start_char, end_char, "Organization", "grammar:foreign-body", f"{body.key}@{country}#country", body.confidence)


def superseded_by_places(spans: list[Span], placed: list[Span], lang: str) -> list[Span]:
    """The spans less each body a place-qualified span writes in full (the body, then its place).

    Left in, the bare body could outlast its own longer form in ``select``: in اللجنة الدائمة
    للجنة الحزب الإقليمية في آن جيانج the bare standing committee is longer in characters
    than the party committee with its place, and the two cross.
    """
    heads = {(p.start_token, p.end_token) for p in placed if p.rule in ("grammar:place-body", "grammar:foreign-body")}

    def written_in_full(s: Span) -> bool:
        # Arabic writes the body first and its place after, Hindi the place first.
        if lang == "ar":
            return any(s.start_token == a and s.end_token < b for a, b in heads)
        return any(s.end_token == b and s.start_token > a for a, b in heads)

    return [s for s in spans if not (s.type == "Organization" and written_in_full(s))]


def term_of_body(rules: LanguageRules, tokens: Sequence[Token], body: Span) -> Span | None:
    """A body with its term (``15वीं राष्ट्रीय सभा``, ``الجمعية الوطنية الخامسة عشرة``): one name.

    The key stays the body's: the sitting body named with its term is the same body.
    """
    if rules.lang == "ar":
        ordinal = ordinal_at(tokens, body.end_token, rules.lang) if body.end_token < len(tokens) else None
        if ordinal:
            end = ordinal[0]
            return Span(body.start_token, end, body.start, tokens[end - 1].end, "Organization", "grammar:term-body", body.key, body.confidence)
        return None
    if body.start_token > 0 and ORDINAL_SUFFIX.match(tokens[body.start_token - 1].text):
        start = body.start_token - 1
        return Span(start, body.end_token, tokens[start].start, body.end, "Organization", "grammar:term-body", body.key, body.confidence)
    return None


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


def places_named_as_places(rules: LanguageRules, mentions: list[Mention]) -> list[Mention]:
    """A name the article writes as a place (حي راش جيا, लिएम फु कम्यून) is that place wherever it stands.

    The person rule reads any run of name syllables; a run the same article has
    introduced with a level noun is the place, there and elsewhere in it (one
    sense per article). A preposition read as a syllable before it (في) is left out.
    """
    places = {m.text: m for m in mentions if m.type == "Location" and m.source == "rule:place-noun"}
    # A place the article also spells another way (थुआ थिएन ह्यू, थुआ थीएन ह्यु) reads the same.
    readings = {romanize_name(m.text, rules.lang): m for m in mentions if m.type == "Location" and m.key.startswith(("loc:", "level:"))}
    readings.pop("", None)
    if not places and not readings:
        return mentions
    found = []
    for mention in mentions:
        text = mention.text
        if mention.type == "Person" and text not in places:
            first, _, rest = text.partition(" ")
            if rest in places and fold(first, rules.lang) in rules.function_words:
                text = rest
        if mention.type == "Person" and text in places:
            place = places[text]
            start = mention.end - len(text)
            mention = replace(mention, start=start, text=text, type="Location", key=place.key, source="rule:place-noun")
        elif mention.type == "Person" and " " in text and romanize_name(text, rules.lang) in readings:
            place = readings[romanize_name(text, rules.lang)]
            mention = replace(mention, type="Location", key=place.key, source=place.source)
        found.append(mention)
    return found


class RuleRecognizer:
    """The domain recognisers for one document at a time, in any supported language."""

    name = "rules"
    description = "rules (domain recognisers)"

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
        return places_named_as_places(rules, mentions)

    def sentence_spans(self, rules: LanguageRules, tokens: Sequence[Token]) -> list[Span]:
        if not tokens:
            return []
        places = lexicon_spans(tokens, rules.locations, "Location", "loc")
        bodies = [s for s in lexicon_spans(tokens, rules.bodies, "Organization", "body") if rules.stands_alone(tokens, s)]
        persons = person_spans(rules, tokens, places)
        grammar = body_spans_ar(rules, tokens) if rules.lang == "ar" else body_spans_hi(rules, tokens)
        spans = (
            bodies
            + grammar
            + nested_body_spans(rules, tokens, bodies + grammar)
            + lexicon_spans(tokens, rules.campaigns, "Campaign", "campaign")
            + places
            + campaign_spans(rules, tokens)
            + genitive_campaign_spans(rules, tokens)
            + named_event_spans(rules, tokens)
            + lexicon_spans(tokens, rules.named_events, "Event", "history")
            + place_spans(rules, tokens, persons)
            + persons
            + foreign_name_spans(rules, tokens, persons)
            + lexicon_spans(tokens, rules.epithets, "Person", "epithet")
        )
        spans = [s for s in spans if not self.names_a_group(rules, tokens, s) and not self.generic_campaign(rules, tokens, s)]
        kept = drop_named_tail(select(drop_named_tail(spans, rules.lang)), rules.lang)
        kept = drop_places_in_fixed_names(kept)
        placed = place_qualified_bodies(rules, tokens, kept, places) + credit_spans(tokens, kept) + source_line_spans(tokens) + photographer_spans(rules, tokens, kept)
        if placed:
            kept = drop_named_tail(select(superseded_by_places(kept, placed, rules.lang) + placed), rules.lang)
        if rules.lang == "ar":
            # A numbered دورة "for" (ل) a body named right before it is the body's term, no session
            # (أعضاء الحكومة للدورة الخامسة عشرة); one the body opens is a session (افتتحت الجمعية الوطنية الدورة التاسعة).
            body_ends = {s.end_token for s in kept if s.type == "Organization"}
            kept = [
                s for s in kept
                if not (s.key.startswith("event:session:") and s.start_token in body_ends and tokens[s.start_token].text.startswith("ل"))
            ]
        owned = owned_events(rules, tokens, kept)
        if owned:
            kept = select(kept + owned)
        committees = committees_for_events(rules, tokens, kept)
        if committees:
            kept = select(kept + committees)
        # "The 80th anniversary" alone names no event: the annotations mark an anniversary only with
        # what it is of (الذكرى الثمانين لثورة أغسطس), which the owned-event grammar reads.
        kept = [s for s in kept if not (s.key.startswith("event:anniversary:") and "@" not in s.key)]
        return drop_branch_name_parts(rules, tokens, kept)

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
