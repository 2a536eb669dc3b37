"""What ``kg serve`` puts on one address: the SPARQL endpoint, its query page, entity pages and the graph page.

``start_site`` starts the SPARQL server of ``kg.explore.serve`` (either
engine) on a free local port, and in front of it, on the port the user asked
for, a small HTTP server that

- answers ``/entity/<id>`` (``kg.explore.pages.entity_page``), ``/entities``
  (the index, ``?q=`` to search) and ``/graph`` (the interactive page, its
  tooltips linking to the entity pages; ``?focus=ID&hops=N`` for an ego view)
  from the graph loaded in pyoxigraph (and ``extraction.json`` beside the
  graph, or given, for the article files and why mentions were merged);
- answers ``/`` with the query page (``kg.explore.query_page``: YASGUI set up
  for ``/query`` with the project's prefixes and canned queries as tabs, or a
  plain form with the python engine);
- passes every other request (``/query``, ``/sparql``, YASGUI's script and
  style) unchanged to the SPARQL server, so its read-only refusal, time limit
  and row cap apply as before.

``Site.wait()`` waits as the SPARQL server's own ``wait()`` does (until
Ctrl-C, SIGTERM or SIGHUP), then stops both. The front is as hardened as the
SPARQL server's own: the port is bound first (a port in use or out of range is
a ``ServeError``), a deep listen backlog, a read timeout, ``Content-Length``
checked.
"""

from __future__ import annotations

import html
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kg.explore.entities import entity_index, find_entity, profile
from kg.explore.pages import entity_page, index_page, message_page
from kg.explore.query import QueryError, load_store
from kg.explore.query_page import query_page
from kg.explore.front_end import READ_TIMEOUT_S, LocalHandler, listen, request_body
from kg.explore.serve import HOST, Server, ServeError, free_port, start_server
from kg.graph.extraction_file import beside as extraction_beside

ENTITY_BASE = "/entity/"
DOC_BASE = "/doc/"
PROXIED_HEADERS = ("Content-Type", "Accept", "Accept-Encoding")
PASSED_BACK_HEADERS = ("X-Truncated",)


def checked_records(source: Path) -> list[dict[str, Any]]:
    """The document records of an extraction file (``.json`` or ``.jsonl``), read as a stream, else ValueError saying where it is not one."""
    from kg.graph.extraction_file import RecordError, read_records

    try:
        return list(read_records(source))
    except RecordError as error:
        raise ValueError(str(error)) from None


class Pages:
    """The graph as the pages need it: a pyoxigraph store, extraction.json records, the entity graph (lazily)."""

    def __init__(self, graph: Path, extraction: Path | None = None, source: Path | None = None, articles: Path | None = None) -> None:
        self.graph = Path(graph)
        self.articles = articles
        try:
            self.store = load_store(self.graph, "oxigraph")
        except QueryError as error:
            raise ServeError(str(error)) from None
        self.source = source or self.graph  # the graph file (a store names the one it was loaded from)
        given = extraction is not None
        extraction = extraction or extraction_beside(self.source)
        self.records: list[dict[str, Any]] | None = None
        if extraction.is_file():
            try:
                self.records = checked_records(extraction)
            except (OSError, ValueError) as error:
                if given:  # the file the user named must be right; one found beside the graph is only a help
                    raise ServeError(f"{extraction}: not a build's extraction.json ({error})") from None
                self.records = None
        self._networkx: Any = None
        self._texts: list[tuple[str, str]] | None = None
        self._whole_page: str | None = None
        self._lock = threading.Lock()

    def networkx(self) -> Any:
        from kg.explore.formats import load_networkx

        with self._lock:
            if self._networkx is None:
                self._networkx = load_networkx(self.source)
            return self._networkx

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, str] | None:
        """(status, HTML) for the pages' own paths; None for a path the SPARQL server answers."""
        if path.startswith(ENTITY_BASE):
            name = urllib.parse.unquote(path[len(ENTITY_BASE):])
            try:
                ref = find_entity(self.store, name)
            except KeyError as error:
                return 404, message_page("No such entity", str(error.args[0]), ENTITY_BASE)
            return 200, entity_page(profile(self.store, ref, self.records), ENTITY_BASE)  # an id, a label or part of one
        if path in ("/entities", "/entities/"):
            wanted = query.get("q", [""])[0]
            page = index_page([ref for ref, _ in entity_index(self.store)], wanted, ENTITY_BASE)
            return 200, page.replace("</body>", self.article_hits(wanted) + "</body>", 1) if wanted.strip() else page
        if path in ("/graph", "/graph/"):
            return self.graph_page(query)
        if path.startswith(DOC_BASE):
            return self.document(urllib.parse.unquote(path[len(DOC_BASE):]))
        return None

    def article_texts(self) -> list[tuple[str, str]]:
        """(doc, folded text) of every article: its file's text, else its evidence sentences; read once."""
        from kg.explore.document_page import article_text
        from kg.text import fold_label

        with self._lock:
            if self._texts is None:
                texts = []
                for record in self.records or []:
                    text, _ = article_text(record, self.articles)
                    if text is None:
                        text = " ".join(e.get("text", "") for r in record.get("relations", []) for e in r.get("evidence", []))
                    texts.append((str(record.get("doc", "")), fold_label(text)))
                self._texts = texts
            return self._texts

    def article_hits(self, wanted: str, shown: int = 50) -> str:
        """The articles whose text holds ``wanted`` (any case, any diacritics), linked to their pages."""
        from kg.explore.document_page import document_url
        from kg.text import fold_label

        if self.records is None:
            return ""
        needle = fold_label(wanted)
        hits = [doc for doc, text in self.article_texts() if needle and needle in text]
        items = "".join(f'<li><a href="{html.escape(document_url(doc))}">{html.escape(doc)}</a></li>' for doc in hits[:shown])
        more = f"<p>… and {len(hits) - shown} more</p>" if len(hits) > shown else ""
        return f'<h2>Articles ({len(hits)})</h2>' + (f"<ul>{items}</ul>{more}" if hits else "<p>No article text holds it.</p>")

    def document(self, doc_id: str) -> tuple[int, str]:
        from kg.explore.document_page import document_page, find_record

        if self.records is None:
            return 404, message_page("No articles", "The article pages need the build's extraction.json (beside the graph, or kg serve --extraction FILE).", ENTITY_BASE)
        record = find_record(self.records, doc_id)
        if record is None:
            return 404, message_page("No such article", f"no article {doc_id!r} in the build", ENTITY_BASE)
        return 200, document_page(record, self.articles, ENTITY_BASE)

    def graph_page(self, query: dict[str, list[str]]) -> tuple[int, str]:
        from kg.graph.network import ego
        from kg.graph.viz import render_html

        nxg, title = self.networkx(), "Knowledge graph"
        focus = query.get("focus", [""])[0]
        if focus:
            try:
                hops = max(0, min(6, int(query.get("hops", ["2"])[0])))
            except ValueError:
                hops = 2
            try:
                nxg = ego(nxg, focus, hops)
            except KeyError as error:
                return 404, message_page("No such entity", str(error.args[0]), ENTITY_BASE)
            title = f"{nxg.nodes[focus]['label'] if focus in nxg else focus} ({hops} hops)"
            return 200, render_html(nxg, title, entity_base=ENTITY_BASE, min_degree=0)
        with self._lock:  # the whole graph's page does not change while serving: drawn (measures and all) once
            if self._whole_page is None:
                self._whole_page = render_html(nxg, title, entity_base=ENTITY_BASE, min_degree=1)
            return 200, self._whole_page


