"""One HTTP exchange with the center, bounded in time and size: what the client sends and reads over the wire.

``requests`` (and urllib3 beneath it) only knows per-operation timeouts: a connect timeout, and a read timeout that
starts again with every byte that arrives. A center (or a captive portal, or a broken proxy) that sends one byte
every few seconds holds such a request for ever, and an answer of hundreds of megabytes is read whole. Here every
exchange has one deadline for everything (connecting, sending, the head and the whole body) and every answer a
size limit:

- a watchdog timer shuts the exchange's socket down when the deadline passes, which ends any read or write that
  is blocked on it, whatever phase it is in; the connection classes of the session's pools tell the watchdog which
  socket the exchange is using (a kept-alive one or a new one);
- the body is streamed and the reading stops as soon as it passes the limit (a ``Content-Length`` over the limit
  is refused before anything is read).

Name resolution (DNS) is not interruptible and stays outside the deadline; it is bounded by the system's resolver.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import PoolManager

from kiosk.protocol.signing import ALGORITHMS, SECRET_BYTES

_CHUNK = 64 * 1024
_current = threading.local()  # the watch of the exchange running on this thread


class DeadlinePassed(Exception):
    """The exchange did not finish within its deadline (the socket was shut down)."""


class TooLarge(Exception):
    """The answer's body is over the limit; nothing more of it was read."""


class _Watch:
    """Shuts the exchange's socket down once the deadline passes; the socket is attached as it becomes known."""

    def __init__(self, deadline_s: float) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._done = False
        self.expired = False
        self._timer = threading.Timer(max(0.0, deadline_s), self._expire)
        self._timer.daemon = True
        self._timer.name = "center-deadline"

    def start(self) -> None:
        self._timer.start()

    def attach(self, sock: Any) -> None:
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sock = sock
            expired = self.expired and not self._done
        if expired:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            sock = self._sock
        if sock is not None:
            _shut(sock)

    def finish(self) -> bool:
        """Stop the watchdog; True when the deadline had passed."""
        with self._lock:
            self._done = True
            expired = self.expired
        self._timer.cancel()
        return expired


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for a TLS socket (whose own shutdown() would tear down its TLS state under
    # the thread that is reading): the blocked read returns, and the connection is discarded.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _attach_current(sock: Any) -> None:
    watch: _Watch | None = getattr(_current, "watch", None)
    if watch is not None and sock is not None:
        watch.attach(sock)


class _WatchedHTTPConnection(HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _attach_current(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach_current(self.sock)  # a kept-alive connection: its socket exists already
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _attach_current(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach_current(self.sock)
        super().request(*args, **kwargs)


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


def _watch_pools(manager: PoolManager) -> None:
    # Only the plain pools are replaced; a SOCKS proxy keeps its own (its exchanges then rely on socket timeouts).
    pools = manager.pool_classes_by_scheme
    if pools.get("http") is HTTPConnectionPool and pools.get("https") is HTTPSConnectionPool:
        manager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class DeadlineAdapter(HTTPAdapter):
    """An adapter whose connections report their sockets to the exchange's watchdog."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _watch_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        _watch_pools(manager)
        return manager


def server_address(
    base_url: str, *, server: str, plain_http_ok: Callable[[str], bool], https_needed: str
) -> tuple[str, str]:
    """``(scheme://host[:port], path prefix)`` of a server's URL as an operator gave it; ValueError saying what
    is wrong otherwise. ``server`` names it in the message ("center", "hall"); plain http is refused unless
    ``plain_http_ok(host)``, with ``https_needed`` saying why."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"the {server} URL {base_url!r} must be http(s)://host[:port][/path]")
    if parts.scheme == "http" and not plain_http_ok(parts.hostname):
        raise ValueError(f"the {server} URL {base_url!r} is plain http to {https_needed}")
    if parts.query or parts.fragment:
        raise ValueError(f"the {server} URL {base_url!r} must not have a query or fragment")
    return f"{parts.scheme}://{parts.netloc}", parts.path.rstrip("/")


def signing_problem(algorithm: str, secret: bytes, timeout: tuple[float, float]) -> str | None:
    """What is wrong with a terminal's signing algorithm, secret or timeouts, or None."""
    if algorithm not in ALGORITHMS:
        return f"unknown signing algorithm {algorithm!r}"
    if len(secret) != SECRET_BYTES:
        return f"a terminal secret is {SECRET_BYTES} bytes"
    if not all(0 < t < 3600 for t in timeout):
        return f"timeouts are seconds between 0 and 3600, not {timeout!r}"
    return None


def bounded_session(session: requests.Session | None = None) -> requests.Session:
    """``session`` (or a new one) with the deadline adapter mounted for http and https."""
    session = session or requests.Session()
    adapter = DeadlineAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


@dataclass(frozen=True, slots=True)
class Reply:
    """An answer read whole (within its limit): status, the headers that matter, the body."""

    status: int
    reason: str
    headers: CaseInsensitiveDict[str]
    body: bytes


def exchange(
    session: requests.Session,
    method: str,
    url: str,
    *,
    body: bytes | None,
    headers: dict[str, str],
    connect_s: float,
    deadline_s: float,
    max_bytes: int,
    error_max_bytes: int,
) -> Reply:
    """Send one request and read its answer within ``deadline_s`` seconds in all, ``max_bytes`` of body at most
    (``error_max_bytes`` for an answer that is not 2xx; a redirect's body is not read).

    Raises ``requests.RequestException`` (the network failed), :class:`DeadlinePassed` or :class:`TooLarge`."""
    watch = _Watch(deadline_s)
    previous = getattr(_current, "watch", None)
    _current.watch = watch
    watch.start()
    response: requests.Response | None = None
    try:
        try:
            response = session.request(
                method,
                url,
                data=body,
                headers=headers,
                timeout=(min(connect_s, deadline_s), deadline_s),
                allow_redirects=False,
                stream=True,
            )
            status = response.status_code
            limit = max_bytes if 200 <= status < 300 else error_max_bytes
            data = b"" if 300 <= status < 400 else _read(response, limit)
        except (requests.RequestException, OSError) as exc:
            # A socket's own timeout firing just before the watch (they share the deadline) is the same event.
            if watch.finish() or isinstance(exc, requests.Timeout):
                raise DeadlinePassed from None
            raise
        if watch.finish():  # the last bytes may have been the shutdown's end of stream
            raise DeadlinePassed
        return Reply(status, response.reason or "", CaseInsensitiveDict(response.headers), data)
    finally:
        watch.finish()
        _current.watch = previous
        if response is not None:
            response.close()


def _read(response: requests.Response, limit: int) -> bytes:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limit:
        raise TooLarge(f"announced {int(length)} bytes")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
