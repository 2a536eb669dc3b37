"""Memory per article (issue #14): bounded whatever the line structure.

The end-to-end figure comes from ``bench/bench_memory.py`` (a build's peak on
a one-line article); these tests pin the parts that made it grow: the size
cap, ingest without per-character lists, sentences cut to a bounded length.
(Stanza is fed token lists through its data loader in batches of
``TAG_BATCH``, no longer one Document of the whole article.)
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path


from kg.extract.ingest import MAX_BYTES, read_document
from kg.extract.tokenize import MAX_SENTENCE, tokenize
from tests.conftest import make_document

ARTICLE = "कॉमरेड माई वान तुआट ने सम्मेलन की अध्यक्षता की "  # no sentence end: one run-on line


def test_the_size_cap_keeps_a_build_under_a_gibibyte() -> None:
    """bench/bench_memory.py: 933 MiB at 4.9 MiB of one-line text without sentence ends, with Stanza."""
    assert MAX_BYTES <= 4 * 1024 * 1024


def test_reading_a_one_line_article_holds_a_few_copies_of_it(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    path.write_text(ARTICLE * 20_000, encoding="utf-8")  # about 2.4 MB, one line
    size = path.stat().st_size
    tracemalloc.start()
    try:
        document = read_document(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(document.text) > 800_000
    assert peak < 6 * size  # the bytes, the text and a copy or two; per-letter lists were 30x


def test_a_run_on_line_is_cut_into_bounded_sentences() -> None:
    document = make_document(ARTICLE * 2_000)
    sentences = tokenize(document)
    assert len(sentences) > 10
    assert max(s.end - s.start for s in sentences) <= MAX_SENTENCE
