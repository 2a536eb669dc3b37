"""Posts written next to a name, read as chains of (post, body) pairs.

Hindi writes posts before the name in genitive order (``X के Y`` = Y of X),
several separated by commas and और: “प्रांतीय पार्टी समिति की स्थायी उप-सचिव,
प्रांतीय जन परिषद के अध्यक्ष …, कॉमरेड माई वान तुआट”. Arabic writes one post
and its body in construct order right before the name (``نائب رئيس اللجنة
الشعبية الإقليمية لي نجوك تشاو``). ``PostChainReader.post_chain`` walks back
from a token and returns the posts it passes, nearest first.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from kg.extract.lexicon import Match, fold, resource_lexicon
from kg.model import Mention, Sentence, Token
from kg.extract.resources import load_table

SEPARATORS = {",", "،"}


@dataclass
class SentenceView:
    """A sentence with its mentions indexed by token position."""

    sentence: Sentence
    mentions: list[Mention]
    outer: list[Mention]

    @property
    def token_starts(self) -> list[int]:
        cached = self.__dict__.get("_starts")
        if cached is None:
            cached = self.__dict__["_starts"] = [t.start for t in self.sentence.tokens]
        return cached

    def token_range(self, mention: Mention) -> tuple[int, int]:
        """(first token, end token) of a mention, from its character offsets."""
        starts = self.token_starts
        first = bisect.bisect_right(starts, mention.start) - 1
        end = bisect.bisect_left(starts, mention.end)
        return max(first, 0), end

    def outer_of_type(self, type_: str) -> list[Mention]:
        return [m for m in self.outer if m.type == type_]

    def ending_at(self, type_: str, token_end: int) -> Mention | None:
        best = None
        for mention in self.mentions:
            if mention.type == type_ and self.token_range(mention)[1] == token_end:
                if best is None or mention.start < best.start:
                    best = mention
        return best


def outermost(mentions: list[Mention]) -> list[Mention]:
    return [
        m
        for m in mentions
        if not any(o is not m and o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start) for o in mentions)
    ]



class PostChainReader:
    """Reads post chains in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.posts = resource_lexicon(lang, "posts")
        self.titles = resource_lexicon(lang, "titles", None)
        self.links = {fold(r[0], lang) for r in load_table(lang, "body_words") if len(r) > 1 and r[1] == "link"}
        self.conjunctions = {fold(r[0], lang) for r in load_table(lang, "function_words") if len(r) > 1 and r[1] == "conjunction"}

    def post_chain(self, view: SentenceView, end: int) -> list[tuple[Match, Mention | None]]:
        """Posts (and their bodies) written before token ``end``, nearest first."""
        tokens = view.sentence.tokens
        found: list[tuple[Match, Mention | None]] = []
        k = end
        while k > 0:
            while k > 0 and (tokens[k - 1].text in SEPARATORS or fold(tokens[k - 1].text, self.lang) in self.conjunctions):
                if found or tokens[k - 1].text in SEPARATORS:
                    k -= 1
                else:
                    break
            title = self.match_ending(self.titles, tokens, k)
            if title:
                k = title.start_token
                continue
            if self.lang == "ar":
                org = view.ending_at("Organization", k)
                b = view.token_range(org)[0] if org else k
                # A post phrase may swallow the body's head noun (رئيس قسم + المنظمات الشعبية).
                post = self.match_ending(self.posts, tokens, b) or (
                    self.match_ending(self.posts, tokens, b + 1) if org else None
                )
                if not post:
                    break
                found.append((post, org))
                break
            post = self.match_ending(self.posts, tokens, k)
            if not post:
                break
            org = self.body_overlapping_post(view, post)
            b = view.token_range(org)[0] if org else post.start_token
            if org is None and b > 1 and fold(tokens[b - 1].text, self.lang) in self.links:
                org = view.ending_at("Organization", b - 1)
                if org:
                    b = view.token_range(org)[0]
                    if b > 0 and fold(tokens[b - 1].text, self.lang) in self.links:
                        # Only the tail of a longer genitive name was recognised: not the post's body.
                        org = None
                        b = self.previous_separator(tokens, b - 1)
                else:
                    # An unrecognised body (दोनों प्रांतीय संचालन समितियों के प्रमुख): skip it up to the separator.
                    b = self.previous_separator(tokens, b - 1)
            found.append((post, org))
            k = b
        return found

    def body_overlapping_post(self, view: SentenceView, post: Match) -> Mention | None:
        """A body whose name runs into a post phrase (स्थायी समिति के सदस्य after प्रांतीय पार्टी समिति की)."""
        for mention in view.outer_of_type("Organization"):
            start, end = view.token_range(mention)
            if start < post.start_token < end < post.end_token:
                return mention
        return None

    def previous_separator(self, tokens: Sequence[Token], end: int, limit: int = 8) -> int:
        """Token index just after the nearest separator before ``end`` (within ``limit`` tokens)."""
        for k in range(end - 1, max(-1, end - 1 - limit), -1):
            if tokens[k].text in SEPARATORS or fold(tokens[k].text, self.lang) in self.conjunctions:
                return k + 1
        return end

    @staticmethod
    def match_ending(lexicon, tokens: Sequence[Token], end: int) -> Match | None:
        for start in range(max(0, end - 6), end):
            match = lexicon.match_at(tokens, start)
            if match and match.end_token == end:
                return match
        return None

