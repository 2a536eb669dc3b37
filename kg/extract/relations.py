"""Relations: typed edges between entities, each with the sentence that supports it.

- holdsPost: chains of posts written next to a name (``kg.extract.post_assignment``
  says whose they are). Hindi puts them before the name in genitive order
  (``X के Y`` = Y of X), separated by commas and और; Arabic puts one post and
  its body in construct order right before the name
  (``نائب رئيس اللجنة الشعبية الإقليمية لي نجوك تشاو``) or after a dash.
- chaired, attended, spokeAt, organized, launched, implements: a trigger word
  of the sentence (``triggers.tsv``) links the sentence's persons or bodies to
  the article's main event or to the campaigns the sentence names; who
  organised an event is read by ``kg.extract.event_owners``.
- Role coreference: a sentence that names a person only by post (“the
  Standing Deputy Secretary of the Provincial Party Committee … said”) gets the
  person who holds that post in the article.
- subOrganizationOf: a body whose name contains its parent's name; an organ
  (a standing committee) and its body when the article names both.
- locatedIn: provincial bodies are in their province; the main event where the
  lead says it was (a venue, else the most specific place below the province),
  else in the article's province.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from functools import cached_property, lru_cache
from collections.abc import Collection, Sequence

from kg.extract import gazetteer
from kg.extract.events import UNNAMED, function_words_of
from kg.extract.officials import alive_in, article_year
from kg.extract.lexicon import Lexicon, Match, fold, resource_lexicon, text_keys
from kg.model import Document, Entity, Evidence, Mention, Post, Relation, Sentence, Token
from kg.extract.posts import SEPARATORS, STRONG_SEPARATORS, PostChainReader, SentenceView, outermost
from kg.extract.post_assignment import PostAssigner
from kg.extract.ner.vocabulary import language_rules
from kg.extract.resources import load_table
from kg.extract.event_owners import EventOwners
from kg.extract.structure import StructureAndPlaces


EVENT_PREDICATES = ("chaired", "attended", "spokeAt")
PARTICIPATION = ("attended", "spokeAt", "chaired", "organized")  # a person's or body's part in an event
DELEGATION_REACH = 8  # tokens between a delegation and the word saying who led it
BIRTH_REACH = 6  # words between a name and the word saying when the person was born
GIFT_REACH = 12  # words between "presented" and the gift it presents
REPRESENTATIVE_POSTS = frozenset({"Leader", "Representative", "Delegate"})  # posts that stand for their body


class RelationExtractor(StructureAndPlaces, EventOwners):
    """Extracts the relations of one document; call ``extract``."""

    def __init__(self, document: Document, sentences: list[Sentence], mentions: list[Mention], entity_of: dict[Mention, str], entities: dict[str, Entity], main_event: Entity | None) -> None:
        self.document = document
        self.lang = document.lang
        self.sentences = sentences
        self.entity_of = entity_of
        self.entities = entities
        self.main_event = main_event
        self.chains = PostChainReader(self.lang)
        self.assigner = PostAssigner(self.lang, self.chains)
        self.rules = language_rules(self.lang)
        self.posts = self.chains.posts
        self.titles = self.chains.titles
        self.triggers = resource_lexicon(self.lang, "triggers")
        self.events = resource_lexicon(self.lang, "events")
        self.function_words = {fold(r[0], self.lang) for r in load_table(self.lang, "function_words")}
        self.negations = function_words_of(self.lang, "negation")
        self.place_words = {fold(r[0], self.lang) for r in load_table(self.lang, "place_words")}
        # Read once per language, not per article: the extractor is made for every article.
        self.birth_words = function_words_of(self.lang, "born")
        self.honour_words = function_words_of(self.lang, "honoured")
        self.visit_words = function_words_of(self.lang, "visit")
        self.gift_words = function_words_of(self.lang, "gift")
        self.delegation_words = delegation_words(self.lang)
        self.lead_words = function_words_of(self.lang, "lead")
        self.representative_words = representative_words(self.lang)
        by_sentence: dict[int, list[Mention]] = defaultdict(list)
        for mention in mentions:
            by_sentence[mention.sentence].append(mention)
        self.views = [SentenceView(s, by_sentence[s.index], outermost(by_sentence[s.index])) for s in sentences]
        self.relations: list[Relation] = []
        self.role_holders: dict[tuple[str, str | None], str] = {}

    def evidence(self, view: SentenceView, rule: str, confidence: float, spans: Sequence[Mention] = ()) -> Evidence:
        start = min([m.start for m in spans], default=view.sentence.start)
        end = max([m.end for m in spans], default=view.sentence.end)
        return Evidence(self.document.id, view.sentence.index, start, end, view.sentence.text, rule, confidence, self.document.source_url)

    def add(self, subject: str, predicate: str, obj: str, evidence: Evidence, post: str | None = None) -> None:
        if subject == obj:
            return
        if predicate in PARTICIPATION and not self.alive(subject):
            return  # Ho Chi Minh named in the city's or a museum's name, or in a tribute, attends nothing
        self.relations.append(Relation(subject, predicate, obj, evidence, post))

    @cached_property
    def year(self) -> int | None:
        """The article's year, for who can take part (read when first needed)."""
        return article_year(self.document.text, self.main_event.attrs.get("date") if self.main_event else None)

    def alive(self, entity_id: str) -> bool:
        entity = self.entities.get(entity_id)
        return entity is None or entity.type != "Person" or alive_in(entity.label, self.year)

    def extract(self) -> list[Relation]:
        for view in self.views:
            self.extract_posts(view)
        previous_orgs: list[Mention] = []
        for view in self.views:
            self.extract_events_and_campaigns(view, previous_orgs)
            self.extract_sub_organizations(view)
            self.extract_event_owners(view)
            self.extract_named_owners(view)
            orgs = view.outer_of_type("Organization")
            previous_orgs = orgs or previous_orgs
        self.extract_organs()
        self.extract_locations()
        return chairs_not_attending(self.relations)

    # -- posts -----------------------------------------------------------------
    def extract_posts(self, view: SentenceView) -> None:
        for person, chain in self.assigner.posts_of_persons(view).items():
            person_id = self.entity_of[person]
            for post, org in chain:
                org_id = self.entity_of.get(org) if org else self.implied_entity(view, post)
                title = post.value
                entity = self.entities[person_id]
                held = Post(title, org_id, self.document.id, self.event_date())
                if held not in entity.posts:
                    entity.posts.append(held)
                self.role_holders.setdefault((fold(post.value, "en"), org_id), person_id)
                if org_id:
                    self.add(person_id, "holdsPost", org_id, self.evidence(view, "post-chain", 0.85, [person, org] if org else [person]), title)

    def implied_entity(self, view: SentenceView, post: Match) -> str | None:
        """The article's entity of the body a post implies (the Prime Minister's Government), if it names it."""
        body = self.chains.implied_body(view.sentence.tokens, post)
        if body is None:
            return None
        body = gazetteer.canonical_id(body)
        found = self.entities.get(body)
        if found is not None and found.type == "Organization":
            return body
        # A local body is the article's entity of that kind (Ninh Binh Provincial Party Committee), if only one.
        local = [e.id for e in self.entities.values() if e.type == "Organization" and e.attrs.get("body") == body]
        return local[0] if len(local) == 1 else None

    def event_date(self) -> str | None:
        return self.main_event.attrs.get("date") if self.main_event else self.document.date

    def implicit_persons(self, view: SentenceView) -> list[str]:
        """Persons named in this sentence only by a post they were introduced with."""
        found = []
        tokens = view.sentence.tokens
        for match in self.posts.find_all(tokens):
            chain = self.chains.post_chain(view, match.end_token)
            for post, org in chain[:1]:
                org_id = self.entity_of.get(org) if org else None
                holder = self.role_holders.get((fold(post.value, "en"), org_id))
                if holder and holder not in found:
                    found.append(holder)
        return found

    # -- events and campaigns --------------------------------------------------

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


def extract_relations(document: Document, sentences: list[Sentence], mentions: list[Mention], entity_of: dict[Mention, str], entities: dict[str, Entity], main_event: Entity | None) -> list[Relation]:
    return RelationExtractor(document, sentences, mentions, entity_of, entities, main_event).extract()
