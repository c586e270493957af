"""The hall's queue service for tests: ``kiosk hall serve`` as a process of its own on 127.0.0.1 (a free port),
which a test can kill (SIGKILL) and start again on the same port and database; the hall's database opened beside
it as an operator's command would (to set it up and to look at it); and a TCP link that can be cut and restored,
for a display losing its network.

A test module's fixture ``yield from running_hall(tmp_path)``.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kiosk.hall import layout
from kiosk.hall.db import HallDb
from kiosk.hall.demo import set_up_demo
from kiosk.hall.hall import Hall
from kiosk.hall.terminals import add_terminal
from kiosk.hall_client import HallClient
from kiosk.protocol import HMAC_SHA256, secret_to_hex

_STARTUP_TIMEOUT_S = 20.0


class HallProcess:
    """``kiosk hall serve`` on 127.0.0.1, its database at ``db_path``, set up beforehand through ``admin``."""

    def __init__(self, db_path: Path, *, link_interval: float = 30.0) -> None:
        self.db_path = db_path
        self.port = 0
        self.link_interval = link_interval
        self.admin = Hall(HallDb(db_path))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
        self.env["KIOSK_DATA_DIR"] = str(db_path.parent / "hall-data")
        self.process: subprocess.Popen[str] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def demo(self) -> None:
        set_up_demo(self.admin.db)

    def add_service(self, code: str, prefix: str, name: str, **kwargs: Any) -> None:
        layout.add_service(self.admin.db, code, prefix, name, **kwargs)

    def add_terminal(self, name: str = "test") -> tuple[str, str]:
        terminal = add_terminal(self.admin.db, name, HMAC_SHA256)
        return terminal.terminal_id, secret_to_hex(terminal.secret)

    def client(self, name: str = "test", **kwargs: Any) -> HallClient:
        """A client of a new terminal of this hall."""
        terminal_id, secret_hex = self.add_terminal(name)
        return HallClient(self.url, terminal_id, bytes.fromhex(secret_hex), HMAC_SHA256, **kwargs)

    def start(self) -> None:
        """Serve (again) on the same port and database; returns once it answers."""
        assert self.process is None or self.process.poll() is not None
        log = (self.db_path.parent / f"hall-{self.starts}.err").open("w")
        self.starts += 1
        args = [
            sys.executable,
            "-m",
            "kiosk",
            "hall",
            "serve",
            "--db",
            str(self.db_path),
            "--port",
            str(self.port),
        ]
        args += ["--log-level", "warning", "--link-interval", str(self.link_interval)]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True, env=self.env)
        log.close()
        assert self.process.stdout is not None
        deadline = time.monotonic() + _STARTUP_TIMEOUT_S
        while True:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.5)
            if ready:
                line = self.process.stdout.readline()
                if not line:
                    raise RuntimeError(f"the hall exited: {self.process.wait(10)}")
                match = re.search(r"serving http://127\.0\.0\.1:(\d+)", line)
                if match:
                    self.port = int(match.group(1))
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("the hall did not start")
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("the hall did not start listening")
            time.sleep(0.02)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush beyond what SQLite committed."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def close(self) -> None:
        self.stop()
        self.admin.db.close()


def running_hall(tmp_path: Path) -> Iterator[HallProcess]:
    """A demo hall served by a process of its own (started; stopped afterwards): ``yield from`` it in a
    fixture."""
    hall = HallProcess(tmp_path / "hall.db")
    try:
        hall.demo()
        hall.start()
        yield hall
    finally:
        hall.close()


class CuttableLink:
    """A TCP relay on 127.0.0.1 to ``port``: ``cut()`` drops every connection through it and refuses new ones
    (accepted and closed at once) until ``restore()``; ``freeze()`` keeps connections open but stops carrying
    bytes (a link that went silent)."""

    def __init__(self, port: int) -> None:
        self.upstream = port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._cut = False
        self._frozen = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._accept, name="cuttable-link", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cut(self) -> None:
        with self._lock:
            self._cut = True
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def restore(self) -> None:
        with self._lock:
            self._cut = False
        self._frozen.clear()

    def freeze(self) -> None:
        self._frozen.set()

    def close(self) -> None:
        self._closed = True
        self.cut()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept loop (closing alone may not)
        self._listener.close()
        self._thread.join(5)

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                if self._cut:
                    client.close()
                    continue
                try:
                    upstream = socket.create_connection(("127.0.0.1", self.upstream), timeout=5)
                    upstream.settimeout(None)
                except OSError:
                    client.close()
                    continue
                self._open.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                while self._frozen.is_set() and not self._closed:
                    time.sleep(0.05)
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
