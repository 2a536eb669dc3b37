"""SPARQL over a graph file or a kg store, with pyoxigraph (default, fast) or rdflib.

``load_store(path, store=...)`` reads a Turtle/N-Triples/TriG/N-Quads/JSON-LD/
RDF-XML file into either store, or opens a store made by ``kg load``; ``GraphStore.select(query, params)`` runs a
SPARQL query and gives a ``Result`` whose cells are plain Python values
(IRIs and strings as ``str``, numbers as ``int``/``float``, booleans as
``bool``, unbound as ``None``) converted the same way for both stores, so the
two give equal results.

A canned query with a name parameter is first bound to the IRIs the name
matches, through a label index of the store (``kg.explore.labels``): the same
rows, without joining the whole graph first.

The query's text, canned or given, and its parameters come from
``kg.explore.query_text`` (re-exported here).

Parameters are never pasted into the query text. Each value becomes an RDF
literal term handed to the engine: rdflib's ``initBindings`` and pyoxigraph's
``substitutions`` (SEP-0007). The query is parsed before the value is seen,
so a value such as ``x") } DROP ALL #`` is only ever a string compared with
labels. pyoxigraph substitutes only variables of the SELECT projection, so a
canned query also projects its parameters (last columns); ``GraphStore.run``
drops those columns again.
"""

from __future__ import annotations

import io
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from kg.dates import date_bound
from kg.explore.labels import LABEL_QUERY, LabelIndex, is_name_parameter, plan_names
from kg.text import without_marks
from kg.explore.query_checks import MAX_NESTING, nesting_depth
from kg.explore.query_text import QUERY_DIR, CannedQuery, QueryError, bind_as_literals, canned_queries, check_params, resolve_query, sparql_string  # noqa: F401 - re-exported: users import them from here
from kg.graph.prefixes import PREFIXES

DATE_PARAMS = frozenset({"since", "until"})  # canned queries' date bounds: YYYY, YYYY-MM or YYYY-MM-DD
STORES = ("rdflib", "oxigraph")
OUTPUT_FORMATS = ("table", "csv", "tsv", "json")
MAX_CELL_CHARS = 60  # table output only (``--width``); csv/tsv/json give full values

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_FLOAT_TYPES = {XSD + t for t in ("decimal", "double", "float")}

# file suffix -> (rdflib format, pyoxigraph RdfFormat attribute, holds named graphs)
RDF_FORMATS: dict[str, tuple[str, str, bool]] = {
    ".ttl": ("turtle", "TURTLE", False),
    ".nt": ("nt", "N_TRIPLES", False),
    ".trig": ("trig", "TRIG", True),
    ".nq": ("nquads", "N_QUADS", True),
    ".jsonld": ("json-ld", "JSON_LD", True),
    ".rdf": ("xml", "RDF_XML", False),
    ".owl": ("xml", "RDF_XML", False),
    ".xml": ("xml", "RDF_XML", False),
}


Cell = Any  # str | int | float | bool | None


@dataclass
class Result:
    """Variables and rows of a SELECT (ASK gives one column ``ask``; CONSTRUCT/DESCRIBE gives s, p, o)."""

    variables: list[str]
    rows: list[tuple[Cell, ...]]
    truncated: bool = False  # stopped at max_rows
    seconds: float = 0.0

    def records(self) -> list[dict[str, Cell]]:
        return [dict(zip(self.variables, row)) for row in self.rows]


# --------------------------------------------------------------------------- cells


def _literal_cell(lexical: str, datatype: str | None) -> Cell:
    try:
        if datatype in _INTEGER_TYPES:
            return int(lexical)
        if datatype in _FLOAT_TYPES:
            return float(lexical)
    except ValueError:
        return lexical
    if datatype == XSD + "boolean":
        return lexical.strip() in ("true", "1")
    return lexical


