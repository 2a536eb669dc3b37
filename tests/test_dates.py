"""Dates in words for labels, pages and timelines."""

from __future__ import annotations

import pytest

from kg.dates import readable_date, readable_day


@pytest.mark.parametrize(
    "value, words",
    [("2023-10-09", "9 October 2023"), ("--10-09", "9 October"), ("2025-03", "March 2025"), ("2024", "2024"), ("--13-40", "--13-40"), ("soon", "soon")],
)
def test_readable_date(value: str, words: str) -> None:
    assert readable_date(value) == words


def test_a_day_without_its_year_says_so_and_full_dates_stay_sortable() -> None:
    assert readable_date("--10-09", note_year=True) == "9 October (year unknown)"
    assert readable_day("--10-09") == "9 October (year unknown)"
    assert readable_day("2023-10-09") == "2023-10-09"
