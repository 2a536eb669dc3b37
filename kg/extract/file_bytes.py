"""An article file's bytes as text: what is read, and what is refused with its reason.

Only regular files are read, through ``open`` with ``O_NONBLOCK`` and a check
of the opened file, at most ``MAX_BYTES``: a FIFO or a device (``/dev/zero``)
named directly or through a link is refused instead of hanging the build or
reading until memory runs out. The bytes must be UTF-8 text: a PDF, an image
or an archive saved as ``.txt``, UTF-16 or UTF-32 with or without a byte-order
mark, NUL bytes, control characters and bidi overrides are each refused with
one line naming the file (``IngestError``). The script a text is written in
(``detect_language``) is what tells UTF-16 without a byte-order mark from
UTF-8, and what ``kg.extract.ingest`` reads the language from.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


NON_PRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


# Bidi overrides display characters in the reverse of their order: a name can be
# made to look like another (display spoofing); news text has no use for them.
BIDI_OVERRIDES = re.compile("[\u202d\u202e]")


# UTF-16 without a byte-order mark: the high byte of Devanagari, Arabic and ASCII code points.
UTF16_HIGH_BYTES = {0x00, 0x06, 0x09, 0x20, 0xFE}


class IngestError(Exception):
    """A file cannot be read as an article; the message names the file and the reason."""


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


def count_matches(pattern: re.Pattern[str], text: str, chunk: int = 1 << 16) -> int:
    """Matches of a one-character pattern, counted a chunk at a time.

    ``len(pattern.findall(text))`` holds one string per matched letter: a 49 MB
    article made that a 1.4 GB list.
    """
    return sum(len(pattern.findall(text, start, start + chunk)) for start in range(0, len(text), chunk))


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