def _rdflib_cell(term: Any) -> Cell:
    from rdflib import Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        return _literal_cell(str(term), str(term.datatype) if term.datatype else None)
    return str(term)


def _oxigraph_cell(term: Any) -> Cell:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return _literal_cell(term.value, term.datatype.value if term.datatype else None)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


# --------------------------------------------------------------------------- stores


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in RDF_FORMATS:
        raise QueryError(f"{path}: unknown graph format {suffix or '(no suffix)'}; use one of {', '.join(RDF_FORMATS)}")
    return suffix


class GraphStore:
    """A graph file loaded into one store; ``select`` runs read-only SPARQL queries."""

    name = ""
    _labels: Any = None
    binds_names = False  # bind name parameters through the label index (``kg.explore.labels``)

    def select(self, query: str, params: dict[str, Any] | None = None, max_rows: int | None = None, deadline_s: float | None = None) -> Result:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def run(self, spec: str, params: dict[str, Any] | None = None, max_rows: int | None = None, deadline_s: float | None = None) -> Result:
        """Run ``spec`` (SPARQL text, ``@file.rq`` or a canned query name) with checked parameters."""
        text, allowed = resolve_query(spec)
        if nesting_depth(text) > MAX_NESTING:
            raise QueryError(f"query refused: its groups are nested more than {MAX_NESTING} deep")
        check_params(text, params or {}, allowed)
        bound = {name: "" for name in sorted(allowed or ())} | dict(params or {})
        for name in DATE_PARAMS & set(allowed or ()):
            if str(bound.get(name, "")).strip():
                try:
                    bound[name] = date_bound(str(bound[name]))
                except ValueError as error:
                    raise QueryError(f"parameter {name}: {error}") from None
        # Users type Vietnamese names with their diacritics; the graph's labels are written without.
        bound = {name: " ".join(without_marks(value).split()) if isinstance(value, str) and is_name_parameter(text, name) else value for name, value in bound.items()}
        named = self.binds_names and allowed and any(str(v).strip() for v in bound.values())
        plan = plan_names(text, bound, self.label_index().find) if named else None
        if plan is None:
            result = self.select(text, bound, max_rows=max_rows, deadline_s=deadline_s)
        elif len(plan.texts) == 1:
            result = self.select(plan.texts[0], bound, max_rows=max_rows, deadline_s=deadline_s)
        else:
            started = time.perf_counter()
            parts = [self.select(t, bound, deadline_s=deadline_s) for t in plan.texts]
            rows = plan.merge(parts[0].variables, [p.rows for p in parts])
            truncated = max_rows is not None and len(rows) > max_rows
            result = Result(parts[0].variables, rows[:max_rows] if truncated else rows, truncated, time.perf_counter() - started)
        return drop_columns(result, allowed or set())

    def label_index(self) -> LabelIndex:
        """Subjects by label (``kg.explore.labels``), read from the store once."""
        if self._labels is None:
            self._labels = LabelIndex(self.select(LABEL_QUERY).rows)
        return self._labels


def drop_columns(result: Result, names: set[str]) -> Result:
    keep = [i for i, v in enumerate(result.variables) if v not in names]
    if len(keep) == len(result.variables):
        return result
    rows = [tuple(row[i] for i in keep) for row in result.rows]
    return Result([result.variables[i] for i in keep], rows, result.truncated, result.seconds)


def _collect(variables: list[str], rows: Iterable[tuple[Cell, ...]], max_rows: int | None, deadline_s: float | None, started: float) -> Result:
    """Rows up to ``max_rows``; stops with QueryError once ``deadline_s`` has passed (checked per row)."""
    out: list[tuple[Cell, ...]] = []
    truncated = False
    for row in rows:
        if max_rows is not None and len(out) >= max_rows:
            truncated = True
            break
        if deadline_s is not None and time.perf_counter() - started > deadline_s:
            raise QueryError(f"query ran past its {deadline_s:g} s time limit")
        out.append(row)
    return Result(variables, out, truncated, time.perf_counter() - started)


