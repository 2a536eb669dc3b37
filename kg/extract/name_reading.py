"""Whole names read from their written syllables, and how two readings compare.

A transliterated name is read syllable by syllable (``kg.extract.translit``),
each syllable as the Latin syllable most frequent at its place (surname first,
given name last). A name that can be read as a known official's
(``vi/officials.tsv``, see ``kg.extract.officials``) then takes the official's
spelling: each syllable must be able to stand for the official's
(``could_read``), and two officials fitting equally well leave the reading as
it was.

Merging across articles compares readings syllable by syllable
(``name_agreement``), blocks them by their consonant skeletons
(``skeleton_key``), and labels a person named in several spellings from the
one it trusts most (``label_rank``).
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache, lru_cache

from kg.extract.officials import official_names
from kg.extract.tokenize import tokenize_span
from kg.extract.translit import NameSyllable, arabic_compatible, latin_skeleton, name_syllable, syllable_tiers


def name_role(index: int, count: int) -> str:
    """A syllable's place in a name: surname first, given name last (alone: a given name), middle between."""
    if index == count - 1:
        return "given"
    return "surname" if index == 0 else "middle"


@lru_cache(maxsize=100_000)
def name_syllables(text: str, lang: str) -> tuple[NameSyllable, ...]:
    """The syllables of a transliterated Vietnamese name, each romanised and skeletonised.

    A spelling with several readings is read as the most frequent syllable for
    its place in the name; a name that reads as a known official's
    (``vi/officials.tsv``) takes the official's spelling.
    """
    tokens = [word for chunk in text.split() for word in written_words(chunk)]
    found = tuple(s for i, token in enumerate(tokens) for s in written_syllables(token, lang, name_role(i, len(tokens))))
    return official_reading(found)


@lru_cache(maxsize=50_000)
def written_words(chunk: str) -> tuple[str, ...]:
    """The words of a name between two spaces, as the tokenizer reads them (no word spans a space); memoised, as names share them."""
    return tuple(t.text for t in tokenize_span(chunk, 0, len(chunk)) if t.text[0].isalnum())


@lru_cache(maxsize=50_000)
def written_syllables(written: str, lang: str, role: str) -> tuple[NameSyllable, ...]:
    """The syllables one written word of a name stands for at its place: none, one, or two (هوشي → Ho Chi).

    Memoised apart from whole names: an archive names hundreds of thousands of
    people in a few thousand written syllables.
    """
    vowels_written = lang != "ar"
    syllable = name_syllable(written, 0, lang, role)
    if not syllable.latin:
        return ()
    if syllable.known and " " in syllable.latin:
        return tuple(NameSyllable(part, True, latin_skeleton(part), vowels_written, (part,)) for part in syllable.latin.split())
    return (syllable if syllable.vowels_written == vowels_written else replace(syllable, vowels_written=vowels_written),)


@cache
def officials_by_length() -> dict[int, tuple[tuple[str, ...], ...]]:
    by_length: dict[int, list[tuple[str, ...]]] = {}
    for name in official_names():
        by_length.setdefault(len(name.split()), []).append(tuple(name.split()))
    return {n: tuple(names) for n, names in by_length.items()}


def could_read(syllable: NameSyllable, latin: str) -> bool:
    """Whether a read syllable may stand for ``latin``: one of its readings, or an Arabic or unknown spelling that fits."""
    if syllable.latin == latin or latin in syllable.readings:
        return True
    if syllable.latin == latin + "h" and latin.endswith("n"):  # a known official's n written nh (मान्ह for Mẫn)
        return True
    if not syllable.vowels_written:
        return arabic_compatible(syllable.surface, latin)
    return not syllable.known and syllable.skeleton == latin_skeleton(latin)


@cache
def officials_by_first(length: int) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The known officials' names of ``length`` syllables by their first syllable."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for name in officials_by_length().get(length, ()):
        found.setdefault(name[0], []).append(name)
    return {first: tuple(names) for first, names in found.items()}


