"""Running the center: a uvicorn server on a socket bound beforehand (``kiosk.serving.bind``), so the caller knows
the port (even 0) and a center stopped and started again (an outage drill) gets the same port back at once.

With ``workers`` above 1, uvicorn's supervisor (``uvicorn.supervisors.Multiprocess``) starts that many worker
processes sharing the one listening socket: each worker opens its own store and builds its own application from
``worker_app`` (an import string, since workers are spawned, not forked), configured through the environment
variables below. Ctrl+C or SIGTERM stops every worker (each finishes what it is answering, for up to 2 s); a
worker that dies is replaced. Everything requests share across workers (nonces, rate limits, rollout state,
commands) is in the database; what a worker keeps in memory is read once at start and the same for all of them
(the command key, the store's keys and cursor key) or derived from the terminal id alone (ring hashes).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import socket
import sys
from pathlib import Path
from typing import Final

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.supervisors import Multiprocess

from kiosk.center.app import create_app
from kiosk.center.store import Store

# How the supervisor tells its workers what to serve (they are spawned: a fresh interpreter each).
ENV_DB: Final = "KIOSK_CENTER_WORKER_DB"
ENV_KEY_FILE: Final = "KIOSK_CENTER_WORKER_KEY_FILE"
ENV_UPDATES: Final = "KIOSK_CENTER_WORKER_UPDATES"
ENV_LOG_FILE: Final = "KIOSK_CENTER_WORKER_LOG_FILE"
ENV_LOG_LEVEL: Final = "KIOSK_CENTER_WORKER_LOG_LEVEL"
# Tests only: answers carry the answering worker's process id, to see that every worker serves.
ENV_WORKER_HEADER: Final = "KIOSK_CENTER_WORKER_HEADER"
WORKER_HEADER: Final = "X-Kiosk-Worker"

MAX_WORKERS: Final = 64


def make_server(
    store: Store, *, log_level: str = "info", access_log: bool = True, updates: Path | None = None
) -> uvicorn.Server:
    """A uvicorn server for ``store`` that logs through the root logger (the caller configures logging);
    ``updates``: an update repository to serve under /updates/."""
    return uvicorn.Server(_config(create_app(store, updates), log_level=log_level, access_log=access_log))


def _config(
    app: ASGIApp | str, *, log_level: str, access_log: bool, workers: int | None = None
) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        factory=isinstance(app, str),
        workers=workers,
        log_config=None,
        log_level=log_level,
        access_log=access_log,
        server_header=False,
        timeout_graceful_shutdown=2,
    )


def serve(
    db_path: Path | str,
    sock: socket.socket,
    *,
    log_level: str = "info",
    updates: Path | None = None,
    workers: int = 1,
    log_file: Path | None = None,
    key_path: Path | None = None,
) -> None:
    """Serve until interrupted (Ctrl+C / SIGTERM), then close the database. ``workers`` above 1: that many worker
    processes on ``sock``, each logging to ``log_file`` (the caller's own logging stays in this process)."""
    if workers <= 1:
        store = Store(db_path, key_path=key_path)
        try:
            make_server(store, log_level=log_level, updates=updates).run(sockets=[sock])
        finally:
            store.close()
        return
    os.environ[ENV_DB] = str(db_path)
    os.environ[ENV_LOG_LEVEL] = log_level
    for name, value in ((ENV_UPDATES, updates), (ENV_LOG_FILE, log_file), (ENV_KEY_FILE, key_path)):
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = str(value)
    config = _config(f"{__name__}:worker_app", log_level=log_level, access_log=True, workers=workers)
    Multiprocess(config, sockets=[sock]).run()


def worker_app() -> ASGIApp:
    """One worker's application (uvicorn calls this in each worker process): its own store, closed when the
    worker stops, and its own log handler on the shared log file."""
    _worker_logging(os.environ.get(ENV_LOG_FILE), os.environ.get(ENV_LOG_LEVEL, "info"))
    updates = os.environ.get(ENV_UPDATES)
    key_file = os.environ.get(ENV_KEY_FILE)
    store = Store(os.environ[ENV_DB], key_path=Path(key_file) if key_file else None)
    app: ASGIApp = _ClosesStore(create_app(store, Path(updates) if updates else None), store)
    if os.environ.get(ENV_WORKER_HEADER) == "1":
        app = _WorkerHeader(app)
    logging.getLogger(__name__).info("worker %d serving", os.getpid())
    return app


def _worker_logging(log_file: str | None, level: str) -> None:
    # Each line names its process. The supervisor's process rotates the file; a worker reopens it when it was
    # moved (WatchedFileHandler), so no two processes rotate the same file.
    formatter = logging.Formatter("%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s")
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file:
        handlers.append(logging.handlers.WatchedFileHandler(log_file, encoding="utf-8"))
    root = logging.getLogger()
    for handler in handlers:
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(level.upper())


class _ClosesStore:
    """Closes the worker's store once uvicorn's lifespan says the worker has stopped serving."""

    def __init__(self, app: ASGIApp, store: Store) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "lifespan.shutdown.complete":
                self.store.close()
            await send(message)

        await self.app(scope, receive, sending)


class _WorkerHeader:
    """Adds the worker's process id to every answer (tests only)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.pid = str(os.getpid()).encode("ascii")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((WORKER_HEADER.lower().encode("ascii"), self.pid))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)
