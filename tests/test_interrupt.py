"""Interrupted builds (issue #7): SIGINT or SIGKILL of a running ``kg build`` leaves the previous outputs whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.corpus.outputs import write_atomically

ARTICLE = "कॉमरेड माई वान तुआट ने सम्मेलन की अध्यक्षता की।\n"


def kg_build(inputs: Path, out: Path) -> subprocess.Popen:
    command = [sys.executable, "-c", "from kg.cli import main; main()", "build", str(inputs), "--out", str(out), "--ner", "rules", "-q"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


@pytest.fixture
def previous_build(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    small = tmp_path / "small"
    small.mkdir()
    (small / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    process = kg_build(small, out)
    assert process.wait(timeout=120) == 0, process.stdout.read()
    before = outputs(out)
    assert set(before) == {"graph.ttl", "graph.html", "extraction.json"}
    return out, before


def slow_inputs(tmp_path: Path) -> Path:
    """Enough text that a build takes several seconds (about 1 MB in 100 files)."""
    big = tmp_path / "big"
    big.mkdir()
    for i in range(100):
        (big / f"b{i:03d}.txt").write_text(ARTICLE * 200, encoding="utf-8")
    return big


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_interrupted_build_keeps_previous_outputs_and_a_rerun_completes(
    tmp_path: Path, previous_build: tuple[Path, dict[str, bytes]], sig: signal.Signals
) -> None:
    out, before = previous_build
    big = slow_inputs(tmp_path)
    process = kg_build(big, out)
    time.sleep(2.0)  # past start-up, inside the pipeline
    if process.poll() is not None:
        pytest.skip("the build finished before it could be interrupted")
    process.send_signal(sig)
    code = process.wait(timeout=60)
    log = process.stdout.read()
    assert code != 0
    assert "Traceback" not in log
    assert outputs(out) == before
    if sig == signal.SIGINT:
        assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]  # cleaned up on Ctrl-C
    rerun = kg_build(tmp_path / "small", out)
    assert rerun.wait(timeout=120) == 0, rerun.stdout.read()
    assert outputs(out) == before  # the same input builds the same bytes


def test_failure_while_staging_leaves_targets_and_no_staged_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target_a, target_b = tmp_path / "a.ttl", tmp_path / "b.json"
    target_a.write_text("old a", encoding="utf-8")
    target_b.write_text("old b", encoding="utf-8")
    real_fsync = os.fsync
    calls = []

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C while the second file is being staged
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(KeyboardInterrupt):
        write_atomically({target_a: "new a", target_b: "new b"})
    assert target_a.read_text(encoding="utf-8") == "old a"
    assert target_b.read_text(encoding="utf-8") == "old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ttl", "b.json"]


def test_outputs_are_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "graph.ttl"
    write_atomically({target: "x" * 1_000_000})
    assert target.read_text(encoding="utf-8") == "x" * 1_000_000
    assert [p.name for p in target.parent.iterdir()] == ["graph.ttl"]


def test_sigterm_during_train_ner_leaves_no_trainer_and_no_temporary_folder(tmp_path: Path) -> None:
    out = tmp_path / "models"
    command = [sys.executable, "-c", "from kg.cli import main; main()", "train-ner", "--lang", "hi", "--templates", "50", "--steps", "2000", "--out", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(out.glob(".kg-ner-*/hi/kg-ner-hi-*/data/*.json")):
        time.sleep(0.5)  # until the trainer has its data: it runs now
    if process.poll() is not None:
        pytest.skip("training ended before it could be interrupted")
    time.sleep(2.0)
    process.send_signal(signal.SIGTERM)
    output = process.communicate(timeout=120)[0]
    assert process.returncode == 2 and "interrupted" in output, output
    assert not [p for p in out.rglob("*")], "the interrupted run left files behind"
    trainers = subprocess.run(["pgrep", "-f", f"ner_tagger.*{out}"], capture_output=True, text=True).stdout.split()
    assert not trainers
