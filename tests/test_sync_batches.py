"""Push batches bounded by size as well as count: records with signatures reach the real reference center in
batches that stay under the request limit, and a record too large for any request is set aside."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest

from kiosk.config import load_settings
from kiosk.protocol import secret_from_hex
from kiosk.protocol.models import MAX_BODY_BYTES
from kiosk.services.sync import engine as sync
from kiosk.services.sync.engine import SyncEngine, client_factory_for
from kiosk.services.terminal import Terminal
from kiosk.store.keystore import Keystore
from tests import center_support

center_server = center_support.center_server


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    size: int  # bytes of the request body
    records: int  # records in a push batch


class Tap:
    """A plain forwarding proxy on 127.0.0.1 that notes the size of every request it passes to the center."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.requests: list[Request] = []
        tap = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keeps the terminal's connection alive, as a real line does
            timeout = 10  # an idle kept-alive connection ends, so closing the tap never waits for ever

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                count = len(json.loads(body)["records"]) if self.path == "/api/v1/records" else 0
                tap.requests.append(Request(self.command, self.path.split("?")[0], len(body), count))
                upstream = http.client.HTTPConnection(*tap.upstream, timeout=30)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                    upstream.request(self.command, self.path, body=body or None, headers=headers)
                    answer = upstream.getresponse()
                    data = answer.read()
                finally:
                    upstream.close()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _forward

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = False
        self.server.block_on_close = True  # server_close() joins every connection's thread
        self.thread = threading.Thread(target=self.server.serve_forever, name="tap", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def pushes(self) -> list[Request]:
        return [r for r in self.requests if r.path == "/api/v1/records"]


@pytest.fixture
def tap(center_server) -> Iterator[Tap]:
    proxy = Tap(center_server.url)
    proxy.thread.start()
    try:
        yield proxy
    finally:
        proxy.server.shutdown()
        proxy.server.server_close()
        proxy.thread.join(10)
        left = [t.name for t in threading.enumerate() if t.name == "tap" or "process_request" in t.name]
        assert not left, f"the tap left threads running: {left}"


@pytest.fixture
def synced(center_server, tap, tmp_path):
    """An enrolled terminal talking to the center through the tap; closed afterwards."""
    terminal_id, secret_hex = center_server.add_terminal("signatures")
    settings = load_settings(
        data_dir=tmp_path / "terminal",
        environ={},
        overrides={"terminal_id": terminal_id, "center_url": tap.url},
    )
    Keystore.for_data_dir(settings.data_dir).store_secret(secret_from_hex(secret_hex))
    terminal = Terminal.open(settings)
    engine = SyncEngine.for_terminal(terminal, client_factory=client_factory_for(settings, timeout=(2, 30)))
    try:
        yield terminal, engine
    finally:
        engine.stop()
        terminal.close()


def signed_form(n: int, size: int) -> dict[str, Any]:
    """A submission whose PNG signature makes its JSON about ``size`` bytes."""
    png = random.Random(n).randbytes(size * 3 // 4)
    return {"receipt": f"R-{n:03d}", "signature": {"format": "png", "data": base64.b64encode(png).decode()}}


def add_all(
    terminal: Terminal, engine: SyncEngine, bodies: list[dict[str, Any]], personal: bool
) -> list[str]:
    def job() -> list[str]:
        with terminal.database.transaction() as conn:
            return [engine.outbox.add(conn, "submission", body, personal=personal) for body in bodies]

    return terminal.background.write(job).result()


def digest(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def test_records_with_signatures_arrive_in_batches_under_the_limit(center_server, tap, synced):
    terminal, engine = synced
    bodies = [signed_form(n, 300_000) for n in range(50)]
    keys = add_all(terminal, engine, bodies[:25], personal=True)  # sealed at rest: larger on disk
    keys += add_all(terminal, engine, bodies[25:], personal=False)

    report = engine.run_once()

    assert report.ok, report.reason
    assert (report.pushed, report.acknowledged, report.quarantined) == (50, 50, 0)
    pushes = tap.pushes()
    assert len(pushes) >= 4  # 15 MB cannot go in fewer
    assert all(p.size <= sync.BATCH_MAX_BYTES < MAX_BODY_BYTES for p in pushes)
    assert sum(p.records for p in pushes) == 50
    delivered = center_server.records()
    assert [r["idempotency_key"] for r in delivered] == keys  # oldest first, each once
    assert [digest(r["body"]) for r in delivered] == [digest(b) for b in bodies]
    assert engine.outbox.stats().backlog == 0


def test_a_record_too_large_for_any_request_is_set_aside_and_the_queue_goes_on(center_server, tap, synced):
    terminal, engine = synced
    small = [{"receipt": "R-001", "note": "小"}, {"receipt": "R-004", "note": "小"}]
    alone = {"receipt": "R-003", "note": "大" * (sync.BATCH_MAX_BYTES // 3 + 1000)}  # over the budget
    huge = {"receipt": "R-002", "note": "巨" * (MAX_BODY_BYTES // 3 + 1)}  # over what the center accepts
    first, too_large, big, last = add_all(terminal, engine, [small[0], huge, alone, small[1]], personal=True)

    report = engine.run_once()

    assert report.ok, report.reason
    assert (report.pushed, report.acknowledged, report.quarantined) == (3, 3, 1)
    assert [r["idempotency_key"] for r in center_server.records()] == [first, big, last]
    (rejected,) = engine.outbox.rejected()
    assert rejected.idempotency_key == too_large
    assert rejected.last_error.startswith("quarantined: too large to send")
    assert str(MAX_BODY_BYTES) in rejected.last_error
    pushes = tap.pushes()
    assert [p.records for p in pushes] == [1, 1, 1]  # the big one travels alone, between the small ones
    assert sync.BATCH_MAX_BYTES < pushes[1].size < MAX_BODY_BYTES
    assert engine.run_once().pushed == 0  # never sent again
