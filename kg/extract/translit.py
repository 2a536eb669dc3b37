"""The syllables of Vietnamese names, from Devanagari and Arabic back to their Latin form.

Each syllable is looked up in the language's ``syllables.tsv`` (the renderings
machine translation produces), first as written, then by its *loose key*: the
spelling with the differences removed that never tell two Vietnamese syllables
apart (vowel length, dental or retroflex, न्ग or ंग; Arabic نج or نغ), so one
row covers all those variants. The result is the Vietnamese name without
diacritics: त्रुओंग थी माई → Truong Thi Mai.

A spelling may stand for several syllables (Arabic لونغ: Long or Luong; its
``also=`` readings). It is read as the syllable most frequent at its place in
the name (surname first, given name last), by the frequency tiers of the
Vietnamese syllable inventory ``vi/syllables.tsv``: لونغ فان تام is Luong Van
Tam, نغوين فان لونغ is Nguyen Van Long. Whole names, and the known officials'
spellings they may take, are read in ``kg.extract.name_reading``.

A spelling the table does not know is read as the inventory syllable that
shares its consonant skeleton and fits it best (an Arabic spelling must fit
the syllable's Arabic spelling grammar, ``kg.extract.arabic_spelling``); failing that, a
generic romanisation (anyascii), capitalised.

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
from difflib import SequenceMatcher
from functools import cache, lru_cache

from anyascii import anyascii

from kg.extract.arabic_spelling import arabic_fits
from kg.extract.lexicon import fold, text_keys
from kg.extract.resources import load_table
from kg.model import Token, quick_pickle

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


@quick_pickle
@dataclass(frozen=True, slots=True)
class NameSyllable:
    """One syllable of a name: its Latin form, whether the table knew it, its skeleton.

    ``readings`` are every Latin syllable a known spelling can stand for (Arabic
    لونغ: Long or Luong), ``surface`` the spelling as written (folded), kept so
    that an Arabic spelling can be checked against another reading.
    """

    latin: str
    known: bool
    skeleton: str
    vowels_written: bool = True  # False for Arabic, which leaves most vowels unwritten
    readings: tuple[str, ...] = ()
    surface: str = ""


ROLES = ("surname", "middle", "given")


@cache
def syllable_tiers() -> dict[str, tuple[int, ...]]:
    """Latin name syllable → frequency tiers as (surname, middle, given), from ``vi/syllables.tsv``."""
    return {row[0]: tuple(int(x) for x in row[1:4]) for row in load_table("vi", "syllables") if len(row) >= 4}


@quick_pickle
@dataclass(frozen=True, slots=True)
class SyllableEntry:
    """What the table says of one spelling: its usual reading, every reading, the surname reading."""

    latin: str
    readings: tuple[str, ...]
    first: str = ""  # flag first=X: the reading at the start of a name
    common: bool = False  # flag common: also an ordinary word of the language

    def reading(self, role: str) -> str:
        """The reading for a place in the name: the most frequent there, the usual one on a tie."""
        if role == "surname" and self.first:
            return self.first
        if len(self.readings) == 1:
            return self.latin
        tiers, index = syllable_tiers(), ROLES.index(role)
        return max(self.readings, key=lambda r: (tiers.get(r, (0, 0, 0))[index], r == self.latin))


def table_entry(row: tuple[str, ...]) -> SyllableEntry:
    flags = [f.strip() for f in (row[2] if len(row) > 2 else "").split(",") if f.strip()]
    first = next((f[len("first=") :] for f in flags if f.startswith("first=")), "")
    also = [r for f in flags if f.startswith("also=") for r in f[len("also=") :].split("/")]
    return SyllableEntry(row[1], tuple(dict.fromkeys([row[1], *also, *filter(None, [first])])), first, "common" in flags)


DEVANAGARI_LOOSE = str.maketrans({
    "ी": "ि", "ई": "इ", "ू": "ु", "ऊ": "उ", "ॉ": "ो", "ऑ": "ओ", "ट": "त", "ठ": "थ", "ड": "द", "ढ": "द",
    "ण": "न", "ङ": "न", "घ": "ग", "झ": "ज", "छ": "च", "ष": "श",
})
NASAL_BEFORE_CONSONANT = re.compile("न\u094d(?=[\u0915-\u0939])")
ARABIC_LOOSE = str.maketrans({"ط": "ت", "ض": "د", "ص": "س", "ظ": "ز", "گ": "غ", "ق": "ك", "چ": "ش"})


@lru_cache(maxsize=100_000)
def loose_key(text: str, lang: str) -> str:
    """A spelling with the differences that never tell two Vietnamese syllables apart removed.

    Devanagari: vowel length (ि/ी, ु/ू), ॉ/ो, dental or retroflex (त/ट, द/ड),
    aspirates Vietnamese lacks (घ झ छ ढ), a nasal before a consonant (न्ग/ंग).
    Arabic: نج/نغ/نق for ng, ق/ك, and the emphatic letters (ط ض ص ظ).
    """
    text = fold(text, lang)
    if lang == "hi":
        return NASAL_BEFORE_CONSONANT.sub("\u0902", text.translate(DEVANAGARI_LOOSE))
    if lang == "ar":
        return text.replace("نج", "نغ").replace("نق", "نغ").translate(ARABIC_LOOSE)
    return text


@cache
def syllable_entries(lang: str) -> tuple[dict[str, SyllableEntry], dict[str, SyllableEntry]]:
    """The language's syllable table, by folded spelling and by loose key (first row of a key wins)."""
    exact: dict[str, SyllableEntry] = {}
    loose: dict[str, SyllableEntry] = {}
    for row in load_table(lang, "syllables"):
        if len(row) < 2:
            continue
        entry = table_entry(row)
        exact.setdefault(fold(row[0], lang), entry)
        key = loose_key(row[0], lang)
        if key in loose:
            known = loose[key]
            entry = replace(known, readings=tuple(dict.fromkeys(known.readings + entry.readings)), common=known.common or entry.common)
        loose[key] = entry
    # A spelling has every reading of the spellings it differs from only loosely (ترونج and ترونغ alike).
    for surface, entry in exact.items():
        group = loose[loose_key(surface, lang)]
        exact[surface] = replace(entry, readings=tuple(dict.fromkeys(entry.readings + group.readings)))
    if lang == "ar":
        exact = {surface: with_dropped_h(entry) for surface, entry in exact.items()}
        loose = {key: with_dropped_h(entry) for key, entry in loose.items()}
    return exact, loose


