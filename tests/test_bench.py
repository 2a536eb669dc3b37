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


def test_bench_resolve() -> None:
    assert "mentions/s" in bench("bench_resolve.py", "--sizes", "400")
