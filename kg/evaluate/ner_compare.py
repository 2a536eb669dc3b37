"""Mention P/R/F1 per type of one recogniser on articles with gold annotations.

The measure of the gold README (step 1): per document and type, the set of
gold mention strings against the set of predicted mention strings, after NFC
and whitespace folding; micro-averaged over documents. Used to report how the
Stanza model alone, the rules alone and the combination do on the seeds (which
the models are never trained on)::

    python -m kg.evaluate.ner_compare seeds ../shared/gold --ner stanza
"""

from __future__ import annotations

import json
from pathlib import Path

from kg.evaluate.annotations import doc_key, fold_mention
from kg.evaluate.scores import Score
from kg.extract.article_files import read_documents
from kg.model import Document
from kg.extract.tokenize import tokenize

TYPES = ("Person", "Organization", "Location", "Campaign", "Event")


def gold_mentions(gold_dir: Path) -> dict[str, set[tuple[str, str]]]:
    result: dict[str, set[tuple[str, str]]] = {}
    for path in sorted(Path(gold_dir).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        result[doc_key(data.get("doc", path.name))] = {
            (e["type"], fold_mention(m)) for e in data.get("entities", []) for m in e.get("mentions", [])
        }
    return result


def score_recognizer(recognizer, documents: list[Document], gold: dict[str, set[tuple[str, str]]]) -> dict[str, Score]:  # noqa: ANN001
    """Mention counts per type, as ``kg eval`` counts them (``kg.evaluate.scores.Score``)."""
    table = {t: Score() for t in TYPES}
    for document in documents:
        key = doc_key(document.path or document.id)
        if key not in gold:
            continue
        predicted = {(m.type, fold_mention(m.text)) for m in recognizer.recognize(document, tokenize(document))}
        for t in TYPES:
            g = {m for ty, m in gold[key] if ty == t}
            p = {m for ty, m in predicted if ty == t}
            table[t].add(Score(gold=len(g), pred=len(p), correct=len(g & p)))
    return table


def format_table(name: str, table: dict[str, Score]) -> str:
    lines = [f"{name}", f"  {'type':<13}{'gold':>5}{'pred':>6}{'hit':>5}{'P':>7}{'R':>7}{'F1':>7}"]
    for t, s in table.items():
        lines.append(f"  {t:<13}{s.gold:>5}{s.pred:>6}{s.correct:>5}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - CLI helper
    import argparse

    from kg.extract.ingest import Skipped

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--ner", default="stanza,rules,combined")
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--langs", default=None, help="only documents of these languages (comma separated)")
    parser.add_argument("--show", action="store_true", help="print false positives and misses")
    args = parser.parse_args(argv)
    documents = [d for d in read_documents([args.inputs]) if not isinstance(d, Skipped)]
    if args.langs:
        documents = [d for d in documents if d.lang in args.langs.split(",")]
    gold = gold_mentions(args.gold)
    from kg.extract.ner.rules import RuleRecognizer
    from kg.extract.ner.select import CombinedRecognizer
    from kg.extract.ner.stanza_backend import MultiLanguageStanza

    stanza = MultiLanguageStanza(args.model)
    recognizers = {"stanza": stanza, "rules": RuleRecognizer(), "combined": CombinedRecognizer(RuleRecognizer(), stanza)}
    for name in args.ner.split(","):
        recognizer = recognizers[name]
        print(format_table(name, score_recognizer(recognizer, documents, gold)))
        if args.show:
            for document in documents:
                key = doc_key(document.path or document.id)
                predicted = {(m.type, fold_mention(m.text)) for m in recognizer.recognize(document, tokenize(document))}
                g = {x for x in gold.get(key, set()) if x[0] != "Event"}
                for t, m in sorted(predicted - g):
                    print(f"    FP {key[:3]} {t:<12} {m}")
                for t, m in sorted(g - predicted):
                    print(f"    FN {key[:3]} {t:<12} {m}")


if __name__ == "__main__":
    main()
