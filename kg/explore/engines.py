"""The query engines behind ``kg serve``, and what they share with its front end.

Two engines evaluate queries away from the front end's threads
(``kg.explore.serve``): ``PythonEngine``, a pool of worker processes over
pyoxigraph, and ``OxigraphEngine``, the Oxigraph server binary on a private
loopback port (started again if it dies). Both answer with a capped, timed
body (``results_body``).
"""

from __future__ import annotations

import ctypes
import http.client
import json
import multiprocessing
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
UPSTREAM_CONNECTIONS = 16  # queries forwarded to the Oxigraph binary at once; the others wait their turn
JSON_RESULTS = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


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


def die_with_parent() -> None:
    """Linux: this process gets SIGKILL when its parent dies (a killed ``kg serve`` leaves no engine behind).

    The kernel ties this to the parent *thread*: use it only for children
    started from the main thread, whose end is the process's.
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def watch_parent() -> None:
    """End this process when its parent is gone (checked every second, in a daemon thread)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="kg-watch-parent", daemon=True).start()


# --------------------------------------------------------------------------- answers


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def text(cls, status: int, message: str) -> "Answer":
        return cls(status, "text/plain; charset=utf-8", (" ".join(message.split())[:500] + "\n").encode("utf-8"))


def _term_json(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {k: _term_json(getattr(term, k)) for k in ("subject", "predicate", "object")}}  # type: ignore[dict-item]
    item = {"type": "literal", "value": term.value}
    if term.language:
        item["xml:lang"] = term.language
    elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        item["datatype"] = term.datatype.value
    return item


def results_body(result: Any, deadline: float, max_rows: int, timeout_s: float) -> tuple[str, bytes]:
    """Content type and body of a pyoxigraph result (solutions, triples or a boolean): rows capped, time checked per row."""
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return JSON_RESULTS, json.dumps({"head": {}, "boolean": bool(result)}).encode()
    items, truncated = [], False
    for item in result:
        if time.monotonic() > deadline:
            raise TimeoutError(f"query ran past its {timeout_s:g} s time limit")
        if len(items) >= max_rows:
            truncated = True
            break
        items.append(item)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        bindings = [{v.value: _term_json(s[v]) for v in result.variables if s[v] is not None} for s in items]
        body: dict[str, Any] = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        if truncated:
            body["truncated"] = True
        return JSON_RESULTS, json.dumps(body, ensure_ascii=False).encode("utf-8")
    # N-Triples has comments: a cut graph says so on its first line, as a cut SELECT says "truncated".
    note = f"# truncated: the first {max_rows} triples only (the server's --max-rows)\n" if truncated else ""
    return N_TRIPLES, (note + "".join(f"{t} .\n" for t in items)).encode("utf-8")


def answer(store: Any, query: str, timeout_s: float, max_rows: int) -> tuple[str, bytes]:
    """Content type and body for ``query`` on a pyoxigraph store (rows capped, time checked per row)."""
    deadline = time.monotonic() + timeout_s
    return results_body(store.query(query, use_default_graph_as_union=True), deadline, max_rows, timeout_s)


# --------------------------------------------------------------------------- engines


class Engine:
    """Evaluates checked queries away from the front end's threads; ``close()`` ends its processes."""

    name = ""

    def answer(self, query: str, timeout_s: float, max_rows: int) -> Answer:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def _worker_main(conn: Any, location: str, max_rows: int, timeout_s: float) -> None:
    """A python-engine worker: answers queries from its pipe until the pipe closes or the server is gone."""
    watch_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    import pyoxigraph as ox

    store = ox.Store.read_only(location)
    conn.send("ready")
    while True:
        try:
            query, timeout_s, max_rows = conn.recv()
        except (EOFError, OSError):
            return
        try:
            content_type, body = answer(store, query, timeout_s, max_rows)
            reply = Answer(200, content_type, body)
        except TimeoutError as error:
            reply = Answer.text(503, str(error))
        except Exception as error:  # noqa: BLE001 - a bad query is the client's error
            reply = Answer.text(400, str(error) or type(error).__name__)
        try:
            conn.send((reply.status, reply.content_type, reply.body))
        except (BrokenPipeError, OSError):
            return


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Any


