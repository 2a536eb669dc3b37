"""The tagger's training set for one language: gold, silver and template sentences.

- gold: annotated articles (a gold folder and the folder of their texts),
  every sentence labelled (``labels.label_gold``), repeated ``GOLD_REPEAT``
  times so that a few hundred hand-labelled sentences weigh against thousands
  of silver ones;
- silver: the manifest's pages, the sentences the rules are sure of
  (``labels.label_silver``); a tenth of the pages (chosen by their hash, so
  the same pages every time) is the trainer's dev set, used only to pick the
  best checkpoint;
- templates: generated sentences (``generate``), a minor share that keeps the
  tables' names and bodies in view.

Everything is read in a fixed order and shuffled with the seed, so the same
inputs give the same files.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.extract.ingest import IngestError, read_document
from kg.extract.ner.training.labels import LabelledSentence, label_gold, label_silver
from kg.extract.ner.training.manifest import Page
from kg.extract.tokenize import tokenize

GOLD_REPEAT = 4
DEV_SHARE = 10  # one page in DEV_SHARE goes to the dev set
TEMPLATE_DEV = 600  # generated dev sentences when there are no pages (another seed: held out)


class TrainingDataError(ValueError):
    """Training input that cannot be read, named by file."""


@dataclass(frozen=True)
class GoldArticle:
    """An annotated article: its text file and its gold entities."""

    doc: str
    lang: str
    text_path: Path
    entities: list = field(hash=False, compare=False)
    url: str = ""


@dataclass
class DataSet:
    """One language's sentences, with the counts a closing note reports."""

    lang: str
    gold: list[LabelledSentence] = field(default_factory=list)
    silver: list[LabelledSentence] = field(default_factory=list)
    dev: list[LabelledSentence] = field(default_factory=list)
    templates: list[LabelledSentence] = field(default_factory=list)
    silver_pages: int = 0
    silver_sentences_seen: int = 0
    gold_articles: int = 0
    seconds: float = 0.0  # training time, set by the trainer

    def training(self, seed: int) -> list[LabelledSentence]:
        sentences = self.gold * GOLD_REPEAT + self.silver + self.templates
        random.Random(seed).shuffle(sentences)
        return sentences

    def summary(self) -> dict:
        def entities(sentences: Iterable[LabelledSentence]) -> dict[str, int]:
            total: dict[str, int] = {}
            for sentence in sentences:
                for label, n in sentence.entity_counts().items():
                    total[label] = total.get(label, 0) + n
            return dict(sorted(total.items()))

        return {
            "gold_articles": self.gold_articles,
            "gold_sentences": len(self.gold),
            "gold_repeat": GOLD_REPEAT,
            "gold_mentions": entities(self.gold),
            "silver_pages": self.silver_pages,
            "silver_sentences": len(self.silver),
            "silver_sentences_dropped": self.silver_sentences_seen - len(self.silver) - (len(self.dev) if self.silver_pages else 0),
            "silver_mentions": entities(self.silver),
            "dev_sentences": len(self.dev),
            "template_sentences": len(self.templates),
        }


def read_gold_articles(gold_dir: Path, text_dir: Path) -> list[GoldArticle]:
    """Every gold file of ``gold_dir`` with its text in ``text_dir``; a missing text is an error."""
    articles = []
    for path in sorted(Path(gold_dir).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise TrainingDataError(f"{path}: not a readable gold file ({error})") from None
        doc = data.get("doc") or path.stem + ".txt"
        text_path = Path(text_dir) / doc
        if not text_path.exists():
            raise TrainingDataError(f"{path}: its text {text_path} is missing")
        articles.append(GoldArticle(doc, data.get("lang", ""), text_path, data.get("entities", []), data.get("url") or ""))
    return articles


def read_text(path: Path):  # noqa: ANN201 - a Document
    try:
        return read_document(path)
    except IngestError as error:
        raise TrainingDataError(str(error)) from None


def is_dev_page(page: Page) -> bool:
    return int(page.sha256[:8], 16) % DEV_SHARE == 0


def build_dataset(
    lang: str,
    gold: list[GoldArticle],
    pages: list[Page],
    corpus_dir: Path | None,
    template_sentences: int,
    seed: int,
) -> DataSet:
    """The sentences of one language from the given articles, pages and template count."""
    data = DataSet(lang)
    for article in gold:
        if article.lang and article.lang != lang:
            continue  # not read at all: the gold file says its language
        document = read_text(article.text_path)
        if document.lang != lang:
            continue
        data.gold.extend(label_gold(document, tokenize(document), article.entities))
        data.gold_articles += 1
    if corpus_dir is not None:
        silver, dev, seen, count = silver_sentences(lang, tuple(pages), Path(corpus_dir))
        data.silver, data.dev, data.silver_sentences_seen, data.silver_pages = list(silver), list(dev), seen, count
    data.templates = generated(lang, template_sentences, seed)
    if not data.dev:  # no pages: the trainer still needs a dev set to pick its checkpoint
        data.dev = generated(lang, TEMPLATE_DEV, seed + 7919)
    return data


@lru_cache(maxsize=2)
def silver_sentences(lang: str, pages: tuple[Page, ...], corpus_dir: Path) -> tuple[tuple[LabelledSentence, ...], tuple[LabelledSentence, ...], int, int]:
    """(training, dev) silver sentences of the language's pages, sentences read and pages read.

    The same for every fold of a cross-validation and for the final models: read once.
    """
    from kg.extract.ner.rules import RuleRecognizer

    rules = RuleRecognizer()
    silver: list[LabelledSentence] = []
    dev: list[LabelledSentence] = []
    seen = count = 0
    for page in (p for p in pages if p.lang == lang):
        document = read_text(corpus_dir / page.doc)
        sentences = tokenize(document)
        seen += len(sentences)
        (dev if is_dev_page(page) else silver).extend(label_silver(document, sentences, rules.recognize(document, sentences)))
        count += 1
    return tuple(silver), tuple(dev), seen, count


def generated(lang: str, count: int, seed: int) -> list[LabelledSentence]:
    """``count`` template sentences (``generate``) as labelled sentences."""
    from kg.extract.ner.training.generate import generate

    return [LabelledSentence(tuple(t for t, _ in s), tuple(tag for _, tag in s)) for s in generate(lang, count, seed)] if count else []


def write_stanza(sentences: list[LabelledSentence], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([s.to_stanza() for s in sentences], ensure_ascii=False), encoding="utf-8")
    return path