class RdflibStore(GraphStore):
    name = "rdflib"

    def __init__(self, graph: Any) -> None:
        self.graph = graph

    @classmethod
    def from_file(cls, path: Path) -> "RdflibStore":
        import rdflib

        fmt, _, quads = RDF_FORMATS[_suffix(path)]
        graph = rdflib.Dataset(default_union=True) if quads else rdflib.Graph()
        try:
            graph.parse(str(path), format=fmt)
        except Exception as error:  # noqa: BLE001 - any parser error is reported as one line
            raise QueryError(f"{path}: cannot parse as {fmt}: {str(error).splitlines()[0] if str(error) else type(error).__name__}") from None
        return cls(graph)

    def __len__(self) -> int:
        return len(self.graph)

    def select(self, query: str, params: dict[str, Any] | None = None, max_rows: int | None = None, deadline_s: float | None = None) -> Result:
        from rdflib import Literal, Variable

        started = time.perf_counter()
        bindings = {Variable(k): Literal(str(v)) for k, v in (params or {}).items()}
        try:
            result = self.graph.query(query, initBindings=bindings)
            if result.type == "ASK":
                return Result(["ask"], [(bool(result.askAnswer),)], False, time.perf_counter() - started)
            if result.type in ("CONSTRUCT", "DESCRIBE"):
                rows = ((_rdflib_cell(s), _rdflib_cell(p), _rdflib_cell(o)) for s, p, o in result.graph)
                return _collect(["subject", "predicate", "object"], rows, max_rows, deadline_s, started)
            variables = [str(v) for v in result.vars]
            rows = (tuple(_rdflib_cell(row[v]) for v in result.vars) for row in result)
            return _collect(variables, rows, max_rows, deadline_s, started)
        except QueryError:
            raise
        except Exception as error:  # noqa: BLE001 - parse and evaluation errors are the user's to fix
            raise QueryError(f"SPARQL error: {_one_line(error)}") from None


class OxigraphStore(GraphStore):
    name = "oxigraph"
    binds_names = True  # rdflib runs the sub-SELECT once per row: it stays with the filter

    def __init__(self, store: Any) -> None:
        self.store = store

    @classmethod
    def from_file(cls, path: Path) -> "OxigraphStore":
        import pyoxigraph as ox

        _, fmt, _ = RDF_FORMATS[_suffix(path)]
        store = ox.Store()
        try:
            store.bulk_load(path=str(path), format=getattr(ox.RdfFormat, fmt))
        except Exception as error:  # noqa: BLE001
            raise QueryError(f"{path}: cannot parse as {fmt.lower()}: {_one_line(error)}") from None
        return cls(store)

    def __len__(self) -> int:
        return len(self.store)

    def select(self, query: str, params: dict[str, Any] | None = None, max_rows: int | None = None, deadline_s: float | None = None) -> Result:
        import pyoxigraph as ox

        started = time.perf_counter()
        substitutions = {ox.Variable(k): ox.Literal(str(v)) for k, v in (params or {}).items()}
        try:
            result = self.store.query(query, use_default_graph_as_union=True, substitutions=substitutions or None)
            if isinstance(result, ox.QueryBoolean):
                return Result(["ask"], [(bool(result),)], False, time.perf_counter() - started)
            if isinstance(result, ox.QueryTriples):
                rows: Iterator[tuple[Cell, ...]] = ((_oxigraph_cell(t.subject), _oxigraph_cell(t.predicate), _oxigraph_cell(t.object)) for t in result)
                return _collect(["subject", "predicate", "object"], rows, max_rows, deadline_s, started)
            variables = [v.value for v in result.variables]
            rows = (tuple(_oxigraph_cell(solution[v]) for v in result.variables) for solution in result)
            return _collect(variables, rows, max_rows, deadline_s, started)
        except QueryError:
            raise
        except Exception as error:  # noqa: BLE001
            raise QueryError(f"SPARQL error: {_one_line(error)}") from None


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text[:300] if text else type(error).__name__


