"""The shared protocol package: signing test vectors, query canonicalisation, canonical JSON and the models.

The vectors were computed once and frozen: a change to any of them breaks every deployed terminal, so a failure
here means the change to signing is wrong, not the vector.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from kiosk.protocol import (
    ALGORITHMS,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TERMINAL,
    HEADER_TIMESTAMP,
    HMAC_SHA256,
    HMAC_SM3,
    FeedEntry,
    FeedPage,
    Heartbeat,
    HeartbeatAnswer,
    OutboxRecord,
    PushBatch,
    PushResult,
    RecordResult,
    SigningError,
    canonical_json,
    canonical_query,
    canonical_request,
    entry_problem,
    new_nonce,
    new_secret,
    record_fingerprint,
    secret_from_hex,
    secret_to_hex,
    sign,
    signed_headers,
    verify,
)
from kiosk.protocol.signing import body_hash, is_valid_nonce, parse_signature, within_skew

SECRET = bytes(range(32))
TIMESTAMP = 1795300000
NONCE = "0123456789abcdef0123456789abcdef"
FEED_PATH = "/api/v1/feeds/catalog"
FEED_QUERY = {"cursor": "", "limit": "500"}
PUSH_BODY = b'{"records":[]}'

VECTORS = {
    HMAC_SHA256: {
        "empty_body_hash": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "get": "HMAC-SHA256 6278692be0d73f6d0f0898599f075b2e1fcc2f668b7880aec5cd7c0e68744c64",
        "post": "HMAC-SHA256 aea71c5641ec80cf30fdb34b7c05e0fa210890540368454035f1d900ca5c42be",
    },
    HMAC_SM3: {
        # SM3 of the empty string as published with GB/T 32905-2016 implementations.
        "empty_body_hash": "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b",
        "get": "HMAC-SM3 6d458dbbc044d3d23683f7df79776ce5bdd9d87abf65d2e1577cbe461100e692",
        "post": "HMAC-SM3 2329b408be3a89ce28ec4883bc3f1b2b4f16cc8ecb719b973257ff3b1f781dc5",
    },
}


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_frozen_vectors(algorithm: str) -> None:
    vector = VECTORS[algorithm]
    assert body_hash(b"", algorithm) == vector["empty_body_hash"]
    assert sign(SECRET, algorithm, "GET", FEED_PATH, FEED_QUERY, TIMESTAMP, NONCE, b"") == vector["get"]
    assert (
        sign(SECRET, algorithm, "POST", "/api/v1/records", None, TIMESTAMP, NONCE, PUSH_BODY)
        == vector["post"]
    )


def test_sha256_vector_matches_an_independent_computation() -> None:
    message = "\n".join(
        ["GET", FEED_PATH, "cursor=&limit=500", str(TIMESTAMP), NONCE, hashlib.sha256(b"").hexdigest()]
    ).encode()
    expected = hmac.new(SECRET, message, hashlib.sha256).hexdigest()
    assert VECTORS[HMAC_SHA256]["get"] == f"HMAC-SHA256 {expected}"
    assert canonical_request("get", FEED_PATH, FEED_QUERY, TIMESTAMP, NONCE, b"", HMAC_SHA256) == message


def test_query_forms_agree_and_are_sorted() -> None:
    as_string = canonical_query("limit=10&cursor=abc&a=2&a=1")
    assert as_string == "a=1&a=2&cursor=abc&limit=10"
    assert canonical_query({"limit": 10, "cursor": "abc", "a": ["2", "1"]}) == as_string
    assert canonical_query([("limit", "10"), ("a", "2"), ("cursor", "abc"), ("a", "1")]) == as_string
    assert canonical_query("?limit=10&cursor=abc&a=2&a=1") == as_string
    assert canonical_query(None) == canonical_query("") == canonical_query({}) == ""


def test_query_encoding_of_chinese_spaces_and_reserved_characters() -> None:
    expected = "q=%E7%A4%BE%E4%BF%9D%E5%8D%A1%20%E8%A1%A5%E5%8A%9E"
    assert canonical_query({"q": "社保卡 补办"}) == expected
    # What a client puts on the wire: form encoding (space as +) or RFC 3986 (%20) — the same canonical form.
    assert canonical_query("q=%E7%A4%BE%E4%BF%9D%E5%8D%A1+%E8%A1%A5%E5%8A%9E") == expected
    assert canonical_query("q=%E7%A4%BE%E4%BF%9D%E5%8D%A1%20%E8%A1%A5%E5%8A%9E") == expected
    assert canonical_query({"k": "a+b/c=d&e~f-g_h.i"}) == "k=a%2Bb%2Fc%3Dd%26e~f-g_h.i"
    assert canonical_query("empty=&flag") == "empty=&flag="
    # Sorted by the encoded text, byte order: "%" sorts before digits and letters.
    assert canonical_query({"v": ["中", "1", "A"]}) == "v=%E4%B8%AD&v=1&v=A"


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_signed_headers_verify_and_anything_changed_fails(algorithm: str) -> None:
    headers = signed_headers(
        "T-7f3a9c21", SECRET, algorithm, "POST", "/api/v1/records", "", PUSH_BODY, now=1.5e9
    )
    assert headers[HEADER_TERMINAL] == "T-7f3a9c21"
    assert headers[HEADER_TIMESTAMP] == "1500000000"
    assert is_valid_nonce(headers[HEADER_NONCE])
    signature = headers[HEADER_SIGNATURE]
    nonce = headers[HEADER_NONCE]
    args = ("POST", "/api/v1/records", "", 1500000000, nonce, PUSH_BODY)
    assert verify(SECRET, algorithm, signature, *args)
    assert not verify(new_secret(), algorithm, signature, *args)
    assert not verify(SECRET, algorithm, signature, "PUT", *args[1:])
    assert not verify(SECRET, algorithm, signature, "POST", "/api/v1/recordz", *args[2:])
    assert not verify(SECRET, algorithm, signature, "POST", "/api/v1/records", "x=1", *args[3:])
    assert not verify(SECRET, algorithm, signature, *args[:3], 1500000001, nonce, PUSH_BODY)
    assert not verify(SECRET, algorithm, signature, *args[:4], new_nonce(), PUSH_BODY)
    assert not verify(SECRET, algorithm, signature, *args[:5], PUSH_BODY + b" ")
    other = HMAC_SM3 if algorithm == HMAC_SHA256 else HMAC_SHA256
    assert not verify(SECRET, other, signature, *args)
    assert not verify(SECRET, algorithm, signature.replace(algorithm, other), *args)
    assert not verify(SECRET, algorithm, "garbage", *args)


def test_signature_header_parsing() -> None:
    assert parse_signature("HMAC-SM3 " + "ab" * 32) == ("HMAC-SM3", "ab" * 32)
    for bad in ("", "HMAC-SHA256", "HMAC-MD5 " + "ab" * 32, "HMAC-SHA256 " + "AB" * 32, "HMAC-SHA256 abc"):
        with pytest.raises(SigningError):
            parse_signature(bad)


def test_skew_window_is_300_seconds_either_way() -> None:
    assert within_skew(1000, 1300) and within_skew(1600, 1300)
    assert not within_skew(999, 1300) and not within_skew(1601, 1300)


def test_secrets_and_nonces() -> None:
    secret = new_secret()
    assert len(secret) == 32 and secret != new_secret()
    assert secret_from_hex(secret_to_hex(secret)) == secret
    assert is_valid_nonce(new_nonce()) and new_nonce() != new_nonce()
    almost = secret_to_hex(secret)[:-1] + "z"
    with pytest.raises(SigningError) as caught:
        secret_from_hex(almost)
    assert almost not in str(caught.value)
    with pytest.raises(SigningError):
        sign(b"short", HMAC_SHA256, "GET", "/", None, 0, NONCE, b"")
    with pytest.raises(SigningError):
        sign(SECRET, "HMAC-MD5", "GET", "/", None, 0, NONCE, b"")


def test_canonical_json_and_fingerprint() -> None:
    assert (
        canonical_json({"b": 1, "a": [1, {"d": "中", "c": None}]})
        == '{"a":[1,{"c":null,"d":"中"}],"b":1}'.encode()
    )
    left = record_fingerprint("rating", {"score": 5, "comment": "好"})
    assert left == record_fingerprint("rating", {"comment": "好", "score": 5})
    assert left != record_fingerprint("rating", {"comment": "好", "score": 4})
    assert left != record_fingerprint("event", {"comment": "好", "score": 5})
    expected = hashlib.sha256('{"body":{"comment":"好","score":5},"kind":"rating"}'.encode()).hexdigest()
    assert left == expected
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


# --- models -----------------------------------------------------------------------------------------------------


def _page(**changes: object) -> dict:
    page = {
        "kind": "catalog",
        "entries": [
            {
                "key": "A-1",
                "version": 3,
                "deleted": False,
                "data": {"code": "A-1", "version": 3, "name": "x"},
            },
            {"key": "A-2", "version": 4, "deleted": True, "data": None},
        ],
        "next_cursor": "abc",
        "has_more": True,
    }
    page.update(changes)
    return page


def test_feed_page_valid_and_forward_compatible() -> None:
    page = FeedPage.model_validate({**_page(), "new_field": 1})
    assert [entry.key for entry in page.entries] == ["A-1", "A-2"]
    assert page.entries[1].data is None


@pytest.mark.parametrize(
    "entries",
    [
        [{"key": "A-1", "version": "3", "deleted": False, "data": {"code": "A-1", "version": 3}}],
        [{"key": "A-1", "version": 3, "deleted": "no", "data": {"code": "A-1", "version": 3}}],
        [{"key": "A-1", "version": -1, "deleted": True, "data": None}],
        [{"key": "", "version": 1, "deleted": True, "data": None}],
        [{"key": "A-1", "version": 1, "deleted": True, "data": {"code": "A-1"}}],
        [{"key": "A-1", "version": 1, "deleted": False, "data": None}],
        [{"key": "A-1", "version": 1, "deleted": True, "data": None}] * 2,
        [{"key": "A-1", "version": 1, "deleted": True}],
    ],
)
def test_malformed_feed_pages_fail(entries: list) -> None:
    with pytest.raises(ValidationError):
        FeedPage.model_validate(_page(entries=entries))


@pytest.mark.parametrize(
    "data", [{"code": "A-2", "version": 1}, {"code": "A-1", "version": 2}, {"code": "A-1", "version": "1"}]
)
def test_a_catalog_item_that_does_not_fit_its_entry_is_left_to_the_terminal_to_refuse_alone(
    data: dict,
) -> None:
    page = FeedPage.model_validate(
        _page(entries=[{"key": "A-1", "version": 1, "deleted": False, "data": data}, _page()["entries"][1]])
    )
    assert "A-1" in (entry_problem("catalog", page.entries[0]) or "")
    assert entry_problem("catalog", page.entries[1]) is None


def test_feed_page_kind_specific_data() -> None:
    notice = {"title": "通知", "body": "正文", "level": "info", "starts_at": "2026-11-22T08:00:00+08:00"}
    FeedPage.model_validate(
        _page(kind="notices", entries=[{"key": "n", "version": 1, "deleted": False, "data": notice}])
    )
    for bad in ({**notice, "level": "panic"}, {**notice, "starts_at": "2026-11-22T08:00:00"}, {"title": "x"}):
        with pytest.raises(ValidationError):
            FeedPage.model_validate(
                _page(kind="notices", entries=[{"key": "n", "version": 1, "deleted": False, "data": bad}])
            )
    FeedPage.model_validate(
        _page(
            kind="settings", entries=[{"key": "s", "version": 1, "deleted": False, "data": {"value": None}}]
        )
    )
    with pytest.raises(ValidationError):
        FeedPage.model_validate(
            _page(kind="settings", entries=[{"key": "s", "version": 1, "deleted": False, "data": {}}])
        )
    for bad_page in (_page(kind="weather"), _page(next_cursor=""), _page(has_more=1)):
        with pytest.raises(ValidationError):
            FeedPage.model_validate(bad_page)


def _record(**changes: object) -> dict:
    record = {
        "idempotency_key": "T-7f3a9c21:01JDX9ABCDEF",
        "kind": "rating",
        "created_at": "2026-11-22T08:30:00+08:00",
        "body": {"score": 5},
    }
    record.update(changes)
    return record


def test_push_batch_limits_and_strictness() -> None:
    assert len(PushBatch.model_validate({"records": [_record()] * 500}).records) == 500
    for bad in (
        {"records": []},
        {"records": [_record()] * 501},
        {"records": [_record()], "extra": 1},
        {"records": [_record(idempotency_key="short")]},
        {"records": [_record(idempotency_key="k" * 129)]},
        {"records": [_record(kind="selfie")]},
        {"records": [_record(created_at="2026-11-22T08:30:00")]},
        {"records": [_record(body=[1])]},
        {"records": [{**_record(), "unknown": True}]},
    ):
        with pytest.raises(ValidationError):
            PushBatch.model_validate(bad)
    record = OutboxRecord.model_validate(_record(idempotency_key="k" * 8))
    assert record.created_at.utcoffset() is not None


def test_push_result_and_heartbeat_models() -> None:
    result = PushResult.model_validate(
        {
            "results": [
                {"idempotency_key": "a" * 8, "status": 201, "record_id": 1, "future": "ignored"},
                {"idempotency_key": "b" * 8, "status": 409, "error": "conflict"},
                {"idempotency_key": "c" * 8, "status": 422, "error": "body.score: must be 1-5"},
            ]
        }
    )
    assert [r.acknowledged for r in result.results] == [True, False, False]
    for bad in (
        {"idempotency_key": "a" * 8, "status": 201},
        {"idempotency_key": "a" * 8, "status": 409},
        {"idempotency_key": "a" * 8, "status": 500, "error": "x"},
        {"idempotency_key": "a" * 8, "status": "201", "record_id": 1},
    ):
        with pytest.raises(ValidationError):
            RecordResult.model_validate(bad)
    beat = Heartbeat.model_validate(
        {
            "version": "0.2.0",
            "role": "kiosk",
            "devices": [{"role": "id_card", "backend": "sam-serial", "health": "ok", "code": ""}],
            "outbox_backlog": 12,
            "outbox_oldest_age_s": 340.5,
            "last_sync_at": "2026-11-22T08:29:00+08:00",
            "free_disk_bytes": 51234567890,
        }
    )
    assert beat.devices[0].health == "ok"
    for bad in (
        {"version": "1", "role": "kiosk", "outbox_backlog": -1},
        {"version": "1", "role": "kiosk", "outbox_oldest_age_s": float("inf")},
        {"version": "1", "role": "kiosk", "devices": [{"role": "x", "backend": "y", "health": "sad"}]},
        {"version": "1", "role": "kiosk", "battery": 3},
        {"role": "kiosk"},
    ):
        with pytest.raises(ValidationError):
            Heartbeat.model_validate(bad)
    answer = HeartbeatAnswer.model_validate({"server_time": "2026-11-22T08:30:01.123+08:00"})
    assert answer.server_time == datetime(2026, 11, 22, 0, 30, 1, 123000, tzinfo=UTC)
    with pytest.raises(ValidationError):
        HeartbeatAnswer.model_validate({"server_time": "2026-11-22T08:30:01"})


def test_tombstone_entry() -> None:
    assert FeedEntry(key="k", version=0, deleted=True, data=None).data is None
