"""The page template of ``kg.graph.viz``: vis-network options, HTML, and the script that runs it.

The script keeps three promises the tests check in headless Chromium
(``tests/test_browser.py``):

- **Filters.** Type and relation checkboxes, and a minimum number of links
  (default 1: isolated entities are hidden, and laid out without them, since
  hidden nodes left in the physics would still spread the layout). An
  entity's links are counted over the relations the other filters keep.
- **A true status line.** It always says how many entities and relations are
  shown out of how many, and how many entities each filter hides.
- **Legible labels.** Labels are drawn at least ``MIN_SCREEN_FONT`` pixels high
  at the zoom the page opens with (fitted to the graph) and at any zoom after:
  when the view is zoomed out, the label font grows in canvas units.

With ``entity_base`` set (``kg serve`` sets ``/entity/``), tooltips link to each
entity's page, a selected entity's page is linked from the legend, and a
double click opens it.
"""

from __future__ import annotations

import json
from typing import Any

STABILIZATION_ITERATIONS = 400
BASE_FONT = 22  # canvas units at zoom 1
MIN_SCREEN_FONT = 12  # pixels on screen, at any zoom
MAX_FONT = 90  # canvas units: the cap when zoomed far out
LABEL_AREA = 15_000  # screen pixels per drawn label: a view of 1200 x 800 px names its 64 best-connected entities
MIN_LABELS = 12

