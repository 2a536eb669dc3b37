"""A build that only adds articles takes up the last build's linked tables, and its outputs are a full build's bytes."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from kg.corpus import kept
from kg.corpus.build import build
from kg.extract.ner.rules import RuleRecognizer

from tests.test_cache import outputs

RULES = RuleRecognizer()


def hold_back(seed_corpus: Path, tmp_path: Path, which: slice) -> list[Path]:
    """Move the articles ``which`` (in corpus order) out of the corpus; returns where they went."""
    held = tmp_path / "held"
    held.mkdir(exist_ok=True)
    moved = []
    for article in sorted(seed_corpus.glob("*.txt"))[which]:
        moved.append(Path(shutil.move(str(article), held / article.name)))
    return moved


def put_back(seed_corpus: Path, moved: list[Path]) -> None:
    for article in moved:
        shutil.move(str(article), seed_corpus / article.name)


def full_build(seed_corpus: Path, out: Path) -> dict[str, bytes]:
    build([seed_corpus], out, RULES)
    return outputs(out)


def test_articles_added_after_the_last_build_are_all_that_is_read(seed_corpus: Path, tmp_path: Path) -> None:
    moved = hold_back(seed_corpus, tmp_path, slice(3, None))
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    put_back(seed_corpus, moved)
    added = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    assert (added.kept, added.extracted, added.cached, added.documents) == (3, 2, 0, 5)
    assert outputs(tmp_path / "out") == full_build(seed_corpus, tmp_path / "full")


def test_an_article_added_before_the_last_one_builds_from_the_first(seed_corpus: Path, tmp_path: Path) -> None:
    moved = hold_back(seed_corpus, tmp_path, slice(0, 1))
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    put_back(seed_corpus, moved)
    inserted = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    assert (inserted.kept, inserted.extracted, inserted.cached) == (0, 1, 4)
    assert outputs(tmp_path / "out") == full_build(seed_corpus, tmp_path / "full")


def test_a_changed_article_builds_from_the_first(seed_corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    article = sorted(seed_corpus.glob("*.txt"))[2]
    article.write_text(article.read_text(encoding="utf-8") + "\nअतिरिक्त पंक्ति।\n", encoding="utf-8")
    changed = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    assert (changed.kept, changed.extracted, changed.cached) == (0, 1, 4)  # the tables are kept as they stood after the last article only
    assert outputs(tmp_path / "out") == full_build(seed_corpus, tmp_path / "full")


def test_a_removed_article_builds_from_the_first(seed_corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    hold_back(seed_corpus, tmp_path, slice(4, None))  # the last: the others are a prefix of the kept tables, not the other way round
    removed = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    assert (removed.kept, removed.cached, removed.documents) == (0, 4, 4)
    assert outputs(tmp_path / "out") == full_build(seed_corpus, tmp_path / "full")


def test_tables_kept_by_another_kg_are_not_taken(seed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "a", RULES, cache_dir=cache)
    monkeypatch.setattr(kept, "package_digest", lambda: "another kg")
    assert build([seed_corpus], tmp_path / "b", RULES, cache_dir=cache).kept == 0


@pytest.mark.parametrize("damage", ["garbage", "no-state", "empty-state"])
def test_damaged_kept_tables_are_ignored(seed_corpus: Path, tmp_path: Path, damage: str) -> None:
    moved = hold_back(seed_corpus, tmp_path, slice(4, None))
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    path = cache / kept.KEPT
    if damage == "garbage":
        path.write_bytes(b"not a database" * 100)
    else:  # its key says it holds the articles, but what linking keeps in memory is gone
        db = sqlite3.connect(path)
        db.execute("DROP TABLE linking" if damage == "no-state" else "DELETE FROM linking")
        db.commit()
        db.close()
    put_back(seed_corpus, moved)
    again = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    assert (again.kept, again.cached, again.extracted) == (0, 4, 1)
    assert outputs(tmp_path / "out") == full_build(seed_corpus, tmp_path / "full")


def test_a_build_that_could_not_read_a_source_keeps_no_tables(seed_corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (seed_corpus / "zz-empty.txt").write_text("", encoding="utf-8")  # sorts last; skipped as empty
    report = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    assert report.skipped and not (cache / kept.KEPT).exists()


def test_warnings_of_the_kept_articles_are_given_again(seed_corpus: Path, tmp_path: Path) -> None:
    first = sorted(seed_corpus.glob("*.txt"))[0]
    shutil.copy(first, seed_corpus / (first.stem + "-copy.txt"))  # the same text under a second name, sorted right after it
    moved = hold_back(seed_corpus, tmp_path, slice(5, None))
    cache = tmp_path / "cache"
    before = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    put_back(seed_corpus, moved)
    after = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    same_text = [w for w in before.warnings if "the same text as" in w]
    assert same_text and after.kept == 5
    assert [w for w in after.warnings if "the same text as" in w] == same_text


def test_a_build_of_the_same_articles_elsewhere_takes_them_all_and_copies_nothing_back(seed_corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "a", RULES, cache_dir=cache)
    stamp = (cache / kept.KEPT).stat().st_mtime_ns
    again = build([seed_corpus], tmp_path / "b", RULES, cache_dir=cache)  # another output folder: not "nothing changed"
    assert (again.kept, again.extracted, again.cached, again.unchanged) == (5, 0, 0, False)
    assert (cache / kept.KEPT).stat().st_mtime_ns == stamp
    assert outputs(tmp_path / "b") == outputs(tmp_path / "a")
