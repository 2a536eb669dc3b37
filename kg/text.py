"""Text folded for comparison, shared by scoring (gold and predicted labels) and exploring (what users type)."""

from __future__ import annotations

import re
import unicodedata

SPACE = re.compile(r"[\s\u200b\ufeff]+")  # white space, zero-width space and BOM


def _marks_dropped(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


def without_marks(text: str) -> str:
    """``text`` without diacritics, as the graph's Latin labels are written (Lê Ngọc Châu → Le Ngoc Chau; đ → d)."""
    return unicodedata.normalize("NFC", _marks_dropped(text))


def fold_label(text: str) -> str:
    """Case-, diacritic- and whitespace-insensitive form of a label (đ counts as d)."""
    return SPACE.sub(" ", _marks_dropped(text).casefold()).strip()
