"""Relation decisions learned from the annotations.

The rules (``kg.extract.relations``) propose; for each learned predicate a
classifier trained on annotated articles decides over every candidate pair of
the article (``candidates``), described by what a reader would weigh
(``features``), with the rule's verdict as one strong feature among them. The
other predicates keep the rules' decision. Weights ship as data
(``weights``); ``kg train-relations`` (``kg.learn``) refits them.
"""

from __future__ import annotations

from kg.extract.decide.article import PARTICIPATION, ArticleView, article_view
from kg.extract.decide.candidates import LEARNED, Candidate, candidates
from kg.extract.decide.features import features, own_event_row
from kg.extract.decide.weights import RelationModel, RelationModelError, load_model
from kg.extract.participation import chairs_not_attending
from kg.model import Evidence, Relation

__all__ = ["LEARNED", "choose_own_event", "ArticleView", "Candidate", "RelationModel", "RelationModelError", "article_view", "candidates", "decide", "features", "load_model"]


def decide(article: ArticleView, model: RelationModel) -> list[Relation]:
    """The article's relations: the rules' for the predicates the model does not decide, the model's for the others."""
    choose_own_event(article, model)
    kept = [r for r in article.rule_relations if not model.decides(r.predicate)]
    accepted: list[tuple[Candidate, float, Relation | None]] = []
    for candidate in candidates(article, tuple(p for p in LEARNED if model.decides(p))):
        predictor = model.predicates[candidate.predicate]
        fired = article.rule_fired(candidate.key())
        if fired is not None and predictor.mode == "add":
            probability = 1.0
        else:
            probability = predictor.probability(features(article, candidate))
        if probability >= predictor.threshold:
            accepted.append((candidate, probability, fired))
    # One occasion per participant: in the annotations a person or body attends (speaks at,
    # organises) one event of an article, so only its likeliest event is kept.
    best: dict[tuple[str, str], float] = {}
    for candidate, probability, _ in accepted:
        if candidate.predicate in PARTICIPATION:
            key = (candidate.subject, candidate.predicate)
            best[key] = max(best.get(key, 0.0), probability)
    decided: list[Relation] = []
    for candidate, probability, fired in accepted:
        if candidate.predicate in PARTICIPATION and probability < best[(candidate.subject, candidate.predicate)]:
            continue
        if fired is not None:
            decided.extend(article.rules_by_key[candidate.key()])  # each sentence the rules read it in
        else:
            decided.append(Relation(candidate.subject, candidate.predicate, candidate.object, learned_evidence(article, candidate, probability)))
    return chairs_not_attending(kept + decided)


def choose_own_event(article: ArticleView, model: RelationModel) -> None:
    """The event the article reports: the model's likeliest among the article's events (the rules' main event first on a tie)."""
    chooser = model.own_event
    events = article.events()
    if chooser is None or not events:
        return
    scored = [(chooser.probability(own_event_row(article, e)), -n, e) for n, e in enumerate(events)]
    article.set_own_event(max(scored)[2])


def learned_evidence(article: ArticleView, candidate: Candidate, probability: float) -> Evidence:
    """The sentence that names both entities nearest together, else the subject's first sentence."""
    subjects = article.occurrences.get(candidate.subject, [])
    objects = article.occurrences.get(candidate.object, [])
    shared = [(a, b) for a in subjects for b in objects if a.sentence == b.sentence]
    if shared:
        a, b = min(shared, key=lambda p: (p[0].sentence, abs(p[0].start - p[1].start)))
        spans = [m for m in (a.mention, b.mention) if m is not None]
    elif subjects:
        a = subjects[0]
        spans = [a.mention] if a.mention else []
    else:
        a = objects[0] if objects else None
        spans = [a.mention] if a is not None and a.mention else []
    view = article.views[a.sentence] if a is not None else article.views[0]
    sentence = view.sentence
    start = min([m.start for m in spans], default=sentence.start)
    end = max([m.end for m in spans], default=sentence.end)
    return Evidence(article.document.id, sentence.index, start, end, sentence.text, f"learned:{candidate.predicate}", round(probability, 3), article.document.source_url)
