"""Dates as people read them: ``--10-09`` is "9 October" (year unknown), ``2023-10-09`` "9 October 2023".

The RDF keeps the typed value (``xsd:date``, ``xsd:gMonthDay``, ``xsd:gYearMonth``,
``xsd:gYear``); labels, pages and timelines show this form.
"""

from __future__ import annotations

import re

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
FULL = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
MONTH_DAY = re.compile(r"--(\d{2})-(\d{2})")
YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")


def readable_date(value: str, note_year: bool = False) -> str:
    """``value`` (ISO date, ``--MM-DD``, ``YYYY-MM`` or ``YYYY``) in words; anything else unchanged.

    ``note_year``: a day without its year says so ("9 October (year unknown)"), as tables and pages do.
    """
    value = str(value).strip()
    if (match := FULL.fullmatch(value)) and 1 <= int(match.group(2)) <= 12:
        return f"{int(match.group(3))} {MONTHS[int(match.group(2)) - 1]} {match.group(1)}"
    if (match := MONTH_DAY.fullmatch(value)) and 1 <= int(match.group(1)) <= 12:
        return f"{int(match.group(2))} {MONTHS[int(match.group(1)) - 1]}" + (" (year unknown)" if note_year else "")
    if (match := YEAR_MONTH.fullmatch(value)) and 1 <= int(match.group(2)) <= 12:
        return f"{MONTHS[int(match.group(2)) - 1]} {match.group(1)}"
    return value


def readable_day(value: str) -> str:
    """Only a day without its year in words ("9 October (year unknown)"); ISO dates stay sortable as they are."""
    return readable_date(value, note_year=True) if MONTH_DAY.fullmatch(str(value).strip()) else str(value)


BOUND = re.compile(r"\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?")


def date_bound(value: str) -> str:
    """A --since/--until value checked: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ValueError otherwise."""
    value = str(value).strip()
    if not BOUND.fullmatch(value):
        raise ValueError(f"{value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def within(date: str, since: str | None, until: str | None) -> bool:
    """Whether an ISO ``date`` lies in [since, until], each bound as precise as written (until 2024 takes all of 2024).

    A date the bounds cannot place (none, or a day without its year) is outside any bound.
    """
    if not since and not until:
        return True
    date = str(date or "")
    if not date or date.startswith("--"):
        return False
    return (not since or date >= since) and (not until or date[: len(until)] <= until)
