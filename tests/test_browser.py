"""The interactive page in headless Chromium: nodes render, filters work, no JavaScript error.

Needs the Debian packages ``chromium`` and ``chromium-driver``; skipped otherwise.
Chromium is driven over the DevTools protocol by its own ``--dump-dom`` and
``--screenshot`` modes, so no Python browser driver is needed: the page
writes what it saw into the DOM, which ``--dump-dom`` prints.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import urllib.request

import pytest
from test_query import SMALL_TTL

from kg.explore.formats import load_networkx
from kg.graph.viz import render_html

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage", "--virtual-time-budget=15000"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is missing: apt-get install -y chromium chromium-driver"),
]

# Appended to the page under test: records JavaScript errors, what vis-network drew, and what the filters hide.
PROBE = """
<script>
window.kgErrors = [];
window.addEventListener("error", function (e) { window.kgErrors.push(String(e.message)); });
setTimeout(function () {
  var report = document.createElement("pre");
  report.id = "probe";
  try {
    var net = window.kgNetwork;
    var positions = net.getPositions();
    var canvas = document.querySelector("#graph canvas");
    var box = document.querySelector('#type-filters input[value="Person"]');
    box.checked = false;
    window.kgApplyFilters();
    var hidden = net.body.data.nodes.get({filter: function (n) { return n.hidden; }}).length;
    report.textContent = "nodes=" + Object.keys(positions).length + " canvas=" + (canvas ? canvas.width : 0) + " hidden=" + hidden + " errors=" + window.kgErrors.length + " " + window.kgErrors.join("|");
  } catch (err) {
    report.textContent = "probe-error " + err;
  }
  document.body.appendChild(report);
}, 3000);
</script>
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    graph_file = folder / "graph.ttl"
    graph_file.write_text(SMALL_TTL, encoding="utf-8")
    html = render_html(load_networkx(graph_file), "Browser test")
    path = folder / "graph.html"
    path.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    return path


def _chromium(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, *args], capture_output=True, text=True, timeout=120)


def test_nodes_render_without_javascript_errors(page):
    dom = _chromium("--dump-dom", page.as_uri()).stdout
    match = re.search(r'<pre id="probe">([^<]*)</pre>', dom)
    assert match, "the probe did not report (the page script did not run)"
    report = match.group(1)
    assert "probe-error" not in report, report
    assert re.search(r"nodes=6 ", report), report
    assert not re.search(r"canvas=0 ", report), report
    assert "hidden=4 " in report, report  # unticking Person hides the three persons, and the event left without a link
    assert "errors=0" in report, report


def test_screenshot(page, tmp_path):
    """Saves the rendered page as PNG (in $KG_SCREENSHOT_DIR when set, else pytest's tmp_path)."""
    folder = Path(os.environ.get("KG_SCREENSHOT_DIR") or tmp_path)
    target = folder / "graph.png"
    _chromium(f"--screenshot={target}", "--window-size=1200,800", page.as_uri())
    assert target.exists() and target.stat().st_size > 10_000


# ----------------------------------------------------------------------------- the page: filters, status, labels

READY_PROBE = """
<script>
window.kgErrors = [];
window.addEventListener("error", function (e) { window.kgErrors.push(String(e.message)); });
var probeTimer = setInterval(function () {
  if (!window.kgReady) { return; }
  clearInterval(probeTimer);
  var report = document.createElement("pre");
  report.id = "probe";
  var lines = [];
  try {
    var net = window.kgNetwork, data = net.body.data.nodes;
    var status = function () { return document.getElementById("status").textContent; };
    var hidden = function () { return data.get({filter: function (n) { return n.hidden; }}).length; };
    var named = data.get({filter: function (n) { return !n.hidden && n.label; }}).length;
    lines.push("screen-font=" + (net.getScale() * window.kgFontSize()).toFixed(2));
    lines.push("named=" + named);
    lines.push("hidden=" + hidden());
    lines.push("status=" + status());
    %s
  } catch (err) {
    lines.push("probe-error " + err);
  }
  lines.push("errors=" + window.kgErrors.length + " " + window.kgErrors.join("|"));
  report.textContent = lines.join("\\n");
  document.body.appendChild(report);
}, 100);
</script>
"""


def probe_page(folder: Path, graph, actions: str = "", **options) -> dict[str, str]:
    """Render ``graph``, run it in Chromium until laid out, then run ``actions``; the probe's lines as a dict."""
    html = render_html(graph, "Probe", **options).replace("</body>", READY_PROBE % actions + "</body>")
    path = folder / "probe.html"
    path.write_text(html, encoding="utf-8")
    dom = _chromium("--dump-dom", "--window-size=1200,800", path.as_uri()).stdout
    match = re.search(r'<pre id="probe">([^<]*)</pre>', dom)
    assert match, "the probe did not report (the page script did not run)"
    text = match.group(1).replace("&amp;", "&")
    assert "probe-error" not in text, text
    return dict(line.split("=", 1) for line in text.split("\n") if "=" in line)


