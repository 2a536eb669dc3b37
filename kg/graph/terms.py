"""RDF terms as plain tuples: what the build path makes, sorts and writes.

rdflib's terms validate and convert every literal when made; a build makes
millions of them. Here a term is a tuple whose order is the canonical order of
``kg.graph.turtle`` (IRIs, then blank nodes, then literals by lexical form,
datatype and language):

- an IRI: ``(0, "https://…")``;
- a blank node: ``(1, "b0")``;
- a literal: ``(2, lexical form, datatype IRI or "", language tag or "")``.

``to_rdflib``/``from_rdflib`` convert at the edges (``kg.graph.rdf.quads``,
``build_dataset``). The literal helpers write canonical lexical forms, so no
conversion changes a value.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

from kg.graph.namespace import XSD

Term = tuple  # (0, iri) | (1, label) | (2, lexical, datatype, lang)

XSD_STRING = str(XSD.string)
XSD_INTEGER = str(XSD.integer)
XSD_DECIMAL = str(XSD.decimal)
XSD_DOUBLE = str(XSD.double)
XSD_BOOLEAN = str(XSD.boolean)
XSD_DATE = str(XSD.date)
XSD_GYEAR = str(XSD.gYear)
XSD_ANY_URI = str(XSD.anyURI)

SURROGATE = re.compile("[\ud800-\udfff]")
LANG_TAG = re.compile(r"[a-z]{1,8}(-[a-z0-9]{1,8})*")
DATE_PATTERNS = (
    (re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"), XSD_DATE),
    (re.compile(r"--(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"), str(XSD.gMonthDay)),
    (re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])"), str(XSD.gYearMonth)),
    (re.compile(r"-?\d{4,}"), XSD_GYEAR),
)


def clean(text: str) -> str:
    """Text that can be written as UTF-8: lone surrogates become U+FFFD."""
    return SURROGATE.sub("\ufffd", text)


def iri(value: str) -> Term:
    return (0, value)


def text(value: str, lang: str | None = None) -> Term:
    """A string literal, language-tagged when ``lang`` is a well-formed tag (lower-cased)."""
    tag = (lang or "").strip().lower().replace("_", "-")
    if tag and LANG_TAG.fullmatch(tag):
        return (2, clean(value), "", tag)
    return (2, clean(value), "", "")


def integer(value: int) -> Term:
    return (2, str(int(value)), XSD_INTEGER, "")


def decimal(value: float) -> Term:
    """A confidence as ``xsd:decimal`` in canonical form; NaN and infinities as ``xsd:double``."""
    value = float(value)
    if math.isnan(value):
        return (2, "NaN", XSD_DOUBLE, "")
    if math.isinf(value):
        return (2, "INF" if value > 0 else "-INF", XSD_DOUBLE, "")
    lexical = f"{value:.6f}".rstrip("0")
    if lexical.endswith("."):
        lexical += "0"
    if lexical == "-0.0":
        lexical = "0.0"
    return (2, lexical, XSD_DECIMAL, "")


def boolean(value: str) -> Term:
    return (2, "true" if str(value).strip().lower() in ("true", "1", "yes") else "false", XSD_BOOLEAN, "")


def date(value: str) -> Term:
    """``2023-10-09`` as xsd:date, ``--10-09`` as xsd:gMonthDay, … anything else as a plain string."""
    value = value.strip()
    for pattern, datatype in DATE_PATTERNS:
        if pattern.fullmatch(value):
            if datatype == XSD_DATE and not valid_date(value):
                break
            return (2, value, datatype, "")
    return text(value)


def year(value: int) -> Term:
    return (2, f"{value:04d}", XSD_GYEAR, "")


def valid_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def any_uri(value: str) -> Term:
    return (2, clean(value.strip()), XSD_ANY_URI, "")


def to_rdflib(term: Term) -> Any:
    from rdflib import BNode, Literal, URIRef

    if term[0] == 0:
        return URIRef(term[1])
    if term[0] == 1:
        return BNode(term[1])
    _, lexical, datatype, lang = term
    if lang:
        return Literal(lexical, lang=lang)
    return Literal(lexical, datatype=URIRef(datatype)) if datatype else Literal(lexical)


def from_rdflib(node: Any) -> Term:
    from rdflib import BNode, Literal, URIRef

    if isinstance(node, URIRef):
        return (0, str(node))
    if isinstance(node, BNode):
        return (1, str(node))
    if isinstance(node, Literal):
        return (2, str(node), str(node.datatype or ""), node.language or "")
    raise TypeError(f"not an RDF term: {node!r}")
