"""A fault-injecting HTTP proxy on 127.0.0.1 between a terminal and the reference center.

A village line fails in particular ways: the connection drops before the center saw the request, or after the
center stored the records but before the terminal heard the answer; answers come late or never; a gateway on the
way answers 5xx or its own HTML error page; a body arrives cut short or garbled; the connection is reset in the
middle of a body. And whatever answers may be hostile: trickled a byte at a time, hundreds of megabytes long,
nested hundreds of thousands deep, or carrying a server time of NaN. The proxy reproduces each of these on
purpose, per request (a planned sequence), for every request, or at random with a seeded RNG, so a test can show
the terminal survives them and converges afterwards.

It understands HTTP/1.1 enough to keep the terminal's connections alive (the client reuses them, as on a real
line) and forwards each request on a fresh upstream connection with ``http.client``. Everything it starts (the
accept loop, one thread per client connection, the sockets) is closed and joined by :meth:`FaultProxy.stop`.

``from tests.fault_proxy import fault_proxy`` makes the fixture available (it needs ``center_server``).
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import random
import socket
import socketserver
import struct
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

import pytest

log = logging.getLogger(__name__)

FAULT_KINDS = (
    "pass",  # forward and answer unchanged
    "drop_before",  # close the connection without forwarding: the center never saw the request
    "drop_after",  # forward, then close without answering: the center acted, the terminal never heard
    "delay",  # wait delay_s, then forward and answer
    "delay_answer",  # forward at once, wait delay_s, then answer (the center acted; the answer is late)
    "status",  # answer `status` (500/502/503) without forwarding, as a failing gateway does
    "truncate",  # forward; answer the first half of the body, framed as if it were all of it
    "malformed",  # forward; answer 200 application/json whose body is not JSON
    "html",  # forward; answer `status` (default 200) with a text/html error page, as a captive portal does
    "cut",  # forward; send the head and half the body, then close the connection in order (FIN)
    "reset",  # forward; send the head and half the body, then reset the connection (TCP RST)
    "trickle",  # forward; send the answer (head and body) one byte every delay_s
    "header",  # forward; answer with the header `name` set to `value` (X-Kiosk-Server-Time: nan)
    "huge",  # answer 200 application/json with `size` bytes of a never-ending feed page, without forwarding
    "deep",  # answer 200 application/json with a JSON value nested `size` levels deep, without forwarding
)
SERVER_TIME = "X-Kiosk-Server-Time"

# Headers that belong to one connection, not to the request or answer (RFC 9110 §7.6.1), and the framing the
# proxy recomputes itself.
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
    }
)
_HTML_PAGE = (
    b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>502 Bad Gateway</title></head>"
    b"<body><h1>502 Bad Gateway</h1><p>\xe7\xbd\x91\xe7\xbb\x9c\xe5\xbc\x82\xe5\xb8\xb8</p>"
    b"<hr><center>nginx</center></body></html>"
)
_MALFORMED_JSON = b'{"results": [{"idempotency_key": "T-0:01J", "status": 201,, ]'
_ERROR_BODIES = {
    500: ("application/json", b'{"error": "internal"}'),
    502: ("text/html; charset=utf-8", _HTML_PAGE),
    503: ("text/plain; charset=utf-8", b"503 Service Temporarily Unavailable"),
}


@dataclass(frozen=True, slots=True)
class Fault:
    """What to do with one request: ``kind`` (one of FAULT_KINDS), with its ``status`` or ``delay_s``."""

    kind: str = "pass"
    status: int = 0  # for "status" (default 503) and "html" (default 200)
    delay_s: float = 0.0  # for "delay", "delay_answer" and "trickle" (between two bytes)
    size: int = 0  # for "huge" (bytes; the header announces none) and "deep" (levels)
    name: str = SERVER_TIME  # for "header"
    value: str = ""  # for "header"

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; one of {', '.join(FAULT_KINDS)}")
        if self.delay_s < 0 or self.size < 0:
            raise ValueError("delay_s and size must not be negative")

    def __str__(self) -> str:
        extra = f" {self.status}" if self.status else ""
        extra += f" {self.delay_s:g}s" if self.delay_s else ""
        extra += f" {self.size}" if self.size else ""
        extra += f" {self.name}: {self.value}" if self.kind == "header" else ""
        return self.kind + extra


PASS = Fault()
FaultLike = Fault | str


def as_fault(value: FaultLike) -> Fault:
    return value if isinstance(value, Fault) else Fault(value)


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request as the proxy handled it (for a test to check that a fault really happened)."""

    method: str
    path: str  # without the query
    fault: Fault
    forwarded: bool  # the center received the request
    upstream_status: int | None  # what the center answered, when it was asked
    complete: bool  # the client was sent a complete answer (unless it had left already)
    query: str = ""  # the query string as sent, without the "?"


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    stream: Iterable[bytes] | None = None  # a body too large to hold: sent as it comes, closed at its end


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """Handler threads are not daemons and are joined by ``server_close`` (nothing outlives ``stop``)."""

    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True

    def __init__(self, proxy: FaultProxy) -> None:
        self.proxy = proxy
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the terminal's session expects
    timeout = 30.0  # a silent client cannot hold a thread for ever (stop() also cuts it short)
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.proxy._opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.proxy._closed(self.connection)

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (OSError, ValueError):  # the client left, or the connection was reset on purpose
            self.close_connection = True

    def _proxy(self) -> None:
        self.server.proxy._handle(self)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _proxy

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("fault proxy: " + format, *args)