def test_min_links_filter_hides_isolated_entities_and_the_status_stays_true(tmp_path):
    graph = load_networkx_text(SMALL_TTL + 'id:lonely a kg:Person ; rdfs:label "Lonely Person" .\n', tmp_path)
    actions = """
    var box = document.getElementById("min-degree");
    box.value = "0"; box.dispatchEvent(new Event("input"));
    lines.push("hidden0=" + hidden()); lines.push("status0=" + status());
    document.querySelector('#type-filters input[value="Person"]').checked = false;
    window.kgApplyFilters();
    lines.push("hidden1=" + hidden()); lines.push("status1=" + status());
    box.value = "2"; box.dispatchEvent(new Event("input"));
    document.querySelector('#type-filters input[value="Person"]').checked = true;
    window.kgApplyFilters();
    lines.push("hidden2=" + hidden()); lines.push("status2=" + status());
    """
    report = probe_page(tmp_path, graph, actions)
    assert report["errors"].startswith("0"), report
    assert report["hidden"] == "1"
    assert report["status"] == "6 of 7 entities, 6 of 6 relations shown \u00b7 1 with fewer than 1 link hidden", report["status"]
    assert report["hidden0"] == "0" and report["status0"] == "7 of 7 entities, 6 of 6 relations shown", report
    # no persons (min. links 0): only the committee implementing the campaign keeps a relation
    assert report["hidden1"] == "4" and report["status1"] == "3 of 7 entities, 1 of 6 relations shown \u00b7 4 hidden by type", report
    # at least two links: the two persons with one relation each and the lonely one go, and their two relations
    assert report["hidden2"] == "3" and report["status2"] == "4 of 7 entities, 4 of 6 relations shown \u00b7 3 with fewer than 2 links hidden", report


def test_labels_are_legible_at_the_opening_zoom_of_a_300_node_graph(tmp_path):
    graph = synthetic_graph(300, isolated=108, edges=300)
    report = probe_page(tmp_path, graph)
    assert report["errors"].startswith("0"), report
    assert float(report["screen-font"]) >= 11.9, report  # pixels on screen
    assert report["hidden"] == "108" and "108 with fewer than 1 link hidden" in report["status"], report
    assert int(report["named"]) >= 30, report  # the best-connected are named; the status line says how many
    assert re.search(r"\d+ of \d+ names in view drawn, best-connected first", report["status"]), report["status"]


def test_tooltips_and_the_legend_link_to_entity_pages(tmp_path):
    graph = load_networkx_text(SMALL_TTL, tmp_path)
    actions = """
    var node = data.get("le-thi-binh");
    lines.push("tooltip=" + node.title.querySelector("a").getAttribute("href"));
    net.body.emitter.emit("selectNode", {nodes: ["le-thi-binh"]});
    lines.push("legend=" + document.querySelector("#entity-link a").getAttribute("href") + " " + document.querySelector("#entity-link a").textContent);
    """
    report = probe_page(tmp_path, graph, actions, entity_base="/entity/")
    assert report["tooltip"] == "/entity/le-thi-binh", report
    assert report["legend"].startswith("/entity/le-thi-binh Entity page of Le Thi Binh"), report


def load_networkx_text(text: str, folder: Path):
    path = folder / "graph.ttl"
    path.write_text(text, encoding="utf-8")
    return load_networkx(path)


def synthetic_graph(n: int, isolated: int, edges: int):
    """``n`` entities of the five types with long labels, ``isolated`` of them without a relation (a real build has ~36%)."""
    import random

    import networkx as nx

    rng = random.Random(7)
    graph = nx.MultiDiGraph()
    types = ["Person", "Organization", "Event", "Campaign", "Location"]
    for i in range(n):
        graph.add_node(f"n{i}", type=types[i % 5], label=f"{types[i % 5]} {i} of the Provincial Committee", posts=[], post_orgs=[], docs=[], mentions=[])
    linked = [f"n{i}" for i in range(n - isolated)]
    hubs = linked[:20]
    for i, node in enumerate(linked):  # everyone linked once to a hub, then random ties
        if node not in hubs:
            graph.add_edge(node, hubs[i % 20], key="attended", predicate="attended", label="attended")
    while graph.number_of_edges() < edges:
        a, b = rng.sample(linked, 2)
        graph.add_edge(a, b, key="memberOf", predicate="memberOf", label="memberOf")
    return graph


