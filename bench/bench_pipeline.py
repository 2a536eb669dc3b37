"""Benchmark of the whole pipeline: articles per second, peak memory, incremental add.

Builds the graph of the seed articles copied N times (each copy a distinct
document id and a line of its own: an identical text is built once) with
each engine of ``--engines`` (``local:1`` one process,
``local:2`` a pool of two, ``dask:2`` a Dask LocalCluster of two
single-threaded workers), each in a fresh process so its peak memory is its
own, without the article cache. Time includes starting the engine (workers
load the models before the first article; "startup"); memory is the peak of
the summed resident memory of the build's processes. Then the incremental case: the corpus is built
once with the cache, one new article is added, and the rebuild is timed (the
issue's "adding 1 article to a built corpus"); ``--check`` also builds the
grown corpus from scratch and compares the files byte for byte.

Goal: >= 50 articles/s on 2 CPU cores, < 1 GiB. The machine's other load
shows in the wall-clock numbers (the 1-minute load average is printed): the
CPU seconds all the build's processes used, and articles per CPU-second, are
steadier; compare the engines of one run, and run it twice.

    python bench/bench_pipeline.py [--copies 290] [--ner auto|rules] [--engines local:1,local:2,dask:2] [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUTPUTS = ("graph.ttl", "graph.html", "extraction.json")


class PeakMemory:
    """The peak of the summed resident memory of this process and all its descendants (workers), sampled;
    and the CPU seconds they used (a figure the machine's other load changes less than wall time)."""

    def __init__(self, every_s: float = 0.05) -> None:
        import threading

        import psutil

        self.peak = 0
        self.cpu: dict[int, float] = {}
        self.stop = threading.Event()
        self.process = psutil.Process()

        def sample() -> None:
            while not self.stop.wait(every_s):
                total = 0
                for proc in [self.process, *self.process.children(recursive=True)]:
                    try:
                        total += proc.memory_info().rss
                        times = proc.cpu_times()
                        self.cpu[proc.pid] = max(self.cpu.get(proc.pid, 0.0), times.user + times.system)
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)

        self.thread = threading.Thread(target=sample, daemon=True)
        self.thread.start()

    def mib(self) -> float:
        self.stop.set()
        self.thread.join()
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return max(self.peak, own) / 2**20

    def cpu_seconds(self) -> float:
        times = self.process.cpu_times()
        self.cpu[self.process.pid] = times.user + times.system
        return sum(self.cpu.values())


def make_corpus(folder: Path, copies: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(copies):
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            # A line of its own per copy: the same text under two names is built once (a duplicate).
            (folder / f"{seed.stem}-{n:05d}.txt").write_bytes(seed.read_bytes() + f"\n(copy {n})\n".encode())


def one_build(corpus: Path, out: Path, ner: str, engine_spec: str, cache: Path | None) -> dict:
    """Build once in this process; the figures as a dict."""
    from kg.corpus.build import build
    from kg.corpus.engines import make_engine, warm_up
    from kg.extract.ner.select import make_recognizer

    kind, _, workers = engine_spec.partition(":")
    memory = PeakMemory()
    recognizer = make_recognizer(ner)
    started = time.perf_counter()
    engine = make_engine(recognizer, kind, int(workers or 1))
    if kind == "local" and int(workers or 1) == 1 and cache is None:
        warm_up(recognizer)  # as pool and Dask workers do before their first article
    startup = time.perf_counter() - started
    try:
        report = build([corpus], out, recognizer, engine=engine, cache_dir=cache)
    finally:
        engine.close()
    seconds = time.perf_counter() - started
    return {
        "engine": engine_spec, "articles": report.documents, "seconds": seconds, "startup": startup,
        "phases": report.phases, "extracted": report.extracted, "cached": report.cached,
        "triples": report.triples, "peak_mib": memory.mib(), "cpu_s": memory.cpu_seconds(), "ner": report.ner_model,
        "load": os.getloadavg()[0],
    }


def in_subprocess(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark run failed ({' '.join(args)}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def show(row: dict, label: str) -> None:
    phases = " ".join(f"{k} {v:.2f}" for k, v in row["phases"].items())
    rate = row["articles"] / row["seconds"] if row["seconds"] else 0.0
    per_cpu = row["articles"] / row["cpu_s"] if row["cpu_s"] else 0.0
    print(
        f"{label:<22} {row['articles']:>6} articles  {row['seconds']:8.2f} s  {rate:7.1f} articles/s"
        f"  (startup {row['startup']:.2f} s; {phases})  peak {row['peak_mib']:6.0f} MiB"
        f"  CPU {row['cpu_s']:7.1f} s = {per_cpu:5.1f} articles per CPU-second  (load {row['load']:.1f})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=290, help="copies of each seed article (default 290: 1,450 articles)")
    parser.add_argument("--ner", default="auto", choices=["auto", "rules", "stanza"])
    parser.add_argument("--engines", default="local:1,local:2,dask:2")
    parser.add_argument("--no-incremental", action="store_true", help="skip the incremental case")
    parser.add_argument("--check", action="store_true", help="compare the incremental build with a full one")
    parser.add_argument("--one", nargs=4, metavar=("CORPUS", "OUT", "ENGINE", "CACHE"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        corpus, out, engine, cache = args.one
        print(json.dumps(one_build(Path(corpus), Path(out), args.ner, engine, Path(cache) if cache != "-" else None)))
        return

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        make_corpus(corpus, args.copies)
        print(f"corpus: {args.copies} copies of the seeds, NER {args.ner}", flush=True)
        for spec in args.engines.split(","):
            row = in_subprocess("--ner", args.ner, "--one", str(corpus), str(Path(tmp) / f"out-{spec.replace(':', '-')}"), spec, "-")
            show(row, f"build {spec}")
        if args.no_incremental:
            return
        cache, out = Path(tmp) / "cache", Path(tmp) / "out-inc"
        show(in_subprocess("--ner", args.ner, "--one", str(corpus), str(out), "local:1", str(cache)), "cached build local:1")
        seed = sorted((ROOT / "seeds").glob("*.txt"))[1]
        (corpus / f"{seed.stem}-new.txt").write_bytes(seed.read_bytes() + b"\n(new)\n")
        row = in_subprocess("--ner", args.ner, "--one", str(corpus), str(out), "local:1", str(cache))
        show(row, "add 1 article")
        print(f"incremental: {row['extracted']} extracted, {row['cached']} from the cache, {row['seconds']:.2f} s", flush=True)
        if args.check:
            full = Path(tmp) / "out-full"
            in_subprocess("--ner", args.ner, "--one", str(corpus), str(full), "local:1", "-")
            same = all((out / n).read_bytes() == (full / n).read_bytes() for n in OUTPUTS)
            print(f"incremental build == full build: {'yes' if same else 'NO'}", flush=True)
            if not same:
                raise SystemExit(1)


if __name__ == "__main__":
    main()