OPTIONS: dict[str, Any] = {
    "nodes": {
        "borderWidth": 1.5,
        "size": 16,
        "font": {"size": BASE_FONT, "face": "sans-serif"},
        "widthConstraint": {"maximum": 220},
        "scaling": {"label": {"drawThreshold": 3}},
    },
    "edges": {
        "color": {"color": "#8a8a8a", "highlight": "#333333", "hover": "#333333"},
        "font": {"size": 14, "align": "middle", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "width": 1.2,
        "selectionWidth": 2,
    },
    "layout": {"randomSeed": 1},  # the same page lays out the same way every time
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "keyboard": True},
    "physics": {
        "enabled": True,
        "solver": "barnesHut",
        "barnesHut": {"gravitationalConstant": -9000, "centralGravity": 0.25, "springLength": 160, "springConstant": 0.03, "damping": 0.35, "avoidOverlap": 0.2},
        "stabilization": {"enabled": True, "iterations": STABILIZATION_ITERATIONS, "updateInterval": 25, "fit": True},
        "minVelocity": 0.75,
    },
}


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '<', '>', '&' or line separators."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>{% include 'lib/vis-9.1.2/vis-network.css' %}</style>
<script>{% include 'lib/vis-9.1.2/vis-network.min.js' %}</script>
<style>
  html, body { margin: 0; padding: 0; height: 100%; overflow: hidden; font-family: sans-serif; }
  #graph { position: absolute; inset: 0; background: #ffffff; }
  #legend { position: absolute; top: 10px; left: 10px; z-index: 10; background: rgba(255,255,255,0.92);
            border: 1px solid #cccccc; border-radius: 4px; padding: 8px 12px; font-size: 13px; line-height: 1.6; }
  #legend h1 { font-size: 14px; margin: 0 0 4px 0; }
  #legend .sym { display: inline-block; width: 1.3em; text-align: center; font-size: 16px; }
  #status { color: #555555; font-size: 11px; max-width: 260px; }
  #controls { margin: 4px 0; font-size: 12px; max-width: 260px; }
  #controls label { display: inline-block; margin-right: 6px; white-space: nowrap; }
  #min-degree { width: 3.5em; }
  #search { width: 100%; box-sizing: border-box; margin-bottom: 4px; }
  #entity-link { font-size: 12px; max-width: 260px; }
  div.vis-tooltip { max-width: 480px; white-space: normal; font-size: 12px; line-height: 1.4; }
  div.vis-tooltip blockquote { margin: 4px 0 4px 8px; padding-left: 6px; border-left: 3px solid #cccccc; }
  div.vis-tooltip ul { margin: 2px 0; padding-left: 18px; }
  #legend.collapsed .collapsible { display: none; }
  #toggle-panel { float: right; margin-left: 8px; font-size: 11px; }
  #controls select, #controls button { font-size: 11px; }
  #date-from, #date-to { width: 6.5em; }
  #search-hits { font-size: 11px; color: #555555; }
  #details { position: absolute; right: 10px; bottom: 10px; z-index: 10; max-width: 480px; max-height: 45%; overflow: auto;
             background: rgba(255,255,255,0.97); border: 1px solid #cccccc; border-radius: 4px; padding: 8px 12px; font-size: 12px; }
  #details blockquote { margin: 4px 0 4px 8px; padding-left: 6px; border-left: 3px solid #cccccc; }
  #details-close { float: right; }
</style>
</head>
<body>
<div id="graph"></div>
<div id="legend">
<button id="toggle-panel" title="Hide or show this panel (the graph under it stays)">hide</button>
<h1>{{ title }}</h1>
<div class="collapsible">
<div id="type-legend">{{ legend|safe }}</div>
<div id="controls">
<input id="search" type="search" placeholder="search names…" aria-label="search names"> <span id="search-hits"></span>
<div id="type-filters">{{ type_filters|safe }}</div>
<div id="relation-filters">{{ relation_filters|safe }}</div>
<label title="Hide entities with fewer links than this (counting the relations the other filters keep); 0 shows isolated entities">min. links <input id="min-degree" type="number" min="0" step="1" value="{{ min_degree }}"></label>
<label title="Only events dated in this range, and posts stated in it (YYYY, YYYY-MM or YYYY-MM-DD); undated events and posts are then hidden">dates <input id="date-from" placeholder="from" aria-label="from date"> – <input id="date-to" placeholder="to" aria-label="to date"></label>
<label>size by <select id="size-by"><option value="">nothing</option><option value="degree">degree</option><option value="pagerank">PageRank</option><option value="betweenness">betweenness</option></select></label>
<label>colour by <select id="colour-by"><option value="type">type</option><option value="community">community (Louvain)</option></select></label>
<div>export what is shown: <button id="export-graphml">GraphML</button> <button id="export-nodes">nodes CSV</button> <button id="export-edges">edges CSV</button></div>
</div>
<div id="status">{{ counts }} \u00b7 laying out\u2026</div>
<div id="entity-link"></div>
</div>
</div>
<div id="details" hidden></div>
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
  var entityBase = {{ entity_base|safe }};
  var nouns = {{ nouns|safe }};
  var edgeById = {};
  nodeList.forEach(function (n) { n.kgTitleHtml = n.title; n.title = asElement(n.title); });
  edgeList.forEach(function (e) { e.kgTitleHtml = e.title; e.title = asElement(e.title); edgeById[e.id] = e; });
  var options = {{ options|safe }};
  var container = document.getElementById("graph");
  var nodes = new vis.DataSet(nodeList);
  var edges = new vis.DataSet(edgeList);
  var status = document.getElementById("status");
  var layingOut = true, network = null;
  var counts = {}, shownNow = {}, degreeNow = {}, labelled = null;
  function checked(selector) {
    var on = {};
    document.querySelectorAll(selector).forEach(function (box) { on[box.value] = box.checked; });
    return on;
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  // A date in [since, until], each bound as precise as written (until 2024 takes all of 2024); a day without its year is outside.
  function within(date, since, until) {
    if (!date || date.indexOf("--") === 0) { return false; }
    return (!since || date >= since) && (!until || date.slice(0, until.length) <= until);
  }
  function applyFilters() {
    var types = checked("#type-filters input"), relations = checked("#relation-filters input");
    var minDegree = Math.max(0, parseInt(document.getElementById("min-degree").value, 10) || 0);
    var typeOk = {}, degree = {}, shown = {}, edgeOk = {};
    var since = document.getElementById("date-from").value.trim(), until = document.getElementById("date-to").value.trim();
    var dated = Boolean(since || until);
    nodeList.forEach(function (n) {
      typeOk[n.id] = types[n.kgType] !== false && (!dated || n.kgType !== "Event" || within(n.kgDate, since, until));
      degree[n.id] = 0;
    });
    edgeList.forEach(function (e) {
      edgeOk[e.id] = relations[e.kgRelation] !== false && typeOk[e.from] && typeOk[e.to]
        && (!dated || e.kgRelation !== "holdsPost" || within(e.kgDate, since, until));
      if (edgeOk[e.id]) { degree[e.from] += 1; if (e.to !== e.from) { degree[e.to] += 1; } }
    });
    var c = {nodes: 0, edges: 0, byType: 0, byDegree: 0, minDegree: minDegree};
    nodes.update(nodeList.map(function (n) {
      shown[n.id] = typeOk[n.id] && degree[n.id] >= minDegree;
      if (shown[n.id]) { c.nodes += 1; } else if (!typeOk[n.id]) { c.byType += 1; } else { c.byDegree += 1; }
      // hidden nodes leave the physics too: left in, they would still spread the layout
      return {id: n.id, hidden: !shown[n.id], physics: shown[n.id]};
    }));
    edges.update(edgeList.map(function (e) {
      var on = edgeOk[e.id] && shown[e.from] && shown[e.to];
      if (on) { c.edges += 1; }
      return {id: e.id, hidden: !on};
    }));
    counts = c;
    shownNow = shown;
    degreeNow = degree;
    if (!layingOut) { placeLate(); legibleLabels(); }
    showStatus();
  }
  // Entities shown only after the layout (lowering min. links) took no part in it: a grid under the graph.
  var placed = null;
  function placeLate() {
    var late = nodeList.filter(function (n) { return shownNow[n.id] && !placed[n.id]; });
    if (!late.length) { return; }
    var at = network.getPositions(Object.keys(placed));
    var xs = Object.keys(at).map(function (id) { return at[id].x; }), ys = Object.keys(at).map(function (id) { return at[id].y; });
    var left = xs.length ? Math.min.apply(null, xs) : 0, right = xs.length ? Math.max.apply(null, xs) : 0;
    var bottom = ys.length ? Math.max.apply(null, ys) : 0, step = 8 * fontSize;
    var perRow = Math.max(1, Math.floor((right - left) / step) + 1);
    late.forEach(function (n, i) {
      network.moveNode(n.id, left + (i % perRow) * step, bottom + 2 * step + Math.floor(i / perRow) * step);
      placed[n.id] = true;
    });
  }
  function showStatus() {
    var c = counts;
    // nouns: [[one node, many nodes], [one edge, many edges]], e.g. entity/entities, relation/relations
    var text = c.nodes + " of " + nodeList.length + " " + nouns[0][nodeList.length === 1 ? 0 : 1] + ", " + c.edges + " of " + edgeList.length + " " + nouns[1][edgeList.length === 1 ? 0 : 1] + " shown";
    var hidden = [];
    if (c.byDegree) { hidden.push(c.byDegree + " with fewer than " + plural(c.minDegree, "link") + " hidden"); }
    if (c.byType) { hidden.push(c.byType + " hidden by type"); }
    if (hidden.length) { text += " \u00b7 " + hidden.join(", "); }
    if (labelled && labelled.shown < labelled.inView) {
      text += " \u00b7 " + labelled.shown + " of " + labelled.inView + " names in view drawn, best-connected first (zoom in for more)";
    }
    if (layingOut) { text += " \u00b7 laying out\u2026"; }
    status.textContent = text;
    window.kgStatus = c;
  }
  applyFilters();  // before the layout: filtered-out entities take no part in it
  network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
  document.querySelectorAll("#controls input[type=checkbox]").forEach(function (box) { box.addEventListener("change", applyFilters); });
  document.getElementById("min-degree").addEventListener("input", applyFilters);
  document.getElementById("search").addEventListener("input", function (event) {
    var text = event.target.value.trim().toLowerCase(), hitsLine = document.getElementById("search-hits");
    if (!text) { network.unselectAll(); hitsLine.textContent = ""; showEdgeLabels(); return; }
    var hits = nodeList.filter(function (n) { return n.search.indexOf(text) >= 0 && shownNow[n.id]; }).map(function (n) { return n.id; });
    var hidden = nodeList.filter(function (n) { return n.search.indexOf(text) >= 0 && !shownNow[n.id]; }).length;
    hitsLine.textContent = (hits.length ? hits.length + (hits.length === 1 ? " match" : " matches") : "no match") + (hidden ? " (" + hidden + " more hidden by the filters)" : "");
    network.selectNodes(hits);
    if (hits.length) { network.fit({nodes: hits, animation: false}); }
    showEdgeLabels();
  });
  var fontSize = options.nodes.font.size, drawn = {}, byId = {};
  nodeList.forEach(function (n) { byId[n.id] = n; });
  nodeList.forEach(function (n) { drawn[n.id] = n.label; });
  function legibleLabels() {
    if (layingOut) { return; }
    // The canvas is drawn at network.getScale() pixels per unit: labels stay at least
    // {{ min_screen_font }} px high. So that they do not pile up, only the best-connected
    // entities in view are labelled, as many as the view has room for; zooming in labels more.
    var scale = network.getScale();
    var size = Math.min({{ max_font }}, Math.max({{ base_font }}, {{ min_screen_font }} / scale));
    if (Math.abs(size - fontSize) >= 0.5) {
      fontSize = size;
      network.setOptions({nodes: {font: {size: size}, widthConstraint: {maximum: Math.round(10 * size)}}});
    }
    var box = container.getBoundingClientRect();
    var budget = Math.max({{ min_labels }}, Math.floor(box.width * box.height / {{ label_area }}));
    var low = network.DOMtoCanvas({x: 0, y: 0}), high = network.DOMtoCanvas({x: box.width, y: box.height});
    var ids = nodeList.filter(function (n) { return shownNow[n.id]; }).map(function (n) { return n.id; });
    var at = network.getPositions(ids);
    var selected = {};
    network.getSelectedNodes().forEach(function (id) { selected[id] = true; });
    var inView = ids.filter(function (id) { var p = at[id]; return p && p.x >= low.x && p.x <= high.x && p.y >= low.y && p.y <= high.y; });
    inView.sort(function (a, b) { return (selected[b] ? 1 : 0) - (selected[a] ? 1 : 0) || degreeNow[b] - degreeNow[a] || (a < b ? -1 : 1); });
    // greedy: best-connected first, skipping a label whose box (screen pixels, under its node) would overlap one already placed
    var keep = {}, boxes = [], count = 0, wrap = 10 * fontSize * scale, px = fontSize * scale;
    inView.forEach(function (id) {
      if (count >= budget) { return; }
      var p = network.canvasToDOM(at[id]), text = byId[id].label;
      var w = Math.min(wrap, 0.56 * px * text.length), h = 1.25 * px * Math.ceil(0.56 * px * text.length / wrap);
      var b = {x0: p.x - w / 2, x1: p.x + w / 2, y0: p.y + 8, y1: p.y + 8 + h};
      var clash = !selected[id] && boxes.some(function (o) { return b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1; });
      if (!clash) { boxes.push(b); keep[id] = true; count += 1; }
    });
    var changes = [];
    nodeList.forEach(function (n) {
      var label = keep[n.id] ? n.label : "";
      if (drawn[n.id] !== label) { drawn[n.id] = label; changes.push({id: n.id, label: label}); }
    });
    if (changes.length) { nodes.update(changes); }
    labelled = {shown: count, inView: inView.length};
    showStatus();
  }
  network.on("zoom", legibleLabels);
  network.on("dragEnd", legibleLabels);
  network.on("select", legibleLabels);
  function entityUrl(id) { return entityBase + encodeURIComponent(id); }
  var entityLink = document.getElementById("entity-link");
  if (entityBase !== null) {
    network.on("selectNode", function (params) {
      var node = nodes.get(params.nodes[0]);
      entityLink.textContent = "";
      var a = document.createElement("a");
      a.href = entityUrl(node.id);
      a.target = "_blank";
      a.textContent = "Entity page of " + node.label + " \u2197";
      entityLink.appendChild(a);
    });
    network.on("doubleClick", function (params) {
      if (params.nodes.length) { window.open(entityUrl(params.nodes[0]), "_blank"); }
    });
  }
  // Node size by a centrality, colour by type or by community.
  var sizeBy = document.getElementById("size-by"), colourBy = document.getElementById("colour-by");
  var palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295"];
  function restyle() {
    var measure = sizeBy.value, values = nodeList.map(function (n) { return measure ? (n.kgMeasures[measure] || 0) : 0; });
    var low = Math.min.apply(null, values.concat([0])), high = Math.max.apply(null, values.concat([0]));
    nodes.update(nodeList.map(function (n, i) {
      var size = measure && high > low ? 10 + 30 * (values[i] - low) / (high - low) : options.nodes.size;
      var colour = n.color;
      if (colourBy.value === "community") {
        var fill = palette[n.kgCommunity % palette.length];
        colour = {background: fill, border: "#555555", highlight: {background: fill, border: "#000000"}};
      }
      return {id: n.id, size: size, color: colour};
    }));
    document.getElementById("type-legend").style.opacity = colourBy.value === "type" ? "1" : "0.35";
  }
  sizeBy.addEventListener("change", restyle);
  colourBy.addEventListener("change", restyle);
  ["date-from", "date-to"].forEach(function (id) { document.getElementById(id).addEventListener("input", applyFilters); });
  // Edge labels: drawn for the hovered edge and the edges of what is selected, legibly; the rest stay clean.
  var hoveredEdge = null;
  function showEdgeLabels() {
    var selectedNodes = {}, selectedEdges = {};
    network.getSelectedNodes().forEach(function (id) { selectedNodes[id] = true; });
    network.getSelectedEdges().forEach(function (id) { selectedEdges[id] = true; });
    var size = Math.max(14, 0.8 * fontSize);
    edges.update(edgeList.map(function (e) {
      var on = e.id === hoveredEdge || selectedEdges[e.id] || selectedNodes[e.from] || selectedNodes[e.to];
      return {id: e.id, label: on ? e.label : "", font: {size: size}};
    }));
  }
  network.on("hoverEdge", function (params) { hoveredEdge = params.edge; showEdgeLabels(); });
  network.on("blurEdge", function () { hoveredEdge = null; showEdgeLabels(); });
  network.on("select", showEdgeLabels);
  // A clicked entity or relation keeps its details (and links) in a panel until closed.
  var details = document.getElementById("details");
  function showDetails(item) {
    details.textContent = "";
    var close = document.createElement("button");
    close.id = "details-close";
    close.textContent = "close";
    close.addEventListener("click", function () { details.hidden = true; });
    details.appendChild(close);
    details.appendChild(asElement(item.kgTitleHtml));
    details.hidden = false;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(byId[params.nodes[0]]); }
    else if (params.edges.length) { showDetails(edgeById[params.edges[0]]); }
  });
  document.getElementById("toggle-panel").addEventListener("click", function (event) {
    var legend = document.getElementById("legend");
    legend.classList.toggle("collapsed");
    event.target.textContent = legend.classList.contains("collapsed") ? "show" : "hide";
  });
  // Export what is shown, as the filters leave it.
  function shownEdges() { return edgeList.filter(function (e) { return !edges.get(e.id).hidden; }); }
  function shownNodes() { return nodeList.filter(function (n) { return shownNow[n.id]; }); }
  function xml(text) { return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); }
  function csvCell(text) {
    var t = String(text);
    if (/^[=+\\-@\\t\\r]/.test(t)) { t = "'" + t; }  // never a formula in a spreadsheet
    return /[",\\n\\r]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
  }
  function exported(kind) {
    var ns = shownNodes(), es = shownEdges();
    if (kind === "graphml") {
      var out = ['<?xml version="1.0" encoding="UTF-8"?>', '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '<key id="label" for="node" attr.name="label" attr.type="string"/>', '<key id="type" for="node" attr.name="type" attr.type="string"/>',
        '<key id="date" for="node" attr.name="date" attr.type="string"/>', '<key id="relation" for="edge" attr.name="relation" attr.type="string"/>',
        '<graph edgedefault="directed">'];
      ns.forEach(function (n) { out.push('<node id="' + xml(n.id) + '"><data key="label">' + xml(n.kgLabel) + '</data><data key="type">' + xml(n.kgType) + '</data><data key="date">' + xml(n.kgDate) + "</data></node>"); });
      es.forEach(function (e) { out.push('<edge id="' + xml(e.id) + '" source="' + xml(e.from) + '" target="' + xml(e.to) + '"><data key="relation">' + xml(e.kgRelation) + "</data></edge>"); });
      out.push("</graph>", "</graphml>");
      return out.join("\\n") + "\\n";
    }
    if (kind === "nodes") {
      return ["id,label,type,date"].concat(ns.map(function (n) { return [n.id, n.kgLabel, n.kgType, n.kgDate].map(csvCell).join(","); })).join("\\n") + "\\n";
    }
    return ["source,source_label,relation,target,target_label,date"].concat(es.map(function (e) {
      return [e.from, byId[e.from].kgLabel, e.kgRelation, e.to, byId[e.to].kgLabel, e.kgDate].map(csvCell).join(",");
    })).join("\\n") + "\\n";
  }
  function download(kind) {
    var names = {graphml: "shown.graphml", nodes: "shown-nodes.csv", edges: "shown-edges.csv"};
    var types = {graphml: "application/xml", nodes: "text/csv", edges: "text/csv"};
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([exported(kind)], {type: types[kind]}));
    link.download = names[kind];
    document.body.appendChild(link);
    link.click();
    link.remove();
  }
  document.getElementById("export-graphml").addEventListener("click", function () { download("graphml"); });
  document.getElementById("export-nodes").addEventListener("click", function () { download("nodes"); });
  document.getElementById("export-edges").addEventListener("click", function () { download("edges"); });
  window.kgExport = exported;
  window.kgRestyle = restyle;
  window.kgApplyFilters = applyFilters;
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: {enabled: false}});
    layingOut = false;
    placed = {};
    nodeList.forEach(function (n) { if (shownNow[n.id]) { placed[n.id] = true; } });
    network.fit({animation: false});
    legibleLabels();
    showEdgeLabels();
    showStatus();
    window.kgReady = true;
  });
  window.kgNetwork = network;
  window.kgFontSize = function () { return fontSize; };
})();
</script>
</body>
</html>
"""
