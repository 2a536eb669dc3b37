"""The notebook API: load a graph, SPARQL into pandas, networkx, person networks, timelines, entity pages.

Every function takes a graph the same ways: a ``LoadedGraph`` from
``load_graph``, a path (``str`` or ``Path``) of a graph file, or an rdflib
``Graph``/``Dataset``. Labels, not IRIs, are what the tables show
(``labels=True``: prefixed names such as ``id:mai-van-tuat`` for the IRIs left).

>>> from kg import api
>>> g = api.load_graph("out/graph.ttl")              # Oxigraph; a store made by `kg load` opens the same way
>>> api.sparql(g, "officials_of_body", body="Ha Tinh")   # a canned query, parameters bound safely
>>> api.sparql("out/graph.ttl", "SELECT ?s WHERE { ?s a kg:Person }")  # free SPARQL; common prefixes are added
>>> nxg = api.to_networkx(g)                          # the entity graph kg.graph.viz draws (a MultiDiGraph)
>>> people = api.co_attendance(g)                     # persons linked by the events they shared (a Graph)
>>> api.same_body(g)                                  # persons linked by the bodies they hold posts in
>>> api.timeline(g, "Mai Van Tuat")                   # posts over time, with dates and sources (a DataFrame)
>>> api.entity(g, "Mai Van Tuat")                     # the entity page, inline
>>> api.show(g, focus="Le Ngoc Chau", hops=2)          # the interactive page, inline in Jupyter
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import networkx as nx

from kg.explore.query import GraphStore, QueryError, RdflibStore, Result, canned_queries, compact, load_store
from kg.graph.namespace import PREFIXES


class LoadedGraph:
    """A graph in a query store, remembering its file (if any) for the networkx view and extraction.json."""

    def __init__(self, path: Path | None, store: GraphStore, rdf: Any = None) -> None:
        self.path = path
        self.store = store
        self.rdf = rdf  # the rdflib graph it was made from, when it was made from one
        self._networkx: nx.MultiDiGraph | None = None

    def __len__(self) -> int:
        return len(self.store)

    def __repr__(self) -> str:
        return f"<LoadedGraph {self.path or 'in memory'} · {len(self)} triples · {self.store.name}>"

    def records(self) -> list[dict[str, Any]] | None:
        """The build's extraction.json (or .jsonl) beside the graph file (article files, merge reasons); None if absent."""
        from kg.graph.extraction_file import beside, records_or_none

        if self.path is None:
            return None
        return records_or_none(beside(Path(self.path)))


GraphLike = LoadedGraph | Path | str | Any


def load_graph(path: Path | str, store: str = "oxigraph") -> LoadedGraph:
    """Load a graph file (Turtle, N-Triples, TriG, N-Quads, JSON-LD, RDF/XML) into pyoxigraph or rdflib, or open a kg store.

    A store (``kg load``) is queried in place; its entity graph and extraction.json
    are read from the build it was loaded from.
    """
    from kg.explore.store import info, is_store

    source = Path(info(path)["source"]) if is_store(path) else Path(path)
    return LoadedGraph(source, load_store(path, store))


def as_graph(graph: GraphLike) -> LoadedGraph:
    """``graph`` as a LoadedGraph: a LoadedGraph, a path of a graph file, or an rdflib Graph or Dataset."""
    if isinstance(graph, LoadedGraph):
        return graph
    if isinstance(graph, (str, Path)):
        return load_graph(graph)
    import rdflib

    if isinstance(graph, rdflib.Graph):  # Dataset and ConjunctiveGraph are Graphs too
        return LoadedGraph(None, RdflibStore(graph), graph)
    raise TypeError(f"expected a LoadedGraph, a graph file path or an rdflib Graph, not {type(graph).__name__}")


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


def result_frame(result: Result, labels: bool = False) -> Any:
    """A Result as a DataFrame; ``labels``: IRIs as prefixed names (``id:mai-van-tuat``)."""
    import pandas as pd

    rows = [tuple(compact(v) if labels and isinstance(v, str) else v for v in row) for row in result.rows] if labels else result.rows
    return pd.DataFrame(rows, columns=result.variables)


def sparql(graph: GraphLike, query: str, max_rows: int | None = None, labels: bool = False, **params: Any) -> Any:
    """Run SPARQL text, ``@file.rq`` or a canned query name; the rows as a pandas DataFrame.

    Keyword arguments are query parameters, bound as literals (never pasted into
    the text). ``labels=True`` shows the remaining IRI columns as prefixed names.
    """
    return result_frame(as_graph(graph).store.run(_with_prefixes(query), params, max_rows=max_rows), labels)


def to_networkx(graph: GraphLike) -> nx.MultiDiGraph:
    """The entity graph (persons, bodies, events, campaigns, places; the ten relations) of a graph or file."""
    from kg.explore.formats import load_networkx, rdf_to_networkx

    if isinstance(graph, nx.MultiDiGraph):
        return graph
    loaded = as_graph(graph)
    if loaded._networkx is None:
        if loaded.path is not None:
            loaded._networkx = load_networkx(loaded.path)
        else:
            loaded._networkx = rdf_to_networkx(_merged(loaded.rdf))
    return loaded._networkx


