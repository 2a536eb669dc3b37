"""Name parameters through a label index: a canned query bound to entity IRIs, not filtered by name.

A canned query matches a name parameter in a ``FILTER`` (part of the label,
any case; the IRI; the id after ``/id/``). An engine evaluates that filter
after joining the whole pattern, so a query for one person costs as much as
the query for everyone. ``bind_names`` looks the name up in the store's label
index first and puts the matching IRIs in a ``VALUES`` block at the start of
the query's pattern; the engine then starts from those entities. The
``FILTER`` stays, so the rows are exactly those of the unbound query.

The entity variable of a parameter is found in the filter itself: the
variable compared with it, as in ``STR(?person_iri) = STR(?person)``. When a
filter compares two variables (``?a`` or ``?b``, as co-attendance does), the
VALUES block is a UNION of one block per variable; that is used only where
duplicate solutions cannot change the result (a query whose aggregates are
all ``DISTINCT``), otherwise the query runs unbound.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

LABEL_QUERY = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER (isIRI(?s)) }"


class LabelIndex:
    """Subjects by their ``rdfs:label``, lower-cased, for substring and id lookups."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.iris: list[str] = []
        self.labels: list[str] = []
        for iri, label in pairs:
            self.iris.append(iri)
            self.labels.append(str(label).lower())

    def __len__(self) -> int:
        return len(self.iris)

    def find(self, name: str) -> list[str]:
        """IRIs whose label contains ``name`` (any case), that are ``name``, or end in ``/id/<name>``."""
        wanted = name.lower()
        suffix = "/id/" + name
        found = {iri for iri, label in zip(self.iris, self.labels) if wanted in label}
        found.update(iri for iri in self.iris if iri == name or iri.endswith(suffix))
        return sorted(found)


def entity_variables(text: str, param: str) -> list[str]:
    """The variables a canned query compares with parameter ``param`` (``STR(?x) = STR(?param)``)."""
    pattern = re.compile(r"STR\(\s*\?(\w+)\s*\)\s*=\s*STR\(\s*\?" + re.escape(param) + r"\s*\)")
    return list(dict.fromkeys(m.group(1) for m in pattern.finditer(text)))


def is_name_parameter(text: str, param: str) -> bool:
    """True when the query matches ``param`` as a name: part of a label, the IRI, or the id after ``/id/``.

    Only then does the index lookup find exactly what the filter accepts
    (``predicate`` in the evidence query, matched against the relation's name,
    is not one).
    """
    p = re.escape(param)
    contains = re.search(r"CONTAINS\(\s*LCASE\(\s*STR\(\s*\?\w+\s*\)\s*\)\s*,\s*LCASE\(\s*STR\(\s*\?" + p + r"\s*\)\s*\)\s*\)", text)
    suffix = re.search(r"STRENDS\(\s*STR\(\s*\?\w+\s*\)\s*,\s*CONCAT\(\s*\"/id/\"\s*,\s*STR\(\s*\?" + p + r"\s*\)\s*\)\s*\)", text)
    return bool(contains and suffix)


def duplicates_harmless(text: str) -> bool:
    """True when the query groups and every aggregate is DISTINCT (a duplicate solution changes nothing)."""
    upper = text.upper()
    aggregates = re.findall(r"\b(COUNT|SUM|AVG|MIN|MAX|SAMPLE|GROUP_CONCAT)\s*\(\s*(DISTINCT\b)?", upper)
    return "GROUP BY" in upper and all(distinct for _, distinct in aggregates)


NOTHING = "urn:kg:no-such-entity"  # a VALUES block is never empty: rdflib fails on `VALUES ?x { }`


def values_block(variables: list[str], iris: list[str]) -> str:
    terms = " ".join(f"<{iri}>" for iri in iris or [NOTHING])
    if len(variables) == 1:
        return f"VALUES ?{variables[0]} {{ {terms} }}"
    return " UNION ".join(f"{{ VALUES ?{v} {{ {terms} }} }}" for v in variables)


def bind_names(text: str, params: dict[str, object], lookup: Callable[[str], list[str]]) -> str:
    """``text`` with a VALUES block for each non-empty name parameter whose entity variable is known."""
    blocks = []
    for name, value in params.items():
        value = str(value)
        if not value.strip():
            continue
        variables = entity_variables(text, name)
        if not variables or not is_name_parameter(text, name) or (len(variables) > 1 and not duplicates_harmless(text)):
            continue
        iris = [iri for iri in lookup(value) if re.fullmatch(r"[^\s<>\"{}|^`\\]+", iri)]
        blocks.append(values_block(variables, iris))
    if not blocks:
        return text
    where = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE)
    if where is None:
        return text
    return text[: where.end()] + "\n  " + "\n  ".join(blocks) + "\n" + text[where.end():]
