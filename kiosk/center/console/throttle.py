"""Failed sign-ins, kept in the database so that every worker counts the same: after ``PER_NAME`` failures for one
name, or ``PER_ADDRESS`` from one address, within ``WINDOW_S``, sign-in is refused (even with the right
password) until the window has moved past enough of them; the console says how many minutes to wait."""

from __future__ import annotations

import math
from typing import Final

from kiosk.center.store import Store

WINDOW_S: Final = 15 * 60
PER_NAME: Final = 5
PER_ADDRESS: Final = 20  # higher: an office's operators may share one address behind its router


def _wait(store: Store, column: str, value: str, limit: int, now: float) -> float:
    rows = store.query(
        f"SELECT at_unix FROM sign_in_failures WHERE {column} = ? AND at_unix > ? "  # column: one of two below
        "ORDER BY at_unix DESC LIMIT ?",
        (value, now - WINDOW_S, limit),
    )
    if len(rows) < limit:
        return 0.0
    # Free again once the limit-th newest failure has left the window.
    return max(0.0, float(rows[-1]["at_unix"]) + WINDOW_S - now)


def wait_s(store: Store, name: str, address: str, now: float) -> float:
    """Seconds until a sign-in for ``name`` from ``address`` is taken again (0: now)."""
    return max(
        _wait(store, "name", name.lower(), PER_NAME, now),
        _wait(store, "address", address, PER_ADDRESS, now),
    )


def wait_minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))


def failed(store: Store, name: str, address: str, now: float) -> None:
    with store.transaction() as db:
        db.execute("DELETE FROM sign_in_failures WHERE at_unix <= ?", (now - WINDOW_S,))
        db.execute(
            "INSERT INTO sign_in_failures (name, address, at_unix) VALUES (?, ?, ?)",
            (name.lower()[:64], address, now),
        )


def cleared(store: Store, name: str) -> None:
    """After a successful sign-in: the name's own failures are forgotten (the address's are not)."""
    with store.transaction() as db:
        db.execute("DELETE FROM sign_in_failures WHERE name = ?", (name.lower(),))
