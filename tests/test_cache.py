"""The article cache: hits, misses, invalidation, and incremental builds equal to full builds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.corpus.build import build
from kg.corpus.cache import ArticleCache, ExtractorVersion
from kg.extract.ner.rules import RuleRecognizer
from kg.extract.resources import resource_dir
from kg.extract.sources import Source

RULES = RuleRecognizer()
OUTPUTS = ("graph.ttl", "graph.html", "extraction.json")


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def without_kept(cache: Path) -> Path:
    """The cache folder without the last build's linked tables (kg.corpus.kept), which would spare the next build reading the article cache."""
    from kg.corpus.kept import KEPT

    (cache / KEPT).unlink()
    return cache


def test_second_build_is_all_hits_and_the_same_bytes(seed_corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = build([seed_corpus], tmp_path / "a", RULES, cache_dir=cache)
    second = build([seed_corpus], tmp_path / "b", RULES, cache_dir=without_kept(cache))
    assert (first.extracted, first.cached) == (5, 0)
    assert (second.extracted, second.cached, second.kept) == (0, 5, 0)
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")


def test_a_changed_article_is_extracted_again(seed_corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "a", RULES, cache_dir=cache)
    article = sorted(seed_corpus.glob("*.txt"))[2]
    article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = build([seed_corpus], tmp_path / "b", RULES, cache_dir=cache)
    assert (again.extracted, again.cached) == (1, 4)


def test_incremental_build_equals_full_build_byte_for_byte(seed_corpus: Path, tmp_path: Path) -> None:
    extra = sorted(seed_corpus.glob("*.txt"))[0]
    held_back = tmp_path / "held"
    held_back.mkdir()
    shutil.move(str(extra), held_back / extra.name)
    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    shutil.move(str(held_back / extra.name), seed_corpus / extra.name)  # one article added (the oldest id sorts first)
    incremental = build([seed_corpus], tmp_path / "out", RULES, cache_dir=cache)
    assert (incremental.extracted, incremental.cached) == (1, 4)
    build([seed_corpus], tmp_path / "full", RULES)
    assert outputs(tmp_path / "out") == outputs(tmp_path / "full")


def test_a_changed_resource_invalidates_its_language_only(seed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    resources = tmp_path / "resources"
    shutil.copytree(resource_dir(), resources)
    monkeypatch.setattr("kg.extract.resources.resource_dir", lambda: resources)
    sources = [Source(str(p)) for p in sorted(seed_corpus.glob("*.txt"))]
    from kg.corpus.engines import extract_source

    records = [extract_source(s, RULES) for s in sources]
    langs = [r.document.lang for r in records]
    assert {"hi", "ar"} <= set(langs)
    with ArticleCache(tmp_path / "cache", ExtractorVersion(RULES)) as cache:
        for source, record in zip(sources, records):
            cache.put(source.fingerprint(), record)
    with ArticleCache(tmp_path / "cache", ExtractorVersion(RULES)) as cache:
        assert all(cache.get(s.fingerprint()) is not None for s in sources)
    titles = resources / "hi" / "titles.tsv"
    titles.write_text(titles.read_text(encoding="utf-8") + "# a comment changes the file\n", encoding="utf-8")
    with ArticleCache(tmp_path / "cache", ExtractorVersion(RULES)) as cache:
        hits = [cache.get(s.fingerprint()) is not None for s in sources]
    assert hits == [lang != "hi" for lang in langs]


def test_code_and_recogniser_are_part_of_the_version() -> None:
    class Other:
        name = "other"
        description = "another recogniser"

    rules, other = ExtractorVersion(RULES), ExtractorVersion(Other())
    assert rules("hi") != other("hi") and rules("hi") != rules("ar")
    assert rules("hi") == ExtractorVersion(RuleRecognizer())("hi")


def test_a_damaged_entry_is_a_miss(seed_corpus: Path, tmp_path: Path) -> None:
    import sqlite3

    build([seed_corpus], tmp_path / "a", RULES, cache_dir=tmp_path / "cache")
    db = sqlite3.connect(tmp_path / "cache" / "articles.sqlite")
    db.execute("UPDATE articles SET record = x'00'")
    db.commit()
    db.close()
    again = build([seed_corpus], tmp_path / "b", RULES, cache_dir=without_kept(tmp_path / "cache"))
    assert again.extracted == 5
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")


def test_a_record_reads_back_as_data_equal_to_what_was_stored(seed_corpus: Path) -> None:
    from kg.corpus.engines import extract_source
    from kg.corpus.records import dumps, loads

    for path in sorted(seed_corpus.glob("*.txt")):
        record = extract_source(Source(str(path)), RULES).without_text()
        assert loads(dumps(record)) == record


def test_a_tampered_row_never_runs_code(seed_corpus: Path, tmp_path: Path) -> None:
    import pickle
    import sqlite3
    import zlib

    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):  # noqa: ANN204 - what a tampered pickle row would carry
            return (Path.touch, (marker,))

    build([seed_corpus], tmp_path / "a", RULES, cache_dir=tmp_path / "cache")
    db = sqlite3.connect(tmp_path / "cache" / "articles.sqlite")
    db.execute("UPDATE articles SET record = ?", (zlib.compress(pickle.dumps(Payload())),))
    db.commit()
    db.close()
    again = build([seed_corpus], tmp_path / "b", RULES, cache_dir=without_kept(tmp_path / "cache"))
    assert not marker.exists()
    assert again.extracted == 5 and outputs(tmp_path / "a") == outputs(tmp_path / "b")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "folder", "other-layout"])
