"""A build that only adds articles splices graph.ttl and extraction.json from the last build's, and they are a full build's bytes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kg.corpus import merged, spliced
from kg.corpus.build import build
from kg.corpus.changes import attach, find_changes
from kg.graph.splice import NotSpliceable
from tests.test_cache import outputs
from tests.test_kept import RULES, full_build, hold_back, put_back

BOTH = ["extraction.json", "graph.ttl"]


@pytest.mark.parametrize("first", [1, 3, 4])
def test_added_articles_are_spliced_into_a_full_builds_bytes(seed_corpus: Path, tmp_path: Path, first: int) -> None:
    moved = hold_back(seed_corpus, tmp_path, slice(first, None))
    cache = tmp_path / "cache"
    assert build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache).spliced == []  # nothing to splice from
    put_back(seed_corpus, moved)
    added = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    assert (added.kept, added.spliced) == (first, BOTH)
    assert outputs(tmp_path / "out") == full_build(seed_corpus, tmp_path / "full")
    assert added.triples == build([seed_corpus], tmp_path / "again", RULES).triples


def test_one_article_at_a_time(seed_corpus: Path, tmp_path: Path) -> None:
    held = hold_back(seed_corpus, tmp_path, slice(1, None))
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache, formats=("turtle", "nq"))
    for article in held:
        put_back(seed_corpus, [article])
        report = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache, formats=("turtle", "nq"))
        assert report.spliced == BOTH  # graph.nq is written whole
        full = tmp_path / f"full-{article.stem}"
        build([seed_corpus], full, RULES, formats=("turtle", "nq"))
        assert outputs(tmp_path / "out") == outputs(full)
        assert (tmp_path / "out" / "graph.nq").read_bytes() == (full / "graph.nq").read_bytes()


def test_the_changes_are_what_the_added_article_touched(seed_corpus: Path, tmp_path: Path) -> None:
    moved = hold_back(seed_corpus, tmp_path, slice(4, None))
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    base = tmp_path / "base.sqlite"
    base.write_bytes((cache / merged.MERGED).read_bytes())
    put_back(seed_corpus, moved)
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    db = attach(cache / merged.MERGED, base)
    try:
        changes = find_changes(db)
        last = db.execute("SELECT id FROM main.document ORDER BY doc DESC LIMIT 1").fetchone()[0]
        named = {i for (i,) in db.execute("SELECT id FROM main.doc_entity WHERE doc_id = ?", (last,))}
        (added_rows,) = db.execute("SELECT COUNT(*) FROM main.relation r JOIN main.document d ON d.doc = r.doc WHERE d.id = ?", (last,)).fetchone()
    finally:
        db.close()
    assert (changes.documents, changes.added) == (4, [last])
    assert named <= changes.entities  # each entity it names appears in one more article
    assert len(changes.relations) >= added_rows > 0
    assert changes.records <= changes.rows <= changes.entities


def test_outputs_changed_by_hand_are_written_whole(seed_corpus: Path, tmp_path: Path) -> None:
    moved = hold_back(seed_corpus, tmp_path, slice(4, None))
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    turtle = (tmp_path / "out" / "graph.ttl").resolve()
    turtle.write_text(turtle.read_text(encoding="utf-8") + "# a note\n", encoding="utf-8")
    put_back(seed_corpus, moved)
    added = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    assert (added.kept, added.spliced) == (4, [])
    assert outputs(tmp_path / "out") == full_build(seed_corpus, tmp_path / "full")


@pytest.mark.parametrize("damage", ["garbage", "another build", "missing"])
def test_a_damaged_or_foreign_base_is_not_spliced_from(seed_corpus: Path, tmp_path: Path, damage: str) -> None:
    moved = hold_back(seed_corpus, tmp_path, slice(4, None))
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    path = cache / merged.MERGED
    if damage == "garbage":
        path.write_bytes(b"not a database" * 100)
    elif damage == "another build":
        with sqlite3.connect(path) as db:
            db.execute("UPDATE merged_base SET key = 'another'")
        db.close()
    else:
        path.unlink()
    put_back(seed_corpus, moved)
    added = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    assert (added.kept, added.spliced) == (4, [])
    assert outputs(tmp_path / "out") == full_build(seed_corpus, tmp_path / "full")


def test_a_part_that_cannot_be_spliced_has_the_files_written_whole(seed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    moved = hold_back(seed_corpus, tmp_path, slice(3, None))
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    put_back(seed_corpus, moved)

    def refuse(*args: object) -> None:
        raise NotSpliceable("a block is not the one the last build wrote")

    monkeypatch.setattr(spliced, "records_plan", refuse)
    added = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    assert (added.kept, added.spliced) == (3, [])
    assert outputs(tmp_path / "out") == full_build(seed_corpus, tmp_path / "full")


def test_a_build_that_adds_nothing_keeps_no_stale_base(seed_corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    hold_back(seed_corpus, tmp_path, slice(4, None))  # the last article removed: built from the first
    removed = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    assert (removed.kept, removed.spliced) == (0, [])
    db = sqlite3.connect(cache / merged.MERGED)
    try:
        assert db.execute("SELECT COUNT(*) FROM document").fetchone() == (4,)  # the base is this build's now
    finally:
        db.close()


@pytest.mark.parametrize("again", [2, 4])
def test_an_added_report_of_an_earlier_event_changes_the_earlier_records(seed_corpus: Path, tmp_path: Path, again: int) -> None:
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    base = tmp_path / "base.sqlite"
    base.write_bytes((cache / merged.MERGED).read_bytes())
    earlier = sorted(seed_corpus.glob("*.txt"))[again]
    (seed_corpus / "zz-again.txt").write_text(earlier.read_text(encoding="utf-8") + "\nअतिरिक्त पंक्ति।\n", encoding="utf-8")  # sorts last
    added = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    db = attach(cache / merged.MERGED, base)
    try:
        changes = find_changes(db)
    finally:
        db.close()
    assert any(entity_id.startswith(f"e-{earlier.stem.replace('_', '-')}") for entity_id in changes.records)  # the earlier event is reported twice now
    assert (added.kept, added.spliced) == (5, BOTH)
    assert outputs(tmp_path / "out") == full_build(seed_corpus, tmp_path / "full")


@pytest.mark.parametrize("formats", [("turtle",), ("turtle", "nq", "jsonl")])
def test_a_helper_writes_the_other_files_while_this_process_splices(seed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, formats: tuple[str, ...]) -> None:
    from kg.corpus import writers
    from tests.test_writers import TwoWorkers, files

    moved = hold_back(seed_corpus, tmp_path, slice(3, None))
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache, formats=formats)
    put_back(seed_corpus, moved)
    monkeypatch.setattr(writers, "HELPED_FROM", 1)
    steps: list[str] = []
    added = build([seed_corpus], tmp_path / "out", RULES, engine=TwoWorkers(RULES), cache_dir=cache, formats=formats, stage=steps.append)
    spliceable = ["graph.ttl", "extraction.jsonl" if "jsonl" in formats else "extraction.json"]
    assert added.spliced == sorted(spliceable)
    assert [s for s in steps if s.startswith("splicing")] == [f"splicing {name}" for name in spliceable]
    monkeypatch.setattr(writers, "HELPED_FROM", 10**9)
    build([seed_corpus], tmp_path / "full", RULES, formats=formats)
    assert files(tmp_path / "out") == files(tmp_path / "full")
    assert not list((tmp_path / "out" / ".current").glob(".claim-*"))


@pytest.mark.parametrize("formats", [("nt", "jsonl"), ("turtle", "jsonl")])
def test_json_lines_are_spliced_too(seed_corpus: Path, tmp_path: Path, formats: tuple[str, ...]) -> None:
    from tests.test_writers import files

    moved = hold_back(seed_corpus, tmp_path, slice(2, None))
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache, formats=formats)
    put_back(seed_corpus, moved)
    added = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache, formats=formats)
    assert added.spliced == sorted(["extraction.jsonl"] + (["graph.ttl"] if "turtle" in formats else []))
    build([seed_corpus], tmp_path / "full", RULES, formats=formats)
    assert files(tmp_path / "out") == files(tmp_path / "full")


def test_an_added_copy_of_an_earlier_article_changes_nothing(seed_corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    before = outputs(tmp_path / "out")
    first = sorted(seed_corpus.glob("*.txt"))[0]
    (seed_corpus / "zz-copy.txt").write_bytes(first.read_bytes())  # the same text under a name that sorts last: counted once
    again = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    assert (again.kept, again.documents, again.spliced) == (5, 5, BOTH)
    assert any("the same text as" in warning for warning in again.warnings)
    assert outputs(tmp_path / "out") == before


def test_a_build_with_judgements_splices_as_they_merge(seed_corpus: Path, tmp_path: Path) -> None:
    from kg.corpus.judgements import parse_judgements

    judgements = parse_judgements("lao-cai-provincial-party-committee same lao-cai-provincial-party-standing-committee\n")
    moved = hold_back(seed_corpus, tmp_path, slice(3, None))
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache, judgements=judgements)
    put_back(seed_corpus, moved)
    added = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache, judgements=judgements)
    assert (added.kept, added.spliced) == (3, BOTH)
    build([seed_corpus], tmp_path / "full", RULES, judgements=judgements)
    assert outputs(tmp_path / "out") == outputs(tmp_path / "full") != full_build(seed_corpus, tmp_path / "unjudged")  # the judgement merged two bodies
