"""The outbox at rest: keys in a private folder, sealed personal records, rows that commit with their business row."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from dataclasses import replace

import pytest

from kiosk.protocol.canonical import canonical_json
from kiosk.protocol.models import OutboxRecord
from kiosk.services.sync.outbox import OutboxService
from kiosk.services.terminal import Terminal
from kiosk.store import outbox as store
from kiosk.store.database import Database
from kiosk.store.keystore import Keystore, KeystoreError, NotEnrolled
from kiosk.store.migrations import MIGRATIONS
from kiosk.store.sealing import HEADER_BYTES, Sealer, SealError

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")

SECRET = bytes(range(32))


@pytest.fixture
def keystore(tmp_path):
    return Keystore(tmp_path / "secrets")


@pytest.fixture
def outbox(terminal, keystore):
    return OutboxService(terminal.database, terminal_id="QY-QC-0001", sealer=Sealer(keystore, "standard"))


def write(terminal: Terminal, fn):
    """Run ``fn(conn)`` in one transaction on the serialised writer, as features do."""

    def job():
        with terminal.database.transaction() as conn:
            return fn(conn)

    return terminal.background.write(job).result()


# -- sealing -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("suite", ["standard", "guomi"])
def test_sealing_round_trip_hides_the_plaintext(keystore, suite):
    sealer = Sealer(keystore, suite)
    plain = '{"id_number":"440102199001011234","name":"张三"}'.encode()
    sealed = sealer.seal(plain, bound_to="T-1:01ABC")
    assert b"440102" not in sealed and "张三".encode() not in sealed
    assert sealed[1] == {"standard": 1, "guomi": 2}[suite]
    assert len(sealed) == HEADER_BYTES + len(plain) + 16
    assert sealer.open(sealed, bound_to="T-1:01ABC") == plain
    assert sealer.seal(plain, bound_to="T-1:01ABC") != sealed  # a fresh nonce every time
    key = keystore.data_key(suite)
    assert len(key.key) == {"standard": 32, "guomi": 16}[suite]
    assert key.key.hex() not in repr(key) and "key=" not in repr(key)


@pytest.mark.parametrize("suite", ["standard", "guomi"])
def test_tampering_and_row_swaps_are_detected(keystore, suite):
    sealer = Sealer(keystore, suite)
    sealed = sealer.seal(b'{"score": 5}', bound_to="T-1:A")
    for position in (0, 1, 3, HEADER_BYTES - 1, HEADER_BYTES, len(sealed) - 1):
        tampered = bytearray(sealed)
        tampered[position] ^= 0x01
        with pytest.raises(SealError):
            sealer.open(bytes(tampered), bound_to="T-1:A")
    with pytest.raises(SealError, match="another row"):
        sealer.open(sealed, bound_to="T-1:B")
    for broken in (b"", sealed[:10], sealed[:-1]):
        with pytest.raises(SealError):
            sealer.open(broken, bound_to="T-1:A")


def test_rows_sealed_before_a_suite_change_still_open(keystore):
    old = Sealer(keystore, "standard").seal(b"{}", bound_to="k")
    assert Sealer(keystore, "guomi").open(old, bound_to="k") == b"{}"


def test_a_lost_data_key_is_a_seal_error(tmp_path):
    sealed = Sealer(Keystore(tmp_path / "a"), "standard").seal(b"{}", bound_to="k")
    with pytest.raises(SealError, match="not available"):
        Sealer(Keystore(tmp_path / "b"), "standard").open(sealed, bound_to="k")


# -- the keystore --------------------------------------------------------------------------------------------


@posix_only
def test_secrets_are_private_whatever_the_umask(keystore):
    old = os.umask(0)
    try:
        keystore.store_secret(SECRET)
        keystore.data_key("standard")
    finally:
        os.umask(old)
    assert stat.S_IMODE(keystore.folder.stat().st_mode) == 0o700
    for path in keystore.folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert keystore.secret() == SECRET
    assert SECRET.hex() not in repr(keystore)


@posix_only
def test_a_secrets_file_others_can_read_is_refused(keystore):
    keystore.store_secret(SECRET)
    path = keystore.folder / "terminal-secret"
    path.chmod(0o644)
    with pytest.raises(KeystoreError, match=r"open to other users.*chmod 600"):
        keystore.secret()
    path.chmod(0o600)
    keystore.folder.chmod(0o755)
    with pytest.raises(KeystoreError, match="chmod 700"):
        Keystore(keystore.folder).secret()


def test_no_secret_means_not_enrolled(keystore):
    assert not keystore.has_secret()
    with pytest.raises(NotEnrolled, match="kiosk enroll"):
        keystore.secret()
    with pytest.raises(KeystoreError):
        keystore.store_secret(b"short")


def test_the_data_key_survives_a_restart(keystore):
    first = keystore.data_key("guomi")
    assert Keystore(keystore.folder).data_key("guomi") == first


# -- the outbox ----------------------------------------------------------------------------------------------


def test_a_rolled_back_transaction_leaves_no_outbox_row(terminal, outbox):
    def business_then_failure(conn):
        conn.execute("CREATE TABLE IF NOT EXISTS ratings(score INTEGER)")
        conn.execute("INSERT INTO ratings VALUES (5)")
        outbox.add(conn, "rating", {"score": 5}, personal=False)
        raise RuntimeError("the printer jammed before the commit")

    with pytest.raises(RuntimeError):
        write(terminal, business_then_failure)
    assert outbox.stats().backlog == 0
    assert terminal.database.connection().execute("SELECT count(*) FROM outbox").fetchone()[0] == 0

    key = write(terminal, lambda conn: outbox.add(conn, "rating", {"score": 5}, personal=False))
    assert outbox.stats().backlog == 1
    assert key.startswith("QY-QC-0001:") and len(key.split(":")[1]) == 26


def test_personal_records_are_sealed_and_others_are_json(terminal, outbox):
    write(terminal, lambda conn: outbox.add(conn, "submission", {"name": "张三"}, personal=True))
    write(terminal, lambda conn: outbox.add(conn, "rating", {"score": 4}, personal=False))
    rows = store.pending(terminal.database.connection())
    sealed, plain = rows
    assert sealed.sealed and "张三".encode() not in sealed.body
    assert not plain.sealed and plain.body == b'{"score":4}'
    assert outbox.open(sealed).body == {"name": "张三"}
    record = outbox.open(plain)
    assert record.kind == "rating" and record.created_at.tzinfo is not None


def test_a_sealed_body_moved_to_another_row_does_not_open(terminal, outbox):
    write(terminal, lambda conn: outbox.add(conn, "submission", {"name": "张三"}, personal=True))
    write(terminal, lambda conn: outbox.add(conn, "submission", {"name": "李四"}, personal=True))
    first, second = store.pending(terminal.database.connection())
    swapped = store.OutboxRow(
        second.id, second.idempotency_key, second.kind, second.created_at, first.body, True, 0
    )
    with pytest.raises(SealError):
        outbox.open(swapped)


def test_encode_gives_the_canonical_record_around_the_stored_body(terminal, outbox):
    body = {"name": "张三", "signature": {"format": "strokes", "strokes": [[[0.5, 1.0], [2.0, 3.5]]]}, "n": 1}
    write(terminal, lambda conn: outbox.add(conn, "submission", body, personal=True))
    write(terminal, lambda conn: outbox.add(conn, "rating", {"score": 4}, personal=False))
    for row in store.pending(terminal.database.connection()):
        record = outbox.open(row)
        expected = {
            "body": record.body,
            "created_at": row.created_at,
            "idempotency_key": row.idempotency_key,
            "kind": row.kind,
        }
        assert outbox.encode(row) == canonical_json(expected)
        assert OutboxRecord.model_validate_json(outbox.encode(row)) == record


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"body": b'{"n":1'}, "body: not JSON"),
        ({"body": b'{"n":NaN}'}, "body: not JSON"),
        ({"body": b"\xff\xfe"}, "body: not JSON"),
        ({"body": b"[1,2]"}, "body: not a JSON object"),
        ({"created_at": "2026-11-22T08:30:00"}, "created_at"),  # no offset
        ({"created_at": "1790000000"}, "created_at"),
        ({"created_at": "2026-13-22T08:30:00+08:00"}, "created_at"),
        ({"kind": "gossip"}, "kind"),
        ({"idempotency_key": "T-1"}, "idempotency_key"),
    ],
)
def test_encode_refuses_a_row_the_center_would_refuse(outbox, change, problem):
    row = store.OutboxRow(
        7, "QY-QC-0001:01JD00000000000000000000AB", "event", "2026-11-22T08:30:00+08:00", b"{}", False, 0
    )
    assert outbox.encode(row) == canonical_json(
        {"body": {}, "created_at": row.created_at, "idempotency_key": row.idempotency_key, "kind": "event"}
    )
    with pytest.raises(SealError, match=f"outbox row 7 holds no valid record \\({problem}"):
        outbox.encode(replace(row, **change))


def test_pending_rows_can_be_bounded_by_their_stored_size(terminal, outbox):
    for n in (100, 300, 300, 50):
        write(terminal, lambda conn, n=n: outbox.add(conn, "event", {"x": "a" * n}, personal=False))
    conn = terminal.database.connection()
    sizes = [len(r.body) for r in store.pending(conn)]
    assert [len(r.body) for r in store.pending(conn, max_bytes=sizes[0] + sizes[1])] == sizes[:2]
    assert [len(r.body) for r in store.pending(conn, max_bytes=sizes[0] + sizes[1] - 1)] == sizes[:1]
    assert [len(r.body) for r in store.pending(conn, max_bytes=1)] == sizes[:1]  # the first always comes
    assert len(store.pending(conn, limit=3, max_bytes=10**6)) == 3
    after = store.pending(conn)[1].id
    assert [len(r.body) for r in store.pending(conn, after_id=after, max_bytes=sizes[2] + sizes[3])] == sizes[
        2:
    ]
    assert store.pending(conn, after_id=store.pending(conn)[-1].id, max_bytes=10) == []


def test_bad_records_are_refused_at_the_door(terminal, outbox):
    with pytest.raises(ValueError, match="unknown record kind"):
        write(terminal, lambda conn: outbox.add(conn, "gossip", {}, personal=False))
    with pytest.raises(ValueError, match="plain JSON"):
        write(terminal, lambda conn: outbox.add(conn, "event", {"x": object()}, personal=False))
    with pytest.raises(ValueError, match="plain JSON"):
        write(terminal, lambda conn: outbox.add(conn, "event", {"x": float("nan")}, personal=False))
    assert outbox.stats().backlog == 0


def test_stats_count_the_backlog_by_kind_and_age(terminal, keystore):
    now = [1_790_000_000.0]
    outbox = OutboxService(
        terminal.database, terminal_id="T-1", sealer=Sealer(keystore, "standard"), clock=lambda: now[0]
    )
    write(terminal, lambda conn: outbox.add(conn, "rating", {"score": 1}, personal=False))
    now[0] += 60
    write(terminal, lambda conn: outbox.add(conn, "event", {"e": 1}, personal=False))
    write(terminal, lambda conn: outbox.add(conn, "event", {"e": 2}, personal=True))
    keys = [r.idempotency_key for r in store.pending(terminal.database.connection())]
    write(terminal, lambda conn: store.reject(conn, [(keys[1], "422 body.e: bad")]))
    now[0] += 30
    stats = outbox.stats()
    assert stats.backlog == 2
    assert dict(stats.by_kind) == {"rating": 1, "event": 1}
    assert stats.oldest_age_s == pytest.approx(90, abs=1)
    assert stats.rejected == 1
    assert [r.last_error for r in outbox.rejected()] == ["422 body.e: bad"]


def test_idempotency_keys_sort_in_the_order_made():
    keys = [store.new_ulid(1_790_000_000.0) for _ in range(50)] + [store.new_ulid(1_790_000_000.5)]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert all(len(k) == 26 and set(k) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for k in keys)


def test_fill_writes_thousands_through_add_in_batches(terminal, outbox):
    written = terminal.background.write(outbox.fill, 2500, kind="event", personal=True, batch=1000).result()
    assert written == 2500
    stats = outbox.stats()
    assert stats.backlog == 2500 and dict(stats.by_kind) == {"event": 2500}
    rows = store.pending(terminal.database.connection(), limit=3)
    assert all(r.sealed for r in rows)
    assert outbox.open(rows[0]).body["n"] == 0


def test_acknowledged_rows_are_deleted_or_kept_then_purged(terminal, outbox):
    from datetime import UTC, datetime, timedelta

    for n in range(3):
        write(terminal, lambda conn, n=n: outbox.add(conn, "event", {"n": n}, personal=True))
    a, b, c = (r.idempotency_key for r in store.pending(terminal.database.connection()))
    now = datetime(2026, 11, 22, tzinfo=UTC)
    assert write(terminal, lambda conn: store.acknowledge(conn, [a], keep=False, now=now)) == 1
    assert write(terminal, lambda conn: store.acknowledge(conn, [b], keep=True, now=now)) == 1
    stats = outbox.stats()
    assert (stats.backlog, stats.kept) == (1, 1)
    kept = (
        terminal.database.connection()
        .execute("SELECT body, sealed FROM outbox WHERE state = 'sent'")
        .fetchone()
    )
    assert kept[1] == 1 and b'"n"' not in kept[0]  # kept sealed
    assert write(terminal, lambda conn: store.purge(conn, retention_days=3, now=now + timedelta(days=2))) == 0
    assert write(terminal, lambda conn: store.purge(conn, retention_days=3, now=now + timedelta(days=3))) == 1
    assert [r.idempotency_key for r in store.pending(terminal.database.connection())] == [c]


def test_a_v2_database_gains_the_sync_tables(settings):
    settings.data_dir.mkdir(parents=True)
    Database(settings.database_path, MIGRATIONS[:2]).close()
    db = Database(settings.database_path, MIGRATIONS)
    assert db.schema_version >= 3
    tables = {r[0] for r in db.connection().execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"outbox", "sync_cursors", "form_templates", "notices", "center_settings", "sync_state"} <= tables
    with pytest.raises(sqlite3.IntegrityError):
        db.connection().execute(
            "INSERT INTO outbox(idempotency_key, kind, created_at, body, state) VALUES ('k', 'e', 't', x'', 'lost')"
        )
    db.close()
