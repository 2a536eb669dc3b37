"""The query page ``kg serve`` shows at ``/``: ready on first use, and nothing leaves the machine.

With the Oxigraph engine the page is YASGUI (its script and style come from the
Oxigraph binary, through the front server), set up by this project rather than
by Oxigraph's own page:

- the endpoint is this server's ``/query`` (Oxigraph's page asks ``/sparql``,
  which the read-only front refuses for updates), and the endpoint list holds
  only it;
- the editor knows the project's prefixes (``kg:``, ``org:``, ``prov:``…) and
  opens on a query that uses them; every canned query of
  ``ontology/queries`` is a tab of its own, named after it;
- YASGUI's remote helpers are off: the prefix autocompleter (prefix.cc) and
  the class and property autocompleters (LOV) would send what the user types
  to other sites; only the local variable completion stays. Tabs are not
  kept between visits, so a new version's tabs are what the page shows.

With the python engine (no YASGUI), the page is a small form of our own that
posts to ``/query`` and shows the rows as a table, with the canned queries in
a menu. Every value the page shows is escaped: the data comes from documents.
"""

from __future__ import annotations

import html
from functools import cache

from kg.explore.query import canned_queries
from kg.graph.namespace import PREFIXES
from kg.graph.page import script_json

DEFAULT_QUERY_BODY = """SELECT ?type (COUNT(?entity) AS ?entities)
WHERE {
  ?entity a ?type .
}
GROUP BY ?type
ORDER BY DESC(?entities)"""


def prefix_lines() -> str:
    return "".join(f"PREFIX {name}: <{namespace}>\n" for name, namespace in PREFIXES)


def default_query() -> str:
    return prefix_lines() + "\n" + DEFAULT_QUERY_BODY


def tabs() -> list[dict[str, str]]:
    return [{"name": "Start", "query": default_query()}] + [
        {"name": name, "query": query.text, "description": query.description} for name, query in canned_queries().items()
    ]


YASGUI_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>kg: SPARQL query</title>
<link href="./yasgui.min.css" rel="stylesheet" type="text/css">
<script src="./yasgui.min.js"></script>
<style>body {{ margin: 0; font-family: sans-serif; }} nav {{ padding: 6px 12px; background: #f4f4f4; }} nav a {{ margin-right: 1em; }}</style>
</head>
<body>
<nav><a href="/entities">Entities</a><a href="/graph">Graph</a><span>SPARQL endpoint: <code>/query</code> (read-only)</span></nav>
<div id="yasgui"></div>
<script>
(function () {{
  const endpoint = new URL("/query", document.baseURI).href;
  const prefixes = {prefixes};
  const tabs = {tabs};
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  Yasgui.Yasqe.defaults.value = tabs[0].query;
  const yasgui = new Yasgui(document.getElementById("yasgui"), {{
    requestConfig: {{ endpoint: endpoint, method: "POST" }},
    endpointCatalogueOptions: {{ getData: function () {{ return [{{ endpoint: endpoint }}]; }}, keys: [] }},
    copyEndpointOnNewTab: true,
    persistenceId: null,
    yasqe: {{ autocompleters: ["variables"], value: tabs[0].query }},
  }});
  const first = yasgui.getTab();
  if (first) {{ first.setName(tabs[0].name); first.setQuery(tabs[0].query); }}
  for (const tab of tabs.slice(1)) {{
    yasgui.addTab(false, {{ name: tab.name, yasqe: {{ value: tab.query }}, requestConfig: {{ endpoint: endpoint, method: "POST" }} }});
  }}
  window.kgPrefixes = prefixes;
  window.kgYasgui = yasgui;
}})();
</script>
</body>
</html>
"""


FORM_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>kg: SPARQL query</title>
<style>
body {{ font-family: sans-serif; margin: 1em 2em; }}
textarea {{ width: 100%; height: 18em; font-family: monospace; }}
table {{ border-collapse: collapse; margin-top: 1em; }} td, th {{ border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }}
#status {{ margin-left: 1em; color: #555; }}
</style>
</head>
<body>
<p><a href="/entities">Entities</a> · <a href="/graph">Graph</a> · SPARQL endpoint: <code>/query</code> (read-only, {engine} engine)</p>
<label>Query: <select id="canned">{options}</select></label>
<p id="description"></p>
<textarea id="query" spellcheck="false"></textarea><br>
<button id="run">Run</button><span id="status"></span>
<div id="results"></div>
<script>
(function () {{
  const tabs = {tabs};
  const select = document.getElementById("canned"), text = document.getElementById("query");
  function show(i) {{ text.value = tabs[i].query; document.getElementById("description").textContent = tabs[i].description || ""; }}
  select.addEventListener("change", function () {{ show(Number(select.value)); }});
  show(0);
  function cell(term) {{ const td = document.createElement("td"); td.textContent = term ? term.value : ""; return td; }}
  document.getElementById("run").addEventListener("click", async function () {{
    const status = document.getElementById("status"), results = document.getElementById("results");
    status.textContent = "running…"; results.replaceChildren();
    try {{
      const response = await fetch("/query", {{ method: "POST", headers: {{ "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json" }}, body: text.value }});
      const body = await response.text();
      if (!response.ok) {{ status.textContent = response.status + ": " + body; return; }}
      const data = JSON.parse(body);
      const table = document.createElement("table");
      if (data.boolean !== undefined) {{ status.textContent = "answer: " + data.boolean; return; }}
      const head = document.createElement("tr");
      for (const v of data.head.vars) {{ const th = document.createElement("th"); th.textContent = v; head.appendChild(th); }}
      table.appendChild(head);
      for (const row of data.results.bindings) {{
        const tr = document.createElement("tr");
        for (const v of data.head.vars) tr.appendChild(cell(row[v]));
        table.appendChild(tr);
      }}
      results.appendChild(table);
      status.textContent = data.results.bindings.length + " rows";
    }} catch (error) {{ status.textContent = "failed: " + error; }}
  }});
}})();
</script>
</body>
</html>
"""


@cache
def query_page(engine: str) -> str:
    """The page at ``/``: YASGUI set up for this server (oxigraph), or the plain form (python); made once."""
    if engine == "oxigraph":
        return YASGUI_PAGE.format(prefixes=script_json(dict(PREFIXES)), tabs=script_json(tabs()))
    options = "".join(f'<option value="{i}">{html.escape(tab["name"])}</option>' for i, tab in enumerate(tabs()))
    return FORM_PAGE.format(engine=html.escape(engine), options=options, tabs=script_json(tabs()))