def load_store(path: Path | str, store: str = "oxigraph") -> GraphStore:
    """Read the graph file at ``path`` into ``store`` ('oxigraph' or 'rdflib'), or open the store ``path`` is.

    A directory made by ``kg load`` (``kg.explore.store``) is opened read-only
    in place, whatever ``store`` says: only Oxigraph reads it.
    """
    from kg.explore.label_db import open_label_db
    from kg.explore.store import LABEL_DB, StoreError, current_store, is_store, open_store, read_labels

    path = Path(path)
    if is_store(path):
        path = current_store(path)  # one version for the store and its labels, whatever a load does meanwhile
        try:
            opened = OxigraphStore(open_store(path))
        except StoreError as error:
            raise QueryError(str(error)) from None
        opened._labels = open_label_db(path / LABEL_DB)
        if opened._labels is None and (pairs := read_labels(path)) is not None:  # a store of an older kg
            opened._labels = LabelIndex(pairs)
        return opened
    if not path.is_file():
        raise QueryError(f"{path}: no such graph file or kg store")
    if store == "rdflib":
        return RdflibStore.from_file(path)
    if store == "oxigraph":
        return OxigraphStore.from_file(path)
    raise QueryError(f"unknown store {store!r}; use one of {', '.join(STORES)}")


def run_query(path: Path | str, spec: str, params: dict[str, Any] | None = None, store: str = "oxigraph", max_rows: int | None = None) -> Result:
    """Load ``path`` and run ``spec`` (SPARQL text, ``@file.rq`` or a canned query name)."""
    return load_store(path, store).run(spec, params, max_rows=max_rows)


# --------------------------------------------------------------------------- output


def compact(value: Cell) -> str:
    """A cell for the terminal: IRIs as prefixed names, None as empty."""
    if value is None:
        return ""
    text = str(value).lower() if isinstance(value, bool) else str(value)
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        for prefix, namespace in PREFIXES:
            if value.startswith(namespace) and re.fullmatch(r"[A-Za-z0-9_.%-]*", value[len(namespace):]):
                return f"{prefix}:{value[len(namespace):]}"
    return text


def format_result(result: Result, fmt: str = "table", width: int | None = MAX_CELL_CHARS) -> str:
    """The result as an aligned table, CSV, TSV or JSON (a list of objects).

    ``width`` cuts table cells to that many characters (with an ellipsis); 0 or None: never.
    """
    if fmt == "json":
        return json.dumps(result.records(), ensure_ascii=False, indent=1) + "\n"
    if fmt in ("csv", "tsv"):
        import csv  # here, not at the top: a query's start-up is part of its latency

        from kg.explore.formats import neutralise

        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.variables)
        for row in result.rows:
            cells = ["" if v is None else (str(v).lower() if isinstance(v, bool) else str(v)) for v in row]
            if fmt == "tsv":
                cells = [" ".join(c.split()) for c in cells]  # a tab or newline inside a value would break the row
            writer.writerow([neutralise(c) if isinstance(v, str) else c for c, v in zip(cells, row)])  # no formulas (OWASP)
        return buffer.getvalue()
    if fmt != "table":
        raise QueryError(f"unknown output format {fmt!r}; use one of {', '.join(OUTPUT_FORMATS)}")
    cells = [[_cut(" ".join(compact(v).split()), width) for v in row] for row in result.rows]
    widths = [len(v) for v in result.variables]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths)).rstrip(), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    note = f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}" + (" (truncated)" if result.truncated else "")
    return "\n".join(lines) + f"\n{note}\n"


def _cut(text: str, width: int | None = MAX_CELL_CHARS) -> str:
    return text if not width or len(text) <= width else text[: max(1, width) - 1] + "\u2026"
