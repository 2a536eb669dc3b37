"""Folds by article for cross-validation, shared by every learned part (relations, the tagger)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any


def folds_by_article(articles: Sequence[Any], k: int, seed: int) -> list[list[int]]:
    """Article indices in ``k`` folds, each language (``.lang``) dealt round-robin after a seeded shuffle."""
    folds: list[list[int]] = [[] for _ in range(k)]
    rng = random.Random(seed)
    turn = 0
    for lang in sorted({a.lang for a in articles}):
        members = [i for i, a in enumerate(articles) if a.lang == lang]
        rng.shuffle(members)
        for i in members:
            folds[turn % k].append(i)
            turn += 1
    return [sorted(f) for f in folds]
