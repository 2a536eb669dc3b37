"""The manifest of the real pages the tagger's silver labels come from.

The page texts are third-party material and never enter the repository; the
manifest (``corpus.jsonl`` beside this module, one JSON object per line)
says how to find each again and how to check it: ``doc`` (the file name in the
corpus folder), ``lang``, ``url``, ``query`` (the search that finds the page
among stored pages), ``sha256`` of the UTF-8 bytes and ``chars`` (length in code
points). ``check_corpus`` compares a rebuilt folder with it.

Pages whose slug (the url's last path segment, lower-cased) hashes to a line
of the reserved list (``shared/devset/excluded-slugs.sha256``) are reserved for
judging: a manifest naming one is refused, whatever its host or language.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

SHIPPED_MANIFEST = Path(__file__).parent / "corpus.jsonl"
FIELDS = ("doc", "lang", "url", "query", "sha256", "chars")
LANGS = ("hi", "ar")


class ManifestError(ValueError):
    """A manifest line that cannot be used, named by file and line."""


@dataclass(frozen=True)
class Page:
    doc: str
    lang: str
    url: str
    query: str
    sha256: str
    chars: int


def url_slug(url: str) -> str:
    """The url's last path segment, percent-decoded and lower-cased."""
    return unquote(urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]).lower()


def slug_hash(url: str) -> str:
    return hashlib.sha256(url_slug(url).encode("utf-8")).hexdigest()


def read_reserved(path: Path | None) -> frozenset[str]:
    """The reserved slug hashes (first field of each non-empty line)."""
    if path is None or not Path(path).exists():
        return frozenset()
    return frozenset(line.split()[0].lower() for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip())


def read_manifest(path: Path = SHIPPED_MANIFEST, reserved: frozenset[str] = frozenset()) -> list[Page]:
    """The pages of a manifest; a malformed or reserved line raises ``ManifestError``."""
    pages: list[Page] = []
    seen: set[str] = set()
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise ManifestError(f"{where}: not JSON ({error.msg})") from None
        if not isinstance(data, dict) or any(field not in data for field in FIELDS):
            raise ManifestError(f"{where}: needs the fields {', '.join(FIELDS)}")
        page = Page(**{field: data[field] for field in FIELDS})
        if page.lang not in LANGS:
            raise ManifestError(f"{where}: language {page.lang!r} (expected one of {', '.join(LANGS)})")
        if not isinstance(page.chars, int) or len(page.sha256) != 64:
            raise ManifestError(f"{where}: chars must be a number and sha256 64 hex digits")
        if "/" in page.doc or page.doc.startswith("."):
            raise ManifestError(f"{where}: doc {page.doc!r} must be a plain file name")
        if page.doc in seen:
            raise ManifestError(f"{where}: doc {page.doc!r} listed twice")
        if slug_hash(page.url) in reserved:
            raise ManifestError(f"{where}: {page.url} is reserved for judging and may not be used")
        seen.add(page.doc)
        pages.append(page)
    return pages


def check_page(page: Page, folder: Path) -> str | None:
    """Why the folder's copy of the page cannot be used, or None when it matches."""
    path = Path(folder) / page.doc
    if not path.exists():
        return "missing"
    raw = path.read_bytes()
    if hashlib.sha256(raw).hexdigest() != page.sha256:
        return "differs (sha256)"
    try:
        if len(raw.decode("utf-8")) != page.chars:
            return "differs (length)"
    except UnicodeDecodeError:
        return "not UTF-8"
    return None


def check_corpus(pages: list[Page], folder: Path) -> dict[str, str]:
    """doc -> problem, for every page whose copy in ``folder`` is missing or differs."""
    return {page.doc: problem for page in pages if (problem := check_page(page, folder))}
