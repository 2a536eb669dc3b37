"""The article page of kg serve: the text with mentions linked to entities and fact sentences marked."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.explore.document_page import document_page, mention_spans, sentence_anchor

ARTICLE = "हा तिन्ह, 9 अक्टूबर <script>x</script>\nहा तिन्ह प्रांतीय पार्टी समिति ने सम्मेलन आयोजित किया।\nसम्मेलन में प्रांतीय पार्टी समिति के सचिव गुयेन वान आन ने भाग लिया।\n"


def test_mentions_longest_first_without_overlaps() -> None:
    entities = [{"id": "pc", "type": "Organization", "mentions": ["हा तिन्ह प्रांतीय पार्टी समिति"]}, {"id": "ht", "type": "Location", "mentions": ["हा तिन्ह"]}]
    spans = [(text_start, entity["id"]) for text_start, _, entity in mention_spans(ARTICLE, entities)]
    assert spans[0] == (0, "ht") and (ARTICLE.index("हा तिन्ह प्रांतीय"), "pc") in spans
    assert (ARTICLE.index("हा तिन्ह प्रांतीय"), "ht") not in spans


def test_the_page_escapes_the_text_and_says_when_it_only_has_sentences(tmp_path: Path) -> None:
    record = {"doc": "a.txt", "path": str(tmp_path / "gone.txt"), "lang": "hi", "entities": [], "relations": [
        {"s": "x", "p": "attended", "o": "y", "evidence": [{"text": "<b>sentence</b>"}]}]}
    page = document_page(record, None)
    assert "&lt;b&gt;sentence&lt;/b&gt;" in page and "<b>sentence" not in page and "not at hand" in page


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from click.testing import CliRunner

    from kg.cli import main
    from kg.explore.serve import free_port
    from kg.explore.site import start_site

    folder = tmp_path_factory.mktemp("docpage")
    (folder / "articles").mkdir()
    (folder / "articles" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(folder / "articles"), "--out", str(folder / "out"), "--ner", "rules", "-q"])
    assert result.exit_code == 0, result.output
    running = start_site(folder / "out" / "graph.ttl", free_port(), "python", timeout_s=20)
    yield running, json.loads((folder / "out" / "extraction.json").read_text(encoding="utf-8"))
    running.stop()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_doc_page_highlights_mentions_and_marks_fact_sentences(site) -> None:
    running, records = site
    status, page = get(running.url + "/doc/a")
    assert status == 200
    assert '<a class="m" href="/entity/' in page and "गुयेन वान आन</a>" in page
    assert '<mark class="fact"' in page and "&lt;script&gt;" in page and "<script>x" not in page
    person = next(e["id"] for e in records[0]["entities"] if e["type"] == "Person")
    status, entity = get(running.url + f"/entity/{person}")
    sentence = next(ev["text"] for r in records[0]["relations"] if r["s"] == person for ev in r["evidence"])
    assert f'/doc/a#{sentence_anchor(sentence)}' in entity and f'id="{sentence_anchor(sentence)}"' in page
    assert get(running.url + "/doc/nothing")[0] == 404


def test_the_entity_search_also_finds_articles_by_their_text(site) -> None:
    running, _ = site
    status, page = get(running.url + "/entities?q=" + urllib.parse.quote("आयोजित"))
    assert status == 200 and "Articles (1)" in page and 'href="/doc/a"' in page
    assert "No article text holds it." in get(running.url + "/entities?q=zzzz")[1]
