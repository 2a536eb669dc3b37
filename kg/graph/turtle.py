"""A canonical Turtle and TriG writer.

rdflib's serialisers do not give the same bytes for the same graph on every
run (TriG changed with PYTHONHASHSEED), and the project promises
byte-identical output. This writer sorts subjects, predicates and objects,
escapes every literal, and never writes blank nodes it did not get.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.graph.namespace import PREFIXES, RDF, RDFS, XSD

SURROGATE = re.compile("[\ud800-\udfff]")
Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, "URIRef | None"]


def clean(text: str) -> str:
    """Text that can be written as UTF-8: lone surrogates become U+FFFD."""
    return SURROGATE.sub("\ufffd", text)



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


def escape(value: str) -> str:
    return TO_ESCAPE.sub(lambda m: ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), clean(value))


def write_iri(iri: str) -> str:
    for namespace, prefix in NAMESPACES:
        if iri.startswith(namespace) and LOCAL_NAME.fullmatch(iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    safe = IRI_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), clean(iri))
    return f"<{safe}>"


def write_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return write_iri(str(term))
    if isinstance(term, BNode):
        return "_:" + re.sub(r"[^A-Za-z0-9]", "x", str(term))
    if isinstance(term, Literal):
        lexical = str(term)
        if term.language:
            return f'"{escape(lexical)}"@{term.language}'
        datatype = term.datatype
        if datatype is None or datatype == XSD.string:
            return f'"{escape(lexical)}"'
        if datatype == XSD.integer and INTEGER.fullmatch(lexical):
            return lexical
        if datatype == XSD.decimal and DECIMAL.fullmatch(lexical):
            return lexical
        if datatype == XSD.boolean and lexical in ("true", "false"):
            return lexical
        return f'"{escape(lexical)}"^^{write_iri(str(datatype))}'
    raise TypeError(f"cannot write {term!r}")


def term_key(term: Node) -> tuple[int, str, str, str]:
    if isinstance(term, URIRef):
        return (0, str(term), "", "")
    if isinstance(term, BNode):
        return (1, str(term), "", "")
    assert isinstance(term, Literal)
    return (2, str(term), str(term.datatype or ""), term.language or "")


def quad_key(quad: Quad) -> tuple:
    s, p, o, g = quad
    return ("" if g is None else str(g), term_key(s), term_key(p), term_key(o))


def predicate_key(predicate: URIRef) -> tuple[int, str]:
    order = {RDF.type: 0, RDFS.label: 1}
    return (order.get(predicate, 2), str(predicate))


def write_triples(triples: Iterable[Triple], indent: str = "") -> list[str]:
    """Triples grouped by subject, every level sorted; one predicate per line."""
    tree: dict[Node, dict[URIRef, set[Node]]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        tree[s][p].add(o)
    lines: list[str] = []
    for subject in sorted(tree, key=term_key):
        if lines:
            lines.append("")
        lines.append(indent + write_term(subject))
        predicates = sorted(tree[subject], key=predicate_key)
        for i, predicate in enumerate(predicates):
            verb = "a" if predicate == RDF.type else write_term(predicate)
            objects = ", ".join(write_term(o) for o in sorted(tree[subject][predicate], key=term_key))
            end = " ;" if i < len(predicates) - 1 else " ."
            lines.append(f"{indent}    {verb} {objects}{end}")
    return lines


def prefix_lines() -> list[str]:
    return [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in PREFIXES]


def serialize_turtle(triples: Iterable[Triple]) -> str:
    """Canonical Turtle of any blank-node-free (or labelled-blank-node) set of triples."""
    lines = prefix_lines() + [""] + write_triples(set(triples))
    return "\n".join(lines).rstrip("\n") + "\n"


def serialize_trig(all_quads: Iterable[Quad]) -> str:
    """Canonical TriG: default-graph triples first at top level, then each named graph in IRI order."""
    graphs: dict[URIRef | None, set[Triple]] = defaultdict(set)
    for s, p, o, g in all_quads:
        graphs[g].add((s, p, o))
    lines = prefix_lines()
    if graphs.get(None):
        lines += [""] + write_triples(graphs[None])
    for name in sorted((g for g in graphs if g is not None), key=str):
        lines += ["", f"{write_term(name)} {{"] + write_triples(graphs[name], "    ") + ["}"]
    return "\n".join(lines).rstrip("\n") + "\n"
