"""Property tests (issue #7): offsets, transliteration, IRI minting, Turtle round trip, and a bounded fuzz run."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from kg.corpus.build import extract
from kg.extract.ingest import IngestError, read_document
from kg.model import Document
from kg.extract.ner.select import make_recognizer
from kg.graph.rdf import document_iri, entity_iri, quads, role_iri, segment, text
from kg.extract.tokenize import tokenize, tokenize_span
from kg.extract.name_reading import romanize_name
from kg.graph.turtle import clean, serialize_turtle

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text from the scripts the project reads, plus the characters that tend to break things.
ALPHABET = st.sampled_from(
    list("कॉमरेडमाईवानतुआटनेसम्मेलनकीअध्यक्षता।|ज़\u095b\u093c\u094d")
    + list("حضرالرفيقماةفنتوؤ.؟؛،")
    + list("abcXYZ019 .,:;\"'\\<>&{}")
    + ["\n", "\r", "\t", "\x00", "\x07", "\x0c", "\u2028", "\u200b", "\u200c", "\u200d", "\u200f", "\u202e", "\ufeff"]
)
SCRIPT_TEXT = st.text(ALPHABET, max_size=200)
ANY_TEXT = st.text(max_size=200)
IRI_CHARS = re.compile(r"[A-Za-z0-9\-._~%:/#?@!$&'()*+,;=]*")


@given(st.one_of(SCRIPT_TEXT, ANY_TEXT))
@FAST
def test_token_offsets_slice_back_to_token_text(value: str) -> None:
    tokens = tokenize_span(value, 0, len(value))
    previous_end = 0
    for token in tokens:
        assert value[token.start : token.end] == token.text and token.text
        assert previous_end <= token.start < token.end <= len(value)
        assert not token.text.isspace()
        previous_end = token.end


@given(SCRIPT_TEXT, st.sampled_from(["hi", "ar"]), st.lists(st.tuples(st.integers(0, 200), st.integers(0, 40)), max_size=4))
@FAST
def test_sentences_slice_back_and_avoid_skipped_spans(value: str, lang: str, raw_spans: list[tuple[int, int]]) -> None:
    spans = tuple(sorted((min(s, len(value)), min(s + n, len(value))) for s, n in raw_spans))
    document = Document(id="d", path="d.txt", lang=lang, text=value, skipped=spans)
    for index, sentence in enumerate(tokenize(document)):
        assert sentence.index == index
        assert value[sentence.start : sentence.end] == sentence.text
        for token in sentence.tokens:
            assert value[token.start : token.end] == token.text
            assert sentence.start <= token.start and token.end <= sentence.end
            assert not any(s <= token.start < e for s, e in spans)


@given(st.one_of(SCRIPT_TEXT, ANY_TEXT), st.sampled_from(["hi", "ar", "en", "und", ""]))
@FAST
def test_transliteration_is_total(value: str, lang: str) -> None:
    assert isinstance(romanize_name(value, lang), str)


@given(ANY_TEXT)
@FAST
def test_entity_iri_is_valid_and_stable(value: str) -> None:
    for mint in (entity_iri, document_iri, role_iri):
        iri = str(mint(value))
        assert iri == str(mint(value))
        assert IRI_CHARS.fullmatch(iri), iri
        assert Graph().parse(data=serialize_turtle([(URIRef(iri), URIRef(iri), URIRef(iri))]), format="turtle")


@given(ANY_TEXT, ANY_TEXT)
@FAST
def test_iri_minting_is_injective(a: str, b: str) -> None:
    if a != b:
        assert entity_iri(a) != entity_iri(b)
        assert document_iri(a) != document_iri(b)
        assert role_iri(a) != role_iri(b)


@given(st.lists(st.tuples(st.one_of(SCRIPT_TEXT, ANY_TEXT), st.sampled_from([None, "hi", "ar", "en", "x\"y", ""])), min_size=1, max_size=5))
@FAST
def test_turtle_round_trip(values: list[tuple[str, str | None]]) -> None:
    triples = {(entity_iri(f"e{i}"), URIRef("https://w3id.org/kg-vn/ontology#attribute"), text(v, lang)) for i, (v, lang) in enumerate(values)}
    parsed = Graph().parse(data=serialize_turtle(triples), format="turtle")
    assert set(parsed) == triples
    for _, _, literal in parsed:
        assert isinstance(literal, Literal)
    assert {str(o) for _, _, o in parsed} == {clean(v) for v, _ in values}


RULES = make_recognizer("rules", None)


def ingest_to_turtle(data: bytes) -> None:
    """Bytes as a file through ingest, the text stages and the Turtle writer: an IngestError or a valid graph."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "fuzz.txt"
        path.write_bytes(data)
        try:
            document = read_document(path)
        except IngestError as error:
            assert "\n" not in str(error)
            return
        extraction = extract([document], RULES)
        turtle = serialize_turtle((s, p, o) for s, p, o, _ in quads(extraction))
        Graph().parse(data=turtle, format="turtle")