def with_dropped_h(entry: SyllableEntry) -> SyllableEntry:
    """Arabic machine translation writes a final nh as نه or ن (مان, خان for Mạnh, Khánh): a spelling
    whose usual reading ends in n may also be that reading's nh syllable, when that is a name
    syllable. Added last, so it wins only where it is the more frequent at its place in the name."""
    nh = entry.latin + "h"
    if not entry.latin.endswith("n") or nh not in syllable_tiers() or nh in entry.readings:
        return entry
    return replace(entry, readings=entry.readings + (nh,))


@cache
def function_words(lang: str) -> frozenset[str]:
    return frozenset(fold(row[0], lang) for row in load_table(lang, "function_words"))


SHORT_SPELLING = 3  # code points


@lru_cache(maxsize=100_000)
@cache
def non_syllables(lang: str) -> frozenset[str]:
    """Exact spellings that are ordinary words although they fold to a syllable (``non_syllables.tsv``)."""
    return frozenset(row[0] for row in load_table(lang, "non_syllables"))


def lookup_syllable(text: str, lang: str) -> SyllableEntry | None:
    """The table entry of a written syllable: its own row, else a row it differs from only loosely.

    A function word of the language is never read loosely (Hindi तक "until" is not टक Tac),
    and a spelling of ``non_syllables.tsv`` is never read at all.
    """
    if text in non_syllables(lang):
        return None
    exact, loose = syllable_entries(lang)
    key = fold(text, lang)
    if key in exact:
        return exact[key]
    if key in function_words(lang):
        return None
    return loose.get(loose_key(text, lang))


