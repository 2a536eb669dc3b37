"""Bad input (issue #7): every kind of file users scrape ends in one clear line, and the rest builds.

Inputs are generated in ``tmp_path`` at test time; nothing big is committed.
Each test names the input it tries; the closing report of issue #7 lists them.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from kg.corpus.build import build, extract
from kg.cli import main
from kg.extract.ingest import IngestError, read_document, read_documents
from kg.model import Entity, Evidence, Extraction, Mention, Post, Relation
from kg.graph.namespace import ID_BASE, KG, RDFS
from kg.extract.ner.select import make_recognizer
from kg.graph.rdf import quads
from kg.extract.tokenize import tokenize
from kg.graph.turtle import serialize_turtle
from kg.graph.viz import render_html, to_networkx

ARTICLE = "कॉमरेड माई वान तुआट ने सम्मेलन की अध्यक्षता की।"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


@pytest.fixture(scope="module")
def rules():
    return make_recognizer("rules", None)


def write(directory: Path, name: str, data: bytes | str) -> Path:
    path = directory / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def zipped() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", ARTICLE)
    return buffer.getvalue()


# ------------------------------------------------------------- refused files

BAD_FILES = {
    "empty": (b"", "empty file"),
    "whitespace only": (b"  \n\t\r\n  ", "empty file"),
    "zero-width characters only": ("\u200b\u200f\ufeff\u200d\n".encode(), "no words"),
    "markup only": (b"<html><body><p></p><br/></body></html>", "no words"),
    "Windows-1256 Arabic": ("عقدت اللجنة الحزبية مؤتمرا".encode("cp1256"), "not valid UTF-8"),
    "Latin-1": ("Hà Nội, Việt Nam – hội nghị".encode("latin-1", "replace"), "not valid UTF-8"),
    "UTF-16 LE with BOM": ("सम्मेलन".encode("utf-16"), "UTF-16"),
    "UTF-16 BE with BOM": (b"\xfe\xff" + "सम्मेलन".encode("utf-16-be"), "UTF-16"),
    "UTF-32 with BOM": ("सम्मेलन".encode("utf-32"), "UTF-32"),
    "PDF": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
    "PNG": (PNG, "PNG"),
    "gzip": (gzip.compress(ARTICLE.encode()), "gzip"),
    "zip": (zipped(), "zip"),
    "NUL bytes": (b"abc\x00def\x00" * 10, "binary"),
    "control characters": (bytes(range(1, 32)) * 4, "binary"),
    "Chinese": ("河内市委召开会议，总结工作。".encode(), "not supported"),
    "English": (b"The provincial party committee held a conference.", "not supported"),
}


@pytest.mark.parametrize("data, reason", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_file_is_refused_with_one_line_naming_file_and_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    path = write(tmp_path, "bad.txt", data)
    with pytest.raises(IngestError) as error:
        read_document(path)
    message = str(error.value)
    assert message.startswith(str(path)) and reason in message and "\n" not in message


def test_unreadable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 000 does not deny root; the permission error is then simulated at the read."""
    path = write(tmp_path, "locked.txt", ARTICLE)
    path.chmod(0)
    try:
        if os.geteuid() == 0 or os.access(path, os.R_OK):
            real_read = Path.read_bytes

            def denied(self: Path) -> bytes:
                if self == path:
                    raise PermissionError(13, "Permission denied", str(self))
                return real_read(self)

            monkeypatch.setattr(Path, "read_bytes", denied)
        with pytest.raises(IngestError, match="locked.txt: permission denied"):
            read_document(path)
    finally:
        path.chmod(0o644)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_chmod_000_file_is_reported_for_real(tmp_path: Path) -> None:
    path = write(tmp_path, "locked.txt", ARTICLE)
    path.chmod(0)
    try:
        with pytest.raises(IngestError, match="permission denied"):
            read_document(path)
    finally:
        path.chmod(0o644)


def test_broken_link_directory_named_txt_and_odd_file_name(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "folder.txt").mkdir()
    write(tmp_path, "bad\nname\u202e.txt", b"")
    results = list(read_documents([tmp_path]))
    reasons = [r.reason for r in results]
    assert len(reasons) == 2  # the directory is not an article file
    assert any("dangling.txt: cannot read" in r for r in reasons)
    assert any("bad\\nname\\u202e.txt: empty file" in r for r in reasons)
    assert all("\n" not in r and "\u202e" not in r for r in reasons)


# ------------------------------------------------------- odd but readable text


