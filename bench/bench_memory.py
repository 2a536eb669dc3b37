"""Peak memory of `kg build` on one article written on a single line (issue #14).

The article is the seeds' text with every line break replaced by a space,
repeated to the requested size; ``--no-punctuation`` also removes every
sentence end, the worst case for the tokenizer's sentence cap. The build runs
in a child process; its peak resident memory (``VmHWM``) is printed with
the time and the size of the outputs.

    python bench/bench_memory.py                                  # 1 MiB, rules: seconds
    python bench/bench_memory.py --mb 3.9 --no-punctuation --ner auto  # near the 4 MiB cap, Stanza (minutes)
    python bench/bench_memory.py --mb 49                          # the issue's 49 MB case: refused, over the cap

The target is a peak under 1 GiB for any input ``kg build`` accepts.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GIB = 1024**3


# The child reports its own peak: VmHWM of its own memory map. ru_maxrss would also
# count the parent's pages (Linux carries the high-water mark across fork and exec).
CHILD = """
import re, resource, sys
from pathlib import Path
peak_file = Path(sys.argv.pop(1))
try:
    from kg.cli import main
    main(prog_name="kg")
finally:
    try:
        peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1))
    except (OSError, AttributeError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_file.write_text(str(peak))
"""


def one_line_article(size: int, punctuation: bool = True) -> bytes:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    text = re.sub(r"\s+", " ", text)
    if not punctuation:
        text = re.sub(r"[।|?!.؟؛]", " ", text)
    unit = text.encode("utf-8")
    data = unit * (size // len(unit) + 1)
    return data[:size].decode("utf-8", errors="ignore").encode("utf-8")


def run(size_mb: float, ner: str, punctuation: bool, keep: Path | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="kg-bench-memory-") as tmp:
        work = keep or Path(tmp)
        articles, out = work / "articles", work / "out"
        articles.mkdir(parents=True, exist_ok=True)
        path = articles / "one-line.txt"
        path.write_bytes(one_line_article(int(size_mb * 1024 * 1024), punctuation))
        peak_file = work / "peak.txt"
        command = [sys.executable, "-c", CHILD, str(peak_file), "build", str(articles), "--out", str(out), "--ner", ner, "-q"]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - started
        peak = int(peak_file.read_text()) * 1024  # kilobytes
        written = sum(p.stat().st_size for p in (out / ".current").glob("*")) if (out / ".current").exists() else 0
        return {
            "input_bytes": path.stat().st_size,
            "ner": ner,
            "punctuation": punctuation,
            "exit_code": done.returncode,
            "seconds": round(seconds, 1),
            "peak_rss_mib": round(peak / 1024**2),
            "outputs_bytes": written,
            "messages": [line for line in done.stderr.splitlines() if line.startswith(("warning:", "skipped:", "error:"))],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=1.0, help="Size of the one-line article in MiB (default 1; kg build accepts up to 4; the issue's cases: 12 and 49).")
    parser.add_argument("--ner", choices=["rules", "auto", "stanza"], default="rules", help="NER backend (auto = the default build; much slower).")
    parser.add_argument("--no-punctuation", action="store_true", help="Remove every sentence end as well as the line breaks.")
    parser.add_argument("--keep", type=Path, default=None, help="Keep the article and outputs in this folder.")
    args = parser.parse_args()
    result = run(args.mb, args.ner, not args.no_punctuation, args.keep)
    print(f"input:   {result['input_bytes']:,} bytes on one line ({'with' if result['punctuation'] else 'without'} sentence ends), --ner {result['ner']}")
    print(f"exit:    {result['exit_code']}")
    print(f"time:    {result['seconds']} s")
    print(f"peak:    {result['peak_rss_mib']} MiB resident ({'under' if result['peak_rss_mib'] * 1024**2 < GIB else 'OVER'} the 1 GiB target)")
    if result["outputs_bytes"]:
        print(f"outputs: {result['outputs_bytes']:,} bytes ({result['outputs_bytes'] / result['input_bytes']:.1f}x the input)")
    for line in result["messages"]:
        print(f"  {line[:300]}")


if __name__ == "__main__":
    main()
