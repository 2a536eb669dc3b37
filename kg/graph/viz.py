"""Viz stage: the extraction as an offline HTML page.

``write_html`` draws the graph of ``kg.graph.network.to_networkx`` with pyvis/vis-network: colour *and* shape by
entity type with a legend, node labels, relation names on edges, tooltips with
posts and evidence quotes (and links to the entity pages of ``kg serve`` when
``entity_base`` is given), filters by type, relation and minimum number of
links (the template and its script are in ``kg.graph.page``). It also draws
the undirected, weighted person networks of ``kg.explore.projections``. Everything taken from documents is data: it is
HTML-escaped before it reaches a tooltip or the legend, and the JSON embedded
in the page escapes ``<``, ``>`` and ``&`` so no string can close the script
element. The vis-network library is inlined (no CDN, the page works offline),
physics (Barnes-Hut) runs for a fixed number of stabilisation iterations and is
then switched off. Nodes and edges are written in sorted order with explicit
ids, so the same input gives byte-identical HTML.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Any
from urllib.parse import quote

import networkx as nx

from kg.graph.network import MAX_QUOTES, MAX_SEARCH_NAMES, ego, find_node, to_networkx
from kg.graph.page import (
    BASE_FONT,
    LABEL_AREA,
    MAX_FONT,
    MIN_LABELS,
    MIN_SCREEN_FONT,
    OPTIONS,
    PAGE,
    STABILIZATION_ITERATIONS,
    script_json,
)
from kg.model import Extraction

__all__ = ["OPTIONS", "STABILIZATION_ITERATIONS", "ego", "find_node", "render_html", "to_networkx", "write_html"]

# type -> (fill colour, border colour, vis-network shape, legend symbol)
TYPE_STYLES: dict[str, tuple[str, str, str, str]] = {
    "Person": ("#4e79a7", "#2f4b68", "dot", "\u25cf"),
    "Organization": ("#f28e2b", "#a65d14", "square", "\u25a0"),
    "Event": ("#e15759", "#9c2f31", "diamond", "\u25c6"),
    "Campaign": ("#59a14f", "#356130", "star", "\u2605"),
    "Location": ("#76b7b2", "#3f7a75", "triangle", "\u25b2"),
}
OTHER_STYLE = ("#bab0ac", "#79706e", "ellipse", "\u2b2e")

MAX_QUOTE_CHARS = 300
MAX_ITEMS = 12  # events or bodies listed per projection edge tooltip
MAX_POSTS = 20  # posts listed in a node's tooltip (a national figure's posts over an archive are many more)
MAX_LABEL_CHARS = 48  # longer labels are cut on the canvas (wrapped at ~160 px)
MIN_DEGREE = 1  # the page hides entities with fewer links (isolated ones) until the user lowers it


# --------------------------------------------------------------------------- HTML


def _style(entity_type: str) -> tuple[str, str, str, str]:
    return TYPE_STYLES.get(entity_type, OTHER_STYLE)


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > MAX_QUOTE_CHARS:
        text = text[: MAX_QUOTE_CHARS - 1] + "\u2026"
    return text


def _short(label: str) -> str:
    """The label drawn on the canvas (the tooltip has the full one)."""
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1].rstrip() + "\u2026"


def entity_href(entity_base: str, node_id: str) -> str:
    """The URL of ``node_id``'s entity page under ``entity_base`` (the id percent-encoded)."""
    return entity_base + quote(node_id, safe="")


def _node_title(node_id: str, data: dict[str, Any], graph: nx.Graph, entity_base: str | None = None) -> str:
    parts = [f"<b>{_esc(data.get('label', node_id))}</b>", f"<i>{_esc(data.get('type') or 'unknown type')}</i> \u00b7 <code>{_esc(node_id)}</code>"]
    if entity_base is not None:
        parts.append(f'<a href="{_esc(entity_href(entity_base, node_id))}" target="_blank">entity page: evidence, posts, dates</a> (or double-click the node)')
    post_orgs = data.get("post_orgs") or [f"{t}\t" for t in data.get("posts", [])]
    if post_orgs:
        items = []
        for item in post_orgs[:MAX_POSTS]:
            title, _, org = item.partition("\t")
            org_label = graph.nodes[org].get("label", org) if org and org in graph else org
            items.append(f"<li>{_esc(title)}" + (f" \u2014 {_esc(org_label)}" if org_label else "") + "</li>")
        if len(post_orgs) > MAX_POSTS:
            items.append(f"<li>\u2026 {len(post_orgs) - MAX_POSTS} more</li>")
        parts.append("Posts:<ul>" + "".join(items) + "</ul>")
    mentions = data.get("mentions") or []
    if mentions:
        shown = ", ".join(_esc(m) for m in mentions[:8]) + (" \u2026" if len(mentions) > 8 else "")
        parts.append(f"Names: {shown}")
    docs = data.get("docs") or []
    if docs:
        parts.append("Documents: " + ", ".join(_esc(d) for d in docs[:10]) + (" \u2026" if data.get("docs_total", len(docs)) > 10 else ""))
    return "".join(f"<div>{part}</div>" for part in parts)