@given(st.binary(max_size=400))
@FUZZ
def test_fuzz_random_bytes_through_ingest_and_rdf(data: bytes) -> None:
    ingest_to_turtle(data)


@given(st.one_of(SCRIPT_TEXT, ANY_TEXT))
@FUZZ
def test_fuzz_random_unicode_through_ingest_and_rdf(value: str) -> None:
    ingest_to_turtle(value.encode("utf-8", "surrogatepass"))


@given(st.lists(st.sampled_from(["कॉमरेड", "माई", "वान", "तुआट", "ने", "सम्मेलन", "की", "अध्यक्षता", "।", "<b>", "</p>", "\u200d", "\n", '"', "\\"]), max_size=60))
@FUZZ
def test_fuzz_article_like_text_through_ingest_and_rdf(words: list[str]) -> None:
    ingest_to_turtle(" ".join(words).encode("utf-8"))


def test_segment_of_empty_and_long_text_are_distinct() -> None:
    assert segment("") != segment("-") and segment("a" * 500) != segment("a" * 501)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


@given(st.lists(JSON_VALUES, max_size=4))
@FAST
def test_extraction_json_writer_gives_the_bytes_of_json_dumps(records: list) -> None:
    import io
    import json

    from kg.graph.export import write_records

    handle = io.StringIO()
    write_records(records, handle)
    assert handle.getvalue() == json.dumps(records, ensure_ascii=False, indent=2) + "\n"


TERM_TEXT = st.text(st.sampled_from(["a", "b", "\x00", "\x01", "ق", " ", "\u0915"]), max_size=4)
TURTLE_TERMS = st.one_of(
    st.builds(lambda t: (0, "http://example.org/" + t), TERM_TEXT.filter(lambda t: "\x00" not in t and " " not in t)),
    st.builds(lambda t, d, lang: (2, t, d, lang), TERM_TEXT, st.sampled_from(["", "http://www.w3.org/2001/XMLSchema#integer"]), st.sampled_from(["", "hi", "ar"])),
)


@given(st.lists(st.tuples(TURTLE_TERMS, st.sampled_from([(0, "http://example.org/p"), (0, "http://example.org/q\x00")]), TURTLE_TERMS), max_size=30))
@FAST
def test_turtle_spilled_in_runs_is_the_turtle_written_at_once(triples: list) -> None:
    # Runs sort terms as strings (kg.graph.turtle_stream.sort_string): NULs inside values must not change the order.
    import io

    from kg.graph.turtle_stream import write_turtle

    subjects = [t for t in triples if t[0][0] == 0]
    at_once, spilled = io.StringIO(), io.StringIO()
    write_turtle(subjects, at_once, run_size=10**9)
    write_turtle(subjects + subjects[:3], spilled, run_size=2)
    assert spilled.getvalue() == at_once.getvalue()
