"""Malformed bodies against the real center process (``kiosk center serve`` on 127.0.0.1): each gets a 4xx with
the protocol's precise message, never a 500; a push batch with bad records answers every record, stores the good
ones once, and answers a resend the same; a fuzzer's hostile bodies never make the center fail."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.center.store import Store
from tests.center_support import HOSTILE_JSON, CenterProcess, KioskAuth, spoil_json

HEARTBEAT = "/api/v1/heartbeat"
RECORDS = "/api/v1/records"
CASES = "/api/v1/cases/query"
RESOLVE = "/api/v1/identity/resolve"
DEEP = b"[" * 200_000 + b"]" * 200_000


class Signed:
    """Raw bodies, signed as one terminal of the center process."""

    def __init__(self, center: CenterProcess) -> None:
        self.center = center
        self.terminal_id, secret_hex = center.add_terminal("malformed")
        self.session = requests.Session()
        self.session.auth = KioskAuth(self.terminal_id, secret_hex)

    def post(self, path: str, body: bytes) -> requests.Response:
        return self.session.post(
            self.center.url + path, data=body, headers={"Content-Type": "application/json"}, timeout=30
        )


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CenterProcess]:
    process = CenterProcess(tmp_path_factory.mktemp("center") / "center.db")
    try:
        yield process
    finally:
        process.close()


@pytest.fixture(scope="module")
def signed(center: CenterProcess) -> Iterator[Signed]:
    client = Signed(center)
    yield client
    client.session.close()


def refused(response: requests.Response, status: int = 422) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    return str(body["error"])


BEAT = b'"version": "0.2.0", "role": "kiosk"'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'{"version": "\\ud800", "role": "kiosk"}',
            "body.version: text must be valid Unicode (a lone surrogate \\ud800)",
        ),
        (
            b"{" + BEAT + b', "\\udc00": 1}',
            'body."\\udc00": key: text must be valid Unicode (a lone surrogate \\udc00)',
        ),
        (
            b"{" + BEAT + b', "outbox_backlog": 1e999}',
            "body.outbox_backlog: number 1e999 is out of range (numbers must be finite)",
        ),
        (
            b"{" + BEAT + b', "outbox_oldest_age_s": NaN}',
            "body.outbox_oldest_age_s: NaN is not a JSON number",
        ),
        (
            b"{" + BEAT + b', "outbox_oldest_age_s": -Infinity}',
            "body.outbox_oldest_age_s: -Infinity is not a JSON number",
        ),
        (
            b"{" + BEAT + b', "free_disk_bytes": 18446744073709551616}',
            "body.free_disk_bytes: integer 18446744073709551616 is out of range (at most 2^53-1 either way)",
        ),
        (b'{"version": "0.2.0", "version": "9", "role": "kiosk"}', 'body: key "version" appears twice'),
        (
            b'{"version": "0.2.0\\u0000", "role": "kiosk"}',
            "body.version: text must not hold a NUL character (\\u0000)",
        ),
        (b"{" + BEAT + b', "devices": ' + DEEP + b"}", "body: nested deeper than 32 levels"),
        (b"\xef\xbb\xbf{" + BEAT + b"}", "body: starts with a byte order mark (send UTF-8 without one)"),
        (b'{"version": "\xc0\xaf", "role": "kiosk"}', "body: not UTF-8 (byte 0xc0 at offset 13)"),
        (b"", "body: empty (a JSON value is expected)"),
        (
            b'{"version": "0.2.0", "role": "kiosk",}',
            "body: not valid JSON (Expecting property name enclosed in double quotes at line 1 column 38)",
        ),
        (b'{"version": 2, "role": "kiosk"}', "body.version: Input should be a valid string"),
        (b"[1]", "body: Input should be a valid dictionary or instance of Heartbeat"),
    ],
    ids=[
        "surrogate",
        "surrogate-key",
        "overflow",
        "nan",
        "minus-infinity",
        "big-integer",
        "duplicate-key",
        "nul",
        "deep",
        "bom",
        "overlong-utf8",
        "empty",
        "trailing-comma",
        "wrong-type",
        "not-an-object",
    ],
)
def test_a_malformed_heartbeat_gets_a_precise_422(signed: Signed, body: bytes, message: str) -> None:
    assert refused(signed.post(HEARTBEAT, body)) == message


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            CASES,
            b'{"id_number": "\\ud800"}',
            "body.id_number: text must be valid Unicode (a lone surrogate \\ud800)",
        ),
        (
            CASES,
            b'{"id_number": "4418\\u00001"}',
            "body.id_number: text must not hold a NUL character (\\u0000)",
        ),
        (CASES, b'{"id_number": "1", "id_number": "2"}', 'body: key "id_number" appears twice'),
        (
            RESOLVE,
            b'{"code": "GDID:\\udbff"}',
            "body.code: text must be valid Unicode (a lone surrogate \\udbff)",
        ),
        (RESOLVE, b'{"code": 1e999}', "body.code: number 1e999 is out of range (numbers must be finite)"),
        (RESOLVE, DEEP, "body: nested deeper than 32 levels"),
        (RECORDS, b'{"records": [], "records": []}', 'body: key "records" appears twice'),
        (RECORDS, DEEP, "body: nested deeper than 32 levels"),
        (RECORDS, b'{"records": [NaN]}', "body.records.0: must be an object"),
        (
            RECORDS,
            b'{"records": [{}], "\\ud800": 1}',
            'body."\\ud800": key: text must be valid Unicode (a lone surrogate \\ud800)',
        ),
    ],
    ids=[
        "cases-surrogate",
        "cases-nul",
        "cases-duplicate",
        "code-surrogate",
        "code-overflow",
        "code-deep",
        "batch-duplicate",
        "batch-deep",
        "batch-nan",
        "batch-surrogate-key",
    ],
)
def test_every_endpoint_refuses_malformed_bodies_precisely(
    signed: Signed, path: str, body: bytes, message: str
) -> None:
    assert refused(signed.post(path, body)) == message


def test_a_body_over_5_mb_is_413(signed: Signed) -> None:
    body = b'{"records": [' + b" " * (5 * 1024 * 1024) + b"]}"
    assert refused(signed.post(RECORDS, body), 413) == "payload_too_large"


def record(key: str, body: str = '{"n": 1}') -> str:
    return f'{{"idempotency_key": "{key}", "kind": "event", "created_at": "2026-11-22T08:30:00+08:00", "body": {body}}}'


def test_a_batch_with_bad_records_answers_each_stores_the_good_ones_and_answers_a_resend_alike(
    signed: Signed, center: CenterProcess
) -> None:
    prefix = f"{signed.terminal_id}:malformed-"
    records = [
        record(prefix + "0001"),
        record(prefix + "\\ud800-0002"),  # the key itself
        record(prefix + "0003", '{"comment": "\\u0000"}'),
        record(prefix + "0004", '{"n": 1, "n": 2}'),
        record(prefix + "0005", '{"n": 1e999}'),
        record(prefix + "0006", '{"n": NaN}'),
        '{"idempotency_key": "' + prefix + '0007", "idempotency_key": "' + prefix + '0008", "kind": "event", '
        '"created_at": "2026-11-22T08:30:00+08:00", "body": {}}',
        record(prefix + "0009", '{"\\udfff": "x"}'),
        record(prefix + "0010"),
    ]
    body = ('{"records": [' + ", ".join(records) + "]}").encode("utf-8")
    first = signed.post(RECORDS, body)
    assert first.status_code == 200, first.text
    results = first.json()["results"]
    assert [(r["idempotency_key"], r["status"], r.get("error")) for r in results] == [
        (prefix + "0001", 201, None),
        ("", 422, "idempotency_key: text must be valid Unicode (a lone surrogate \\ud800)"),
        (prefix + "0003", 422, "body.comment: text must not hold a NUL character (\\u0000)"),
        (prefix + "0004", 422, 'body: key "n" appears twice'),
        (prefix + "0005", 422, "body.n: number 1e999 is out of range (numbers must be finite)"),
        (prefix + "0006", 422, "body.n: NaN is not a JSON number"),
        ("", 422, 'record: key "idempotency_key" appears twice'),
        (prefix + "0009", 422, 'body."\\udfff": key: text must be valid Unicode (a lone surrogate \\udfff)'),
        (prefix + "0010", 201, None),
    ]
    again = signed.post(RECORDS, body)
    assert again.json() == first.json()  # no answer lost: the same answers, nothing stored twice
    store = Store(center.db_path)
    try:
        stored = [r for r in store.records() if r["terminal_id"] == signed.terminal_id]
    finally:
        store.close()
    assert sorted(r["idempotency_key"] for r in stored) == [prefix + "0001", prefix + "0010"]


# -- fuzzing: valid bodies spoiled in the ways the network can spoil them ----------------------------------------

VALID = {
    HEARTBEAT: {
        "version": "0.2.0",
        "role": "kiosk",
        "devices": [{"role": "r", "backend": "b", "health": "ok"}],
    },
    CASES: {"id_number": "441803194803150621"},
    RESOLVE: {"code": "GDID:unknown-code-000000000000000"},
    RECORDS: {
        "records": [
            {
                "idempotency_key": "T-fuzz:00000001",
                "kind": "event",
                "created_at": "2026-11-22T08:30:00+08:00",
                "body": {"what": "door", "n": [1, 2]},
            },
            {
                "idempotency_key": "T-fuzz:00000002",
                "kind": "rating",
                "created_at": "2026-11-22T08:30:00+08:00",
                "body": {"score": 5},
            },
        ]
    },
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(sorted(VALID)),
    slot=st.integers(0, 1000),
    hostile=st.sampled_from(HOSTILE_JSON),
)
def test_fuzzed_bodies_are_answered_4xx_or_per_record_never_5xx(
    signed: Signed, center: CenterProcess, path: str, slot: int, hostile: bytes
) -> None:
    body = spoil_json(VALID[path], slot, hostile)
    response = signed.post(path, body)
    assert response.status_code < 500, (body, response.text)
    answer = response.json()
    if response.status_code >= 400:
        assert set(answer) == {"error"} and answer["error"]
    elif path == RECORDS:
        sent = json.loads(body, strict=False)["records"] if response.status_code == 200 else []
        assert len(answer["results"]) == len(sent)  # every record answered
    assert center.alive


def test_the_center_process_survived_all_of_it(center: CenterProcess, signed: Signed) -> None:
    assert center.alive
    response = signed.post(HEARTBEAT, b"{" + BEAT + b"}")
    assert response.status_code == 200, response.text
