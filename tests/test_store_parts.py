"""kg.explore.store_parts: a file's parts read in bounded memory (runs written out and merged) are the parts read in one go."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.explore import store_parts
from kg.explore.store import current_store, load
from kg.explore.store_parts import GRAPH, SUBJECT, file_parts, write_parts
from kg.explore.store_update import changed_parts

ox = pytest.importorskip("pyoxigraph")


@pytest.fixture
def builds(seed_nquads_builds: dict[int, Path]) -> tuple[Path, Path, Path]:
    """N-Quads builds of four seed articles, of all five, and of one."""
    return seed_nquads_builds[4], seed_nquads_builds[5], seed_nquads_builds[1]


def everything(store_dir: Path) -> set[str]:
    return {str(quad) for quad in ox.Store.read_only(str(current_store(store_dir)))}


def listed(parts: store_parts.Parts) -> list[tuple[bytes, int, object]]:
    return [(key, digest, lines if isinstance(lines, int) else list(lines)) for key, digest, lines in parts]


def small_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_parts, "MAX_PARTS", 7)
    monkeypatch.setattr(store_parts, "MAX_LINES", 40)


@pytest.mark.parametrize("offsets", [True, False])
@pytest.mark.parametrize("processes", [1, 2])
def test_parts_written_out_in_runs_are_the_parts_held_in_one_dict(builds, monkeypatch: pytest.MonkeyPatch, offsets: bool, processes: int) -> None:
    _, five, _ = builds
    with file_parts(five / "graph.nq", offsets=offsets) as whole:
        expected = listed(whole)
        assert len(whole.sources) == 1  # a small file: no run
    small_runs(monkeypatch)
    monkeypatch.setattr(store_parts, "SPLIT_FROM", 0)
    with file_parts(five / "graph.nq", processes=processes, offsets=offsets) as spilled:
        assert len(spilled.sources) > 10
        assert spilled.lines == whole.lines
        assert listed(spilled) == expected
        assert listed(spilled) == expected  # read again (the store update reads them twice)
    keys = [key for key, _, _ in expected]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_parts_spilled_are_the_same_parts_none_held(builds) -> None:
    _, five, _ = builds
    with file_parts(five / "graph.nq") as parts:
        expected = listed(parts)
        parts.spill()
        assert parts.sources and all(isinstance(source, Path) for source in parts.sources)
        assert listed(parts) == expected


def test_closing_the_parts_removes_their_runs(builds, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _, five, _ = builds
    small_runs(monkeypatch)
    parts = file_parts(five / "graph.nq", folder=tmp_path)
    folder = next(source for source in parts.sources if isinstance(source, Path)).parent
    assert folder.parent == tmp_path and any(folder.iterdir())
    parts.close()
    assert not folder.exists()


def test_a_store_updated_from_parts_read_in_runs_is_what_a_full_load_makes(builds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    four, five, _ = builds
    small_runs(monkeypatch)
    assert load(four, tmp_path / "store").updated_parts is None
    assert load(five, tmp_path / "store").updated_parts
    load(five, tmp_path / "fresh")
    assert everything(tmp_path / "store") == everything(tmp_path / "fresh")
    assert not list(tmp_path.glob(".store.versions/kg-parts-*"))  # the runs, beside the store's versions, are gone


def test_parts_kept_through_a_full_load_let_the_next_load_update(builds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # One article to five changes most parts: the file is loaded whole, its parts (spilled out of memory meanwhile) recorded.
    four, five, one = builds
    small_runs(monkeypatch)
    load(one, tmp_path / "store")
    assert load(five, tmp_path / "store").updated_parts is None
    assert load(four, tmp_path / "store").updated_parts
    load(four, tmp_path / "fresh")
    assert everything(tmp_path / "store") == everything(tmp_path / "fresh")


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_changes_are_the_parts_new_gone_or_changed_and_none_past_the_limit(tmp_path: Path) -> None:
    old = write(tmp_path / "old.nq", [
        "<http://x/a> <http://x/p> <http://x/o> .",
        "<http://x/b> <http://x/p> <http://x/o> .",
        "<http://x/c> <http://x/p> <http://x/o> <http://x/g> .",
        "<http://x/d> <http://x/p> <http://x/o> .",
        "<http://x/z> <http://x/p> <http://x/o> .",
    ])
    new = write(tmp_path / "new.nq", [
        "<http://x/a> <http://x/p> <http://x/o> .",
        "<http://x/b> <http://x/p> <http://x/other> .",
        "<http://x/c> <http://x/p> <http://x/o> <http://x/g> .",
        "<http://x/e> <http://x/p> <http://x/o> .",
        "<http://x/e> <http://x/q> <http://x/o> .",
    ])
    with file_parts(old) as parts:
        write_parts(parts, tmp_path / "old-parts.sqlite")
    with file_parts(new) as parts:
        changes = changed_parts(parts, tmp_path / "old-parts.sqlite")
        assert changes is not None
        # (gone parts before a new one and after the last: both ends of the comparison)
        assert sorted(changes.keys) == [SUBJECT + b"<http://x/b>", SUBJECT + b"<http://x/d>", SUBJECT + b"<http://x/e>", SUBJECT + b"<http://x/z>"]
        assert GRAPH + b"<http://x/g>" not in changes.keys
        assert changes.lines == 2 + 1 + 2 + 1  # b in both files, d gone, e new, z gone
        with open(new, "rb") as handle:
            text = handle.read()
        assert sorted(text[offset : text.index(b"\n", offset)].decode() for offset in changes.offsets) == [
            "<http://x/b> <http://x/p> <http://x/other> .",
            "<http://x/e> <http://x/p> <http://x/o> .",
            "<http://x/e> <http://x/q> <http://x/o> .",
        ]
        assert changed_parts(parts, tmp_path / "old-parts.sqlite", most=5) is None
