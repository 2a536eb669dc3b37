"""Benchmark of the whole pipeline: articles per second and peak memory.

Builds the graph of the seed articles copied N times (each copy a distinct
document id) into a temporary directory and prints throughput and the peak
resident memory of this process. Goal: >= 50 articles/s on 2 CPU cores, < 1 GiB.

    python bench/bench_pipeline.py [--copies 100] [--ner rules|auto]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=100, help="copies of each seed article (default 100)")
    parser.add_argument("--ner", default="auto", choices=["auto", "rules", "stanza"])
    args = parser.parse_args()

    from kg.corpus.build import build
    from kg.extract.ner.select import make_recognizer

    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for n in range(args.copies):
            for seed in seeds:
                shutil.copy(seed, corpus / f"{seed.stem}-{n:04d}.txt")
        recognizer = make_recognizer(args.ner)
        warm = Path(tmp) / "warm"
        build([seeds[0]], warm, recognizer)  # load models and lexicons before timing
        started = time.perf_counter()
        report = build([corpus], Path(tmp) / "out", recognizer)
        elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"ner model:        {report.ner_model}")
    print(f"articles:         {report.documents}")
    print(f"triples:          {report.triples}")
    print(f"seconds:          {elapsed:.2f}")
    print(f"articles/second:  {report.documents / elapsed:.1f}")
    print(f"peak memory:      {peak_mib:.0f} MiB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
