"""Splicing a file of the last build: blocks of graph.ttl found by subject, records of extraction.json by number, the rest copied."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from kg.graph import splice
from kg.graph.export import record_line, record_text, write_jsonl, write_records
from kg.graph.splice import NotSpliceable, lines_plan, records_plan, turtle_plan
from kg.graph.turtle import serialize_turtle
from kg.graph.turtle_stream import sort_string, subject_blocks

ID = "https://w3id.org/kg-vn/id/"
LABEL = (0, "http://www.w3.org/2000/01/rdf-schema#label")
TYPE = (0, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PERSON = (0, "https://w3id.org/kg-vn/ontology#Person")


def entity(name: str) -> tuple:
    return (0, ID + name)


def graph(names: dict[str, str]) -> set[tuple]:
    """A small graph: each name a person with a label (and an IRI that Turtle writes whole when it holds a dot)."""
    triples = set()
    for name, label in names.items():
        triples.add((entity(name), TYPE, PERSON))
        triples.add((entity(name), LABEL, (2, label, "", "")))
    return triples


def written(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode())
    return path


def spliced(plan: splice.Plan, tmp_path: Path) -> bytes:
    target = tmp_path / "new"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        plan.write(fd)
    finally:
        os.close(fd)
    return target.read_bytes()


def changes_between(before: set[tuple], after: set[tuple]) -> list[tuple[str, str | None, str | None]]:
    subjects = {s[1] for s, _, _ in before ^ after}
    was, now = subject_blocks(before, subjects), subject_blocks(after, subjects)
    return [(sort_string((0, s)), was.get(s, (None,))[0], now.get(s, (None,))[0]) for s in sorted(subjects, key=lambda s: sort_string((0, s)))]


OLD = {"b-hai": "Hai", "d-bon": "Bon", "f-sau": "Sau", "h.tam": "Tam", "k-muoi": "Muoi"}


@pytest.mark.parametrize(
    "new",
    [
        {**OLD, "a-mot": "Mot"},  # before the first block
        {**OLD, "c-ba": "Ba"},  # between two
        {**OLD, "z-cuoi": "Cuoi"},  # after the last
        {**OLD, "f-sau": "Sau moi"},  # a block changed
        {k: v for k, v in OLD.items() if k != "d-bon"},  # a block gone
        {k: v for k, v in OLD.items() if k != "k-muoi"},  # the last block gone
        {**{k: v for k, v in OLD.items() if k != "b-hai"}, "h.tam": "Tam\nhai dong", "a-mot": "Mot", "i-chin": "Chin"},  # several at once
        {},  # every block gone
    ],
)
def test_a_spliced_graph_is_the_graph_written_whole(tmp_path: Path, new: dict[str, str]) -> None:
    before, after = graph(OLD), graph(new)
    old = written(tmp_path, "graph.ttl", serialize_turtle(before))
    assert spliced(turtle_plan(old, changes_between(before, after)), tmp_path) == serialize_turtle(after).encode()


@pytest.mark.parametrize("chunk", [1, 2, 5])
def test_blocks_are_found_reading_the_file_a_few_bytes_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """The old file is read where the search asks, in chunks: a blank line cut by a chunk's end is still found."""
    monkeypatch.setattr(splice.FileBytes, "FIND_CHUNK", chunk)
    before = graph(OLD)
    after = graph({**{k: v for k, v in OLD.items() if k != "b-hai"}, "c-ba": "Ba", "z-cuoi": "Cuoi"})
    old = written(tmp_path, "graph.ttl", serialize_turtle(before))
    assert spliced(turtle_plan(old, changes_between(before, after)), tmp_path) == serialize_turtle(after).encode()
    data = old.read_bytes()
    with open(old, "rb") as handle:
        file = splice.FileBytes(handle.fileno())
        assert len(file) == len(data) and file[3:40] == data[3:40] and file[len(data) - 5 :] == data[-5:]
        for pattern in (b"\n\n", b"\n", b"Muoi"):
            starts = range(len(data) + 2)
            assert [file.find(pattern, start) for start in starts] == [data.find(pattern, start) for start in starts]


def test_unchanged_blocks_are_copied_not_written(tmp_path: Path) -> None:
    before = graph(OLD)
    after = graph({**OLD, "c-ba": "Ba"})
    old = written(tmp_path, "graph.ttl", serialize_turtle(before))
    plan = turtle_plan(old, changes_between(before, after))
    new_bytes = b"".join(piece for piece in plan.pieces if isinstance(piece, bytes))
    assert b"Ba" in new_bytes and b"Hai" not in new_bytes and b"Muoi" not in new_bytes


