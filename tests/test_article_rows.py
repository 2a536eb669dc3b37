"""An article's rows, made where its record is made: plain values that link into the tables as the record does."""

from __future__ import annotations

import pickle
import zlib
from pathlib import Path

import pytest

from kg.corpus.article_rows import ArticleRows, ReadyArticle, article_rows, ready_article
from kg.corpus.engines import CACHED_ROWS, ROWS, ProcessEngine, SerialEngine, extract_source
from kg.corpus.records import loads
from kg.corpus.tables import CorpusTables
from kg.extract.article import ArticleRecord
from kg.extract.ner.rules import RuleRecognizer
from kg.extract.sources import Source
from tests.conftest import SEEDS

RULES = RuleRecognizer()
PLAIN = (tuple, list, dict, str, int, float, bool, bytes, type(None))


@pytest.fixture(scope="module")
def records() -> list[ArticleRecord]:
    found = [extract_source(Source(str(path)), RULES) for path in sorted(SEEDS.glob("*.txt"))]
    assert all(isinstance(record, ArticleRecord) for record in found)
    return found  # type: ignore[return-value]


def plain_values(value: object) -> bool:
    """Whether ``value`` is made of strings, numbers and containers only: what unpickles without building objects of kg's."""
    if isinstance(value, dict):
        return all(plain_values(k) and plain_values(v) for k, v in value.items())
    if isinstance(value, (tuple, list)):
        return all(plain_values(item) for item in value)
    return isinstance(value, PLAIN)


def table_rows(tables: CorpusTables) -> dict[str, list[tuple]]:
    """Every table's rows, in the order they were written where a table keeps one (its row ids)."""
    found = {}
    for name, sql in tables.db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall():
        order = "" if "WITHOUT ROWID" in sql else " ORDER BY rowid"
        found[name] = tables.db.execute(f"SELECT * FROM {name}{order}").fetchall()
    return found


def test_rows_are_plain_values(records: list[ArticleRecord]) -> None:
    all_rows = [article_rows(record) for record in records]
    for rows in all_rows:
        assert type(rows) is ArticleRows and plain_values(tuple(rows))
    assert any(slot[0] for rows in all_rows for slot in rows.slots)  # persons among them
    assert any(rows.relations for rows in all_rows)


def test_rows_sent_by_a_worker_link_the_tables_as_the_record_does(records: list[ArticleRecord], tmp_path: Path) -> None:
    from_records, from_rows = CorpusTables(tmp_path / "records.sqlite"), CorpusTables(tmp_path / "rows.sqlite")
    for record in records:
        from_records.add(record)
        from_rows.add_rows(pickle.loads(pickle.dumps(article_rows(record))))
    for tables in (from_records, from_rows):
        tables.link()
    assert table_rows(from_rows) == table_rows(from_records)
    assert table_rows(from_rows)["mention"]  # not two empty sets of tables
    for tables in (from_records, from_rows):
        tables.close()


@pytest.mark.parametrize("deliver", [ROWS, CACHED_ROWS])
def test_pool_workers_deliver_the_rows_and_cache_entry_this_process_would_make(records: list[ArticleRecord], deliver: str) -> None:
    sources = [(n, Source(str(path))) for n, path in enumerate(sorted(SEEDS.glob("*.txt")))]
    engine = ProcessEngine(RULES, 2)
    try:
        delivered = dict(engine.map(sources, deliver))
    finally:
        engine.close()
    serial = dict(SerialEngine(RULES).map(sources, deliver))
    for n, record in enumerate(records):
        ready = delivered[n]
        assert isinstance(ready, ReadyArticle)
        assert ready == serial[n] == ready_article(record, cached=deliver == CACHED_ROWS)
        assert (ready.doc_id, ready.path, ready.text_key) == (record.document.id, record.document.path, record.text_key)
        if deliver == CACHED_ROWS:
            assert loads(zlib.decompress(ready.cached)) == record
        else:
            assert ready.cached == b""