def _handler(pages: Pages, backend: str, engine: str, timeout_s: float) -> type[BaseHTTPRequestHandler]:
    class Handler(LocalHandler):
        timeout = READ_TIMEOUT_S  # seconds a client may take to send its request

        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
            except OSError:
                pass  # the client left

        def _proxy(self, body: bytes | None) -> None:
            request = urllib.request.Request(backend + self.path, data=body, method=self.command)
            for name in PROXIED_HEADERS:
                if self.headers.get(name) and name != "Accept-Encoding":
                    request.add_header(name, self.headers[name])
            try:
                with urllib.request.urlopen(request, timeout=timeout_s + 15) as response:
                    passed = {name: response.headers[name] for name in PASSED_BACK_HEADERS if response.headers.get(name)}
                    self._send(response.status, response.headers.get("Content-Type", "application/octet-stream"), response.read(), passed)
            except urllib.error.HTTPError as error:
                self._send(error.code, error.headers.get("Content-Type", "text/plain"), error.read())
            except (urllib.error.URLError, OSError) as error:
                self._send(502, "text/plain", f"the SPARQL server did not answer: {getattr(error, 'reason', error)}\n".encode())

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            url = urllib.parse.urlsplit(self.path)
            try:
                answered = pages.answer(url.path, urllib.parse.parse_qs(url.query))
            except QueryError as error:
                answered = (500, message_page("Query failed", str(error)))
            if answered is not None:
                return self._send(answered[0], "text/html; charset=utf-8", answered[1].encode("utf-8"))
            if url.path in ("/", "/index.html"):
                return self._send(200, "text/html; charset=utf-8", query_page(engine).encode("utf-8"))
            self._proxy(None)

        do_HEAD = do_GET

        def do_POST(self) -> None:  # noqa: N802
            body = request_body(self, lambda answer: self._send(answer.status, answer.content_type, answer.body))
            if body is not None:
                self._proxy(body)

        do_PUT = do_POST
        do_DELETE = do_POST

    return Handler


@dataclass
class Site:
    """The front server and the SPARQL server behind it."""

    url: str  # the front, e.g. http://127.0.0.1:7878
    sparql: Server
    http: ThreadingHTTPServer

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()
        self.sparql.stop()

    def wait(self) -> None:
        """Block until the SPARQL server's wait ends (Ctrl-C, SIGTERM, SIGHUP), then stop the front too."""
        try:
            self.sparql.wait()
        finally:
            self.http.shutdown()
            self.http.server_close()
            self.sparql.stop()


def start_site(
    graph: Path | str,
    port: int,
    engine: str = "auto",
    timeout_s: float = 30.0,
    max_rows: int = 10_000,
    extraction: Path | None = None,
    allow_service: bool = False,
    articles: Path | None = None,
) -> Site:
    """Serve ``graph`` on 127.0.0.1:``port``: SPARQL (proxied), its query page, entity pages, the graph page."""
    from kg.explore.store import info, is_store

    graph = Path(graph)
    stored = is_store(graph)  # a store made by `kg load`: queried in place; pages read the build it came from
    if not stored and not graph.is_file():
        raise ServeError(f"{graph}: no such graph file or kg store")
    http = listen(port)  # first: a port in use or out of range is an error before anything starts
    try:
        sparql = start_server(graph, free_port(), engine, timeout_s, max_rows, allow_service=allow_service)
    except BaseException:
        http.server_close()
        raise
    try:
        pages = Pages(graph, extraction, Path(info(graph)["source"]) if stored else None, articles)
    except BaseException:
        http.server_close()
        sparql.stop()
        raise
    backend = sparql.url.rsplit("/query", 1)[0]
    http.RequestHandlerClass = _handler(pages, backend, sparql.engine, timeout_s)
    threading.Thread(target=http.serve_forever, name="kg-site", daemon=True).start()
    return Site(f"http://{HOST}:{http.server_address[1]}", sparql, http)
