"""The usage counts kept on the terminal until their period is closed (kiosk.services.usage, docs/usage.md).

Every function takes the caller's connection and never commits: the service calls them on the one serialised
writer, inside a transaction, so a count added and a period closed into the outbox are each all or nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

LAST_TICK = "last_tick_unix"
CLOSED_UNTIL = "closed_until_unix"


def add(conn: sqlite3.Connection, period_unix: int, counts: Iterable[tuple[str, str, float]]) -> None:
    """Add each ``(metric, key, value)`` to the period's counts."""
    conn.executemany(
        "INSERT INTO usage_counts (period_unix, metric, key, value) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (period_unix, metric, key) DO UPDATE SET value = value + excluded.value",
        [(period_unix, metric, key, value) for metric, key, value in counts],
    )


def periods_before(conn: sqlite3.Connection, before_unix: int) -> list[int]:
    """The periods with counts that started before ``before_unix``, oldest first."""
    rows = conn.execute(
        "SELECT DISTINCT period_unix FROM usage_counts WHERE period_unix < ? ORDER BY period_unix",
        [before_unix],
    ).fetchall()
    return [int(row[0]) for row in rows]


def counts(conn: sqlite3.Connection, period_unix: int) -> list[tuple[str, str, float]]:
    rows = conn.execute(
        "SELECT metric, key, value FROM usage_counts WHERE period_unix = ? ORDER BY metric, key",
        [period_unix],
    ).fetchall()
    return [(str(m), str(k), float(v)) for m, k, v in rows]


def drop(conn: sqlite3.Connection, period_unix: int) -> None:
    conn.execute("DELETE FROM usage_counts WHERE period_unix = ?", [period_unix])


def state(conn: sqlite3.Connection, name: str) -> float | None:
    row = conn.execute("SELECT value FROM usage_state WHERE name = ?", [name]).fetchone()
    return None if row is None else float(row[0])


def set_state(conn: sqlite3.Connection, name: str, value: float) -> None:
    conn.execute(
        "INSERT INTO usage_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        [name, value],
    )


def pending_periods(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT count(DISTINCT period_unix) FROM usage_counts").fetchone()
    return int(row[0] or 0)
