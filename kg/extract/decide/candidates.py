"""Candidate relations of one article: every pair of entities a predicate could join.

Generous on purpose: the rules find some of these pairs, the classifier of
each learned predicate decides on all of them (``kg.extract.decide.features``
describes a candidate, ``kg.extract.decide.weights`` scores it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.decide.article import ArticleView

# Predicates decided by a learned classifier; the others keep the rules' decision
# (too few annotated examples to learn from: chaired 18, implements 9, launched 2, memberOf 0).
LEARNED = ("attended", "spokeAt", "organized", "holdsPost", "locatedIn", "subOrganizationOf")


@dataclass(frozen=True, slots=True)
class Candidate:
    subject: str
    predicate: str
    object: str

    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.object)


def candidates(article: ArticleView, predicates: tuple[str, ...] = LEARNED) -> Iterator[Candidate]:
    """Every (subject, predicate, object) of the article's entities that the predicate's types allow."""
    persons = article.of_type("Person")
    orgs = article.of_type("Organization")
    places = article.of_type("Location")
    events = article.events()
    # Only one named as an actor can take part: a name followed by a genitive link (तो लाम के
    # निर्देशों, To Lam's instructions) is a possessor wherever it stands.
    actors = orgs + [e for e in persons if not all(article.is_possessor(o) for o in article.occurrences[e]) and article.alive(e)]
    subjects = {
        "attended": [e for e in persons + orgs if e in actors],
        "spokeAt": [e for e in persons if e in actors],
        "chaired": [e for e in persons if e in actors],
        "organized": orgs,
        "holdsPost": persons,
        "locatedIn": events + orgs,
        "subOrganizationOf": orgs,
    }
    objects = {
        "attended": events,
        "spokeAt": events,
        "chaired": events,
        "organized": events,
        "holdsPost": orgs,
        "locatedIn": places,
        "subOrganizationOf": orgs,
    }
    for predicate in predicates:
        for subject in subjects.get(predicate, ()):
            for obj in objects.get(predicate, ()):
                if subject != obj:
                    yield Candidate(subject, predicate, obj)
