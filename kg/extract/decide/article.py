"""What the relation decisions read of one article: its sentences, where each entity stands, its cues.

Built once per article from the stages before (tokens, mentions, resolution,
main event, the rules' relations) and shared by candidate generation and
feature extraction, so both see the article the same way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from kg.extract.lexicon import Lexicon, Match, fold, resource_lexicon
from kg.extract.posts import STRONG_SEPARATORS, SEPARATORS, SentenceView, is_dash, outermost
from kg.extract.officials import alive_in, article_year
from kg.extract.participation import PARTICIPATION, verb_triggers
from kg.extract.resources import load_table
from kg.model import Document, Entity, Mention, Relation, Sentence

QUOTE_MARKS = set("\"'“”«»„")
# Languages whose genitive word follows the possessor (Hindi X के निर्देश: X's instructions);
# an Arabic possessor follows what it owns, with no word between.
GENITIVE_AFTER_POSSESSOR = {"hi"}
LIST_SIZE = 3  # names of one type in a sentence that make it a list


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where an entity stands in a sentence: a mention, or an event word standing for an unnamed event."""

    sentence: int
    start: int  # token range in the sentence
    end: int
    mention: Mention | None


@dataclass(frozen=True)
class LanguageCues:
    """The word lists the decisions read, per language (data: ``kg/resources/<lang>/``)."""

    triggers: Lexicon
    events: Lexicon
    posts: Lexicon
    links: frozenset[str]  # genitive links (Hindi का/की/के)
    negations: frozenset[str]
    function_words: frozenset[str]
    titles: Lexicon


@lru_cache(maxsize=None)
def language_cues(lang: str) -> LanguageCues:
    rows = load_table(lang, "function_words")

    def role(name: str) -> frozenset[str]:
        return frozenset(fold(r[0], lang) for r in rows if len(r) > 1 and r[1] == name)

    return LanguageCues(
        triggers=resource_lexicon(lang, "triggers"),
        events=resource_lexicon(lang, "events"),
        posts=resource_lexicon(lang, "posts"),
        links=frozenset(fold(r[0], lang) for r in load_table(lang, "body_words") if len(r) > 1 and r[1] == "link"),
        negations=role("negation"),
        function_words=frozenset(fold(r[0], lang) for r in rows),
        titles=resource_lexicon(lang, "titles"),
    )


@dataclass
class ArticleView:
    """One article as the decisions see it."""

    document: Document
    views: list[SentenceView]
    entity_of: dict[Mention, str]
    entities: dict[str, Entity]
    main_event: Entity | None
    rule_relations: list[Relation]
    cues: LanguageCues
    occurrences: dict[str, list[Occurrence]] = field(default_factory=dict)
    triggers: list[list[Match]] = field(default_factory=list)  # per sentence: cue words that are verbs of it
    event_words: list[list[Match]] = field(default_factory=list)
    post_matches: dict[int, list[Match]] = field(default_factory=dict)  # memo of post_words
    explained_tokens: dict[int, set[int]] = field(default_factory=dict)  # memo of explained
    persons_in: list[list[tuple[int, int]]] = field(default_factory=list)  # per sentence: token ranges of persons
    orgs_in: list[list[tuple[int, int]]] = field(default_factory=list)
    rules_by_key: dict[tuple[str, str, str], list[Relation]] = field(default_factory=dict)  # the rule_relations of each (s, p, o)
    rules_by_subject: dict[str, list[Relation]] = field(default_factory=dict)
    rules_as_read: list[Relation] = field(default_factory=list)  # the rules' relations, to the rules' main event
    short_lines: set[int] = field(default_factory=set)  # sentences that are a whole short line (captions, headings)
    named_tokens: list[set[int]] = field(default_factory=list)  # per sentence: tokens inside an outermost name
    clause_words: dict[tuple[int, int, int], frozenset[str]] = field(default_factory=dict)  # memo of features.clause_words
    own_event: str | None = None  # the event the article reports, as chosen (the rules' main event until then)

    @property
    def lang(self) -> str:
        return self.document.lang

    def entity_type(self, entity_id: str) -> str:
        entity = self.entities.get(entity_id)
        return entity.type if entity else ""

    def events(self) -> list[str]:
        """The article's events: the main one first, then the named ones in order of appearance."""
        found = [self.main_event.id] if self.main_event else []
        for entity_id in self.occurrences:
            if self.entity_type(entity_id) == "Event" and entity_id not in found:
                found.append(entity_id)
        return found

    def set_own_event(self, event_id: str | None) -> None:
        """Take ``event_id`` as the event the article reports: the rules' participants of their main event move to it."""
        self.own_event = event_id
        main = self.main_event.id if self.main_event is not None else None
        moved = []
        for relation in self.rules_as_read:
            if event_id and main and event_id != main and relation.object == main and relation.predicate in PARTICIPATION:
                relation = replace(relation, object=event_id)
            moved.append(relation)
        self.rule_relations = moved
        self.rules_by_key, self.rules_by_subject = {}, {}
        for relation in moved:
            self.rules_by_key.setdefault(relation.key(), []).append(relation)
            self.rules_by_subject.setdefault(relation.subject, []).append(relation)

    def rule_fired(self, key: tuple[str, str, str]) -> Relation | None:
        """The rules' first relation of ``key`` (subject, predicate, object), if they found it."""
        found = self.rules_by_key.get(key)
        return found[0] if found else None

    def post_words(self, sentence: int) -> list[Match]:
        """The post words of a sentence (read when a pair of entities shares it)."""
        found = self.post_matches.get(sentence)
        if found is None:
            found = self.post_matches[sentence] = self.cues.posts.find_all(self.views[sentence].sentence.tokens)
        return found

    def explained(self, sentence: int) -> set[int]:
        """Tokens of a sentence inside a name, post or title, or a function word or punctuation."""
        covered = self.explained_tokens.get(sentence)
        if covered is None:
            view = self.views[sentence]
            tokens = view.sentence.tokens
            covered = set()
            for mention in view.mentions:
                covered.update(range(*view.token_range(mention)))
            for match in self.post_words(sentence) + self.cues.titles.find_all(tokens):
                covered.update(range(match.start_token, match.end_token))
            covered.update(k for k, t in enumerate(tokens) if not t.text[0].isalnum() or fold(t.text, self.lang) in self.cues.function_words)
            self.explained_tokens[sentence] = covered
        return covered

    def is_possessor(self, occurrence: Occurrence) -> bool:
        """A name followed by a genitive link (X के निर्देश): the owner of what follows, not an actor."""
        if self.lang not in GENITIVE_AFTER_POSSESSOR:
            return False
        tokens = self.views[occurrence.sentence].sentence.tokens
        return occurrence.end < len(tokens) and fold(tokens[occurrence.end].text, self.lang) in self.cues.links

    @cached_property
    def year(self) -> int | None:
        """The article's year, for who can take part (read when first needed)."""
        return article_year(self.document.text, self.main_event.attrs.get("date") if self.main_event else None)

    def alive(self, entity_id: str) -> bool:
        """Whether a person can take part in the article's event: not known to have died before its year."""
        entity = self.entities.get(entity_id)
        return entity is None or alive_in(entity.label, self.year)

    def of_type(self, *types: str) -> list[str]:
        return [e for e in self.occurrences if self.entity_type(e) in types]


