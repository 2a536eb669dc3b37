"""Known national officials of Vietnam, from ``kg/resources/vi/officials.tsv``.

The table gives each official's Latin spelling and, where known, the posts
they held with dates. ``kg.extract.translit`` labels a person whose
transliterated name reads as one of these names with the official's spelling
(نونغ دوك مان → Nong Duc Manh, not "Nong Duc Man").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from kg.extract.ingest import latest_year
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


@cache
def official_vietnamese_names() -> dict[str, str]:
    """Latin name → the Vietnamese spelling with diacritics (``vi/official_names.tsv``)."""
    return {row[0]: row[1] for row in load_table("vi", "official_names") if len(row) > 1}


def vietnamese_name(label: str, post_titles: Iterable[str] = ()) -> str | None:
    """The known official's Vietnamese spelling for a person labelled ``label``, or None.

    Given only where the person is plausibly that official: no post in the graph,
    or a post the official is known for (a namesake with other posts gets none).
    """
    name = official_vietnamese_names().get(label)
    if name is None:
        return None
    titles = {t.casefold() for t in post_titles if t}
    known = [p.post.casefold() for p in posts_of(label)]
    # Articles name posts shortly ("Standing Member" for the Standing Member of the Secretariat).
    if titles and not any(title in post for title in titles for post in known):
        return None
    return name


@cache
def death_years() -> dict[str, int]:
    """Latin name (lower case) → the year the person died (``vi/deaths.tsv``)."""
    return {row[0].lower(): int(row[1]) for row in load_table("vi", "deaths") if len(row) > 1 and row[1].isdigit()}


# An article that gives no year of its own is taken as news of this century.
UNDATED_ARTICLE_YEAR = 2000


def alive_in(name: str, year: int | None) -> bool:
    """Whether a person of that name can take part in an event of ``year``: not known to have died before it."""
    died = death_years().get(name.lower())
    return died is None or died >= (year or UNDATED_ARTICLE_YEAR)


def article_year(text: str, event_date: str | None) -> int | None:
    """The year an article reports: its event's full date, else the latest year its text names.

    (Not the year it names most: an anniversary article names the year of what it
    celebrates more often than its own.)
    """
    if event_date and event_date[:4].isdigit():
        return int(event_date[:4])
    return latest_year(text)

