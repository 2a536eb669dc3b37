"""Name parameters through a label index: a canned query bound to entity IRIs, not filtered by name.

A canned query matches a name parameter in a ``FILTER`` (part of the label,
any case; the IRI; the id after ``/id/``). An engine evaluates that filter
after joining the whole pattern, so a query for one person costs as much as
the query for everyone. ``plan_names`` looks the name up in the store's label
index first and joins the matching IRIs in first (a sub-SELECT of a
``VALUES`` block at the start of the pattern); the engine then starts from
those entities. The ``FILTER`` stays, so the rows are exactly those of the
unbound query.

The entity variable of a parameter is found in the filter itself: the
variable compared with it, as in ``STR(?person_iri) = STR(?person)``. A
filter that compares two variables (``?a`` or ``?b``, as co-attendance does)
gives one bound query per variable, merged (see ``NamePlan``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kg.text import fold_label

LABEL_QUERY = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER (isIRI(?s)) }"


WORD_SEPARATORS = re.compile(r"[\s,.;:()\[\]\"/-]+")  # as the canned queries' REPLACE splits words


def words_of(text: str) -> str:
    """``fold_label(text)`` with punctuation between words as spaces: the words a name is matched by."""
    return " ".join(WORD_SEPARATORS.sub(" ", fold_label(text)).split())


class LabelIndex:
    """Subjects by their ``rdfs:label``, folded (``fold_label``), for whole-word and id lookups."""

    def __init__(self, pairs: Iterable[tuple[str, ...]]) -> None:
        """``pairs``: (IRI, label), or (IRI, label, ``words_of(label)``) as ``kg load`` stores them, folded already."""
        self.iris: list[str] = []
        self.labels: list[str] = []
        for iri, label, *words in pairs:
            self.iris.append(iri)
            self.labels.append(f" {words[0] if words else words_of(str(label))} ")

    def __len__(self) -> int:
        return len(self.iris)

    def find(self, name: str) -> list[str]:
        """IRIs whose label holds the words of ``name`` (whole words, any case, any diacritics), that are ``name``, or end in ``/id/<name>``."""
        wanted = f" {words_of(name)} "
        suffix = "/id/" + name
        found = {iri for iri, label in zip(self.iris, self.labels) if wanted.strip() and wanted in label}
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
    contains = re.search(r"CONTAINS\(\s*CONCAT\(\s*\" \",\s*REPLACE\(\s*LCASE\(\s*STR\(\s*\?\w+\s*\)\s*\).*?CONCAT\(\s*\" \",\s*REPLACE\(\s*LCASE\(\s*STR\(\s*\?" + p + r"\s*\)\s*\)", text)
    suffix = re.search(r"STRENDS\(\s*STR\(\s*\?\w+\s*\)\s*,\s*CONCAT\(\s*\"/id/\"\s*,\s*STR\(\s*\?" + p + r"\s*\)\s*\)\s*\)", text)
    return bool(contains and suffix)


NOTHING = "urn:kg:no-such-entity"  # a VALUES block is never empty: rdflib fails on `VALUES ?x { }`
SAFE_IRI = re.compile(r"[^\s<>\"{}|^`\\]+")
ORDER_TERM = re.compile(r"(?:(ASC|DESC)\s*\(\s*\?(\w+)\s*\)|\?(\w+))", re.IGNORECASE)


def subquery(variable: str, iris: list[str]) -> str:
    """The entities a name matches, as a group the engine joins first.

    A sub-SELECT rather than a bare VALUES: where Oxigraph puts a bare VALUES
    block in its join order depends on the rest of the query (first in the
    group it ran one canned query 5x faster and another 10x slower, at 10^5
    triples); the sub-SELECT was fast for every canned query.
    """
    terms = " ".join(f"<{iri}>" for iri in iris or [NOTHING])
    return f"{{ SELECT ?{variable} WHERE {{ VALUES ?{variable} {{ {terms} }} }} }}"


OPTIONAL_GROUP = re.compile(r"\bOPTIONAL\s*\{", re.IGNORECASE)
IRI_REF = re.compile(r"<[^\s<>\"{}|^`\\]*>")


def group_end(text: str, opening: int) -> int:
    """The index just past the brace closing the group whose ``{`` is at ``opening`` (strings and IRIs skipped); -1 if unclosed."""
    depth, i, n = 0, opening, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            i += 1
            while i < n and text[i] != c:
                i += 2 if text[i] == "\\" else 1
        elif c == "<" and (iri := IRI_REF.match(text, i)):
            i = iri.end() - 1
        elif c == "#":
            newline = text.find("\n", i)
            i = n if newline < 0 else newline
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def into_optionals(body: str, variable: str, block: str) -> str:
    """``block`` (the entities a name matches) also at the head of each OPTIONAL group that uses ``?variable``.

    Oxigraph joins an OPTIONAL group by hashing all its solutions: one naming
    a body's memberships read every membership of the graph (220 ms at 10^6
    triples, growing with it). The left side already holds ``?variable`` to
    these entities, so the group gives the same rows restricted to them, read
    from the index (3 ms).
    """
    uses = re.compile(r"\?" + re.escape(variable) + r"\b")
    for match in reversed(list(OPTIONAL_GROUP.finditer(body))):
        opening = match.end() - 1
        end = group_end(body, opening)
        if end > 0 and uses.search(body, opening, end):
            body = body[: opening + 1] + " " + block + body[opening + 1 :]
    return body


@dataclass
class NamePlan:
    """The queries that answer a canned query with name parameters, and how their rows merge.

    One query when every name parameter has one entity variable. A parameter
    compared with several variables (``?a`` or ``?b``) gives one query per
    variable; a row of a later query whose earlier variable is also among the
    matches is dropped (the earlier query has it), and the merged rows are
    sorted again by the query's ``ORDER BY``.
    """

    texts: list[str]
    drops: list[list[tuple[str, frozenset[str]]]]
    order: list[tuple[str, bool]] = field(default_factory=list)

    def merge(self, variables: list[str], results: list[list[tuple]]) -> list[tuple]:
        if len(results) == 1:
            return results[0]
        column = {name: i for i, name in enumerate(variables)}
        rows: list[tuple] = []
        for drops, found in zip(self.drops, results):
            rows.extend(row for row in found if not any(row[column[v]] in iris for v, iris in drops))
        for name, descending in reversed(self.order):
            rows.sort(key=lambda row: sort_key(row[column[name]]), reverse=descending)
        return rows


def sort_key(value: object) -> tuple:
    """SPARQL's order of cells: unbound first, then numbers, then strings (IRIs and literals)."""
    if value is None:
        return (0, 0)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, value)
    return (2, str(value))


