"""The exploration commands: ``kg query``, ``kg serve``, ``kg push``, ``kg export``, ``kg viz``, ``kg timeline``, ``kg projection``.

Registered on the ``kg`` group by ``kg/cli.py``. Errors the user can fix are one
line on stderr with exit code 2, as in the other commands.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

GRAPH = click.Path(exists=True, dir_okay=False, path_type=Path)
GRAPH_OR_STORE = click.Path(exists=True, path_type=Path)  # a graph file, a build folder, or a store made by `kg load`
BUILD_GRAPHS = ("graph.ttl", "graph.nt", "graph.nq")  # Turtle first: the graph the README's queries name


def build_graph(path: Path) -> Path:
    """The graph file of a build folder (``kg build --out OUT``: OUT works where its graph.ttl does), else ``path``."""
    from kg.explore.store import StoreError, graph_file, is_store

    if path.is_dir() and not is_store(path):
        try:
            return graph_file(path, BUILD_GRAPHS)
        except StoreError as error:
            fail(f"{error}; nor is it a kg store")
    return path


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _params(values: tuple[str, ...], since: str | None = None, until: str | None = None) -> dict[str, str]:
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            fail(f"--param {item!r}: write NAME=VALUE")
        params[name.strip()] = value
    params.update(_date_bounds(since, until))
    return params


def _date_bounds(since: str | None, until: str | None) -> dict[str, str]:
    from kg.dates import date_bound

    bounds = {}
    for name, value in (("since", since), ("until", until)):
        if value is not None:
            try:
                bounds[name] = date_bound(value)
            except ValueError as error:
                fail(f"--{name}: {error}")
    return bounds


@click.command()
@click.argument("graph", required=False, type=click.Path(path_type=Path))
@click.argument("query", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Bind a query variable to a string (repeatable); bound as an RDF literal, never pasted into the query.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--store", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True, help="The engine a graph file is read into; results are the same (rdflib is much slower on large graphs). A store made by `kg load` is always Oxigraph.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Stop after this many rows (0 or more).")
@click.option("--width", type=click.IntRange(min=0), default=60, show_default=True, help="Cut table cells to this many characters; 0: never (csv, tsv and json are never cut).")
@click.option("--list", "list_queries", is_flag=True, help="List the canned queries and their parameters.")
@click.option("--print", "print_only", is_flag=True, help="Print the query with the parameters bound as literals (to paste into any SPARQL endpoint) instead of running it.")
@click.option("--since", default=None, metavar="DATE", help="Canned queries with dates: only events or posts dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD); undated ones are left out.")
@click.option("--until", default=None, metavar="DATE", help="Likewise, dated on or before DATE (--until 2024 takes all of 2024).")
def query(graph: Path | None, query: str | None, params: tuple[str, ...], fmt: str, store: str, limit: int | None, width: int, list_queries: bool, print_only: bool, since: str | None, until: str | None) -> None:
    """Run SPARQL on GRAPH (a graph file, or a store made by `kg load`): QUERY is SPARQL text, @file.rq, or a canned query name.

    Examples: kg query out/graph.ttl officials_of_body -p body="Ha Tinh";
    kg query store posts_of_person -p person="Le Ngoc Chau";
    kg query out/graph.ttl @my.rq --format csv; kg query --list;
    kg query officials_of_body --print -p body="Ha Tinh" (no GRAPH needed).
    """
    from kg.explore.query import QueryError, bind_as_literals, canned_queries, format_result, load_store

    if list_queries:
        for q in canned_queries().values():
            args = " ".join(f"-p {name}=..." for name in q.params)
            click.echo(f"{q.name} {args}\n    {q.description}")
            for name, text in q.params.items():
                click.echo(f"    {name}: {text}")
        return
    if print_only:  # kg query NAME --print, or kg query GRAPH NAME --print: no graph is read
        spec = query if query is not None else (str(graph) if graph is not None else None)
        if spec is None:
            fail("give the QUERY to print (a canned query name, @file.rq or SPARQL text)")
        try:
            click.echo(bind_as_literals(spec, _params(params, since, until)), nl=False)
        except QueryError as error:
            fail(str(error))
        return
    if graph is None or query is None:
        fail("give GRAPH and QUERY (or --list); see kg query --help")
    from kg.explore.store import is_store

    graph = build_graph(graph)
    if not graph.is_file() and not is_store(graph):
        fail(f"{graph}: no such graph file or kg store")
    try:
        result = load_store(graph, store).run(query, _params(params, since, until), max_rows=limit)
    except QueryError as error:
        fail(str(error))
    click.echo(format_result(result, fmt, width=width), nl=False)


@click.command()
@click.argument("graph", type=GRAPH_OR_STORE)
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="Port on 127.0.0.1 (0: any free port).")
@click.option("--engine", type=click.Choice(["auto", "oxigraph", "python"]), default="auto", show_default=True,
              help="oxigraph: the Oxigraph server binary (pip install oxigraph), with its YASGUI query page; "
                   "python: worker processes over pyoxigraph; "
                   "auto: oxigraph when its binary is installed, else python. Both stop a query at --timeout and cap rows at --max-rows.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True, help="Seconds a query may run; past it the answer is 503.")
@click.option("--max-rows", type=click.IntRange(min=0), default=10_000, show_default=True, help="Result rows returned at most (the answer then says \"truncated\": true).")
@click.option("--allow-service", is_flag=True, help="Allow federated queries (SERVICE): the server then fetches the URLs queries name.")
@click.option("--extraction", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help="The build's extraction.json, for article files and why mentions were merged; default: the one beside GRAPH.")
@click.option("--articles", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None, help="Folder of the article texts for the article pages (/doc/ID); default: the files the build read.")
def serve(graph: Path, port: int, engine: str, timeout_s: float, max_rows: int, allow_service: bool, extraction: Path | None, articles: Path | None) -> None:
    """Serve GRAPH (a graph file, or a store made by `kg load`) on 127.0.0.1:PORT until Ctrl-C, SIGTERM or SIGHUP: a read-only SPARQL endpoint (/query), a query page (/),
    a page per entity with the evidence of each fact (/entity/ID, index at /entities), a page per article with its mentions highlighted (/doc/ID) and the graph page (/graph)."""
    from kg.explore.serve import ServeError, interrupted_by_signals
    from kg.explore.site import start_site

    graph = build_graph(graph)
    with interrupted_by_signals():  # SIGTERM and SIGHUP stop the server and clean up, as Ctrl-C does
        try:
            site = start_site(graph, port, engine, timeout_s, max_rows, extraction, allow_service=allow_service, articles=articles)
        except ServeError as error:
            fail(str(error))
        except KeyboardInterrupt:
            sys.exit(130)
        try:
            engine_name = site.sparql.engine
            click.echo(f"SPARQL endpoint ({engine_name}, read-only): {site.query_url}")
            if engine_name == "oxigraph":
                click.echo(f"query page (YASGUI):       {site.url}/")
            click.echo(f"entity pages:              {site.url}/entities  (one per entity: {site.url}/entity/<id>)")
            click.echo(f"graph page:                {site.url}/graph  (tooltips link to the entity pages)")
            click.echo("Ctrl-C to stop")
            site.wait()
        except KeyboardInterrupt:
            site.stop()
        except ServeError as error:  # the engine died and would not start again: never a silent exit 0
            fail(str(error))


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
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Target file; the suffix picks the format (.ttl .nt .jsonld .graphml .gexf .csv .ftm.json).")
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "jsonld", "graphml", "gexf", "csv", "ftm"]), default=None)
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
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Page to write. Required for the whole graph (kg build already wrote out/graph.html); with --focus, default: GRAPH's name plus the focus, .html.")
@click.option("--focus", default=None, help="Only the entities within --hops of this one (id, label or part of a name).")
@click.option("--hops", type=int, default=2, show_default=True)
@click.option("--min-degree", type=click.IntRange(min=0), default=1, show_default=True, help="Entities with fewer links start hidden (0 shows isolated ones); the page has the control too.")
@click.option("--entity-pages", "entity_base", default=None, metavar="URL", help="Link tooltips to the entity pages under URL, e.g. http://127.0.0.1:7878/entity/ while `kg serve` runs.")
@click.option("--since", default=None, metavar="DATE", help="Only events and posts dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD); undated ones are left out.")
@click.option("--until", default=None, metavar="DATE", help="Likewise, dated on or before DATE.")
def viz(graph: Path, out: Path | None, focus: str | None, hops: int, min_degree: int, entity_base: str | None, since: str | None, until: str | None) -> None:
    """Write the interactive page of GRAPH (a graph file or extraction.json), optionally an ego view."""
    from kg.explore.formats import ExportError, load_networkx
    from kg.files import OutputError
    from kg.graph.network import ego
    from kg.graph.viz import write_html

    if out is None and not focus:
        fail(f"give --out PAGE.html: the page of the whole graph would replace {graph.with_suffix('.html')} (kg build writes it); or --focus NAME for an ego view")
    try:
        from kg.explore.projections import between

        nxg = between(load_networkx(graph), **_date_bounds(since, until))
        title = "Knowledge graph"
        if focus:
            nxg = ego(nxg, focus, hops)
            title = f"{focus} ({hops} hops)"
    except ExportError as error:
        fail(str(error))
    except KeyError as error:
        fail(str(error.args[0]))
    if out is None:
        stem = graph.stem + "-" + "".join(c if c.isalnum() else "-" for c in (focus or "").lower())
        out = graph.with_name(stem + ".html")
    if out.resolve() == graph.resolve():
        fail(f"{out}: that is the graph itself; choose another --out")
    try:
        write_html(nxg, out, title, entity_base=entity_base, min_degree=min_degree)
    except OutputError as error:
        fail(str(error))
    click.echo(f"{out} ({nxg.number_of_nodes()} entities, {nxg.number_of_edges()} relations)")


@click.command()
@click.argument("graph", type=GRAPH)
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--width", type=click.IntRange(min=0), default=60, show_default=True, help="Cut table cells to this many characters; 0: never.")
@click.option("--extraction", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help="The build's extraction.json (article files); default: the one beside GRAPH.")
def timeline(graph: Path, name: str, fmt: str, width: int, extraction: Path | None) -> None:
    """Posts over time of the person or body NAME in GRAPH: every post with its body (or holder),
    the date the article states (else the article's year, else "undated"), the article, its file, URL and sentence.

    Example: kg timeline out/graph.ttl "Mai Van Tuat" --format csv
    """
    from kg.explore.query import QueryError, format_result, load_store
    from kg.explore.timeline import timeline as run_timeline

    try:
        title, result = run_timeline(load_store(graph, "oxigraph"), name, _records(graph, extraction))
    except QueryError as error:
        fail(str(error))
    if fmt == "table":
        click.echo(title)
    click.echo(format_result(result, fmt, width=width), nl=False)


@click.command()
@click.argument("graph", type=GRAPH)
@click.argument("kind", type=click.Choice(["co-attendance", "same-body"]))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the network: .graphml (Gephi), .csv (nodes + edges), .json (node-link) or .html (the page). Default: print the ties.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True, help="How to print the ties when there is no --out.")
@click.option("--width", type=click.IntRange(min=0), default=60, show_default=True, help="Cut table cells to this many characters; 0: never.")
@click.option("--since", default=None, metavar="DATE", help="Only events and posts dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD); undated ones are left out.")
@click.option("--until", default=None, metavar="DATE", help="Likewise, dated on or before DATE (--until 2024 takes all of 2024).")
def projection(graph: Path, kind: str, out: Path | None, fmt: str, width: int, since: str | None, until: str | None) -> None:
    """Person–person network of GRAPH (a graph file or extraction.json): co-attendance (both at one event)
    or same-body (both hold a post in one body), weighted by how many events or bodies they share.

    Prints nodes, ties and the five best-connected persons, then the ties (or writes --out).
    """
    from kg.explore.formats import ExportError, load_networkx
    from kg.explore.projections import EDGE_COLUMNS, ProjectionError, edge_rows, project, top_by_degree, write_projection
    from kg.explore.query import Result, format_result

    try:
        proj = project(load_networkx(graph), kind, **_date_bounds(since, until))
        written = write_projection(proj, out) if out is not None else []
    except (ExportError, ProjectionError) as error:
        fail(str(error))
    ties = proj.number_of_edges()
    summary = f"{kind}: {proj.number_of_nodes()} persons, {ties} {'tie' if ties == 1 else 'ties'}"
    top = ", ".join(f"{label} {degree}" for _, label, degree, _ in top_by_degree(proj, 5))
    if out is not None:
        click.echo(f"{summary}; most ties: {top}")
        for path in written:
            click.echo(str(path))
        return
    if fmt == "table":
        click.echo(f"{summary}; most ties: {top}")
    click.echo(format_result(Result(list(EDGE_COLUMNS), edge_rows(proj)), fmt, width=width), nl=False)


def _records(graph: Path, extraction: Path | None) -> list | None:
    """extraction.json or .jsonl (given, or beside the graph) as a list of document records; None when absent or unreadable."""
    from kg.graph.extraction_file import beside, records_or_none

    return records_or_none(extraction or beside(graph))


@click.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--store", "store_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Directory of the persistent Oxigraph store (made or updated).")
@click.option("--full", is_flag=True, help="Load the whole graph again even where only some of its parts changed.")
def load(source: Path, store_dir: Path, full: bool) -> None:
    """Load a build (OUT: its graph.nq, else graph.nt or graph.ttl) or a graph file into a persistent store.

    `kg query`, `kg serve` and `kg.api.load_graph` then open DIR in milliseconds
    instead of reading the graph again. Build with `--format nq` to keep each
    article's named graph in the store. Loading a rebuild's graph.nq (or
    graph.nt) into the same store replaces only the articles' graphs and the
    entities that changed (--full: the whole graph).
    """
    from kg.explore.store import StoreError, load as run_load

    try:
        info = run_load(source, store_dir, full=full)
    except StoreError as error:
        fail(str(error))
    how = "loaded" if info.updated_parts is None else f"updated ({info.updated_parts:,} parts of the graph replaced)"
    click.echo(f"{info.quads:,} quads from {info.source} ({info.format}) {how} in {info.seconds:.1f} s into {store_dir}")


COMMANDS = (query, serve, push, export, viz, timeline, projection, load)