def _merged(rdf: Any) -> Any:
    """An rdflib graph with named graphs merged (rdf_to_networkx reads one graph)."""
    import rdflib

    if isinstance(rdf, rdflib.Dataset):
        merged = rdflib.Graph()
        for s, p, o, _ in rdf.quads((None, None, None, None)):
            merged.add((s, p, o))
        return merged
    return rdf


def inline_frame(page: str, height: int) -> str:
    """The page in an iframe of its own (its scripts and styles kept apart from the notebook's).

    Wrapped in a div: IPython warns about HTML that starts with an iframe, though
    its IFrame helper takes only a URL, not a page.
    """
    return f'<div><iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:{int(height)}px;border:1px solid #ccc"></iframe></div>'


def co_attendance(graph: GraphLike | nx.MultiDiGraph, since: str | None = None, until: str | None = None) -> nx.Graph:
    """Persons linked when both chaired, attended or spoke at one event (``kg.explore.projections``).

    A weighted simple graph: ``weight`` = events shared, ``events``/``event_labels``
    and ``docs`` (articles) on each edge; PageRank and eigenvector centrality apply.
    ``since``/``until`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) keep only the
    events dated in that range (undated events are then left out).
    """
    from kg.dates import date_bound
    from kg.explore.projections import between, co_attendance as project

    bounds = [date_bound(v) if v else None for v in (since, until)]
    return project(between(to_networkx(graph), *bounds))


def same_body(graph: GraphLike | nx.MultiDiGraph) -> nx.Graph:
    """Persons linked when both hold a post in one body; ``weight`` = bodies shared, ``bodies``, ``docs``."""
    from kg.explore.projections import same_body as project

    return project(to_networkx(graph))


def simple_graph(graph: GraphLike | nx.Graph) -> nx.Graph:
    """The entity graph as an undirected simple graph (``weight`` = relations between two nodes), for centralities."""
    from kg.explore.projections import simple_graph as simplify

    return simplify(graph if isinstance(graph, nx.Graph) else to_networkx(graph))


def centrality(network: nx.Graph, top: int | None = 10) -> Any:
    """Degree, weighted degree, PageRank and eigenvector centrality of each node, by label, best first."""
    import pandas as pd

    simple = network if not network.is_multigraph() and not network.is_directed() else simple_graph(network)
    pagerank = nx.pagerank(simple, weight="weight") if simple.number_of_edges() else {n: 0.0 for n in simple}
    try:
        eigen = nx.eigenvector_centrality(simple, weight="weight", max_iter=2000) if simple.number_of_edges() else {n: 0.0 for n in simple}
    except nx.PowerIterationFailedConvergence:
        eigen = nx.eigenvector_centrality_numpy(simple, weight="weight")
    rows = [{"label": simple.nodes[n].get("label", n), "id": n, "degree": simple.degree(n), "weighted_degree": simple.degree(n, weight="weight"),
             "pagerank": pagerank[n], "eigenvector": eigen[n]} for n in simple]
    frame = pd.DataFrame(rows, columns=["label", "id", "degree", "weighted_degree", "pagerank", "eigenvector"])
    frame = frame.sort_values(["degree", "weighted_degree", "pagerank", "label"], ascending=[False, False, False, True]).reset_index(drop=True)
    return frame.head(top) if top else frame


def timeline(graph: GraphLike, name: str) -> Any:
    """Posts over time of a person (or who held which post in a body): a DataFrame by date, with article, file, URL, sentence.

    ``date`` is what the article states, else ``"<year> (year of the article)"``, else ``"undated"``.
    """
    from kg.explore.timeline import timeline as run

    loaded = as_graph(graph)
    title, result = run(loaded.store, name, loaded.records())
    frame = result_frame(result)
    frame.attrs["title"] = title
    return frame


def entity(graph: GraphLike, name: str, height: int = 600) -> Any:
    """The entity page of ``name`` (label, names by language, posts with dates, events, relations, evidence) inline."""
    from IPython.display import HTML

    from kg.explore.entities import profile
    from kg.explore.pages import entity_page

    loaded = as_graph(graph)
    try:
        page = entity_page(profile(loaded.store, name, loaded.records()))
    except KeyError as error:
        raise QueryError(str(error.args[0])) from None
    return HTML(inline_frame(page, height))


def show(graph: GraphLike | nx.Graph, focus: str | None = None, hops: int = 2, height: int = 600, min_degree: int | None = None) -> Any:
    """The interactive page inline (an IFrame with the page in ``srcdoc``; works offline, no server).

    Takes the entity graph, a projection (``co_attendance``...) or anything ``as_graph`` takes.
    """
    from IPython.display import HTML

    from kg.graph.network import ego
    from kg.graph.viz import render_html

    nxg = graph if isinstance(graph, nx.Graph) else to_networkx(graph)
    if focus:
        nxg = ego(nxg, focus, hops)
    nouns = (("person", "persons"), ("tie", "ties")) if "projection" in nxg.graph else (("entity", "entities"), ("relation", "relations"))
    title = f"{focus} ({hops} hops)" if focus else nxg.graph.get("projection", "Knowledge graph")
    page = render_html(nxg, title=title, min_degree=(0 if focus else 1) if min_degree is None else min_degree, nouns=nouns)
    return HTML(inline_frame(page, height))
