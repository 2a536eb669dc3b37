"""Scoring of a prediction against the gold annotations (``kg eval``).

Implements the five scores of ``shared/gold/README.md`` ("Scoring"):

1. **Mentions, per type.** For every (document, type) the set of gold mention
   strings is compared with the set of predicted mention strings of entities of
   that type, after NFC and whitespace folding. Counts are summed over the
   corpus (micro precision, recall, F1), per type and overall.
2. **Alignment.** Within each document every gold entity is aligned to the
   predicted entity that shares most of its (folded) mention strings; ties go
   to an entity of the same type, then to the one with fewer extra mentions,
   then to the first listed. Gold events are aligned to a predicted event of
   the same document: by shared mentions when they have any, otherwise to the
   predicted entry that looks like the document's main event (``attrs.doc`` or
   ``attrs.main`` set, an id such as ``e-003-...``, else the first event
   without mentions, else the first event left). Several gold entities may be
   aligned to one predicted entity (a wrong merge); a gold entity may stay
   unaligned.
3. **Resolution.** B-cubed precision, recall and F1 over (document, mention)
   items, gold id versus predicted entity id, over the whole corpus so that
   cross-document merges and splits count. *Choice:* an item is scored only
   when the mention string occurs in that document in both the gold and the
   prediction. Missed and spurious mentions are already charged by score 1;
   adding them here would charge every detection error twice and would need
   an arbitrary rule for the cluster of a missing item. The number of scored
   items is reported, so a high B-cubed over few items is visible. When one
   string names two entities of the same document (rare), the gold item goes
   to the first gold entity listed and the predicted side to the predicted
   entity aligned with it if it holds the string, else the first one listed.
4. **Relations.** Each gold (s, p, o) of a document is mapped through that
   document's alignment and matched one-to-one with the distinct predicted
   (s, p, o) of the same document (predicted ids are corpus-wide, so the
   mapping is per document). ``post`` and any other keys are ignored. Micro
   precision, recall and F1 per predicate and overall.
5. **Labels.** Share of gold persons (one per document they are annotated in)
   whose aligned predicted entity has the gold label, compared after case,
   diacritic and whitespace folding; an unaligned person counts as wrong.

Input: ``gold_dir`` holds one JSON object per document (``*.json``).
``predicted`` is a JSON file holding a list of per-document objects in the
gold shape or one such object, or a directory of such files. Extra keys
(``evidence``, ``attrs``, ``source_url`` ...) are allowed. A gold document
without a prediction scores as all misses; a predicted document unknown to
the gold, invalid JSON or a missing key raise :class:`EvalError`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.evaluate.annotations import (
    AnnotatedDocument,
    AnnotatedEntity,
    EvalError,
    fold_label,
    fold_mention,
    load_gold,
    load_predicted,
)
from kg.model import ENTITY_TYPES, PREDICATES

__all__ = ["EvalError", "EvalReport", "Score", "BCubed", "LabelScore", "evaluate", "evaluate_records", "format_report", "fold_mention", "fold_label"]


def f1_of(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class Score:
    """Micro counts: distinct gold items, distinct predicted items, matches."""

    gold: int = 0
    pred: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        if self.pred:
            return self.correct / self.pred
        return 1.0 if self.gold == 0 else 0.0

    @property
    def recall(self) -> float:
        if self.gold:
            return self.correct / self.gold
        return 1.0 if self.pred == 0 else 0.0

    @property
    def f1(self) -> float:
        return f1_of(self.precision, self.recall)

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.pred += other.pred
        self.correct += other.correct

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "pred": self.pred,
            "correct": self.correct,
            "precision": round(self.precision, 6),
            "recall": round(self.recall, 6),
            "f1": round(self.f1, 6),
        }


@dataclass
class BCubed:
    precision: float = 0.0
    recall: float = 0.0
    items: int = 0

    @property
    def f1(self) -> float:
        return f1_of(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "precision": round(self.precision, 6), "recall": round(self.recall, 6), "f1": round(self.f1, 6)}


@dataclass
class LabelScore:
    correct: int = 0
    total: int = 0
    wrong: list[dict[str, str | None]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": round(self.accuracy, 6), "wrong": self.wrong}


@dataclass
class EvalReport:
    """Everything ``kg eval`` prints. ``alignment`` is doc -> gold id -> predicted id (or None)."""

    documents: list[str]
    missing_predictions: list[str]
    mentions: dict[str, Score]
    mentions_overall: Score
    resolution: BCubed
    relations: dict[str, Score]
    relations_overall: Score
    labels: LabelScore
    alignment: dict[str, dict[str, str | None]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": list(self.documents),
            "missing_predictions": list(self.missing_predictions),
            "mentions": {**{t: s.to_dict() for t, s in self.mentions.items()}, "overall": self.mentions_overall.to_dict()},
            "resolution": {"b_cubed": self.resolution.to_dict()},
            "relations": {**{p: s.to_dict() for p, s in self.relations.items()}, "overall": self.relations_overall.to_dict()},
            "labels": self.labels.to_dict(),
            "alignment": {d: dict(a) for d, a in self.alignment.items()},
        }


# --------------------------------------------------------------------------- normalisation

def _best_by_mentions(gold: AnnotatedEntity, candidates: list[AnnotatedEntity]) -> AnnotatedEntity | None:
    wanted = set(gold.mentions)
    if not wanted:
        return None
    best: tuple[Any, ...] | None = None
    choice = None
    for index, cand in enumerate(candidates):
        shared = len(wanted & set(cand.mentions))
        if not shared:
            continue
        key = (shared, cand.type == gold.type, shared / len(cand.mentions), -index)
        if best is None or key > best:
            best, choice = key, cand
    return choice


def _main_event_rank(entity: AnnotatedEntity, index: int, key: str) -> tuple[int, int, int, int]:
    prefix = re.match(r"\d+", key)
    looks_main = (len(key) >= 6 and key.lower() in entity.id.lower()) or (
        prefix is not None and re.search(rf"(^|[-_:/]){re.escape(prefix.group())}([-_]|$)", entity.id) is not None
    )
    looks_main = looks_main or "main" in entity.id.lower()
    return (0 if entity.main else 1, 0 if looks_main else 1, 0 if not entity.mentions else 1, index)


def align(gold: AnnotatedDocument, pred: AnnotatedDocument | None) -> dict[str, str | None]:
    """Gold entity id -> predicted entity id (or None) within one document."""
    result: dict[str, str | None] = {e.id: None for e in gold.entities}
    if pred is None:
        return result
    others = [e for e in gold.entities if e.type != "Event"]
    for entity in others:
        match = _best_by_mentions(entity, pred.entities)
        result[entity.id] = match.id if match else None
    gold_events = [e for e in gold.entities if e.type == "Event"]
    pred_events = [e for e in pred.entities if e.type == "Event"]
    claimed: set[str] = set()
    leftovers: list[AnnotatedEntity] = []
    for entity in gold_events:
        match = _best_by_mentions(entity, pred_events) if entity.mentions else None
        if match is None and entity.mentions:
            match = _best_by_mentions(entity, pred.entities)
        if match is not None:
            result[entity.id] = match.id
            claimed.add(match.id)
        else:
            leftovers.append(entity)
    # Gold events with no shared mentions (the main event has none): the
    # predicted event that looks like the document's main event.
    free = [(i, e) for i, e in enumerate(pred_events) if e.id not in claimed]
    free.sort(key=lambda item: _main_event_rank(item[1], item[0], gold.key))
    mentionless_first = sorted(leftovers, key=lambda e: (bool(e.mentions), gold.entities.index(e)))
    for entity in mentionless_first:
        if entity.mentions and len(gold_events) > 1:
            continue  # a named side event that the prediction does not name
        if free:
            result[entity.id] = free.pop(0)[1].id
    return result


# --------------------------------------------------------------------------- scoring


def _b_cubed(items: list[tuple[Any, str, str]]) -> BCubed:
    """items: (item key, gold cluster, predicted cluster)."""
    if not items:
        return BCubed(0.0, 0.0, 0)
    gold_size: dict[str, int] = defaultdict(int)
    pred_size: dict[str, int] = defaultdict(int)
    both: dict[tuple[str, str], int] = defaultdict(int)
    for _, g, p in items:
        gold_size[g] += 1
        pred_size[p] += 1
        both[(g, p)] += 1
    precision = sum(both[(g, p)] / pred_size[p] for _, g, p in items) / len(items)
    recall = sum(both[(g, p)] / gold_size[g] for _, g, p in items) / len(items)
    return BCubed(precision, recall, len(items))


def evaluate_records(gold: dict[str, AnnotatedDocument], predicted: dict[str, AnnotatedDocument]) -> EvalReport:
    unknown = sorted(set(predicted) - set(gold))
    if unknown:
        raise EvalError(f"prediction: document '{predicted[unknown[0]].name}' is not in the gold set")
    types = list(ENTITY_TYPES) + sorted({e.type for d in [*gold.values(), *predicted.values()] for e in d.entities} - set(ENTITY_TYPES))
    mentions = {t: Score() for t in types}
    predicates = list(PREDICATES) + sorted({r[1] for d in [*gold.values(), *predicted.values()] for r in d.relations} - set(PREDICATES))
    relations = {p: Score() for p in predicates}
    labels = LabelScore()
    items: list[tuple[Any, str, str]] = []
    alignment: dict[str, dict[str, str | None]] = {}
    missing: list[str] = []

    for key in sorted(gold):
        g = gold[key]
        p = predicted.get(key)
        if p is None:
            missing.append(g.name)
        pred_entities = p.entities if p else []

        # 1. mentions per type
        for t in types:
            gs = {m for e in g.entities if e.type == t for m in e.mentions}
            ps = {m for e in pred_entities if e.type == t for m in e.mentions}
            mentions[t].add(Score(len(gs), len(ps), len(gs & ps)))

        # 2. alignment
        links = align(g, p)
        alignment[g.name] = links

        # 3. resolution items
        gold_owner: dict[str, str] = {}
        for e in g.entities:
            for m in e.mentions:
                gold_owner.setdefault(m, e.id)
        pred_owners: dict[str, list[str]] = defaultdict(list)
        for e in pred_entities:
            for m in e.mentions:
                pred_owners[m].append(e.id)
        for m, gid in gold_owner.items():
            owners = pred_owners.get(m)
            if not owners:
                continue
            pid = links.get(gid) if links.get(gid) in owners else owners[0]
            items.append(((key, m), gid, pid))  # type: ignore[arg-type]

        # 4. relations
        pred_left = set(p.relations) if p else set()
        for triple in (p.relations if p else []):
            relations[triple[1]].pred += 1
        for s, pr, o in g.relations:
            relations[pr].gold += 1
            mapped = (links.get(s), pr, links.get(o))
            if mapped[0] is not None and mapped[2] is not None and mapped in pred_left:
                pred_left.discard(mapped)  # type: ignore[arg-type]
                relations[pr].correct += 1

        # 5. labels
        labels_by_id = {e.id: e.label for e in pred_entities}
        for e in g.entities:
            if e.type != "Person":
                continue
            labels.total += 1
            pid = links.get(e.id)
            got = labels_by_id.get(pid) if pid else None
            if got is not None and fold_label(got) == fold_label(e.label):
                labels.correct += 1
            else:
                labels.wrong.append({"doc": g.name, "gold": e.label, "predicted": got})

    mentions_overall = Score()
    for s in mentions.values():
        mentions_overall.add(s)
    relations_overall = Score()
    for s in relations.values():
        relations_overall.add(s)
    return EvalReport(
        documents=[gold[k].name for k in sorted(gold)],
        missing_predictions=missing,
        mentions=mentions,
        mentions_overall=mentions_overall,
        resolution=_b_cubed(items),
        relations=relations,
        relations_overall=relations_overall,
        labels=labels,
        alignment=alignment,
    )


def evaluate(gold_dir: Path, predicted: Path) -> EvalReport:
    """Score ``predicted`` (file or directory) against the gold files in ``gold_dir``."""
    gold = load_gold(Path(gold_dir))
    pred = load_predicted(Path(predicted), known=set(gold))
    return evaluate_records(gold, pred)


# --------------------------------------------------------------------------- report


def _row(name: str, score: Score) -> str:
    return f"  {name:<20} {score.gold:>6} {score.pred:>6} {score.correct:>7}   {score.precision:>6.3f} {score.recall:>6.3f} {score.f1:>6.3f}"


def format_report(report: EvalReport) -> str:
    """A fixed-width, human-readable table of the five scores."""
    header = f"  {'':<20} {'gold':>6} {'pred':>6} {'correct':>7}   {'P':>6} {'R':>6} {'F1':>6}"
    rule = "  " + "-" * (len(header) - 2)
    lines = [f"documents: {len(report.documents)}"]
    if report.missing_predictions:
        lines.append("no prediction for: " + ", ".join(report.missing_predictions))
    lines += ["", "Mentions (per type, micro)", header, rule]
    lines += [_row(t, s) for t, s in report.mentions.items() if s.gold or s.pred]
    lines += [rule, _row("overall", report.mentions_overall)]
    b = report.resolution
    lines += ["", "Resolution (B-cubed over shared (doc, mention) items)"]
    lines.append(f"  items {b.items:>6}   P {b.precision:6.3f}   R {b.recall:6.3f}   F1 {b.f1:6.3f}")
    lines += ["", "Relations (per predicate, micro)", header, rule]
    lines += [_row(p, s) for p, s in report.relations.items() if s.gold or s.pred]
    lines += [rule, _row("overall", report.relations_overall)]
    lab = report.labels
    lines += ["", "Labels (gold persons, aligned label equal)"]
    lines.append(f"  accuracy {lab.accuracy:6.3f}   ({lab.correct}/{lab.total})")
    for wrong in lab.wrong[:20]:
        lines.append(f"    {wrong['doc']}: gold {wrong['gold']!r}, predicted {wrong['predicted']!r}")
    if len(lab.wrong) > 20:
        lines.append(f"    ... {len(lab.wrong) - 20} more")
    return "\n".join(lines)
