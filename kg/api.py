"""The notebook API: load a graph, SPARQL into pandas, networkx, and the inline view.

>>> from kg import api
>>> g = api.load_graph("out/graph.ttl")              # Oxigraph; a store made by `kg load` opens the same way
>>> api.sparql(g, "officials_of_body", body="Ha Tinh")   # a canned query, parameters bound safely
>>> api.sparql(g, "SELECT ?s WHERE { ?s a kg:Person }")  # free SPARQL; common prefixes are added
>>> nxg = api.to_networkx(g)                          # the entity graph kg.graph.viz draws
>>> api.show(g, focus="Le Ngoc Chau", hops=2)          # the interactive page, inline in Jupyter
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import networkx as nx

from kg.graph.namespace import PREFIXES
from kg.explore.query import GraphStore, Result, canned_queries, load_store


class LoadedGraph:
    """A graph file in a query store, remembering its path for the networkx view."""

    def __init__(self, path: Path, store: GraphStore) -> None:
        self.path = path
        self.store = store
        self._networkx: nx.MultiDiGraph | None = None

    def __len__(self) -> int:
        return len(self.store)

    def __repr__(self) -> str:
        return f"<LoadedGraph {self.path} · {len(self)} triples · {self.store.name}>"


def load_graph(path: Path | str, store: str = "oxigraph") -> LoadedGraph:
    """Load a graph file (Turtle, N-Triples, TriG, N-Quads, JSON-LD, RDF/XML) into pyoxigraph or rdflib, or open a kg store."""
    return LoadedGraph(Path(path), load_store(path, store))


def queries() -> Any:
    """The canned queries as a DataFrame: name, parameters, what it answers."""
    import pandas as pd

    rows = [{"name": q.name, "params": ", ".join(q.params), "description": q.description} for q in canned_queries().values()]
    return pd.DataFrame(rows, columns=["name", "params", "description"])


def _with_prefixes(text: str) -> str:
    """Free SPARQL gets the project's prefixes unless it declares its own."""
    stripped = text.strip()
    if stripped.startswith("@") or " " not in stripped or "PREFIX" in stripped.upper():
        return text  # a file, a canned query name, or text that declares its prefixes
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES) + text


def result_frame(result: Result) -> Any:
    import pandas as pd

    return pd.DataFrame(result.rows, columns=result.variables)


def sparql(graph: LoadedGraph, query: str, max_rows: int | None = None, **params: Any) -> Any:
    """Run SPARQL text, ``@file.rq`` or a canned query name; the rows as a pandas DataFrame.

    Keyword arguments are query parameters, bound as literals (never pasted into the text).
    """
    return result_frame(graph.store.run(_with_prefixes(query), params, max_rows=max_rows))


def to_networkx(graph: LoadedGraph | Path | str) -> nx.MultiDiGraph:
    """The entity graph (persons, bodies, events, campaigns, places; the ten relations) of a graph or file."""
    from kg.explore.formats import load_networkx

    if isinstance(graph, LoadedGraph):
        if graph._networkx is None:
            graph._networkx = load_networkx(graph.path)
        return graph._networkx
    return load_networkx(graph)


def show(graph: LoadedGraph | nx.MultiDiGraph | Path | str, focus: str | None = None, hops: int = 2, height: int = 600) -> Any:
    """The interactive page inline (an IFrame with the page in ``srcdoc``; works offline, no server)."""
    from IPython.display import HTML

    from kg.graph.viz import ego, render_html

    nxg = graph if isinstance(graph, nx.Graph) else to_networkx(graph)
    if focus:
        nxg = ego(nxg, focus, hops)
    page = render_html(nxg, title=f"{focus} ({hops} hops)" if focus else "Knowledge graph")
    return HTML(f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:{int(height)}px;border:1px solid #ccc"></iframe>')
