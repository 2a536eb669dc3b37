"""The relation classifiers as data: one logistic model per learned predicate, in a JSON file.

Shape (``kg/models/relations/weights.json``)::

    {"format": "kg-relation-weights/1", "seed": 1234, "trained_on": [...doc names...],
     "predicates": {"attended": {"intercept": -2.1, "threshold": 0.45,
                                 "weights": {"cue_clause:attended": 1.7, ...}}, ...}}

Nothing executable is loaded: the file is read with ``json`` and checked field by
field, and any problem is one ``RelationModelError`` naming the file.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FORMAT = "kg-relation-weights/1"
MODES = ("decide", "add", "rules")
SHIPPED = Path(__file__).resolve().parents[2] / "models" / "relations" / "weights.json"


class RelationModelError(Exception):
    """A weights file that is missing or not in the expected shape."""


@dataclass(frozen=True)
class PredicateModel:
    """``mode``: "decide" (the model keeps or drops every candidate, the rule's included) or "add" (the rule's relations stay, the model adds)."""

    intercept: float
    threshold: float
    weights: dict[str, float]
    mode: str = "decide"

    def probability(self, features: dict[str, float]) -> float:
        weights = self.weights
        score = self.intercept + sum(weights.get(name, 0.0) * value for name, value in features.items())
        if score >= 0:
            return 1.0 / (1.0 + math.exp(-score))
        z = math.exp(score)
        return z / (1.0 + z)


@dataclass(frozen=True)
class RelationModel:
    path: str
    predicates: dict[str, PredicateModel]
    digest: str
    own_event: PredicateModel | None = None  # scores each event of an article as the one it reports

    def decides(self, predicate: str) -> bool:
        return predicate in self.predicates


def parse_model(text: str, source: str) -> RelationModel:
    import hashlib

    def fail(problem: str) -> RelationModelError:
        return RelationModelError(f"{source}: {problem}; retrain with `kg train-relations` or reinstall kg")

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise fail(f"not valid JSON ({error.msg} at line {error.lineno})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise fail(f"not a relation weights file (expected \"format\": \"{FORMAT}\")")
    predicates = data.get("predicates")
    if not isinstance(predicates, dict) or not predicates:
        raise fail("no 'predicates' object")
    models: dict[str, PredicateModel] = {}
    items = sorted(predicates.items())
    if data.get("own_event") is not None:
        items.append(("own_event", data["own_event"]))
    for name, item in items:
        if not isinstance(item, dict):
            raise fail(f"predicate '{name}' is not an object")
        intercept, threshold, weights = item.get("intercept"), item.get("threshold"), item.get("weights")
        if not isinstance(intercept, (int, float)) or isinstance(intercept, bool) or not math.isfinite(intercept):
            raise fail(f"predicate '{name}': 'intercept' is not a finite number")
        if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0.0 <= threshold <= 1.0:
            raise fail(f"predicate '{name}': 'threshold' is not a number between 0 and 1")
        if not isinstance(weights, dict):
            raise fail(f"predicate '{name}': 'weights' is not an object")
        for feature, weight in weights.items():
            if not isinstance(weight, (int, float)) or isinstance(weight, bool) or not math.isfinite(weight):
                raise fail(f"predicate '{name}': weight of '{feature}' is not a finite number")
        mode = item.get("mode", "decide")
        if mode not in MODES:
            raise fail(f"predicate '{name}': 'mode' is not one of {', '.join(MODES)}")
        if mode == "rules":
            continue
        models[name] = PredicateModel(float(intercept), float(threshold), {k: float(v) for k, v in weights.items()}, mode)
    own_event = models.pop("own_event", None)
    return RelationModel(source, models, hashlib.sha256(text.encode("utf-8")).hexdigest(), own_event)


def load_model(path: Path | None = None) -> RelationModel:
    """The relation weights at ``path`` (the shipped ones by default); ``RelationModelError`` naming the file otherwise."""
    return read_model(Path(path) if path is not None else SHIPPED)


@lru_cache(maxsize=8)
def read_model(path: Path) -> RelationModel:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RelationModelError(f"{path}: relation weights file not found; retrain with `kg train-relations` or reinstall kg") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RelationModelError(f"{path}: cannot read relation weights ({error})") from None
    return parse_model(text, str(path))
