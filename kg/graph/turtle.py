"""A canonical Turtle and TriG writer.

rdflib's serialisers do not give the same bytes for the same graph on every
run (TriG changed with PYTHONHASHSEED), and the project promises
byte-identical output. This writer sorts subjects, predicates and objects,
escapes every literal, and never writes blank nodes it did not get. A graph
too big to hold is written by ``kg.graph.turtle_stream`` in the same bytes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from kg.graph.namespace import PREFIXES, RDF, RDFS
from kg.graph.terms import XSD_BOOLEAN, XSD_DECIMAL, XSD_INTEGER, XSD_STRING, Term, clean, from_rdflib

Triple = tuple  # (s, p, o): kg.graph.terms tuples or rdflib terms
Quad = tuple  # (s, p, o, g), g None for the default graph


ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
# Control characters, and invisible/bidirectional formatting characters that
# would make the file read differently from what it contains, are written as \\u escapes.
TO_ESCAPE = re.compile("[\\\\\"\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")
IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# Turtle local names: letters, digits, "_", "-" (not first) and %XX escapes; no dots, no backslashes.
LOCAL_NAME = re.compile(r"(?:[A-Za-z0-9_]|%[0-9A-F]{2})(?:[A-Za-z0-9_-]|%[0-9A-F]{2})*")
NAMESPACES = sorted(((ns, prefix) for prefix, ns in PREFIXES), key=lambda item: -len(item[0]))
DECIMAL = re.compile(r"[+-]?\d*\.\d+")
INTEGER = re.compile(r"[+-]?\d+")
RDF_TYPE = (0, str(RDF.type))
RDFS_LABEL = (0, str(RDFS.label))
PREDICATE_ORDER = {RDF_TYPE: 0, RDFS_LABEL: 1}


def escape(value: str) -> str:
    return TO_ESCAPE.sub(lambda m: ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), clean(value))


def safe_iri(iri: str) -> str:
    return IRI_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), clean(iri))


def write_iri(iri: str) -> str:
    for namespace, prefix in NAMESPACES:
        if iri.startswith(namespace) and LOCAL_NAME.fullmatch(iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return whole_iri(iri)


def as_term(term: object) -> Term:
    return term if isinstance(term, tuple) else from_rdflib(term)


def term_text(term: Term, iri: Callable[[str], str]) -> str:
    """A term as N-Triples and Turtle both write it, IRIs by ``iri`` (prefixed in Turtle, whole in N-Triples)."""
    kind = term[0]
    if kind == 0:
        return iri(term[1])
    if kind == 1:
        return "_:" + re.sub(r"[^A-Za-z0-9]", "x", term[1])
    _, lexical, datatype, lang = term
    if lang:
        return f'"{escape(lexical)}"@{lang}'
    if not datatype or datatype == XSD_STRING:
        return f'"{escape(lexical)}"'
    return f'"{escape(lexical)}"^^{iri(datatype)}'


def write_term(term: object) -> str:
    """A term (a ``kg.graph.terms`` tuple or an rdflib term) in Turtle: numbers and booleans bare."""
    term = as_term(term)
    if term[0] == 2:
        _, lexical, datatype, lang = term
        if not lang and (
            (datatype == XSD_INTEGER and INTEGER.fullmatch(lexical))
            or (datatype == XSD_DECIMAL and DECIMAL.fullmatch(lexical))
            or (datatype == XSD_BOOLEAN and lexical in ("true", "false"))
        ):
            return lexical
    return term_text(term, write_iri)


def term_key(term: object) -> Term:
    """The canonical order of terms: IRIs, blank nodes, literals (lexical form, datatype, language)."""
    return as_term(term)


def quad_key(quad: Quad) -> tuple:
    s, p, o, g = quad
    return ("" if g is None else str(g[1] if isinstance(g, tuple) else g), term_key(s), term_key(p), term_key(o))


def predicate_key(predicate: Term) -> tuple[int, str]:
    return (PREDICATE_ORDER.get(predicate, 2), predicate[1])


def write_triples(triples: Iterable[Triple], indent: str = "") -> list[str]:
    """Triples grouped by subject, every level sorted; one predicate per line.

    Terms are sorted once and each triple becomes one integer made of its
    terms' ranks (subject, predicate, object), so sorting the triples compares
    integers, not nested tuples; each term is written once.
    """
    unique = triples if isinstance(triples, (set, frozenset)) else set(triples)
    if unique and not isinstance(next(iter(unique))[0], tuple):  # rdflib terms
        unique = {(as_term(s), as_term(p), as_term(o)) for s, p, o in unique}
    order = sorted({s for s, _, _ in unique} | {o for _, _, o in unique})
    rank = {term: i for i, term in enumerate(order)}
    predicates = sorted({p for _, p, _ in unique}, key=predicate_key)
    predicate_rank = {p: i for i, p in enumerate(predicates)}
    terms, count = len(order), len(predicates)
    keyed = sorted((rank[s] * count + predicate_rank[p]) * terms + rank[o] for s, p, o in unique)
    verbs = ["a" if p == RDF_TYPE else write_term(p) for p in predicates]
    written: list[str | None] = [None] * terms

    def write(i: int) -> str:
        text = written[i]
        if text is None:
            text = written[i] = write_term(order[i])
        return text

    def decoded() -> Iterator[tuple[int, int, int]]:
        for key in keyed:
            head, o = divmod(key, terms)
            yield (*divmod(head, count), o)

    return list(subject_blocks(decoded(), write, verbs.__getitem__, write, indent))


def subject_blocks(ordered: Iterable[tuple], subject_text: Callable, verb_text: Callable, object_text: Callable, indent: str = "") -> Iterator[str]:
    """The lines of triples sorted by subject then predicate: a subject, its predicates one per line, a blank line between subjects."""
    subject = predicate = None
    objects: list[str] = []
    for s, p, o in ordered:
        if s != subject:
            if objects:
                yield f"{indent}    {verb_text(predicate)} {', '.join(objects)} ."
                yield ""
            subject, predicate, objects = s, p, []
            yield indent + subject_text(s)
        elif p != predicate:
            yield f"{indent}    {verb_text(predicate)} {', '.join(objects)} ;"
            predicate, objects = p, []
        objects.append(object_text(o))
    if objects:
        yield f"{indent}    {verb_text(predicate)} {', '.join(objects)} ."


def prefix_lines() -> list[str]:
    return [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in PREFIXES]


def serialize_turtle(triples: Iterable[Triple]) -> str:
    """Canonical Turtle of any blank-node-free (or labelled-blank-node) set of triples."""
    lines = prefix_lines() + [""] + write_triples(triples)
    return "\n".join(lines).rstrip("\n") + "\n"


def bounded_memo(render: Callable[[Term], str], limit: int = 1 << 15) -> Callable[[Term], str]:
    """``render`` remembered for up to ``limit`` terms, then forgotten at once: the terms that repeat (IRIs, predicates) are few.

    (The N-Quads of 10^4 articles were written as fast remembering 2^15 terms as 200,000, at a peak of 120 MiB against 212.)"""
    written: dict[Term, str] = {}

    def write(term: Term) -> str:
        text = written.get(term)
        if text is None:
            if len(written) > limit:
                written.clear()
            text = written[term] = render(term)
        return text

    return write


def serialize_trig(all_quads: Iterable[Quad]) -> str:
    """Canonical TriG: default-graph triples first at top level, then each named graph in IRI order."""
    graphs: dict[Term | None, list[Triple]] = defaultdict(list)
    for s, p, o, g in all_quads:
        graphs[None if g is None else as_term(g)].append((s, p, o))
    lines = prefix_lines()
    if graphs.get(None):
        lines += [""] + write_triples(graphs[None])
    for name in sorted(g for g in graphs if g is not None):
        lines += ["", f"{write_term(name)} {{"] + write_triples(graphs[name], "    ") + ["}"]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- N-Triples and N-Quads: one statement per line, written as they come -------


def nt_term(term: Term) -> str:
    return term_text(term, whole_iri)


def whole_iri(iri: str) -> str:
    return f"<{safe_iri(iri)}>"


def nt_lines(statements: Iterable[Quad], graphs: bool) -> Iterator[str]:
    """N-Quads lines (``graphs``) or N-Triples lines of ``statements`` (kg.graph.terms tuples)."""
    write = bounded_memo(nt_term)
    for s, p, o, g in statements:
        if graphs and g is not None:
            yield f"{write(s)} {write(p)} {write(o)} {write(g)} .\n"
        else:
            yield f"{write(s)} {write(p)} {write(o)} .\n"


def write_ntriples(statements: Iterable[Quad], handle: IO[str], graphs: bool = False) -> int:
    """Write ``statements`` to ``handle`` as N-Quads (``graphs``) or N-Triples; the number of lines."""
    count = 0
    buffer: list[str] = []
    for line in nt_lines(statements, graphs):
        buffer.append(line)
        if len(buffer) >= 4096:
            handle.write("".join(buffer))
            count += len(buffer)
            buffer.clear()
    handle.write("".join(buffer))
    return count + len(buffer)
