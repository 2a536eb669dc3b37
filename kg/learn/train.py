"""``kg train-relations``: refit the relation weights from a gold folder and a text folder.

Deterministic: the same annotations, texts and seed give the same bytes.
Cross-validation (by article, folds dealt per language) reports what the
weights do on articles they were not fitted on, next to the rules alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.evaluate.scores import EvalReport, evaluate_records
from kg.files import write_atomically
from kg.learn.examples import ArticleExamples, collect, predicted_document
from kg.learn.fit import C, cross_validate, fit_model, weights_json

# What each predicate's model does, chosen by 5-fold cross-validation over the 88
# development articles (see the README): "add" keeps the rules' relations and adds
# the classifier's; "rules" keeps the rules alone where the classifier did not beat them.
MODES = {
    "attended": "add",
    "spokeAt": "rules",
    "organized": "rules",
    "holdsPost": "rules",
    "locatedIn": "rules",
    "subOrganizationOf": "rules",
}


@dataclass
class TrainingResult:
    weights: str  # the JSON text written
    articles: list[ArticleExamples]
    rules: dict[str, EvalReport]  # group -> the rules' relations scored
    cross_validated: dict[str, EvalReport]  # group -> out-of-fold decisions scored
    own_event: dict[str, tuple[int, int, int]]  # group -> (chosen right, the most attended event found, articles reporting attendance)


def most_attended(article: ArticleExamples) -> str | None | bool:
    """The predicted event aligned to the gold event most attendees attend: None when the extraction lacks it, False without attendance."""
    from collections import Counter

    counts = Counter(o for _, p, o in article.gold.relations if p == "attended")
    if not counts:
        return False
    best = min(counts, key=lambda e: (-counts[e], e))
    return article.alignment.get(best)


def groups_of(articles: list[ArticleExamples], group: Callable[[str], str] | None) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {"all": list(range(len(articles)))}
    for i, article in enumerate(articles):
        for name in ([f"lang:{article.lang}"] + ([group(article.name)] if group else [])):
            found.setdefault(name, []).append(i)
    return found


def score(articles: list[ArticleExamples], members: list[int], relations_of: Callable[[int], list]) -> EvalReport:
    gold = {articles[i].gold.key: articles[i].gold for i in members}
    predicted = {articles[i].gold.key: predicted_document(articles[i].reading, relations_of(i), articles[i].name) for i in members}
    return evaluate_records(gold, predicted)


def train_relations(
    gold_dir: Path,
    text_dir: Path,
    recognizer: object,
    seed: int = 1234,
    folds: int = 5,
    out: Path | None = None,
    group: Callable[[str], str] | None = None,
    progress: bool = False,
) -> TrainingResult:
    """Fit on every annotated article (and cross-validate first when ``folds`` > 1); write ``out`` atomically."""
    articles = collect(gold_dir, text_dir, recognizer, progress=progress)
    groups = groups_of(articles, group)
    rules = {name: score(articles, members, lambda i: articles[i].reading.rule_relations) for name, members in groups.items()}
    cross: dict[str, EvalReport] = {}
    own: dict[str, tuple[int, int, int]] = {}
    if folds > 1 and len(articles) >= folds:
        cv = cross_validate(articles, folds, seed, c=C, progress=progress, modes=MODES)
        cross = {name: score(articles, members, lambda i: cv.decided[i]) for name, members in groups.items()}
        attended_event = {i: most_attended(a) for i, a in enumerate(articles)}
        for name, members in groups.items():
            attending = [i for i in members if attended_event[i] is not False]
            found = [i for i in attending if attended_event[i] is not None]
            own[name] = (sum(1 for i in found if cv.own_event[i] == attended_event[i]), len(found), len(attending))
    fitted = fit_model(articles, seed, c=C, modes=MODES)
    text = weights_json(fitted, seed, articles)
    if out is not None:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        write_atomically({Path(out): text})
    return TrainingResult(text, articles, rules, cross, own)


def format_result(result: TrainingResult) -> str:
    lines = []
    predicates = [p for p in result.rules["all"].relations if result.rules["all"].relations[p].gold]
    header = f"  {'':<22}" + "".join(f"{p[:10]:>11}" for p in predicates) + f"{'overall':>9}"
    for title, reports in (("rules alone", result.rules), ("cross-validated (out of fold)", result.cross_validated)):
        if not reports:
            continue
        lines.append(f"relations F1, {title}:")
        lines.append(header)
        for name, report in reports.items():
            cells = "".join(f"{report.relations[p].f1:>11.3f}" for p in predicates)
            lines.append(f"  {name:<22}{cells}{report.relations_overall.f1:>9.3f}")
    for name, (right, aligned, attending) in result.own_event.items():
        lines.append(f"own event ({name}): the event most attendees attend chosen in {right} of {attending} articles reporting attendance (found by the extraction in {aligned})")
    return "\n".join(lines)
