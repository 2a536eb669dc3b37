"""Tokenize: split a document into sentences and tokens with character offsets.

Hindi ends sentences with the danda (``।``) or a bar (``|``, common in machine
translation); Arabic with ``.``, ``؟``, ``؛`` and ``!``. A line break always ends
a sentence: news pages put headlines, captions and paragraphs on lines of
their own. Boilerplate spans found by ingest are left out.

A token is a run of word characters (letters, combining marks, digits and the
zero-width joiners that Devanagari and Arabic use inside words), or one
punctuation character. Offsets always slice back to the token text.
"""

from __future__ import annotations

import re
import unicodedata

from kg.model import Document, Sentence, Token

SENTENCE_END = {
    "hi": "।|?!.",
    "ar": ".؟?!؛",
}
DEFAULT_SENTENCE_END = ".?!"

WORD_JOINERS = "\u200c\u200d"


def is_word_char(char: str) -> bool:
    if char in WORD_JOINERS:
        return True
    category = unicodedata.category(char)
    return category[0] in "LMN"


def tokenize_span(text: str, start: int, end: int) -> list[Token]:
    """Tokens of ``text[start:end]`` with offsets into ``text``."""
    tokens: list[Token] = []
    i = start
    while i < end:
        char = text[i]
        if char.isspace() or unicodedata.category(char) in ("Cf", "Cc") and char not in WORD_JOINERS:
            i += 1
            continue
        if is_word_char(char):
            j = i + 1
            while j < end and is_word_char(text[j]):
                j += 1
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
    pattern = re.compile(r"[^\n" + re.escape(enders) + r"]*(?:[" + re.escape(enders) + r"]+|\n|$)")
    for match in pattern.finditer(text):
        start, end = match.span()
        if start == end:
            continue
        # A '.' between digits (2.5) or directly after one letter (initials) does not end a sentence.
        bounds.append((start, end))
    return merge_false_breaks(text, bounds)


def merge_false_breaks(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in bounds:
        if merged:
            prev_start, prev_end = merged[-1]
            last = text[prev_end - 1]
            before = text[prev_end - 2] if prev_end >= 2 else " "
            after = text[prev_end] if prev_end < len(text) else " "
            if last == "." and (before.isdigit() and after.isdigit()):
                merged[-1] = (prev_start, end)
                continue
        merged.append((start, end))
    return merged


def outside(spans: tuple[tuple[int, int], ...], start: int, end: int) -> list[tuple[int, int]]:
    """Parts of [start, end) not covered by any of ``spans``."""
    parts = [(start, end)]
    for s_start, s_end in spans:
        next_parts = []
        for p_start, p_end in parts:
            if s_end <= p_start or s_start >= p_end:
                next_parts.append((p_start, p_end))
                continue
            if p_start < s_start:
                next_parts.append((p_start, s_start))
            if s_end < p_end:
                next_parts.append((s_end, p_end))
        parts = next_parts
    return parts


def tokenize(document: Document) -> list[Sentence]:
    """Sentences of the document with their tokens; boilerplate spans are left out."""
    text = document.text
    enders = SENTENCE_END.get(document.lang, DEFAULT_SENTENCE_END)
    sentences: list[Sentence] = []
    for start, end in sentence_bounds(text, enders):
        for part_start, part_end in outside(document.skipped, start, end):
            tokens = tokenize_span(text, part_start, part_end)
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
