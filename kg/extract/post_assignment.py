"""Who holds which posts in a sentence: the posts written next to each person, wherever the sentence puts them.

``PostChainReader`` (``kg.extract.posts``) reads one chain of posts before a
token; ``PostAssigner`` decides which chain, apposition, dash segment or list
header belongs to which of the sentence's persons.
"""

from __future__ import annotations

from kg.extract.lexicon import Match, fold
from kg.extract.ner.vocabulary import QUOTES
from kg.extract.posts import APPOSITION_AFTER_NAME, SEPARATORS, STRONG_SEPARATORS, PostChainReader, Segment, SentenceView, is_dash, segments
from kg.extract.resources import load_table
from kg.model import Mention

ACCUSATIVE_ENDINGS = ("ا", "ًا", "اً")  # Arabic tanween alif: a post someone is made (انتخب رئيسًا)
MAX_ASIDE = 14  # tokens of a parenthesis between a name and its post


class PostAssigner:
    """Gives each person of a sentence the posts written for them, in one language."""

    def __init__(self, lang: str, chains: PostChainReader | None = None) -> None:
        self.lang = lang
        self.chains = chains or PostChainReader(lang)
        self.posts = self.chains.posts
        function_rows = load_table(lang, "function_words")
        self.marks_object = {fold(r[0], lang) for r in function_rows if len(r) > 1 and r[1] == "object"}
        self.appointing = {fold(r[0], lang) for r in function_rows if len(r) > 1 and r[1] == "appointed"}

    def posts_of_persons(self, view: SentenceView) -> dict[Mention, list[tuple[Match, Mention | None]]]:
        """The posts each person of the sentence is given, wherever the sentence writes them.

        In order of how explicit the link is:

        1. after a dash (``X - P1, P2; Y - …``): every post up to the next
           semicolon, colon or person;
        2. right before the name, as a chain (``PostChainReader.post_chain``),
           stopping at posts already given by a dash;
        3. after a comma (``X، P1، وP2؛``): segments holding nothing but posts
           and bodies that no later name's chain took;
        4. a list header (``Members of the Politburo: A; B; C``): the posts of
           the words before a colon go to every person after it.
        """
        tokens = view.sentence.tokens
        persons = sorted(view.outer_of_type("Person"), key=lambda m: m.start)
        ranges = {person: view.token_range(person) for person in persons}
        person_starts = sorted(s for s, _ in ranges.values())
        pieces = segments(tokens)
        claimed: set[int] = set()
        chains: dict[Mention, list[tuple[Match, Mention | None]]] = {person: [] for person in persons}

        def holds_person(start: int, end: int) -> bool:
            return any(start <= s < end for s in person_starts)

        def free_posts(piece: Segment) -> list[tuple[Match, Mention | None]] | None:
            """The posts of a segment that holds no name, nothing but posts, and nothing already given."""
            if holds_person(piece.start, piece.end) or any(k in claimed for k in range(piece.start, piece.end)):
                return None
            return self.chains.post_segment(view, piece.start, piece.end)

        def give(person: Mention, pairs: list[tuple[Match, Mention | None]]) -> None:
            for post, org in pairs:
                claimed.update(range(post.start_token, post.end_token))
                if org is not None:
                    claimed.update(range(*view.token_range(org)))
            chains[person].extend(pairs)

        def following(person: Mention, dash: bool, closed: bool = False) -> list[tuple[Match, Mention | None]]:
            """Posts in the segments after the person's name, up to a boundary.

            With ``closed``, only when they run to a semicolon or the sentence's end
            (an item of a list: ``A, P1; B, P2``), not up to the next name.
            """
            _, end = ranges[person]
            if end >= len(tokens) or not (is_dash(tokens, end) if dash else tokens[end].text in SEPARATORS):
                return []
            pairs: list[tuple[Match, Mention | None]] = []
            for piece in pieces:
                if piece.start <= end:
                    continue
                if piece.closer == ":":
                    break  # a list header (وأعضاء المكتب السياسي:) heads the names after it
                found = free_posts(piece)
                if found is None:
                    return [] if closed else pairs
                pairs.extend(found)
                if piece.closer in STRONG_SEPARATORS or not piece.closer:
                    break
            return pairs

        def in_list(person: Mention) -> bool:
            """Whether a name stands in a list opened by a colon (… शामिल थे: A, P1; B, P2)."""
            return any(piece.closer == ":" and piece.end < ranges[person][0] for piece in pieces)

        def preceding(person: Mention) -> list[tuple[Match, Mention | None]]:
            """Post-only segments before the name's own segment, back to a strong separator (Arabic P1، وP2 NAME)."""
            start = ranges[person][0]
            own = next((i for i, piece in enumerate(pieces) if piece.start <= start < max(piece.end, piece.start + 1)), None)
            pairs: list[tuple[Match, Mention | None]] = []
            for piece in reversed(pieces[:own] if own is not None else []):
                found = free_posts(piece) if piece.closer in SEPARATORS else None
                if found is None:
                    break
                pairs.extend(found)
            return pairs

        for person in persons:
            give(person, following(person, dash=True))
        def after_apposition(person: Mention) -> bool:
            """An Arabic name written after a comma whose post-only segments follow another name
            (A، أمين …، رئيس …، B): those posts are A's apposition, not B's introduction."""
            start = ranges[person][0]
            if self.lang not in APPOSITION_AFTER_NAME or start == 0 or tokens[start - 1].text not in SEPARATORS:
                return False
            own = next((i for i, piece in enumerate(pieces) if piece.start <= start < max(piece.end, piece.start + 1)), None)
            j = (own if own is not None else len(pieces)) - 1
            while j >= 0 and not holds_person(pieces[j].start, pieces[j].end) and self.chains.post_segment(view, pieces[j].start, pieces[j].end):
                j -= 1
            return j >= 0 and j < (own if own is not None else len(pieces)) - 1 and any(ranges[p][1] == pieces[j].end for p in persons)

        for person in persons:
            if person.source.endswith(":epithet") or after_apposition(person):
                continue  # العم هو (Uncle Ho) is never introduced by a post: a post before it is the previous name's
            pairs = []
            end = ranges[person][0]
            if end > 0 and is_dash(tokens, end - 1):
                end -= 1  # the posts, a dash, then the name (أمين اللجنة الحزبية الإقليمية - نجوين فان دوك)
            for post, org in self.chains.post_chain(view, end):
                if any(k in claimed for k in range(post.start_token, post.end_token)):
                    break
                if self.chains.held_now(view, post, org):
                    pairs.append((post, org))
            give(person, pairs)
        def past_aside(person: Mention) -> int:
            """The token after the name, past a parenthesis about the person (X (في الوسط) …)."""
            k = ranges[person][1]
            if k < len(tokens) and tokens[k].text == "(":
                k = next((j + 1 for j in range(k + 1, min(len(tokens), k + MAX_ASIDE)) if tokens[j].text == ")"), len(tokens))
            return k

        def elected_as(person: Mention) -> list[tuple[Match, Mention | None]]:
            """An Arabic post in the accusative right after the name: the post the person was elected or appointed to.

            ``أعيد انتخاب السيد X (…) رئيسًا للجنة …``, ``تعيين X وزيرًا للأقليات …``: a
            parenthesis about the person may stand between; the post runs to the next separator.
            """
            k = past_aside(person)
            if k >= len(tokens) or not tokens[k].text.endswith(ACCUSATIVE_ENDINGS) or self.posts.match_at(tokens, k) is None:
                return []
            stop = next((j for j in range(k, len(tokens)) if tokens[j].text in SEPARATORS | STRONG_SEPARATORS or j in person_starts), len(tokens))
            if any(c in claimed for c in range(k, stop)):
                return []
            return [(post, org) for post, org in self.chains.pairs_in(view, k, stop) if post.start_token == k or org is not None]

        def appointed_as(person: Mention) -> list[tuple[Match, Mention | None]]:
            """Hindi ``X को B का P नियुक्त किया गया`` (X was appointed/elected P of B): the posts between
            को and the verb, a parenthesis about the person maybe standing before को."""
            k = past_aside(person)
            if k >= len(tokens) or fold(tokens[k].text, self.lang) not in self.marks_object:
                return []
            verb = next((j for j in range(k + 1, min(len(tokens), k + 16)) if fold(tokens[j].text, self.lang) in self.appointing), None)
            if verb is None or any(tokens[j].text in SEPARATORS | STRONG_SEPARATORS or j in person_starts for j in range(k + 1, verb)):
                return []
            if any(c in claimed for c in range(k + 1, verb)):
                return []
            return [pair for pair in self.chains.pairs_in(view, k + 1, verb) if self.chains.held_now(view, *pair)]

        if self.lang not in APPOSITION_AFTER_NAME:
            for person in persons:
                give(person, appointed_as(person))
            # Hindi writes posts before a name, but an item of a colon's list may give them after it.
            for person in persons:
                if in_list(person):
                    give(person, following(person, dash=False, closed=True))
        if self.lang in APPOSITION_AFTER_NAME:
            for person in persons:
                give(person, elected_as(person))
            for person in persons:
                give(person, following(person, dash=False))
            for person in persons:
                give(person, preceding(person))
        # A list header's posts go to the names after its colon, up to the next header
        # (أعضاء المكتب السياسي: A، …، B، …، أمناء اللجنة المركزية: C …).
        headers: list[tuple[int, list[tuple[Match, Mention | None]]]] = []
        header_start = 0
        for piece in pieces:
            # A colon before a quote opens what was said (صرح … قائلاً: "…"), not a list of names.
            quoting = piece.end + 1 < len(tokens) and tokens[piece.end + 1].text in QUOTES
            if piece.closer == ":" and not quoting:
                # The header runs back to a strong separator, or only over its own segment
                # when names stand before it (…، الأمين العام تو لام، وأعضاء المكتب السياسي:).
                start = header_start if not holds_person(header_start, piece.end) else piece.start
                if not holds_person(start, piece.end):
                    headers.append((piece.end, [(post, org) for post, org in self.chains.pairs_in(view, start, piece.end) if org is not None]))
            if piece.closer in STRONG_SEPARATORS:
                header_start = piece.end + 1
        for person in persons:
            before = [shared for end, shared in headers if end < ranges[person][0]]
            if before:
                chains[person].extend(pair for pair in before[-1] if pair not in chains[person])
        return {person: chain for person, chain in chains.items() if chain}
