"""Labelled candidates from annotated articles: what the relation classifiers learn from.

Each article is read by the stages before the decisions (``read_article``, the
rules' relations included); its candidates are labelled through the scorer's
own alignment (``kg.evaluate.scores.align``): a candidate is positive when a
gold relation, mapped through the alignment, is that candidate. Gold
relations no candidate reaches (an entity not found) are counted, so a
threshold is chosen against the true recall.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.evaluate.annotations import AnnotatedDocument, _parse_doc, doc_key, load_gold
from kg.evaluate.scores import align
from kg.extract.article import ArticleReading, read_article
from kg.extract.decide import LEARNED, ArticleView, Candidate, article_view, candidates, features
from kg.extract.ingest import read_document
from kg.model import Extraction, Relation


class TrainingDataError(Exception):
    """Gold and texts that cannot be paired up."""


@dataclass
class ArticleExamples:
    name: str  # the gold document name (d01_hi.txt)
    lang: str
    reading: ArticleReading
    view: ArticleView
    candidates: list[Candidate]
    features: list[dict[str, float]]
    labels: list[int]
    gold: AnnotatedDocument
    unreachable: dict[str, int]  # per predicate: gold relations no candidate maps to
    own_event: str | None = None  # the local id of the event most gold participants take part in, when found
    alignment: dict[str, str | None] = field(default_factory=dict)  # gold id -> local id (the scorer's alignment)


def own_event_label(gold: AnnotatedDocument, alignment: dict[str, str | None]) -> str | None:
    """The predicted event aligned to the gold event most participants take part in (None without any)."""
    from collections import Counter

    counts = Counter(o for _, p, o in gold.relations if p in ("attended", "spokeAt", "chaired", "organized"))
    if not counts:
        return None
    best = min(counts, key=lambda e: (-counts[e], e))
    return alignment.get(best)


def predicted_document(reading: ArticleReading, relations: list[Relation], name: str) -> AnnotatedDocument:
    """The article's prediction in the scorer's shape (local ids), as ``kg eval`` would read it."""
    from kg.graph.export import document_records

    entities = list(reading.entities.values())
    extraction = Extraction([reading.document], {}, entities, relations)
    record = document_records(extraction)[0]
    record["doc"] = name
    return _parse_doc(record, name, gold=False)


def gold_targets(gold: AnnotatedDocument, alignment: dict[str, str | None]) -> set[tuple[str, str, str]]:
    """The gold relations in the prediction's ids (both ends aligned)."""
    targets: set[tuple[str, str, str]] = set()
    for subject, predicate, obj in gold.relations:
        s, o = alignment.get(subject), alignment.get(obj)
        if s is not None and o is not None:
            targets.add((s, predicate, o))
    return targets


def article_examples(name: str, gold: AnnotatedDocument, text_path: Path, recognizer: object) -> ArticleExamples:
    document = read_document(text_path)
    reading = read_article(document, recognizer)  # type: ignore[arg-type]
    view = article_view(document, reading.sentences, reading.mentions, reading.resolution.entity_of, reading.entities, reading.event, reading.rule_relations)  # type: ignore[attr-defined]
    alignment = align(gold, predicted_document(reading, reading.rule_relations, name))
    targets = gold_targets(gold, alignment)
    found = list(candidates(view, LEARNED))
    keys = {c.key() for c in found}
    unreachable: dict[str, int] = {}
    for subject, predicate, obj in gold.relations:
        if predicate not in LEARNED:
            continue
        s, o = alignment.get(subject), alignment.get(obj)
        if s is None or o is None or (s, predicate, o) not in keys:
            unreachable[predicate] = unreachable.get(predicate, 0) + 1
    return ArticleExamples(
        name, document.lang, reading, view, found, [features(view, c) for c in found], [1 if c.key() in targets else 0 for c in found], gold, unreachable,
        own_event_label(gold, alignment), alignment,
    )


def pair_texts(gold_dir: Path, text_dir: Path) -> list[tuple[str, AnnotatedDocument, Path]]:
    """(name, gold, text path) for every gold file; a gold file without its text is an error naming it."""
    gold = load_gold(Path(gold_dir))
    texts = {doc_key(p.name): p for p in Path(text_dir).iterdir() if p.is_file()} if Path(text_dir).is_dir() else None
    if texts is None:
        raise TrainingDataError(f"{text_dir}: text folder not found")
    pairs = []
    missing = []
    for key, document in sorted(gold.items()):
        path = texts.get(key)
        if path is None:
            missing.append(document.name)
        else:
            pairs.append((document.name, document, path))
    if missing:
        raise TrainingDataError(f"{text_dir}: no text for gold document(s) {', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}")
    return pairs


def collect(gold_dir: Path, text_dir: Path, recognizer: object, progress: bool = False) -> list[ArticleExamples]:
    pairs: Iterable[tuple[str, AnnotatedDocument, Path]] = pair_texts(gold_dir, text_dir)
    if progress:
        from tqdm import tqdm

        pairs = tqdm(list(pairs), desc="reading annotated articles", unit="article")
    return [article_examples(name, gold, path, recognizer) for name, gold, path in pairs]
