"""Vietnamese names from Devanagari and Arabic back to their Latin form.

Each syllable is looked up in the language's ``syllables.tsv`` (the renderings
machine translation produces); a syllable the table does not know falls back
to a generic romanisation (anyascii), capitalised. The result is the
Vietnamese name without diacritics: त्रुओंग थी माई → Truong Thi Mai.

Every syllable also gets a *consonant skeleton*: its consonants reduced to a
small class alphabet shared by all scripts (vowels, h and glides dropped;
ng → G, ph/v → F, ch/tr → C, th/t → T). Arabic writes no short vowels and
Devanagari spells one Vietnamese sound several ways, so two renderings of one
syllable agree on the skeleton even when the table knows neither:
गुयेन, न्गुयेन, نجوين and Nguyen all give ``GN``. A known syllable's skeleton
is taken from its Latin form, so known and unknown renderings meet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from anyascii import anyascii

from kg.extract.lexicon import fold, token_keys
from kg.model import Token
from kg.extract.resources import load_table
from kg.extract.tokenize import tokenize_span

# Latin (Vietnamese without diacritics): longest onset/coda spellings first.
LATIN_CLASSES = (
    ("ngh", "G"), ("ng", "G"), ("gh", "G"), ("nh", "N"), ("ph", "F"), ("th", "T"), ("tr", "C"),
    ("ch", "C"), ("kh", "K"), ("gi", "J"), ("qu", "K"), ("c", "K"), ("k", "K"), ("q", "K"),
    ("g", "G"), ("d", "D"), ("v", "F"), ("b", "B"), ("m", "M"), ("n", "N"), ("l", "L"),
    ("r", "R"), ("s", "S"), ("x", "S"), ("t", "T"), ("p", "B"), ("f", "F"), ("z", "J"), ("j", "J"),
)
DEVANAGARI_CLASSES = {
    **dict.fromkeys("कखक़ख़", "K"), **dict.fromkeys("गघग़", "G"), **dict.fromkeys("चछ", "C"),
    **dict.fromkeys("जझज़", "J"), **dict.fromkeys("तटथठ", "T"), **dict.fromkeys("दडधढड़ढ़", "D"),
    **dict.fromkeys("नणञङ", "N"), **dict.fromkeys("पबभ", "B"), **dict.fromkeys("फफ़व", "F"),
    "म": "M", "र": "R", "ल": "L", **dict.fromkeys("सशष", "S"),
}
ARABIC_CLASSES = {
    **dict.fromkeys("كقخ", "K"), "غ": "G", "ج": "J", **dict.fromkeys("تطثذ", "T"), **dict.fromkeys("دض", "D"),
    "ن": "N", "ب": "B", **dict.fromkeys("فڤپ", "F"), "م": "M", "ر": "R", "ل": "L", **dict.fromkeys("سشصز", "S"),
}
VIRAMA, ANUSVARA = "\u094d", "\u0902"


@dataclass(frozen=True, slots=True)
class NameSyllable:
    """One syllable of a name: its Latin form, whether the table knew it, its skeleton."""

    latin: str
    known: bool
    skeleton: str
    vowels_written: bool = True  # False for Arabic, which leaves most vowels unwritten


@cache
def syllable_table(lang: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for row in load_table(lang, "syllables"):
        if len(row) > 1:
            table.setdefault(fold(row[0], lang), row[1])
    return table


@cache
def surname_readings(lang: str) -> dict[str, str]:
    """Spellings read differently at the start of a name (flag ``first=Phan``: فان is Van inside, Phan first)."""
    readings: dict[str, str] = {}
    for row in load_table(lang, "syllables"):
        for flag in (row[2] if len(row) > 2 else "").split(","):
            if flag.strip().startswith("first="):
                readings.setdefault(fold(row[0], lang), flag.strip()[len("first=") :])
    return readings


@lru_cache(maxsize=50_000)
def latin_skeleton(latin: str) -> str:
    """Truong → CG, Nguyen → GN, Pham → FM (consonant classes of a Latin syllable)."""
    text, out, i = anyascii(latin).lower(), [], 0
    while i < len(text):
        for spelling, cls in LATIN_CLASSES:
            if text.startswith(spelling, i):
                out.append(cls)
                i += len(spelling)
                break
        else:
            i += 1
    return "".join(out)


def devanagari_skeleton(text: str) -> str:
    """त्रुओंग → CG: ट्र/त्र → C, a nasal (ं or न्) before a velar is the velar, conjunct व is a glide."""
    out: list[str] = []
    chars = [c for c in text if c not in "\u093c\u200c\u200d"]
    for i, char in enumerate(chars):
        following = next((c for c in chars[i + 1 :] if c != VIRAMA), "")
        joined_to_next = i + 1 < len(chars) and chars[i + 1] == VIRAMA
        if char == ANUSVARA or (char in "नङ" and joined_to_next):
            if DEVANAGARI_CLASSES.get(following) in ("G", "K"):
                continue
            out.append("N")
        elif char == "व" and i > 0 and chars[i - 1] == VIRAMA:
            continue
        elif char == "र" and out and out[-1] == "T" and i > 0 and chars[i - 1] == VIRAMA:
            out[-1] = "C"
        elif char in DEVANAGARI_CLASSES:
            out.append(DEVANAGARI_CLASSES[char])
    return "".join(out)


def arabic_skeleton(text: str) -> str:
    """ترونج → CG: نج/نغ → G, تش/تر → C, short vowels unwritten, و/ي/ا/ه read as vowels."""
    text = fold(text, "ar")
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in ("نج", "نغ", "نك"):
            out.append("G" if pair != "نك" else "K")
            i += 2
        elif pair in ("تش", "تر"):
            out.append("C")
            i += 2
        else:
            if text[i] in ARABIC_CLASSES:
                out.append(ARABIC_CLASSES[text[i]])
            i += 1
    return "".join(out)


def script_skeleton(text: str, lang: str) -> str:
    if lang == "hi":
        return devanagari_skeleton(text)
    if lang == "ar":
        return arabic_skeleton(text)
    return latin_skeleton(text)


def romanize_syllable(token: Token, lang: str) -> str:
    return name_syllable(token.text, token.start, lang).latin


def name_syllable(text: str, start: int, lang: str) -> NameSyllable:
    table = syllable_table(lang)
    for key, _ in token_keys(Token(start, start + len(text), text), lang):
        if key in table:
            latin = table[key]
            return NameSyllable(latin, True, " ".join(latin_skeleton(part) for part in latin.split()))
    return NameSyllable(generic_romanization(text), False, script_skeleton(text, lang))


ARABIC_LATIN = {
    "ا": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "th", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "gh", "ف": "ph", "ڤ": "v",
    "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "u", "ي": "i",
}
ARABIC_DIGRAPHS = {"تش": "ch", "نج": "ng", "نغ": "ng", "ثي": "thi"}


@lru_cache(maxsize=50_000)
def generic_romanization(text: str) -> str:
    """A Latin guess for a syllable the table lacks: letter by letter for Arabic, anyascii otherwise."""
    if re.search("[\u0600-\u06ff]", text):
        folded, out, i = fold(text, "ar"), [], 0
        while i < len(folded):
            pair = folded[i : i + 2]
            if pair in ARABIC_DIGRAPHS:
                out.append(ARABIC_DIGRAPHS[pair])
                i += 2
                continue
            char = folded[i]
            if i == 0 and char in "وي" and len(folded) > 1:
                out.append("v" if char == "و" else "y")
            else:
                out.append(ARABIC_LATIN.get(char, ""))
            i += 1
        ascii_form = "".join(out)
    else:
        ascii_form = "".join(c for c in anyascii(text) if c.isalnum())
    return ascii_form[:1].upper() + ascii_form[1:].lower()


@lru_cache(maxsize=100_000)
def name_syllables(text: str, lang: str) -> tuple[NameSyllable, ...]:
    """The syllables of a transliterated Vietnamese name, each romanised and skeletonised."""
    found: list[NameSyllable] = []
    vowels_written = lang != "ar"
    for token in tokenize_span(text, 0, len(text)):
        if not token.text[0].isalnum():
            continue
        syllable = name_syllable(token.text, token.start, lang)
        if not syllable.latin:
            continue
        surname = surname_readings(lang).get(fold(token.text, lang)) if not found else None
        if surname:
            syllable = NameSyllable(surname, True, latin_skeleton(surname))
        if syllable.known and " " in syllable.latin:  # one written word for two syllables (هوشي → Ho Chi)
            found.extend(NameSyllable(part, True, latin_skeleton(part), vowels_written) for part in syllable.latin.split())
        else:
            found.append(replace(syllable, vowels_written=vowels_written))
    return tuple(found)


def romanize_name(text: str, lang: str) -> str:
    """The Latin form of a transliterated Vietnamese name.

    >>> romanize_name("त्रुओंग थी माई", "hi")
    'Truong Thi Mai'
    """
    return " ".join(s.latin for s in name_syllables(text, lang))


def skeleton_key(syllables: tuple[NameSyllable, ...]) -> str:
    """The blocking key of a name: its syllable skeletons (Truong Thi Mai → CG-T-M)."""
    return "-".join(s.skeleton or "_" for s in syllables)


def name_agreement(a: tuple[NameSyllable, ...], b: tuple[NameSyllable, ...]) -> float:
    """How well two names agree, syllable by syllable: 1 same, 0.9 compatible, below 0.9 a conflict.

    Two known syllables agree only when equal, unless one was read from Arabic,
    which does not write most vowels (تو is To or Tu): then, like a syllable the
    table did not know, it agrees with any syllable of the same skeleton. Names
    of different lengths get 0.
    """
    if len(a) != len(b) or not a:
        return 0.0
    scores = []
    for x, y in zip(a, b):
        if x.latin.lower() == y.latin.lower():
            scores.append(1.0)
        elif x.skeleton == y.skeleton:
            certain = x.known and y.known and x.vowels_written and y.vowels_written
            scores.append(0.5 if certain else 0.9)
        else:
            scores.append(0.0)
    return min(scores) if min(scores) < 0.9 else sum(scores) / len(scores)


def slugify(text: str) -> str:
    """An ASCII slug: lower case letters, digits and single hyphens."""
    ascii_form = anyascii(text).lower()
    slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in ascii_form)
    return "-".join(part for part in slug.split("-") if part) or "x"
