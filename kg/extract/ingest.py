"""Ingest: an article's text into a ``Document``.

The original text is kept untouched so that every offset computed later points
into the file as the user has it. Boilerplate lines (comment counters, ad
placeholders, photo credits), HTML markup left in scraped text (tags,
comments, entities, whole ``<script>``/``<style>`` blocks) and lines in the
script of another language are not removed but listed in
``Document.skipped``; the tokenizer leaves those spans out.

Unicode is not normalised here either: decomposed or precomposed Devanagari
stays as written (so offsets slice the file), and matching is done on NFC keys
(``kg.extract.lexicon.fold``).

A file's bytes are read and refused where they are not an article by
``kg.extract.file_bytes`` (its names are importable from here too); the
folders given are walked by ``kg.extract.article_files``. Every refusal is an
``IngestError`` with one line naming the file and the reason: empty, a script
the project does not read, and the file-level reasons.

Memory stays linear in the file: no per-character lists (language detection
counts with ``re.subn``; lines are found with one pattern, never
``splitlines`` copies). A run of text with no sentence end longer than the
tokenizer's sentence cap is read in pieces; ``long_run_warning`` says so,
naming the file.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.extract.file_bytes import (  # noqa: F401 - importable from here, where a Document is made
    LETTER,
    MAX_BYTES,
    SCRIPT_PATTERNS,
    IngestError,
    count_matches,
    decode,
    detect_language,
    read_bytes,
    shown,
)
from kg.extract.resources import LANGUAGES, column
from kg.extract.tokenize import DEFAULT_SENTENCE_END, LINE_BREAKS, MAX_SENTENCE, SENTENCE_END
from kg.model import Document

# A source line names where the article came from: "स्रोत: https://…" / "مصدر: https://…".
SOURCE_LINE = re.compile(r"^\s*\S+\s*[:：]\s*(https?://\S+)\s*$")
URL = re.compile(r"https?://\S+")
YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
YEAR_RANGE = re.compile(r"(?<!\d)(?:19|20)\d\d\s*[-–—]\s*(?:19|20)\d\d(?!\d)")


# HTML left in scraped text. Bounded repetitions keep every search linear.
MARKUP = re.compile(
    r"<!--.{0,20000}?-->"
    r"|</?[A-Za-z][A-Za-z0-9:-]{0,30}(?:\s[^<>]{0,2000})?/?>"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});",
    re.DOTALL,
)
RAW_TEXT_TAG = re.compile(r"<(script|style)\b[^<>]{0,2000}>", re.IGNORECASE)
LINE = re.compile(f"([^{re.escape(LINE_BREAKS)}]*)(?:\r\n|[{re.escape(LINE_BREAKS)}]|\\Z)")


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input not read: a file or folder, and the one-line reason (which names it)."""

    path: str
    reason: str


def other_script_lines(text: str, lang: str) -> tuple[tuple[int, int], ...]:
    """Lines written mostly in the script of another supported language than ``lang``.

    A document is read in one language; such lines (the Hindi half of a file
    read as Arabic) are left out, and ``other_script_warning`` says so.
    """
    if lang not in SCRIPT_PATTERNS or lang == "en":
        return ()
    others = {code: pattern for code, pattern in SCRIPT_PATTERNS.items() if code not in (lang, "en")}
    if not any(pattern.search(text) for pattern in others.values()):
        return ()  # the usual case: one script, no line to look at
    spans = []
    for start, end in iter_lines(text):
        line = text[start:end]
        own = count_matches(SCRIPT_PATTERNS[lang], line)
        if any(count_matches(pattern, line) > own for pattern in others.values()):
            spans.append((start, end))
    return tuple(spans)


def other_script_warning(document: Document) -> str | None:
    lines = other_script_lines(document.text, document.lang)
    if not lines:
        return None
    return f"{shown(document.path)}: read as {document.lang}; {len(lines)} line(s) in another language's script not read (first at character {lines[0][0]})"


def boilerplate_patterns(lang: str) -> list[re.Pattern[str]]:
    return [re.compile(p) for p in column(lang, "boilerplate")]


def iter_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line's content, at every line break ``str.splitlines`` knows, without copying them all."""
    for match in LINE.finditer(text):
        if match.start() == match.end():
            break
        yield match.span(1)