def _edge_title(s: str, o: str, data: dict[str, Any], graph: nx.Graph) -> str:
    s_label = graph.nodes[s].get("label", s)
    o_label = graph.nodes[o].get("label", o)
    arrow = "\u2192" if graph.is_directed() else "\u2014"
    parts = [f"<b>{_esc(s_label)}</b> \u2014 {_esc(data.get('predicate', ''))} {arrow} <b>{_esc(o_label)}</b>"]
    items = data.get("items") or []
    if items:  # a projection edge: the events or bodies behind it
        shown = "".join(f"<li>{_esc(item)}</li>" for item in items[:MAX_ITEMS])
        more = f"<li>\u2026 {len(items) - MAX_ITEMS} more</li>" if len(items) > MAX_ITEMS else ""
        parts.append(f"{_esc(data.get('items_title') or 'Through')}:<ul>{shown}{more}</ul>")
    if data.get("post"):
        parts.append(f"Post: {_esc(data['post'])}")
    evidence = data.get("evidence") or []
    for text in evidence[:MAX_QUOTES]:
        parts.append(f"<blockquote>\u201c{_esc(_quote(text))}\u201d</blockquote>")
    if data.get("evidence_total", len(evidence)) > MAX_QUOTES:
        parts.append(f"\u2026 {data.get('evidence_total', len(evidence)) - MAX_QUOTES} more")
    if data.get("docs"):
        parts.append("Documents: " + ", ".join(_esc(d) for d in data["docs"][:10]))
    return "".join(f"<div>{part}</div>" for part in parts)


