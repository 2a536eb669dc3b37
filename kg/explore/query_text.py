"""The text of a query: SPARQL given as text, a file or a canned name, and its parameters checked and bound.

Canned queries are the ``ontology/queries/*.rq`` files, runnable by name. A
file declares its parameters in header comments
(``# param person: what it matches``); a parameter is a variable of the query
that reads as "any" when it is the empty string or unbound: each filter starts
with ``COALESCE(STR(?person), "") = ""``, so the file pasted as is into any
SPARQL endpoint returns every row (a bare ``STR(?person) = ""`` is an error on
an unbound variable, which makes the FILTER false and the result empty; and
not ``BOUND``: pyoxigraph 0.5 evaluates ``BOUND`` of a substituted variable as
false). ``kg query`` binds parameters not given to the empty string.

``resolve_query`` gives a query's text and the parameters it takes;
``check_params`` refuses a name that is not one of them; ``bind_as_literals`` writes the parameters into the text as a
``VALUES`` block of escaped string literals, for a user to paste into another
SPARQL store. Running a query (``kg.explore.query``) never pastes a value into
its text: values are handed to the engine as terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

QUERY_DIR = Path(__file__).resolve().parents[2] / "ontology" / "queries"


class QueryError(Exception):
    """A query, parameter or graph file the user can fix; the message is one line."""


@dataclass
class CannedQuery:
    name: str
    description: str
    params: dict[str, str] = field(default_factory=dict)
    text: str = ""


_PARAM_LINE = re.compile(r"#\s*param\s+([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*)")


def canned_queries(directory: Path = QUERY_DIR) -> dict[str, CannedQuery]:
    """The ``*.rq`` files of ``directory`` by name (file stem), with their header comments."""
    queries: dict[str, CannedQuery] = {}
    for path in sorted(Path(directory).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        description: list[str] = []
        params: dict[str, str] = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            match = _PARAM_LINE.match(line)
            if match:
                params[match.group(1)] = match.group(2).strip()
            else:
                description.append(line.lstrip("#").strip())
        queries[path.stem] = CannedQuery(path.stem, " ".join(d for d in description if d), params, text)
    return queries


def resolve_query(spec: str, directory: Path = QUERY_DIR) -> tuple[str, set[str] | None]:
    """Query text and allowed parameter names for ``spec``: SPARQL text, ``@file.rq`` or a canned name.

    The allowed names are None for free text (any variable of the query may be bound).
    """
    spec = spec.strip()
    if spec.startswith("@"):
        path = Path(spec[1:])
        try:
            return path.read_text(encoding="utf-8"), None
        except OSError as error:
            raise QueryError(f"{path}: cannot read the query file ({error.strerror or error})") from None
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", spec):
        queries = canned_queries(directory)
        if spec not in queries:
            raise QueryError(f"no canned query named {spec!r}; known: {', '.join(queries) or 'none'} (in {directory})")
        return queries[spec].text, set(queries[spec].params)
    return spec, None


def sparql_string(value: Any) -> str:
    """``value`` as a SPARQL string literal: ``\\``, ``"`` and line breaks escaped, so it cannot end the literal."""
    text = str(value)
    for raw, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        text = text.replace(raw, escaped)
    return f'"{text}"'


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind_as_literals(spec: str, params: dict[str, Any] | None = None) -> str:
    """The text of ``spec`` with ``params`` bound as literals: a ``VALUES`` block opening the ``WHERE`` clause.

    >>> print(bind_as_literals("SELECT ?x WHERE { ?x ?p ?person }", {"person": 'Mai "Tuat"'}))
    SELECT ?x WHERE {
      VALUES ?person { "Mai \\"Tuat\\"" }
     ?x ?p ?person }

    Parameters left out stay unbound, which the canned queries read as "any".
    The result runs unchanged in any SPARQL 1.1 store or endpoint.
    """
    text, allowed = resolve_query(spec)
    params = dict(params or {})
    check_params(text, params, allowed)
    if not params:
        return text
    names = sorted(params)
    if len(names) == 1:
        block = f"VALUES ?{names[0]} {{ {sparql_string(params[names[0]])} }}"
    else:
        block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(sparql_string(params[n]) for n in names)}) }}"
    offset = 0
    for line in text.splitlines(keepends=True):  # the first WHERE outside a comment line
        match = _WHERE.search(line) if not line.lstrip().startswith("#") else None
        if match:
            at = offset + match.end()
            rest = text[at:]
            return text[:at] + "\n  " + block + ("" if rest.startswith(("\n", "\r")) else "\n") + rest
        offset += len(line)
    raise QueryError("cannot bind the parameters: the query has no WHERE { ... } clause")


def check_params(text: str, params: dict[str, Any], allowed: set[str] | None) -> None:
    for name in params:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"parameter name {name!r} is not a SPARQL variable name")
        if allowed is not None and name not in allowed:
            raise QueryError(f"unknown parameter {name!r}; this query takes: {', '.join(sorted(allowed)) or 'none'}")
        if allowed is None and not re.search(r"[?$]" + re.escape(name) + r"\b", text):
            raise QueryError(f"parameter {name!r} is not a variable of the query")