def mentions_of(document, rules) -> list[Mention]:
    return rules.recognize(document, tokenize(document))


def person_labels(path: Path, rules) -> list[str]:
    extraction = extract([read_document(path)], rules)
    return sorted(e.label for e in extraction.entities if e.type == "Person")


@pytest.mark.parametrize(
    "variant",
    [
        "कॉमरेड <b>माई वान तुआट</b> ने <a href=\"/x?a=1&b=2\">सम्मेलन</a> की&nbsp;अध्यक्षता की।",
        "<p>कॉमरेड माई वान तुआट ने सम्मेलन की अध्यक्षता की।</p><script>var x = 'कॉमरेड त्रुओंग थी माई';</script>",
        ARTICLE.replace("सम्मेलन", "\u095bिला \u0929ई सम्मेलन"),
        ARTICLE.replace("माई", "\u200fमाई\u200e").replace("तुआट", "तु\u200dआट"),
        ARTICLE.replace("माई ", "माई\x07 ").replace("सम्मेलन", "सम्मेलन\x1b"),
        "Hanoi (VNA) – " + ARTICLE + " حضر الرفيق المؤتمر. Photo: VNA",
    ],
    ids=["inline HTML", "HTML blocks and script", "non-NFC Devanagari", "RTL marks and ZWJ", "control characters", "mixed scripts"],
)
def test_odd_text_reads_as_the_plain_article(tmp_path: Path, rules, variant: str) -> None:
    path = write(tmp_path, "odd.txt", variant)
    document = read_document(path)
    assert document.lang == "hi"
    assert person_labels(path, rules) == ["Mai Van Tuat"]
    for mention in mentions_of(document, rules):
        # Offsets point into the file as written (not into a normalised or stripped copy).
        assert document.text[mention.start : mention.end] == mention.text
        assert "<" not in mention.text and "script" not in mention.text


def test_markup_does_not_make_an_article_look_english(tmp_path: Path) -> None:
    tags = '<div class="article-body content main" data-id="12345"><span style="font-weight:bold">'
    document = read_document(write(tmp_path, "html.txt", tags + ARTICLE + "</span></div>"))
    assert document.lang == "hi"
    texts = [token.text for sentence in tokenize(document) for token in sentence.tokens]
    assert "div" not in texts and "span" not in texts and "class" not in texts


def test_decomposed_and_composed_devanagari_keep_their_own_offsets(tmp_path: Path, rules) -> None:
    # U+095B (ज़ as one code point) is not NFC: NFC writes ज + nukta. U+0929 (ऩ) is NFC; NFD splits it.
    precomposed = "कॉमरेड माई वान तुआट ने \u095bिला पार्टी समिति के सम्मेलन की अध्यक्षता की। \u0929ई"
    decomposed = unicodedata.normalize("NFD", precomposed)
    assert decomposed != precomposed and len(decomposed) > len(precomposed)
    assert unicodedata.normalize("NFC", precomposed) != precomposed
    a = read_document(write(tmp_path, "a.txt", precomposed))
    b = read_document(write(tmp_path, "b.txt", decomposed))
    assert a.text == precomposed and b.text == decomposed  # kept as written, not normalised
    assert [m.type for m in mentions_of(a, rules)] == [m.type for m in mentions_of(b, rules)]
    for mention in mentions_of(b, rules):
        assert b.text[mention.start : mention.end] == mention.text


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\u2028", "\x0c"])
def test_every_kind_of_line_break_ends_a_sentence(tmp_path: Path, newline: str) -> None:
    document = read_document(write(tmp_path, "lines.txt", f"शीर्षक पंक्ति{newline}{ARTICLE}"))
    assert [s.text for s in tokenize(document)] == ["शीर्षक पंक्ति", ARTICLE]


# ------------------------------------------------------------------ big input


