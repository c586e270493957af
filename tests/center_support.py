"""A real reference center for tests: uvicorn on 127.0.0.1 in a thread, its own database in tmp_path.

``from tests.center_support import center_server`` makes the fixture available to a test module. The server can be
stopped and started again on the same port and database (outage tests); ``KioskAuth`` signs ``requests`` calls as
a terminal would.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import uvicorn

from kiosk.center.publish import publish_document
from kiosk.center.server import bind, make_server
from kiosk.center.store import Store
from kiosk.protocol import HMAC_SHA256, HMAC_SM3, secret_from_hex, secret_to_hex, signed_headers

_STARTUP_TIMEOUT_S = 15.0


class KioskAuth(requests.auth.AuthBase):
    """Signs each prepared request over its exact path, query and body bytes (docs/protocol.md)."""

    def __init__(
        self,
        terminal_id: str,
        secret_hex: str,
        algorithm: str = HMAC_SHA256,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.terminal_id = terminal_id
        self.secret = secret_from_hex(secret_hex)
        self.algorithm = algorithm
        self.clock = clock

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        url = urlsplit(request.url or "")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        request.headers.update(
            signed_headers(
                self.terminal_id,
                self.secret,
                self.algorithm,
                request.method or "GET",
                url.path,
                url.query,
                body,
                now=self.clock(),
            )
        )
        return request


class CenterServer:
    """One center: ``url``, ``db_path`` and the operator's actions, which work whether it is running or not."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.port = 0
        self._admin = Store(db_path)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._store: Store | None = None
        self._sock: socket.socket | None = None
        self._algorithms: dict[str, str] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        """Serve (again) on the same port and database; returns once it accepts connections."""
        if self._thread is not None:
            return
        sock = bind("127.0.0.1", self.port)
        self.port = sock.getsockname()[1]
        store = Store(self.db_path)
        server = make_server(store, log_level="warning", access_log=False)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="center", daemon=True)
        thread.start()
        deadline = time.monotonic() + _STARTUP_TIMEOUT_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                server.should_exit = True
                thread.join(5)
                sock.close()
                store.close()
                raise RuntimeError("the center did not start")
            time.sleep(0.01)
        self._server, self._thread, self._store, self._sock = server, thread, store, sock

    def stop(self) -> None:
        """Stop serving (connections are refused until ``start``); the database stays."""
        if self._thread is None or self._server is None:
            return
        self._server.should_exit = True
        self._thread.join(15)
        if self._store is not None:
            self._store.close()
        if self._sock is not None:
            self._sock.close()
        self._server = self._thread = self._store = self._sock = None

    def close(self) -> None:
        self.stop()
        self._admin.close()

    def add_terminal(self, name: str = "test", *, sm3: bool = False) -> tuple[str, str]:
        """Register a terminal; (terminal_id, secret as 64 hex)."""
        terminal = self._admin.add_terminal(name, HMAC_SM3 if sm3 else HMAC_SHA256)
        self._algorithms[terminal.terminal_id] = terminal.algorithm
        return terminal.terminal_id, secret_to_hex(terminal.secret)

    def set_enabled(self, terminal_id: str, enabled: bool) -> None:
        self._admin.set_enabled(terminal_id, enabled)

    def auth(self, terminal_id: str, secret_hex: str, **kwargs: Any) -> KioskAuth:
        """A ``requests`` auth that signs as this terminal with its algorithm."""
        algorithm = self._algorithms.get(terminal_id, HMAC_SHA256)
        return KioskAuth(terminal_id, secret_hex, algorithm, **kwargs)

    def publish(self, kind: str, entries: list[dict[str, Any]]) -> None:
        """Publish entries ``{"key", "version", "deleted", "data"}`` to a feed (validated as the CLI does)."""
        publish_document(self._admin, kind, {"entries": entries})

    def publish_catalog(self, document: dict[str, Any]) -> None:
        """Publish a ``kiosk-catalog/1`` document to the catalog feed."""
        publish_document(self._admin, "catalog", document)

    def records(self, kind: str | None = None) -> list[dict[str, Any]]:
        """What terminals delivered: idempotency_key, kind, body, terminal_id, record_id, created_at, received_at."""
        return self._admin.records(kind)

    def enrolled_settings(self, data_dir: Path, **overrides: Any) -> Any:
        """The settings of a new terminal of this center, enrolled (its secret in the data directory's
        keystore), as the UI tests run it: windowed, silent speech engine."""
        from kiosk.config import load_settings
        from kiosk.store.keystore import Keystore

        terminal_id, secret_hex = self.add_terminal("village")
        settings = load_settings(
            data_dir=data_dir,
            environ={},
            overrides={
                "terminal_id": terminal_id,
                "center_url": self.url,
                "fullscreen": False,
                "voice_engine": "mock",
                **overrides,
            },
        )
        Keystore.for_data_dir(settings.data_dir).store_secret(secret_from_hex(secret_hex))
        return settings

    def terminals(self) -> list[dict[str, Any]]:
        """Every terminal (no secret) with ``last_heartbeat`` (the body) and ``last_heartbeat_at``."""
        return [terminal.summary() for terminal in self._admin.terminals()]


@pytest.fixture
def center_server(tmp_path: Path) -> Iterator[CenterServer]:
    """A running center on 127.0.0.1:<free port> with its own database in tmp_path; stopped afterwards."""
    server = CenterServer(tmp_path / "center.db")
    try:
        server.start()
        yield server
    finally:
        server.close()
