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
STRONG_SEPARATORS = {";", "؛", ":"}
DASHES = {"-", "–", "—"}
BRACKETS = set("()[]")
# Languages whose translations write a person's posts after the name, set off by
# a comma (Arabic ``X، عضو المكتب السياسي``). Hindi translations put them before
# the name; a comma after a Hindi name starts the next person's chain.
APPOSITION_AFTER_NAME = {"ar"}
MAX_OFFICE_WORDS = 4  # words naming an office post's body (الأقليات العرقية والأديان)


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


@dataclass(frozen=True, slots=True)
class Segment:
    """Tokens between two separators; ``closer`` is the separator that ends it ("" at the end)."""

    start: int
    end: int
    closer: str


def is_dash(tokens: Sequence[Token], k: int) -> bool:
    """A dash between words (``X - Y``), not a hyphen inside one (``उप-सचिव``)."""
    if tokens[k].text not in DASHES:
        return False
    spaced_before = k == 0 or tokens[k - 1].end < tokens[k].start
    spaced_after = k + 1 == len(tokens) or tokens[k].end < tokens[k + 1].start
    return spaced_before or spaced_after


def segments(tokens: Sequence[Token]) -> list[Segment]:
    """The sentence cut at commas, semicolons, colons and dashes."""
    found = []
    start = 0
    for k, token in enumerate(tokens):
        if token.text in SEPARATORS or token.text in STRONG_SEPARATORS or is_dash(tokens, k):
            found.append(Segment(start, k, token.text))
            start = k + 1
    found.append(Segment(start, len(tokens), ""))
    return found


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
        self.function_words = {fold(r[0], lang) for r in load_table(lang, "function_words")}
        self.former = {fold(r[0], lang) for r in load_table(lang, "function_words") if len(r) > 1 and r[1] == "former"}
        # A verb and its object may open the segment of a chain (حضر المؤتمر عضو …).
        self.clause_words = (resource_lexicon(lang, "triggers"), resource_lexicon(lang, "events"))
        self.bodies = resource_lexicon(lang, "bodies")
        self.implied_bodies = {r[0]: r[1] for r in load_table("vi", "post_bodies") if len(r) > 1}
        self.office_nouns: dict[str, str] = {}
        for row in load_table(lang, "body_words"):
            if len(row) > 2 and row[1] == "head":
                self.office_nouns.setdefault(row[2], row[0])

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
                if self.lang == "ar" and not found and title.start_token > 0 and tokens[title.start_token - 1].text in SEPARATORS:
                    # "…، ورئيس وفد الجمعية الوطنية، السيد Y": an honorific after a comma opens a new
                    # item; the posts before it are the previous name's appositions, not Y's.
                    break
                k = title.start_token
                continue
            if self.lang == "ar":
                org = view.ending_at("Organization", k)
                b = view.token_range(org)[0] if org else k
                # A post phrase may swallow the body's head noun (رئيس قسم + المنظمات الشعبية).
                post = self.match_ending(self.posts, tokens, b) or (
                    self.match_ending(self.posts, tokens, b + 1) if org else None
                )
                if not post and org is None:
                    post = self.office_post_ending(tokens, k)  # وزير الدفاع الوطني NAME
                if not post:
                    break
                found.append((post, org))
                # Arabic chains join posts with و (عضو المكتب السياسي وأمين … ورئيس … NAME).
                k = post.start_token
                continue
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
            elif org is None and b > 0 and not self.is_boundary(tokens[b - 1]):
                # Words qualifying the post (लोक सुरक्षा मंत्री, प्रांतीय पार्टी सचिव): the chain
                # goes on before them when a separator is near.
                skipped = self.previous_separator(tokens, b, limit=4)
                if skipped < b and (skipped == 0 or tokens[skipped - 1].text in SEPARATORS or self.is_boundary(tokens[skipped - 1])):
                    b = skipped
            found.append((post, org))
            k = b
        return found

    def implied_body(self, tokens: Sequence[Token], post: Match) -> str | None:
        """The body a post written without one implies (``vi/post_bodies.tsv``), as a body id.

        A post held in one body alone names it (Prime Minister: the Government);
        an office post (Minister) is named by the words qualifying it, read with
        the office's head noun in the language's genitive order: Hindi before the
        post (लोक सुरक्षा मंत्री → लोक सुरक्षा मंत्रालय), Arabic after it
        (وزير الدفاع الوطني → وزارة الدفاع الوطني, وزيرًا للأقليات → وزارة الأقليات).
        """
        rule = self.implied_bodies.get(post.value)
        if not rule:
            return None
        kind, _, head = rule.partition(":")
        if kind != "office":
            return rule
        noun = self.office_nouns.get(head)
        if noun is None:
            return None
        for n in range(MAX_OFFICE_WORDS, 0, -1):
            if self.lang == "ar":
                words = [t.text for t in tokens[post.end_token : post.end_token + n]]
                if words and words[0].startswith("لل"):
                    words[0] = "ا" + words[0][1:]  # ل + ال, the article's alif elided
                phrase = [noun, *words]
            else:
                words = [t.text for t in tokens[max(0, post.start_token - n) : post.start_token]]
                phrase = [*words, noun]
            if len(words) < n:
                continue
            body = self.bodies.value_of(" ".join(phrase))
            if body:
                return body
        return None

    def office_post_ending(self, tokens: Sequence[Token], end: int) -> Match | None:
        """An Arabic office post whose qualifying words run up to ``end`` (وزير الدفاع الوطني)."""
        for k in range(end - 1, max(-1, end - 1 - MAX_OFFICE_WORDS), -1):
            post = self.match_ending(self.posts, tokens, k)
            if post and self.implied_bodies.get(post.value, "").startswith("office:") and self.implied_body(tokens[:end], post):
                return post
        return None

    def held_now(self, view: SentenceView, post: Match, org: Mention | None) -> bool:
        """False for a post written as former (पूर्व महासचिव, الأمين العام السابق)."""
        tokens = view.sentence.tokens
        end = max(post.end_token, view.token_range(org)[1] if org else 0)
        near = [post.start_token - 1, post.end_token, end]
        return not any(0 <= k < len(tokens) and fold(tokens[k].text, self.lang) in self.former for k in near)

    def body_overlapping_post(self, view: SentenceView, post: Match) -> Mention | None:
        """A body whose name runs into a post phrase (स्थायी समिति के सदस्य after प्रांतीय पार्टी समिति की)."""
        for mention in view.outer_of_type("Organization"):
            start, end = view.token_range(mention)
            if start < post.end_token and end > post.start_token:
                return mention
        return None

    def is_boundary(self, token: Token) -> bool:
        return token.text in SEPARATORS or fold(token.text, self.lang) in self.conjunctions

    def previous_separator(self, tokens: Sequence[Token], end: int, limit: int = 8) -> int:
        """Token index just after the nearest separator before ``end`` (within ``limit`` tokens)."""
        for k in range(end - 1, max(-1, end - 1 - limit), -1):
            if tokens[k].text in SEPARATORS or fold(tokens[k].text, self.lang) in self.conjunctions:
                return k + 1
        return end

    # -- posts written apart from the name -----------------------------------------

    def pairs_in(self, view: SentenceView, start: int, end: int) -> list[tuple[Match, Mention | None]]:
        """Every post in tokens ``[start, end)`` with the body it names, left to right."""
        tokens = view.sentence.tokens
        found = []
        i = start
        while i < end:
            post = self.posts.match_at(tokens, i)
            if post is None or post.end_token > end:
                i += 1
                continue
            body = self.body_of_post(view, post, start, end)
            if self.held_now(view, post, body):
                found.append((post, body))
            i = post.end_token
        return found

    def body_of_post(self, view: SentenceView, post: Match, start: int, end: int) -> Mention | None:
        """The body a post names: inside the post phrase, or beside it in the language's genitive order.

        Hindi puts the body before the post (``B के P``, ``B P``), Arabic after it
        (``P B``, ``P في B``); a post phrase may also contain the body
        (``पोलित ब्यूरो सदस्य`` read whole) or run into it.
        """
        tokens = view.sentence.tokens
        orgs = [(view.token_range(m), m) for m in view.outer_of_type("Organization")]
        for (s, e), mention in orgs:
            if s < post.end_token and e > post.start_token:
                return mention
        if self.lang == "ar":
            k = post.end_token
            if k < end and fold(tokens[k].text, self.lang) in self.links:
                k += 1
            return next((m for (s, e), m in orgs if s == k and e <= end), None)
        k = post.start_token
        if k > start and fold(tokens[k - 1].text, self.lang) in self.links:
            k -= 1
        return next((m for (s, e), m in orgs if e == k and s >= start), None)

    def post_segment(self, view: SentenceView, start: int, end: int) -> list[tuple[Match, Mention | None]] | None:
        """The posts of tokens ``[start, end)`` when the segment holds posts and nothing a chain cannot contain.

        Bodies, titles, genitive links, conjunctions and function words may
        stand between posts; one other word is tolerated (a rank such as
        ``जनरल``), more means the segment says something else (None).
        """
        tokens = view.sentence.tokens
        pairs = self.pairs_in(view, start, end)
        if not pairs:
            return None
        covered = [False] * (end - start)
        for post, _ in pairs:
            for k in range(post.start_token, post.end_token):
                covered[k - start] = True
        for mention in view.outer:
            s, e = view.token_range(mention)
            if mention.type == "Person" and s < end and e > start:
                return None
            for k in range(max(s, start), min(e, end)):
                covered[k - start] = True
        for lexicon in self.clause_words:
            for match in lexicon.find_all(tokens[start:end]):
                for k in range(start + match.start_token, start + match.end_token):
                    covered[k - start] = True
        other = 0
        for k in range(start, end):
            key = fold(tokens[k].text, self.lang)
            if covered[k - start] or key in BRACKETS or key in self.links or key in self.conjunctions or key in self.function_words or self.titles.match_at(tokens, k):
                continue
            other += 1
        return pairs if other <= 1 else None

    @staticmethod
    def match_ending(lexicon, tokens: Sequence[Token], end: int) -> Match | None:
        for start in range(max(0, end - 6), end):
            match = lexicon.match_at(tokens, start)
            if match and match.end_token == end:
                return match
        return None

