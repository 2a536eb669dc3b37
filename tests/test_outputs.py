"""The output set (issue #14): a reader always sees one whole build, whatever fails or is killed when.

Each build is written into ``out/.builds/<id>/`` and made current by one rename
of the ``out/.current`` link; ``out/graph.ttl`` and the others are links
through it. Failures are injected at every OS call of a publish, a build is
SIGKILLed at many instants, and every time the three outputs must still be
one build's.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.corpus.outputs as outputs_module
from kg.cli import main
from kg.corpus.outputs import BUILDS, CURRENT, OutputError, OutputSet, publish, write_atomically

NAMES = ("graph.ttl", "graph.html", "extraction.json")
ARTICLE = "कॉमरेड माई वान तुआट ने सम्मेलन की अध्यक्षता की।\n"


def contents(tag: str, size: int = 1000) -> dict[str, str]:
    return {name: f"{tag}:{name}:" + "x" * size for name in NAMES}


def read_set(out: Path) -> set[str]:
    """The build tag each output shows (one tag when the set is whole)."""
    return {(out / name).read_text(encoding="utf-8").split(":", 1)[0] for name in NAMES}


def leftovers(out: Path) -> list[str]:
    """What a finished build should not leave: staged files, and build folders beyond the current and previous."""
    builds = sorted(p.name for p in (out / BUILDS).iterdir() if p.name != ".lock") if (out / BUILDS).is_dir() else []
    current = Path(os.readlink(out / CURRENT)).name if (out / CURRENT).is_symlink() else None
    others = [name for name in builds if name != current]
    staged = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    return others[1:] + staged + [f"{name}/{p.name}" for name in builds for p in (out / BUILDS / name).iterdir() if p.name.startswith(".")]


def cli_build(articles: Path, out: Path) -> object:
    return CliRunner().invoke(main, ["build", str(articles), "--out", str(out), "--ner", "rules", "-q"])


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


# ------------------------------------------------------------------ the layout


def test_outputs_are_links_through_one_current_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, contents("one"))
    publish(out, contents("two"))
    for name in NAMES:
        assert os.readlink(out / name) == f"{CURRENT}/{name}"
    assert read_set(out) == {"two"}
    # The previous build stays until the next one (a reader may be in the middle of it), no more.
    assert len([p for p in (out / BUILDS).iterdir() if p.is_dir()]) == 2
    publish(out, contents("three"))
    assert len([p for p in (out / BUILDS).iterdir() if p.is_dir()]) == 2
    assert read_set(out) == {"three"}


def test_a_build_writes_the_three_outputs_as_one_set(tmp_path: Path, articles: Path) -> None:
    out = tmp_path / "out"
    result = cli_build(articles, out)
    assert result.exit_code == 0, result.output
    current = (out / CURRENT).resolve()
    assert sorted(p.name for p in current.iterdir()) == sorted(NAMES)
    for name in NAMES:
        assert (out / name).resolve() == current / name
    assert "Mai Van Tuat" in (out / "graph.ttl").read_text(encoding="utf-8")


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_outputs_honour_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        out = tmp_path / "out"
        publish(out, contents("one"))
        write_atomically({tmp_path / "single.txt": "x"})
    finally:
        os.umask(old)
    for name in NAMES:
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o666 & ~umask
    assert stat.S_IMODE((out / CURRENT).resolve().stat().st_mode) == 0o777 & ~umask
    assert stat.S_IMODE((tmp_path / "single.txt").stat().st_mode) == 0o666 & ~umask


def test_old_plain_outputs_are_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name, text in contents("old").items():
        (out / name).write_text(text, encoding="utf-8")
    (out / ".graph.ttl.abcd1234.tmp").write_text("staged by an older kg that was killed", encoding="utf-8")
    publish(out, contents("new"))
    assert read_set(out) == {"new"}
    assert all((out / name).is_symlink() for name in NAMES)
    assert not leftovers(out)  # the adopted old set is kept as the previous build, nothing else


# ------------------------------------------------------- failures at every step

class Fault:
    """Raise ``OSError(error)`` at the ``at``-th call of any patched OS function (counting from 1)."""

    def __init__(self, at: int, error: int = errno.EIO) -> None:
        self.at, self.error, self.calls = at, error, 0

    def wrap(self, real):
        def faulty(*args, **kwargs):
            self.calls += 1
            if self.calls == self.at:
                raise OSError(self.error, os.strerror(self.error), str(args[0]) if args else None)
            return real(*args, **kwargs)

        return faulty


def patch_faults(monkeypatch: pytest.MonkeyPatch, fault: Fault) -> None:
    monkeypatch.setattr(outputs_module, "write_file", fault.wrap(outputs_module.write_file))
    for name in ("fsync", "symlink", "replace", "link"):
        monkeypatch.setattr(outputs_module.os, name, fault.wrap(getattr(os, name)))


def count_calls(monkeypatch: pytest.MonkeyPatch, out: Path) -> int:
    fault = Fault(at=0)
    with monkeypatch.context() as patch:
        patch_faults(patch, fault)
        publish(out, contents("probe"))
    return fault.calls


@pytest.mark.parametrize("layout", ["links", "plain files of an older kg"])
def test_a_failure_at_any_step_leaves_the_previous_set_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str) -> None:
    """EIO at each OS call in turn (a write, an fsync, a link, the switch): old set or new set, never a mix."""

    def fresh(out: Path) -> None:
        if layout == "links":
            publish(out, contents("old"))
        else:
            out.mkdir()
            for name, text in contents("old").items():
                (out / name).write_text(text, encoding="utf-8")

    probe = tmp_path / "probe"
    fresh(probe)
    steps = count_calls(monkeypatch, probe)
    assert steps >= 8
    for at in range(1, steps + 1):
        out = tmp_path / f"out{at}"
        fresh(out)
        fault = Fault(at)
        with monkeypatch.context() as patch:
            patch_faults(patch, fault)
            try:
                publish(out, contents("new"))
                failed = False
            except OutputError as error:
                failed = True
                assert "\n" not in str(error) and "input/output error" in str(error).lower()
        assert read_set(out) == ({"old"} if failed else {"new"}), f"fault at call {at}"
        publish(out, contents("next"))  # the next build completes and cleans what the failed one left
        assert read_set(out) == {"next"}
        assert not leftovers(out), f"fault at call {at}: {leftovers(out)}"


def test_eio_on_the_switch_and_a_folder_in_the_way_keep_the_previous_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    publish(out, contents("old"))
    real_replace = os.replace

    def failing_replace(src, dst, *args, **kwargs):
        if Path(dst).name == CURRENT:
            raise OSError(errno.EIO, "Input/output error", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(outputs_module.os, "replace", failing_replace)
        with pytest.raises(OutputError, match="input/output error"):
            publish(out, contents("new"))
    assert read_set(out) == {"old"}
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "graph.ttl").write_text("old:graph.ttl", encoding="utf-8")
    (plain / "graph.html").mkdir()
    with pytest.raises(OutputError, match="graph.html: is a directory"):
        publish(plain, contents("new"))
    assert (plain / "graph.ttl").read_text(encoding="utf-8") == "old:graph.ttl" and (plain / "graph.html").is_dir()
    assert not [p for p in (plain / BUILDS).iterdir() if p.name != ".lock"]


def test_an_error_inside_the_block_removes_the_staged_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, contents("old"))
    with pytest.raises(KeyboardInterrupt):
        with OutputSet(out) as staged:
            with staged.open("graph.ttl") as handle:
                handle.write("new:graph.ttl")
            raise KeyboardInterrupt
    assert read_set(out) == {"old"}
    assert not leftovers(out)


WRITER = """
import sys, time
from kg.corpus.outputs import publish
out, size = sys.argv[1], int(sys.argv[2])
i = 0
while True:
    i += 1
    tag = f"b{i}"
    publish(out, {name: f"{tag}:{name}:" + "x" * size for name in ("graph.ttl", "graph.html", "extraction.json")})
    print(tag, flush=True)
