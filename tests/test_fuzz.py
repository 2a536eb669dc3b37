"""Bounded fuzz runs (issue #14): the article reader, the judgements parser, and the checks in front of users' files.

Each property says what must hold for any input: a result or one clear
one-line error of the module's own type, never another exception. Example
counts are small so the suite stays fast; hypothesis keeps failing examples
in its database for the next run.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kg.corpus.judgements import Judgement, JudgementError, append_judgement, check_reference, load_judgements, parse_judgements
from kg.explore.formats import FORMULA_STARTS, neutralise
from kg.explore.serve import federated
from kg.extract.article_files import read_documents
from kg.extract.ingest import IngestError, Skipped, read_document, shown
from kg.graph.extraction_file import RecordError, check_records
from kg.model import Document

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

ARTICLE = "कॉमरेड माई वान तुआट ने सम्मेलन की अध्यक्षता की।"
PIECES = st.sampled_from(
    ["कॉमरेड", "माई", "वान", "तुआट", "।", "ماي", "فان", "توات", ".", " ", "\n", "\r\n", "<p>", "</b>", "&nbsp;", "स्रोत: https://x.org/a",
     "\x00", "\x07", "\u202e", "\u202d", "\u2066", "\u200b", "\u200d", "\ufeff", "\u2028", "\udc80", "=", "#"]
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "cp1256", "latin-1"])


@st.composite
def article_bytes(draw) -> bytes:
    """Article-like text in some encoding, or raw bytes, possibly cut anywhere."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=600))
    text = "".join(draw(st.lists(PIECES, max_size=80)))
    encoding = draw(ENCODINGS)
    data = text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") and draw(st.booleans()) else "replace")
    cut = draw(st.integers(0, len(data)))
    return data[:cut] if draw(st.booleans()) else data


def check_document(document: Document, data: bytes) -> None:
    assert document.lang in ("hi", "ar")
    assert document.text == data.decode("utf-8-sig")  # never normalised or cleaned
    for start, end in document.skipped:
        assert 0 <= start <= end <= len(document.text)


@given(article_bytes())
@FUZZ
def test_the_reader_gives_a_document_or_one_line_naming_the_file(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.txt"
        path.write_bytes(data)
        try:
            document = read_document(path)
        except IngestError as error:
            message = str(error)
            assert message.startswith(str(path) + ": ") and "\n" not in message
            return
        check_document(document, data)
        assert "\x00" not in document.text and "\u202e" not in document.text


NAMES = st.text(st.sampled_from(list("ab.TXTtx_-") + ["\n", "\u202e", " ", "é", "\t"]), min_size=1, max_size=12).filter(
    lambda n: n not in (".", "..") and "/" not in n
)


@given(st.lists(st.tuples(NAMES, article_bytes(), st.sampled_from(["file", "folder", "link"])), max_size=6))
@FUZZ
def test_reading_a_folder_accounts_for_every_entry(entries: list[tuple[str, bytes, str]]) -> None:
    """Every file or folder ends up read or reported, each report one line; nothing else escapes."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "in"
        root.mkdir()
        made = set()
        for name, data, kind in entries:
            path = root / name
            if path.exists() or path.is_symlink():
                continue
            if kind == "folder":
                path.mkdir()
                (path / "inner.txt").write_bytes(data)
                made.add(path / "inner.txt")
            elif kind == "link":
                path.symlink_to(root / "nowhere")
                made.add(path)
            else:
                path.write_bytes(data)
                made.add(path)
        warnings: list[str] = []
        results = list(read_documents([root], warnings))
        for line in [r.reason for r in results if isinstance(r, Skipped)] + warnings:
            assert "\n" not in line
        seen = {Path(item.path) for item in results}

        def accounted(path: Path) -> bool:
            named = any(w.startswith(shown(path.parent) + ": ") and (shown(path.name) in w or " more" in w) for w in warnings)  # listed or counted
            return path in seen or named or (path.parent != root and accounted(path.parent))

        for path in made:
            assert accounted(path), (path, results, warnings)


REFERENCE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(st.text(max_size=400))
@FUZZ
def test_the_judgements_parser_gives_judgements_or_one_line(text: str) -> None:
    try:
        judgements = parse_judgements(text, "j.txt")
    except JudgementError as error:
        assert "\n" not in str(error) and str(error).startswith("j.txt:")
        return
    for judgement in judgements:
        assert judgement.a and judgement.b and judgement.verdict in ("same", "different", "unsure")


@given(REFERENCE, st.sampled_from(["same", "different", "unsure"]), REFERENCE)
@FUZZ
def test_kg_judge_writes_only_what_reads_back(a: str, verdict: str, b: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "judgements.txt"
        try:
            written = append_judgement(path, Judgement(a, verdict, b))
        except JudgementError as error:
            assert "\n" not in str(error) and not path.exists()
            if "one and the same entity" in str(error):  # refused as a judgement of an entity with itself
                assert check_reference(a) == check_reference(b)
                return
            with pytest.raises(JudgementError):
                check_reference(a), check_reference(b)
            return
        assert [(j.a, j.verdict, j.b) for j in load_judgements(path)] == [(written.a, verdict, written.b)]
        assert (written.a, written.b) == (a.strip(), b.strip())


@given(st.text(max_size=300))
@FUZZ
def test_the_service_check_never_fails(query: str) -> None:
    assert federated(query) in (True, False)
    assume("'''" not in query and '"""' not in query)  # only a long string spans lines
    assert federated(query + "\nSERVICE <http://x/> {}")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["doc", "entities", "relations", "id", "type", "label", "posts", "title", "s", "p", "o", "mentions", "evidence"]), inner, max_size=5),
    max_leaves=20,
)


