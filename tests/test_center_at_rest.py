"""Personal data at the reference center is sealed at rest under a key file kept outside the database: records
delivered over the real API leave no name, ID number, phone number, address or signature in the database files;
cases are still found by ID number (a keyed hash); the operator sees masked values; a missing, foreign or exposed
key file is refused plainly; and a database from before the key file is sealed when it is first opened."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.center import schema as center_schema
from kiosk.center.keyfile import key_path_for, load_keys
from kiosk.center.store import Store, StoreError
from kiosk.cli.main import main
from kiosk.protocol import canonical_json, record_fingerprint
from tests import center_support
from tests.center_support import CenterServer

center_server = center_support.center_server

NAME, ID_NUMBER, PHONE = "陈秀英", "441803194803150621", "13812345678"
ADDRESS = "广东省清远市清新区太平镇禾丰村委会下围村12号"
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
PERSONAL = (NAME, ID_NUMBER, PHONE, ADDRESS, SIGNATURE)
RECEIPT = "48291526120600017"


def submission(receipt: str = RECEIPT) -> dict[str, Any]:
    return {
        "format": "kiosk-submission/1",
        "template": {"code": "QY-RS-SBKBHK", "version": 1},
        "receipt": receipt,
        "created_at": "2026-12-06T09:05:00+08:00",
        "values": {
            "name": NAME,
            "id_number": ID_NUMBER,
            "phone": PHONE,
            "address": ADDRESS,
            "apply_type": "lost",
        },
        "signature": {"format": "png", "data": SIGNATURE},
    }


def rating(receipt: str = RECEIPT) -> dict[str, Any]:
    return {
        "format": "kiosk-rating/1",
        "subject": {"kind": "case", "id": receipt},
        "level": 5,
        "indicators": {"overall": 5},
        "channel": "self_service_terminal",
        "rated_at": "2026-12-06T09:30:00+08:00",
        "rater": {"name": NAME, "id_number": ID_NUMBER, "card_type": "resident"},
    }


def record(terminal_id: str, n: int, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "idempotency_key": f"{terminal_id}:01JEF{n:021d}",
        "kind": kind,
        "created_at": "2026-12-06T09:05:00+08:00",
        "body": body,
    }


def push(server: CenterServer, terminal_id: str, secret_hex: str, *records: dict[str, Any]) -> list[dict]:
    response = requests.post(
        server.url + "/api/v1/records",
        json={"records": list(records)},
        auth=server.auth(terminal_id, secret_hex),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()["results"]


def database_bytes(db_path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))


def assert_nothing_personal(db_path: Path) -> None:
    data = database_bytes(db_path)
    for value in PERSONAL:
        assert value.encode("utf-8") not in data, value


def test_delivered_records_are_sealed_and_cases_found_by_a_keyed_hash(center_server: CenterServer) -> None:
    terminal_id, secret_hex = center_server.add_terminal("village")
    results = push(
        center_server,
        terminal_id,
        secret_hex,
        record(terminal_id, 1, "submission", submission()),
        record(terminal_id, 2, "rating", rating()),
    )
    assert [r["status"] for r in results] == [201, 201]
    assert_nothing_personal(center_server.db_path)

    # The key file beside the database, owner-only; the database holds its id, not the keys.
    key_path = center_server.db_path.with_name("center.key")
    assert key_path.is_file()
    if sys.platform != "win32":
        assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    keys = load_keys(key_path)
    with sqlite3.connect(center_server.db_path) as db:
        meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
        person_keys = [row[0] for row in db.execute("SELECT person_key FROM cases")]
    assert set(meta) == {"cursor_key", "key_id"} and meta["key_id"] == keys.key_id
    assert person_keys == [hmac.new(keys.lookup_key, ID_NUMBER.encode(), hashlib.sha256).hexdigest()]

    # What the center serves and processes is the clear record: cases by ID number, bodies for the operator.
    response = requests.post(
        center_server.url + "/api/v1/cases/query",
        json={"id_number": ID_NUMBER.lower()},
        auth=center_server.auth(terminal_id, secret_hex),
        timeout=10,
    )
    assert [c["receipt"] for c in response.json()["cases"]] == [RECEIPT]
    bodies = {r["kind"]: r["body"] for r in center_server.records()}
    assert bodies == {"submission": submission(), "rating": rating()}
    # Resent unchanged: the first answer again (the keyed fingerprint matches); changed: a conflict.
    again = push(center_server, terminal_id, secret_hex, record(terminal_id, 1, "submission", submission()))
    assert again == results[:1]
    changed = {**submission(), "values": {**submission()["values"], "phone": "13900000000"}}
    conflict = push(center_server, terminal_id, secret_hex, record(terminal_id, 1, "submission", changed))
    assert conflict[0]["status"] == 409


def test_the_operator_sees_records_masked(center_server: CenterServer, capsys) -> None:
    terminal_id, secret_hex = center_server.add_terminal("village")
    push(
        center_server,
        terminal_id,
        secret_hex,
        record(terminal_id, 1, "submission", submission()),
        record(terminal_id, 2, "rating", rating()),
        record(terminal_id, 3, "event", {"what": "door", "note": f"call {PHONE}"}),
    )
    assert main(["center", "records", "--db", str(center_server.db_path)]) == 0
    listed = capsys.readouterr().out
    assert main(["center", "records", "--json", "--db", str(center_server.db_path)]) == 0
    shown = capsys.readouterr().out
    for text in (listed, shown):
        for value in PERSONAL:
            assert value not in text
    assert f"{RECEIPT} QY-RS-SBKBHK 陈*英" in listed and "level 5 case:" in listed
    masked = {r["kind"]: r["body"] for r in json.loads(shown)}
    assert masked["submission"]["values"] == {
        "name": "陈*英",
        "id_number": "441************621",
        "phone": "138****5678",
        "address": "广东省清远市******",
        "apply_type": "lost",
    }
    assert masked["submission"]["signature"] == "（签名已隐藏）"
    assert masked["rating"]["rater"] == {
        "name": "陈*英",
        "id_number": "441************621",
        "card_type": "resident",
    }
    assert masked["event"] == {"what": "door", "note": "call 138****5678"}


def test_a_missing_or_foreign_key_file_is_refused_plainly(tmp_path: Path, capsys) -> None:
    db = tmp_path / "center.db"
    Store(db).close()
    key_path = key_path_for(db)
    saved = key_path.read_bytes()
    key_path.unlink()
    with pytest.raises(StoreError, match=r"center.key is missing: .*Restore the file from its backup"):
        Store(db)
    assert main(["center", "records", "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kiosk: the center's key file") and "missing" in err[0]
    assert not key_path.exists()  # never replaced by a new key behind the operator's back

    other = tmp_path / "other" / "center.db"
    Store(other).close()
    key_path.write_bytes(key_path_for(other).read_bytes())
    key_path.chmod(0o600)
    with pytest.raises(StoreError, match="is not this database's"):
        Store(db)
    key_path.write_bytes(saved)
    Store(db).close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_key_file_others_may_read_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "center.db"
    Store(db).close()
    key_path_for(db).chmod(0o644)
    with pytest.raises(StoreError, match=r"may be read by others \(mode 644\): run 'chmod 600"):
        Store(db)


def test_a_backup_of_the_key_is_checked_against_the_database(tmp_path: Path, capsys) -> None:
    db = tmp_path / "center.db"
    Store(db).close()
    backup = tmp_path / "usb" / "center.key"
    backup.parent.mkdir()
    backup.write_bytes(key_path_for(db).read_bytes())
    backup.chmod(0o600)
    assert main(["center", "key", "show", "--key-file", str(backup), "--db", str(db), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["key_file"] == str(backup) and shown["suite"] == "standard" and shown["records"] == 0
    assert "seal_key" not in json.dumps(shown) and load_keys(backup).seal_key.hex() not in json.dumps(shown)


def test_a_guomi_center_seals_with_sm4_and_hashes_with_sm3(tmp_path: Path, capsys) -> None:
    db = tmp_path / "center.db"
    assert main(["center", "key", "init", "--guomi", "--db", str(db)]) == 0
    assert "(guomi, key id" in capsys.readouterr().out
    server = CenterServer(db)
    try:
        server.start()
        terminal_id, secret_hex = server.add_terminal("hall", sm3=True)
        assert (
            push(server, terminal_id, secret_hex, record(terminal_id, 1, "submission", submission()))[0][
                "status"
            ]
            == 201
        )
        assert server.records()[0]["body"] == submission()
    finally:
        server.close()
    assert_nothing_personal(db)
    with sqlite3.connect(db) as connection:
        (sealed,) = connection.execute("SELECT body FROM records").fetchone()
    assert sealed[:2] == b"\x01\x02"  # envelope version 1, suite 2 (SM4-GCM)


def test_a_sealed_body_moved_to_another_row_does_not_open(center_server: CenterServer) -> None:
    terminal_id, secret_hex = center_server.add_terminal("village")
    push(
        center_server,
        terminal_id,
        secret_hex,
        record(terminal_id, 1, "submission", submission()),
        record(terminal_id, 2, "event", {"n": 1}),
    )
    with sqlite3.connect(center_server.db_path) as db:
        body = db.execute("SELECT body FROM records WHERE kind = 'submission'").fetchone()[0]
        db.execute("UPDATE records SET body = ? WHERE kind = 'event'", (body,))
    listed = {r["kind"]: r for r in center_server.records()}
    assert listed["submission"]["body"] == submission()
    assert listed["event"]["body"] is None and "does not open" in listed["event"]["problem"]


# -- a database from before the key file -----------------------------------------------------------------------


def legacy_center(db_path: Path) -> dict[str, Any]:
    """A center database as the version before the key file left it: its keys in ``meta``, record bodies in
    clear with SHA-256 fingerprints, a case under HMAC-SHA256 of the ID number, a person sealed under
    ``meta.identity_key``."""
    person_key, identity_key = secrets.token_bytes(32), secrets.token_bytes(32)
    terminal_secret = secrets.token_bytes(32)
    db = sqlite3.connect(db_path)
    for statement in center_schema.BASE_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    db.executemany(
        "INSERT INTO meta (name, value) VALUES (?, ?)",
        [("cursor_key", secrets.token_bytes(32)), ("person_key", person_key), ("identity_key", identity_key)],
    )
    db.execute(
        "INSERT INTO terminals (id, name, secret, algorithm, enabled, created_at) VALUES "
        "('T-0ld00001', 'old', ?, 'HMAC-SHA256', 1, '2026-01-01T00:00:00+08:00')",
        (terminal_secret,),
    )
    body = submission()
    key = "T-0ld00001:01JAAAAAAAAAAAAAAAAAAAAAAA"
    answer = {"idempotency_key": key, "status": 201, "record_id": 1}
    db.execute(
        "INSERT INTO records (record_id, terminal_id, idempotency_key, kind, fingerprint, body, created_at, "
        "received_at, answer) VALUES (1, 'T-0ld00001', ?, 'submission', ?, ?, ?, ?, ?)",
        (
            key,
            record_fingerprint("submission", body),
            canonical_json(body).decode("utf-8"),
            "2026-01-02T09:00:00+08:00",
            "2026-01-02T09:00:01+08:00",
            canonical_json(answer).decode("utf-8"),
        ),
    )
    hashed = hmac.new(person_key, ID_NUMBER.encode(), hashlib.sha256).hexdigest()
    history = [{"state": "已受理", "at": "2026-01-02T09:00:01+08:00", "note": ""}]
    db.execute(
        "INSERT INTO cases (case_id, receipt, person_key, title, department, state, updated_at, history, "
        "record_id) VALUES ('C00000001', ?, ?, '社会保障卡申领', '人社局', '已受理', ?, ?, 1)",
        (RECEIPT, hashed, history[0]["at"], json.dumps(history)),
    )
    person = {
        "name": NAME,
        "id_number": ID_NUMBER,
        "sex": "女",
        "nation": "汉",
        "birth_date": "1948-03-15",
        "address": ADDRESS,
    }
    nonce = secrets.token_bytes(12)
    sealed = nonce + AESGCM(identity_key).encrypt(nonce, canonical_json(person), hashed.encode("ascii"))
    db.execute(
        "INSERT INTO people (person_key, identity, updated_at) VALUES (?, ?, '2026-01-01')", (hashed, sealed)
    )
    db.commit()
    db.close()
    return {"secret": terminal_secret, "key": key, "answer": answer, "person_key": person_key}


def test_an_older_database_is_sealed_when_first_opened_and_keeps_working(tmp_path: Path) -> None:
    db = tmp_path / "center.db"
    legacy = legacy_center(db)
    assert NAME.encode() in database_bytes(db)  # the starting point: names in clear

    server = CenterServer(db)
    try:
        server.start()
        assert_nothing_personal(db)
        keys = load_keys(key_path_for(db))
        assert keys.lookup_key == legacy["person_key"]  # cases stay filed where they were
        with sqlite3.connect(db) as connection:
            meta = dict(connection.execute("SELECT name, value FROM meta").fetchall())
        assert set(meta) == {"cursor_key", "key_id"}
        # The record reads as before; resent unchanged it gets its first answer, changed a conflict.
        (stored,) = server.records()
        assert stored["body"] == submission() and stored["idempotency_key"] == legacy["key"]
        session = requests.Session()
        session.auth = server.auth("T-0ld00001", legacy["secret"].hex())
        resent = {
            "idempotency_key": legacy["key"],
            "kind": "submission",
            "created_at": "2026-01-02T09:00:00+08:00",
            "body": submission(),
        }
        answer = session.post(server.url + "/api/v1/records", json={"records": [resent]}, timeout=10)
        assert answer.json()["results"] == [legacy["answer"]]
        resent["body"] = {**submission(), "receipt": "48291526120600025"}
        answer = session.post(server.url + "/api/v1/records", json={"records": [resent]}, timeout=10)
        assert answer.json()["results"][0]["status"] == 409
        # The case is found by the ID number, the person opens (and can be issued an identity code).
        cases = session.post(server.url + "/api/v1/cases/query", json={"id_number": ID_NUMBER}, timeout=10)
        assert [c["receipt"] for c in cases.json()["cases"]] == [RECEIPT]
    finally:
        server.close()
    store = Store(db)
    try:
        assert store.person(ID_NUMBER) == {
            "name": NAME,
            "id_number": ID_NUMBER,
            "sex": "女",
            "nation": "汉",
            "birth_date": "1948-03-15",
            "address": ADDRESS,
        }
        issued = store.issue_identity_code(ID_NUMBER)
        assert store.resolve_identity_code(issued.code, "T-0ld00001")["name"] == NAME
    finally:
        store.close()
    assert_nothing_personal(db)
    assert os.stat(key_path_for(db)).st_size < 1024