class FaultProxy:
    """An HTTP proxy on 127.0.0.1:<free port> in front of ``upstream_url`` that injects faults on demand.

    Behaviour (each call replaces the previous one; ``only`` limits it to matching requests, the others pass):

    - ``set(fault)``: every request gets ``fault``;
    - ``plan([f1, f2, ...])``: the next requests get f1, f2, ... in turn, then pass through;
    - ``randomly({fault: weight, ...})``: each request draws a fault with the proxy's seeded RNG;
    - ``passthrough()``: no more faults.

    ``only`` is ``"METHOD /path-prefix"`` or ``"/path-prefix"`` (the query is not part of the match).
    """

    def __init__(self, upstream_url: str, *, seed: int = 0, upstream_timeout_s: float = 15.0) -> None:
        parts = urlsplit(upstream_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError("the fault proxy forwards to a plain http:// upstream on this machine")
        self.upstream = (parts.hostname, parts.port or 80)
        self.upstream_timeout_s = upstream_timeout_s
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._standing: Fault = PASS
        self._queue: deque[Fault] = deque()
        self._weights: tuple[tuple[Fault, ...], tuple[float, ...]] | None = None
        self._only: tuple[str | None, str] | None = None
        self._exchanges: list[Exchange] = []
        self._connections: set[socket.socket] = set()
        self.accepted = 0  # client connections accepted so far (keep-alive reuses them)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- life -------------------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        if self._server is not None:
            return self
        self._stopping.clear()
        server = _Server(self)
        self.port = server.server_address[1]
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fault-proxy", daemon=True
        )
        thread.start()
        self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        """Stop accepting, cut every open connection and pending delay, and join every thread."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._stopping.set()
        server.shutdown()
        thread.join()
        with self._lock:
            open_connections = list(self._connections)
        for conn in open_connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.server_close()  # joins the handler threads
        self._server = self._thread = None

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- behaviour --------------------------------------------------------------------------------------------

    def set(self, fault: FaultLike, *, only: str | None = None) -> None:
        with self._lock:
            self._reset(only)
            self._standing = as_fault(fault)

    def plan(self, faults: Iterable[FaultLike], *, only: str | None = None) -> None:
        with self._lock:
            self._reset(only)
            self._queue.extend(as_fault(f) for f in faults)

    def randomly(
        self,
        weights: Mapping[FaultLike, float] | Sequence[tuple[FaultLike, float]],
        *,
        only: str | None = None,
        seed: int | None = None,
    ) -> None:
        pairs = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
        if not pairs or any(w < 0 for _, w in pairs) or sum(w for _, w in pairs) <= 0:
            raise ValueError("randomly() needs at least one fault with a positive weight")
        with self._lock:
            self._reset(only)
            if seed is not None:
                self._rng.seed(seed)
            self._weights = (tuple(as_fault(f) for f, _ in pairs), tuple(float(w) for _, w in pairs))

    def passthrough(self) -> None:
        with self._lock:
            self._reset(None)

    def _reset(self, only: str | None) -> None:
        self._standing = PASS
        self._queue.clear()
        self._weights = None
        self._only = _parse_only(only)

    @property
    def exchanges(self) -> list[Exchange]:
        with self._lock:
            return list(self._exchanges)

    def faults_applied(self) -> list[Exchange]:
        """The exchanges where a fault (anything but pass) was applied."""
        return [e for e in self.exchanges if e.fault.kind != "pass"]

    def _choose(self, method: str, path: str) -> Fault:
        with self._lock:
            if self._only is not None:
                want_method, prefix = self._only
                if (want_method and method != want_method) or not path.startswith(prefix):
                    return PASS
            if self._queue:
                return self._queue.popleft()
            if self._weights is not None:
                faults, weights = self._weights
                return self._rng.choices(faults, weights)[0]
            return self._standing

    # -- connections ------------------------------------------------------------------------------------------

    def _opened(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.add(conn)
            self.accepted += 1
        if self._stopping.is_set():  # accepted while stop() was cutting the others: cut this one too
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def _closed(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.discard(conn)

    def _note(self, exchange: Exchange) -> None:
        with self._lock:
            self._exchanges.append(exchange)

    # -- one request ------------------------------------------------------------------------------------------

    def _handle(self, handler: _Handler) -> None:
        method, target = handler.command, handler.path
        path = target.split("?", 1)[0]
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length > 0 else b""
        fault = self._choose(method, path)
        answer, forwarded, upstream_status = self._outcome(
            fault, method, target, handler.headers.items(), body
        )
        partial = fault.kind in ("cut", "reset")
        complete = answer is not None and not partial and answer.stream is None
        # Noted before the client hears anything: a test that has its answer always finds the exchange.
        query = target.split("?", 1)[1] if "?" in target else ""
        self._note(Exchange(method, path, fault, forwarded, upstream_status, complete, query))
        if not complete:
            handler.close_connection = True
        if answer is None:
            return  # the connection closes without an answer
        try:
            if partial:
                self._write(handler, answer, send=len(answer.body) // 2)
                if fault.kind == "reset":
                    _send_rst(handler)
            elif answer.stream is not None:
                self._write_stream(handler, answer)
            elif fault.kind == "trickle":
                self._trickle(handler, answer, fault.delay_s)
            else:
                self._write(handler, answer)
        except OSError:  # the client gave up (its read timeout) or went away
            handler.close_connection = True
            log.debug("fault proxy: %s %s: the client left", method, path)

    def _outcome(
        self, fault: Fault, method: str, target: str, headers: Iterable[tuple[str, str]], body: bytes
    ) -> tuple[_Answer | None, bool, int | None]:
        """(the answer to send or None to send nothing, whether the center got the request, its status)."""
        kind = fault.kind
        if kind == "drop_before":
            return None, False, None
        if kind == "status":
            status = fault.status or 503
            content_type, error_body = _ERROR_BODIES.get(status, _ERROR_BODIES[503])
            return _Answer(status, "", (("Content-Type", content_type),), error_body), False, None
        if kind == "delay" and self._stopping.wait(fault.delay_s):
            return None, False, None
        if kind == "huge":
            return (
                _Answer(200, "OK", (("Content-Type", "application/json"),), b"", _huge_page(fault.size)),
                False,
                None,
            )
        if kind == "deep":
            levels = fault.size or 200_000
            body = b"[" * levels + b"]" * levels
            return _Answer(200, "OK", (("Content-Type", "application/json"),), body), False, None
        answer = self._forward(method, target, headers, body)
        if answer is None:  # as a real gateway answers when the center is down
            return _Answer(502, "", (("Content-Type", "text/plain"),), b"upstream unreachable"), False, None
        if kind == "drop_after" or (kind == "delay_answer" and self._stopping.wait(fault.delay_s)):
            return None, True, answer.status
        if kind == "truncate":
            cut = answer.body[: len(answer.body) // 2]
            return _Answer(answer.status, answer.reason, answer.headers, cut), True, answer.status
        if kind == "malformed":
            headers_out = _with_type(answer.headers, "application/json")
            return _Answer(200, "OK", headers_out, _MALFORMED_JSON), True, answer.status
        if kind == "html":
            headers_out = _with_type(answer.headers, "text/html; charset=utf-8")
            return _Answer(fault.status or 200, "", headers_out, _HTML_PAGE), True, answer.status
        if kind == "header":
            kept = tuple((k, v) for k, v in answer.headers if k.lower() != fault.name.lower())
            headers_out = (*kept, (fault.name, fault.value))
            return _Answer(answer.status, answer.reason, headers_out, answer.body), True, answer.status
        return answer, True, answer.status

    def _forward(
        self, method: str, target: str, headers: Iterable[tuple[str, str]], body: bytes
    ) -> _Answer | None:
        conn = http.client.HTTPConnection(*self.upstream, timeout=self.upstream_timeout_s)
        try:
            conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                if name.lower() not in _HOP_BY_HOP:
                    conn.putheader(name, value)
            conn.putheader("Connection", "close")
            if body or method in ("POST", "PUT", "PATCH"):
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body or None)
            response = conn.getresponse()
            data = response.read()
            kept = tuple((k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP)
            return _Answer(response.status, response.reason, kept, data)
        except (OSError, http.client.HTTPException) as exc:
            log.debug("fault proxy: upstream %s %s failed: %s", method, target, exc)
            return None
        finally:
            conn.close()

    def _trickle(self, handler: _Handler, answer: _Answer, delay_s: float) -> None:
        """The whole answer, head included, one byte every ``delay_s`` (until the client leaves or stop())."""
        for byte in _head(answer) + answer.body:
            if self._stopping.wait(delay_s):
                return
            handler.wfile.write(bytes((byte,)))
            handler.wfile.flush()

    @staticmethod
    def _write_stream(handler: _Handler, answer: _Answer) -> None:
        """A head without a length, then the stream until it ends (or the client leaves), then close."""
        handler.close_connection = True
        handler.wfile.write(_head(answer, framed=False))
        for chunk in answer.stream or ():
            handler.wfile.write(chunk)

    @staticmethod
    def _write(handler: _Handler, answer: _Answer, *, send: int | None = None) -> None:
        """The answer framed with the full body's length; only ``send`` bytes of the body when given."""
        payload = answer.body if send is None else answer.body[:send]
        handler.wfile.write(_head(answer) + payload)