def article_view(
    document: Document,
    sentences: list[Sentence],
    mentions: list[Mention],
    entity_of: dict[Mention, str],
    entities: dict[str, Entity],
    main_event: Entity | None,
    rule_relations: list[Relation],
) -> ArticleView:
    cues = language_cues(document.lang)
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_sentence[mention.sentence].append(mention)
    views = [SentenceView(s, by_sentence[s.index], outermost(by_sentence[s.index])) for s in sentences]
    article = ArticleView(document, views, entity_of, entities, main_event, rule_relations, cues)
    occurrences: dict[str, list[Occurrence]] = defaultdict(list)
    for position, view in enumerate(views):
        tokens = view.sentence.tokens
        for mention in sorted(view.mentions, key=lambda m: (m.start, -m.end)):
            entity_id = entity_of.get(mention)
            if entity_id is not None:
                start, end = view.token_range(mention)
                occurrences[entity_id].append(Occurrence(position, start, end, mention))
        article.triggers.append(verb_triggers(cues.triggers, cues.negations, view, document.lang))
        article.event_words.append(cues.events.find_all(tokens))
        article.named_tokens.append({k for m in view.outer for k in range(*view.token_range(m))})
        article.persons_in.append(sorted(view.token_range(m) for m in view.outer_of_type("Person")))
        article.orgs_in.append(sorted(view.token_range(m) for m in view.outer_of_type("Organization")))
        line_start = document.text.rfind("\n", 0, view.sentence.start) + 1
        line_end = document.text.find("\n", view.sentence.end)
        line = document.text[line_start : line_end if line_end >= 0 else len(document.text)].strip()
        if line == view.sentence.text.strip() and len(tokens) <= 14:
            article.short_lines.add(position)
    if main_event is not None:
        # An unnamed main event stands wherever the article writes its kind (सम्मेलन, المؤتمر).
        kind = main_event.attrs.get("event_type")
        taken = {(o.sentence, o.start) for o in occurrences.get(main_event.id, ())}
        for position, words in enumerate(article.event_words):
            for match in words:
                if match.value == kind and (position, match.start_token) not in taken:
                    occurrences[main_event.id].append(Occurrence(position, match.start_token, match.end_token, None))
    article.occurrences = dict(occurrences)
    article.own_event = main_event.id if main_event is not None else None
    article.rules_as_read = list(rule_relations)
    article.set_own_event(article.own_event)
    return article


def separators_between(tokens, start: int, end: int) -> set[str]:  # noqa: ANN001
    found = set()
    for k in range(start, end):
        text = tokens[k].text
        if text in SEPARATORS:
            found.add("comma")
        elif text in STRONG_SEPARATORS:
            found.add("strong")
        elif is_dash(tokens, k):
            found.add("dash")
        elif text in "()":
            found.add("paren")
    return found


def clause_bounds(tokens, start: int, end: int, strong_only: bool) -> tuple[int, int]:  # noqa: ANN001
    """The tokens around [start, end) up to the nearest separators (commas too unless ``strong_only``)."""
    stops = STRONG_SEPARATORS | ({"।", "."} if strong_only else SEPARATORS | {"।", "."})
    left = start
    while left > 0 and tokens[left - 1].text not in stops:
        left -= 1
    right = end
    while right < len(tokens) and tokens[right].text not in stops:
        right += 1
    return left, right


def in_quote(tokens, start: int) -> bool:  # noqa: ANN001
    return sum(1 for t in tokens[:start] if t.text in QUOTE_MARKS) % 2 == 1
