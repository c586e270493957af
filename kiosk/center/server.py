"""Running the center: a uvicorn server on a socket bound beforehand, so the caller knows the port (even 0).

The socket is bound with SO_REUSEADDR, so a center stopped and started again (an outage drill) gets the same port
back at once.
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import uvicorn

from kiosk.center.app import create_app
from kiosk.center.store import Store


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket on ``host:port`` (port 0: any free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted connections inherit this: without it a keep-alive response written in two parts waits for
        # the client's delayed ACK (about 40 ms a request).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def make_server(store: Store, *, log_level: str = "info", access_log: bool = True) -> uvicorn.Server:
    """A uvicorn server for ``store`` that logs through the root logger (the caller configures logging)."""
    config = uvicorn.Config(
        create_app(store),
        log_config=None,
        log_level=log_level,
        access_log=access_log,
        server_header=False,
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(config)


def serve(db_path: Path, sock: socket.socket, *, log_level: str = "info") -> None:
    """Serve until interrupted (Ctrl+C / SIGTERM), then close the database."""
    store = Store(db_path)
    try:
        make_server(store, log_level=log_level).run(sockets=[sock])
    finally:
        store.close()
