"""The page of ``kg.graph.viz``: vis-network options, and its template (``page.html`` beside this module: HTML, and the script that runs it).

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
from pathlib import Path
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


# The page itself (HTML, CSS and the script over vis-network) is a Jinja template beside this module.
PAGE = (Path(__file__).parent / "page.html").read_text(encoding="utf-8")
