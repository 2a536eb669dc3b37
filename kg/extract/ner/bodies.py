"""The body grammar: names of bodies that no lexicon lists.

Hindi is head-final and chains bodies with genitive links: ``A के B की C``
names C of B of A (``प्रांतीय पार्टी समिति की स्थायी समिति``). Arabic is
head-first: a head noun, its modifiers, a linked parent and the province
(``لجنة التعبئة الجماهيرية التابعة للجنة الحزب الإقليمية ها تينه``). Parent
bodies named inside a longer name are emitted as nested spans; the resolver
and the relation stage read ``subOrganizationOf`` from that nesting.
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.model import Token
from kg.extract.ner.vocabulary import LanguageRules, Span


def nested_body_spans(rules: LanguageRules, tokens: Sequence[Token], outer: list[Span]) -> list[Span]:
    """Known bodies named inside a longer known body name: the parent in a commission's name."""
    spans = []
    for span in outer:
        longest = rules.bodies.match_at(tokens, span.start_token)
        for i in range(span.start_token, span.end_token):
            for m in rules.bodies.matches_at(tokens, i):
                if longest and m.value == longest.value:
                    continue  # the same body's shorter name (प्रांतीय रेड क्रॉस in … सोसाइटी)
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
        known = rules.known_body_at(tokens, i)
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
    known = rules.known_body_at(tokens, i)
    head_readings = [(k, s) for k, s in rules.readings(tokens[i]) if k in rules.heads]
    if not head_readings and not known:
        return None
    j = i + 1
    modifiers = 0
    while j < len(tokens) and rules.continues_body_ar(tokens[j]):
        modifiers += 1
        j += 1
    if known and (known.end_token >= j or not head_readings):
        # A known body whose first word is no head noun: the words after it are not its modifiers.
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




def drop_branch_name_parts(rules: LanguageRules, tokens: Sequence[Token], spans: list[Span]) -> list[Span]:
    """Drop the Front or a mass organisation named inside its local branch's name.

    In ``प्रांतीय वियतनाम फादरलैंड फ्रंट समिति`` or ``لجنة جبهة الوطن الفيتنامية بمقاطعة …``
    the Front's name is part of the committee's name, not a mention of the national
    Front; inside a national organ's name (the Front's Central Committee) it stays,
    the parent of that organ.
    """
    from kg.extract import gazetteer
    from kg.extract.body_labels import LEVEL_WORDS, glossary

    words, _ = glossary(rules.lang)
    orgs = [s for s in spans if s.type == "Organization"]

    def local(span: Span) -> bool:
        kind, _, value = span.key.partition(":")
        if "@" in value or (kind == "body" and rules.body_scopes.get(value) == "local"):
            return True
        return any(words.get(key) in LEVEL_WORDS for k in range(span.start_token, span.end_token) for key, _ in rules.readings(tokens[k]))

    def branch_name_part(inner: Span) -> bool:
        kind, _, value = inner.key.partition(":")
        if kind != "body" or gazetteer.local_branch(value.partition("@")[0]) is None:
            return False
        return any(
            outer is not inner
            and outer.start_token <= inner.start_token
            and inner.end_token <= outer.end_token
            and (outer.start_token, outer.end_token) != (inner.start_token, inner.end_token)
            and local(outer)
            for outer in orgs
        )

    return [s for s in spans if not (s.type == "Organization" and branch_name_part(s))]
