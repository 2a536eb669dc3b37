"""The JSON the corpus tables store their small values in: one encoder and one scanner, and a name's syllables.

Millions of small values (a post, a pair of labels, a name's syllables) are
written and read back in a big build, so the encoding is made once, not per
value, and syllables, which recur across names, are encoded once each.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from kg.extract.translit import NameSyllable


def json_encoder() -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False)``'s text, from one encoder made once.

    ``JSONEncoder.encode`` makes a new C encoder for every call, two thirds of
    the time of encoding the tables' millions of small values (a post, a pair
    of labels). The values are the tables' own, never cyclic, so the
    encoder skips the check for cycles, as the text does not depend on it.
    """
    plain = json.JSONEncoder(ensure_ascii=False)
    if c_make_encoder is None:  # a Python without the C accelerator
        return plain.encode
    encode = c_make_encoder(None, plain.default, encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(encode(value, 0))


def json_decoder() -> Callable[[str], Any]:
    """``json.loads`` of the tables' own JSON (no whitespace around it): the scanner alone, without ``loads``' checks around it."""
    scan = json.JSONDecoder().scan_once
    return lambda text: scan(text, 0)[0]


json_text = json_encoder()
json_value = json_decoder()


def syllables_text(syllables: tuple[NameSyllable, ...]) -> str:
    """A name's syllables as stored (``syllables_of`` reads them back): the JSON list of each one's fields."""
    return "[" + ", ".join(syllable_text(s) for s in syllables) + "]"


# syllable_text's memo: id(syllable) -> (syllable, its text). Each entry holds its syllable, so no other object takes its id.
SYLLABLE_TEXTS: dict[int, tuple[NameSyllable, str]] = {}
SYLLABLE_TEXTS_KEPT = 1 << 15


def syllable_text(syllable: NameSyllable) -> str:
    """Memoised by the syllable object: an archive's hundreds of thousands of names are spelled with a few
    thousand, read once each (``name_reading.written_syllables``), and a lookup by identity does not call the
    dataclass's hash over six fields, as a memo by value would for each of millions of syllables."""
    found = SYLLABLE_TEXTS.get(id(syllable))
    if found is not None and found[0] is syllable:
        return found[1]
    s = syllable
    text = json_text([s.latin, s.known, s.skeleton, s.vowels_written, list(s.readings), s.surface])
    if len(SYLLABLE_TEXTS) >= SYLLABLE_TEXTS_KEPT:
        SYLLABLE_TEXTS.clear()
    SYLLABLE_TEXTS[id(syllable)] = (syllable, text)
    return text


@lru_cache(maxsize=1 << 16)
def syllables_of(text: str) -> tuple[NameSyllable, ...]:
    """A name's syllables as ``syllables_text`` stored them; memoised, as names recur in group after group."""
    return tuple(NameSyllable(latin, known, skeleton, vowels, tuple(readings), surface) for latin, known, skeleton, vowels, readings, surface in json_value(text))
