"""The training corpus manifest: reading, reserved pages, checking a rebuilt folder."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from kg.extract.ner.training.manifest import SHIPPED_MANIFEST, ManifestError, check_corpus, read_manifest, slug_hash, url_slug


def page(doc: str, text: str, url: str, lang: str = "hi") -> dict:
    raw = text.encode("utf-8")
    return {"doc": doc, "lang": lang, "url": url, "query": "q", "sha256": hashlib.sha256(raw).hexdigest(), "chars": len(text)}


def write_manifest(path: Path, pages: list[dict]) -> Path:
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages), encoding="utf-8")
    return path


def test_slug_is_the_last_path_segment_lower_cased_and_decoded() -> None:
    assert url_slug("https://www.vietnam.vn/hi/Some-Slug%20X/") == "some-slug x"
    assert slug_hash("https://x.y/ar/abc") == hashlib.sha256(b"abc").hexdigest()


def test_check_corpus_names_missing_and_changed_pages(tmp_path: Path) -> None:
    pages = [page("a.txt", "पहला पन्ना", "https://www.vietnam.vn/hi/a"), page("b.txt", "دوم", "https://www.vietnam.vn/ar/b", "ar"), page("c.txt", "तीन", "https://www.vietnam.vn/hi/c")]
    manifest = read_manifest(write_manifest(tmp_path / "m.jsonl", pages))
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a.txt").write_text("पहला पन्ना", encoding="utf-8")
    (folder / "b.txt").write_text("دوم!", encoding="utf-8")
    assert check_corpus(manifest, folder) == {"b.txt": "differs (sha256)", "c.txt": "missing"}


def test_a_reserved_page_is_refused_whatever_its_host(tmp_path: Path) -> None:
    path = write_manifest(tmp_path / "m.jsonl", [page("a.txt", "x", "https://other.example/hi/Secret-Page")])
    with pytest.raises(ManifestError, match="reserved"):
        read_manifest(path, frozenset({slug_hash("https://www.vietnam.vn/ar/secret-page")}))


@pytest.mark.parametrize(
    "line, problem",
    [("not json", "not JSON"), ('{"doc": "a.txt"}', "needs the fields"), (json.dumps(page("../a.txt", "x", "u")), "plain file name")],
)
def test_malformed_lines_are_named_by_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "m.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ManifestError, match=rf"m.jsonl:1: .*{problem}"):
        read_manifest(path)


def test_the_shipped_manifest_is_balanced_and_holds_no_reserved_or_development_page() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "devset"
    reserved = Path(__file__).resolve().parents[1] / "kg" / "extract" / "ner" / "training" / "reserved-slugs.sha256"
    hashes = frozenset(line.split()[0] for line in reserved.read_text(encoding="utf-8").splitlines() if line.strip())
    pages = read_manifest(SHIPPED_MANIFEST, hashes)
    langs = [p.lang for p in pages]
    assert langs.count("hi") >= 100 and langs.count("ar") >= 100
    assert len({p.url for p in pages}) == len(pages)
    if (shared / "gold").is_dir():
        development = {url_slug(json.loads(f.read_text(encoding="utf-8"))["url"]) for f in (shared / "gold").glob("*.json")}
        assert not development & {url_slug(p.url) for p in pages}


def test_a_page_that_is_an_annotated_article_on_any_host_or_language_is_left_out(tmp_path: Path) -> None:
    from kg.extract.ner.training.commands import without_annotated
    from kg.extract.ner.training.data import GoldArticle

    pages = read_manifest(write_manifest(tmp_path / "m.jsonl", [
        page("a.txt", "x", "https://thongtin.vietnam.vn/ar/Same-Story"),
        page("b.txt", "y", "https://www.vietnam.vn/hi/other-story"),
    ]))
    annotated = [GoldArticle("d01_hi.txt", "hi", tmp_path / "d01_hi.txt", [], "https://www.vietnam.vn/hi/same-story")]
    assert [p.doc for p in without_annotated(pages, annotated)] == ["b.txt"]
