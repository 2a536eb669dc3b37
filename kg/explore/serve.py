"""A read-only SPARQL 1.1 Protocol server for a graph file or a kg store, and pushing a graph to a Graph Store.

``start_server`` serves ``/query`` on 127.0.0.1 with one of two engines:

- ``oxigraph``: the Oxigraph server binary that the PyPI package ``oxigraph``
  installs (``oxigraph``, beside the Python executable). The graph is loaded
  into a temporary RocksDB directory with ``oxigraph load`` and served by
  ``oxigraph serve-read-only --timeout-s N``: a real per-query timeout; no
  result-size cap (Oxigraph has none). Works offline.
- ``python``: a small ``http.server`` over pyoxigraph, used when the binary is
  missing or asked for: the query runs in the request thread, results stop at
  ``max_rows`` (the response then says ``"truncated": true``) and a query that
  is still producing rows after ``timeout_s`` is answered 503.

Both answer GET ``?query=`` and POST (``application/sparql-query`` or a form)
with ``application/sparql-results+json`` (SELECT, ASK) or N-Triples
(CONSTRUCT, DESCRIBE), and refuse updates. Named graphs are queried as the
union default graph, so the same query works on graph.ttl and a TriG file.

``push`` sends a graph file to a SPARQL 1.1 Graph Store (HTTP PUT replaces, POST
adds; ``?default`` or ``?graph=IRI``) as N-Triples.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kg.explore.query import RDF_FORMATS, QueryError, load_store

HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_ROWS = 10_000
ENGINES = ("auto", "oxigraph", "python")
MAX_QUERY_BYTES = 1_000_000


class ServeError(Exception):
    """A graph, port or endpoint problem the user can fix; the message is one line."""


def oxigraph_binary() -> str | None:
    """The Oxigraph server binary: beside this Python (the venv's bin) or on PATH."""
    candidate = Path(sys.executable).with_name("oxigraph")
    return str(candidate) if candidate.is_file() else shutil.which("oxigraph")


def free_port(host: str = HOST) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def wait_until_listening(port: int, host: str = HOST, timeout_s: float = 30.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServeError(f"the server exited with code {process.returncode} before listening on {host}:{port}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise ServeError(f"no server listening on {host}:{port} after {timeout_s:g} s")


@dataclass
class Server:
    """A running server; ``stop()`` ends it and removes its temporary store."""

    url: str  # the SPARQL query endpoint
    engine: str
    process: subprocess.Popen | None = None
    http: ThreadingHTTPServer | None = None
    workdir: tempfile.TemporaryDirectory | None = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.http is not None:
            self.http.shutdown()
            self.http.server_close()
        if self.workdir is not None:
            self.workdir.cleanup()

    def wait(self) -> None:
        """Block until interrupted (Ctrl-C), then stop."""
        try:
            if self.process is not None:
                self.process.wait()
            else:
                while True:
                    time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()


def start_server(graph: Path | str, port: int = DEFAULT_PORT, engine: str = "auto", timeout_s: float = DEFAULT_TIMEOUT_S, max_rows: int = DEFAULT_MAX_ROWS) -> Server:
    """Serve ``graph`` read-only on 127.0.0.1:``port`` and return once it answers."""
    from kg.explore.store import is_store

    graph = Path(graph)
    stored = is_store(graph)  # a store made by `kg load`: served in place, nothing loaded
    if not stored and not graph.is_file():
        raise ServeError(f"{graph}: no such graph file or kg store")
    if not stored and graph.suffix.lower() not in RDF_FORMATS:
        raise ServeError(f"{graph}: unknown graph format; use one of {', '.join(RDF_FORMATS)}")
    if engine not in ENGINES:
        raise ServeError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    binary = oxigraph_binary()
    if engine == "oxigraph" and binary is None:
        raise ServeError("the oxigraph server binary is missing; `pip install oxigraph` or use --engine python")
    if engine in ("auto", "oxigraph") and binary is not None:
        return _start_oxigraph(binary, graph, port, timeout_s)
    return _start_python(graph, port, timeout_s, max_rows)


def _start_oxigraph(binary: str, graph: Path, port: int, timeout_s: float) -> Server:
    from kg.explore.store import is_store

    workdir = None
    if is_store(graph):
        location = graph
    else:
        workdir = tempfile.TemporaryDirectory(prefix="kg-serve-")
        location = Path(workdir.name) / "store"
        loaded = subprocess.run([binary, "load", "--location", str(location), "--file", str(graph)], capture_output=True, text=True)
        if loaded.returncode != 0:
            workdir.cleanup()
            raise ServeError(f"{graph}: oxigraph could not load it: {' '.join(loaded.stderr.split())[:300]}")
    command = [binary, "serve-read-only", "--location", str(location), "--bind", f"{HOST}:{port}", "--union-default-graph", "--timeout-s", str(max(1, int(timeout_s)))]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = Server(f"http://{HOST}:{port}/query", "oxigraph", process=process, workdir=workdir)
    try:
        wait_until_listening(port, process=process)
    except ServeError:
        server.stop()
        raise
    return server


# --------------------------------------------------------------------------- python engine


def _term_json(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    item = {"type": "literal", "value": term.value}
    if term.language:
        item["xml:lang"] = term.language
    elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        item["datatype"] = term.datatype.value
    return item


def answer(store: Any, query: str, timeout_s: float, max_rows: int) -> tuple[str, bytes]:
    """Content type and body for ``query`` on a pyoxigraph store (rows capped, time checked per row)."""
    import pyoxigraph as ox

    started = time.monotonic()
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return "application/sparql-results+json", json.dumps({"head": {}, "boolean": bool(result)}).encode()
    items, truncated = [], False
    for item in result:
        if time.monotonic() - started > timeout_s:
            raise TimeoutError(f"query ran past its {timeout_s:g} s time limit")
        if len(items) >= max_rows:
            truncated = True
            break
        items.append(item)
    if isinstance(result, ox.QueryTriples):
        return "application/n-triples", "".join(f"{t} .\n" for t in items).encode()
    variables = [v.value for v in result.variables]
    bindings = [{v.value: _term_json(s[v]) for v in result.variables if s[v] is not None} for s in items]
    body = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    if truncated:
        body["truncated"] = True
    return "application/sparql-results+json", json.dumps(body, ensure_ascii=False).encode("utf-8")


def _handler(store: Any, timeout_s: float, max_rows: int) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet: a notebook or test should not see access logs
            pass

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _run(self, query: str | None) -> None:
            if not query:
                return self._send(400, "text/plain", b"missing query parameter\n")
            try:
                content_type, body = answer(store, query, timeout_s, max_rows)
            except TimeoutError as error:
                return self._send(503, "text/plain", f"{error}\n".encode())
            except Exception as error:  # noqa: BLE001 - a bad query is the client's error
                return self._send(400, "text/plain", f"{' '.join(str(error).split())[:500]}\n".encode())
            self._send(200, content_type, body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            url = urllib.parse.urlsplit(self.path)
            if url.path != "/query":
                return self._send(404, "text/plain", b"the SPARQL endpoint is /query\n")
            self._run(urllib.parse.parse_qs(url.query).get("query", [None])[0])

        def do_POST(self) -> None:  # noqa: N802
            url = urllib.parse.urlsplit(self.path)
            if url.path != "/query":
                return self._send(403, "text/plain", b"read-only: updates and graph store writes are refused\n")
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_QUERY_BYTES:
                return self._send(413, "text/plain", b"query too large\n")
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if kind == "application/sparql-query":
                return self._run(body)
            if kind == "application/x-www-form-urlencoded":
                form = urllib.parse.parse_qs(body)
                if "update" in form:
                    return self._send(403, "text/plain", b"read-only: updates are refused\n")
                return self._run(form.get("query", [None])[0])
            self._send(415, "text/plain", b"use application/sparql-query or a form\n")

        def do_PUT(self) -> None:  # noqa: N802
            self._send(403, "text/plain", b"read-only\n")

        do_DELETE = do_PUT

    return Handler


def _start_python(graph: Path, port: int, timeout_s: float, max_rows: int) -> Server:
    try:
        store = load_store(graph, "oxigraph").store
    except QueryError as error:
        raise ServeError(str(error)) from None
    try:
        http = ThreadingHTTPServer((HOST, port), _handler(store, timeout_s, max_rows))
    except OSError as error:
        raise ServeError(f"cannot listen on {HOST}:{port}: {error.strerror or error}") from None
    http.daemon_threads = True
    threading.Thread(target=http.serve_forever, name="kg-serve", daemon=True).start()
    return Server(f"http://{HOST}:{port}/query", "python", http=http)


# --------------------------------------------------------------------------- push


def push(endpoint: str, graph: Path | str, graph_iri: str | None = None, replace: bool = True, timeout_s: float = 60.0) -> int:
    """Send ``graph`` to the Graph Store at ``endpoint`` (PUT when ``replace``, else POST); the triples sent."""
    from kg.explore.formats import ExportError, load_rdf

    if not endpoint.startswith(("http://", "https://")):
        raise ServeError(f"{endpoint}: the endpoint must be an http(s) URL")
    try:
        rdf = load_rdf(graph)
    except ExportError as error:
        raise ServeError(str(error)) from None
    body = rdf.serialize(format="nt", encoding="utf-8")
    target = urllib.parse.urlsplit(endpoint)
    query = urllib.parse.urlencode({"graph": graph_iri}) if graph_iri else "default"
    url = urllib.parse.urlunsplit((target.scheme, target.netloc, target.path, f"{target.query}&{query}" if target.query else query, ""))
    request = urllib.request.Request(url, data=body, method="PUT" if replace else "POST", headers={"Content-Type": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise ServeError(f"{endpoint}: the graph store answered {error.code} {error.reason}") from None
    except (urllib.error.URLError, OSError) as error:
        raise ServeError(f"{endpoint}: cannot reach the graph store ({getattr(error, 'reason', error)})") from None
    return len(rdf)