def order_by(text: str) -> list[tuple[str, bool]] | None:
    """``ORDER BY`` of plain variables as (variable, descending); None when it orders by expressions."""
    match = re.search(r"\bORDER\s+BY\b(.*?)(?:\bLIMIT\b|\bOFFSET\b|$)", text, re.IGNORECASE | re.DOTALL)
    if match is None:
        return []
    clause = match.group(1).strip()
    terms = list(ORDER_TERM.finditer(clause))
    if ORDER_TERM.sub("", clause).strip():
        return None
    return [((m.group(2) or m.group(3)), (m.group(1) or "").upper() == "DESC") for m in terms]


def plan_names(text: str, params: dict[str, object], lookup: Callable[[str], list[str]]) -> NamePlan | None:
    """How to run ``text`` with its non-empty name parameters bound to IRIs; None to run it as it is."""
    fixed: list[str] = []
    fixed_variables: list[str] = []
    branching: list[tuple[list[str], list[str]]] = []
    for name, value in params.items():
        value = str(value)
        if not value.strip() or not is_name_parameter(text, name):
            continue
        variables = entity_variables(text, name)
        if not variables:
            continue
        iris = [iri for iri in lookup(value) if SAFE_IRI.fullmatch(iri)]
        if len(variables) == 1:
            fixed.append(subquery(variables[0], iris))
            fixed_variables.append(variables[0])
        else:
            branching.append((variables, iris))
    if not fixed and not branching:
        return None
    start = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE)
    if start is None:
        return None
    order = order_by(text) if branching else []
    if len(branching) > 1 or order is None:
        branching = []  # several branching parameters, or an order that cannot be replayed: filter only
        if not fixed:
            return None
    projected = set(re.findall(r"\?(\w+)", text[: start.start()]))
    texts, drops = [], []
    variables, iris = branching[0] if branching else ([None], [])
    if branching and not set(variables) <= projected:
        variables, iris = [None], []
        if not fixed:
            return None
    for i, variable in enumerate(variables):
        blocks = fixed + ([subquery(variable, iris)] if variable else [])
        body = text[start.end():]
        for block, bound in zip(blocks, fixed_variables + ([variable] if variable else [])):
            body = into_optionals(body, bound, block)
        texts.append(text[: start.end()] + "\n  " + "\n  ".join(blocks) + "\n" + body)
        drops.append([(earlier, frozenset(iris)) for earlier in variables[:i]] if variable else [])
    return NamePlan(texts, drops, order or [])