def syllable_reading(text: str, lang: str) -> tuple[str, bool] | None:
    """(usual Latin reading, also an ordinary word) of a written name syllable, or None.

    A short spelling that only a loose variant of a row reads (Hindi दिन "day",
    loosely डिन Dinh) counts as an ordinary word too: a name needs more evidence.
    """
    entry = lookup_syllable(text, lang)
    if entry is None:
        return None
    loose_only = fold(text, lang) not in syllable_entries(lang)[0]
    return entry.latin, entry.common or (loose_only and len(fold(text, lang)) <= SHORT_SPELLING)


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


def name_syllable(text: str, start: int, lang: str, role: str = "given") -> NameSyllable:
    """One written syllable read for its place in a name (``role``: surname, middle or given)."""
    del start  # offsets do not change a reading; kept for a stable call shape
    for key, _ in text_keys(text, lang):  # as written, then without an Arabic proclitic
        entry = lookup_syllable(key, lang)
        if entry:
            latin = entry.reading(role)
            skeleton = " ".join(latin_skeleton(part) for part in latin.split())
            return NameSyllable(latin, True, skeleton, readings=entry.readings, surface=loose_key(key, lang))
    guess = closest_syllable(text, lang, role)
    surface = loose_key(text, lang)
    if guess:
        return NameSyllable(guess, False, latin_skeleton(guess), surface=surface)
    return NameSyllable(generic_romanization(text), False, script_skeleton(text, lang), surface=surface)


def arabic_compatible(surface: str, latin: str) -> bool:
    """Whether an Arabic spelling can stand for a Latin syllable (لونغ: Long or Luong, not Lang)."""
    if not surface:
        return False
    return arabic_fits(loose_key(surface, "ar"), latin)


# -- Syllables the table does not know --------------------------------------


DEVANAGARI_LIKENESS = 0.6  # least similarity (difflib ratio) of a guess to the romanised spelling


@cache
def syllables_by_skeleton() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for latin in syllable_tiers():
        index.setdefault(latin_skeleton(latin), []).append(latin)
    return {k: tuple(v) for k, v in index.items()}


def devanagari_ascii(text: str) -> str:
    """A Devanagari spelling in plain letters, to compare with Latin syllables: क्वायेट → kvayet."""
    return generic_romanization(text).lower().replace("mg", "ng").replace("'", "")


def latin_ascii(latin: str) -> str:
    """A Latin syllable spelled the way Devanagari letters romanise: Quyet → kvyet, Cuong → kuong."""
    return re.sub("c(?!h)", "k", latin.lower().replace("qu", "kv")).replace("x", "s")


@lru_cache(maxsize=50_000)
def closest_syllable(text: str, lang: str, role: str = "given") -> str | None:
    """The name syllable an unknown spelling most likely writes, or None.

    Candidates share the spelling's consonant skeleton. An Arabic spelling must
    fit the candidate's Arabic spellings (``arabic_compatible``); a Devanagari one
    must romanise much like the candidate (``DEVANAGARI_LIKENESS``). Among the
    best fits, the most frequent candidate for the place in the name wins.
    """
    skeleton = script_skeleton(text, lang)
    candidates = syllables_by_skeleton().get(skeleton, ())
    tiers, index = syllable_tiers(), ROLES.index(role)
    if lang == "ar":
        fitting = [(0.0, c) for c in candidates if arabic_compatible(text, c)]
    else:
        written = devanagari_ascii(text)
        fitting = [(-round(SequenceMatcher(None, written, latin_ascii(c)).ratio(), 2), c) for c in candidates]
        fitting = [(score, c) for score, c in fitting if score <= -DEVANAGARI_LIKENESS]
    if not fitting:
        return None
    return min(fitting, key=lambda sc: (sc[0], -tiers[sc[1]][index], sc[1]))[1]


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


NOT_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def slugify(text: str) -> str:
    """An ASCII slug: lower case letters, digits and single hyphens.

    Memoised: every mention's key is slugged, and the same labels come back in
    article after article (a tenth of resolution's time at 10^5 mentions).
    """
    return NOT_SLUG.sub("-", anyascii(text).lower()).strip("-") or "x"
