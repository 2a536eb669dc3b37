"""Relations: typed edges between entities, each with the sentence that supports it.

- holdsPost: chains of posts written next to a name (``kg.extract.post_assignment``
  says whose they are). Hindi puts them before the name in genitive order
  (``X के Y`` = Y of X), separated by commas and और; Arabic puts one post and
  its body in construct order right before the name
  (``نائب رئيس اللجنة الشعبية الإقليمية لي نجوك تشاو``) or after a dash.
- chaired, attended, spokeAt, organized, launched, implements: a trigger word
  of the sentence (``triggers.tsv``) links the sentence's persons or bodies to
  the article's main event or to the campaigns the sentence names
  (``kg.extract.participation``); who organised an event is read by
  ``kg.extract.event_owners``.
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
from functools import cached_property
from collections.abc import Sequence

from kg.extract import gazetteer
from kg.extract.events import function_words_of
from kg.extract.officials import alive_in, article_year
from kg.extract.lexicon import Match, fold, resource_lexicon
from kg.model import Document, Entity, Evidence, Mention, Post, Relation, Sentence
from kg.extract.posts import PostChainReader, SentenceView, outermost
from kg.extract.post_assignment import PostAssigner
from kg.extract.ner.vocabulary import language_rules
from kg.extract.resources import load_table
from kg.extract.event_owners import EventOwners
from kg.extract.structure import StructureAndPlaces
from kg.extract.participation import PARTICIPATION, EventParticipation, chairs_not_attending, delegation_words, representative_words


class RelationExtractor(StructureAndPlaces, EventOwners, EventParticipation):
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

def extract_relations(document: Document, sentences: list[Sentence], mentions: list[Mention], entity_of: dict[Mention, str], entities: dict[str, Entity], main_event: Entity | None) -> list[Relation]:
    return RelationExtractor(document, sentences, mentions, entity_of, entities, main_event).extract()
