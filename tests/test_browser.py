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
    assert "hidden=3 " in report, report  # unticking Person hides the three persons
    assert "errors=0" in report, report


def test_screenshot(page, tmp_path):
    """Saves the rendered page as PNG (in $KG_SCREENSHOT_DIR when set, else pytest's tmp_path)."""
    folder = Path(os.environ.get("KG_SCREENSHOT_DIR") or tmp_path)
    target = folder / "graph.png"
    _chromium(f"--screenshot={target}", "--window-size=1200,800", page.as_uri())
    assert target.exists() and target.stat().st_size > 10_000