class PythonEngine(Engine):
    """Worker processes over one read-only pyoxigraph store; a worker past the deadline is killed and replaced."""

    name = "python"

    def __init__(self, location: Path, workers: int, max_rows: int, timeout_s: float) -> None:
        self.location, self.max_rows, self.timeout_s = str(location), max_rows, timeout_s
        self.context = multiprocessing.get_context("spawn")
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.all: set[_Worker] = set()
        self.lock = threading.Lock()
        self.closed = False
        started = [self._spawn() for _ in range(max(1, workers))]
        for worker in started:
            self._ready(worker)

    def _spawn(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker_main, args=(child, self.location, self.max_rows, self.timeout_s), daemon=True, name="kg-serve-worker")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self.lock:
            self.all.add(worker)
        return worker

    def _ready(self, worker: _Worker) -> None:
        try:
            ready = worker.conn.poll(120) and worker.conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self._kill(worker)
            raise ServeError("a query worker could not open the store")
        self.idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        self._kill(worker)
        if self.closed:
            return

        def start() -> None:
            try:
                self._ready(self._spawn())
            except (ServeError, OSError, EOFError):
                pass

        threading.Thread(target=start, daemon=True).start()

    def _kill(self, worker: _Worker) -> None:
        with self.lock:
            self.all.discard(worker)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()

    def answer(self, query: str, timeout_s: float, max_rows: int) -> Answer:
        deadline = time.monotonic() + timeout_s
        try:
            worker = self.idle.get(timeout=timeout_s)
        except queue.Empty:
            return Answer.text(503, f"every query worker stayed busy for the {timeout_s:g} s time limit; try again")
        try:
            worker.conn.send((query, max(0.1, deadline - time.monotonic()), max_rows))
            if worker.conn.poll(max(0.0, deadline - time.monotonic()) + 1.0):  # the worker's own check answers first
                status, content_type, body = worker.conn.recv()
                self.idle.put(worker)
                return Answer(status, content_type, body)
        except (EOFError, OSError):
            self._replace(worker)
            return Answer.text(500, "the query worker died; try again")
        self._replace(worker)  # still evaluating (a COUNT over a cartesian product): stop it
        return Answer.text(503, f"query ran past its {timeout_s:g} s time limit")

    def close(self) -> None:
        self.closed = True
        with self.lock:
            workers = list(self.all)
        for worker in workers:
            self._kill(worker)


class OxigraphEngine(Engine):
    """The ``oxigraph serve-read-only`` binary on a private loopback port; results read as they stream."""

    name = "oxigraph"

    def __init__(self, binary: str, location: Path, timeout_s: float) -> None:
        self.binary, self.location, self.timeout_s = binary, location, timeout_s
        self.slots = threading.BoundedSemaphore(UPSTREAM_CONNECTIONS)
        self.restarts = 0
        self.start()

    def start(self) -> None:
        self.port = free_port()
        command = [self.binary, "serve-read-only", "--location", str(self.location), "--bind", f"{HOST}:{self.port}", "--union-default-graph", "--timeout-s", str(max(1, int(self.timeout_s + 0.999)))]
        main_thread = threading.current_thread() is threading.main_thread()
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=die_with_parent if main_thread and sys.platform.startswith("linux") else None)
        try:
            wait_until_listening(self.port, process=self.process)
        except ServeError:
            self.close()
            raise

    def restart(self, starting: Callable[[int], None] = lambda code: None) -> int | None:
        """Start the binary again after it died; its exit code (None while it runs: nothing to do).

        ``starting`` is told the exit code before the new binary is started:
        it may answer a query before ``start`` has seen it listen, and a stop
        asked for then would come before anything said after.
        """
        code = self.process.poll()
        if code is None:
            return None
        self.restarts += 1
        starting(code)
        self.start()
        return code

    def answer(self, query: str, timeout_s: float, max_rows: int) -> Answer:
        import pyoxigraph as ox

        deadline = time.monotonic() + timeout_s
        late = Answer.text(503, f"query ran past its {timeout_s:g} s time limit")
        if not self.slots.acquire(timeout=timeout_s):
            return late
        connection = http.client.HTTPConnection(HOST, self.port, timeout=max(0.1, timeout_s))
        try:
            connection.request("POST", "/query", body=query.encode("utf-8"), headers={"Content-Type": "application/sparql-query", "Accept": f"{JSON_RESULTS}, {N_TRIPLES}"})
            response = connection.getresponse()
            if response.status != 200:
                return Answer.text(response.status if response.status < 500 else 500, response.read(2000).decode("utf-8", "replace") or response.reason)
            kind = (response.getheader("Content-Type") or "").split(";")[0].strip()
            try:
                if kind == JSON_RESULTS:
                    result = ox.parse_query_results(response, ox.QueryResultsFormat.JSON)
                elif kind == N_TRIPLES:
                    result = ox.parse(response, ox.RdfFormat.N_TRIPLES)
                else:
                    return Answer.text(500, f"the engine answered {kind!r}")
                content_type, body = results_body(result, deadline, max_rows, timeout_s)
            except TimeoutError:
                return late
            except Exception as error:  # noqa: BLE001 - cut off by the engine's own timeout, or an error mid-stream
                if time.monotonic() > deadline - 0.5:
                    return late
                return Answer.text(500, f"the query failed while its results were read: {error}")
            return Answer(200, content_type, body)
        except (TimeoutError, socket.timeout):
            return late
        except OSError as error:
            return Answer.text(500 if self.process.poll() is None else 503, f"the query engine cannot be reached ({error})")
        finally:
            connection.close()
            self.slots.release()

    def page(self, path: str) -> Answer:
        """The Oxigraph binary's own query page (YASGUI) at ``/``."""
        try:
            connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
            connection.request("GET", path)
            response = connection.getresponse()
            return Answer(response.status, response.getheader("Content-Type") or "text/html", response.read(5_000_000))
        except OSError as error:
            return Answer.text(503, f"the query engine cannot be reached ({error})")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
