"""Ingest: read article files into ``Document`` records.

The original text is kept untouched so that every offset computed later points
into the file as the user has it. Boilerplate lines (comment counters, ad
placeholders, photo credits) and HTML markup left in scraped text (tags,
comments, entities, whole ``<script>``/``<style>`` blocks) are not removed but
listed in ``Document.skipped``; the tokenizer leaves those spans out.

Unicode is not normalised here either: decomposed or precomposed Devanagari
stays as written (so offsets slice the file), and matching is done on NFC keys
(``kg.extract.lexicon.fold``).

A file that cannot be an article (empty, not UTF-8, binary, a script the
project does not read, unreadable) raises ``IngestError`` with one line naming
the file and the reason; control characters in a file name are escaped so the
message stays one line.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.model import Document
from kg.extract.resources import LANGUAGES, column

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
YEAR_RANGE = re.compile(r"(?<!\d)(?:19|20)\d\d\s*[-–—]\s*(?:19|20)\d\d(?!\d)")

MAX_BYTES = 50 * 1024 * 1024

# File signatures of formats people save with a .txt name by mistake.
MAGIC = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG image"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"PK\x03\x04", "zip archive (or .docx/.xlsx)"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x7fELF", "executable"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
    (b"{\\rtf", "RTF document"),
)
UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# HTML left in scraped text. Bounded repetitions keep every search linear.
MARKUP = re.compile(
    r"<!--.{0,20000}?-->"
    r"|</?[A-Za-z][A-Za-z0-9:-]{0,30}(?:\s[^<>]{0,2000})?/?>"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});",
    re.DOTALL,
)
RAW_TEXT_TAG = re.compile(r"<(script|style)\b[^<>]{0,2000}>", re.IGNORECASE)
NON_PRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


class IngestError(Exception):
    """A file cannot be read as an article; the message names the file and the reason."""


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    reason: str


def shown(path: Path | str) -> str:
    """A path as it can be printed on one line: control and bidi characters as escapes."""
    return NON_PRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(path))


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


def find_markup_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of HTML tags, comments, entities and whole script/style blocks in ``text``."""
    spans: list[tuple[int, int]] = []
    position = 0
    # Script and style blocks hold code, not article text: skip them whole.
    while (match := RAW_TEXT_TAG.search(text, position)) is not None:
        close = re.compile(rf"</{match.group(1)}\s*>", re.IGNORECASE).search(text, match.end())
        end = close.end() if close else match.end()
        spans.append((match.start(), end))
        position = end
    block_starts = [start for start, _ in spans]
    blocks = list(spans)
    for match in MARKUP.finditer(text):
        i = bisect.bisect_right(block_starts, match.start()) - 1
        if i < 0 or match.start() >= blocks[i][1]:
            spans.append(match.span())
    return tuple(sorted(spans))


def merge_spans(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sorted spans with overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def visible_text(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """``text`` without the (sorted, disjoint) ``spans``; for detection only, offsets are lost."""
    parts, position = [], 0
    for start, end in spans:
        parts.append(text[position:start])
        position = end
    parts.append(text[position:])
    return " ".join(parts)


def find_source_url(text: str) -> str | None:
    for line in text.splitlines():
        match = SOURCE_LINE.match(line.strip())
        if match:
            return match.group(1)
    return None


def find_year(text: str) -> int | None:
    """The most frequent plausible year in the text: the article's year when no dateline gives one."""
    # A term or an anniversary range (2025-2030, 1945 - 2025) says nothing of when the article was written.
    years = Counter(int(y) for y in YEAR.findall(YEAR_RANGE.sub(" ", text)))
    if not years:
        return None
    return max(years.items(), key=lambda item: (item[1], item[0]))[0]


def decode(raw: bytes, path: Path) -> str:
    """The text of ``raw``, or ``IngestError`` saying why it is not a UTF-8 article."""
    name = shown(path)
    for magic, kind in MAGIC:
        if raw.startswith(magic):
            raise IngestError(f"{name}: binary file, not text ({kind})")
    if raw.startswith(UTF32_BOMS):
        raise IngestError(f"{name}: UTF-32 text; save the article as UTF-8")
    if raw.startswith(UTF16_BOMS):
        raise IngestError(f"{name}: UTF-16 text; save the article as UTF-8")
    if b"\x00" in raw[:4096]:
        raise IngestError(f"{name}: binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IngestError(
            f"{name}: not valid UTF-8 (byte {error.start}); save the article as UTF-8"
        ) from None
    controls = sum(1 for c in text[:4096] if unicodedata.category(c) == "Cc" and c not in "\r\n\t\x0b\x0c")
    if controls > 8:
        raise IngestError(f"{name}: binary file, not text ({controls} control characters)")
    return text


def read_document(path: Path) -> Document:
    """Read one article. Raises ``IngestError`` with a one-line reason."""
    name = shown(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise IngestError(f"{name}: {size} bytes is over the {MAX_BYTES} byte limit")
        raw = path.read_bytes()
    except PermissionError:
        raise IngestError(f"{name}: permission denied") from None
    except IsADirectoryError:
        raise IngestError(f"{name}: is a directory") from None
    except OSError as error:
        raise IngestError(f"{name}: cannot read ({error.strerror or error})") from None
    return document_from_text(decode(raw, path), path.stem, str(path), name)


def document_from_text(text: str, doc_id: str, path: str, name: str, lang: str | None = None) -> Document:
    """The Document of an article's text (from a file or a record of a JSON Lines dump).

    ``lang``, when the source gives it, is used instead of detecting the script.
    """
    if not text.strip():
        raise IngestError(f"{name}: empty file")
    markup = find_markup_spans(text)
    visible = visible_text(text, merge_spans(markup))
    if not LETTER.search(visible):
        raise IngestError(f"{name}: no words (only spaces, marks, digits or markup)")
    lang = lang or detect_language(visible)
    if lang not in LANGUAGES:
        supported = ", ".join(LANGUAGES)
        raise IngestError(f"{name}: language {lang!r} is not supported (supported: {supported})")
    return Document(
        id=doc_id,
        path=path,
        lang=lang,
        text=text,
        source_url=find_source_url(text),
        year=find_year(text),
        skipped=merge_spans(find_skipped_spans(text, lang) + markup),
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
            yield Skipped(str(path), f"{shown(path)}: same document id as {shown(seen_ids[document.id])}")
            continue
        seen_ids[document.id] = str(path)
        yield document
