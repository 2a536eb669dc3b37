"""Event names: numbered events (ordinal and event noun), a body's own events, committees for events.

Part of the rule recogniser (``kg.extract.ner.rules``). Arabic writes congress and
conference alike (مؤتمر), and an event noun may carry the possessive "its".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from kg.extract import gazetteer
from kg.extract.lexicon import Match, fold, text_keys
from kg.extract.ordinals import ordinal_at
from kg.model import Token
from kg.extract.ner.vocabulary import LanguageRules, Span, is_word


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
