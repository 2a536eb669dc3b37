"""Domain recognisers driven by the language resources.

Each finder looks at one sentence's tokens and proposes spans:

- known names from the lexicons (bodies, campaigns, places);
- quoted campaign names next to a cue word (अनुकरण आंदोलन "…", حملة "…");
- named congresses and numbered bodies (13वीं राष्ट्रीय पार्टी कांग्रेस);
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
from kg.extract.lexicon import Match, fold, text_keys
from kg.extract.ordinals import ORDINAL_SUFFIX
from kg.extract.ordinals import ordinal_at
from kg.extract.translit import romanize_name
from kg.model import Document, Mention, Sentence, Token
from kg.extract.ner.bodies import body_spans_ar, body_spans_hi, drop_branch_name_parts, drop_named_tail, drop_places_in_fixed_names, nested_body_spans
from kg.extract.ner.credits import ACRONYM, credit_spans, photographer_spans, venue_spans
from kg.extract.ner.names import foreign_name_spans, person_spans
from kg.extract.ner.places import place_spans
from kg.extract.ner.vocabulary import (
    NESTING,
    PRIORITY,
    QUOTES,
    LanguageRules,
    Span,
    is_word,
    language_rules,
    lexicon_spans,
)


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
    cues = rules.cues.find_all(tokens)
    cue_ends = {m.end_token for m in cues}
    cue_starts = {m.start_token for m in cues}
    themes = rules.theme_cues.find_all(tokens)
    spans = []
    cued = [False] * len(segments)
    for n, (first, end) in enumerate(segments):
        before = first - 1  # the opening quote
        if before in cue_ends or (before - 1) in cue_ends:
            cued[n] = True
        # A list announced by a colon: परियोजनाएं शुरू कीं, जैसे: "A" …
        if (
            before >= 2
            and tokens[before - 1].text == ":"
            and fold(tokens[before - 2].text, rules.lang) in rules.examples
            and any(before - 7 <= m.end_token <= before - 2 for m in rules.list_cues.find_all(tokens))
        ):
            cued[n] = True
        if end + 1 in cue_starts:
            cued[n] = True
        # A slogan is a campaign's only when a cue stands before the theme word: حملة تحت شعار "…".
        for theme in themes:
            if theme.end_token in (before, before - 1) and any(theme.start_token - 3 <= e <= theme.start_token for e in cue_ends):
                cued[n] = True
        known = rules.campaigns.match_at(tokens, first)
        if known and known.end_token == end:
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


def genitive_campaign_spans(rules: LanguageRules, tokens: Sequence[Token]) -> list[Span]:
    """Hindi names a movement before it: ``अच्छे उत्पादन और व्यापार के आंदोलन`` (the movement of X).

    The name runs back from the genitive link to the clause's separator, two to
    six words, none of them a number.
    """
    if rules.lang != "hi":
        return []
    spans = []
    for cue in rules.cues.find_all(tokens):
        link = cue.start_token - 1
        if link < 2 or not rules.is_link(tokens[link]):
            continue
        start = link
        while start > 0 and link - start < 6 and tokens[start - 1].text not in {",", "،", ":", ";", "("} | set(QUOTES):
            start -= 1
        words = tokens[start:link]
        if 2 <= len(words) <= 6 and (start == 0 or tokens[start - 1].text in {",", "،", ":", ";"}) and all(is_word(t) and not t.text[0].isdigit() for t in words):
            spans.append(Span(start, link, words[0].start, words[-1].end, "Campaign", "genitive+cue", "", 0.6))
    return spans


def joined_by_list(rules: LanguageRules, tokens: Sequence[Token], segments: list, a: int, b: int) -> bool:
    lo, hi = sorted((a, b))
    between = tokens[segments[lo][1] + 1 : segments[hi][0] - 1]
    allowed = {",", "،", ";", "؛"} | rules.function_words
    if len(between) <= 2 and all(t.text in allowed or fold(t.text, rules.lang) in allowed or t.text in "وو" for t in between):
        return True
    # Items that say a little about each name ("A" के साथ महिला संघ, "B" …) still make one list.
    return 0 < len(between) <= 6 and between[-1].text in {",", "،", ";", "؛"} and not any(t.text in QUOTES for t in between)


POSSESSIVE_AR = "ها"  # its (a feminine owner: اللجنة, الجمعية): دورتها, جلستها


def possessed_event(rules: LanguageRules, tokens: Sequence[Token], j: int) -> Match | None:
    """An Arabic event noun with the possessive "its" (جلستها الثالثة والأربعين: its 43rd session).

    The suffix hides the noun from the events table; a feminine noun's ة is written ت before it.
    """
    word = tokens[j].text
    if not word.endswith(POSSESSIVE_AR) or len(word) < 5:
        return None
    stem = word[: -len(POSSESSIVE_AR)]
    for base in ((stem[:-1] + "ة") if stem.endswith("ت") else stem, stem):
        for noun in (base, "ال" + base):
            found = rules.events.match_at([replace(tokens[j], text=noun)], 0)
            if found is not None:
                return Match(j, j + 1, tokens[j].start, tokens[j].end, found.value)
    return None


def named_event_spans(rules: LanguageRules, tokens: Sequence[Token]) -> list[Span]:
    """Numbered congresses and bodies: an ordinal and a head noun within a few words.

    Hindi: ``13वीं राष्ट्रीय पार्टी कांग्रेस``, ``14वीं केंद्रीय समिति``.
    Arabic: ``المؤتمر الوطني الثالث عشر للحزب``. The key carries the event
    type and number (``event:congress:13``) so renderings in both languages
    resolve to one event.
    """
    spans = []
    for i in range(len(tokens)):
        ordinal = ordinal_at(tokens, i, rules.lang)
        if ordinal is None:
            continue
        ordinal_end, number = ordinal
        if rules.lang == "ar":
            # The event noun comes first: walk back from the ordinal over adjectives.
            j = i - 1
            while j >= 0 and i - j <= 3:
                event = rules.events.match_at(tokens, j) or possessed_event(rules, tokens, j)
                if event and event.end_token <= i and event.value == "session" and j > 0 and tokens[j - 1].text in {"،", ","}:
                    break  # a numbered session after a comma is the term of the body before it (رئيس اللجنة، الدورة العاشرة)
                if event and event.end_token <= i:
                    end = ordinal_end
                    if end < len(tokens) and fold(tokens[end].text, "ar") in ("للحزب", "الحزب"):
                        end += 1
                    kind = event.value
                    if end < len(tokens) and any(key in rules.delegates for key, _ in text_keys(tokens[end].text, "ar")):
                        end, kind = end + 1, "congress"  # المؤتمر الحادي عشر للمندوبين: a congress of delegates
                    spans.append(Span(j, end, event.start, tokens[end - 1].end, "Event", "ordinal+event", f"event:{kind}:{number}"))
                    break
                j -= 1
            continue
        for j in range(ordinal_end, min(len(tokens), ordinal_end + 8)):
            if not is_word(tokens[j]):
                break
            event = rules.events.match_at(tokens, j)
            if event:
                # Any numbered event: 13वीं राष्ट्रीय पार्टी कांग्रेस, 23वें सत्र, 11वीं कार्यकारी समिति सम्मेलन;
                # of delegates (प्रतिनिधियों की पहली कांग्रेस), a congress.
                start, kind = i, event.value
                if i >= 2 and rules.is_link(tokens[i - 1]) and fold(tokens[i - 2].text, rules.lang) in rules.delegates:
                    start, kind = i - 2, "congress"
                spans.append(Span(start, event.end_token, tokens[start].start, tokens[event.end_token - 1].end, "Event", "ordinal+event", f"event:{kind}:{number}"))
                break
            if rules.is_head(tokens[j]) and j > ordinal_end:
                after = rules.events.match_at(tokens, j + 1) if j + 1 < len(tokens) else None
                if after:
                    continue  # the body names the event: 11वीं कार्यकारी समिति सम्मेलन
                spans.append(Span(i, j + 1, tokens[i].start, tokens[j].end, "Organization", "ordinal+body"))
                break
            if fold(tokens[j].text, rules.lang) in rules.function_words:
                break
    return spans


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


def congress_of_member(event_key: str, owner_key: str) -> str:
    """A numbered مؤتمر of a Front member organisation is its congress (Đại hội lần thứ N).

    Arabic writes congress and conference alike (مؤتمر); the member organisations of the
    Fatherland Front (the Confederation of Labour, the Women's, Youth and Farmers' Unions)
    number their congresses, while their conferences are their committees' plenums.
    """
    kind, _, number = event_key.removeprefix("event:").partition(":")
    body = owner_key.removeprefix("body:")
    if kind == "conference" and owner_key.startswith("body:") and gazetteer.parent(gazetteer.canonical_id(body)) == FRONT:
        return f"event:congress:{number}"
    return event_key


FRONT = "vietnam-fatherland-front"


def owned_events(rules: LanguageRules, tokens: Sequence[Token], spans: list[Span]) -> list[Span]:
    """A numbered event of a named body is that body's (दीन बिएन प्रांतीय पार्टी समिति की 15वीं कांग्रेस).

    Hindi writes the body first with a genitive link, Arabic after the event,
    behind ل (الدورة الخامسة لمجلس الشعب). The key carries the owner's key, so the
    15th congress of a provincial committee is never the 15th national congress.
    """
    bodies_end = {s.end_token: s for s in spans if s.type == "Organization"}
    bodies_start = {s.start_token: s for s in spans if s.type == "Organization"}
    history_start = {s.start_token: s for s in spans if s.type == "Event" and s.key.startswith("history:")}
    history_end = {s.end_token: s for s in spans if s.type == "Event" and s.key.startswith("history:")}
    found = []
    for event in spans:
        if event.type != "Event" or not event.key.startswith("event:") or "@" in event.key:
            continue
        if rules.lang == "ar":
            # The owner is a body, or for an anniversary the historic event it is of (الذكرى الثمانين لثورة أغسطس).
            owner = bodies_start.get(event.end_token) or (history_start.get(event.end_token) if ":anniversary:" in event.key else None)
            if owner is not None and tokens[owner.start_token].text.startswith("ل"):
                found.append(Span(event.start_token, owner.end_token, event.start, owner.end, "Event", "grammar:owned-event", f"{congress_of_member(event.key, owner.key)}@{owner.key}", event.confidence))
            elif possessed_event(rules, tokens, event.start_token) is not None:
                # "Its" session is the session of the body the clause is about, named before it
                # (اختتمت اللجنة الدائمة للمجلس الوطني جلستها الثالثة والأربعين).
                before = [b for b in spans if b.type == "Organization" and b.end_token <= event.start_token and b.key]
                if before:
                    owner = max(before, key=lambda b: (b.end_token, b.end_token - b.start_token))
                    found.append(Span(event.start_token, event.end_token, event.start, event.end, "Event", "grammar:owned-event", f"{event.key}@{owner.key}", event.confidence))
        elif event.start_token >= 2 and rules.is_link(tokens[event.start_token - 1]):
            owner = bodies_end.get(event.start_token - 1) or (history_end.get(event.start_token - 1) if ":anniversary:" in event.key else None)
            if owner is not None:
                found.append(Span(owner.start_token, event.end_token, owner.start, event.end, "Event", "grammar:owned-event", f"{event.key}@{owner.key}", event.confidence))
    if rules.lang != "ar":
        # Any numbered event of a body, not only a congress: स्थायी समिति का 44वां सत्र.
        taken = {s.start_token for s in found}
        for owner in spans:
            k = owner.end_token + 1
            if owner.type != "Organization" or k >= len(tokens) or not rules.is_link(tokens[owner.end_token]) or owner.start_token in taken:
                continue
            ordinal = ordinal_at(tokens, k, rules.lang)
            event = rules.events.match_at(tokens, ordinal[0]) if ordinal and ordinal[0] < len(tokens) else None
            if event:
                key = f"event:{event.value}:{ordinal[1]}@{owner.key}"
                found.append(Span(owner.start_token, event.end_token, owner.start, tokens[event.end_token - 1].end, "Event", "grammar:owned-event", key, 0.8))
    return found


def committees_for_events(rules: LanguageRules, tokens: Sequence[Token], spans: list[Span]) -> list[Span]:
    """A committee set up for a named event is named with it (Ban Tổ chức Lễ kỷ niệm …).

    Arabic: the committee, then the event behind ل (اللجنة المنظمة للذكرى الثمانين لـX);
    Hindi: the event, a genitive link or के लिए, then the committee (X की 80वीं वर्षगांठ
    की आयोजन समिति). The key carries the event's key and the committee's own words in
    English, so that it is labelled "Organizing Committee for the 80th Anniversary of X".
    """
    from kg.extract.body_labels import english_body_label

    events = [s for s in spans if s.type == "Event" and s.key.startswith("event:")]
    orgs_start = {s.start_token: s for s in spans if s.type == "Organization"}
    orgs_end = {s.end_token: s for s in spans if s.type == "Organization"}
    found = []
    for event in events:
        if rules.lang == "ar":
            committee = orgs_end.get(event.start_token)
            if committee is None or not tokens[event.start_token].text.startswith("ل"):
                continue
            start, end = committee.start_token, event.end_token
        else:
            k = event.end_token
            while k < len(tokens) and k - event.end_token < 2 and fold(tokens[k].text, rules.lang) in rules.links | rules.postpositions:
                k += 1  # की, के लिए
            committee = orgs_start.get(k) if k > event.end_token else None
            if committee is None:
                continue
            start, end = event.start_token, committee.end_token
        own = " ".join(t.text for t in tokens[committee.start_token : committee.end_token])
        english = english_body_label(own, rules.lang)
        if english and committee.key == "":
            start_char = committee.start if rules.lang == "ar" else event.start
            found.append(Span(start, end, start_char, tokens[end - 1].end, "Organization", "grammar:committee-for-event", f"for:{event.key}|{english}", 0.8))
    return found


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
        placed = place_qualified_bodies(rules, tokens, kept, places) + credit_spans(tokens, kept) + photographer_spans(rules, tokens, kept)
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
