"""Tokenize: split a document into sentences and tokens with character offsets.

Hindi ends sentences with the danda (``।``) or a bar (``|``, common in machine
translation); Arabic with ``.``, ``؟`` and ``!`` (``؛`` is a semicolon: it separates
the items of one list, which must stay one sentence). A line break always ends
a sentence: news pages put headlines, captions and paragraphs on lines of
their own (every line break ``str.splitlines`` knows: ``\n``, ``\r\n``, ``\r``,
form feed, U+2028, ...).

Spans that ingest marks as skipped (boilerplate lines, HTML markup) are left
out. A skipped span inside a sentence (``<b>`` around a name) is a hole in that
sentence; one that holds a line break or is a block-level tag (``<p>``,
``<br>``, ``</div>``, a script block) ends the sentence, as a line break would.
All of this is linear in the length of the text.

A "sentence" longer than ``MAX_SENTENCE`` characters (a page without
punctuation, a 1 MB line) is cut at the last comma, or else the last space,
before the limit: later stages pair the mentions of a sentence and copy its
text into every fact's evidence, so one unbounded sentence would cost time
and memory quadratic in its length.

A token is a run of word characters (letters, combining marks, digits and the
zero-width joiners that Devanagari and Arabic use inside words), or one
punctuation character. Offsets always slice back to the token text.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

from kg.model import Document, Sentence, Token

SENTENCE_END = {
    "hi": "।|?!.",
    "ar": ".؟?!",
}
DEFAULT_SENTENCE_END = ".?!"

WORD_JOINERS = "\u200c\u200d"
MAX_SENTENCE = 2000
CLAUSE_BREAK = re.compile(r"[,،;؛:]\s*")
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
BLOCK_MARKUP = re.compile(
    r"<[/!]?(?:p|br|hr|div|li|ul|ol|h[1-6]|tr|td|th|table|section|article|header|footer|title|"
    r"blockquote|figure|figcaption|script|style|--)(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def is_word_char(char: str) -> bool:
    if char in WORD_JOINERS:
        return True
    category = unicodedata.category(char)
    return category[0] in "LMN"


def is_format_char(char: str) -> bool:
    """Invisible format characters: joiners, zero-width space, bidi marks and isolates, soft hyphen, BOM."""
    return unicodedata.category(char) == "Cf"


def word_end(text: str, j: int, end: int) -> int:
    """The end of the word going on at ``j``: letters, marks and digits, and format characters between them.

    A zero-width space, a bidi mark or a joiner inside a name (मा\u200bई)
    stays inside its token, so the token's offsets still slice the file as
    written; matching keys drop them (``kg.extract.lexicon.fold``). At a
    word's start or end they are not part of it.
    """
    while j < end:
        if unicodedata.category(text[j])[0] in "LMN":
            j += 1
            continue
        k = j
        while k < end and is_format_char(text[k]):
            k += 1
        if k == j or k >= end or unicodedata.category(text[k])[0] not in "LMN":
            break
        j = k + 1
    return j


def tokenize_span(text: str, start: int, end: int) -> list[Token]:
    """Tokens of ``text[start:end]`` with offsets into ``text``."""
    tokens: list[Token] = []
    i = start
    while i < end:
        char = text[i]
        if char.isspace() or unicodedata.category(char) in ("Cf", "Cc"):
            i += 1
            continue
        if is_word_char(char):
            j = word_end(text, i + 1, end)
            # A decimal point or thousands separator between digits stays inside the number.
            while (
                j + 1 < end and text[j] in ".," and text[j - 1].isdigit() and text[j + 1].isdigit()
            ):
                j += 2
                while j < end and is_word_char(text[j]):
                    j += 1
            tokens.append(Token(i, j, text[i:j]))
            i = j
        else:
            tokens.append(Token(i, i + 1, char))
            i += 1
    return tokens


def sentence_bounds(text: str, enders: str) -> list[tuple[int, int]]:
    """(start, end) of sentences, split at line breaks and sentence-ending marks."""
    bounds: list[tuple[int, int]] = []
    stop = re.escape(LINE_BREAKS + enders)
    pattern = re.compile(f"[^{stop}]*(?:[{re.escape(enders)}]+|\r\n|[{re.escape(LINE_BREAKS)}]|$)")
    for match in pattern.finditer(text):
        start, end = match.span()
        if start == end:
            continue
        bounds.append((start, end))
    return [piece for start, end in merge_false_breaks(text, bounds) for piece in cut_long(text, start, end)]


def cut_long(text: str, start: int, end: int, limit: int = MAX_SENTENCE) -> list[tuple[int, int]]:
    """[start, end) in pieces of at most ``limit`` characters, cut after a comma or space where there is one."""
    pieces = []
    while end - start > limit:
        window_start, window_end = start + limit // 2, start + limit
        cut = None
        for match in CLAUSE_BREAK.finditer(text, window_start, window_end):
            cut = match.end()
        if cut is None:
            space = max(text.rfind(" ", window_start, window_end), text.rfind("\t", window_start, window_end))
            cut = space + 1 if space >= 0 else window_end
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def merge_false_breaks(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in bounds:
        if merged:
            prev_start, prev_end = merged[-1]
            last = text[prev_end - 1]
            before = text[prev_end - 2] if prev_end >= 2 else " "
            after = text[prev_end] if prev_end < len(text) else " "
            # Nor does one inside a word: a number (2.5), a web address (laichau.gov.vn), an abbreviation (ن.د.و).
            if last == "." and before.isalnum() and after.isalnum():
                merged[-1] = (prev_start, end)
                continue
        merged.append((start, end))
    return merged


def outside(spans: tuple[tuple[int, int], ...], start: int, end: int) -> list[tuple[int, int]]:
    """Parts of [start, end) not covered by any of ``spans`` (sorted by start, as ingest gives them)."""
    ends = SpanIndex(spans)
    parts = []
    position = start
    for s_start, s_end in ends.overlapping(start, end):
        if position < s_start:
            parts.append((position, s_start))
        position = max(position, s_end)
    if position < end:
        parts.append((position, end))
    return parts


class SpanIndex:
    """Sorted, merged spans with a binary search for those overlapping a range."""

    def __init__(self, spans: tuple[tuple[int, int], ...]) -> None:
        merged: list[tuple[int, int]] = []
        for s_start, s_end in sorted(spans):
            if merged and s_start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], s_end))
            elif s_start < s_end:
                merged.append((s_start, s_end))
        self.spans = merged
        self.ends = [s_end for _, s_end in merged]

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        i = bisect.bisect_right(self.ends, start)
        out = []
        while i < len(self.spans) and self.spans[i][0] < end:
            out.append(self.spans[i])
            i += 1
        return out


def ends_sentence(text: str, start: int, end: int) -> bool:
    """Whether the skipped span text[start:end] breaks a sentence: it holds a line break or a block tag."""
    piece = text[start:end]
    return any(c in LINE_BREAKS for c in piece) or BLOCK_MARKUP.match(piece) is not None


def sentence_pieces(text: str, index: SpanIndex, start: int, end: int) -> list[list[tuple[int, int]]]:
    """The sentence [start, end) as pieces (each a list of unskipped parts) split at breaking spans."""
    pieces: list[list[tuple[int, int]]] = [[]]
    position = start
    for s_start, s_end in index.overlapping(start, end):
        if position < s_start:
            pieces[-1].append((position, s_start))
        if ends_sentence(text, max(s_start, start), min(s_end, end)):
            pieces.append([])
        position = max(position, s_end)
    if position < end:
        pieces[-1].append((position, end))
    return [piece for piece in pieces if piece]


def tokenize(document: Document) -> list[Sentence]:
    """Sentences of the document with their tokens; skipped spans are left out."""
    text = document.text
    enders = SENTENCE_END.get(document.lang, DEFAULT_SENTENCE_END)
    index = SpanIndex(document.skipped)
    sentences: list[Sentence] = []
    for start, end in sentence_bounds(text, enders):
        for piece in sentence_pieces(text, index, start, end):
            tokens = [token for part_start, part_end in piece for token in tokenize_span(text, part_start, part_end)]
            if not any(is_word_char(t.text[0]) for t in tokens):
                continue
            s_start, s_end = tokens[0].start, tokens[-1].end
            sentences.append(
                Sentence(
                    doc_id=document.id,
                    index=len(sentences),
                    start=s_start,
                    end=s_end,
                    text=text[s_start:s_end],
                    tokens=tuple(tokens),
                )
            )
    return sentences
