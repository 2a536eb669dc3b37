"""Articles from JSON Lines and Parquet dumps: fields, dates, bad records."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest

from kg.corpus.build import build
from kg.extract.ner.rules import RuleRecognizer
from kg.extract.ingest import IngestError
from kg.extract.sources import Source, find_sources, normal_date, read_source, with_contents
from tests.conftest import SEEDS

RULES = RuleRecognizer()
UNDATED = SEEDS / "000_6c5f65b621f6c69c.txt"  # names a conference, no day and month
DATED = SEEDS / "004_1475deab2fd511b9.txt"  # its text dates the conference (2025-01-06)


def records() -> list[dict]:
    return [
        {"id": "a1", "text": UNDATED.read_text(encoding="utf-8"), "url": "https://example.org/a1", "date": "2024-05-01T08:00:00Z", "title": "Conference"},
        {"text": DATED.read_text(encoding="utf-8"), "date": "2025-02-03", "lang": "hi"},
    ]


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_jsonl_fields_make_the_document(tmp_path: Path) -> None:
    dump = write_jsonl(tmp_path / "news.jsonl", records())
    first, second = [read_source(s) for s in find_sources([dump])]
    assert (first.id, first.source_url, first.date, first.year, first.title) == ("a1", "https://example.org/a1", "2024-05-01", 2024, "Conference")
    assert first.path == f"{dump}:1" and first.text == UNDATED.read_text(encoding="utf-8")
    assert (second.id, second.lang, second.date, second.year) == ("news-2", "hi", "2025-02-03", 2025)


def test_a_given_date_dates_the_event_and_the_posts(tmp_path: Path) -> None:
    dump = write_jsonl(tmp_path / "news.jsonl", records())
    report = build([dump], tmp_path / "out", RULES)
    assert report.documents == 2 and not report.skipped
    docs = {d["doc"]: d for d in json.loads((tmp_path / "out" / "extraction.json").read_text(encoding="utf-8"))}
    event = next(e for e in docs["a1.txt"]["entities"] if e.get("attrs", {}).get("main") == "true")
    assert event["attrs"]["date"] == "2024-05-01"  # no date in the text: the article's
    dated = next(e for e in docs["news-2.txt"]["entities"] if e.get("attrs", {}).get("main") == "true")
    assert dated["attrs"]["date"] == "2025-01-06"  # the text's own date wins
    turtle = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert 'kg:statedOn "2024-05-01"^^xsd:date' in turtle
    assert '"2024"^^xsd:gYear' in turtle and "https://example.org/a1" in turtle


def test_bad_records_are_skipped_with_their_line(tmp_path: Path) -> None:
    dump = tmp_path / "news.jsonl"
    dump.write_text(json.dumps(records()[0]) + "\n{not json\n" + json.dumps({"id": "x"}) + "\n\n" + json.dumps({"text": "x", "date": "May 2024"}) + "\n[1]\n", encoding="utf-8")
    report = build([dump], tmp_path / "out", RULES)
    reasons = [s.reason for s in report.skipped]
    assert report.documents == 1
    assert reasons == [f"{dump}:2: not a JSON object (Expecting property name enclosed in double quotes)", f"{dump}:3: no text field", f"{dump}:5: date 'May 2024' is not an ISO date (YYYY-MM-DD)", f"{dump}:6: not a JSON object"]


def test_same_id_twice_keeps_the_first(tmp_path: Path) -> None:
    rows = records()
    rows[1]["id"] = "a1"
    report = build([write_jsonl(tmp_path / "news.jsonl", rows)], tmp_path / "out", RULES)
    assert report.documents == 1 and "same document id" in report.skipped[0].reason


def test_parquet_gives_the_graph_of_jsonl(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = records()
    pq.write_table(pa.Table.from_pylist([{k: r.get(k) for k in ("id", "text", "url", "date", "title", "lang")} for r in rows]), tmp_path / "news.parquet")
    build([write_jsonl(tmp_path / "news.jsonl", rows)], tmp_path / "a", RULES)
    build([tmp_path / "news.parquet"], tmp_path / "b", RULES)
    assert (tmp_path / "a" / "graph.ttl").read_bytes() == (tmp_path / "b" / "graph.ttl").read_bytes()


@pytest.mark.parametrize("value, expected", [("2024-05-01", "2024-05-01"), ("2024-05-01T08:00:00+07:00", "2024-05-01"), ("2024-05", "2024-05"), ("2024", "2024"), ("2024-05-01 08:00", "2024-05-01")])
def test_dates_are_cut_to_the_day(value: str, expected: str) -> None:
    assert normal_date(value) == expected


@pytest.mark.parametrize("value", ["05/01/2024", "2024-13-01", "2024-05-01x", "yesterday", "2025-02-30", "2023-02-29", "0000-01-01", "2024-04-31"])
def test_other_dates_are_refused(value: str) -> None:
    with pytest.raises(ValueError):
        normal_date(value)


def test_a_leap_day_is_a_date() -> None:
    assert normal_date("2024-02-29") == "2024-02-29"


def test_a_huge_bad_date_is_not_echoed_whole() -> None:
    with pytest.raises(ValueError) as error:
        normal_date("x" * 1_000_000)
    assert len(str(error.value)) < 200


def test_a_source_fingerprint_follows_its_content(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("x", encoding="utf-8")
    before = Source(str(article)).fingerprint()
    article.write_text("y", encoding="utf-8")
    assert Source(str(article)).fingerprint() != before
    assert Source(str(tmp_path / "missing.txt")).fingerprint() == ""


def test_a_jsonl_file_starting_with_a_byte_order_mark_reads_whole(tmp_path: Path) -> None:
    dump = tmp_path / "news.jsonl"
    dump.write_bytes(b"\xef\xbb\xbf" + "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records()).encode("utf-8"))
    documents = [read_source(s) for s in find_sources([dump])]
    assert [d.id for d in documents] == ["a1", "news-2"]


def test_a_record_over_the_article_limit_is_one_skipped_record(tmp_path: Path) -> None:
    from kg.extract.ingest import MAX_BYTES, IngestError

    rows = records()
    dump = tmp_path / "news.jsonl"
    with open(dump, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(rows[0], ensure_ascii=False) + "\n")
        handle.write(json.dumps({"id": "huge", "text": "क" * (MAX_BYTES + 10)}, ensure_ascii=False) + "\n")
        handle.write(json.dumps({"id": "big", "text": "क" * (MAX_BYTES // 2)}, ensure_ascii=False) + "\n")
        handle.write(json.dumps(rows[1], ensure_ascii=False) + "\n")
    sources = list(find_sources([dump]))
    assert [s.row for s in sources] == [1, 2, 3, 4]
    assert "limit" in sources[1].error
    with pytest.raises(IngestError, match="limit"):
        read_source(sources[2])  # under the line limit in characters, over it in bytes
    assert [read_source(s).id for s in (sources[0], sources[3])] == ["a1", "news-4"]  # ids by line


def test_a_junk_parquet_file_is_one_skipped_input_and_the_rest_builds(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from tests.conftest import SEEDS

    (tmp_path / "junk.parquet").write_bytes(b"PAR1 this is not parquet at all")
    report = build([SEEDS, tmp_path / "junk.parquet"], tmp_path / "out", RULES)
    assert report.documents == 5
    assert [s.reason for s in report.skipped if "junk.parquet" in s.reason and "Parquet" in s.reason]


def test_files_that_share_a_name_in_folders_of_their_own_are_all_built(tmp_path: Path) -> None:
    from tests.conftest import SEEDS

    corpus = tmp_path / "scraped"
    seeds = sorted(SEEDS.glob("*.txt"))
    for n, seed in enumerate(seeds, 1):
        (corpus / f"art{n}").mkdir(parents=True)
        (corpus / f"art{n}" / "index.txt").write_bytes(seed.read_bytes())
    report = build([corpus], tmp_path / "out", RULES)
    assert report.documents == len(seeds) and not report.skipped
    names = [r["doc"] for r in json.loads((tmp_path / "out" / "extraction.json").read_text(encoding="utf-8"))]
    assert sorted(names) == sorted(f"art{n}-index.txt" for n in range(1, len(seeds) + 1))
    build([corpus], tmp_path / "again", RULES)
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == (tmp_path / "again" / "graph.ttl").read_bytes()


def test_a_source_with_its_contents_reads_without_its_file(tmp_path: Path) -> None:
    """What a worker on another machine gets: the file's bytes travel with the source, which reads as the file did."""
    article = tmp_path / "a.txt"
    article.write_bytes(UNDATED.read_bytes())
    [source] = find_sources([tmp_path])
    shipped = pickle.loads(pickle.dumps(with_contents(source)))
    expected = read_source(source)
    article.unlink()
    assert read_source(shipped) == expected


def test_a_file_that_cannot_be_read_travels_as_its_reason(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    shipped = with_contents(Source(str(fifo)))
    assert shipped.raw is None and "pipe.txt" in shipped.error and "FIFO" in shipped.error
    with pytest.raises(IngestError, match="FIFO"):
        read_source(shipped)