@lru_cache(maxsize=20_000)
def official_candidates(first: NameSyllable, length: int) -> tuple[tuple[str, ...], ...]:
    """The officials of ``length`` syllables whose first the name's ``first`` may stand for (``could_read``): a few, not the whole table."""
    by_first = officials_by_first(length)
    if first.known and first.vowels_written:
        # could_read of a known syllable with its vowels: one of its readings, or its n written nh.
        wanted = {first.latin, *first.readings} | ({first.latin[:-1]} if first.latin.endswith("nh") else set())
        parts = [part for part in wanted if part in by_first]
    else:  # an Arabic or unknown spelling fits by its letters: ask each first syllable
        parts = [part for part in by_first if could_read(first, part)]
    return tuple(name for part in sorted(parts) for name in by_first[part])


def official_reading(syllables: tuple[NameSyllable, ...]) -> tuple[NameSyllable, ...]:
    """The syllables spelled as the one known official they can be read as, else unchanged."""
    if len(syllables) < 2:
        return syllables
    matches = []
    for name in official_candidates(syllables[0], len(syllables)):
        if all(could_read(s, part) for s, part in zip(syllables, name)):
            matches.append((sum(s.latin == part for s, part in zip(syllables, name)), name))
    if not matches:
        return syllables
    matches.sort(reverse=True)
    if len(matches) > 1 and matches[0][0] == matches[1][0]:
        return syllables  # two officials fit equally well: keep the reading
    name = matches[0][1]
    return tuple(replace(s, latin=part, known=True, skeleton=latin_skeleton(part)) for s, part in zip(syllables, name))


@cache
def official_name_set() -> frozenset[str]:
    return frozenset(official_names())


def label_rank(syllables: tuple[NameSyllable, ...]) -> tuple[bool, int, int]:
    """How much to trust a name read from one spelling, to label a person named in several:

    a known official's name first, then the most syllables the table knew with
    vowels written (a Devanagari spelling over an Arabic one), then the most known.
    """
    name = " ".join(s.latin for s in syllables)
    return (name in official_name_set(), sum(s.known and s.vowels_written for s in syllables), sum(s.known for s in syllables))


def romanize_name(text: str, lang: str) -> str:
    """The Latin form of a transliterated Vietnamese name.

    >>> romanize_name("त्रुओंग थी माई", "hi")
    'Truong Thi Mai'
    """
    return " ".join(s.latin for s in name_syllables(text, lang))


def skeleton_key(syllables: tuple[NameSyllable, ...]) -> str:
    """The blocking key of a name: its syllable skeletons (Truong Thi Mai → CG-T-M)."""
    return "-".join(s.skeleton or "_" for s in syllables)


def syllable_agreement(x: NameSyllable, y: NameSyllable) -> float:
    """1 same syllable, 0.9 compatible, 0.5 a conflict of similar spellings, 0 different."""
    if x.latin.lower() == y.latin.lower():
        return 1.0
    if x.latin in y.readings or y.latin in x.readings:
        return 0.9
    if x.skeleton != y.skeleton:
        return 0.0
    tiers = syllable_tiers()
    for a, b in ((x, y), (y, x)):
        # An Arabic spelling agrees only with syllables it can write (تان is Tan, never Tien).
        if not a.vowels_written and b.latin in tiers and not arabic_compatible(a.surface, b.latin):
            return 0.5
    certain = x.known and y.known and x.vowels_written and y.vowels_written
    return 0.5 if certain else 0.9


def name_agreement(a: tuple[NameSyllable, ...], b: tuple[NameSyllable, ...]) -> float:
    """How well two names agree, syllable by syllable: 1 same, 0.9 compatible, below 0.9 a conflict.

    Two known syllables agree only when equal or when one spelling has both
    readings. A syllable read from Arabic, which does not write most vowels
    (تو is To or Tu), or one the table did not know, agrees with a syllable of
    the same skeleton that its spelling can write. Names of different lengths get 0.
    """
    if len(a) != len(b) or not a:
        return 0.0
    scores = [syllable_agreement(x, y) for x, y in zip(a, b)]
    return min(scores) if min(scores) < 0.9 else sum(scores) / len(scores)