def test_single_one_megabyte_line_builds_in_seconds(tmp_path: Path, rules) -> None:
    unit = ARTICLE.replace("।", ",") + " "
    articles = tmp_path / "articles"
    articles.mkdir()
    write(articles, "line.txt", unit * (1_000_000 // len(unit.encode()) + 1))
    started = time.perf_counter()
    report = build([articles], tmp_path / "out", rules)
    assert report.documents == 1 and report.entities["Person"] == 1
    assert time.perf_counter() - started < 60


def test_tokenizing_grows_linearly_with_boilerplate_lines(tmp_path: Path) -> None:
    """Many boilerplate lines and many sentences used to cost their product (a 20 MB article: minutes)."""
    unit = ARTICLE + "\nस्रोत: https://example.org/a\nटिप्पणी (0)\n<p>पैराग्राफ़</p>\n"

    def seconds(copies: int) -> float:
        document = read_document(write(tmp_path, f"big{copies}.txt", unit * copies))
        started = time.perf_counter()
        sentences = tokenize(document)
        assert len(sentences) == 2 * copies
        return time.perf_counter() - started

    small, large = seconds(2_000), seconds(16_000)  # about 0.4 MB and 3 MB
    assert large < 8 * 4 * max(small, 0.01)  # 8x the input; quadratic would be about 64x


def test_directory_of_thousands_of_tiny_files(tmp_path: Path, rules) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for i in range(2_000):
        write(articles, f"t{i:04d}.txt", ARTICLE if i % 100 else "")
    report = build([articles], tmp_path / "out", rules)
    assert report.documents == 1_980 and len(report.skipped) == 20
    assert report.entities["Person"] == 1


# ---------------------------------------------------------- the whole build


def test_cli_reports_each_bad_file_builds_the_rest_and_exits_3(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    write(articles, "good.txt", ARTICLE)
    for i, (data, _) in enumerate(BAD_FILES.values()):
        write(articles, f"bad{i:02d}.txt", data)
    result = CliRunner().invoke(main, ["build", str(articles), "--out", str(tmp_path / "out"), "--ner", "rules", "-q"])
    assert result.exit_code == 3, result.output
    skipped = [line for line in result.output.splitlines() if line.startswith("skipped: ")]
    assert len(skipped) == len(BAD_FILES)
    for i, (_, reason) in enumerate(BAD_FILES.values()):
        assert any(f"bad{i:02d}.txt" in line and reason in line for line in skipped)
    assert f"documents: 1 built, {len(BAD_FILES)} skipped" in result.output
    assert "Traceback" not in result.output
    graph = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    assert any("Mai Van Tuat" == str(o) for o in graph.objects(None, RDFS.label))


def test_when_every_file_is_bad_the_previous_outputs_stay(tmp_path: Path) -> None:
    good, bad, out = tmp_path / "good", tmp_path / "bad", tmp_path / "out"
    good.mkdir()
    bad.mkdir()
    write(good, "good.txt", ARTICLE)
    write(bad, "bad.txt", PNG)
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(good), "--out", str(out), "--ner", "rules", "-q"]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    result = runner.invoke(main, ["build", str(bad), "--out", str(out), "--ner", "rules", "-q"])
    assert result.exit_code == 3 and "left as they were" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


# --------------------------------------------------------- gold files (kg eval)


def gold_record(doc: str, relations: list[dict]) -> dict:
    return {
        "doc": doc,
        "lang": "hi",
        "entities": [{"id": "mai-van-tuat", "type": "Person", "label": "Mai Van Tuat", "mentions": ["माई वान तुआट"]}],
        "relations": relations,
    }


@pytest.mark.parametrize(
    "content, reason",
    [
        ("{not json", "not valid JSON"),
        (b"\xff\xfe{\x00}\x00", "not UTF-8"),
        ("[1, 2]", "expected a document object"),
        (json.dumps({"doc": "a.txt", "entities": []}), "missing key 'relations'"),
    ],
    ids=["broken JSON", "UTF-16 JSON", "a list", "missing key"],
)
def test_bad_gold_file_is_one_line(tmp_path: Path, content: str | bytes, reason: str) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    write(gold, "a.json", content)
    predicted = write(tmp_path, "pred.json", json.dumps([gold_record("a.txt", [])]))
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold), str(predicted)])
    assert result.exit_code == 2, result.output
    assert "a.json" in result.output and reason in result.output
    assert "Traceback" not in result.output


def test_gold_relation_with_unknown_ids_is_scored_or_refused_in_one_line(tmp_path: Path) -> None:
    """A relation naming an entity id the file does not list: no crash, no traceback."""
    gold = tmp_path / "gold"
    gold.mkdir()
    write(gold, "a.json", json.dumps(gold_record("a.txt", [{"s": "mai-van-tuat", "p": "chaired", "o": "no-such-event"}])))
    predicted = write(tmp_path, "pred.json", json.dumps([gold_record("a.txt", [])]))
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold), str(predicted)])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# ------------------------------------------------------------------ injection

