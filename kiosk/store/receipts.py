"""The per-day counter behind receipt numbers (:mod:`kiosk.domain.receipt`); written inside the caller's
transaction, like the outbox record it numbers."""

from __future__ import annotations

import sqlite3


def next_sequence(conn: sqlite3.Connection, day: str) -> int:
    """The next sequence of ``day`` (``yymmdd``), counted from 1; call inside the submission's transaction."""
    conn.execute(
        "INSERT INTO receipt_counters(day, last) VALUES (?, 1) ON CONFLICT(day) DO UPDATE SET last = last + 1",
        [day],
    )
    row = conn.execute("SELECT last FROM receipt_counters WHERE day = ?", [day]).fetchone()
    return int(row[0])


def issued(conn: sqlite3.Connection, day: str) -> int:
    """How many numbers ``day`` has given out."""
    row = conn.execute("SELECT last FROM receipt_counters WHERE day = ?", [day]).fetchone()
    return int(row[0]) if row else 0