@given(JSON)
@FUZZ
def test_the_extraction_shape_check_accepts_or_says_why(data) -> None:
    try:
        check_records(data, "x.json")
    except RecordError as error:
        assert str(error).startswith("x.json: not an extraction.json (") and "\n" not in str(error)


@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(allow_nan=False)))
@FUZZ
def test_csv_cells_never_start_a_formula(value) -> None:
    cell = neutralise(value)
    assert not (isinstance(cell, str) and cell.startswith(FORMULA_STARTS))
    assert cell == value or cell == "'" + value


# ------------------------------------------------------------------ the cache reader and the query checks


@pytest.fixture(scope="module")
def a_record() -> dict:
    from kg.corpus.records import record_to_dict
    from kg.extract.article import extract_article
    from kg.extract.ner.rules import RuleRecognizer

    document = read_document(sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))[0])
    return record_to_dict(extract_article(document, RuleRecognizer()).without_text())


@given(st.binary(max_size=400))
@FUZZ
def test_the_cache_reader_never_fails_on_bytes(blob: bytes) -> None:
    from kg.corpus.records import RecordFormatError, loads

    try:
        loads(blob)
    except RecordFormatError:
        pass


@given(path=st.lists(st.sampled_from(["document", "mentions", "records", "entities", "event", "relations", "event_update", "warnings", "text_key", 0, 1, "id", "start", "type", "syllables", "seniority", "evidence"]), min_size=1, max_size=4), value=JSON)
@FUZZ
def test_the_cache_reader_never_fails_on_a_mutated_record(a_record: dict, path: list, value: object) -> None:
    import copy

    from kg.corpus.records import RecordFormatError, record_from_dict

    data = copy.deepcopy(a_record)
    node = data
    for key in path[:-1]:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            break
    last = path[-1]
    if isinstance(node, dict) and isinstance(last, str):
        node[last] = value
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = value
    try:
        record_from_dict(data)
    except RecordFormatError:
        pass


@given(st.text(max_size=400))
@FUZZ
def test_the_query_checks_never_fail(query: str) -> None:
    from kg.explore.serve import refusal

    answer = refusal(query, allow_service=False)
    assert answer is None or answer.status in (400, 403)


@given(seed=st.integers(0, 10**6), edits=st.lists(st.tuples(st.integers(0, 2000), st.sampled_from(["", "{", "}", "SERVICE", "\\u0053", "'", '"', "#", "<", ">", "\\", "\n", "OPTIONAL {", "ex:a\\'b", "<http://x/>"])), max_size=6))
@FUZZ
def test_mutated_canned_queries_are_checked_without_failing(seed: int, edits: list) -> None:
    from kg.explore.query import canned_queries
    from kg.explore.serve import refusal

    texts = [q.text for _, q in sorted(canned_queries().items())]
    query = texts[seed % len(texts)]
    for position, piece in edits:
        at = position % (len(query) + 1)
        query = query[:at] + piece + query[at + 1 :] if piece == "" else query[:at] + piece + query[at:]
    answer = refusal(query, allow_service=False)
    assert answer is None or answer.status in (400, 403)
    if answer is None:
        assert not federated(query)  # what is run has no SERVICE, by the text scan too
