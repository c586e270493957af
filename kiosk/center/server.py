"""Running the center: a uvicorn server on a socket bound beforehand (``kiosk.serving.bind``), so the caller knows
the port (even 0) and a center stopped and started again (an outage drill) gets the same port back at once."""

from __future__ import annotations

import socket
from pathlib import Path

import uvicorn

from kiosk.center.app import create_app
from kiosk.center.store import Store


def make_server(
    store: Store, *, log_level: str = "info", access_log: bool = True, updates: Path | None = None
) -> uvicorn.Server:
    """A uvicorn server for ``store`` that logs through the root logger (the caller configures logging);
    ``updates``: an update repository to serve under /updates/."""
    config = uvicorn.Config(
        create_app(store, updates),
        log_config=None,
        log_level=log_level,
        access_log=access_log,
        server_header=False,
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(config)


def serve(
    db_path: Path, sock: socket.socket, *, log_level: str = "info", updates: Path | None = None
) -> None:
    """Serve until interrupted (Ctrl+C / SIGTERM), then close the database."""
    store = Store(db_path)
    try:
        make_server(store, log_level=log_level, updates=updates).run(sockets=[sock])
    finally:
        store.close()
