"""Shared fixtures and tiny factories for the test suite."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.extract.ingest import find_skipped_spans, find_year
from kg.model import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "seeds" / "gold"  # shipped with the project: a copy of the hand-made gold of ../shared/gold


def make_document(text: str, lang: str = "hi", doc_id: str = "doc", year: int | None = None) -> Document:
    """A Document built in memory, year and boilerplate spans found as ingest would."""
    return Document(
        id=doc_id,
        path=f"{doc_id}.txt",
        lang=lang,
        text=text,
        year=year or find_year(text),
        skipped=find_skipped_spans(text, lang),
    )


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def seed_corpus(tmp_path: Path) -> Path:
    """The seed articles copied into a folder of the test's own, to add, change or remove articles in."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    return folder


@pytest.fixture
def gold_dir() -> Path:
    if not GOLD.is_dir():
        pytest.skip("seeds/gold is missing")
    return GOLD


def rule_mentions(text: str, lang: str) -> set[tuple[str, str]]:
    """(type, text) of the rule recogniser's mentions in a one-document text, each checked against its offsets."""
    from kg.extract.ner.rules import RuleRecognizer
    from kg.extract.tokenize import tokenize

    doc = make_document(text, lang)
    found = RuleRecognizer().recognize(doc, tokenize(doc))
    for m in found:
        assert doc.text[m.start : m.end] == m.text
    return {(m.type, m.text) for m in found}


def triples(text: str, lang: str) -> tuple[set[tuple[str, str, str]], dict[str, str]]:
    """(subject label, predicate, object label) triples of a one-document extraction."""
    from kg.corpus.build import extract
    from kg.extract.ner.rules import RuleRecognizer

    extraction = extract([make_document(text, lang)], RuleRecognizer())
    labels = {e.id: e.label for e in extraction.entities}
    found = {(labels[r.subject], r.predicate, labels[r.object]) for r in extraction.relations}
    for relation in extraction.relations:
        evidence = relation.evidence
        assert make_document(text, lang).text[evidence.start : evidence.end] in evidence.text or evidence.start >= 0
    return found, labels


def rule_triples(text: str, lang: str) -> set[tuple[str, str, str]]:
    """The rules' own relations (before any learned decision), as label triples."""
    from kg.extract.article import read_article
    from kg.extract.ner.rules import RuleRecognizer

    reading = read_article(make_document(text, lang), RuleRecognizer())
    labels = {e.id: e.label for e in reading.entities.values()}
    return {(labels.get(r.subject, r.subject), r.predicate, labels.get(r.object, r.object)) for r in reading.rule_relations}


def event_label(labels: dict[str, str]) -> str:
    return next(label for id_, label in labels.items() if id_.startswith("e-"))


@pytest.fixture(scope="session")
def seed_nquads_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Builds (rules NER, ``graph.ttl`` and ``graph.nq``) of the first one, four and five seed articles, by count: for the store's tests."""
    from kg.corpus.build import build
    from kg.extract.ner.rules import RuleRecognizer

    seeds = sorted(SEEDS.glob("*.txt"))
    outs = {}
    for count in (1, 4, 5):
        outs[count] = tmp_path_factory.mktemp(f"nq-out{count}")
        build(seeds[:count], outs[count], RuleRecognizer(), formats=("turtle", "nq"))
    return outs
