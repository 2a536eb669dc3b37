"""Person–person networks projected from the entity graph: who sat with whom.

The entity graph (``kg.explore.formats.load_networkx``) links persons to
events and bodies, never to each other, so its person-only subgraph has no
edges. A projection links two persons through what they share:

- ``co_attendance``: both chaired, attended or spoke at the same event;
- ``same_body``: both hold a post in the same body.

Each is an undirected ``networkx.Graph`` (a simple graph, so PageRank,
eigenvector centrality and the rest of networkx apply) with every person as a
node, isolated ones included (``label``, ``type``, ``posts``, ``docs``,
``mentions``). An edge carries ``weight`` (how many events or bodies), the
ids and labels of those events or bodies, the article ids behind them
(``docs``: the articles stating either person's link to one of them) and, for
drawing, ``predicate``, ``label`` and ``items``. Example, on the seeds::

    >>> proj = co_attendance(load_networkx("out/graph.ttl"))
    >>> proj.edges["mai-van-tuat", "do-viet-anh"]["weight"]
    1

``simple_graph`` turns the MultiDiGraph itself into a weighted undirected
simple graph, for the centralities networkx does not define on multigraphs.
"""

from __future__ import annotations

import io
import json
from itertools import combinations
from pathlib import Path
from typing import Any, Callable

import networkx as nx

ATTENDANCE = ("chaired", "attended", "spokeAt")


class ProjectionError(Exception):
    """An unknown projection or an export target the user can fix; the message is one line."""


def _person_nodes(graph: nx.MultiDiGraph) -> nx.Graph:
    out = nx.Graph()
    for node, data in sorted(graph.nodes(data=True)):
        if data.get("type") == "Person":
            posts = []
            for item in data.get("post_orgs") or [f"{t}\t" for t in data.get("posts") or []]:
                title, _, org = item.partition("\t")
                org_label = graph.nodes[org].get("label", org) if org in graph else org
                posts.append(f"{title}\t{org_label}")  # the body's label: the projection has no body nodes
            out.add_node(node, type="Person", label=data.get("label") or node, posts=list(data.get("posts") or []),
                         post_orgs=posts, docs=list(data.get("docs") or []), mentions=list(data.get("mentions") or []))
    return out


def _project(graph: nx.MultiDiGraph, predicates: tuple[str, ...], name: str, noun: str, nouns: str) -> nx.Graph:
    """Persons linked through the targets of ``predicates`` they share."""
    out = _person_nodes(graph)
    holders: dict[str, dict[str, set[str]]] = {}  # target -> person -> docs of their links to it
    for s, o, key, data in graph.edges(keys=True, data=True):
        if key in predicates and s in out:
            holders.setdefault(o, {}).setdefault(s, set()).update(data.get("docs") or [])
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for target in sorted(holders):
        people = holders[target]
        for a, b in combinations(sorted(people), 2):
            edge = pairs.setdefault((a, b), {"targets": [], "docs": set()})
            edge["targets"].append(target)
            edge["docs"] |= people[a] | people[b]
    for (a, b), edge in sorted(pairs.items()):
        targets = edge["targets"]
        labels = [str(graph.nodes[t].get("label") or t) for t in targets]
        weight = len(targets)
        out.add_edge(
            a, b, weight=weight, predicate=name, label=f"{weight} {noun if weight == 1 else nouns}",
            **{nouns: targets, f"{noun}_labels": labels}, docs=sorted(edge["docs"]),
            items=labels, items_title=f"Shared {nouns}",
        )
    out.graph["projection"] = name
    return out


def between(graph: nx.MultiDiGraph, since: str | None = None, until: str | None = None) -> nx.MultiDiGraph:
    """The entity graph of what happened in [since, until]: events dated in it, posts stated in it.

    Events outside the range or without a placeable date go, with their
    relations; ``holdsPost`` links whose post is not stated in the range go.
    Persons, bodies, places and campaigns stay (they have no date). Without
    bounds the graph itself is returned.
    """
    from kg.dates import within

    if not since and not until:
        return graph
    dropped = {n for n, data in graph.nodes(data=True) if data.get("type") == "Event" and not within(data.get("date", ""), since, until)}
    out = graph.copy()
    out.remove_nodes_from(dropped)
    stale = [(s, o, k) for s, o, k, data in out.edges(keys=True, data=True) if k == "holdsPost" and not within(data.get("date", ""), since, until)]
    out.remove_edges_from(stale)
    return out


def co_attendance(graph: nx.MultiDiGraph) -> nx.Graph:
    """Persons linked when both chaired, attended or spoke at one event; ``weight`` = events shared."""
    return _project(graph, ATTENDANCE, "co-attendance", "event", "events")


