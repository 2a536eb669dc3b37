"""Benchmark of the NER stage on CPU: sentences per second and peak memory.

The seed articles are tokenized once and their sentences repeated until there
are at least ``--sentences`` (default 5,000) per run; then each recogniser
(rules, Stanza, rules + Stanza combined) runs over them, one document per
language batch as the pipeline does. Stanza runs in each tagger variant of
``kg.extract.ner.stanza_backend`` (``--variants``: the whole Stanza pipeline,
the model fed token lists directly, and that with int8 dynamic quantisation). Model loading is timed separately and each recogniser gets an untimed
warm-up on a few documents. The machine's other load shows in the numbers:
run it twice.
Peak memory is the process's maximum resident set size (``ru_maxrss``), read
after each stage, plus the peak of Python allocations during the stage
(``tracemalloc``) for the rules. Not a test: it prints numbers.

    python bench/bench_ner.py [--sentences 5000] [--ner rules,stanza,combined] [--variants pipeline,direct,int8]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

from kg.extract.article_files import read_documents  # noqa: E402
from kg.extract.ingest import Skipped  # noqa: E402
from kg.model import Document, Sentence  # noqa: E402
from kg.extract.tokenize import tokenize  # noqa: E402


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def workload(seeds: Path, minimum: int) -> list[tuple[Document, list[Sentence]]]:
    """Seed documents repeated (as new document ids) until there are ``minimum`` sentences."""
    documents = [d for d in read_documents([seeds]) if not isinstance(d, Skipped)]
    base = [(d, tokenize(d)) for d in documents]
    per_round = sum(len(s) for _, s in base)
    if per_round == 0:
        raise SystemExit("no sentences in the seeds")
    items = []
    total = 0
    round_ = 0
    while total < minimum:
        for document, sentences in base:
            doc = replace(document, id=f"{document.id}#{round_}")
            items.append((doc, [replace(s, doc_id=doc.id) for s in sentences]))
            total += len(sentences)
        round_ += 1
    return items


def run(name: str, recognizer, items) -> None:  # noqa: ANN001
    sentences = sum(len(s) for _, s in items)
    started = time.perf_counter()
    mentions = 0
    for document, doc_sentences in items:
        mentions += len(recognizer.recognize(document, doc_sentences))
    seconds = time.perf_counter() - started
    print(f"{name:<16} {sentences:>6} sentences  {seconds:8.2f} s  {sentences / seconds:9.1f} sent/s  {mentions:>7} mentions  peak RSS {max_rss_mb():8.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description="NER stage throughput and peak memory on CPU")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--sentences", type=int, default=5000)
    parser.add_argument("--ner", default="rules,stanza,combined")
    parser.add_argument("--model", type=Path, default=None, help="model directory (default: the resolved one)")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (a build uses one per process)")
    parser.add_argument("--variants", default="pipeline,direct,int8", help="Stanza tagger variants to time")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    items = workload(args.seeds, args.sentences)
    langs = sorted({d.lang for d, _ in items})
    total = sum(len(s) for _, s in items)
    print(f"workload: {len(items)} documents, {total} sentences ({', '.join(langs)}), CPU, {args.threads} torch threads")
    print(f"peak RSS before models: {max_rss_mb():.1f} MB")

    from kg.extract.ner.combine import combine
    from kg.extract.ner.rules import RuleRecognizer
    from kg.extract.ner.stanza_backend import MultiLanguageStanza

    rules = RuleRecognizer()
    stanza = MultiLanguageStanza(args.model)
    wanted = args.ner.split(",")
    if "stanza" in wanted or "combined" in wanted:
        started = time.perf_counter()
        for lang in langs:
            stanza.recognizer(lang).pipeline()
        print(f"model load: {time.perf_counter() - started:.2f} s ({stanza.description}); peak RSS {max_rss_mb():.1f} MB")

    class Combined:
        def recognize(self, document, sentences):  # noqa: ANN001, ANN201
            return combine(rules.recognize(document, sentences), stanza.recognize(document, sentences))

    recognizers = {"rules": rules, "stanza": stanza, "combined": Combined()}
    warm = items[: len({d.lang for d, _ in items}) * 2]
    for name in wanted:
        variants = args.variants.split(",") if name != "rules" else [""]
        for variant in variants:
            if variant:
                os.environ["KG_STANZA_TAGGER"] = variant
            for document, doc_sentences in warm:  # untimed warm-up: first calls pay for lazy initialisation
                recognizers[name].recognize(document, doc_sentences)
            run(f"{name}:{variant}" if variant else name, recognizers[name], items)


if __name__ == "__main__":
    main()
