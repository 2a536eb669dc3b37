"""Campaign names: quoted names announced by a cue word, and Hindi names before a genitive cue.

Part of the rule recogniser (``kg.extract.ner.rules``).
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.extract.lexicon import fold
from kg.model import Token
from kg.extract.ner.vocabulary import QUOTES, LanguageRules, Span, is_word


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