def same_body(graph: nx.MultiDiGraph) -> nx.Graph:
    """Persons linked when both hold a post in one body; ``weight`` = bodies shared."""
    return _project(graph, ("holdsPost",), "same-body", "body", "bodies")


PROJECTIONS: dict[str, Callable[[nx.MultiDiGraph], nx.Graph]] = {"co-attendance": co_attendance, "same-body": same_body}


def project(graph: nx.MultiDiGraph, name: str, since: str | None = None, until: str | None = None) -> nx.Graph:
    if name not in PROJECTIONS:
        raise ProjectionError(f"unknown projection {name!r}; use one of {', '.join(PROJECTIONS)}")
    return PROJECTIONS[name](between(graph, since, until))


def simple_graph(graph: nx.Graph) -> nx.Graph:
    """An undirected simple graph with ``weight`` = how many relations (either way) join two nodes.

    ``nx.eigenvector_centrality`` and others refuse a MultiDiGraph; this is the
    graph to give them. Node attributes are kept; edge attributes are not.
    """
    out = nx.Graph()
    out.add_nodes_from(graph.nodes(data=True))
    for s, o in graph.edges():
        if s != o:
            out.add_edge(s, o, weight=out.edges[s, o]["weight"] + 1 if out.has_edge(s, o) else 1)
    return out


def top_by_degree(graph: nx.Graph, n: int = 5) -> list[tuple[str, str, int, float]]:
    """The ``n`` nodes with most neighbours: (id, label, degree, weighted degree), ties by label."""
    rows = [(node, str(graph.nodes[node].get("label") or node), graph.degree(node), float(graph.degree(node, weight="weight"))) for node in graph]
    return sorted(rows, key=lambda r: (-r[2], -r[3], r[1]))[:n]


# --------------------------------------------------------------------------- output

EDGE_COLUMNS = ("source", "target", "source_label", "target_label", "weight", "through", "docs")


def edge_rows(proj: nx.Graph) -> list[tuple[Any, ...]]:
    """One row per edge, heaviest first: ids, labels, weight, the events or bodies (labels, ``; ``), articles."""
    rows = []
    for a, b, data in proj.edges(data=True):
        a, b = min(a, b), max(a, b)
        rows.append((a, b, proj.nodes[a].get("label", a), proj.nodes[b].get("label", b), data["weight"], "; ".join(data.get("items") or []), "; ".join(data.get("docs") or [])))
    return sorted(rows, key=lambda r: (-r[4], r[2], r[3]))


def _scalar(value: Any) -> Any:
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    return "" if value is None else value


def write_projection(proj: nx.Graph, out: Path | str) -> list[Path]:
    """Write ``proj`` by ``out``'s suffix: .graphml, .csv (nodes + edges), .json (node-link) or .html (the page)."""
    from kg.graph.viz import write_html

    out = Path(out)
    suffix = out.suffix.lower()
    if not out.parent.is_dir():
        raise ProjectionError(f"{out.parent}: no such directory")
    if suffix == ".html":
        title = f"{proj.graph.get('projection', 'projection')}: {proj.number_of_nodes()} persons, {proj.number_of_edges()} ties"
        write_html(proj, out, title, nouns=(("person", "persons"), ("tie", "ties")))
        return [out]
    flat = nx.Graph()
    for node, data in proj.nodes(data=True):
        flat.add_node(node, **{k: _scalar(v) for k, v in data.items() if k != "post_orgs"})
    for a, b, data in proj.edges(data=True):
        flat.add_edge(a, b, **{k: _scalar(v) for k, v in data.items() if k not in ("items", "items_title")})
    if suffix == ".graphml":
        from kg.explore.formats import write_files

        buffer = io.BytesIO()
        nx.write_graphml(flat, buffer, encoding="utf-8")
        write_files({out: buffer.getvalue()})  # whole, with the umask; an error is one line (ExportError)
        return [out]
    if suffix == ".json":
        from kg.explore.formats import write_files

        write_files({out: json.dumps(nx.node_link_data(proj, edges="links"), ensure_ascii=False, indent=1, default=list) + "\n"})
        return [out]
    if suffix == ".csv":
        from kg.explore.formats import write_table

        nodes_path, edges_path = out.with_name(out.stem + ".nodes.csv"), out.with_name(out.stem + ".edges.csv")
        node_rows = [(n, d.get("label", ""), d.get("posts", ""), d.get("docs", ""), proj.degree(n), proj.degree(n, weight="weight")) for n, d in sorted(flat.nodes(data=True))]
        write_table(nodes_path, ("id", "label", "posts", "docs", "degree", "weighted_degree"), node_rows)
        write_table(edges_path, EDGE_COLUMNS, edge_rows(proj))
        return [nodes_path, edges_path]
    raise ProjectionError(f"{out}: cannot tell the format from the suffix; use .graphml, .csv, .json or .html")
