"""Ingest: read article files into ``Document`` records.

The original text is kept untouched so that every offset computed later points
into the file as the user has it. Boilerplate lines (comment counters, ad
placeholders, photo credits) are not removed but listed in
``Document.skipped``; the tokenizer leaves those spans out.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.model import Document
from kg.resources import LANGUAGES, column

SCRIPT_LANGUAGE = (
    # (first code point, last code point, language)
    (0x0900, 0x097F, "hi"),  # Devanagari
    (0xA8E0, 0xA8FF, "hi"),  # Devanagari Extended
    (0x0600, 0x06FF, "ar"),  # Arabic
    (0x0750, 0x077F, "ar"),  # Arabic Supplement
    (0x08A0, 0x08FF, "ar"),  # Arabic Extended-A
    (0xFB50, 0xFDFF, "ar"),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFF, "ar"),  # Arabic Presentation Forms-B
)

SCRIPT_PATTERNS = {
    lang: re.compile("[" + "".join(f"\\u{first:04x}-\\u{last:04x}" for first, last, code in SCRIPT_LANGUAGE if code == lang) + "]")
    for lang in ("hi", "ar")
}
SCRIPT_PATTERNS["en"] = re.compile("[A-Za-z]")
LETTER = re.compile(r"[^\W\d_]")

# A source line names where the article came from: "स्रोत: https://…" / "مصدر: https://…".
SOURCE_LINE = re.compile(r"^\s*\S+\s*[:：]\s*(https?://\S+)\s*$")
URL = re.compile(r"https?://\S+")
YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")

MAX_BYTES = 50 * 1024 * 1024


class IngestError(Exception):
    """A file cannot be read as an article; the message names the file and the reason."""


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    reason: str


def detect_language(text: str) -> str:
    """The language of ``text`` from its dominant script: hi, ar, en or ``und``.

    >>> detect_language("सम्मेलन में भाषण")
    'hi'
    """
    counts = Counter({lang: len(pattern.findall(text)) for lang, pattern in SCRIPT_PATTERNS.items()})
    counts["und"] = len(LETTER.findall(text)) - sum(counts.values())
    lang, count = counts.most_common(1)[0]
    return lang if count > 0 else "und"


def boilerplate_patterns(lang: str) -> list[re.Pattern[str]]:
    return [re.compile(p) for p in column(lang, "boilerplate")]


def find_skipped_spans(text: str, lang: str) -> tuple[tuple[int, int], ...]:
    """Character spans of whole lines that are boilerplate or metadata, not article text."""
    patterns = boilerplate_patterns(lang) if lang in LANGUAGES else []
    spans = []
    offset = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        stripped = content.strip()
        if stripped and (SOURCE_LINE.match(stripped) or any(p.fullmatch(stripped) for p in patterns)):
            spans.append((offset, offset + len(content)))
        offset += len(line)
    return tuple(spans)


def find_source_url(text: str) -> str | None:
    for line in text.splitlines():
        match = SOURCE_LINE.match(line.strip())
        if match:
            return match.group(1)
    return None


def find_year(text: str) -> int | None:
    """The most frequent plausible year in the text: the article's year when no dateline gives one."""
    years = Counter(int(y) for y in YEAR.findall(text))
    if not years:
        return None
    return max(years.items(), key=lambda item: (item[1], item[0]))[0]


def decode(raw: bytes, path: Path) -> str:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(f"{path}: binary file, not text")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(f"{path}: UTF-16 text; save the article as UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IngestError(
            f"{path}: not valid UTF-8 (byte {error.start}); save the article as UTF-8"
        ) from None
    controls = sum(1 for c in text[:4096] if unicodedata.category(c) == "Cc" and c not in "\r\n\t")
    if controls > 8:
        raise IngestError(f"{path}: binary file, not text ({controls} control characters)")
    return text


def read_document(path: Path) -> Document:
    """Read one article. Raises ``IngestError`` with a one-line reason."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise IngestError(f"{path}: {size} bytes is over the {MAX_BYTES} byte limit")
        raw = path.read_bytes()
    except PermissionError:
        raise IngestError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise IngestError(f"{path}: is a directory") from None
    except OSError as error:
        raise IngestError(f"{path}: cannot read ({error.strerror})") from None
    text = decode(raw, path)
    if not text.strip():
        raise IngestError(f"{path}: empty file")
    lang = detect_language(text)
    if lang not in LANGUAGES:
        supported = ", ".join(LANGUAGES)
        raise IngestError(f"{path}: language {lang!r} is not supported (supported: {supported})")
    return Document(
        id=path.stem,
        path=str(path),
        lang=lang,
        text=text,
        source_url=find_source_url(text),
        year=find_year(text),
        skipped=find_skipped_spans(text, lang),
    )


def find_article_files(inputs: Iterable[Path]) -> list[Path]:
    """``.txt`` files of the given files and directories, sorted for a deterministic order."""
    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            files.extend(p for p in path.rglob("*.txt") if p.is_file() or p.is_symlink())
        else:
            files.append(path)
    return sorted(set(files))


def read_documents(inputs: Iterable[Path]) -> Iterator[Document | Skipped]:
    """Each input file as a Document, or as Skipped with the reason it could not be read."""
    seen_ids: dict[str, str] = {}
    for path in find_article_files(inputs):
        try:
            document = read_document(path)
        except IngestError as error:
            yield Skipped(str(path), str(error))
            continue
        if document.id in seen_ids:
            yield Skipped(str(path), f"{path}: same document id as {seen_ids[document.id]}")
            continue
        seen_ids[document.id] = str(path)
        yield document