def _head(answer: _Answer, *, framed: bool = True) -> bytes:
    """The status line and headers: with the body's ``Content-Length``, or unframed (the answer ends when the
    connection closes)."""
    reason = answer.reason or http.client.responses.get(answer.status, "")
    lines = [f"HTTP/1.1 {answer.status} {reason}"]
    lines += [f"{name}: {value}" for name, value in answer.headers]
    if framed:
        lines.append(f"Content-Length: {len(answer.body)}")
    else:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _huge_page(size: int) -> Iterator[bytes]:
    """``size`` bytes (default 300 MB) of a feed page whose entries never end, made as they are sent."""
    size = size or 300 * 1024 * 1024
    entry = b'{"key":"k","version":1,"deleted":false,"data":{"value":"' + b"x" * 4000 + b'"}},'
    chunk = entry * 64
    yield b'{"kind":"settings","entries":['
    sent = 0
    while sent < size:
        yield chunk
        sent += len(chunk)


def _with_type(headers: tuple[tuple[str, str], ...], content_type: str) -> tuple[tuple[str, str], ...]:
    return (*((k, v) for k, v in headers if k.lower() != "content-type"), ("Content-Type", content_type))


def _send_rst(handler: _Handler) -> None:
    """Close with SO_LINGER 0, so the peer gets a TCP RST instead of an orderly end of stream."""
    handler.close_connection = True
    handler.rfile.close()  # drop the reader's reference, so close() below really closes the socket
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()


def _parse_only(only: str | None) -> tuple[str | None, str] | None:
    if only is None:
        return None
    method, _, prefix = only.strip().rpartition(" ")
    if not prefix.startswith("/"):
        raise ValueError(f"only= is 'METHOD /path-prefix' or '/path-prefix', not {only!r}")
    return (method.upper() or None), prefix


@pytest.fixture
def fault_proxy(center_server: Any) -> Iterator[FaultProxy]:
    """A fault proxy in front of the test's center (seed 0); stopped and joined afterwards."""
    with FaultProxy(center_server.url) as proxy:
        yield proxy
