"""The exploration commands: ``kg query``, ``kg serve``, ``kg push``, ``kg export``, ``kg viz``.

Registered on the ``kg`` group by ``kg/cli.py``. Errors the user can fix are one
line on stderr with exit code 2, as in the other commands.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

GRAPH = click.Path(exists=True, dir_okay=False, path_type=Path)
GRAPH_OR_STORE = click.Path(exists=True, path_type=Path)  # a graph file, or a store made by `kg load`


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            fail(f"--param {item!r}: write NAME=VALUE")
        params[name.strip()] = value
    return params


@click.command()
@click.argument("graph", required=False, type=GRAPH_OR_STORE)
@click.argument("query", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Bind a query variable to a string (repeatable); bound as an RDF literal, never pasted into the query.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--store", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True, help="The engine a graph file is read into; results are the same (rdflib is much slower on large graphs). A store made by `kg load` is always Oxigraph.")
@click.option("--limit", type=int, default=None, help="Stop after this many rows.")
@click.option("--list", "list_queries", is_flag=True, help="List the canned queries and their parameters.")
def query(graph: Path | None, query: str | None, params: tuple[str, ...], fmt: str, store: str, limit: int | None, list_queries: bool) -> None:
    """Run SPARQL on GRAPH (a graph file, or a store made by `kg load`): QUERY is SPARQL text, @file.rq, or a canned query name.

    Examples: kg query out/graph.ttl officials_of_body -p body="Ha Tinh";
    kg query store/ posts_of_person -p person="Le Ngoc Chau";
    kg query out/graph.ttl @my.rq --format csv; kg query --list.
    """
    from kg.explore.query import QueryError, canned_queries, format_result, load_store

    if list_queries:
        for q in canned_queries().values():
            args = " ".join(f"-p {name}=..." for name in q.params)
            click.echo(f"{q.name} {args}\n    {q.description}")
            for name, text in q.params.items():
                click.echo(f"    {name}: {text}")
        return
    if graph is None or query is None:
        fail("give GRAPH and QUERY (or --list); see kg query --help")
    try:
        result = load_store(graph, store).run(query, _params(params), max_rows=limit)
    except QueryError as error:
        fail(str(error))
    click.echo(format_result(result, fmt), nl=False)


@click.command()
@click.argument("graph", type=GRAPH_OR_STORE)
@click.option("--port", type=int, default=7878, show_default=True)
@click.option("--engine", type=click.Choice(["auto", "oxigraph", "python"]), default="auto", show_default=True, help="auto: the Oxigraph server binary when installed, else a small pyoxigraph server.")
@click.option("--timeout", "timeout_s", type=float, default=30.0, show_default=True, help="Seconds a query may run.")
@click.option("--max-rows", type=int, default=10_000, show_default=True, help="Result rows returned at most (python engine).")
def serve(graph: Path, port: int, engine: str, timeout_s: float, max_rows: int) -> None:
    """Serve GRAPH (a graph file, or a store made by `kg load`) read-only over the SPARQL 1.1 Protocol on 127.0.0.1:PORT/query until Ctrl-C."""
    from kg.explore.serve import ServeError, start_server

    try:
        server = start_server(graph, port, engine, timeout_s, max_rows)
    except ServeError as error:
        fail(str(error))
    click.echo(f"SPARQL endpoint ({server.engine}, read-only): {server.url}  - Ctrl-C to stop")
    server.wait()


@click.command()
@click.argument("graph", type=GRAPH)
@click.option("--endpoint", required=True, help="Graph Store URL, e.g. http://localhost:7878/store (Oxigraph) or .../rdf-graph-store.")
@click.option("--graph-iri", default=None, help="Named graph to write; default: the store's default graph.")
@click.option("--append", is_flag=True, help="POST (add to the graph) instead of PUT (replace it).")
def push(graph: Path, endpoint: str, graph_iri: str | None, append: bool) -> None:
    """Load GRAPH into a SPARQL 1.1 Graph Store over HTTP."""
    from kg.explore.serve import ServeError, push as run_push

    try:
        count = run_push(endpoint, graph, graph_iri, replace=not append)
    except ServeError as error:
        fail(str(error))
    click.echo(f"{count} triples sent to {endpoint} ({'POST' if append else 'PUT'}, {graph_iri or 'default graph'})")


@click.command()
@click.argument("graph", type=GRAPH)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Target file; the suffix picks the format (.ttl .nt .jsonld .graphml .csv).")
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "jsonld", "graphml", "csv"]), default=None)
def export(graph: Path, out: Path, fmt: str | None) -> None:
    """Export GRAPH as Turtle, N-Triples, JSON-LD, GraphML (Gephi) or CSV nodes + edges."""
    from kg.explore.formats import ExportError, export as run_export

    try:
        written = run_export(graph, out, fmt)
    except ExportError as error:
        fail(str(error))
    for path in written:
        click.echo(str(path))


@click.command()
@click.argument("graph", type=GRAPH)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Page to write; default: GRAPH's name with .html (or <focus>.html).")
@click.option("--focus", default=None, help="Only the entities within --hops of this one (id, label or part of a name).")
@click.option("--hops", type=int, default=2, show_default=True)
def viz(graph: Path, out: Path | None, focus: str | None, hops: int) -> None:
    """Write the interactive page of GRAPH (a graph file or extraction.json), optionally an ego view."""
    from kg.explore.formats import ExportError, load_networkx
    from kg.graph.viz import ego, write_html

    try:
        nxg = load_networkx(graph)
        title = "Knowledge graph"
        if focus:
            nxg = ego(nxg, focus, hops)
            title = f"{focus} ({hops} hops)"
    except ExportError as error:
        fail(str(error))
    except KeyError as error:
        fail(str(error.args[0]))
    if out is None:
        stem = graph.stem + ("-" + "".join(c if c.isalnum() else "-" for c in focus.lower()) if focus else "")
        out = graph.with_name(stem + ".html")
    write_html(nxg, out, title)
    click.echo(f"{out} ({nxg.number_of_nodes()} entities, {nxg.number_of_edges()} relations)")


@click.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--store", "store_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Directory of the persistent Oxigraph store (made or replaced).")
def load(source: Path, store_dir: Path) -> None:
    """Load a build (OUT: its graph.nq, else graph.nt or graph.ttl) or a graph file into a persistent store.

    `kg query`, `kg serve` and `kg.api.load_graph` then open DIR in milliseconds
    instead of reading the graph again. Build with `--format nq` to keep each
    article's named graph in the store.
    """
    from kg.explore.store import StoreError, load as run_load

    try:
        info = run_load(source, store_dir)
    except StoreError as error:
        fail(str(error))
    click.echo(f"{info.quads:,} quads from {info.source} ({info.format}) in {info.seconds:.1f} s into {store_dir}")


COMMANDS = (query, serve, push, export, viz, load)
