"""Reading a build's extraction file as a stream: extraction.json (a list) and extraction.jsonl."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import kg.graph.extraction_file as extraction_file
from kg.graph.export import write_jsonl, write_records
from kg.graph.extraction_file import RecordError, beside, iter_values, jsonl_header, read_records, records_or_none

RECORDS = [
    {"doc": "a.txt", "lang": "hi", "entities": [{"id": "x", "type": "Person", "label": "Nguyen Van A", "mentions": ["न्गुयेन वान ए", "a]b,\n"]}], "relations": []},
    {"doc": "b.txt", "lang": "ar", "entities": [], "relations": [{"s": "x", "p": "attended", "o": "e", "evidence": [{"text": "}]", "doc_id": "b", "rule": "r", "confidence": 0.5}]}]},
    {"doc": "c.txt", "lang": "hi", "entities": [], "relations": []},
]


def written(tmp_path: Path, name: str, jsonl: bool = False) -> Path:
    handle = io.StringIO()
    if jsonl:
        write_jsonl(RECORDS, handle, jsonl_header(documents=len(RECORDS)))
    else:
        write_records(RECORDS, handle)
    path = tmp_path / name
    path.write_text(handle.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("chunk", [1, 3, 64, 1 << 20])
@pytest.mark.parametrize("jsonl", [False, True])
def test_records_read_back_whatever_the_read_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, jsonl: bool) -> None:
    # A tiny read size makes every record, string and number cross a read.
    monkeypatch.setattr(extraction_file, "CHUNK", chunk)
    path = written(tmp_path, "extraction.jsonl" if jsonl else "extraction.json", jsonl)
    assert list(read_records(path)) == RECORDS


def test_list_items_of_every_json_type_are_decoded_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extraction_file, "CHUNK", 2)
    values = [1, 23, -4.5e3, "a]", {"x": [1, 2]}, [], True, None, 12345678901234567890]
    path = tmp_path / "v.json"
    path.write_text(" \n" + json.dumps(values, indent=1) + "\n ", encoding="utf-8")
    assert list(iter_values(path)) == values


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[", "the list is not closed"),
        ('[{"doc": "a.txt", "entities": []} {"doc": "b.txt", "entities": []}]', "expected ',' or ']'"),
        ('[{"doc": "a.txt", "entities": []}] tail', "text after the list"),
        ('{"doc": "a.txt", "entities": []}', "expected a list of documents, got dict"),
        ("[]", "no documents"),
        ("", "not valid JSON"),
        ('[{"doc": 1, "entities": []}]', "'doc' is int, expected str"),
        ('{"kg": "extraction", "format": 1}\n{"doc": "a.txt", "entities": []}\n{"doc"', "not valid JSON Lines"),
    ],
)
def test_a_file_that_is_not_an_extraction_is_one_error_naming_it(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "extraction.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecordError) as error:
        list(read_records(path))
    assert str(error.value).startswith(str(path)) and says in str(error.value)


def test_undecodable_bytes_are_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "extraction.json"
    path.write_bytes(b'[{"doc": "\xff"}]')
    with pytest.raises(RecordError, match="not UTF-8 text"):
        list(read_records(path))


def test_the_extraction_beside_a_graph_is_the_json_or_else_the_jsonl(tmp_path: Path) -> None:
    graph = tmp_path / "graph.ttl"
    assert beside(graph) == tmp_path / "extraction.json"  # neither: the usual name
    written(tmp_path, "extraction.jsonl", jsonl=True)
    assert beside(graph) == tmp_path / "extraction.jsonl"
    assert beside(tmp_path) == tmp_path / "extraction.jsonl"
    assert records_or_none(beside(graph)) == RECORDS
    assert records_or_none(tmp_path / "missing.json") is None
