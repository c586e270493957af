"""The outbox table: records waiting for the center, written in the same transaction as the business row.

Every function takes the caller's connection and never commits, so it joins whatever transaction the caller has
open: a rating and its outbox record commit together or not at all. Rows move ``pending`` → deleted (or ``sent``
and kept for the retention period) once the center acknowledges them with a 201, or ``pending`` → ``rejected``
when the center refuses them for good (422, 409) or the row cannot be opened; rejected rows stay for an operator
and are never sent again.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kiosk.store.integrity import OUTBOX, guarded

PENDING, SENT, REJECTED = "pending", "sent", "rejected"

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_ulid_lock = threading.Lock()
_ulid_last = (0, 0)  # (milliseconds, random part) of the last id made in this process


def new_ulid(now: float | None = None) -> str:
    """A ULID: 48 bits of milliseconds then 80 random bits, in Crockford base 32 (26 characters).

    Within one millisecond the random part counts up, so ids made by one process sort in the order made.
    """
    global _ulid_last
    ms = int((time.time() if now is None else now) * 1000) & ((1 << 48) - 1)
    with _ulid_lock:
        last_ms, last_rand = _ulid_last
        rand = (last_rand + 1) & ((1 << 80) - 1) if ms == last_ms else int.from_bytes(secrets.token_bytes(10))
        _ulid_last = (ms, rand)
    value = (ms << 80) | rand
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def new_idempotency_key(terminal_id: str, now: float | None = None) -> str:
    return f"{terminal_id}:{new_ulid(now)}"


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    idempotency_key: str
    kind: str
    created_at: str
    body: bytes
    sealed: bool
    attempts: int


@dataclass(frozen=True, slots=True)
class RejectedRow:
    id: int
    idempotency_key: str
    kind: str
    created_at: str
    last_error: str


@dataclass(frozen=True, slots=True)
class OutboxStats:
    backlog: int  # pending records
    by_kind: tuple[tuple[str, int], ...]  # pending records per kind
    oldest_age_s: float | None  # age of the oldest pending record
    rejected: int  # kept aside for an operator
    kept: int  # acknowledged, kept for the retention period
    last_error: str | None  # the latest failure of a pending record, if any


@guarded(OUTBOX)
def insert(
    conn: sqlite3.Connection, *, idempotency_key: str, kind: str, created_at: str, body: bytes, sealed: bool
) -> int:
    cursor = conn.execute(
        "INSERT INTO outbox(idempotency_key, kind, created_at, body, sealed) VALUES (?, ?, ?, ?, ?)",
        [idempotency_key, kind, created_at, body, int(sealed)],
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


@guarded(OUTBOX)
def pending(
    conn: sqlite3.Connection, *, after_id: int = 0, limit: int = 200, max_bytes: int | None = None
) -> list[OutboxRow]:
    """Pending rows in the order they were written, starting after ``after_id``.

    With ``max_bytes`` the rows stop before the one whose stored body would take the total over it (the first
    row always comes), so a backlog of large records (signatures) is never read into memory a few hundred at
    a time. The sizes come from a first query that reads no body: SQLite knows a blob's length without it.
    """
    if max_bytes is not None:
        sizes = conn.execute(
            "SELECT length(body) FROM outbox WHERE state = 'pending' AND id > ? ORDER BY id LIMIT ?",
            [after_id, limit],
        ).fetchall()
        total, fitting = 0, 0
        for (size,) in sizes:
            total += size or 0
            if fitting and total > max_bytes:
                break
            fitting += 1
        limit = fitting
        if not limit:
            return []
    rows = conn.execute(
        # CAST: a damaged row whose body turned into text must still come back as bytes (and be quarantined).
        "SELECT id, idempotency_key, kind, created_at, CAST(body AS BLOB), sealed, attempts FROM outbox"
        " WHERE state = 'pending' AND id > ? ORDER BY id LIMIT ?",
        [after_id, limit],
    ).fetchall()
    return [OutboxRow(r[0], r[1], r[2], r[3], bytes(r[4]), bool(r[5]), r[6]) for r in rows]


@guarded(OUTBOX)
def acknowledge(conn: sqlite3.Connection, keys: Sequence[str], *, keep: bool, now: datetime) -> int:
    """Rows the center accepted: deleted, or marked sent and kept (still sealed) until purged."""
    before = conn.total_changes
    if keep:
        stamp = now.astimezone(UTC).isoformat(timespec="seconds")
        conn.executemany(
            "UPDATE outbox SET state = 'sent', acked_at = ?, attempts = attempts + 1, last_error = NULL"
            " WHERE idempotency_key = ? AND state = 'pending'",
            [(stamp, k) for k in keys],
        )
    else:
        conn.executemany(
            "DELETE FROM outbox WHERE idempotency_key = ? AND state = 'pending'", [(k,) for k in keys]
        )
    return conn.total_changes - before


@guarded(OUTBOX)
def reject(conn: sqlite3.Connection, rejections: Iterable[tuple[str, str]]) -> int:
    """Rows that will never be accepted as they are, each with the reason; kept for an operator."""
    before = conn.total_changes
    conn.executemany(
        "UPDATE outbox SET state = 'rejected', attempts = attempts + 1, last_error = ?"
        " WHERE idempotency_key = ? AND state = 'pending'",
        [(error, key) for key, error in rejections],
    )
    return conn.total_changes - before


@guarded(OUTBOX)
def note_failure(conn: sqlite3.Connection, keys: Sequence[str], error: str) -> None:
    """A send that did not get through; the rows stay pending and go again next time."""
    conn.executemany(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE idempotency_key = ? AND state = 'pending'",
        [(error, k) for k in keys],
    )


@guarded(OUTBOX)
def purge(conn: sqlite3.Connection, *, retention_days: int, now: datetime) -> int:
    """Delete acknowledged rows older than the retention period."""
    cutoff = (now - timedelta(days=retention_days)).astimezone(UTC).isoformat(timespec="seconds")
    return conn.execute("DELETE FROM outbox WHERE state = 'sent' AND acked_at <= ?", [cutoff]).rowcount


@guarded(OUTBOX)
def rejected(conn: sqlite3.Connection, limit: int = 100) -> list[RejectedRow]:
    rows = conn.execute(
        "SELECT id, idempotency_key, kind, created_at, coalesce(last_error, '') FROM outbox"
        " WHERE state = 'rejected' ORDER BY id LIMIT ?",
        [limit],
    ).fetchall()
    return [RejectedRow(*r) for r in rows]


@guarded(OUTBOX)
def stats(conn: sqlite3.Connection, *, now: datetime) -> OutboxStats:
    by_kind = conn.execute(
        "SELECT kind, count(*) FROM outbox WHERE state = 'pending' GROUP BY kind ORDER BY kind"
    ).fetchall()
    counts = dict(conn.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())
    oldest = conn.execute(
        "SELECT created_at FROM outbox WHERE state = 'pending' ORDER BY id LIMIT 1"
    ).fetchone()
    error = conn.execute(
        "SELECT last_error FROM outbox WHERE state = 'pending' AND last_error IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    age = None
    if oldest is not None:
        try:
            age = max(0.0, (now - datetime.fromisoformat(oldest[0])).total_seconds())
        except (TypeError, ValueError):
            age = None
    return OutboxStats(
        backlog=counts.get(PENDING, 0),
        by_kind=tuple((k, n) for k, n in by_kind),
        oldest_age_s=age,
        rejected=counts.get(REJECTED, 0),
        kept=counts.get(SENT, 0),
        last_error=error[0] if error else None,
    )
