"""A read-only SPARQL 1.1 Protocol server for a graph file, and pushing a graph to a Graph Store.

``start_server`` serves ``/query`` on 127.0.0.1. One front end, a small
``http.server``, takes every request and checks it; one of two engines
(``kg.explore.engines``) evaluates the query in another process, so that a query past its time is
stopped by the front end whatever the engine is doing:

- ``oxigraph``: the Oxigraph server binary that the PyPI package ``oxigraph``
  installs (beside the Python executable). The graph is loaded into a
  temporary RocksDB directory with ``oxigraph load`` and served by ``oxigraph
  serve-read-only --timeout-s N`` on a private loopback port; the front end
  forwards each query and reads the results as they stream.
- ``python``: a pool of worker processes over pyoxigraph, each opening the same
  temporary store read-only; used when the binary is missing or asked for. A
  worker still busy at the deadline is killed and replaced.

The front end (``kg.explore.front_end``, shared with the site) enforces, for
both engines:

- a time limit (``--timeout``): a query past it is answered ``503`` (never a
  ``200`` with cut-off JSON: results are collected before the status is sent);
- a row cap (``--max-rows``): results stop there and the response says
  ``"truncated": true`` (a CONSTRUCT or DESCRIBE graph: a first comment line);
- only requests addressed to this machine by name (``Host`` 127.0.0.1,
  localhost or [::1]; ``LocalHandler``): a DNS-rebinding page gets ``403``;
- no outbound requests: a query with a ``SERVICE`` clause (federated query) is
  refused with ``403`` unless the server was started with ``allow_service``
  (``kg serve --allow-service``); both engines would otherwise fetch any URL;
- bad requests answered, never a traceback: a ``Content-Length`` that is not a
  number (``400``), missing on a POST (``411``) or over 1 MB (``413``);
- a listen backlog of 1024 (the standard library's 5 dropped concurrent
  clients) and a read timeout on each connection.

Both engines answer GET ``?query=`` and POST (``application/sparql-query`` or a
form) with ``application/sparql-results+json`` (SELECT, ASK) or N-Triples
(CONSTRUCT, DESCRIBE), and refuse updates. Named graphs are queried as the
union default graph, so the same query works on graph.ttl and a TriG file.

``Server.wait()`` serves until Ctrl-C, SIGTERM or SIGHUP and then stops the
engine's processes and removes the temporary store; the engine's processes
also end when the server is killed (workers watch their parent; the binary gets
``PR_SET_PDEATHSIG`` on Linux when started from the main thread).

``push`` sends a graph file to a SPARQL 1.1 Graph Store (HTTP PUT replaces, POST
adds; ``?default`` or ``?graph=IRI``) as N-Triples.
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kg.explore.engines import (  # noqa: F401 - ServeError, Answer and the engines are part of this module's interface
    HOST, JSON_RESULTS, N_TRIPLES, Answer, Engine, OxigraphEngine, PythonEngine, ServeError, die_with_parent, free_port,
    oxigraph_binary, results_body, wait_until_listening, watch_parent,
)
from kg.explore.front_end import READ_TIMEOUT_S, LocalHandler, listen, request_body
from kg.explore.negotiation import negotiate
from kg.explore.query import RDF_FORMATS
from kg.signals import interrupted_by_signals  # noqa: F401 - part of this module's interface
from kg.explore.query_checks import MAX_NESTING, Unreadable, federated, federated_checked, nesting_depth  # noqa: F401 - federated: part of this module's interface

DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_ROWS = 10_000
ENGINES = ("auto", "oxigraph", "python")
YASGUI_PATHS = ("/", "/yasgui.min.js", "/yasgui.min.css", "/logo.svg")  # the Oxigraph binary's query page
# /sparql is where Oxigraph's own page and many clients send queries: the same read-only endpoint.
QUERY_PATHS = ("/query", "/sparql")


def refusal(query: str, allow_service: bool) -> Answer | None:
    """Why the endpoint will not run ``query`` (nested past any use, or federated), or None."""
    if nesting_depth(query) > MAX_NESTING:
        return Answer.text(400, f"query refused: its groups are nested more than {MAX_NESTING} deep")
    if allow_service:
        return None
    # Only a query the checker can read is run: where its grammar and an engine's differ,
    # the engine could find a SERVICE the checker did not (no way out, not a best guess).
    try:
        remote = federated_checked(query)
    except Unreadable as error:
        return Answer.text(400, f"the query cannot be read ({error}); it was not run")
    if remote:
        return Answer.text(403, "federated queries (SERVICE) are refused: this endpoint makes no requests to other servers; start it with --allow-service to allow them")
    return None


@dataclass
class Server:
    """A running server; ``stop()`` ends it, its engine's processes and its temporary store."""

    url: str  # the SPARQL query endpoint
    engine: str
    http: ThreadingHTTPServer | None = None
    backend: Engine | None = None
    workdir: tempfile.TemporaryDirectory | None = None
    stopped: bool = field(default=False, repr=False)

    @property
    def process(self) -> subprocess.Popen | None:
        """The Oxigraph binary's process (oxigraph engine)."""
        return getattr(self.backend, "process", None)

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        if self.http is not None:
            self.http.shutdown()
            self.http.server_close()
        if self.backend is not None:
            self.backend.close()
        if self.workdir is not None:
            self.workdir.cleanup()

    def wait(self) -> None:
        """Serve until Ctrl-C, SIGTERM or SIGHUP, then stop and clean up."""
        with interrupted_by_signals():
            try:
                while not self.stopped:
                    restart = getattr(self.backend, "restart", None)
                    if restart is not None:
                        try:
                            restart(say_restarting)
                        except ServeError as error:
                            raise ServeError(f"the query engine stopped and could not be started again: {error}") from None
                    time.sleep(0.5)
            except KeyboardInterrupt:
                pass
            finally:
                self.stop()


