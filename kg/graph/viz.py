"""Viz stage: the extraction as a networkx graph and as an offline HTML page.

``to_networkx`` gives one node per entity (attributes ``type``, ``label``,
``posts`` (titles), ``docs``, ``mentions``) and one edge per distinct
(subject, predicate, object), keyed by the predicate, with ``predicate``,
``label``, ``evidence`` (the distinct sentence texts that support it) and, for
``holdsPost``, ``post`` (the post title(s)).

``write_html`` draws that graph with pyvis/vis-network: colour *and* shape by
entity type with a legend, node labels, relation names on edges, tooltips with
posts and evidence quotes. Everything taken from documents is data: it is
HTML-escaped before it reaches a tooltip or the legend, and the JSON embedded
in the page escapes ``<``, ``>`` and ``&`` so no string can close the script
element. The vis-network library is inlined (no CDN, the page works offline),
physics (Barnes-Hut) runs for a fixed number of stabilisation iterations and is
then switched off. Nodes and edges are written in sorted order with explicit
ids, so the same input gives byte-identical HTML.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import networkx as nx

from kg.model import Extraction

# type -> (fill colour, border colour, vis-network shape, legend symbol)
TYPE_STYLES: dict[str, tuple[str, str, str, str]] = {
    "Person": ("#4e79a7", "#2f4b68", "dot", "\u25cf"),
    "Organization": ("#f28e2b", "#a65d14", "box", "\u25a0"),
    "Event": ("#e15759", "#9c2f31", "diamond", "\u25c6"),
    "Campaign": ("#59a14f", "#356130", "star", "\u2605"),
    "Location": ("#76b7b2", "#3f7a75", "triangle", "\u25b2"),
}
OTHER_STYLE = ("#bab0ac", "#79706e", "ellipse", "\u2b2e")

MAX_QUOTES = 3  # evidence sentences shown per edge tooltip
MAX_QUOTE_CHARS = 300
MAX_LABEL_CHARS = 48  # longer labels are cut on the canvas (wrapped at ~160 px)
STABILIZATION_ITERATIONS = 400


def _unique(values: Any) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return list(seen)


def _evidence_order(relation: Any) -> tuple[Any, ...]:
    e = relation.evidence
    return (e.doc_id, e.sentence, e.start, e.end, e.rule, e.text, relation.post or "")


def to_networkx(extraction: Extraction) -> nx.MultiDiGraph:
    """One node per entity, one edge per distinct (s, p, o) of the extraction."""
    graph = nx.MultiDiGraph()
    for entity in sorted(extraction.entities, key=lambda e: e.id):
        graph.add_node(
            entity.id,
            type=entity.type,
            label=entity.label or entity.id,
            posts=_unique(p.title for p in entity.posts),
            post_orgs=_unique(f"{p.title}\t{p.org or ''}" for p in entity.posts),
            docs=entity.docs(),
            mentions=sorted({m.text for m in entity.mentions}),
        )
    grouped: dict[tuple[str, str, str], list[Any]] = {}
    for relation in extraction.relations:
        grouped.setdefault(relation.key(), []).append(relation)
    for (s, p, o) in sorted(grouped):
        relations = sorted(grouped[(s, p, o)], key=_evidence_order)
        for node in (s, o):
            if node not in graph:  # a dangling id: keep the edge, show the id
                graph.add_node(node, type="", label=node, posts=[], post_orgs=[], docs=[], mentions=[])
        attrs: dict[str, Any] = {
            "predicate": p,
            "label": p,
            "evidence": _unique(r.evidence.text for r in relations),
            "docs": sorted({r.evidence.doc_id for r in relations}),
            "rules": _unique(r.evidence.rule for r in relations),
            "confidence": max(r.evidence.confidence for r in relations),
        }
        if p == "holdsPost":
            attrs["post"] = "; ".join(_unique(r.post for r in relations))
        graph.add_edge(s, o, key=p, **attrs)
    return graph


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


def _node_title(node_id: str, data: dict[str, Any], graph: nx.MultiDiGraph) -> str:
    parts = [f"<b>{_esc(data.get('label', node_id))}</b>", f"<i>{_esc(data.get('type') or 'unknown type')}</i> \u00b7 <code>{_esc(node_id)}</code>"]
    post_orgs = data.get("post_orgs") or [f"{t}\t" for t in data.get("posts", [])]
    if post_orgs:
        items = []
        for item in post_orgs:
            title, _, org = item.partition("\t")
            org_label = graph.nodes[org].get("label", org) if org and org in graph else org
            items.append(f"<li>{_esc(title)}" + (f" \u2014 {_esc(org_label)}" if org_label else "") + "</li>")
        parts.append("Posts:<ul>" + "".join(items) + "</ul>")
    mentions = data.get("mentions") or []
    if mentions:
        shown = ", ".join(_esc(m) for m in mentions[:8]) + (" \u2026" if len(mentions) > 8 else "")
        parts.append(f"Names: {shown}")
    docs = data.get("docs") or []
    if docs:
        parts.append("Documents: " + ", ".join(_esc(d) for d in docs[:10]) + (" \u2026" if len(docs) > 10 else ""))
    return "".join(f"<div>{part}</div>" for part in parts)


def _edge_title(s: str, o: str, data: dict[str, Any], graph: nx.MultiDiGraph) -> str:
    s_label = graph.nodes[s].get("label", s)
    o_label = graph.nodes[o].get("label", o)
    parts = [f"<b>{_esc(s_label)}</b> \u2014 {_esc(data.get('predicate', ''))} \u2192 <b>{_esc(o_label)}</b>"]
    if data.get("post"):
        parts.append(f"Post: {_esc(data['post'])}")
    evidence = data.get("evidence") or []
    for text in evidence[:MAX_QUOTES]:
        parts.append(f"<blockquote>\u201c{_esc(_quote(text))}\u201d</blockquote>")
    if len(evidence) > MAX_QUOTES:
        parts.append(f"\u2026 {len(evidence) - MAX_QUOTES} more")
    if data.get("docs"):
        parts.append("Documents: " + ", ".join(_esc(d) for d in data["docs"][:10]))
    return "".join(f"<div>{part}</div>" for part in parts)


def _vis_data(graph: nx.MultiDiGraph) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nodes = []
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
                "title": _node_title(node_id, data, graph),
                "search": " ".join([str(data.get("label") or node_id), node_id] + list(data.get("mentions") or [])).lower(),
            }
        )
    edges = []
    parallel: dict[tuple[str, str], int] = {}
    for s, o, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        pair = (min(s, o), max(s, o))
        rank = parallel.get(pair, 0)
        parallel[pair] = rank + 1
        edges.append(
            {
                "id": f"e{len(edges)}",
                "from": s,
                "to": o,
                "label": str(data.get("label") or key),
                "title": _edge_title(s, o, data, graph),
                "arrows": "to",
                "smooth": {"enabled": True, "type": "curvedCW", "roundness": round(0.12 + 0.18 * rank, 2)},
            }
        )
    return nodes, edges


OPTIONS: dict[str, Any] = {
    # Large fonts and a low draw threshold keep labels readable when a whole graph is fitted to the window.
    "nodes": {
        "borderWidth": 1.5,
        "size": 16,
        "font": {"size": 22, "face": "sans-serif"},
        "widthConstraint": {"maximum": 220},
        "scaling": {"label": {"drawThreshold": 3}},
    },
    "edges": {
        "color": {"color": "#8a8a8a", "highlight": "#333333", "hover": "#333333"},
        "font": {"size": 14, "align": "middle", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "width": 1.2,
        "selectionWidth": 2,
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "keyboard": True},
    "physics": {
        "enabled": True,
        "solver": "barnesHut",
        "barnesHut": {"gravitationalConstant": -9000, "centralGravity": 0.25, "springLength": 160, "springConstant": 0.03, "damping": 0.35, "avoidOverlap": 0.2},
        "stabilization": {"enabled": True, "iterations": STABILIZATION_ITERATIONS, "updateInterval": 25, "fit": True},
        "minVelocity": 0.75,
    },
}

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>{% include 'lib/vis-9.1.2/vis-network.css' %}</style>
<script>{% include 'lib/vis-9.1.2/vis-network.min.js' %}</script>
<style>
  html, body { margin: 0; padding: 0; height: 100%; font-family: sans-serif; }
  #graph { position: absolute; inset: 0; background: #ffffff; }
  #legend { position: absolute; top: 10px; left: 10px; z-index: 10; background: rgba(255,255,255,0.92);
            border: 1px solid #cccccc; border-radius: 4px; padding: 8px 12px; font-size: 13px; line-height: 1.6; }
  #legend h1 { font-size: 14px; margin: 0 0 4px 0; }
  #legend .sym { display: inline-block; width: 1.3em; text-align: center; font-size: 16px; }
  #status { color: #777777; font-size: 11px; }
  #controls { margin: 4px 0; font-size: 12px; max-width: 260px; }
  #controls label { display: inline-block; margin-right: 6px; white-space: nowrap; }
  #search { width: 100%; box-sizing: border-box; margin-bottom: 4px; }
  div.vis-tooltip { max-width: 480px; white-space: normal; font-size: 12px; line-height: 1.4; }
  div.vis-tooltip blockquote { margin: 4px 0 4px 8px; padding-left: 6px; border-left: 3px solid #cccccc; }
  div.vis-tooltip ul { margin: 2px 0; padding-left: 18px; }
</style>
</head>
<body>
<div id="graph"></div>
<div id="legend">
<h1>{{ title }}</h1>
{{ legend|safe }}
<div id="controls">
<input id="search" type="search" placeholder="search names…" aria-label="search names">
<div id="type-filters">{{ type_filters|safe }}</div>
<div id="relation-filters">{{ relation_filters|safe }}</div>
</div>
<div id="status">{{ counts }} \u00b7 laying out\u2026</div>
</div>
<script>
(function () {
  "use strict";
  function asElement(markup) {
    var element = document.createElement("div");
    element.innerHTML = markup;  // built from HTML-escaped text only
    return element;
  }
  var nodeList = {{ nodes|safe }};
  var edgeList = {{ edges|safe }};
  nodeList.forEach(function (n) { n.title = asElement(n.title); });
  edgeList.forEach(function (e) { e.title = asElement(e.title); });
  var options = {{ options|safe }};
  var container = document.getElementById("graph");
  var nodes = new vis.DataSet(nodeList);
  var edges = new vis.DataSet(edgeList);
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
  function checked(selector) {
    var on = {};
    document.querySelectorAll(selector).forEach(function (box) { on[box.value] = box.checked; });
    return on;
  }
  function applyFilters() {
    var types = checked("#type-filters input"), relations = checked("#relation-filters input");
    var shown = {};
    nodes.update(nodeList.map(function (n) { shown[n.id] = types[n.kgType] !== false; return {id: n.id, hidden: !shown[n.id]}; }));
    edges.update(edgeList.map(function (e) {
      return {id: e.id, hidden: relations[e.label] === false || !shown[e.from] || !shown[e.to]};
    }));
  }
  document.querySelectorAll("#controls input[type=checkbox]").forEach(function (box) { box.addEventListener("change", applyFilters); });
  document.getElementById("search").addEventListener("input", function (event) {
    var text = event.target.value.trim().toLowerCase();
    if (!text) { network.unselectAll(); return; }
    var hits = nodeList.filter(function (n) { return n.search.indexOf(text) >= 0; }).map(function (n) { return n.id; });
    network.selectNodes(hits);
    if (hits.length) { network.fit({nodes: hits, animation: false}); }
  });
  window.kgApplyFilters = applyFilters;
  var status = document.getElementById("status");
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: {enabled: false}});
    status.textContent = {{ counts_json|safe }};
  });
  window.kgNetwork = network;
})();
</script>
</body>
</html>
"""


