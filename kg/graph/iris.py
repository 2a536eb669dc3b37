"""The IRIs of the graph's nodes (``kg.graph.rdf``; the reasons are in ``ontology/README.md``).

Every node has an IRI under ``https://w3id.org/kg-vn/id/`` (no blank nodes):
entities ``id:<slug>``, documents ``doc:<id>``, graphs ``g:<id>``, roles
``role:<Title_With_Underscores>``, posts ``post:<org>/<role>``, runs
``run:<model>``; assertions and memberships are named by ``digest`` of their
content. Path segments keep only safe characters and percent-encode the rest
(``segment``).
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache

from rdflib import URIRef

from kg.graph.namespace import DOC, GRAPH, ID, POST, ROLE, RUN

ENTITY_SAFE = re.compile(r"[a-z0-9-]")
DOC_SAFE = re.compile(r"[A-Za-z0-9_-]")
ROLE_SAFE = re.compile(r"[A-Za-z0-9-]")
MAX_SEGMENT = 120
# "%2D" (an encoded "-") never comes out of encoding, because "-" is always kept:
# it marks the empty string and the hash tail of over-long segments unambiguously.
MARK = "%2D"


def segment(text: str, safe: re.Pattern[str] = ENTITY_SAFE, space: str | None = None) -> str:
    """``text`` as one IRI path segment: safe characters kept, the rest percent-encoded (UTF-8).

    Injective: ``%`` is never safe, so an encoded string cannot equal a plain
    one. ``space`` (if given, e.g. ``_``) replaces spaces; that character is
    then itself encoded wherever it occurs. Empty text gives ``%2D``; over-long
    segments are cut and end with ``%2D`` + 16 hex digits of a SHA-256.
    """
    if not text:
        return MARK
    if len(text) <= MAX_SEGMENT and (space is None or space not in text) and all_safe(safe).fullmatch(text):
        return text  # (most ids: one match instead of one per character)
    parts = []
    for char in text:
        if space is not None and char == " ":
            parts.append(space)
        elif safe.fullmatch(char) and char != space:
            parts.append(char)
        else:
            parts.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass")))
    out = "".join(parts)
    if len(out) > MAX_SEGMENT:
        head, size = [], 0
        for part in parts:
            if size + len(part) > MAX_SEGMENT - 19:
                break
            head.append(part)
            size += len(part)
        out = "".join(head) + MARK + digest(text)[:16]
    return out


@lru_cache(maxsize=8)
def all_safe(safe: re.Pattern[str]) -> re.Pattern[str]:
    """A text of the characters ``safe`` matches, one or more."""
    return re.compile(f"(?:{safe.pattern})+")


def digest(*parts: object) -> str:
    data = json.dumps(parts, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def entity_iri(entity_id: str) -> URIRef:
    return ID[segment(entity_id)]


def document_iri(doc_id: str) -> URIRef:
    return DOC[segment(doc_id, DOC_SAFE)]


def graph_iri(doc_id: str) -> URIRef:
    """The named graph holding what document ``doc_id`` states."""
    return GRAPH[segment(doc_id, DOC_SAFE)]


def role_iri(title: str) -> URIRef:
    return ROLE[segment(title, ROLE_SAFE, space="_")]


def post_iri(org_id: str, title: str) -> URIRef:
    return POST[segment(org_id) + "/" + segment(title, ROLE_SAFE, space="_")]


def run_iri(ner_model: str) -> URIRef:
    return RUN[segment(ner_model, DOC_SAFE)]
