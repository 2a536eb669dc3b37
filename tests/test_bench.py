"""Each benchmark runs at a tiny size, so none of them rots between the times it is run for real."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def bench(script: str, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_bench_pipeline() -> None:
    out = bench("bench_pipeline.py", "--copies", "2", "--ner", "rules", "--engines", "local:2")
    assert "build local:2" in out and "articles/s" in out
    assert "10 articles" in out  # every copy is built: none counts as a duplicate of another
    assert "incremental: 1 extracted, 10 from the cache" in out


def test_bench_ner_rules() -> None:
    assert "sent/s" in bench("bench_ner.py", "--sentences", "30", "--ner", "rules")


@pytest.mark.model
def test_bench_ner_stanza_variants() -> None:
    out = bench("bench_ner.py", "--sentences", "30", "--ner", "stanza", "--variants", "pipeline,direct")
    assert "stanza:pipeline" in out and "stanza:direct" in out


def test_bench_query() -> None:
    out = bench("bench_query.py", "--sizes", "1500", "--repeat", "1", "--rdflib-max", "0")
    assert "posts_of_person" in out and " one " in out
    one = next(line for line in out.splitlines() if "posts_of_person" in line and " one " in line)
    assert float(one.split()[-1].replace(",", "")) > 0  # the CLI on a kg load store, timed


def test_bench_resolve() -> None:
    assert "mentions/s" in bench("bench_resolve.py", "--sizes", "400")


def test_synth_writes_the_same_archive_twice(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert "12 articles" in bench("synth.py", "12", str(tmp_path / name))
    a, b = sorted((tmp_path / "a").iterdir()), sorted((tmp_path / "b").iterdir())
    assert [p.name for p in a] == [p.name for p in b] and len(a) == 12
    assert all(p.read_bytes() == q.read_bytes() for p, q in zip(a, b))
    assert {p.name.rsplit("-", 1)[1] for p in a} == {"hi.txt", "ar.txt"}


def test_bench_scale(tmp_path: Path) -> None:
    out = bench("bench_scale.py", "--sizes", "12", "--workers", "1", "--corpora", str(tmp_path))
    row = out.strip().splitlines()[-1].split()
    assert row[0] == "12" and row[1] == "1" and float(row[7]) > 0  # articles, workers, ..., peak MiB
    assert float(row[4]) > 0 and float(row[6]) > 0  # the articles' and the outputs' seconds, from the build's time line


def test_bench_add(tmp_path: Path) -> None:
    out = bench("bench_add.py", "--size", "12", "--add", "2", "--rounds", "1", "--workers", "1", "--check", "--corpora", str(tmp_path))
    row = next(line for line in out.splitlines() if line.split()[:1] == ["1"]).split()
    assert float(row[1]) > 0 and float(row[5]) > 0  # seconds, peak MiB
    assert row[6:] == ["extraction.json,", "graph.ttl"]  # spliced from the last build's
    assert "graph.ttl, graph.html, extraction.json the same bytes" in out
