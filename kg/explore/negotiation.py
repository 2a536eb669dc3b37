"""SPARQL 1.1 protocol content negotiation for the endpoint's answers.

The engines answer in one form each: SPARQL JSON for SELECT and ASK,
N-Triples for CONSTRUCT and DESCRIBE. The front turns that into what the
client's ``Accept`` header asks for:

- SELECT / ASK: ``application/sparql-results+json`` (also ``application/json``),
  ``application/sparql-results+xml``, ``text/csv``, ``text/tab-separated-values``;
- CONSTRUCT / DESCRIBE: ``application/n-triples``, ``text/turtle``,
  ``application/ld+json``, ``application/rdf+xml``.

No ``Accept`` (or ``*/*``) keeps the engine's own form. When nothing the
client accepts can be given the answer is ``406`` naming what can. Quality
values are honoured (``q=0`` refuses a type); among equal ones the client's
order wins. Errors (any status but 200) pass through untouched.
"""

from __future__ import annotations

import json

from kg.explore.engines import JSON_RESULTS, N_TRIPLES, Answer

# Media type offered -> (pyoxigraph format, Content-Type sent), in order of preference: the
# formats' own types first (the first is the engine's form, given unchanged), then the aliases
# clients also send. A 406 names the first type of each format.
SOLUTION_TYPES = {
    JSON_RESULTS: ("JSON", JSON_RESULTS),
    "application/sparql-results+xml": ("XML", "application/sparql-results+xml"),
    "text/csv": ("CSV", "text/csv; charset=utf-8"),
    "text/tab-separated-values": ("TSV", "text/tab-separated-values; charset=utf-8"),
    "application/json": ("JSON", "application/json"),
    "application/xml": ("XML", "application/xml"),
}
GRAPH_TYPES = {
    N_TRIPLES: ("N_TRIPLES", N_TRIPLES),
    "text/turtle": ("TURTLE", "text/turtle"),
    "application/ld+json": ("JSON_LD", "application/ld+json"),
    "application/rdf+xml": ("RDF_XML", "application/rdf+xml"),
    "text/plain": ("N_TRIPLES", "text/plain; charset=utf-8"),
    "application/x-turtle": ("TURTLE", "application/x-turtle"),
}


def accepted(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their quality, best first (stable for ties)."""
    ranges: list[tuple[str, float, int]] = []
    for index, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        quality = 1.0
        for field in fields[1:]:
            name, _, value = field.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality, index))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(media, quality) for media, quality, _ in ranges]


def matches(media_range: str, media_type: str) -> bool:
    if media_range in ("*/*", "*"):
        return True
    if media_range.endswith("/*"):
        return media_type.startswith(media_range[:-1])
    return media_range == media_type


def choose(header: str | None, offered: list[str]) -> str | None:
    """The offered type the client prefers; the first offered when it states no preference; None: nothing acceptable."""
    ranges = accepted(header)
    if not ranges:
        return offered[0]
    refused = {media for media, quality in ranges if quality == 0.0}
    for media, quality in ranges:
        if quality == 0.0:
            continue
        for candidate in offered:
            if matches(media, candidate) and candidate not in refused:
                return candidate
    return None


def not_acceptable(types: dict[str, tuple[str, str]]) -> Answer:
    named: dict[str, str] = {}  # format -> its first media type
    for media, (fmt, _) in types.items():
        named.setdefault(fmt, media)
    return Answer.text(406, "cannot answer in any type the request accepts; this result can be given as " + ", ".join(named.values()))


def solutions_as(body: bytes, fmt: str) -> tuple[bytes, bool]:
    """SPARQL JSON results in another results format, and whether the engine cut them."""
    import pyoxigraph as ox

    truncated = False
    if b'"truncated"' in body:  # the cap's mark is no part of SPARQL JSON: the parser refuses it
        data = json.loads(body)
        truncated = bool(data.pop("truncated", False))
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return ox.parse_query_results(body, ox.QueryResultsFormat.JSON).serialize(format=getattr(ox.QueryResultsFormat, fmt)), truncated


def graph_as(body: bytes, fmt: str) -> tuple[bytes, bool]:
    """N-Triples in another RDF format, and whether the engine cut them (its first line says so)."""
    import pyoxigraph as ox

    triples = list(ox.parse(body, ox.RdfFormat.N_TRIPLES))
    return ox.serialize(triples, format=getattr(ox.RdfFormat, fmt)) or b"", body.startswith(b"# truncated")


# The engine's form -> what it can be given as, and how to convert it.
FORMS = {JSON_RESULTS: (SOLUTION_TYPES, solutions_as), N_TRIPLES: (GRAPH_TYPES, graph_as)}


def negotiate(answer: Answer, accept: str | None) -> Answer:
    """``answer`` in the type ``accept`` prefers (see the module doc)."""
    form = FORMS.get(answer.content_type.split(";")[0].strip()) if answer.status == 200 else None
    if form is None:
        return answer
    types, convert = form
    chosen = choose(accept, list(types))
    if chosen is None:
        return not_acceptable(types)
    fmt, content_type = types[chosen]
    if fmt == next(iter(types.values()))[0]:  # the engine's own form, under the name asked for
        return Answer(200, content_type, answer.body)
    body, truncated = convert(answer.body, fmt)
    return Answer(200, content_type, body, {"X-Truncated": "true"} if truncated else {})
