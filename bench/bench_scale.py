"""`kg build` on synthetic archives of growing size: articles/s, the seconds of each phase (articles, corpus, outputs), peak memory, entity counts.

Each size's archive is written once by ``bench/synth.py`` (kept in ``--corpora``,
default ``/tmp/kg-synth``) and built from scratch (``--no-cache``) by a child
process per (size, workers); the child reports its own peak resident memory
(VmHWM: the build's main process, where the corpus phase and the outputs run;
each extracting worker is a process of its own, a few hundred MiB with rules).

    python bench/bench_scale.py --sizes 1000,10000 --workers 1,2
    python bench/bench_scale.py --sizes 100000 --workers 2 --ner rules

The standing goal: peak under 1 GiB at every size, flat in the size.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_memory import CHILD  # noqa: E402
from synth import write_archive  # noqa: E402

MIB = 1024**2


def corpus(size: int, folder: Path, seed: int) -> Path:
    path = folder / f"synth-{size}-{seed}"
    done = path / ".complete"
    if not done.exists():
        print(f"writing {size:,} synthetic articles into {path} …", flush=True)
        write_archive(size, path / "texts", seed)
        done.write_text(str(size))
    return path / "texts"


def build_once(texts: Path, workers: int, ner: str, keep: Path | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="kg-bench-scale-") as tmp:
        work = keep or Path(tmp)
        out, peak_file = work / "out", work / "peak.txt"
        command = [sys.executable, "-c", CHILD, str(peak_file), "build", str(texts), "--out", str(out), "--ner", ner, "--no-cache", "-q", "--workers", str(workers)]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"kg build failed ({done.returncode}):\n{done.stderr[-2000:]}")
        entities = dict(re.findall(r"(\w+) (\d+)", next((l for l in done.stdout.splitlines() if l.startswith("entities:")), "")))
        timing = next((l for l in done.stdout.splitlines() if l.startswith("time:")), "")
        phases = {name: float(value) for name, value in re.findall(r"\b(articles|corpus|outputs) ([\d.]+) s", timing)}
        files = {p.name: p.stat().st_size for p in (out / ".current").resolve().glob("*") if p.is_file()} if (out / ".current").exists() else {}
        return {"seconds": seconds, "phases": phases, "peak_mib": int(peak_file.read_text()) / 1024, "entities": {k: int(v) for k, v in entities.items()}, "files": files}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated archive sizes (default 1000,10000)")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts (default 1,2)")
    parser.add_argument("--ner", default="rules", choices=["rules", "auto", "stanza"])
    parser.add_argument("--corpora", type=Path, default=Path(tempfile.gettempdir()) / "kg-synth", help="where the synthetic archives are kept between runs")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--json", action="store_true", help="one JSON object per build instead of the table")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    workers = [int(w) for w in args.workers.split(",")]
    if not args.json:
        print(f"{'articles':>9} {'workers':>7} {'seconds':>8} {'art/s':>7} {'articles s':>10} {'corpus s':>9} {'outputs s':>9} {'peak MiB':>9} {'events':>7} {'bodies':>7} {'persons':>8} {'graph.ttl MiB':>13} {'extraction MiB':>14}")
    for size in sizes:
        texts = corpus(size, args.corpora, args.seed)
        for w in workers:
            r = build_once(texts, w, args.ner, None)
            e, f = r["entities"], r["files"]
            row = {"articles": size, "workers": w, "ner": args.ner, **r}
            if args.json:
                print(json.dumps(row), flush=True)
                continue
            extraction = sum(v for k, v in f.items() if k.startswith("extraction"))
            phases = r["phases"]  # where the build's time went, as its summary line says
            print(
                f"{size:>9,} {w:>7} {r['seconds']:>8.1f} {size / r['seconds']:>7.1f} {phases.get('articles', 0.0):>10.1f} {phases.get('corpus', 0.0):>9.1f} {phases.get('outputs', 0.0):>9.1f} {r['peak_mib']:>9.0f} {e.get('Event', 0):>7,} {e.get('Organization', 0):>7,} "
                f"{e.get('Person', 0):>8,} {f.get('graph.ttl', 0) / MIB:>13.1f} {extraction / MIB:>14.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
