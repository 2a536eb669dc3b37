"""Vietnamese names from Devanagari and Arabic back to their Latin form.

Each syllable is looked up in the language's ``syllables.tsv`` (the renderings
machine translation produces); a syllable the table does not know falls back
to a generic romanisation (anyascii), capitalised. The result is the
Vietnamese name without diacritics: त्रुओंग थी माई → Truong Thi Mai.
"""

from __future__ import annotations

from functools import lru_cache

from anyascii import anyascii

from kg.lexicon import fold, token_keys
from kg.model import Token
from kg.resources import load_table
from kg.tokenize import tokenize_span


@lru_cache(maxsize=None)
def syllable_table(lang: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for row in load_table(lang, "syllables"):
        if len(row) > 1:
            table.setdefault(fold(row[0], lang), row[1])
    return table


def romanize_syllable(token: Token, lang: str) -> str:
    table = syllable_table(lang)
    for key, _ in token_keys(token, lang):
        if key in table:
            return table[key]
    ascii_form = "".join(c for c in anyascii(token.text) if c.isalnum())
    return ascii_form[:1].upper() + ascii_form[1:].lower()


def romanize_name(text: str, lang: str) -> str:
    """The Latin form of a transliterated Vietnamese name.

    >>> romanize_name("त्रुओंग थी माई", "hi")
    'Truong Thi Mai'
    """
    words = [romanize_syllable(t, lang) for t in tokenize_span(text, 0, len(text)) if t.text[0].isalnum()]
    return " ".join(w for w in words if w)


def slugify(text: str) -> str:
    """An ASCII slug: lower case letters, digits and single hyphens."""
    ascii_form = anyascii(text).lower()
    slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in ascii_form)
    return "-".join(part for part in slug.split("-") if part) or "x"