# ----------------------------------------------------------------------------- kg serve: entity pages, graph page, query page


@pytest.fixture(scope="module")
def seeds_site(tmp_path_factory):
    from tests.conftest import SEEDS

    from kg.corpus.build import build
    from kg.explore.serve import free_port
    from kg.explore.site import start_site
    from kg.extract.ner.select import make_recognizer

    out = tmp_path_factory.mktemp("seeds-site")
    build([SEEDS], out, make_recognizer("rules"))
    site = start_site(out / "graph.ttl", free_port(), "auto", timeout_s=20)
    yield site
    site.stop()


def test_entity_page_in_chromium(seeds_site, tmp_path):
    dom = _chromium("--dump-dom", seeds_site.url + "/entity/mai-van-tuat").stdout
    assert '<h1 id="label">Mai Van Tuat</h1>' in dom
    assert '<span class="type" id="type">Person</span>' in dom
    assert "माई वान तुआट" in dom  # the Hindi name, under "Other names, by language"
    assert re.search(r"<h2>Posts \(\d+\)</h2>", dom) and "Ninh Binh Provincial Party Committee" in dom
    assert re.search(r"<h2>Events \(\d+\)</h2>", dom) and "Conference in Ninh Binh" in dom
    assert dom.count('class="sentence"') >= 3 and 'lang="hi"' in dom  # each fact's sentence
    assert "001_b169a4b563e49ab1.txt" in dom and 'href="https://baoninhbinh.org.vn/' in dom  # the article's file and URL
    assert "Why this is one entity" in dom and "Romanised readings" in dom
    shot = tmp_path / "entity.png"
    _chromium(f"--screenshot={shot}", "--window-size=1200,1600", seeds_site.url + "/entity/mai-van-tuat")
    assert shot.stat().st_size > 20_000


def test_entity_links_lead_to_entity_pages(seeds_site):
    index = _chromium("--dump-dom", seeds_site.url + "/entities?q=mai").stdout
    links = re.findall(r'<a href="(/entity/[^"]+)">', index)
    assert "/entity/mai-van-tuat" in links
    graph_page = urllib.request.urlopen(seeds_site.url + "/graph", timeout=60).read().decode("utf-8")
    targets = sorted(set(re.findall(r'href=\\"(/entity/[a-z0-9%-]+)\\"', graph_page)))  # in the tooltips' markup, JSON-escaped
    page = _chromium("--dump-dom", seeds_site.url + targets[0]).stdout
    assert '<h1 id="label">' in page


def test_served_graph_page_settles_with_a_true_status(seeds_site):
    dom = _chromium("--dump-dom", "--window-size=1200,800", seeds_site.url + "/graph").stdout
    status = re.search(r'<div id="status">([^<]*)</div>', dom).group(1)
    assert re.match(r"\d+ of \d+ entities, \d+ of \d+ relations shown", status) and "laying out" not in status, status
    assert "with fewer than 1 link hidden" in status, status


def test_the_yasgui_query_page_loads(seeds_site):
    if seeds_site.sparql.engine != "oxigraph":
        pytest.skip("the YASGUI page comes with the Oxigraph server binary")
    dom = _chromium("--dump-dom", seeds_site.url + "/").stdout
    assert "yasqe" in dom.lower() and "CodeMirror" in dom  # YASGUI built its editor: its scripts loaded offline


# ----------------------------------------------------------------------------- the query page of kg serve

QUERY_PROBE = """
<script>
window.kgErrors = [];
window.addEventListener("error", function (e) { window.kgErrors.push(String(e.message)); });
function kgReport(lines) {
  var names = performance.getEntriesByType("resource").map(function (r) { return r.name; });
  var outside = names.filter(function (n) { return !/^(https?:\\/\\/127\\.0\\.0\\.1[:\\/]|file:|data:|blob:)/.test(n); });
  lines.push("outside=" + outside.length + " " + outside.join(" "));
  lines.push("errors=" + window.kgErrors.length + " " + window.kgErrors.join("|"));
  var report = document.createElement("pre");
  report.id = "probe";
  report.textContent = lines.join("\\n");
  document.body.appendChild(report);
}
var probeTimer = setInterval(function () {
  if (!window.kgYasgui) { return; }
  clearInterval(probeTimer);
  var y = window.kgYasgui, lines = [], answered = 0;
  try {
    var ids = y.persistentConfig.getTabs();
    lines.push("tabs=" + ids.map(function (id) { return y.getTab(id).getName(); }).join(","));
    lines.push("endpoint=" + y.getTab().getEndpoint());
    y.on("queryResponse", function (instance, tab) { setTimeout(function () {
      answered += 1;
      var results = tab.getYasr().results;
      lines.push("rows-" + tab.getName() + "=" + (results ? results.getBindings().length : "none"));
      if (answered === 1) {
        var canned = ids.filter(function (id) { return y.getTab(id).getName() === "posts_of_person"; })[0];
        y.selectTabId(canned);
        y.getTab().query();
      } else {
        kgReport(lines);
      }
    }, 300); });
    y.getTab().query();
  } catch (err) {
    lines.push("probe-error " + err);
    kgReport(lines);
  }
}, 100);
</script>
"""


