"""Benchmark of entity resolution: time and peak memory for 10^4 to 10^6 mentions.

Generates articles of 20 mentions each (persons with names drawn from the
syllable tables in a random rendering per script, provinces, a provincial
committee, national bodies), gives every person a post dated by its article,
and runs resolution as a build does: within each article
(``resolve_documents`` of one document, the per-article phase, timed apart),
each article written into the corpus tables as it is made and not kept, then
across the corpus (``CorpusTables.link`` and ``merge_tables``, group by
group; ``--in-memory``: ``kg.corpus.link`` and ``merge_entities``, as the
notebook API does, with every article held). Names repeat across articles, so
the merge step has real blocks to work on. Near-linear growth is the goal:
candidate pairs come from blocking. Memory is the process's peak resident set
(``ru_maxrss``), so run one size per process for a clean figure (``--sizes
1000000``). ``--workers 2`` merges as ``kg build --workers 2`` does, a helper
process clustering runs of groups too (``kg.corpus.clusters``); the per-article
phase stays in this process, where a build's workers would share it.

    python bench/bench_resolve.py [--sizes 10000 100000] [--seed 7] [--in-memory] [--workers 2]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.corpus.blocks import merge_tables  # noqa: E402
from kg.corpus.build import few_collections  # noqa: E402
from kg.corpus.tables import CorpusTables  # noqa: E402
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


def articles(mentions: int, rng: random.Random) -> Iterator[tuple[Document, list[Mention]]]:
    """The benchmark's articles one at a time, each with its mentions."""
    syllables = {lang: renderings(lang) for lang in ("hi", "ar")}
    # A pool of people proportional to the corpus: each name recurs in about ten articles.
    people = [tuple(rng.randrange(10_000) for _ in range(3)) for _ in range(max(10, mentions // 50))]
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
        text, offset, found = [], 0, []
        for i, (surface, type_, key) in enumerate(parts):
            found.append(Mention(doc_id, i, offset, offset + len(surface), surface, type_, "bench", key=key))
            text.append(surface)
            offset += len(surface) + 1
        yield Document(doc_id, doc_id + ".txt", lang, "\n".join(text), year=2000 + n % 25), found


def article_record(document: Document, mentions: list[Mention]) -> ArticleRecord:
    """The per-article phase: resolution within the article, a post for each person in its provincial committee."""
    resolution = resolve_documents([document], mentions)
    entities = {e.id: e for e in resolution.entities}
    committee = next(resolution.entity_of[m] for m in mentions if m.key == "body:provincial-party-committee")
    for mention, entity_id in resolution.entity_of.items():
        if mention.type == "Person":
            post = Post("Secretary", committee, mention.doc_id, f"{document.year}-01-01")
            if post not in entities[entity_id].posts:
                entities[entity_id].posts.append(post)
    return ArticleRecord(replace(document, text=""), [], mentions, list(resolution.records.values()), entities, None, [])


def run(size: int, seed: int, in_memory: bool, workers: int) -> None:
    per_article = corpus = 0.0
    documents = mention_count = 0
    with tempfile.TemporaryDirectory(prefix="kg-bench-resolve-") as scratch:
        tables = None if in_memory else CorpusTables(Path(scratch) / "corpus.sqlite")
        records = []
        for document, mentions in articles(size, random.Random(seed)):
            started = time.perf_counter()
            record = article_record(document, mentions)
            per_article += time.perf_counter() - started
            documents += 1
            mention_count += len(mentions)
            started = time.perf_counter()
            if tables is not None:
                tables.add(record)
            else:
                records.append(record)
            corpus += time.perf_counter() - started
        started = time.perf_counter()
        with few_collections():  # as the build runs its corpus phase
            if tables is not None:
                tables.link()
                merge_tables(tables, workers=workers)
                persons = tables.counts()[0]["Person"]
                candidates = "-"
                tables.close()
            else:
                linked = link_articles(records)
                merged = merge_entities([r.document for r in records], linked.resolution, linked.entities, linked.relations)
                persons = sum(e.type == "Person" for e in merged.entities)
                candidates = str(len(merged.candidates))
        corpus += time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    how = "in memory" if in_memory else "tables"
    if workers > 1 and tables is not None:
        how += f", {workers} workers, helper peak {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MiB"
    print(
        f"{mention_count:>8} mentions  {documents:>6} articles  per article {per_article:7.2f} s  corpus ({how}) {corpus:7.2f} s"
        f"  {mention_count / (per_article + corpus):9.0f} mentions/s  peak RSS {peak:7.0f} MiB  persons {persons}  candidates {candidates}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--in-memory", action="store_true", help="link and merge in memory (the notebook API's way), every article held")
    parser.add_argument("--workers", type=int, default=1, help="as `kg build --workers N` merges: from 2, a helper process clusters runs of groups too")
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.seed, args.in_memory, args.workers)


if __name__ == "__main__":
    main()
