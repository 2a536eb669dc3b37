"""Who took part in the article's events and campaigns: chaired, attended, spokeAt, organized, launched, implements.

``EventParticipation`` is a part of ``kg.extract.relations.RelationExtractor``
(its language, entities, main event, word lists, ``add`` and ``evidence``). A
trigger word that is a verb of the sentence (``triggers.tsv``, not inside a
name, not negated) links the sentence's persons to the article's main event,
or to the events and campaigns the sentence names; the bodies in the sentence
(or the last sentence's, when it names none) take part as organisers or
members. A delegation's head leads it, a representative stands for a body,
and a person named only by a post she was introduced with is that person
(role coreference, ``implicit_persons``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from functools import lru_cache

from kg.extract.events import UNNAMED
from kg.extract.lexicon import Lexicon, Match, fold, text_keys
from kg.extract.posts import SEPARATORS, STRONG_SEPARATORS, PostChainReader, SentenceView
from kg.extract.resources import load_table
from kg.model import Document, Entity, Evidence, Mention, Relation, Token

EVENT_PREDICATES = ("chaired", "attended", "spokeAt")
PARTICIPATION = ("attended", "spokeAt", "chaired", "organized")  # a person's or body's part in an event
DELEGATION_REACH = 8  # tokens between a delegation and the word saying who led it
BIRTH_REACH = 6  # words between a name and the word saying when the person was born
GIFT_REACH = 12  # words between "presented" and the gift it presents
REPRESENTATIVE_POSTS = frozenset({"Leader", "Representative", "Delegate"})  # posts that stand for their body


class EventParticipation:
    """chaired, attended, spokeAt, organized, launched, implements, for ``RelationExtractor``."""

    document: Document
    lang: str
    entities: dict[str, Entity]
    entity_of: dict[Mention, str]
    main_event: Entity | None
    chains: PostChainReader
    posts: Lexicon
    titles: Lexicon
    triggers: Lexicon
    events: Lexicon
    function_words: set[str]
    negations: frozenset[str]
    place_words: set[str]
    birth_words: frozenset[str]
    honour_words: frozenset[str]
    visit_words: frozenset[str]
    gift_words: frozenset[str]
    delegation_words: frozenset[str]
    lead_words: frozenset[str]
    representative_words: frozenset[str]
    add: Callable[..., None]
    evidence: Callable[..., Evidence]
    implicit_persons: Callable[[SentenceView], list[str]]

    def extract_events_and_campaigns(self, view: SentenceView, previous_orgs: list[Mention]) -> None:
        triggers = self.sentence_triggers(view)
        predicates = {m.value for m in triggers}
        if not predicates:
            return
        # A photographer the caption credits took no part (फोटो: वीजीपी/नहत बाक), nor did a person
        # introduced by a birth year: the veteran or mother a visit honours (1936 में जन्मी …; المولود عام 1932).
        persons = [m for m in view.outer_of_type("Person") if not m.source.startswith("rule:credit") and not self.honoured_by_visit(view, m)]
        person_ids = [self.entity_of[p] for p in persons]
        named = set(person_ids)
        implicit = [p for p in self.implicit_persons(view) if p not in named] if not persons else []
        post_orgs = {post_org for post_org in self.post_bodies(view)}
        # A credited source (a newspaper's address or byline) reports the event; it does not take part.
        orgs = [m for m in view.outer_of_type("Organization") if m not in post_orgs and not m.source.startswith("rule:credit")]
        event = self.main_event
        if event:
            if event.attrs.get("event_type") == UNNAMED:
                # What is said on a visit or a tribute (an occasion the article gives no event word)
                # is not a speech at an event: the annotations give it no spokeAt (1 in 9 on d01-d88).
                predicates.discard("spokeAt")
                triggers = [m for m in triggers if m.value != "spokeAt"]
            inherited: set[str] = set()
            previous_end = None
            for mention in sorted(persons, key=lambda m: m.start):
                own = self.predicates_of(view, mention, triggers, persons)
                start, end = view.token_range(mention)
                # A name further down a list (حضر: A، posts؛ وB، posts) shares the verb of the names before it.
                if not own and previous_end is not None and self.lang == "ar" and self.unexplained_words(view, previous_end, start) <= 2:
                    own = inherited
                inherited, previous_end = own, end
                for predicate in own:
                    if predicate in EVENT_PREDICATES:
                        self.add(self.entity_of[mention], predicate, event.id, self.evidence(view, f"trigger:{predicate}", 0.8, [mention]))
            for predicate in EVENT_PREDICATES:
                if predicate in predicates:
                    for person_id in implicit:
                        self.add(person_id, predicate, event.id, self.evidence(view, f"trigger:{predicate}+role", 0.7))
            if "attended" in predicates and not persons and not implicit:
                for mention in orgs:
                    self.add(self.entity_of[mention], "attended", event.id, self.evidence(view, "trigger:attended", 0.6, [mention]))
            elif "attended" in predicates:
                # Bodies whose leaders or representatives attend, listed beside named persons, attend.
                for mention in self.represented_bodies(view):
                    if mention in orgs:
                        self.add(self.entity_of[mention], "attended", event.id, self.evidence(view, "trigger:attended+represented", 0.6, [mention]))
            organizing = [m for m in triggers if m.value == "organized" and self.event_object_near(view, m) and not self.written_passive(view, m)]
            if organizing and orgs:
                for org in self.coordinated(view, orgs):
                    self.add(self.entity_of[org], "organized", event.id, self.evidence(view, "trigger:organized", 0.8, [org]))
        if "memberOf" in predicates and len(orgs) > 1:
            self.extract_members(view, [m for m in triggers if m.value == "memberOf"][0], orgs)
        campaigns = [m for m in view.mentions if m.type == "Campaign"]
        for predicate in ("implements", "launched"):
            if predicate not in predicates or not campaigns:
                continue
            candidates = orgs + (persons if predicate == "launched" else [])
            for campaign in campaigns:
                subject = self.nearest(view, campaign, candidates)
                if subject is None and predicate == "implements" and previous_orgs:
                    subject = previous_orgs[0]  # "they carry out campaigns …": the previous sentence's body
                if subject is None:
                    continue
                self.add(self.entity_of[subject], predicate, self.entity_of[campaign], self.evidence(view, f"trigger:{predicate}", 0.6, [subject, campaign]))

    def nearest(self, view: SentenceView, target: Mention, candidates: list[Mention], limit: int = 15) -> Mention | None:
        """The candidate closest to ``target`` in tokens (a body containing it counts as closest)."""
        t_start, t_end = view.token_range(target)
        best, best_distance = None, limit + 1
        for candidate in candidates:
            c_start, c_end = view.token_range(candidate)
            distance = max(0, t_start - c_end, c_start - t_end)
            if distance < best_distance:
                best, best_distance = candidate, distance
        return best

    def sentence_triggers(self, view: SentenceView, gifts: bool = False) -> list[Match]:
        """Trigger words of the sentence that are verbs of it: not inside a name, not negated.

        A "presented" that presents gifts is no speech; with ``gifts`` it is kept, as what
        was done at the occasion (where the occasion was is told with it).
        """
        tokens = view.sentence.tokens
        found = []
        matches = verb_triggers(self.triggers, self.negations, view, self.lang)
        for match in matches:
            if match.value == "chaired" and (self.heads_a_delegation(tokens, match) or self.leads_to_attend(tokens, match, matches)):
                match = replace(match, value="attended")
            if match.value == "spokeAt" and not gifts and self.presents_a_gift(tokens, match):
                continue
            found.append(match)
        return found

    def honoured_by_visit(self, view: SentenceView, person: Mention) -> bool:
        """Whether the name is one a visit honours: written with the year the person was born (Hindi
        before the name, Arabic after), or right after an honour its bearer receives visits for
        (Vietnamese Heroic Mother: वीर माता, الأم الفيتنامية البطلة) in a sentence about a visit."""
        tokens = view.sentence.tokens
        start, end = view.token_range(person)
        if start > 0 and fold(tokens[start - 1].text, self.lang) in self.honour_words and any(fold(t.text, self.lang) in self.visit_words for t in tokens):
            return True  # a Heroic Mother listed among the guests of a congress takes part in it
        near = range(max(0, start - BIRTH_REACH), start) if self.lang != "ar" else range(end, min(len(tokens), end + BIRTH_REACH))
        return any(fold(tokens[k].text, self.lang) in self.birth_words for k in near)

    def presents_a_gift(self, tokens: Sequence[Token], match: Match) -> bool:
        """Whether "presented" (قدم, प्रस्तुत किए) presents gifts, flowers or a medal, not a speech or report."""
        for step, edge in ((1, match.end_token), (-1, match.start_token - 1)):
            k = edge
            while 0 <= k < len(tokens) and abs(k - edge) < GIFT_REACH and tokens[k].text not in SEPARATORS | STRONG_SEPARATORS:
                if any(key in self.gift_words for key, _ in text_keys(tokens[k].text, self.lang)):
                    return True
                k += step
        return False

    def represented_bodies(self, view: SentenceView) -> list[Mention]:
        """Bodies named as whose leaders or representatives someone is (X, Y और Z के नेता; قادة X وY).

        The representative words are the posts whose English is Leader, Representative or
        Delegate; the bodies are those written with them in the language's genitive order,
        with the bodies coordinated with them.
        """
        tokens = view.sentence.tokens
        orgs = view.outer_of_type("Organization")
        by_end = {view.token_range(m)[1]: m for m in orgs}
        by_start = {view.token_range(m)[0]: m for m in orgs}
        found: list[Mention] = []
        between = self.function_words | self.representative_words
        for post in self.posts.find_all(tokens):
            if post.value not in REPRESENTATIVE_POSTS:
                continue
            if self.lang == "ar":
                k = post.end_token
                while k < len(tokens) and k not in by_start and fold(tokens[k].text, self.lang) in between:
                    k += 1  # قادة وقادة سابقين ل…; ممثلين عن …
                while k in by_start:
                    body = by_start[k]
                    found.append(body)
                    k = view.token_range(body)[1]
                    if k < len(tokens) and tokens[k].text in SEPARATORS:
                        k += 1
            else:
                k = post.start_token - 1
                if k < 1 or fold(tokens[k].text, self.lang) not in self.chains.links:
                    continue
                while k in by_end:
                    body = by_end[k]
                    found.append(body)
                    k = view.token_range(body)[0]
                    if k > 0 and (tokens[k - 1].text in SEPARATORS or fold(tokens[k - 1].text, self.lang) in self.chains.conjunctions):
                        k -= 1
        return found

    def leads_to_attend(self, tokens: Sequence[Token], match: Match, matches: Sequence[Match]) -> bool:
        """Whether a word of leading leads others to attend (X ने नेताओं को समारोह में भाग लेने के लिए
        नेतृत्व किया: X led the leaders to the ceremony): the one leading went too, chairing nothing."""
        if not any(fold(tokens[k].text, self.lang) in self.lead_words for k in range(match.start_token, match.end_token)):
            return False
        return any(m.value == "attended" and 0 <= match.start_token - m.end_token <= DELEGATION_REACH for m in matches)

    def heads_a_delegation(self, tokens: Sequence[Token], match: Match) -> bool:
        """Whether a chairing word says who led a delegation (وفد … برئاسة X; X के नेतृत्व में प्रतिनिधिमंडल).

        The annotations count the head of a visiting delegation as attending, not chairing.
        """
        lo = max(0, match.start_token - DELEGATION_REACH)
        hi = min(len(tokens), match.end_token + DELEGATION_REACH)
        near = list(range(lo, match.start_token)) + list(range(match.end_token, hi))
        return any(
            any(key in self.delegation_words for key, _ in text_keys(tokens[k].text, self.lang))
            and not any(tokens[j].text in STRONG_SEPARATORS | {".", "।"} for j in range(min(k, match.start_token), max(k, match.end_token)))
            for k in near
        )

    def predicates_of(self, view: SentenceView, person: Mention, triggers: list[Match], persons: list[Mention]) -> set[str]:
        """The triggers whose subject the person is.

        Hindi is verb-final: every trigger of the sentence has the listed persons
        as subjects. Arabic is verb-first: a person is the subject of the nearest
        trigger before it, and of later coordinated verbs (حضر … وألقى) up to the
        next person.
        """
        if self.lang != "ar":
            # A name followed by का/की/के is a possessor (तो लाम के निर्देशों पर चर्चा), not a subject.
            _, end = view.token_range(person)
            tokens = view.sentence.tokens
            if end < len(tokens) and fold(tokens[end].text, self.lang) in self.chains.links:
                # …except of a speech: X का भाषण सुना (they heard X's speech) says X spoke.
                spoken = [m for m in triggers if m.value == "spokeAt" and m.start_token == end + 1]
                return {"spokeAt"} if spoken else set()
            return {m.value for m in triggers}
        start, end = view.token_range(person)
        before = [m for m in triggers if m.end_token <= start]
        result = set()
        if before and self.unexplained_words(view, before[-1].end_token, start) <= 2:
            result.add(before[-1].value)
        others = [view.token_range(p)[0] for p in persons if p is not person]
        for match in triggers:
            if match.start_token >= end and not any(end <= o < match.start_token for o in others):
                result.add(match.value)
        return result

    def unexplained_words(self, view: SentenceView, start: int, end: int) -> int:
        """Words between two tokens that belong to no name, post, title, event or function word.

        Between a verb and its subject Arabic has only the object and the
        subject's titles and posts; many other words mean another clause.
        """
        tokens = view.sentence.tokens
        covered: set[int] = set()
        for mention in view.mentions:
            m_start, m_end = view.token_range(mention)
            covered.update(range(m_start, m_end))
        for lexicon in (self.posts, self.titles, self.events):
            for match in lexicon.find_all(tokens[start:end]):
                covered.update(range(start + match.start_token, start + match.end_token))
        count = 0
        for i in range(start, end):
            key = fold(tokens[i].text, self.lang)
            if i in covered or not tokens[i].text[0].isalnum() or key in self.function_words or key in self.place_words:
                continue
            count += 1
        return count

    def extract_members(self, view: SentenceView, trigger: Match, orgs: list[Mention]) -> None:
        """Bodies listed as members (सदस्य इकाइयां, أعضاء) of the body named next to the trigger."""
        container = self.nearest(view, Mention(self.document.id, view.sentence.index, trigger.start, trigger.end, "", "Trigger", ""), orgs)
        if container is None:
            return
        for member in orgs:
            if member is not container:
                self.add(self.entity_of[member], "memberOf", self.entity_of[container], self.evidence(view, "trigger:memberOf", 0.6, [member, container]))

    def post_bodies(self, view: SentenceView) -> list[Mention]:
        bodies = []
        for person in view.outer_of_type("Person"):
            for _, org in self.chains.post_chain(view, view.token_range(person)[0]):
                if org:
                    bodies.append(org)
        return bodies


def verb_triggers(triggers: Lexicon, negations: Collection[str], view: SentenceView, lang: str) -> list[Match]:
    """Trigger words of a sentence that are verbs of it: not inside a name (आयोजन in आयोजन समिति), not a
    compound that says nothing of an event (رأس المال: capital; predicate ``none``), not negated."""
    tokens = view.sentence.tokens
    found = []
    for match in triggers.find_all(tokens):
        if match.value == "none" or any(n.start < match.end and match.start < n.end for n in view.mentions):
            continue
        window = tokens[max(0, match.start_token - 2) : match.end_token + 2]
        if any(fold(t.text, lang) in negations for t in window):
            continue
        found.append(match)
    return found


@lru_cache(maxsize=None)
def delegation_words(lang: str) -> frozenset[str]:
    """The nouns naming a delegation (وفد, प्रतिनिधिमंडल): body heads whose English is Delegation."""
    return frozenset(fold(r[0], lang) for r in load_table(lang, "body_words") if len(r) > 2 and r[1] == "head" and r[2] == "Delegation")


@lru_cache(maxsize=None)
def representative_words(lang: str) -> frozenset[str]:
    """The posts that stand for their body (قادة, ممثلو, नेता): those whose English is in ``REPRESENTATIVE_POSTS``."""
    return frozenset(fold(r[0], lang) for r in load_table(lang, "posts") if len(r) > 1 and r[1] in REPRESENTATIVE_POSTS)


def chairs_not_attending(relations: list[Relation]) -> list[Relation]:
    """The relations without "attended" where the same person chaired the event.

    In the annotations whoever chairs an event chairs it, never also attends it
    (19 of 19 chairs in the development set and the seeds).
    """
    chaired = {(r.subject, r.object) for r in relations if r.predicate == "chaired"}
    return [r for r in relations if not (r.predicate == "attended" and (r.subject, r.object) in chaired)]