def test_a_block_not_as_the_last_build_wrote_it_is_not_spliced(tmp_path: Path) -> None:
    before = graph(OLD)
    old = written(tmp_path, "graph.ttl", serialize_turtle(before).replace('"Bon"', '"Bon, edited"'))
    with pytest.raises(NotSpliceable):
        turtle_plan(old, changes_between(before, graph({**OLD, "d-bon": "Bon moi"})))
    with pytest.raises(NotSpliceable):  # said to be new, but there already
        turtle_plan(old, [(sort_string(entity("f-sau")), None, "id:f-sau\n    a kg:Person .")])
    with pytest.raises(NotSpliceable):  # said to be there, but missing
        turtle_plan(old, [(sort_string(entity("c-ba")), "id:c-ba\n    a kg:Person .", None)])
    with pytest.raises(NotSpliceable):  # not a graph.ttl of this kg
        turtle_plan(written(tmp_path, "other.ttl", "@prefix ex: <http://example.org/> .\n"), [])


RECORDS = [{"doc": f"d{i}.txt", "entities": [{"id": f"e{i}", "mentions": ["x", "y"]}], "relations": []} for i in range(4)]


def json_text(records: list[dict]) -> str:
    handle = io.StringIO()
    write_records(records, handle)
    return handle.getvalue()


@pytest.mark.parametrize("changed, added", [({}, 1), ({0: "first"}, 0), ({3: "last"}, 2), ({1: "a", 2: "b"}, 3)])
def test_spliced_records_are_the_records_written_whole(tmp_path: Path, changed: dict[int, str], added: int) -> None:
    old = written(tmp_path, "extraction.json", json_text(RECORDS))
    new = [dict(r, doc=changed.get(i, r["doc"])) for i, r in enumerate(RECORDS)]
    extra = [{"doc": f"new{i}.txt", "entities": [], "relations": []} for i in range(added)]
    replaced = {i: (record_text(RECORDS[i]), record_text(new[i])) for i in changed}
    plan = records_plan(old, len(RECORDS), replaced, [record_text(r) for r in extra])
    assert spliced(plan, tmp_path) == json_text(new + extra).encode()


def test_records_not_as_the_last_build_wrote_them_are_not_spliced(tmp_path: Path) -> None:
    old = written(tmp_path, "extraction.json", json_text(RECORDS))
    with pytest.raises(NotSpliceable):  # another number of records
        records_plan(old, 5, {}, [])
    with pytest.raises(NotSpliceable):
        records_plan(old, 4, {1: (record_text(RECORDS[2]), "{}")}, [])
    with pytest.raises(NotSpliceable):  # an empty list
        records_plan(written(tmp_path, "empty.json", "[]\n"), 0, {}, [])


def test_copying_without_the_kernel_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before, after = graph(OLD), graph({**OLD, "c-ba": "Ba"})
    old = written(tmp_path, "graph.ttl", serialize_turtle(before))

    def refuse(*args: object) -> int:
        raise OSError("not on this file system")

    monkeypatch.setattr(splice.os, "copy_file_range", refuse, raising=False)
    assert spliced(turtle_plan(old, changes_between(before, after)), tmp_path) == serialize_turtle(after).encode()


def jsonl_text(records: list[dict]) -> str:
    handle = io.StringIO()
    write_jsonl(records, handle, {"kg": "extraction", "documents": len(records)})
    return handle.getvalue()


@pytest.mark.parametrize("changed, added", [({}, 1), ({0: "first"}, 0), ({3: "last"}, 2), ({1: "a", 2: "b"}, 3)])
def test_spliced_record_lines_are_the_lines_written_whole(tmp_path: Path, changed: dict[int, str], added: int) -> None:
    old = written(tmp_path, "extraction.jsonl", jsonl_text(RECORDS))
    new = [dict(r, doc=changed.get(i, r["doc"])) for i, r in enumerate(RECORDS)]
    extra = [{"doc": f"new{i}.txt", "entities": [], "relations": []} for i in range(added)]
    header = (record_line({"kg": "extraction", "documents": 4}), record_line({"kg": "extraction", "documents": 4 + added}))
    replaced = {i: (record_line(RECORDS[i]), record_line(new[i])) for i in changed}
    plan = lines_plan(old, header, len(RECORDS), replaced, [record_line(r) for r in extra])
    assert spliced(plan, tmp_path) == jsonl_text(new + extra).encode()


def test_record_lines_not_as_the_last_build_wrote_them_are_not_spliced(tmp_path: Path) -> None:
    old = written(tmp_path, "extraction.jsonl", jsonl_text(RECORDS))
    header = (record_line({"kg": "extraction", "documents": 4}),) * 2
    with pytest.raises(NotSpliceable):  # another number of records
        lines_plan(old, header, 3, {}, [])
    with pytest.raises(NotSpliceable):  # another header
        lines_plan(old, (record_line({"kg": "extraction", "documents": 5}), header[1]), 4, {}, [])
    with pytest.raises(NotSpliceable):
        lines_plan(old, header, 4, {2: (record_line(RECORDS[1]), "{}\n")}, [])
