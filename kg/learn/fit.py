"""Fitting the relation classifiers, choosing their thresholds, and cross-validating by article.

One L2 logistic regression per learned predicate (scikit-learn, liblinear:
deterministic for a fixed seed) over the candidates' binary features. Each
predicate's threshold is the one that maximises F1 on out-of-fold
probabilities within the training articles, counting the gold relations no
candidate reaches as misses. Cross-validation holds each fold's articles out
of everything fitted: weights and thresholds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from kg.extract.decide import LEARNED, features
from kg.extract.decide.article import PARTICIPATION
from kg.extract.decide.features import own_event_row
from kg.extract.decide.weights import FORMAT, PredicateModel, RelationModel
from kg.folds import folds_by_article  # noqa: F401 - part of this module's interface
from kg.learn.examples import ArticleExamples

C = 0.3  # inverse L2 strength: 5-fold cross-validation over (0.03, 0.1, 0.2, 0.3, 0.5, 1, 3) on the development set chose it
INNER_FOLDS = 4
THRESHOLD_TOLERANCE = 0.01  # F1 on inner folds closer than this to the best is as good
DIGITS = 6


def fit_predicate(articles: Sequence[ArticleExamples], predicate: str, seed: int, c: float = C) -> tuple[float, dict[str, float]]:
    """(intercept, weights) of one predicate's classifier."""
    rows, labels = [], []
    for article in articles:
        for candidate, feats, label in zip(article.candidates, article.features, article.labels):
            if candidate.predicate == predicate:
                rows.append(feats)
                labels.append(label)
    return fit_rows(rows, labels, seed, c)


def own_event_rows(articles: Sequence[ArticleExamples]) -> tuple[list[dict[str, float]], list[int]]:
    rows, labels = [], []
    for article in articles:
        events = article.view.events()
        if article.own_event is None or article.own_event not in events:
            continue
        for event in events:
            rows.append(own_event_row(article.view, event))
            labels.append(1 if event == article.own_event else 0)
    return rows, labels


def fit_own_event(articles: Sequence[ArticleExamples], seed: int, c: float = C) -> dict:
    intercept, weights = fit_rows(*own_event_rows(articles), seed, c)
    return {"intercept": intercept, "threshold": 0.5, "weights": weights}


def apply_own_event(articles: Sequence[ArticleExamples], chooser: dict) -> None:
    """Each article's own event as ``chooser`` picks it, and its event candidates' features read again."""
    from kg.extract.decide import choose_own_event

    model = RelationModel("<fitted>", {}, "", PredicateModel(chooser["intercept"], 0.5, chooser["weights"]))
    for article in articles:
        article.view.set_own_event(article.view.main_event.id if article.view.main_event else None)
        choose_own_event(article.view, model)
        article.features = [features(article.view, c) if c.predicate in PARTICIPATION else f for c, f in zip(article.candidates, article.features)]


def fit_rows(rows: list[dict[str, float]], labels: list[int], seed: int, c: float) -> tuple[float, dict[str, float]]:
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    if not rows or len(set(labels)) < 2:
        return (-10.0 if not any(labels) else 10.0), {}
    names = sorted({name for row in rows for name in row})
    column = {name: j for j, name in enumerate(names)}
    indptr, indices, values = [0], [], []
    for row in rows:
        for name in sorted(row, key=column.__getitem__):
            indices.append(column[name])
            values.append(row[name])
        indptr.append(len(indices))
    matrix = csr_matrix((np.array(values), np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int32)), shape=(len(rows), len(names)))
    model = LogisticRegression(C=c, solver="liblinear", random_state=seed, max_iter=1000)
    model.fit(matrix, np.array(labels))
    weights = {str(n): round(float(w), DIGITS) for n, w in zip(names, model.coef_[0]) if abs(w) >= 10**-DIGITS}
    return round(float(model.intercept_[0]), DIGITS), dict(sorted(weights.items()))