@pytest.mark.skipif(shutil.which("oxigraph") is None and not (Path(os.sys.executable).parent / "oxigraph").exists(), reason="the oxigraph binary is missing")
def test_the_query_page_runs_the_default_and_a_canned_query_without_leaving_the_machine(tmp_path):
    from kg.explore.serve import free_port
    from kg.explore.site import start_site

    graph_file = tmp_path / "graph.ttl"
    graph_file.write_text(SMALL_TTL, encoding="utf-8")
    site = start_site(graph_file, free_port(), "oxigraph", timeout_s=20, max_rows=1000)
    try:
        with urllib.request.urlopen(site.url + "/", timeout=30) as response:
            html = response.read().decode("utf-8")
        # Served from a file with <base> at the site, so the probe can be added; the page resolves its endpoint from the base.
        html = html.replace("<head>", f'<head><base href="{site.url}/">', 1).replace("</body>", QUERY_PROBE + "</body>")
        path = tmp_path / "query.html"
        path.write_text(html, encoding="utf-8")
        dom = _chromium("--disable-web-security", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", path.as_uri()).stdout
    finally:
        site.stop()
    match = re.search(r'<pre id="probe">([^<]*)</pre>', dom)
    assert match, "the probe did not report (the page script did not run)"
    report = dict(line.split("=", 1) for line in match.group(1).replace("&amp;", "&").split("\n") if "=" in line)
    assert "probe-error" not in match.group(1), match.group(1)
    assert report["tabs"].split(",")[:2] == ["Start", "campaigns"] and "posts_of_person" in report["tabs"], report
    assert report["endpoint"] == site.url + "/query", report
    assert int(report["rows-Start"]) > 0 and int(report["rows-posts_of_person"]) > 0, report
    assert report["outside"].startswith("0") and report["errors"].startswith("0"), report


def test_sizes_colours_dates_search_and_export_of_what_is_shown(tmp_path):
    graph = load_networkx_text(SMALL_TTL, tmp_path)
    actions = """
    var size = function (id) { return data.get(id).size; };
    var before = size("nguyen-van-an");
    document.getElementById("size-by").value = "degree"; window.kgRestyle();
    lines.push("sized=" + (size("nguyen-van-an") !== before) + "," + (size("nguyen-van-an") > size("new-rural")));
    document.getElementById("colour-by").value = "community"; window.kgRestyle();
    lines.push("colours=" + (data.get("nguyen-van-an").color.background !== "%s"));
    var search = document.getElementById("search");
    search.value = "zzzz"; search.dispatchEvent(new Event("input"));
    lines.push("nohit=" + document.getElementById("search-hits").textContent);
    search.value = "binh"; search.dispatchEvent(new Event("input"));
    lines.push("hit=" + document.getElementById("search-hits").textContent);
    var from = document.getElementById("date-from");
    from.value = "2099"; from.dispatchEvent(new Event("input"));
    lines.push("events-late=" + data.get({filter: function (n) { return n.kgType === "Event" && !n.hidden; }}).length);
    var graphml = window.kgExport("graphml");
    lines.push("export-event=" + (graphml.indexOf('node id="e-d1"') >= 0) + "," + (graphml.indexOf("Ha Tinh Provincial Party Committee") >= 0));
    from.value = "2023"; from.dispatchEvent(new Event("input"));
    lines.push("events-2023=" + data.get({filter: function (n) { return n.kgType === "Event" && !n.hidden; }}).length);
    lines.push("csv=" + window.kgExport("edges").split("\\\\n")[0]);
    """ % "#4e79a7"
    report = probe_page(tmp_path, graph, actions)
    assert report["errors"].startswith("0"), report
    assert report["sized"] == "true,true", report
    assert report["nohit"] == "no match" and report["hit"] == "1 match", report
    assert report["events-late"] == "0" and report["export-event"] == "false,true", report  # the export follows the filters
    assert int(report["events-2023"]) >= 1
    assert report["csv"] == "source,source_label,relation,target,target_label,date", report
