"""The extraction as a networkx graph: the entities and facts ``kg.graph.viz`` draws, and the neighbourhood of one.

``to_networkx`` gives one node per entity (attributes ``type``, ``label``,
``posts`` (titles), ``docs``, ``mentions``) and one edge per distinct
(subject, predicate, object), keyed by the predicate, with ``predicate``,
``label``, ``evidence`` (the distinct sentence texts that support it) and, for
``holdsPost``, ``post`` (the post title(s)). ``kg.graph.page_bounds`` makes a
big corpus's page graph from the same attributes, ``ego`` and ``find_node``
pick one entity's neighbourhood.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from kg.model import Extraction

__all__ = ["dangling_attributes", "edge_attributes", "ego", "find_node", "node_attributes", "to_networkx"]

MAX_QUOTES = 3  # evidence sentences shown per edge tooltip
MAX_SEARCH_NAMES = 50  # names of a node the page's search finds it by (in their sorted order): its size stays bounded


def _unique(values: Any) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return list(seen)


def _evidence_order(relation: Any) -> tuple[Any, ...]:
    e = relation.evidence
    return (e.doc_id, e.sentence, e.start, e.end, e.rule, e.text, relation.post or "")


def to_networkx(extraction: Extraction, only: set[str] | None = None) -> nx.MultiDiGraph:
    """One node per entity, one edge per distinct (s, p, o) of the extraction.

    With ``only``, the same graph restricted to those nodes, as
    ``to_networkx(extraction).subgraph(only).copy()`` has it (the same order of
    nodes and edges), without the rest being drawn first.
    """
    graph = nx.MultiDiGraph()
    for entity in sorted(extraction.entities, key=lambda e: e.id):
        if only is not None and entity.id not in only:
            continue
        graph.add_node(entity.id, **node_attributes(entity, entity.docs(), (m.text for m in entity.mentions)))
    entity_ids = {e.id for e in extraction.entities} if only is not None else set()
    grouped: dict[tuple[str, str, str], list[Any]] = {}
    for relation in extraction.relations:
        key = relation.key()
        if only is not None and not (key[0] in only and key[2] in only):
            if any(end in only and end not in entity_ids for end in (key[0], key[2])):
                grouped.setdefault(key, [])  # a dangling end shown takes its place among the nodes, as in the whole graph
            continue
        grouped.setdefault(key, []).append(relation)
    for (s, p, o) in sorted(grouped):
        relations = grouped[(s, p, o)]
        for node in (s, o):
            if node not in graph and (only is None or (node in only and node not in entity_ids)):  # a dangling id: keep the edge, show the id
                graph.add_node(node, **dangling_attributes(node))
        if not relations:
            continue
        graph.add_edge(s, o, key=p, **edge_attributes(p, relations))
    return graph


def node_attributes(entity: Any, docs: list[str], surfaces: Iterable[str], docs_total: int | None = None) -> dict[str, Any]:
    """A node's attributes: ``docs`` are the entity's documents (the first of them when ``docs_total`` says how many there are)."""
    attrs = {
        "type": entity.type,
        "label": entity.label or entity.id,
        "posts": _unique(p.title for p in entity.posts),
        "post_orgs": _unique(f"{p.title}\t{p.org or ''}" for p in entity.posts),
        "docs": docs,
        "mentions": sorted({text for text, _ in entity.alt_labels} or set(surfaces)),  # as resolve shows them
    }
    if docs_total is not None:  # a page's node: what the page shows of it
        attrs["docs_total"] = docs_total
        attrs["mentions"] = attrs["mentions"][:MAX_SEARCH_NAMES]
    return attrs


def dangling_attributes(node: str) -> dict[str, Any]:
    """The attributes of a node a relation names that no entity has: its id, nothing else."""
    return {"type": "", "label": node, "posts": [], "post_orgs": [], "docs": [], "mentions": []}


def edge_attributes(predicate: str, relations: list[Any], shown: int | None = None) -> dict[str, Any]:
    """An edge's attributes from the relations of one fact, read in ``_evidence_order``.

    With ``shown``, the evidence and documents a page shows (the first
    ``MAX_QUOTES`` sentences, the first ``shown`` documents) and their totals
    (``evidence_total``, ``docs_total``), not every sentence of a fact read in
    thousands of articles.
    """
    relations = sorted(relations, key=_evidence_order)
    evidence = _unique(r.evidence.text for r in relations)
    docs = sorted({r.evidence.doc_id for r in relations})
    attrs: dict[str, Any] = {
        "predicate": predicate,
        "label": predicate,
        "evidence": evidence if shown is None else evidence[:MAX_QUOTES],
        "docs": docs if shown is None else docs[:shown],
        "rules": _unique(r.evidence.rule for r in relations),
        "confidence": max(r.evidence.confidence for r in relations),
    }
    if shown is not None:
        attrs["evidence_total"], attrs["docs_total"] = len(evidence), len(docs)
    if predicate == "holdsPost":
        attrs["post"] = "; ".join(_unique(r.post for r in relations))
    return attrs


def find_node(graph: nx.MultiDiGraph, name: str) -> str:
    """The node ``name`` names: its id, else its label (any case), else the one node whose label or names contain it."""
    wanted = " ".join(name.split()).lower()
    if name in graph:
        return name
    exact = sorted(n for n, d in graph.nodes(data=True) if str(d.get("label", "")).lower() == wanted)
    if exact:
        return exact[0]
    partial = sorted(n for n, d in graph.nodes(data=True) if wanted in " ".join([str(d.get("label", "")), n] + list(d.get("mentions") or [])).lower())
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise KeyError(f"no entity named {name!r} in the graph")
    shown = ", ".join(str(graph.nodes[n].get("label", n)) for n in partial[:8])
    raise KeyError(f"{name!r} names {len(partial)} entities ({shown}{', ...' if len(partial) > 8 else ''}); be more specific")


def ego(graph: nx.MultiDiGraph, focus: str, hops: int = 2) -> nx.MultiDiGraph:
    """The part of ``graph`` within ``hops`` edges (either direction) of the entity ``focus`` names."""
    centre = find_node(graph, focus)
    near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), centre, cutoff=max(0, hops))
    return graph.subgraph(near).copy()
