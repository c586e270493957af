"""A real reference center for tests: uvicorn on 127.0.0.1 in a thread, its own database in tmp_path.

``from tests.center_support import center_server`` makes the fixture available to a test module. The server can be
stopped and started again on the same port and database (outage tests); ``KioskAuth`` signs ``requests`` calls as
a terminal would. ``CenterProcess`` runs ``kiosk center serve`` as a process of its own instead, as operators
run it.

Both take their database as a :class:`CenterDb` (or a SQLite path): the ``center_db`` fixture (tests/conftest.py)
gives one on the run's backend, SQLite by default, a fresh database of a throwaway PostgreSQL cluster with
``--center-db=postgresql`` (scripts/test.sh runs the center's files so a second time). A center test joins the
PostgreSQL pass by building its store, server or CLI arguments from ``center_db``: ``center_db.store()``,
``CenterServer(center_db)``, ``CenterProcess(center_db)``, ``[..., *center_db.args]`` instead of
``Store(tmp_path / "center.db")`` and ``"--db", path``; module-scoped fixtures call :func:`new_center_db`.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import uvicorn

from kiosk.center import rate_limits
from kiosk.center.publish import publish_document
from kiosk.center.server import make_server
from kiosk.center.store import Store
from kiosk.protocol import (
    HMAC_SHA256,
    HMAC_SM3,
    FeedEntry,
    secret_from_hex,
    secret_to_hex,
    signed_headers,
)
from kiosk.serving import bind

_STARTUP_TIMEOUT_S = 15.0
_DATABASES = itertools.count(1)


@dataclass(frozen=True)
class CenterDb:
    """A center's database for a test: ``target`` (a SQLite path, or a PostgreSQL URL) and its key file (None:
    beside the SQLite file). ``db_path`` is where the SQLite file is, or would be: the center's other files (key
    file, command key, uploads) sit beside it on both backends."""

    target: str
    key_path: Path | None
    db_path: Path

    @property
    def backend(self) -> str:
        return "postgresql" if self.target.startswith("postgresql://") else "sqlite"

    @property
    def args(self) -> list[str]:
        """``--db`` (and ``--key-file``) for a ``kiosk center`` command."""
        return ["--db", self.target, *(["--key-file", str(self.key_path)] if self.key_path else [])]

    def store(self, **kwargs: Any) -> Store:
        return Store(self.target, key_path=self.key_path, **kwargs)


def sqlite_center_db(db_path: Path) -> CenterDb:
    return CenterDb(str(db_path), None, db_path)


def new_center_db(request: pytest.FixtureRequest, folder: Path) -> CenterDb:
    """A new database on the run's backend (``--center-db``), its files in ``folder``; a PostgreSQL one is
    dropped when the requesting fixture or test ends."""
    db_path = folder / "center.db"
    if request.config.getoption("--center-db") != "postgresql":
        return sqlite_center_db(db_path)
    cluster = request.getfixturevalue("pg_cluster")
    name = f"center_{next(_DATABASES)}"
    url = cluster.create_database(name)
    request.addfinalizer(lambda: cluster.drop_database(name))
    return CenterDb(url, folder / "center.key", db_path)


def as_center_db(db: CenterDb | Path) -> CenterDb:
    return db if isinstance(db, CenterDb) else sqlite_center_db(db)


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

    def __init__(self, db: CenterDb | Path) -> None:
        self.db = as_center_db(db)
        self.db_path = self.db.db_path
        self.port = 0
        self._admin = self.db.store()
        # The tests' terminals sync far more often than real ones: no rate limit gets in their way.
        rate_limits.set_limit(self._admin, rate_limits.MAX_PER_MINUTE)
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
        store = self.db.store()
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

    def publish_unchecked(self, kind: str, entries: list[dict[str, Any]]) -> None:
        """Publish entries straight into the center's store, past the checks of ``kiosk center publish`` (only
        each entry's envelope is read), as a center without them would: how a test puts an item the terminals
        refuse into a feed."""
        self._admin.publish(kind, [FeedEntry.model_validate(entry) for entry in entries])

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
def center_server(center_db: CenterDb) -> Iterator[CenterServer]:
    """A running center on 127.0.0.1:<free port> with its own database (``center_db``); stopped afterwards."""
    server = CenterServer(center_db)
    try:
        server.start()
        yield server
    finally:
        server.close()


class CenterProcess:
    """``kiosk center serve`` in a process of its own on 127.0.0.1:<free port> on its database ``db``;
    terminals are added with ``kiosk center terminal add`` (another process on the same database)."""

    def __init__(self, db: CenterDb | Path, *extra: str) -> None:
        self.db = as_center_db(db)
        self.db_path = self.db.db_path
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "center", "serve", *self.db.args, "--port", "0", *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=self.env,
        )
        try:
            self.url = self._wait_ready()
        except BaseException:
            self.close()
            raise

    def _wait_ready(self) -> str:
        assert self.process.stdout is not None
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"the center exited: {self.process.wait(10)}")
            match = re.search(r"serving (http://127\.0\.0\.1:\d+)", line)
            if match:
                break
        self.banner = line  # "kiosk center: serving ... (database ..., log ..., command key ...)"
        url = match.group(1)
        deadline = time.monotonic() + _STARTUP_TIMEOUT_S
        while True:
            try:
                requests.get(url + "/openapi.json", timeout=2)
                return url
            except requests.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the center did not start") from None
                time.sleep(0.05)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def add_terminal(self, name: str = "test") -> tuple[str, str]:
        """(terminal_id, secret as 64 hex), registered by the operator's command."""
        added = subprocess.run(
            [
                sys.executable,
                "-m",
                "kiosk",
                "center",
                "terminal",
                "add",
                name,
                "--json",
                *self.db.args,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            env=self.env,
        )
        assert added.returncode == 0, added.stderr
        terminal = json.loads(added.stdout)
        return terminal["terminal_id"], terminal["secret"]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process.stdout is not None:
            self.process.stdout.close()


# -- hostile JSON, for fuzzing the center ----------------------------------------------------------------------

# What the network may put where a JSON value belongs: each is refused by the strict parser (but the pair).
HOSTILE_JSON = [
    b'"\\ud800"',
    b'"\\udfff\\ud800"',
    b'"a\\u0000b"',
    b"1e999",
    b"-1e999",
    b"NaN",
    b"Infinity",
    b"18446744073709551616",
    b"[" * 40 + b"]" * 40,
    b'{"a": 1, "a": 2}',
    b'"\\ud83d\\ude00"',  # a proper pair: fine
]


def spoil_json(value: Any, slot: int, hostile: bytes) -> bytes:
    """``value`` as JSON with one of its scalars, or one of its keys, replaced by ``hostile`` (a key only by a
    hostile string: anything else there would just not be JSON)."""
    originals: list[tuple[bool, str]] = []  # (is a key, its JSON text)

    def placeholder(is_key: bool, original: Any) -> str:
        originals.append((is_key, json.dumps(original)))
        return f"@@{len(originals) - 1}@@"

    def mark(node: Any) -> Any:
        if isinstance(node, dict):
            return {placeholder(True, k): mark(v) for k, v in node.items()}
        if isinstance(node, list):
            return [mark(v) for v in node]
        return placeholder(False, node)

    text = json.dumps(mark(value))
    if not originals:
        return hostile
    target = slot % len(originals)
    for index, (is_key, original) in enumerate(originals):
        spoiled = index == target and (not is_key or hostile.startswith(b'"'))
        text = text.replace(f'"@@{index}@@"', hostile.decode("utf-8") if spoiled else original, 1)
    return text.encode("utf-8")
