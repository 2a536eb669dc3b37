"""Loader for the per-language resource files under ``kg/resources/<lang>/``.

The file format is described in ``kg/resources/README.md``. Tables are read
once per process and cached; every field is NFC-normalised so lookups can
compare strings directly.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("hi", "ar")

Row = tuple[str, ...]


class ResourceError(Exception):
    """A resource file is missing or malformed."""


def resource_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "resources"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=None)
def load_table(lang: str, name: str) -> tuple[Row, ...]:
    """Rows of ``kg/resources/<lang>/<name>.tsv``, normalised and de-duplicated.

    A language without the file gets an empty table, so a new language can be
    added one file at a time.
    """
    path = resource_dir() / lang / f"{name}.tsv"
    if not path.exists():
        return ()
    rows: list[Row] = []
    seen: set[Row] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = tuple(nfc(field.strip()) for field in line.split("\t"))
        while len(row) > 1 and not row[-1]:
            row = row[:-1]
        if not row[0]:
            raise ResourceError(f"{path}:{number}: empty first column")
        if row not in seen:
            seen.add(row)
            rows.append(row)
    return tuple(rows)


def column(lang: str, name: str, index: int = 0) -> tuple[str, ...]:
    """One column of a table, in file order, without duplicates."""
    values = dict.fromkeys(row[index] for row in load_table(lang, name) if len(row) > index)
    return tuple(values)


def mapping(lang: str, name: str, key: int = 0, value: int = 1) -> dict[str, str]:
    """A dict from one column to another; the first row for a key wins."""
    result: dict[str, str] = {}
    for row in load_table(lang, name):
        if len(row) > max(key, value):
            result.setdefault(row[key], row[value])
    return result
