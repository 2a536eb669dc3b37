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

SOLUTION_TYPES = {
    JSON_RESULTS: "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {
    N_TRIPLES: "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "text/turtle": "TURTLE",
    "application/x-turtle": "TURTLE",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
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


def not_acceptable(offered: list[str]) -> Answer:
    return Answer.text(406, "cannot answer in any type the request accepts; this result can be given as " + ", ".join(offered))


def negotiate(answer: Answer, accept: str | None) -> Answer:
    """``answer`` in the type ``accept`` prefers (see the module doc)."""
    if answer.status != 200:
        return answer
    import pyoxigraph as ox

    kind = answer.content_type.split(";")[0].strip()
    if kind == JSON_RESULTS:
        offered = [JSON_RESULTS, "application/sparql-results+xml", "text/csv", "text/tab-separated-values", "application/json", "application/xml"]
        chosen = choose(accept, offered)
        if chosen is None:
            return not_acceptable(offered[:4])
        if SOLUTION_TYPES[chosen] == "JSON":
            return Answer(200, JSON_RESULTS if chosen == JSON_RESULTS else "application/json", answer.body)
        results = ox.parse_query_results(answer.body, ox.QueryResultsFormat.JSON)
        body = results.serialize(format=getattr(ox.QueryResultsFormat, SOLUTION_TYPES[chosen]))
        truncated = bool(json.loads(answer.body).get("truncated")) if b'"truncated"' in answer.body else False
        content_type = chosen + ("; charset=utf-8" if chosen.startswith("text/") else "")
        return Answer(200, content_type, body, {"X-Truncated": "true"} if truncated else {})
    if kind == N_TRIPLES:
        offered = [N_TRIPLES, "text/turtle", "application/ld+json", "application/rdf+xml", "text/plain", "application/x-turtle"]
        chosen = choose(accept, offered)
        if chosen is None:
            return not_acceptable(offered[:4])
        if GRAPH_TYPES[chosen] == "N_TRIPLES":
            return Answer(200, chosen if chosen == N_TRIPLES else "text/plain; charset=utf-8", answer.body)
        truncated = answer.body.startswith(b"# truncated")
        triples = list(ox.parse(answer.body, ox.RdfFormat.N_TRIPLES))
        body = ox.serialize(triples, format=getattr(ox.RdfFormat, GRAPH_TYPES[chosen])) or b""
        return Answer(200, chosen, body, {"X-Truncated": "true"} if truncated else {})
    return answer