HOSTILE = [
    'Nguyen "Van" An',
    "Le \\ Thi \\\\ Ha\\u0041",
    "<script>alert(1)</script>",
    '""" ; <http://evil/> a <x> . """',
    "line one\nline two\r\n@prefix x: <http://evil/> .",
    "bell\x07 escape\x1b nul\x00 del\x7f",
    "\u202eRTL override\u202c \u200fRLM\u200f",
    "Z\u200dW\u200cJ and \ufeffBOM",
    "'><img src=x onerror=alert(1)>",
    "}} {{ x }} ${x} %(x)s",
    "\ud800 lone surrogate",
]


def hostile_extraction() -> Extraction:
    from tests.conftest import make_document

    document = make_document(ARTICLE, doc_id='d"<script>\\x')
    entities = []
    for i, name in enumerate(HOSTILE):
        mention = Mention(document.id, 0, 0, 6, ARTICLE[:6], "Person", "test")
        entities.append(
            Entity(
                id=name if i % 2 else f"p-{i}",
                type="Person",
                label=name,
                mentions=[mention],
                alt_labels={(name, "hi"), (name, "x\"y")},
                posts=[Post(title=name, org="org-1", doc_id=document.id, date=name)],
                attrs={"scope": name, name[:5]: name},
            )
        )
    entities.append(Entity(id="org-1", type="Organization", label="<b>Org</b>", mentions=[]))
    evidence = Evidence(document.id, 0, 0, len(ARTICLE), "\n".join(HOSTILE), "rule<script>", 0.5, 'https://x/"><script>')
    relations = [Relation(e.id, "holdsPost", "org-1", evidence, post=e.label) for e in entities[:-1]]
    return Extraction([document], {document.id: tokenize(document)}, entities, relations)


def test_hostile_names_round_trip_through_turtle() -> None:
    extraction = hostile_extraction()
    triples = [(s, p, o) for s, p, o, _ in quads(extraction)]
    turtle = serialize_turtle(triples)
    parsed = Graph().parse(data=turtle, format="turtle")
    assert len(parsed) == len(set(triples))
    assert set(parsed) == set(triples)
    labels = {str(o) for o in parsed.objects(None, RDFS.label)}
    for name in HOSTILE:
        assert name.replace("\ud800", "\ufffd") in labels
    for s, _, o in parsed:
        for node in (s, o):
            if isinstance(node, URIRef) and str(node).startswith(ID_BASE):
                assert all(c.isascii() and c.isprintable() and c not in '<>"{}|^`\\ ' for c in str(node))
    sentences = {str(o) for o in parsed.objects(None, KG.sentenceText)}
    assert sentences == {"\n".join(HOSTILE).replace("\ud800", "\ufffd")}


def test_hostile_names_round_trip_through_oxigraph() -> None:
    pyoxigraph = pytest.importorskip("pyoxigraph")
    turtle = serialize_turtle((s, p, o) for s, p, o, _ in quads(hostile_extraction()))
    store = pyoxigraph.Store()
    store.load(turtle.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
    labels = {q.object.value for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(str(RDFS.label)), None)}
    assert HOSTILE[2] in labels and HOSTILE[4] in labels


def test_hostile_names_are_escaped_in_the_html_page() -> None:
    page = render_html(to_networkx(hostile_extraction()))
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "<b>Org</b>" not in page
    plain = render_html(to_networkx(Extraction([], {}, [], [])))
    for tag in ("<script", "</script", "<img", "<iframe", "<b>"):
        assert page.count(tag) == plain.count(tag)  # only the page's own tags (vis-network included)


def test_hostile_file_names_and_article_text_through_the_whole_build(tmp_path: Path, rules) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    name = 'a"""b\\c<script>alert(1)&d\u202e\x01'
    text = (
        'स्रोत: https://example.org/a?q="><script>alert(1)</script>\n'
        'कॉमरेड माई वान तुआट ने """ \\ <img src=x onerror=alert(1)> सम्मेलन की अध्यक्षता की।'
    )
    write(articles, name + ".txt", text)
    report = build([articles], tmp_path / "out", rules)
    assert report.documents == 1 and report.relations
    graph = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    assert Literal(name) in set(graph.objects(None, RDFS.label))
    sentences = {str(o) for o in graph.objects(None, KG.sentenceText)}
    assert any('""" \\ <img src=x onerror=alert(1)>' in s for s in sentences)
    urls = {str(o) for o in graph.objects(None, KG.sourceUrl)}
    assert 'https://example.org/a?q="><script>alert(1)</script>' in urls
    page = (tmp_path / "out" / "graph.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    records = json.loads((tmp_path / "out" / "extraction.json").read_text(encoding="utf-8"))
    assert records[0]["doc"].startswith('a"""b')
