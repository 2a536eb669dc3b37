"""The page of a big graph: its most connected entities, and the best-attested relations among them.

A page past ``MAX_PAGE_NODES`` entities is too slow to draw; it shows the
most connected, and among them at most ``MAX_PAGE_EDGES`` relations, those
read in most articles, and says so in its title (with the command that draws
any other neighbourhood). ``bounded`` cuts a networkx graph; ``page_of``
gives the same page for a corpus (``kg.graph.view``: an extraction, or a
build's tables) while drawing only the entities shown, each with what the page
shows of it, which is what a build uses: at 10^4 articles the whole graph,
evidence and all, was the largest thing a build held while writing its
outputs.
"""

from __future__ import annotations

import networkx as nx

from kg.graph.view import CorpusView, ExtractionView
from kg.graph.network import dangling_attributes, edge_attributes, node_attributes, to_networkx
from kg.model import Extraction

MAX_PAGE_NODES = 1500  # a page past this is too slow to draw; it shows the most connected entities
SHOWN_DOCS = 10  # an edge's documents listed on the page
MAX_PAGE_EDGES = 6000  # and among them the relations read in most articles: the page's size stays bounded as the archive grows


def bounded(graph: nx.MultiDiGraph, max_nodes: int = MAX_PAGE_NODES, max_edges: int = MAX_PAGE_EDGES) -> tuple[nx.MultiDiGraph, str | None]:
    """``graph`` itself, or its ``max_nodes`` most connected entities (and ``max_edges`` best-attested relations among them) and a title saying so.

    The subset is stated on the page, with the command that draws any other
    entity's neighbourhood (``kg viz GRAPH --focus NAME``).
    """
    if graph.number_of_nodes() <= max_nodes and graph.number_of_edges() <= max_edges:
        return graph, None
    ranked = sorted(graph.nodes, key=lambda n: (-graph.degree(n), n))[:max_nodes]
    return page_subset(graph.subgraph(ranked), ranked, graph.number_of_nodes(), max_edges)


def page_graph(extraction: Extraction, max_nodes: int = MAX_PAGE_NODES, max_edges: int = MAX_PAGE_EDGES) -> tuple[nx.MultiDiGraph, str | None]:
    """``bounded(to_networkx(extraction))``, drawing only the entities shown when there are too many (``page_of``)."""
    return page_of(ExtractionView(extraction), max_nodes, max_edges)


def page_of(view: CorpusView, max_nodes: int = MAX_PAGE_NODES, max_edges: int = MAX_PAGE_EDGES) -> tuple[nx.MultiDiGraph, str | None]:
    """The page of a corpus (``kg.graph.view``): ``bounded`` of its whole graph, drawing only the entities shown.

    A node's degree is its number of distinct facts (a self-loop counts twice,
    as in networkx), counted over the relations; only the ``max_nodes`` most
    connected are drawn, each with what the page shows of it (``page_nodes``):
    its first documents and how many there are, an edge's first sentences and
    documents and how many, so that the page's size and what is held to draw
    it stay bounded however many articles repeat a fact.
    """
    ranked, total, facts = view.ranking(max_nodes)
    if total <= max_nodes and facts <= max_edges:
        return to_networkx(view.page_extraction(None)), None
    return page_subset(page_nodes(view, set(ranked)), ranked, total, max_edges)


def page_nodes(view: CorpusView, shown: set[str]) -> nx.MultiDiGraph:
    """The graph of the ``shown`` nodes and the facts among them, with the attributes the page shows (``node_attributes``, ``edge_attributes``)."""
    graph = nx.MultiDiGraph()
    for entity, docs, docs_total, surfaces in view.page_entities(shown):
        graph.add_node(entity.id, **node_attributes(entity, docs, surfaces, docs_total))
    for node in sorted(shown - set(graph.nodes)):  # an id a relation names that no entity has
        graph.add_node(node, **dangling_attributes(node))
    for (s, p, o), relations in view.page_facts(shown):
        graph.add_edge(s, o, key=p, **edge_attributes(p, relations, SHOWN_DOCS))
    return graph


def page_subset(shown: nx.MultiDiGraph, ranked: list[str], total: int, max_edges: int) -> tuple[nx.MultiDiGraph, str | None]:
    """The page's graph of the ``ranked`` nodes (``shown``: the graph restricted to them) out of ``total``, and its title."""
    note = f"Knowledge graph: the {len(ranked):,} most connected of {total:,} entities" if len(ranked) < total else f"Knowledge graph: all {total:,} entities"
    if shown.number_of_edges() <= max_edges:
        subset = shown.copy()
    else:
        edges = sorted(shown.edges(keys=True, data=True), key=lambda e: (-e[3].get("docs_total", len(e[3].get("docs") or ())), e[0], e[1], e[2]))[:max_edges]
        subset = nx.MultiDiGraph()
        subset.add_nodes_from((n, shown.nodes[n]) for n in sorted(ranked))
        subset.add_edges_from(sorted(edges, key=lambda e: (e[0], e[1], e[2])))
        note += f", and the {max_edges:,} relations among them read in most articles"
    return subset, note + " (kg viz OUT/graph.ttl --focus NAME draws any entity's neighbourhood)"
