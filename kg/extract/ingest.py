"""Ingest: read article files into ``Document`` records.

The original text is kept untouched so that every offset computed later points
into the file as the user has it. Boilerplate lines (comment counters, ad
placeholders, photo credits) and HTML markup left in scraped text (tags,
comments, entities, whole ``<script>``/``<style>`` blocks) are not removed but
listed in ``Document.skipped``; the tokenizer leaves those spans out.

Unicode is not normalised here either: decomposed or precomposed Devanagari
stays as written (so offsets slice the file), and matching is done on NFC keys
(``kg.extract.lexicon.fold``).

A file that cannot be an article (empty, not UTF-8, UTF-16 with or without a
byte-order mark, binary, NUL bytes anywhere, bidi override characters, a
script the project does not read, unreadable, not a regular file) raises
``IngestError`` with one line naming the file and the reason; control
characters in a file name are escaped so the message stays one line.

Only regular files are read, through ``open`` with ``O_NONBLOCK`` and a check
of the opened file: a FIFO, a device (``/dev/zero``), a socket, named directly
or through a link, is skipped with its reason instead of hanging the build or
reading until memory runs out. Folders are walked by hand so that everything
not read is reported: a folder that cannot be listed, a file without the
``.txt`` suffix (any case: ``A.TXT`` is read), a link to a folder (not followed),
a hidden folder (not entered).

Memory stays linear in the file: no per-character lists (language detection
counts with ``re.subn``; lines are found with one pattern, never
``splitlines`` copies). A run of text with no sentence end longer than the
tokenizer's sentence cap is read in pieces; ``read_documents`` then warns,
naming the file.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg.model import Document
from kg.extract.resources import LANGUAGES, column
from kg.extract.tokenize import DEFAULT_SENTENCE_END, LINE_BREAKS, MAX_SENTENCE, SENTENCE_END

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

# One article at most: memory grows with an article's size (its tokens, mentions and
# evidence are all held), so a cap on the size is what keeps a build under 1 GiB.
# bench/bench_memory.py, one line without sentence ends, Stanza: 933 MiB at 4.9 MiB;
# the cap leaves a margin below that. A news article is a few KB.
MAX_BYTES = 4 * 1024 * 1024

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
# Bidi overrides display characters in the reverse of their order: a name can be
# made to look like another (display spoofing); news text has no use for them.
BIDI_OVERRIDES = re.compile("[\u202d\u202e]")
LINE = re.compile(f"([^{re.escape(LINE_BREAKS)}]*)(?:\r\n|[{re.escape(LINE_BREAKS)}]|\\Z)")
# UTF-16 without a byte-order mark: the high byte of Devanagari, Arabic and ASCII code points.
UTF16_HIGH_BYTES = {0x00, 0x06, 0x09, 0x20, 0xFE}


class IngestError(Exception):
    """A file cannot be read as an article; the message names the file and the reason."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input not read: a file or folder, and the one-line reason (which names it)."""

    path: str
    reason: str


def shown(path: Path | str) -> str:
    """A path as it can be printed on one line: control and bidi characters as escapes."""
    return NON_PRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(path))


def detect_language(text: str) -> str:
    """The language of ``text`` from its dominant script: hi, ar, en or ``und``.

    Latin letters (web addresses, a Latin byline) decide only when the text has
    no Devanagari or Arabic letters: a short Hindi article under a long URL is Hindi.

    >>> detect_language("सम्मेलन में भाषण")
    'hi'
    """
    counts = Counter({lang: count_matches(pattern, text) for lang, pattern in SCRIPT_PATTERNS.items()})
    native = Counter({lang: n for lang, n in counts.items() if lang != "en" and n})
    if native:
        return min(native, key=lambda lang: (-native[lang], lang))
    counts["und"] = count_matches(LETTER, text) - sum(counts.values())
    lang, count = counts.most_common(1)[0]
    return lang if count > 0 else "und"


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


def count_matches(pattern: re.Pattern[str], text: str, chunk: int = 1 << 16) -> int:
    """Matches of a one-character pattern, counted a chunk at a time.

    ``len(pattern.findall(text))`` holds one string per matched letter: a 49 MB
    article made that a 1.4 GB list.
    """
    return sum(len(pattern.findall(text, start, start + chunk)) for start in range(0, len(text), chunk))


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