def _json(value: Any) -> str:
    """JSON safe inside a <script> element: no '<', '>', '&' or line separators."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


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


def render_html(graph: nx.MultiDiGraph, title: str = "Knowledge graph") -> str:
    """The HTML page for ``graph`` (deterministic, self-contained)."""
    nodes, edges = _vis_data(graph)
    net = _network(nodes, edges)
    counts = f"{len(nodes)} entities, {len(edges)} relations"
    template = net.templateEnv.from_string(_PAGE)
    page = template.render(
        title=_esc(title),
        legend=_legend(graph),
        counts=_esc(counts),
        counts_json=_json(counts),
        type_filters=_filters(sorted({n["kgType"] for n in nodes})),
        relation_filters=_filters(sorted({e["label"] for e in edges})),
        nodes=_json(net.nodes),
        edges=_json(net.edges),
        options=_json(OPTIONS),
    )
    return page if page.endswith("\n") else page + "\n"


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


MAX_PAGE_NODES = 1500  # a page past this is too slow to draw; it shows the most connected entities


def bounded(graph: nx.MultiDiGraph, max_nodes: int = MAX_PAGE_NODES) -> tuple[nx.MultiDiGraph, str | None]:
    """``graph`` itself, or its ``max_nodes`` most connected entities and a title saying so.

    The subset is stated on the page, with the command that draws any other
    entity's neighbourhood (``kg viz GRAPH --focus NAME``).
    """
    if graph.number_of_nodes() <= max_nodes:
        return graph, None
    ranked = sorted(graph.nodes, key=lambda n: (-graph.degree(n), n))[:max_nodes]
    note = (
        f"Knowledge graph: the {max_nodes:,} most connected of {graph.number_of_nodes():,} entities "
        "(kg viz OUT/graph.ttl --focus NAME draws any entity's neighbourhood)"
    )
    return graph.subgraph(ranked).copy(), note


def write_html(extraction_or_graph: Extraction | nx.MultiDiGraph, path: Path, title: str = "Knowledge graph") -> Path:
    """Write the interactive page for an Extraction (or a graph from ``to_networkx``) to ``path``."""
    graph = extraction_or_graph if isinstance(extraction_or_graph, nx.Graph) else to_networkx(extraction_or_graph)
    path = Path(path)
    path.write_text(render_html(graph, title), encoding="utf-8")
    return path