def test_a_damaged_cache_is_set_aside_and_the_build_goes_on(seed_corpus: Path, tmp_path: Path, damage: str) -> None:
    import sqlite3

    cache = tmp_path / "cache"
    build([seed_corpus], tmp_path / "a", RULES, cache_dir=cache)
    without_kept(cache)
    path = cache / "articles.sqlite"
    for extra in cache.glob("articles.sqlite-*"):
        extra.unlink()
    if damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:1000])
    elif damage == "folder":
        path.unlink()
        path.mkdir()
    else:
        path.unlink()
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE articles (id INTEGER, payload TEXT)")
        db.commit()
        db.close()
    report = build([seed_corpus], tmp_path / "b", RULES, cache_dir=cache)
    assert report.extracted == 5 and outputs(tmp_path / "a") == outputs(tmp_path / "b")
    assert any("articles.sqlite" in w and "cache" in w for w in report.warnings)
    if damage != "folder":  # started anew: the next build is all hits
        assert build([seed_corpus], tmp_path / "c", RULES, cache_dir=without_kept(cache)).cached == 5


def test_a_cache_that_cannot_be_written_leaves_the_build_whole(seed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    connect = sqlite3.connect

    class FullDisk:
        """A connection to the cache whose writes fail as on a full disk."""

        def __new__(cls, path: object, **options: object):  # noqa: ANN204
            if not str(path).endswith("articles.sqlite"):  # the build's own scratch tables are not the cache
                return connect(path, **options)  # type: ignore[arg-type]
            return super().__new__(cls)

        def __init__(self, path: object) -> None:
            self.db = connect(path)  # type: ignore[arg-type]

        def execute(self, sql: str, *args: object):  # noqa: ANN201
            if sql.startswith("INSERT"):
                raise sqlite3.OperationalError("database or disk is full")
            return self.db.execute(sql, *args)

        def commit(self) -> None:
            self.db.commit()

        def close(self) -> None:
            self.db.close()

    monkeypatch.setattr("kg.corpus.cache.sqlite3.connect", FullDisk)
    report = build([seed_corpus], tmp_path / "b", RULES, cache_dir=tmp_path / "cache")
    build([seed_corpus], tmp_path / "a", RULES)
    assert report.extracted == 5 and outputs(tmp_path / "a") == outputs(tmp_path / "b")
    assert [w for w in report.warnings if "cannot be written" in w and "disk is full" in w]


def test_a_rebuild_with_nothing_changed_keeps_the_outputs_without_work(seed_corpus: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build([seed_corpus], out, RULES, cache_dir=cache)
    written = {name: ((out / name).resolve(), (out / name).stat().st_mtime_ns) for name in OUTPUTS}
    again = build([seed_corpus], out, RULES, cache_dir=cache)
    assert again.unchanged and (again.extracted, again.cached) == (0, 5)
    assert (again.documents, again.entities, again.relations, again.triples) == (first.documents, first.entities, first.relations, first.triples)
    assert {name: ((out / name).resolve(), (out / name).stat().st_mtime_ns) for name in OUTPUTS} == written  # not rewritten


@pytest.mark.parametrize("change", ["article", "output", "judgement", "format", "other-out"])
def test_any_change_is_a_full_build_again(seed_corpus: Path, tmp_path: Path, change: str) -> None:
    from kg.corpus.judgements import Judgement

    out, cache = tmp_path / "out", tmp_path / "cache"
    build([seed_corpus], out, RULES, cache_dir=cache)
    judgements: list[Judgement] = []
    formats: tuple[str, ...] = ("turtle",)
    if change == "article":
        article = sorted(seed_corpus.glob("*.txt"))[1]
        article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif change == "output":
        (out / "graph.html").unlink()  # a reader removed or replaced an output by hand
    elif change == "judgement":
        judgements = [Judgement("a", "different", "b")]
    elif change == "format":
        formats = ("turtle", "nt")
    else:
        out = tmp_path / "elsewhere"
    again = build([seed_corpus], out, RULES, cache_dir=cache, judgements=judgements, formats=formats)
    assert not again.unchanged
    assert all((out / name).is_file() for name in OUTPUTS)


def test_without_the_cache_every_build_is_a_full_one(seed_corpus: Path, tmp_path: Path) -> None:
    build([seed_corpus], tmp_path / "out", RULES)
    assert not build([seed_corpus], tmp_path / "out", RULES).unchanged


def test_unchanged_files_are_not_read_again_and_a_touched_one_is(seed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from kg.corpus import unchanged

    out, cache = tmp_path / "out", tmp_path / "cache"
    build([seed_corpus], out, RULES, cache_dir=cache)
    monkeypatch.setattr(unchanged, "RACY_NS", 0)  # as if the last build stamped its files long ago
    read: list[str] = []
    real = Source.fingerprint
    monkeypatch.setattr(Source, "fingerprint", lambda self: read.append(self.path) or real(self))
    assert build([seed_corpus], out, RULES, cache_dir=cache).unchanged and read == []
    touched = sorted(seed_corpus.glob("*.txt"))[0]
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns - 10**9))
    assert build([seed_corpus], out, RULES, cache_dir=cache).unchanged  # read again: the same bytes
    assert read == [str(touched)]
    assert build([seed_corpus], out, RULES, cache_dir=cache).unchanged and read == [str(touched)]  # its new stamp was kept


@pytest.mark.parametrize("damage", ['{"format": "kg-last-build/1", "key": 3}', "not json", '{"format": "kg-last-build/1", "files": {"x": "y"}}'])
def test_a_damaged_last_build_record_means_a_full_build(seed_corpus: Path, tmp_path: Path, damage: str) -> None:
    from kg.corpus.unchanged import MANIFEST

    out, cache = tmp_path / "out", tmp_path / "cache"
    build([seed_corpus], out, RULES, cache_dir=cache)
    (cache / MANIFEST).write_text(damage, encoding="utf-8")
    again = build([seed_corpus], out, RULES, cache_dir=cache)
    assert not again.unchanged and again.documents == 5
    assert build([seed_corpus], out, RULES, cache_dir=cache).unchanged  # the record was written whole again


def test_an_article_changed_while_the_build_reads_it_is_read_again_next_time(seed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stamps are taken before the files are read: a change during the build is not taken for the bytes read."""
    import os

    from kg.corpus import unchanged

    monkeypatch.setattr(unchanged, "RACY_NS", 0)
    article = sorted(seed_corpus.glob("*.txt"))[1]
    text = article.read_text(encoding="utf-8")
    real = Source.fingerprint

    def read_then_edit(self: Source) -> str:
        fingerprint = real(self)
        if self.path == str(article) and article.read_text(encoding="utf-8") == text:
            stat = article.stat()
            edited = text.replace("।", "॥", 1) if "।" in text else text.replace(".", ",", 1)
            assert edited != text and len(edited.encode()) == len(text.encode())
            article.write_text(edited, encoding="utf-8")  # the same size
            os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns - 5 * 10**9))  # and an older time
        return fingerprint

    monkeypatch.setattr(Source, "fingerprint", read_then_edit)
    build([seed_corpus], tmp_path / "out", RULES, cache_dir=tmp_path / "cache")
    monkeypatch.setattr(Source, "fingerprint", real)
    again = build([seed_corpus], tmp_path / "out", RULES, cache_dir=tmp_path / "cache")
    assert not again.unchanged and again.extracted == 1


def test_the_same_weights_in_another_folder_are_the_same_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """kg installed elsewhere (another checkout, another environment) keeps its cache: files count by name and content, not by where they are."""
    from kg.corpus import cache
    from kg.extract.decide.weights import SHIPPED

    here = ExtractorVersion(RULES)("hi")
    moved = tmp_path / "elsewhere" / SHIPPED.name
    moved.parent.mkdir()
    shutil.copy(SHIPPED, moved)
    monkeypatch.setattr(cache, "relation_model_files", lambda: [moved])
    assert ExtractorVersion(RULES)("hi") == here
    moved.write_text(moved.read_text(encoding="utf-8").replace("{", "{ ", 1), encoding="utf-8")  # other weights
    assert ExtractorVersion(RULES)("hi") != here
