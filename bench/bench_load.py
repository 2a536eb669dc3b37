"""Benchmark of `kg load`: time and peak memory of a full load, then of loading the same file again.

Each load runs as the command a user types, in a process of its own, so its
peak is its own (``ru_maxrss`` of the largest process it waited for: the load
itself, or the helper that reads half of a big file's parts). The full load
gives Oxigraph the file in pieces (``kg.explore.bulk_load``); ``--whole``
also times the same load given the file whole, one after the other, for the
comparison (the machine's other load moves these figures: run it twice). The
second load of the same N-Quads or N-Triples file replaces no part
(``kg.explore.store_update``): it times reading the file for its parts.
``--then NEW`` last loads another build's file into the same store, an
update that replaces the parts that differ (``kg.explore.store_parts`` reads
both files' parts in bounded memory): e.g. the ``graph.nq`` of the same
archive with one article added.

``--copies N`` (with ``--then``) first makes both files N times as big, the
way ``/tmp`` allows: N copies of the first file, each with its instance IRIs
moved under a copy's own segment (``…/kg-vn/id/`` becomes ``…/kg-vn/c3/id/``),
and the same N copies with the last taken from NEW; so an update of an
archive N times bigger is measured from one pair of builds (ten copies of a
10^4 build: 45 million quads, 983,253 parts).

    python bench/bench_load.py out/graph.nq [--whole] [--then out-plus-one/graph.nq [--copies 10]]
    kg build ARCHIVE --out out --format nq --ner rules --workers 2   # a graph.nq to load, e.g. of bench/synth.py's 10^4 articles
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WHOLE = "import sys; import kg.explore.bulk_load as pieces; pieces.PIECE.clear(); from kg.cli import main; sys.argv[0] = 'kg'; main()"


MEASURE = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); print(done.stdout + done.stderr)"
)


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds and peak MiB of ``command`` (run to its end), and the last line it printed.

    Each command is run by a fresh Python of its own: the peak of a process's children is the largest so far.
    """
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    status, peak = done.stdout.split("\n", 1)[0].split()
    said = done.stdout.split("\n", 1)[1].strip()
    if status != "0":
        sys.exit(f"{' '.join(command)} failed:\n{said}")
    return seconds, int(peak) / 1024, (said.splitlines() or [""])[-1]


def copies(graph: Path, last: Path, count: int, target: Path) -> Path:
    """``count`` copies of the N-Quads ``graph`` (the last one of ``last``), each copy's instance IRIs under a segment of its own, written to ``target``."""
    instances = b"<https://w3id.org/kg-vn/id/"
    with open(target, "wb") as out:
        for copy in range(count):
            moved = b"<https://w3id.org/kg-vn/c%d/id/" % copy
            with open(last if copy == count - 1 else graph, "rb") as lines:
                for line in lines:
                    out.write(line.replace(instances, moved))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("graph", type=Path, help="a graph file or build folder, as `kg load` takes")
    parser.add_argument("--whole", action="store_true", help="also load the file whole, as kg did before it loaded in pieces")
    parser.add_argument("--then", type=Path, metavar="NEW", help="last, load NEW (the same graph changed) into the store: an update")
    parser.add_argument("--copies", type=int, default=1, metavar="N", help="with --then: load N renamed copies of the graph, then of the graph with NEW as the last copy")
    args = parser.parse_args()
    if args.copies > 1 and args.then is None:
        parser.error("--copies needs --then")
    kg = [str(Path(sys.executable).with_name("kg"))]
    with tempfile.TemporaryDirectory(prefix="kg-bench-load-") as scratch:
        if args.copies > 1:
            from kg.explore.store import graph_file

            if {graph_file(path).suffix.lower() for path in (args.graph, args.then)} != {".nq"}:
                parser.error("--copies takes the graph.nq of two builds")
            started = time.perf_counter()
            args.graph, args.then = (copies(graph_file(args.graph), graph_file(last), args.copies, Path(scratch) / name)
                                     for last, name in ((args.graph, "copies.nq"), (args.then, "copies-then.nq")))
            print(f"{args.copies} copies written in {time.perf_counter() - started:.1f} s ({args.graph.stat().st_size / 1e9:.1f} GB each file)", flush=True)
        runs = [("full load, in pieces", [*kg, "load", str(args.graph), "--store", f"{scratch}/pieces"])]
        if args.whole:
            runs.append(("full load, whole", [sys.executable, "-c", WHOLE, "load", str(args.graph), "--store", f"{scratch}/whole"]))
        runs.append(("the same file again", [*kg, "load", str(args.graph), "--store", f"{scratch}/pieces"]))
        if args.then is not None:
            runs.append(("then NEW, an update", [*kg, "load", str(args.then), "--store", f"{scratch}/pieces"]))
        for name, command in runs:
            seconds, peak, said = timed(command)
            print(f"{name:22} {seconds:7.1f} s  peak {peak:6.0f} MiB  ({said})", flush=True)
            if name == "full load, whole":
                shutil.rmtree(f"{scratch}/whole", ignore_errors=True)


if __name__ == "__main__":
    main()
