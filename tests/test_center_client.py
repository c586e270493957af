"""The center client against the real reference center on 127.0.0.1, and against a scripted server for the
answers a correct center never gives."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from kiosk.center_client import (
    BadAnswer,
    BadCursor,
    CenterClient,
    CenterConfigError,
    CenterUnavailable,
    DeadlineExceeded,
    RequestRefused,
    Unauthorized,
)
from kiosk.protocol import HMAC_SHA256, HMAC_SM3, secret_from_hex
from kiosk.protocol.models import Heartbeat, OutboxRecord
from tests import center_support
from tests.center_support import CenterServer

center_server = center_support.center_server


# -- a scripted server for answers the reference center never gives (also used by test_sync_engine) ----------
@dataclass
class Answer:
    status: int = 200
    body: bytes = b"{}"
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    cut: bool = False  # announce the full length, send half, close


def json_answer(value: Any, status: int = 200) -> Answer:
    return Answer(status, json.dumps(value, ensure_ascii=False).encode())


def empty_page(kind: str) -> Answer:
    return json_answer({"kind": kind, "entries": [], "next_cursor": "c0", "has_more": False})


class FakeCenter:
    def __init__(self) -> None:
        self.routes: dict[str, Answer | Callable[[str, bytes], Answer]] = {}
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?")[0]
                owner.requests.append((self.command, self.path, dict(self.headers), body))
                route = owner.routes.get(path)
                if route is None:
                    answer = json_answer({"error": "not found"}, 404)
                else:
                    answer = route(self.path, body) if callable(route) else route
                if answer.delay_s:
                    time.sleep(answer.delay_s)
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                self.send_header("X-Kiosk-Server-Time", f"{time.time():.3f}")
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if answer.cut:
                    self.wfile.write(answer.body[: len(answer.body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(answer.body)

            do_GET = do_POST = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-center", daemon=True
        )
        self._thread.start()

    def serve_empty_feeds(self) -> None:
        for kind in ("catalog", "form_templates", "notices", "settings"):
            self.routes[f"/api/v1/feeds/{kind}"] = empty_page(kind)
        self.routes["/api/v1/heartbeat"] = json_answer({"server_time": "2026-11-22T08:30:01.123+08:00"})

        def accept_all(path: str, body: bytes) -> Answer:
            records = json.loads(body)["records"]
            results = [
                {"idempotency_key": r["idempotency_key"], "status": 201, "record_id": i}
                for i, r in enumerate(records)
            ]
            return json_answer({"results": results})

        self.routes["/api/v1/records"] = accept_all

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


@pytest.fixture
def fake_center() -> Iterator[FakeCenter]:
    center = FakeCenter()
    try:
        yield center
    finally:
        center.close()


NOTICE = {
    "title": "系统维护通知",
    "body": "本周六 22:00-24:00 暂停服务",
    "level": "warning",
    "starts_at": "2026-11-22T08:00:00+08:00",
    "ends_at": None,
}


def client_for(center: CenterServer, *, sm3: bool = False, **kwargs) -> tuple[CenterClient, str]:
    terminal_id, secret_hex = center.add_terminal("t", sm3=sm3)
    algorithm = HMAC_SM3 if sm3 else HMAC_SHA256
    return CenterClient(center.url, terminal_id, secret_from_hex(secret_hex), algorithm, **kwargs), secret_hex


def record(terminal_id: str, n: int, **body) -> OutboxRecord:
    return OutboxRecord(
        idempotency_key=f"{terminal_id}:01JDX9{n:020d}",
        kind="rating",
        created_at=datetime(2026, 11, 22, 8, 30, tzinfo=UTC),
        body=body or {"score": 5},
    )


@pytest.mark.parametrize("sm3", [False, True], ids=["hmac-sha256", "hmac-sm3"])
def test_pull_push_and_heartbeat(center_server, sm3):
    center_server.publish("notices", [{"key": "n1", "version": 1, "deleted": False, "data": NOTICE}])
    client, _ = client_for(center_server, sm3=sm3)
    with client:
        page = client.pull("notices", "", 10)
        assert [e.key for e in page.entries] == ["n1"] and not page.has_more
        assert client.pull("notices", page.next_cursor, 10).entries == []
        result = client.push([record(client.terminal_id, 1), record(client.terminal_id, 2, score=9)])
        assert [r.status for r in result.results] == [201, 422]
        again = client.push([record(client.terminal_id, 1)])
        assert again.results[0].status == 201 and again.results[0].record_id == result.results[0].record_id
        conflict = client.push([record(client.terminal_id, 1, score=4)])
        assert conflict.results[0].status == 409
        answer = client.heartbeat(Heartbeat(version="0.1.0", role="kiosk", outbox_backlog=3))
        assert answer.server_time.tzinfo is not None
    assert len(center_server.records()) == 1
    assert center_server.terminals()[0]["last_heartbeat"]["outbox_backlog"] == 3


def test_refused_credentials_are_unauthorized(center_server):
    terminal_id, _ = center_server.add_terminal("t")
    with (
        CenterClient(center_server.url, terminal_id, bytes(32), HMAC_SHA256) as client,
        pytest.raises(Unauthorized),
    ):
        client.pull("catalog", "", 10)
    sm3_id, secret_hex = center_server.add_terminal("g", sm3=True)
    client = CenterClient(center_server.url, sm3_id, secret_from_hex(secret_hex), HMAC_SHA256)
    with client, pytest.raises(Unauthorized):
        client.heartbeat(Heartbeat(version="0.1.0", role="kiosk"))


def test_a_skewed_clock_is_corrected_after_one_retry(center_server, caplog):
    hours_ahead = 3 * 3600.0
    client, _ = client_for(center_server, clock=lambda: time.time() + hours_ahead)
    with client, caplog.at_level(logging.WARNING, logger="kiosk.center_client"):
        client.pull("catalog", "", 5)
        assert client.skew == pytest.approx(-hours_ahead, abs=5)
        client.pull("notices", "", 5)
        client.heartbeat(Heartbeat(version="0.1.0", role="kiosk"))
    retries = [r for r in caplog.records if "retrying with the learnt skew" in r.getMessage()]
    assert len(retries) == 1


def test_an_unknown_cursor_is_bad_cursor(center_server):
    client, _ = client_for(center_server)
    with client, pytest.raises(BadCursor):
        client.pull("catalog", "not-a-cursor-of-this-center", 10)


def test_a_stopped_center_is_unavailable_and_the_probe_sees_it_return(center_server):
    client, _ = client_for(center_server, timeout=(1, 2))
    with client:
        assert client.probe()
        center_server.stop()
        assert not client.probe()
        with pytest.raises(CenterUnavailable):
            client.pull("catalog", "", 10)
        center_server.start()
        assert client.probe()
        assert client.pull("catalog", "", 10).entries == []


def test_plain_http_only_to_this_machine():
    secret = bytes(32)
    with pytest.raises(CenterConfigError, match="use https"):
        CenterClient("http://center.example.gov.cn", "T-1", secret, HMAC_SHA256)
    for url in (
        "https://center.example.gov.cn/kiosk",
        "http://127.0.0.1:8700",
        "http://[::1]:8700",
        "http://localhost",
    ):
        CenterClient(url, "T-1", secret, HMAC_SHA256).close()
    CenterClient("http://10.0.0.5:8700", "T-1", secret, HMAC_SHA256, allow_http=True).close()
    for bad in ("ftp://x", "center.example", "https://x/?a=1"):
        with pytest.raises(CenterConfigError):
            CenterClient(bad, "T-1", secret, HMAC_SHA256)
    with pytest.raises(CenterConfigError):
        CenterClient("https://x", "T-1", b"short", HMAC_SHA256)


def test_the_secret_and_signatures_stay_out_of_logs_and_reprs(center_server, caplog):
    client, secret_hex = client_for(center_server)
    with client, caplog.at_level(logging.DEBUG):
        client.pull("catalog", "", 10)
        client.push([record(client.terminal_id, 1)])
    text = caplog.text + repr(client)
    assert secret_hex not in text and secret_hex.upper() not in text
    assert "X-Kiosk-Signature" not in text and "HMAC-SHA256 " not in text


# -- answers a correct center never gives ---------------------------------------------------------------------


@pytest.fixture
def fake_client(fake_center):
    with CenterClient(fake_center.url, "T-fake0001", bytes(32), HMAC_SHA256, timeout=(1, 0.5)) as client:
        yield client


PAGE = "/api/v1/feeds/catalog"


@pytest.mark.parametrize(
    ("answer", "error", "message"),
    [
        (Answer(body=b'{"kind": "catalog", "entries": ['), BadAnswer, "not valid JSON"),
        (Answer(body=b"<html>maintenance</html>", content_type="text/html"), BadAnswer, "text/html"),
        (Answer(body=b"\xff\xfe not utf-8"), BadAnswer, "not valid JSON"),
        (
            json_answer({"kind": "catalog", "entries": "none", "next_cursor": "c", "has_more": False}),
            BadAnswer,
            "entries",
        ),
        (
            json_answer({"kind": "notices", "entries": [], "next_cursor": "c", "has_more": False}),
            BadAnswer,
            "notices",
        ),
        (json_answer([1, 2, 3]), BadAnswer, "FeedPage"),
        (Answer(status=302, headers={"Location": "https://elsewhere/"}), BadAnswer, "redirected"),
        (json_answer({"error": "internal"}, 500), CenterUnavailable, "500"),
        (Answer(status=503, body=b"busy", content_type="text/plain"), CenterUnavailable, "503"),
        (json_answer({"error": "bad_cursor"}, 400), BadCursor, "bad_cursor"),
        (json_answer({"error": "body too large"}, 413), RequestRefused, "413"),
        (json_answer({"error": "unauthorized"}, 401), Unauthorized, "401"),
        (
            Answer(
                body=b'{"kind": "catalog", "entries": [], "next_cursor": "c", "has_more": false}', cut=True
            ),
            CenterUnavailable,
            "IncompleteRead|ChunkedEncoding|ConnectionError",
        ),
        (Answer(delay_s=1.5), DeadlineExceeded, "timed out: no complete answer within 0.5 s"),
    ],
    ids=[
        "truncated-json",
        "html",
        "not-utf8",
        "wrong-type",
        "wrong-kind",
        "not-an-object",
        "redirect",
        "500",
        "503",
        "bad-cursor",
        "413",
        "401",
        "cut-connection",
        "too-slow",
    ],
)
def test_bad_answers_raise_the_right_error(fake_center, fake_client, answer, error, message):
    fake_center.routes[PAGE] = answer
    with pytest.raises(error, match=message):
        fake_client.pull("catalog", "", 10)


def test_a_push_answer_that_does_not_match_the_batch_is_bad(fake_center, fake_client):
    fake_center.routes["/api/v1/records"] = json_answer(
        {"results": [{"idempotency_key": "T-fake0001:other", "status": 201, "record_id": 1}]}
    )
    with pytest.raises(BadAnswer, match="1 results for a batch of 2"):
        fake_client.push([record("T-fake0001", 1), record("T-fake0001", 2)])
    fake_center.routes["/api/v1/records"] = json_answer(
        {"results": [{"idempotency_key": "T-fake0001:01JDX900000000000000000001", "status": 201}]}
    )
    with pytest.raises(BadAnswer, match="record_id"):
        fake_client.push([record("T-fake0001", 1)])


def test_requests_are_signed_over_what_is_sent(fake_center, fake_client):
    from kiosk.protocol.signing import verify

    fake_center.routes[PAGE] = empty_page("catalog")
    fake_client.pull("catalog", "a b/c+d=é", 7)
    method, path, headers, body = fake_center.requests[-1]
    raw_path, _, query = path.partition("?")
    assert query == "cursor=a%20b%2Fc%2Bd%3D%C3%A9&limit=7"
    assert verify(
        bytes(32),
        HMAC_SHA256,
        headers["X-Kiosk-Signature"],
        method,
        raw_path,
        query,
        int(headers["X-Kiosk-Timestamp"]),
        headers["X-Kiosk-Nonce"],
        body,
    )
    assert headers["Connection"].lower() == "keep-alive"