def utf32_without_bom(raw: bytes) -> str | None:
    """'LE' or 'BE' when ``raw`` has the zero high bytes of UTF-32 text (every code point is under U+10000 here)."""
    sample = raw[:4096]
    sample = sample[: len(sample) - len(sample) % 4]
    if len(sample) < 8:
        return None
    for order, high in (("LE", sample[2::4] + sample[3::4]), ("BE", sample[0::4] + sample[1::4])):
        if high.count(0) >= 0.95 * len(high):
            return order
    return None


def utf16_without_bom(raw: bytes) -> str | None:
    """'LE' or 'BE' when ``raw`` reads as Devanagari, Arabic or ASCII text in UTF-16 without a byte-order mark.

    Every other byte of such text is a code point's high byte, nearly always
    0x00 (ASCII, spaces), 0x09 (Devanagari) or 0x06 (Arabic); UTF-8 text has no
    such rhythm.
    """
    sample = raw[:4096]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 8:
        return None
    for order, high in (("LE", sample[1::2]), ("BE", sample[0::2])):
        if sum(1 for b in high if b in UTF16_HIGH_BYTES) >= 0.9 * len(high):
            try:
                text = sample.decode(f"utf-16-{order.lower()}")
            except UnicodeDecodeError:
                continue
            if LETTER.search(text) and detect_language(text) in ("hi", "ar", "en"):
                return order
    return None


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
    order = utf32_without_bom(raw)
    if order:
        raise IngestError(f"{name}: UTF-32 {order} text without a byte-order mark; save the article as UTF-8")
    order = utf16_without_bom(raw)
    if order:
        raise IngestError(f"{name}: UTF-16 {order} text without a byte-order mark; save the article as UTF-8")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise IngestError(f"{name}: binary file, not text (NUL byte at byte {nul})")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IngestError(
            f"{name}: not valid UTF-8 (byte {error.start}); save the article as UTF-8"
        ) from None
    controls = sum(1 for c in text[:4096] if unicodedata.category(c) == "Cc" and c not in "\r\n\t\x0b\x0c")
    if controls > 8:
        raise IngestError(f"{name}: binary file, not text ({controls} control characters)")
    override = BIDI_OVERRIDES.search(text)
    if override:
        raise IngestError(
            f"{name}: bidi override character U+{ord(override.group()):04X} at character {override.start()} "
            "(it can make a name display as another); remove it"
        )
    return text


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file, at most MAX_BYTES; anything else is an ``IngestError``.

    ``O_NONBLOCK`` keeps a FIFO from blocking the open, and the type is
    checked on the opened file, so a file swapped for a FIFO or a device
    between the check and the read is refused too.
    """
    name = shown(path)
    with read_errors(name):
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        with read_errors(name):
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise IngestError(f"{name}: {file_kind(info.st_mode)}, not a regular file; not read")
            if info.st_size > MAX_BYTES:
                raise IngestError(f"{name}: {info.st_size} bytes is over the {MAX_BYTES} byte limit for one article; split the file")
            chunks, size = [], 0
            while chunk := os.read(fd, min(1 << 20, MAX_BYTES + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_BYTES:
                    raise IngestError(f"{name}: over the {MAX_BYTES} byte limit (it grew while being read)")
            return b"".join(chunks)
    finally:
        os.close(fd)


@contextmanager
def read_errors(name: str) -> Iterator[None]:
    """An ``OSError`` while opening or reading ``name`` as a one-line ``IngestError``."""
    try:
        yield
    except PermissionError:
        raise IngestError(f"{name}: permission denied") from None
    except IsADirectoryError:
        raise IngestError(f"{name}: is a directory") from None
    except OSError as error:
        raise IngestError(f"{name}: cannot read ({error.strerror or error})") from None


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


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


ARTICLE_SUFFIX = ".txt"


@dataclass(frozen=True, slots=True)
class Ignored:
    """A folder entry that is not an article by its kind, not by a fault: reported, never counted as skipped."""

    path: str
    kind: str  # "files without a .txt suffix", "hidden folders", "links to folders"


SINGULAR = {
    "files without a .txt suffix": "file without a .txt suffix",
    "hidden folders": "hidden folder",
    "links to folders (not followed)": "link to a folder (not followed)",
}


def scan_folder(folder: Path) -> Iterator[Path | Skipped | Ignored]:
    """Article files under ``folder``, and every entry not read (sorted, depth first).

    A folder that cannot be listed is Skipped (its articles are lost); a file
    without the ``.txt`` suffix, a hidden folder (``.git``) and a link to a
    folder (not followed: no loops) are Ignored.
    """
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as error:
        yield Skipped(str(folder), f"{shown(folder)}: cannot read the folder ({error.strerror or error}); its articles were not read")
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_link = entry.is_symlink()
        except OSError as error:
            yield Skipped(str(path), f"{shown(path)}: cannot read ({error.strerror or error})")
            continue
        if is_dir:
            if entry.name.startswith("."):
                yield Ignored(str(path), "hidden folders")
            else:
                yield from scan_folder(path)
        elif is_link and path.is_dir():
            yield Ignored(str(path), "links to folders (not followed)")
        elif entry.name.lower().endswith(ARTICLE_SUFFIX):
            yield path  # FIFOs, devices and broken links are refused with their reason when read
        else:
            yield Ignored(str(path), "files without a .txt suffix")


def scan_inputs(inputs: Iterable[Path]) -> tuple[list[Path], list[Skipped], list[Ignored]]:
    """Article files of the given files and folders (sorted), what could not be read, and what is not an article.

    A file named on the command line is read whatever its name; in folders,
    files whose name ends in ``.txt`` in any case.
    """
    files: set[Path] = set()
    skipped: list[Skipped] = []
    ignored: list[Ignored] = []
    for path in inputs:
        path = Path(path)
        if path.is_dir():
            for item in scan_folder(path):
                if isinstance(item, Skipped):
                    skipped.append(item)
                elif isinstance(item, Ignored):
                    ignored.append(item)
                else:
                    files.add(item)
        else:
            files.add(path)
    return sorted(files), skipped, ignored


def ignored_lines(ignored: Iterable[Ignored], shown_names: int = 4) -> list[str]:
    """One line per folder and kind: ``seeds/gold: 6 files without a .txt suffix not read: a.json, b.json, … and 2 more``."""
    groups: dict[tuple[str, str], list[str]] = {}
    for item in ignored:
        path = Path(item.path)
        groups.setdefault((str(path.parent), item.kind), []).append(path.name)
    lines = []
    for (folder, kind), names in sorted(groups.items()):
        listed = ", ".join(shown(n) for n in names[:shown_names]) + (f" and {len(names) - shown_names} more" if len(names) > shown_names else "")
        lines.append(f"{shown(folder)}: {len(names)} {kind if len(names) > 1 else SINGULAR[kind]} not read: {listed}")
    return lines


def find_article_files(inputs: Iterable[Path]) -> list[Path]:
    """``.txt`` files of the given files and directories, sorted for a deterministic order."""
    return scan_inputs(inputs)[0]


def read_documents(inputs: Iterable[Path], warnings: list[str] | None = None) -> Iterator[Document | Skipped]:
    """Each input file as a Document, or as Skipped with the reason it could not be read.

    Folders and files that could not be read at all come first, as Skipped.
    When ``warnings`` is given, it receives a line per folder for the entries
    that are not articles (``ignored_lines``) and a line for each article read
    in pieces (``long_run_warning``).
    """
    files, not_read, ignored = scan_inputs(inputs)
    if warnings is not None:
        warnings.extend(ignored_lines(ignored))
    yield from not_read
    seen_ids: dict[str, str] = {}
    ids = file_ids(files)
    for path in files:
        try:
            document = read_document(path, ids[path])
        except IngestError as error:
            yield Skipped(str(path), str(error))
            continue
        if document.id in seen_ids:
            yield Skipped(str(path), f"{shown(path)}: same document id as {shown(seen_ids[document.id])}")
            continue
        seen_ids[document.id] = str(path)
        if warnings is not None and (warning := long_run_warning(document)):
            warnings.append(warning)
        yield document
