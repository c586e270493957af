"""The per-day counter behind receipt numbers (:mod:`kiosk.domain.receipt`); written inside the caller's
transaction, like the outbox record it numbers.

The counter lives in the database, and the last sequence issued each day also in the marker next to it
(:mod:`kiosk.store.database_marker`): a database replaced by an empty or older copy, or repaired without its
counters, would count the day from where it stood and give out numbers already printed for citizens. A number is
therefore issued past the higher of the two (:func:`next_sequence` with ``printed``), and recorded in the marker
once its transaction has committed (:func:`record_issued`), before anyone is shown it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kiosk.store import database_marker


def next_sequence(conn: sqlite3.Connection, day: str, *, printed: int = 0) -> int:
    """The next sequence of ``day`` (``yymmdd``), counted from 1 and past ``printed`` (the last one issued as the
    marker recorded it, :func:`last_printed`); call inside the submission's transaction."""
    conn.execute(
        "INSERT INTO receipt_counters(day, last) VALUES (?, ?)"
        " ON CONFLICT(day) DO UPDATE SET last = max(last + 1, excluded.last)",
        [day, printed + 1],
    )
    row = conn.execute("SELECT last FROM receipt_counters WHERE day = ?", [day]).fetchone()
    return int(row[0])


def issued(conn: sqlite3.Connection, day: str) -> int:
    """How many numbers ``day`` has given out."""
    row = conn.execute("SELECT last FROM receipt_counters WHERE day = ?", [day]).fetchone()
    return int(row[0]) if row else 0


def last_printed(database_path: Path, day: str) -> int:
    """The last sequence of ``day`` issued as the marker next to the database recorded it (0: none)."""
    return database_marker.last_receipt(database_path, day)


def record_issued(database_path: Path, day: str, sequence: int) -> None:
    """Keep ``sequence`` of ``day`` in the marker, outside the database; call once its transaction committed.
    A marker that cannot be written is logged (the database still counts the number)."""
    database_marker.record_receipt(database_path, day, sequence)
