"""How Arabic machine translation writes a Vietnamese syllable: a small grammar over loose keys.

A Latin syllable becomes a regular expression over loose keys
(``kg.extract.translit.loose_key``): onset, vowel nucleus and final consonant each
have their usual spellings; short vowels may stay unwritten. It says whether
an Arabic spelling can stand for a Latin syllable (كونغ: Cong or Cuong, never
Cang), which the tables' ambiguities, the known officials and cross-article
merging all need.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

ARABIC_ONSETS = {
    "": "ا?", "b": "ب", "c": "ك", "ch": "(تش|ش|ك)", "d": "[دزذي]", "g": "[غجك]", "gh": "[غج]", "gi": "([جز]ي?|ي)",
    "h": "[هح]", "k": "[كخ]", "kh": "(خ|ك|كه)", "l": "ل", "m": "م", "n": "ن", "ng": "(نغ|ن|غ)", "ngh": "(نغ|ن|غ)",
    "nh": "(نه|ن|ني)", "p": "[بفپ]", "ph": "[فب]", "qu": "ك", "r": "[رز]", "s": "[سشز]", "t": "ت",
    "th": "(ث|ت|ذ|ته)", "tr": "(تر|تش|ت|ش)", "v": "[فڤو]", "x": "[شسز]",
}
ARABIC_LETTERS = {
    "b": "ب", "c": "ك", "d": "[دز]", "f": "ف", "g": "[غج]", "h": "[هح]?", "j": "[جز]", "k": "[كخ]", "l": "ل",
    "m": "م", "n": "ن", "p": "[بفپ]", "r": "ر", "s": "[سش]", "t": "ت", "v": "[فڤو]", "w": "و", "x": "[شس]", "z": "ز",
}
ARABIC_NUCLEI = {
    "a": "ا?", "ai": "ا?ي", "ay": "ا?ي", "ao": "ا?وو?", "au": "ا?وو?", "e": "(ي|ه|يه|يي)?", "eo": "ي?و",
    "eu": "ي?و", "i": "ي?", "y": "ي?", "ia": "ي?[اه]", "iu": "ي?و", "ie": "ي[يا]?", "ye": "ي[يا]?",
    "ieu": "يي?و", "yeu": "يي?و", "o": "(و|وو)?", "oa": "وا", "oai": "وا?ي", "oay": "وا?ي", "oe": "و?(ي|يه)",
    "oi": "و?ي", "oo": "وو?", "u": "(و|وو)?", "ua": "وا", "uay": "وا?ي", "ue": "و?(ي|يه|ه)", "ui": "وي",
    "uo": "(وو|و|يو)", "uoi": "وو?ي", "uu": "وو?", "uy": "و?ي", "uya": "و?يا", "uye": "و?ي[يا]?", "uou": "وو?",
}
ARABIC_CODAS = {
    "": "ه?", "c": "[كخ]", "ch": "(تش|ش|خ|ك)", "k": "ك", "m": "م", "n": "ن", "ng": "(نغ|ن|غ|نك)",
    "nh": "(نه|ن|نغ|ه)", "p": "[بپ]", "t": "ت", "h": "[هح]?", "r": "ر",
}
LATIN_SYLLABLE = re.compile(
    "(ngh|ng|nh|ph|th|tr|ch|kh|gh|gi(?=[aeiouy])|qu(?=[aeiouy])|[b-df-hj-np-tv-xz]*)([aeiouy]+)([b-df-hj-np-tv-xz]*)"
)


@lru_cache(maxsize=10_000)
def arabic_pattern(latin: str) -> re.Pattern[str] | None:
    """The Arabic spellings of one Latin syllable, or None for what is not one syllable."""
    match = LATIN_SYLLABLE.fullmatch(anyascii(latin).lower())
    if not match:
        return None
    onset, nucleus, coda = match.groups()
    if onset in ARABIC_ONSETS:
        head = ARABIC_ONSETS[onset]
    else:
        head = "".join(ARABIC_LETTERS.get(c, "") for c in onset)
    if onset == "qu":
        head += "و?"  # the u of qu is written or not: كوانج, كيت
    if nucleus in ARABIC_NUCLEI:
        body = ARABIC_NUCLEI[nucleus]
    else:
        body = "".join({"a": "ا?", "e": "[يه]?", "i": "ي?", "y": "ي?"}.get(c, "و?") for c in nucleus)
    tail = ARABIC_CODAS.get(coda)
    if tail is None:
        tail = "".join(ARABIC_LETTERS.get(c, "") for c in coda)
    return re.compile(head + body + tail)


def arabic_fits(loose: str, latin: str) -> bool:
    """Whether an Arabic spelling, as its loose key (``kg.extract.translit.loose_key``), can stand for ``latin``."""
    if not loose:
        return False
    pattern = arabic_pattern(latin)
    return bool(pattern and pattern.fullmatch(loose))
