"""Benchmark of entity resolution: time and peak memory for 10^4 to 10^6 mentions.

Generates articles of 20 mentions each (persons with names drawn from the
syllable tables in a random rendering per script, provinces, a provincial
committee, national bodies), gives every person a post dated by its article,
and runs resolution as a build does: within each article
(``resolve_documents`` of one document, the per-article phase, timed apart),
then across the corpus (``kg.corpus.link`` and ``merge_entities``). Names
repeat across articles, so the merge step has real blocks to work on.
Near-linear growth is the goal: candidate pairs come from blocking. Memory is
the process's peak resident set (``ru_maxrss``), so run one size per process
for a clean figure (``--sizes 1000000``).

    python bench/bench_resolve.py [--sizes 10000 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.corpus.build import few_collections  # noqa: E402
from kg.corpus.link import link_articles  # noqa: E402
from kg.corpus.merge import merge_entities  # noqa: E402
from kg.extract.article import ArticleRecord  # noqa: E402
from kg.extract.resolve import resolve_documents  # noqa: E402
from kg.extract.resources import load_table  # noqa: E402
from kg.model import Document, Mention, Post  # noqa: E402

PER_ARTICLE = 20
PROVINCES = {"hi": [("निन्ह बिन्ह", "ninh-binh"), ("लाओ काई", "lao-cai"), ("हा तिन्ह", "ha-tinh")], "ar": [("نينه بينه", "ninh-binh"), ("لاو كاي", "lao-cai"), ("ها تينه", "ha-tinh")]}
BODIES = [("body:provincial-party-committee", "Organization"), ("body:vietnam-fatherland-front", "Organization"), ("body:party-central-committee", "Organization")]


def renderings(lang: str) -> list[list[str]]:
    """Surfaces of each Latin syllable, grouped, from the language's syllable table."""
    groups: dict[str, list[str]] = defaultdict(list)
    for row in load_table(lang, "syllables"):
        if len(row) > 1 and " " not in row[1] and (len(row) < 3 or row[2] != "common"):
            groups[row[1]].append(row[0])
    return [groups[k] for k in sorted(groups)]


def articles(mentions: int, rng: random.Random) -> tuple[list[Document], list[Mention]]:
    syllables = {lang: renderings(lang) for lang in ("hi", "ar")}
    # A pool of people proportional to the corpus: each name recurs in about ten articles.
    people = [tuple(rng.randrange(10_000) for _ in range(3)) for _ in range(max(10, mentions // 50))]
    documents, found = [], []
    for n in range(mentions // PER_ARTICLE):
        lang = "hi" if n % 2 else "ar"
        doc_id = f"d{n:07d}"
        province, loc = rng.choice(PROVINCES[lang])
        parts: list[tuple[str, str, str]] = [(province, "Location", f"loc:{loc}")] * 2
        parts += [(f"b{i}", kind, key) for i, (key, kind) in enumerate(BODIES)]
        while len(parts) < PER_ARTICLE:
            person = rng.choice(people)
            name = " ".join(rng.choice(group) for group in (syllables[lang][i % len(syllables[lang])] for i in person))
            parts.append((name, "Person", ""))
        text, offset = [], 0
        for i, (surface, type_, key) in enumerate(parts):
            found.append(Mention(doc_id, i, offset, offset + len(surface), surface, type_, "bench", key=key))
            text.append(surface)
            offset += len(surface) + 1
        documents.append(Document(doc_id, doc_id + ".txt", lang, "\n".join(text), year=2000 + n % 25))
    return documents, found


def run(size: int, seed: int) -> None:
    documents, mentions = articles(size, random.Random(seed))
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_doc[mention.doc_id].append(mention)
    started = time.perf_counter()
    records = []
    for document in documents:
        resolution = resolve_documents([document], by_doc[document.id])
        entities = {e.id: e for e in resolution.entities}
        committee = next(resolution.entity_of[m] for m in by_doc[document.id] if m.key == "body:provincial-party-committee")
        for mention, entity_id in resolution.entity_of.items():
            if mention.type == "Person":
                post = Post("Secretary", committee, mention.doc_id, f"{document.year}-01-01")
                if post not in entities[entity_id].posts:
                    entities[entity_id].posts.append(post)
        records.append(ArticleRecord(document, [], by_doc[document.id], list(resolution.records.values()), entities, None, []))
    per_article = time.perf_counter() - started
    started = time.perf_counter()
    with few_collections():  # as the build runs its corpus phase
        linked = link_articles(records)
        merged = merge_entities(documents, linked.resolution, linked.entities, linked.relations)
    corpus = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    persons = sum(e.type == "Person" for e in merged.entities)
    print(
        f"{len(mentions):>8} mentions  {len(documents):>6} articles  per article {per_article:7.2f} s  corpus (link + merge) {corpus:7.2f} s"
        f"  {len(mentions) / (per_article + corpus):9.0f} mentions/s  peak RSS {peak:7.0f} MiB  persons {persons}  candidates {len(merged.candidates)}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.seed)


if __name__ == "__main__":
    main()
