"""The HTTP front end of both servers (the SPARQL endpoint of ``kg.explore.serve`` and the site of ``kg.explore.site``).

It listens on 127.0.0.1 only, with a listen backlog of 1024 (the standard
library's 5 dropped concurrent clients), answers only requests addressed to
this machine by name (``LocalHandler``: a DNS-rebinding page gets ``403``),
and reads a request's body only when its ``Content-Length`` is a number no
larger than 1 MB (``request_body``: ``400``, ``411`` or ``413`` otherwise,
never a traceback). Each connection gets a read timeout.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from kg.explore.engines import HOST, Answer, ServeError

MAX_QUERY_BYTES = 1_000_000
BACKLOG = 1024
READ_TIMEOUT_S = 30.0  # a client that sends its request slower than this is dropped


class FrontEnd(ThreadingHTTPServer):
    request_queue_size = BACKLOG  # the standard library's 5 dropped 7 of 200 concurrent clients
    daemon_threads = True


class LocalHandler(BaseHTTPRequestHandler):
    """A request handler that answers only requests addressed to this machine by name.

    A page on another site can make the browser send requests to 127.0.0.1
    under a name it controls (DNS rebinding) and read the answers; such a
    request carries that name in its ``Host`` header. Only ``127.0.0.1``,
    ``localhost`` and ``[::1]`` (with any port) are answered, as Jupyter does;
    others get ``403`` before anything is read.
    """

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        host = self.headers.get("Host")
        if host is not None and host_name(host) not in LOCAL_NAMES:
            self.send_error(403, "this server answers only requests for 127.0.0.1 or localhost")
            return False
        return True


LOCAL_NAMES = frozenset({HOST, "localhost", "[::1]"})


def host_name(host: str) -> str:
    """The name part of a Host header value (``localhost:7878`` → ``localhost``, ``[::1]:80`` → ``[::1]``)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if ":" in host else host


def request_body(handler: BaseHTTPRequestHandler, reply: Callable[[Answer], None]) -> bytes | None:
    """The request's body, or None after answering what is wrong with its ``Content-Length``."""
    header = handler.headers.get("Content-Length")
    if header is None:
        reply(Answer.text(411, "a POST needs a Content-Length"))
        return None
    if not header.strip().isdigit():
        reply(Answer.text(400, f"bad Content-Length {header[:40]!r}"))
        return None
    length = int(header)
    if length > MAX_QUERY_BYTES:
        reply(Answer.text(413, f"query too large (over {MAX_QUERY_BYTES} bytes)"))
        return None
    try:
        body = handler.rfile.read(length)
    except (OSError, ValueError):
        return None  # the client was too slow (READ_TIMEOUT_S) or left
    if len(body) < length:
        reply(Answer.text(400, "the request body is shorter than its Content-Length"))
        return None
    return body


def listen(port: int, handler: type[BaseHTTPRequestHandler] = BaseHTTPRequestHandler) -> FrontEnd:
    """A server bound to 127.0.0.1:``port`` (0: any free port), or ServeError saying why not in one line."""
    if not isinstance(port, int) or not 0 <= port <= 65535:
        raise ServeError(f"port {port} is out of range (0-65535)")
    try:
        return FrontEnd((HOST, port), handler)
    except OverflowError:
        raise ServeError(f"port {port} is out of range (0-65535)") from None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise ServeError(f"cannot listen on {HOST}:{port}: the port is in use (another server?); choose another with --port") from None
        raise ServeError(f"cannot listen on {HOST}:{port}: {error.strerror or error}") from None