def say_restarting(code: int) -> None:
    print(f"kg serve: the query engine stopped (exit code {code}); starting it again", file=sys.stderr, flush=True)


def _handler(backend: Engine, timeout_s: float, max_rows: int, allow_service: bool) -> type[BaseHTTPRequestHandler]:
    class Handler(LocalHandler):
        timeout = READ_TIMEOUT_S  # seconds a client may take to send its request

        def log_message(self, *args: Any) -> None:  # quiet: a notebook or test should not see access logs
            pass

        def _send(self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client left

        def _reply(self, reply: Answer) -> None:
            self._send(reply.status, reply.content_type, reply.body, reply.headers)

        def _run(self, query: str | None) -> None:
            if not query:
                return self._reply(Answer.text(400, "missing query parameter"))
            refused = refusal(query, allow_service)
            if refused is not None:
                return self._reply(refused)
            self._reply(negotiate(backend.answer(query, timeout_s, max_rows), self.headers.get("Accept")))

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            url = urllib.parse.urlsplit(self.path)
            if url.path in YASGUI_PATHS and isinstance(backend, OxigraphEngine):
                return self._reply(backend.page(url.path))
            if url.path not in QUERY_PATHS:
                return self._reply(Answer.text(404, "the SPARQL endpoint is /query"))
            try:
                params = urllib.parse.parse_qs(url.query, max_num_fields=100)
            except ValueError as error:
                return self._reply(Answer.text(400, f"bad query string: {error}"))
            self._run(params.get("query", [None])[0])

        def _body(self) -> bytes | None:
            return request_body(self, self._reply)

        def do_POST(self) -> None:  # noqa: N802
            url = urllib.parse.urlsplit(self.path)
            if url.path not in QUERY_PATHS:
                return self._reply(Answer.text(403, "read-only: updates and graph store writes are refused"))
            raw = self._body()
            if raw is None:
                return
            body = raw.decode("utf-8", errors="replace")
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if kind == "application/sparql-query":
                return self._run(body)
            if kind == "application/x-www-form-urlencoded":
                try:
                    form = urllib.parse.parse_qs(body, max_num_fields=100)
                except ValueError as error:
                    return self._reply(Answer.text(400, f"bad form: {error}"))
                if "update" in form:
                    return self._reply(Answer.text(403, "read-only: updates are refused"))
                return self._run(form.get("query", [None])[0])
            self._reply(Answer.text(415, "use application/sparql-query or a form"))

        def do_PUT(self) -> None:  # noqa: N802
            self._reply(Answer.text(403, "read-only"))

        do_DELETE = do_PUT
        do_PATCH = do_PUT

    return Handler


def _load(binary: str | None, graph: Path, location: Path) -> None:
    """Load ``graph`` into a RocksDB store at ``location`` (with the binary when there is one)."""
    if binary is not None:
        loaded = subprocess.run([binary, "load", "--location", str(location), "--file", str(graph)], capture_output=True, text=True)
        if loaded.returncode != 0:
            raise ServeError(f"{graph}: oxigraph could not load it: {' '.join(loaded.stderr.split())[:300]}")
        return
    import pyoxigraph as ox

    _, fmt, _ = RDF_FORMATS[graph.suffix.lower()]
    store = ox.Store(str(location))
    try:
        store.bulk_load(path=str(graph), format=getattr(ox.RdfFormat, fmt))
        store.flush()
    except Exception as error:  # noqa: BLE001 - any parser error is one line
        raise ServeError(f"{graph}: cannot parse as {fmt.lower()}: {' '.join(str(error).split())[:300]}") from None
    finally:
        del store
        gc.collect()  # close the store before the workers open it read-only


WORKDIR_PREFIX = "kg-serve-"
OWNER_FILE = "owner.pid"


def remove_orphaned_workdirs() -> list[Path]:
    """Remove the temporary stores of servers that were killed (``kill -9``) before they could clean up.

    Each server's folder names its process; a folder whose process is gone is
    removed. A folder without that name (another program's) is left alone.
    """
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(WORKDIR_PREFIX + "*"):
        try:
            pid = int((folder / OWNER_FILE).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            continue
        if pid == os.getpid() or process_alive(pid):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists, someone else's
    return True


def start_server(
    graph: Path | str,
    port: int = DEFAULT_PORT,
    engine: str = "auto",
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_rows: int = DEFAULT_MAX_ROWS,
    allow_service: bool = False,
    workers: int = 2,
) -> Server:
    """Serve ``graph`` (a graph file, or a store made by ``kg load``) read-only on 127.0.0.1:``port``."""
    from kg.explore.store import is_store

    graph = Path(graph)
    stored = is_store(graph)  # a store made by `kg load`: served in place, nothing loaded
    if not stored and not graph.is_file():
        raise ServeError(f"{graph}: no such graph file or kg store")
    if not stored and graph.suffix.lower() not in RDF_FORMATS:
        raise ServeError(f"{graph}: unknown graph format; use one of {', '.join(RDF_FORMATS)}")
    if engine not in ENGINES:
        raise ServeError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if not timeout_s > 0:
        raise ServeError(f"timeout {timeout_s} must be more than 0 seconds")
    if max_rows < 0:
        raise ServeError(f"max rows {max_rows} must be 0 or more")
    binary = oxigraph_binary()
    if engine == "oxigraph" and binary is None:
        raise ServeError("the oxigraph server binary is missing; `pip install oxigraph` or use --engine python")
    use_binary = engine in ("auto", "oxigraph") and binary is not None
    http = listen(port)  # the public port first: a port in use is an error before anything is loaded
    remove_orphaned_workdirs()
    workdir = tempfile.TemporaryDirectory(prefix=WORKDIR_PREFIX)
    (Path(workdir.name) / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
    server = Server(f"http://{HOST}:{http.server_address[1]}/query", "oxigraph" if use_binary else "python", http=http, workdir=workdir)
    try:
        if stored:
            location = graph
        else:
            location = Path(workdir.name) / "store"
            _load(binary if use_binary else None, graph, location)
        if use_binary:
            assert binary is not None
            server.backend = OxigraphEngine(binary, location, timeout_s)
        else:
            server.backend = PythonEngine(location, workers, max_rows, timeout_s)
        http.RequestHandlerClass = _handler(server.backend, timeout_s, max_rows, allow_service)
        threading.Thread(target=http.serve_forever, name="kg-serve", daemon=True).start()
    except BaseException:
        server.http = None
        http.server_close()
        server.stop()
        raise
    return server


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
