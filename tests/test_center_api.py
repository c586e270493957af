"""The reference center's API over real HTTP: authentication, feeds, push idempotency, heartbeat, limits."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
import requests

from kiosk.center.cursor import encode_cursor
from kiosk.protocol import (
    HEADER_NONCE,
    HEADER_SERVER_TIME,
    HEADER_SIGNATURE,
    HEADER_TERMINAL,
    HEADER_TIMESTAMP,
    HMAC_SHA256,
    HMAC_SM3,
    FeedPage,
    HeartbeatAnswer,
    PushResult,
    new_secret,
    secret_from_hex,
    signed_headers,
)
from tests.center_support import CenterServer, center_server  # noqa: F401 - the fixture
from tests.conftest import make_item

FEED = "/api/v1/feeds/notices"
UNAUTHORIZED = b'{"error":"unauthorized"}'


class Terminal:
    """A signed HTTP client for one terminal."""

    def __init__(self, server: CenterServer, *, sm3: bool = False, name: str = "test") -> None:
        self.server = server
        self.terminal_id, self.secret_hex = server.add_terminal(name, sm3=sm3)
        self.algorithm = HMAC_SM3 if sm3 else HMAC_SHA256
        self.session = requests.Session()
        self.session.auth = server.auth(self.terminal_id, self.secret_hex)

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.session.get(self.server.url + path, params=params, timeout=10)

    def post(self, path: str, body: Any) -> requests.Response:
        return self.session.post(self.server.url + path, json=body, timeout=10)

    def headers(
        self, method: str, path: str, body: bytes = b"", *, now: float | None = None
    ) -> dict[str, str]:
        return signed_headers(
            self.terminal_id,
            secret_from_hex(self.secret_hex),
            self.algorithm,
            method,
            path,
            "",
            body,
            now=time.time() if now is None else now,
        )

    def feed(self, kind: str = "notices", cursor: str | None = None, limit: int | None = None) -> FeedPage:
        params: dict[str, Any] = {}
        if cursor is not None:
            params["cursor"] = cursor
        if limit is not None:
            params["limit"] = limit
        response = self.get(f"/api/v1/feeds/{kind}", **params)
        assert response.status_code == 200, response.text
        return FeedPage.model_validate(response.json())

    def push(self, *records: dict[str, Any]) -> PushResult:
        response = self.post("/api/v1/records", {"records": list(records)})
        assert response.status_code == 200, response.text
        return PushResult.model_validate(response.json())


@pytest.fixture
def terminal(center_server: CenterServer) -> Terminal:  # noqa: F811
    return Terminal(center_server)


def notice(key: str, version: int = 1, title: str = "通知", *, deleted: bool = False) -> dict[str, Any]:
    data = {
        "title": title,
        "body": "正文",
        "level": "info",
        "starts_at": "2026-11-22T08:00:00+08:00",
        "ends_at": None,
    }
    return {"key": key, "version": version, "deleted": deleted, "data": None if deleted else data}


def record(key: str, score: int = 5, kind: str = "rating", **body: Any) -> dict[str, Any]:
    return {
        "idempotency_key": f"T-test:{key}",
        "kind": kind,
        "created_at": "2026-11-22T08:30:00+08:00",
        "body": {"score": score, **body},
    }


def assert_unauthorized(response: requests.Response) -> None:
    assert response.status_code == 401
    assert response.content == UNAUTHORIZED
    assert HEADER_SERVER_TIME in response.headers


# --- authentication ---------------------------------------------------------------------------------------------


def test_signed_request_is_served_with_the_server_time(terminal: Terminal) -> None:
    before = time.time()
    response = terminal.get(FEED)
    assert response.status_code == 200
    server_time = float(response.headers[HEADER_SERVER_TIME])
    assert before - 1 <= server_time <= time.time() + 1
    assert response.headers[HEADER_SERVER_TIME].count(".") == 1


def _send(server: CenterServer, headers: dict[str, str], path: str = FEED) -> requests.Response:
    return requests.get(server.url + path, headers=headers, timeout=10)


@pytest.mark.parametrize("missing", [HEADER_TERMINAL, HEADER_TIMESTAMP, HEADER_NONCE, HEADER_SIGNATURE])
def test_missing_header(terminal: Terminal, missing: str) -> None:
    headers = terminal.headers("GET", FEED)
    del headers[missing]
    assert_unauthorized(_send(terminal.server, headers))


def test_bad_signature(terminal: Terminal) -> None:
    headers = terminal.headers("GET", FEED)
    signature = headers[HEADER_SIGNATURE]
    headers[HEADER_SIGNATURE] = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    assert_unauthorized(_send(terminal.server, headers))
    # Signed for another path or body, or with another secret.
    assert_unauthorized(_send(terminal.server, terminal.headers("GET", "/api/v1/feeds/catalog")))
    foreign = signed_headers(
        terminal.terminal_id, new_secret(), HMAC_SHA256, "GET", FEED, "", b"", now=time.time()
    )
    assert_unauthorized(_send(terminal.server, foreign))
    body = b'{"records":[]}'
    headers = terminal.headers("POST", "/api/v1/records", body)
    response = requests.post(
        terminal.server.url + "/api/v1/records", data=body + b" ", headers=headers, timeout=10
    )
    assert_unauthorized(response)


def test_unknown_and_disabled_terminal(terminal: Terminal) -> None:
    headers = signed_headers(
        "T-00000000", secret_from_hex(terminal.secret_hex), HMAC_SHA256, "GET", FEED, "", b"", now=time.time()
    )
    assert_unauthorized(_send(terminal.server, headers))
    terminal.server.set_enabled(terminal.terminal_id, False)
    assert_unauthorized(terminal.get(FEED))
    terminal.server.set_enabled(terminal.terminal_id, True)
    assert terminal.get(FEED).status_code == 200


@pytest.mark.parametrize("offset", [-400, 400])
def test_stale_timestamp(terminal: Terminal, offset: int) -> None:
    assert_unauthorized(_send(terminal.server, terminal.headers("GET", FEED, now=time.time() + offset)))


@pytest.mark.parametrize("offset", [-200, 200])
def test_timestamp_within_the_window(terminal: Terminal, offset: int) -> None:
    assert _send(terminal.server, terminal.headers("GET", FEED, now=time.time() + offset)).status_code == 200


def test_skewed_terminal_learns_the_server_time_from_a_401(terminal: Terminal) -> None:
    skewed_now = time.time() - 3 * 3600
    response = _send(terminal.server, terminal.headers("GET", FEED, now=skewed_now))
    assert_unauthorized(response)
    skew = float(response.headers[HEADER_SERVER_TIME]) - skewed_now
    assert _send(terminal.server, terminal.headers("GET", FEED, now=skewed_now + skew)).status_code == 200


def test_replayed_nonce(terminal: Terminal) -> None:
    headers = terminal.headers("GET", FEED)
    assert _send(terminal.server, headers).status_code == 200
    assert_unauthorized(_send(terminal.server, headers))
    # A nonce is per terminal: another terminal may happen to use the same one.
    other = Terminal(terminal.server, name="other")
    other_headers = other.headers("GET", FEED)
    other_headers.update(
        signed_headers(
            other.terminal_id,
            secret_from_hex(other.secret_hex),
            HMAC_SHA256,
            "GET",
            FEED,
            "",
            b"",
            now=time.time(),
            nonce=headers[HEADER_NONCE],
        )
    )
    assert _send(terminal.server, other_headers).status_code == 200


def test_wrong_algorithm(center_server: CenterServer) -> None:  # noqa: F811
    sha = Terminal(center_server)
    sm3 = Terminal(center_server, sm3=True)
    for client, wrong in ((sha, HMAC_SM3), (sm3, HMAC_SHA256)):
        headers = signed_headers(
            client.terminal_id,
            secret_from_hex(client.secret_hex),
            wrong,
            "GET",
            FEED,
            "",
            b"",
            now=time.time(),
        )
        assert_unauthorized(_send(center_server, headers))


def test_malformed_headers(terminal: Terminal) -> None:
    for name, value in (
        (HEADER_NONCE, "not-a-nonce"),
        (HEADER_NONCE, "A" * 32),
        (HEADER_TIMESTAMP, "12.5"),
        (HEADER_TIMESTAMP, "soon"),
        (HEADER_SIGNATURE, "HMAC-SHA256"),
        (HEADER_TERMINAL, "T" * 200),
    ):
        headers = terminal.headers("GET", FEED)
        headers[name] = value
        assert_unauthorized(_send(terminal.server, headers))


def test_sm3_terminal_end_to_end(center_server: CenterServer) -> None:  # noqa: F811
    client = Terminal(center_server, sm3=True)
    center_server.publish("notices", [notice("n1")])
    page = client.feed()
    assert [e.key for e in page.entries] == ["n1"]
    assert client.push(record("sm3-0001")).results[0].status == 201
    response = client.post("/api/v1/heartbeat", {"version": "0.2.0", "role": "kiosk"})
    assert response.status_code == 200
    assert [r["idempotency_key"] for r in center_server.records()] == ["T-test:sm3-0001"]
    assert center_server.records()[0]["terminal_id"] == client.terminal_id


def test_queries_with_chinese_and_spaces_are_signed_canonically(terminal: Terminal) -> None:
    # Unknown parameters are ignored by the center, but they are part of what is signed.
    response = terminal.get(FEED, q="社保卡 补办", tag=["b", "a"], limit=5)
    assert response.status_code == 200


# --- feeds ------------------------------------------------------------------------------------------------------


def test_feed_paging_with_cursors(terminal: Terminal) -> None:
    terminal.server.publish("notices", [notice(f"n{i}") for i in range(5)])
    keys: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = terminal.feed(cursor=cursor, limit=2)
        pages += 1
        keys += [e.key for e in page.entries]
        cursor = page.next_cursor
        if not page.has_more:
            break
    assert keys == [f"n{i}" for i in range(5)]
    assert pages == 3
    # At the present: an empty page, again and again, until something changes.
    for _ in range(2):
        page = terminal.feed(cursor=cursor)
        assert page.entries == [] and not page.has_more
        assert page.next_cursor == cursor
    terminal.server.publish("notices", [notice("n1", version=2, title="改"), notice("n9")])
    page = terminal.feed(cursor=cursor)
    assert [(e.key, e.version) for e in page.entries] == [("n1", 2), ("n9", 1)]
    assert terminal.feed(cursor=page.next_cursor).entries == []


def test_key_changed_twice_appears_once_and_tombstones(terminal: Terminal) -> None:
    server = terminal.server
    server.publish("notices", [notice("a"), notice("b"), notice("c")])
    server.publish("notices", [notice("a", 2)])
    server.publish("notices", [notice("a", 3, title="第三版"), notice("b", 2, deleted=True)])
    page = terminal.feed()
    assert [(e.key, e.version, e.deleted) for e in page.entries] == [
        ("c", 1, False),
        ("a", 3, False),
        ("b", 2, True),
    ]
    assert page.entries[1].data is not None and page.entries[1].data["title"] == "第三版"
    assert page.entries[2].data is None
    # An older version published late changes nothing.
    server.publish("notices", [notice("a", 1, title="旧")])
    assert terminal.feed(cursor=page.next_cursor).entries == []


def test_empty_feed_and_empty_cursor(terminal: Terminal) -> None:
    page = terminal.feed("form_templates")
    assert page.entries == [] and not page.has_more
    assert terminal.feed("form_templates", cursor="").entries == []
    assert terminal.feed("form_templates", cursor=page.next_cursor).entries == []


def test_catalog_feed_carries_items(terminal: Terminal) -> None:
    item = make_item("C-1", "社会保障卡补换卡", version=2)
    document = {"format": "kiosk-catalog/1", "items": [item, {"code": "C-2", "version": 4, "deleted": True}]}
    terminal.server.publish_catalog(document)
    page = terminal.feed("catalog")
    assert [(e.key, e.version, e.deleted) for e in page.entries] == [("C-1", 2, False), ("C-2", 4, True)]
    assert page.entries[0].data == item


def test_settings_feed(terminal: Terminal) -> None:
    terminal.server.publish(
        "settings", [{"key": "idle_timeout_s", "version": 1, "deleted": False, "data": {"value": 60}}]
    )
    assert terminal.feed("settings").entries[0].data == {"value": 60}


def test_bad_cursors(terminal: Terminal) -> None:
    terminal.server.publish("notices", [notice("n1")])
    catalog_cursor = terminal.feed("catalog").next_cursor
    notices_cursor = terminal.feed().next_cursor
    payload, mac = notices_cursor.split(".")
    forged_seq = encode_cursor(b"k" * 32, "notices", 0)  # another center's key
    for cursor in ("garbage", catalog_cursor, forged_seq, payload + "." + mac[::-1], "x" * 500, "a.b.c"):
        response = terminal.get(FEED, cursor=cursor)
        assert response.status_code == 400, cursor
        assert response.json() == {"error": "bad_cursor"}


def test_unknown_feed_and_bad_limits(terminal: Terminal) -> None:
    response = terminal.get("/api/v1/feeds/weather")
    assert response.status_code == 404
    assert set(response.json()) == {"error"}
    for limit in (0, 1001, "many"):
        response = terminal.get(FEED, limit=limit)
        assert response.status_code == 422
        assert set(response.json()) == {"error"} and "limit" in response.json()["error"]
    assert terminal.get("/api/v1/nothing-here").json() == {"error": "not_found"}


# --- push -------------------------------------------------------------------------------------------------------


def test_push_is_idempotent_per_record(terminal: Terminal) -> None:
    first = terminal.push(record("0001", comment="好"), record("0002"))
    assert [r.status for r in first.results] == [201, 201]
    again = terminal.post("/api/v1/records", {"records": [record("0002"), record("0001", comment="好")]})
    assert again.status_code == 200
    assert again.json()["results"] == [first.model_dump(exclude_none=True)["results"][i] for i in (1, 0)]
    conflict = terminal.push(record("0001", comment="差"))
    assert conflict.results[0].status == 409 and conflict.results[0].error == "conflict"
    stored = terminal.server.records("rating")
    assert [(r["idempotency_key"], r["body"]) for r in stored] == [
        ("T-test:0001", {"score": 5, "comment": "好"}),
        ("T-test:0002", {"score": 5}),
    ]
    assert [r["record_id"] for r in stored] == [first.results[0].record_id, first.results[1].record_id]


def test_same_body_in_another_key_order_is_the_same_record(terminal: Terminal) -> None:
    first = terminal.push(record("order-1", comment="x"))
    body = (
        b'{"records":[{"body":{"comment":"x","score":5},"created_at":"2026-11-22T09:00:00+08:00",'
        b'"idempotency_key":"T-test:order-1","kind":"rating"}]}'
    )
    headers = {**terminal.headers("POST", "/api/v1/records", body), "Content-Type": "application/json"}
    response = requests.post(terminal.server.url + "/api/v1/records", data=body, headers=headers, timeout=10)
    assert response.json()["results"][0]["record_id"] == first.results[0].record_id


def test_invalid_records_are_answered_422_and_the_others_stored(terminal: Terminal) -> None:
    bad_kind = record("0004", kind="selfie")
    no_key = {k: v for k, v in record("0005").items() if k != "idempotency_key"}
    result = terminal.push(record("0001"), record("0002", score=9), record("0003"), bad_kind, no_key)
    statuses = [(r.idempotency_key, r.status) for r in result.results]
    assert statuses == [
        ("T-test:0001", 201),
        ("T-test:0002", 422),
        ("T-test:0003", 201),
        ("T-test:0004", 422),
        ("", 422),
    ]
    assert result.results[1].error == "body.score: must be 1-5"
    assert result.results[3].error is not None and result.results[3].error.startswith("kind:")
    assert result.results[4].error is not None and result.results[4].error.startswith("idempotency_key:")
    assert [r["idempotency_key"] for r in terminal.server.records()] == ["T-test:0001", "T-test:0003"]
    # Other kinds take any JSON object.
    assert terminal.push(record("0006", kind="event", what="door")).results[0].status == 201


def test_text_that_is_no_unicode_is_422_not_a_crash(terminal: Terminal) -> None:
    # JSON may escape a lone surrogate; no UTF-8 text can hold one, so it has no canonical form.
    result = terminal.push(record("0001", comment="\ud800"), record("0002"))
    assert [r.status for r in result.results] == [422, 201]
    assert terminal.post("/api/v1/heartbeat", {"version": "\udfff", "role": "kiosk"}).status_code == 422


def test_batch_limits(terminal: Terminal) -> None:
    for body in (
        {"records": []},
        {"records": [record(f"{i:06d}") for i in range(501)]},
        {"records": "x"},
        [1],
        {},
    ):
        response = terminal.post("/api/v1/records", body)
        assert response.status_code == 422, body
        assert set(response.json()) == {"error"}
    response = terminal.post("/api/v1/records", {"records": [record("000001"), 7]})
    assert response.status_code == 422
    assert terminal.server.records() == []
    full = terminal.push(*[record(f"{i:06d}") for i in range(500)])
    assert [r.status for r in full.results] == [201] * 500
    assert len(terminal.server.records()) == 500


def test_not_json_is_422(terminal: Terminal) -> None:
    for body in (b"{not json", b'{"records": [NaN]}', "\u00ff".encode("latin-1")):
        headers = {**terminal.headers("POST", "/api/v1/records", body), "Content-Type": "application/json"}
        response = requests.post(
            terminal.server.url + "/api/v1/records", data=body, headers=headers, timeout=10
        )
        assert response.status_code == 422
        assert set(response.json()) == {"error"}


def test_concurrent_pushes_of_one_key_store_it_once(center_server: CenterServer) -> None:  # noqa: F811
    clients = [Terminal.__new__(Terminal) for _ in range(8)]
    terminal_id, secret_hex = center_server.add_terminal("racer")
    for client in clients:
        client.server = center_server
        client.terminal_id, client.secret_hex, client.algorithm = terminal_id, secret_hex, HMAC_SHA256
        client.session = requests.Session()
        client.session.auth = center_server.auth(terminal_id, secret_hex)
    barrier = threading.Barrier(len(clients))
    answers: list[dict[str, Any]] = []
    lock = threading.Lock()

    def push(client: Terminal) -> None:
        barrier.wait(10)
        result = client.push(record("race-0001", comment="同一条"))
        with lock:
            answers.append(result.results[0].model_dump())

    threads = [threading.Thread(target=push, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(answers) == len(clients)
    assert all(answer == answers[0] for answer in answers)
    assert answers[0]["status"] == 201
    assert len(center_server.records()) == 1


# --- heartbeat, limits, outage ----------------------------------------------------------------------------------


def test_heartbeat_is_kept_per_terminal(terminal: Terminal) -> None:
    beat = {
        "version": "0.2.0",
        "role": "kiosk",
        "devices": [{"role": "ticket_printer", "backend": "usb", "health": "paper_out", "code": "paper_out"}],
        "outbox_backlog": 12,
        "outbox_oldest_age_s": 340.5,
        "last_sync_at": "2026-11-22T08:29:00+08:00",
        "free_disk_bytes": 51234567890,
    }
    response = terminal.post("/api/v1/heartbeat", beat)
    assert response.status_code == 200
    answer = HeartbeatAnswer.model_validate(response.json())
    assert abs(answer.server_time.timestamp() - time.time()) < 60
    (listed,) = terminal.server.terminals()
    assert listed["terminal_id"] == terminal.terminal_id
    kept = listed["last_heartbeat"]
    assert {name: kept[name] for name in beat} == beat
    # Operations' fields, at their defaults.
    assert kept["out_of_service"] is False and kept["settings_version"] == 0
    assert listed["last_heartbeat_at"] is not None
    assert "secret" not in json.dumps(listed)


def test_invalid_heartbeat_is_422(terminal: Terminal) -> None:
    response = terminal.post("/api/v1/heartbeat", {"version": "0.2.0", "role": "kiosk", "outbox_backlog": -1})
    assert response.status_code == 422
    assert response.json()["error"].startswith("body.outbox_backlog:")
    assert terminal.post("/api/v1/heartbeat", [1]).status_code == 422


def test_body_over_5_mb_is_413(terminal: Terminal) -> None:
    body = b"{" + b" " * (5 * 1024 * 1024) + b"}"
    headers = {**terminal.headers("POST", "/api/v1/records", body), "Content-Type": "application/json"}
    response = requests.post(terminal.server.url + "/api/v1/records", data=body, headers=headers, timeout=30)
    assert response.status_code == 413
    assert set(response.json()) == {"error"}
    assert HEADER_SERVER_TIME in response.headers
    # Just under the limit is served.
    big = record("big-0001", kind="event", blob="x" * (5 * 1024 * 1024 - 1000))
    body = json.dumps({"records": [big]}).encode()
    assert len(body) <= 5 * 1024 * 1024
    headers = {**terminal.headers("POST", "/api/v1/records", body), "Content-Type": "application/json"}
    response = requests.post(terminal.server.url + "/api/v1/records", data=body, headers=headers, timeout=30)
    assert response.json()["results"][0]["status"] == 201


def test_outage_keeps_port_and_data(terminal: Terminal) -> None:
    server = terminal.server
    url = server.url
    assert terminal.push(record("before-outage")).results[0].status == 201
    server.stop()
    with pytest.raises(requests.ConnectionError):
        terminal.get(FEED)
    server.start()
    assert server.url == url
    again = terminal.push(record("before-outage"))
    assert again.results[0].status == 201
    assert len(server.records()) == 1


def test_openapi_document_describes_the_signing_headers(center_server: CenterServer) -> None:  # noqa: F811
    document = requests.get(center_server.url + "/openapi.json", timeout=10).json()
    schemes = document["components"]["securitySchemes"]
    assert {s["name"] for s in schemes.values()} == {
        HEADER_TERMINAL,
        HEADER_TIMESTAMP,
        HEADER_NONCE,
        HEADER_SIGNATURE,
    }
    for path in ("/api/v1/feeds/{kind}", "/api/v1/records", "/api/v1/heartbeat"):
        (operation,) = document["paths"][path].values()
        assert operation["security"] == [{key: [] for key in schemes}]
        assert operation["responses"]["401"]["content"]["application/json"]["schema"]["$ref"].endswith(
            "ErrorBody"
        )
    assert "PushBatch" in document["components"]["schemas"]