def find_skipped_spans(text: str, lang: str) -> tuple[tuple[int, int], ...]:
    """Character spans of whole lines that are boilerplate or metadata, not article text."""
    patterns = boilerplate_patterns(lang) if lang in LANGUAGES else []
    spans = []
    for start, end in iter_lines(text):
        if end - start > 2000:
            continue  # a boilerplate line is short; a long one is article text
        content = text[start:end]
        stripped = content.strip()
        if stripped and (SOURCE_LINE.match(stripped) or any(p.fullmatch(stripped) for p in patterns)):
            spans.append((start, end))
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
    for start, end in iter_lines(text):
        if end - start <= 2000:
            match = SOURCE_LINE.match(text[start:end].strip())
            if match:
                return match.group(1)
    return None


def latest_year(text: str) -> int | None:
    """The latest plausible year the text names: the article was written that year or after."""
    years = [int(y) for y in YEAR.findall(text)]
    return max(years) if years else None


def find_year(text: str) -> int | None:
    """The most frequent plausible year in the text: the article's year when no dateline gives one."""
    # A term or an anniversary range (2025-2030, 1945 - 2025) says nothing of when the article was written.
    years = Counter(int(y) for y in YEAR.findall(YEAR_RANGE.sub(" ", text)))
    if not years:
        return None
    return max(years.items(), key=lambda item: (item[1], item[0]))[0]


UNDECODED = re.compile("[\udc80-\udcff]")  # how Python keeps a file name's bytes that are not UTF-8


def text_name(text: str) -> str:
    """A file name as text every output can hold: bytes that are not UTF-8 written as ``%XX``."""
    return UNDECODED.sub(lambda m: f"%{ord(m.group()) - 0xDC00:02X}", text)


def read_document(path: Path, doc_id: str | None = None, raw: bytes | None = None) -> Document:
    """Read one article (``raw``: its bytes, already read). Raises ``IngestError`` with a one-line reason.

    The document's id is ``doc_id`` (``file_ids`` gives one per file of a
    corpus), else the file's name without its suffix; id and path have any
    bytes of the name that are not UTF-8 written as ``%XX`` (an id is text in
    every output).
    """
    name = shown(path)
    return document_from_text(decode(read_bytes(path) if raw is None else raw, path), doc_id or text_name(path.stem), text_name(str(path)), name)


def file_ids(paths: Iterable[Path]) -> dict[Path, str]:
    """Each file's document id: its name without suffix, unique among ``paths``.

    Files that share a name (a scraper's ``art1/index.txt`` … ``art5/index.txt``)
    get as many of their folders in front as tell them apart: ``art1-index``.
    """
    groups: dict[str, list[Path]] = {}
    for path in paths:
        groups.setdefault(text_name(path.stem), []).append(path)
    ids: dict[Path, str] = {}
    for stem, members in groups.items():
        if len(members) == 1:
            ids[members[0]] = stem
            continue
        deepest = max(len(p.parent.parts) for p in members)
        for depth in range(1, deepest + 1):
            named = {p: "-".join([text_name(part) for part in p.parent.parts[-depth:]] + [stem]) for p in members}
            if len(set(named.values())) == len(members):
                break
        ids.update(named)
    return ids


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
    del visible
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
        skipped=merge_spans(find_skipped_spans(text, lang) + markup + other_script_lines(text, lang)),
    )


def long_run_warning(document: Document) -> str | None:
    """A warning naming the file when a run of text has no sentence end for more than MAX_SENTENCE characters.

    Such a run (a page on one line without punctuation) is read in pieces of
    at most MAX_SENTENCE characters, which keeps memory and time bounded; facts
    that span a cut are not found.
    """
    enders = SENTENCE_END.get(document.lang, DEFAULT_SENTENCE_END) + LINE_BREAKS
    longest = max((m.end() - m.start() for m in re.finditer(f"[^{re.escape(enders)}]{{{MAX_SENTENCE + 1},}}", document.text)), default=0)
    if not longest:
        return None
    return (
        f"{shown(document.path)}: {longest} characters without a sentence end; "
        f"read in pieces of at most {MAX_SENTENCE} characters (facts across a cut are not found)"
    )