"""


def test_sigkill_at_any_instant_leaves_one_whole_build(tmp_path: Path) -> None:
    """A process publishing in a loop is SIGKILLed at 12 instants; every time the set is whole, and a rerun cleans up."""
    out = tmp_path / "out"
    publish(out, contents("b0"))
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    for round_ in range(12):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(out), "300000"], stdout=subprocess.PIPE, env=env)
        assert writer.stdout.readline()  # at least one publish done: killed somewhere inside a later one
        time.sleep(0.003 * round_)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        writer.stdout.close()
        assert len(read_set(out)) == 1, f"round {round_}: {read_set(out)}"
    publish(out, contents("last"))
    assert read_set(out) == {"last"} and not leftovers(out)


def test_a_reader_resolving_current_once_always_reads_one_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, contents("b0", 100_000))
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(out), "100000"], stdout=subprocess.DEVNULL, env=env)
    try:
        seen = set()
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            try:
                folder = (out / CURRENT).resolve(strict=True)
                tags = {(folder / name).read_text(encoding="utf-8").split(":", 1)[0] for name in NAMES}
            except FileNotFoundError:
                continue  # a build two switches old was cleaned while this reader was slow: read again
            assert len(tags) == 1
            seen |= tags
    finally:
        writer.kill()
        writer.wait(timeout=30)
    assert len(seen) > 1


# ------------------------------------------------------- the user's mistakes, one line each


def test_out_under_a_file_is_one_line(tmp_path: Path, articles: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = cli_build(articles, blocker / "out")
    assert result.exit_code == 2, result.output
    assert "not a directory" in result.output and "Traceback" not in result.output
    assert result.output.count("\n") == 1


def deny_writes(monkeypatch: pytest.MonkeyPatch, folder: Path, error: int) -> None:
    """Refuse creating files under ``folder`` (root ignores chmod, so a read-only folder is simulated)."""
    real, real_open = outputs_module.write_file, os.open

    def refused(path: Path, content) -> None:
        if folder in Path(path).parents:
            raise OSError(error, os.strerror(error), str(path))
        real(path, content)

    def refused_open(path, flags, *args, **options):  # noqa: ANN001, ANN202 - files streamed into the build folder
        if flags & os.O_CREAT and folder in Path(path).parents and not Path(path).name.startswith("."):  # not the lock
            raise OSError(error, os.strerror(error), str(path))
        return real_open(path, flags, *args, **options)

    monkeypatch.setattr(outputs_module, "write_file", refused)
    monkeypatch.setattr(outputs_module.os, "open", refused_open)


@pytest.mark.parametrize("error, text", [(errno.EACCES, "permission denied"), (errno.EROFS, "read-only file system")])
def test_read_only_out_folder_fails_before_the_build_in_one_line(tmp_path: Path, articles: Path, monkeypatch: pytest.MonkeyPatch, error: int, text: str) -> None:
    out = tmp_path / "out"
    assert cli_build(articles, out).exit_code == 0
    before = {name: (out / name).read_bytes() for name in NAMES}
    deny_writes(monkeypatch, out, error)
    result = cli_build(articles, out)
    assert result.exit_code == 2 and text in result.output and "Traceback" not in result.output
    assert {name: (out / name).read_bytes() for name in NAMES} == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; the simulated test above covers it")
def test_read_only_out_folder_for_real(tmp_path: Path, articles: Path) -> None:
    out = tmp_path / "out"
    assert cli_build(articles, out).exit_code == 0
    out.chmod(0o555)
    try:
        result = cli_build(articles, out)
        assert result.exit_code == 2 and "permission denied" in result.output
    finally:
        out.chmod(0o755)


def test_full_disk_while_writing_the_outputs_is_one_line(tmp_path: Path, articles: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert cli_build(articles, out).exit_code == 0
    before = {name: (out / name).read_bytes() for name in NAMES}
    (articles / "a.txt").write_text(ARTICLE + "\nEnd.\n", encoding="utf-8")  # a changed article: a build that writes
    deny_writes(monkeypatch, out / BUILDS, errno.ENOSPC)
    result = cli_build(articles, out)
    assert result.exit_code == 2, result.output
    assert "no space left on device" in result.output and "Traceback" not in result.output
    assert str(out) in result.output and BUILDS not in result.output
    assert {name: (out / name).read_bytes() for name in NAMES} == before
    assert not leftovers(out)
