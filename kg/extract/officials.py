"""Known national officials of Vietnam, from ``kg/resources/vi/officials.tsv``.

The table gives each official's Latin spelling and, where known, the posts
they held with dates. ``kg.extract.translit`` labels a person whose
transliterated name reads as one of these names with the official's spelling
(نونغ دوك مان → Nong Duc Manh, not "Nong Duc Man").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kg.extract.resources import load_table


@dataclass(frozen=True, slots=True)
class OfficialPost:
    """A post an official held: ``start`` and ``end`` are ISO dates or years, empty where not recorded."""

    name: str
    post: str
    start: str = ""
    end: str = ""


@cache
def official_posts() -> tuple[OfficialPost, ...]:
    rows = load_table("vi", "officials")
    return tuple(OfficialPost(row[0], *row[1:4]) for row in rows if len(row) > 1)


@cache
def official_names() -> tuple[str, ...]:
    """Every official's name, in file order, once."""
    return tuple(dict.fromkeys(row[0] for row in load_table("vi", "officials")))


def posts_of(name: str) -> list[OfficialPost]:
    """The posts the table records for an official (its Latin name, any case)."""
    return [p for p in official_posts() if p.name.lower() == name.lower()]


def holder(post: str, date: str) -> list[str]:
    """Who held ``post`` on ``date`` (ISO date or year), by the recorded dates."""
    def covers(p: OfficialPost) -> bool:
        return bool(p.start) and p.start[: len(date)] <= date and (not p.end or date[: len(p.end)] <= p.end)

    return [p.name for p in official_posts() if p.post.lower() == post.lower() and covers(p)]