def _edges(graph: nx.Graph) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(source, target, key, data) in a fixed order, for multigraphs (keyed by predicate) and simple graphs."""
    if graph.is_multigraph():
        found = list(graph.edges(keys=True, data=True))
    else:
        found = [(s, o, str(d.get("predicate") or ""), d) for s, o, d in graph.edges(data=True)]
        if not graph.is_directed():
            found = [(min(s, o), max(s, o), k, d) for s, o, k, d in found]
    return sorted(found, key=lambda e: (e[0], e[2], e[1]))


Measures = tuple[dict[str, dict[str, float]], dict[str, int]]  # per node: degree, PageRank, betweenness; its community


def measures(graph: nx.Graph) -> Measures:
    """Per node: degree, PageRank and betweenness (on the undirected simple graph), and a Louvain community.

    Deterministic: a fixed seed for Louvain, communities numbered largest first
    (ties by their smallest id), rounded values.
    """
    # Built in sorted order: Louvain and sampled betweenness follow the graph's iteration order,
    # and a subgraph's (``kg.graph.page_bounds.bounded``) follows a set's, which changes with the process's hash seed.
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted({(min(s, o), max(s, o)) for s, o in graph.edges() if s != o}))
    pagerank = nx.pagerank(simple) if simple.number_of_edges() else {n: 0.0 for n in simple}
    betweenness = nx.betweenness_centrality(simple, k=min(len(simple), 300) if len(simple) > 300 else None, seed=1)
    values = {
        n: {"degree": simple.degree(n), "pagerank": round(pagerank.get(n, 0.0), 6), "betweenness": round(betweenness.get(n, 0.0), 6)}
        for n in simple
    }
    groups = nx.algorithms.community.louvain_communities(simple, seed=1) if simple.number_of_edges() else [{n} for n in simple]
    ordered = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
    community = {n: i for i, group in enumerate(ordered) for n in group}
    return values, community


def _vis_data(graph: nx.Graph, entity_base: str | None = None, measured: Measures | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nodes = []
    values, community = measured if measured is not None else measures(graph)
    for node_id in sorted(graph.nodes):
        data = graph.nodes[node_id]
        fill, border, shape, _ = _style(data.get("type", ""))
        nodes.append(
            {
                "id": node_id,
                "label": _short(str(data.get("label") or node_id)),
                "kgType": data.get("type") or "Other",  # not vis "group": an update would restyle by group
                "shape": shape,
                "color": {"background": fill, "border": border, "highlight": {"background": fill, "border": "#000000"}},
                "font": {"color": "#ffffff" if shape == "box" else "#222222"},
                "title": _node_title(node_id, data, graph, entity_base),
                "search": " ".join([str(data.get("label") or node_id), node_id] + list(data.get("mentions") or [])[:MAX_SEARCH_NAMES]).lower(),
                "kgLabel": str(data.get("label") or node_id),
                "kgDate": str(data.get("date") or ""),
                "kgMeasures": values.get(node_id, {}),
                "kgCommunity": community.get(node_id, 0),
            }
        )
    edges = []
    parallel: dict[tuple[str, str], int] = {}
    for s, o, key, data in _edges(graph):
        pair = (min(s, o), max(s, o))
        rank = parallel.get(pair, 0)
        parallel[pair] = rank + 1
        edge = {
            "id": f"e{len(edges)}",
            "from": s,
            "to": o,
            "label": str(data.get("label") or key),
            "kgRelation": str(data.get("predicate") or key),
            "kgDate": str(data.get("date") or ""),
            "title": _edge_title(s, o, data, graph),
            "arrows": "to" if graph.is_directed() else "",
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": round(0.12 + 0.18 * rank, 2)},
        }
        if "weight" in data:  # projections: thicker for more shared events or bodies
            edge["width"] = round(1.2 + 1.5 * math.log2(max(1.0, float(data["weight"]))), 2)
        edges.append(edge)
    return nodes, edges


def _legend(graph: nx.MultiDiGraph) -> str:
    present = {data.get("type", "") for _, data in graph.nodes(data=True)}
    rows = []
    for entity_type, (fill, _, shape, symbol) in TYPE_STYLES.items():
        count = sum(1 for _, d in graph.nodes(data=True) if d.get("type") == entity_type)
        rows.append(f'<div><span class="sym" style="color:{fill}">{symbol}</span> {_esc(entity_type)} ({count})</div>')
    others = sorted(present - set(TYPE_STYLES))
    if others:
        fill, _, _, symbol = OTHER_STYLE
        count = sum(1 for _, d in graph.nodes(data=True) if d.get("type", "") not in TYPE_STYLES)
        rows.append(f'<div><span class="sym" style="color:{fill}">{symbol}</span> other ({count})</div>')
    return "\n".join(rows)


def _filters(values: list[str]) -> str:
    return "".join(f'<label><input type="checkbox" value="{_esc(v)}" checked> {_esc(v)}</label>' for v in values)


def _network(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> Any:
    """A pyvis Network holding the data; lists are filled directly (add_node is quadratic)."""
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", notebook=False)
    net.nodes = nodes
    net.edges = edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    return net


def render_html(
    graph: nx.Graph,
    title: str = "Knowledge graph",
    entity_base: str | None = None,
    min_degree: int = MIN_DEGREE,
    nouns: tuple[tuple[str, str], tuple[str, str]] = (("entity", "entities"), ("relation", "relations")),
    measured: Measures | None = None,
) -> str:
    """The HTML page for ``graph`` (deterministic, self-contained).

    ``entity_base``: the URL prefix of entity pages (``/entity/`` under ``kg serve``),
    linked from tooltips and the legend; None: no links. ``min_degree``: entities
    with fewer links start hidden (the page has the control). ``nouns``: what the
    status line calls nodes and edges. ``measured``: ``measures(graph)`` when the caller has them (``kg.graph.page_measures``).
    """
    nodes, edges = _vis_data(graph, entity_base, measured)
    net = _network(nodes, edges)
    counts = f"{len(nodes)} {nouns[0][len(nodes) != 1]}, {len(edges)} {nouns[1][len(edges) != 1]}"
    template = net.templateEnv.from_string(PAGE)
    page = template.render(
        title=_esc(title),
        legend=_legend(graph),
        counts=_esc(counts),
        type_filters=_filters(sorted({n["kgType"] for n in nodes})),
        relation_filters=_filters(sorted({e["kgRelation"] for e in edges})),
        nodes=script_json(net.nodes),
        edges=script_json(net.edges),
        options=script_json(OPTIONS),
        entity_base=script_json(entity_base),
        nouns=script_json([list(nouns[0]), list(nouns[1])]),
        min_degree=max(0, int(min_degree)),
        base_font=BASE_FONT,
        min_screen_font=MIN_SCREEN_FONT,
        max_font=MAX_FONT,
        min_labels=MIN_LABELS,
        label_area=LABEL_AREA,
    )
    return page if page.endswith("\n") else page + "\n"


def write_html(extraction_or_graph: Extraction | nx.Graph, path: Path, title: str = "Knowledge graph", **options: Any) -> Path:
    """Write the interactive page for an Extraction (or a graph from ``to_networkx``) to ``path``; ``options`` as for ``render_html``.

    The page replaces an existing one in one step (``kg.files.write_atomically``): a reader, or a
    run stopped half-way, sees the old page or the new one, never a part.
    """
    from kg.files import write_atomically

    graph = extraction_or_graph if isinstance(extraction_or_graph, nx.Graph) else to_networkx(extraction_or_graph)
    path = Path(path)
    write_atomically({path: render_html(graph, title, **options)})
    return path
