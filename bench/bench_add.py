"""Articles added to a built archive: the time and peak memory of the build that adds them, by phase, and whether its files are a full build's.

A synthetic archive of ``--size`` + ``--add`` articles (``bench/synth.py``,
kept in ``--corpora``) is linked into a folder without its last ``--add``
articles and built with the cache (``--workers``, rules NER by default): the
last build. Then, each round, the output folder is put back as that build
left it, the held articles are added, and the build is timed in a child
process that reports its peak resident memory. The summary line of each
round says which files were spliced from the last build's. With ``--check``,
a build from scratch of the whole archive is compared byte for byte.

    python bench/bench_add.py --size 10000 --add 1 --rounds 2 --check
    python bench/bench_add.py --size 1000 --add 10
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_memory import CHILD  # noqa: E402
from bench_scale import corpus  # noqa: E402

OUTPUTS = ("graph.ttl", "graph.html", "extraction.json")


def kg_build(texts: Path, out: Path, workers: int, ner: str, peak_file: Path, *extra: str) -> tuple[float, str]:
    """Run ``kg build`` in a child process; its seconds and its output."""
    command = [sys.executable, "-c", CHILD, str(peak_file), "build", str(texts), "--out", str(out), "--ner", ner, "-q", "--workers", str(workers), *extra]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"kg build failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def phases_of(output: str) -> dict[str, float]:
    timing = next((line for line in output.splitlines() if line.startswith("time:")), "")
    return {name: float(value) for name, value in re.findall(r"\b(articles|corpus|outputs) ([\d.]+) s", timing)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10000, help="articles already built (default 10000)")
    parser.add_argument("--add", type=int, default=1, help="articles added (default 1)")
    parser.add_argument("--rounds", type=int, default=2, help="timed builds that add them, each from the same last build (default 2)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ner", default="rules", choices=["rules", "auto", "stanza"])
    parser.add_argument("--corpora", type=Path, default=Path(tempfile.gettempdir()) / "kg-synth", help="where the synthetic archives are kept between runs")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--check", action="store_true", help="also build the whole archive from scratch and compare the files")
    args = parser.parse_args()
    texts = corpus(args.size + args.add, args.corpora, args.seed)
    articles = sorted(texts.glob("*.txt"))
    with tempfile.TemporaryDirectory(prefix="kg-bench-add-", dir=args.corpora) as tmp:
        work = Path(tmp)
        folder = work / "corpus"
        folder.mkdir()
        for article in articles[: args.size]:
            os.link(article, folder / article.name)  # the same file system: no copy
        out, last, peak = work / "out", work / "last", work / "peak.txt"
        seconds, _ = kg_build(folder, out, args.workers, args.ner, peak)
        print(f"last build: {args.size:,} articles in {seconds:.1f} s, peak {int(peak.read_text()) / 1024:.0f} MiB", flush=True)
        shutil.copytree(out, last, symlinks=True)  # put back before each round (the output folder is part of what a build is kept for)
        for article in articles[args.size :]:
            os.link(article, folder / article.name)
        print(f"{'round':>5} {'seconds':>8} {'articles s':>10} {'corpus s':>9} {'outputs s':>9} {'peak MiB':>9}  spliced")
        for round_ in range(1, args.rounds + 1):
            if round_ > 1:
                shutil.rmtree(out)
                shutil.copytree(last, out, symlinks=True)
            seconds, output = kg_build(folder, out, args.workers, args.ner, peak)
            phases = phases_of(output)
            spliced = next((line.split(":", 1)[1].split(" spliced")[0].strip() for line in output.splitlines() if line.startswith("outputs:")), "none")
            print(
                f"{round_:>5} {seconds:>8.2f} {phases.get('articles', 0.0):>10.2f} {phases.get('corpus', 0.0):>9.2f} {phases.get('outputs', 0.0):>9.2f} "
                f"{int(peak.read_text()) / 1024:>9.0f}  {spliced}",
                flush=True,
            )
        if args.check:
            full = work / "full"
            kg_build(folder, full, args.workers, args.ner, peak, "--no-cache")
            same = [name for name in OUTPUTS if (out / name).read_bytes() == (full / name).read_bytes()]
            print(f"a build from scratch of {len(articles):,} articles: {', '.join(same) or 'no file'} the same bytes" + ("" if len(same) == len(OUTPUTS) else f"; {', '.join(n for n in OUTPUTS if n not in same)} differ"))


if __name__ == "__main__":
    main()
