"""Posts over time: every post of a person, or every holder of a post in a body, by the date an article states it.

``timeline(store, name)`` gives a ``kg.explore.query.Result`` (so ``kg timeline``
prints it as a table, CSV or JSON like ``kg query``, and ``kg.api.timeline``
turns it into a DataFrame). One row per post as one article states it:

- for a person: ``date``, ``post``, ``body``, ``article``, ``file``, ``url``, ``sentence``;
- for a body: ``date``, ``person``, ``post``, ``article``, ``file``, ``url``, ``sentence``.

``date`` is the date the article states (``kg:statedOn``: the article's
date, from its text or the input's metadata), else the article's year marked
``(year of the article)``, else ``undated``: never a date the article does not
give. Rows are sorted by date, undated last.
"""

from __future__ import annotations

from typing import Any

from kg.dates import readable_day
from kg.explore.entities import PostHeld, profile
from kg.explore.query import GraphStore, QueryError, Result

PERSON_COLUMNS = ["date", "post", "body", "article", "file", "url", "sentence"]
BODY_COLUMNS = ["date", "person", "post", "article", "file", "url", "sentence"]


def _sentence(post: PostHeld) -> str:
    return " | ".join(dict.fromkeys(e.sentence for e in post.evidence if e.sentence))


def timeline(store: GraphStore, name: str, records: list[dict[str, Any]] | None = None) -> tuple[str, Result]:
    """The entity's label and its timeline; QueryError when ``name`` is not a person or a body."""
    try:
        found = profile(store, name, records)
    except KeyError as error:
        raise QueryError(str(error.args[0])) from None
    entity = found.entity
    if entity.type == "Person":
        rows = [(readable_day(p.date), p.title, p.body.label if p.body else "", p.document, p.file, p.url, _sentence(p)) for p in found.posts]
        return f"{entity.label} (person)", Result(list(PERSON_COLUMNS), rows)
    if entity.type == "Organization":
        rows = [(readable_day(p.date), p.holder.label, p.title, p.document, p.file, p.url, _sentence(p)) for p in found.holders]
        return f"{entity.label} (body)", Result(list(BODY_COLUMNS), rows)
    kind = entity.type or "node of unknown type"
    raise QueryError(f"{entity.label!r} is {'an' if kind[0] in 'AEIOU' else 'a'} {kind}: a timeline is for a person (their posts) or a body (who held which post)")
