"""The page's measures kept from one build to the next, for a page of the same shape.

The measures a page shows of each entity (``kg.graph.viz.measures``: degree,
PageRank, sampled betweenness, Louvain community) depend only on the page's
shape: its entities and which pairs of them are linked. Betweenness over the
1,500 entities of a big graph's page takes most of the time its page takes,
and an article added to a big archive seldom changes the shape of the page
of its most connected entities (it adds a document to them, not a link
between them). So a build with a cache keeps the measures with the digest of
the shape they were made for (and of the kg and networkx that made them), and
the next build whose page has that shape takes them instead of measuring
again: the same numbers, the same bytes.

The file is a cache and only a cache: missing, damaged or for another shape,
the measures are made again and the file replaced (best effort).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import networkx as nx

from kg.graph.viz import measures

FORMAT = "kg-page-measures/1"


def shape_digest(graph: nx.Graph, version: str) -> str:
    """A digest of the page's shape (its nodes, and its links as unordered pairs) and of what measures it (``version``: the kg's code)."""
    digest = hashlib.sha256(f"{FORMAT}\0{nx.__version__}\0{version}\0".encode())
    for node in sorted(graph.nodes):
        digest.update(node.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(b"\1")
    for pair in sorted({(min(s, o), max(s, o)) for s, o in graph.edges() if s != o}):
        digest.update(("\0".join(pair)).encode("utf-8", "surrogatepass") + b"\1")
    return digest.hexdigest()


def remembered_measures(graph: nx.Graph, memo: Path, version: str) -> tuple[dict[str, dict[str, float]], dict[str, int]]:
    """``measures(graph)``, taken from ``memo`` when it holds those of a graph of this shape made by this ``version`` of kg; else made and kept there."""
    shape = shape_digest(graph, version)
    try:
        kept = json.loads(memo.read_text(encoding="utf-8"))
        if kept.get("format") == FORMAT and kept.get("shape") == shape:
            values, community = kept["values"], kept["community"]
            if isinstance(values, dict) and isinstance(community, dict) and set(values) == set(graph.nodes):
                return values, community
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    values, community = measures(graph)
    staged = memo.with_name(f".{memo.name}.{os.getpid()}.tmp")
    try:
        staged.write_text(json.dumps({"format": FORMAT, "shape": shape, "values": values, "community": community}, ensure_ascii=False), encoding="utf-8")
        os.replace(staged, memo)
    except OSError:
        staged.unlink(missing_ok=True)
    return values, community
