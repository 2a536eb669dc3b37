"""Cross-validated figures for the tagger: folds by article over the annotated set.

The annotated articles are dealt into ``k`` folds, each language after a
seeded shuffle (as the relation decisions' folds are). For each fold, one
model per language is trained without that fold's gold articles (the silver
pages are never annotated articles: the corpus manifest leaves the
development set out), and the fold's articles are then read by the rules
alone, by that Stanza model alone and by the two combined; mention counts are
summed over the folds, so every figure is on articles its model never saw.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.evaluate.annotations import doc_key, fold_mention
from kg.folds import folds_by_article
from kg.evaluate.ner_compare import TYPES, format_table, score_recognizer
from kg.evaluate.scores import Score
from kg.extract.ner.training.data import GoldArticle, build_dataset, read_text
from kg.extract.ner.training.manifest import Page

# name -> (Stanza filters, gated): the variants every fold is read with.
VARIANTS = {
    "rules": None,
    "stanza strict": ("strict", None),
    "stanza open": ("open", None),
    "combined strict": ("strict", True),
    "combined open": ("open", True),
    "combined open ungated": ("open", False),
}
RECOGNIZERS = tuple(VARIANTS)


@dataclass
class FoldResult:
    index: int
    docs: list[str]
    tables: dict[str, dict[str, Score]]
    data: dict[str, dict] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def gold_of(articles: list[GoldArticle]) -> dict[str, set[tuple[str, str]]]:
    return {
        doc_key(a.doc): {(e["type"], fold_mention(m)) for e in a.entities for m in e.get("mentions", [])} for a in articles
    }


def recognizers(model_dir: Path) -> dict:
    from kg.extract.ner.rules import RuleRecognizer
    from kg.extract.ner.select import CombinedRecognizer
    from kg.extract.ner.stanza_backend import MultiLanguageStanza

    made = {}
    for name, variant in VARIANTS.items():
        if variant is None:
            made[name] = RuleRecognizer()
            continue
        filters, gated = variant
        stanza = MultiLanguageStanza(model_dir, filters=filters)
        made[name] = stanza if gated is None else CombinedRecognizer(RuleRecognizer(), stanza, gated=gated)
    return made


def best_filters(results: list[FoldResult]) -> str:
    """``open`` when the combined recogniser with open filters has the better cross-validated F1."""
    summed = total(results)
    return "open" if overall(summed["combined open"]).f1 > overall(summed["combined strict"]).f1 else "strict"


def score_fold(articles: list[GoldArticle], model_dir: Path) -> dict[str, dict[str, Score]]:
    documents = [read_text(a.text_path) for a in articles]
    gold = gold_of(articles)
    return {name: score_recognizer(r, documents, gold) for name, r in recognizers(model_dir).items()}


def cross_validate(
    articles: list[GoldArticle],
    pages: list[Page],
    corpus_dir: Path | None,
    work_dir: Path,
    k: int,
    seed: int,
    steps: int,
    template_sentences: int,
    langs: tuple[str, ...],
    train: Callable,  # train_language-like: (data, out_dir, seed, steps) -> Path
    log: Callable[[str], None] = print,
) -> list[FoldResult]:
    results = []
    for index, members in enumerate(folds_by_article(articles, k, seed)):
        held_out = [articles[i] for i in members]
        kept = [a for i, a in enumerate(articles) if i not in set(members)]
        fold_dir = Path(work_dir) / f"fold-{index + 1}"
        result = FoldResult(index + 1, [a.doc for a in held_out], {})
        for lang in langs:
            data = build_dataset(lang, kept, pages, corpus_dir, template_sentences, seed)
            train(data, fold_dir, seed, steps, f"fold {index + 1}/{k} {lang}")
            result.data[lang] = data.summary()
            result.seconds[lang] = data.seconds
        result.tables = score_fold([a for a in held_out if a.lang in langs], fold_dir)
        log(format_fold(result))
        results.append(result)
    return results


def total(results: list[FoldResult]) -> dict[str, dict[str, Score]]:
    summed = {name: {t: Score() for t in TYPES} for name in RECOGNIZERS}
    for result in results:
        for name, table in result.tables.items():
            for t, score in table.items():
                summed[name][t].add(score)
    return summed


def overall(table: dict[str, Score]) -> Score:
    """Micro-average over the tagger's types (events are the rules' alone)."""
    score = Score()
    for t in ("Person", "Organization", "Location", "Campaign"):
        score.add(table[t])
    return score


def format_fold(result: FoldResult) -> str:
    lines = [f"fold {result.index}: {len(result.docs)} articles held out"]
    for name, table in result.tables.items():
        o = overall(table)
        per = "  ".join(f"{t[:3]} {table[t].precision:.3f}/{table[t].recall:.3f}/{table[t].f1:.3f}" for t in ("Person", "Organization", "Location"))
        lines.append(f"  {name:<22} {per}  all F1 {o.f1:.3f}")
    return "\n".join(lines)


def format_total(results: list[FoldResult]) -> str:
    summed = total(results)
    lines = [f"cross-validated over {sum(len(r.docs) for r in results)} articles in {len(results)} folds (P/R/F1):"]
    for name in RECOGNIZERS:
        lines.append(format_table(name, summed[name]))
        o = overall(summed[name])
        lines.append(f"  {'all (no events)':<13}{o.gold:>5}{o.pred:>6}{o.correct:>5}{o.precision:>7.3f}{o.recall:>7.3f}{o.f1:>7.3f}")
    return "\n".join(lines)


def results_json(results: list[FoldResult]) -> str:
    def table_dict(table: dict[str, Score]) -> dict:
        return {t: {"gold": s.gold, "pred": s.pred, "correct": s.correct} for t, s in table.items()}

    return json.dumps(
        {
            "folds": [
                {"fold": r.index, "docs": r.docs, "data": r.data, "seconds": r.seconds, "scores": {n: table_dict(t) for n, t in r.tables.items()}}
                for r in results
            ],
            "total": {n: table_dict(t) for n, t in total(results).items()},
        },
        indent=1,
        ensure_ascii=False,
    )