def best_threshold(scored: list[tuple[float, int, bool]], unreachable: int, adding: bool = False) -> float:
    """The threshold maximising F1 over scored candidates (probability, label, rule fired), the unreachable gold counted as misses.

    ``adding``: the rule's relations are kept whatever the score, the model only adds.
    Thresholds whose F1 is within ``THRESHOLD_TOLERANCE`` of the best are as good on
    out-of-fold scores of a few dozen articles; the middle one of them is taken, not
    the edge of the plateau, so that a small change of the data moves it little.
    """
    positives = sum(label for _, label, _ in scored) + unreachable
    if not positives:
        return 0.5
    base = [x for x in scored if x[2]] if adding else []
    ordered = sorted([x for x in scored if not (adding and x[2])], key=lambda x: -x[0])
    correct = sum(x[1] for x in base)
    points = [(0.99, 2 * correct / (len(base) + positives))]
    for n, (probability, label, _) in enumerate(ordered, 1):
        correct += label
        following = ordered[n][0] if n < len(ordered) else 0.0
        if probability > following:
            points.append((round((probability + following) / 2, 4), 2 * correct / (n + len(base) + positives)))
    best_f1 = max(f1 for _, f1 in points)
    near = sorted(threshold for threshold, f1 in points if f1 >= best_f1 - THRESHOLD_TOLERANCE)
    return min(max(near[len(near) // 2], 0.01), 0.99)


def fit_model(articles: Sequence[ArticleExamples], seed: int, predicates: Sequence[str] = LEARNED, c: float = C, modes: dict[str, str] | None = None) -> dict[str, dict]:
    """The weights file's ``predicates`` (and ``own_event``): each fitted on all ``articles``, thresholds from inner folds.

    The own-event chooser is fitted first; the event candidates are described with its choice.
    """
    chooser = fit_own_event(articles, seed, c)
    apply_own_event(articles, chooser)
    inner = folds_by_article(articles, min(INNER_FOLDS, max(2, len(articles))), seed)
    modes = modes or {}
    out_of_fold: dict[str, list[tuple[float, int, bool]]] = {p: [] for p in predicates}
    learned = [p for p in predicates if modes.get(p) != "rules"]
    for held in inner:
        held_set = set(held)
        training = [a for i, a in enumerate(articles) if i not in held_set]
        fitted = {p: fit_predicate(training, p, seed, c) for p in learned}
        for i in held:
            article = articles[i]
            for candidate, feats, label in zip(article.candidates, article.features, article.labels):
                if candidate.predicate in fitted:
                    intercept, weights = fitted[candidate.predicate]
                    out_of_fold[candidate.predicate].append((PredicateModel(intercept, 0.5, weights).probability(feats), label, "rule" in feats))
    result = {}
    for predicate in predicates:
        if modes.get(predicate) == "rules":  # nothing to fit: the rules decide
            result[predicate] = {"intercept": 0.0, "mode": "rules", "threshold": 0.5, "weights": {}}
            continue
        intercept, weights = fit_predicate(articles, predicate, seed, c)
        unreachable = sum(a.unreachable.get(predicate, 0) for a in articles)
        mode = modes.get(predicate, "decide")
        threshold = best_threshold(out_of_fold[predicate], unreachable, adding=mode == "add")
        result[predicate] = {"intercept": intercept, "mode": mode, "threshold": threshold, "weights": weights}
    result["own_event"] = chooser
    return result


def weights_json(fitted: dict[str, dict], seed: int, articles: Sequence[ArticleExamples]) -> str:
    predicates = {p: v for p, v in fitted.items() if p != "own_event"}
    data = {"format": FORMAT, "seed": seed, "trained_on": sorted(a.name for a in articles), "predicates": predicates, "own_event": fitted.get("own_event")}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def as_model(fitted: dict[str, dict]) -> RelationModel:
    own = fitted.get("own_event")
    predicates = {p: PredicateModel(v["intercept"], v["threshold"], v["weights"], v.get("mode", "decide")) for p, v in fitted.items() if p != "own_event" and v.get("mode") != "rules"}
    return RelationModel("<fitted>", predicates, "", PredicateModel(own["intercept"], 0.5, own["weights"]) if own else None)


@dataclass
class CrossValidation:
    folds: list[list[int]]
    decided: dict[int, list]  # article index -> relations decided by the model of the fold that held it out
    thresholds: list[dict[str, float]]
    own_event: dict[int, str | None]  # article index -> the event the fold's model chose as the article's own


def cross_validate(articles: Sequence[ArticleExamples], k: int, seed: int, c: float = C, progress: bool = False, modes: dict[str, str] | None = None) -> CrossValidation:
    from kg.extract.decide import decide

    folds = folds_by_article(articles, k, seed)
    decided: dict[int, list] = {}
    own: dict[int, str | None] = {}
    thresholds = []
    steps = enumerate(folds)
    if progress:
        from tqdm import tqdm

        steps = tqdm(list(steps), desc="cross-validating", unit="fold")
    for _, held in steps:
        held_set = set(held)
        training = [a for i, a in enumerate(articles) if i not in held_set]
        fitted = fit_model(training, seed, c=c, modes=modes)
        thresholds.append({p: v["threshold"] for p, v in fitted.items()})
        model = as_model(fitted)
        for i in held:
            decided[i] = decide(articles[i].view, model)
            own[i] = articles[i].view.own_event
    return CrossValidation(folds, decided, thresholds, own)
