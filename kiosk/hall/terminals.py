"""The hall's terminals (kiosks, displays, counters, rating pads) and who is asking: the protocol's request
signing, checked as the center checks it (docs/protocol.md), against the terminals enrolled with this hall.

The reason for a refusal is logged here only; the terminal learns "unauthorized". No log line carries a secret,
a signature or a body.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.hall.clock import iso
from kiosk.hall.db import HallDb
from kiosk.hall.errors import SetupError
from kiosk.protocol import ALGORITHMS, DEFAULT_ALGORITHM, NONCE_TTL_S, new_secret
from kiosk.protocol.verification import RequestRefused, check_request

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HallTerminal:
    terminal_id: str
    name: str
    algorithm: str
    enabled: bool
    created_at: str
    last_seen_at: str | None
    secret: bytes = field(repr=False)

    def summary(self) -> dict[str, object]:
        return {
            "terminal_id": self.terminal_id,
            "name": self.name,
            "algorithm": self.algorithm,
            "enabled": self.enabled,
            "created_at": self.created_at,
            "last_seen_at": self.last_seen_at,
        }


def _terminal(row: sqlite3.Row) -> HallTerminal:
    return HallTerminal(
        row["id"],
        row["name"],
        row["algorithm"],
        bool(row["enabled"]),
        row["created_at"],
        row["last_seen_at"],
        bytes(row["secret"]),
    )


def add_terminal(db: HallDb, name: str, algorithm: str = DEFAULT_ALGORITHM) -> HallTerminal:
    """A new terminal with a fresh id (``Q-`` and 8 hex digits) and secret; the caller shows the secret once."""
    if algorithm not in ALGORITHMS:
        raise SetupError(f"unknown signing algorithm {algorithm!r}")
    name = name.strip()
    if not 1 <= len(name) <= 80:
        raise SetupError("a terminal needs a name of 1-80 characters")
    secret = new_secret()
    created = iso(db.now())
    with db.write() as conn:
        while True:
            terminal_id = f"Q-{secrets.token_hex(4)}"
            if conn.execute("SELECT 1 FROM terminals WHERE id = ?", (terminal_id,)).fetchone() is None:
                break
        conn.execute(
            "INSERT INTO terminals (id, name, secret, algorithm, enabled, created_at) VALUES (?, ?, ?, ?, 1, ?)",
            (terminal_id, name, secret, algorithm, created),
        )
    log.info("hall terminal %s (%s, %s) added", terminal_id, name, algorithm)
    return HallTerminal(terminal_id, name, algorithm, True, created, None, secret)


def terminal(db: HallDb, terminal_id: str) -> HallTerminal | None:
    rows = db.rows("SELECT * FROM terminals WHERE id = ?", (terminal_id,))
    return _terminal(rows[0]) if rows else None


def terminals(db: HallDb) -> list[HallTerminal]:
    return [_terminal(row) for row in db.rows("SELECT * FROM terminals ORDER BY created_at, id")]


def set_enabled(db: HallDb, terminal_id: str, enabled: bool) -> bool:
    with db.write() as conn:
        changed = conn.execute(
            "UPDATE terminals SET enabled = ? WHERE id = ?", (int(enabled), terminal_id)
        ).rowcount
    return bool(changed)


class Gatekeeper:
    """Checks each request's signature against the hall's terminals, on the server's event loop (no database
    write on the way: a take is one transaction, not two).

    The terminals are read from the database and kept for a few seconds (a terminal added or disabled by
    ``kiosk hall terminal`` in another process counts within ``REFRESH_S``; an unknown id is looked up at once).
    Nonces seen are kept in memory for ``NONCE_TTL_S``: a replay is refused. After a restart the memory is empty,
    so a request captured in the last five minutes (the timestamp window) could be sent again; every request that
    changes something carries a request id whose answer is stored, so such a replay changes nothing.
    When a terminal was last seen is written to the database by :meth:`flush_seen` (the service's day keeper).
    """

    REFRESH_S = 5.0

    def __init__(self, db: HallDb) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._terminals: dict[str, HallTerminal] = {}
        self._loaded_at = float("-inf")
        self._nonces: dict[tuple[str, str], float] = {}
        self._pruned_at = 0.0
        self._seen: dict[str, float] = {}

    def _terminal(self, terminal_id: str, now: float) -> HallTerminal | None:
        with self._lock:
            fresh = now - self._loaded_at < self.REFRESH_S
            found = self._terminals.get(terminal_id)
        if fresh and found is not None:
            return found
        loaded = {t.terminal_id: t for t in terminals(self.db)}
        with self._lock:
            self._terminals, self._loaded_at = loaded, now
        return loaded.get(terminal_id)

    def _first_use(self, terminal_id: str, nonce: str, now: float) -> bool:
        with self._lock:
            if now - self._pruned_at > 30:
                self._nonces = {k: t for k, t in self._nonces.items() if t > now - NONCE_TTL_S}
                self._pruned_at = now
            if (terminal_id, nonce) in self._nonces:
                return False
            self._nonces[(terminal_id, nonce)] = now
            self._seen[terminal_id] = now
            return True

    def flush_seen(self) -> None:
        with self._lock:
            seen, self._seen = self._seen, {}
        if seen:
            with self.db.write() as conn:
                conn.executemany(
                    "UPDATE terminals SET last_seen_at = ? WHERE id = ?",
                    [(iso(t), tid) for tid, t in seen.items()],
                )

    def authenticate(
        self, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes, now: float
    ) -> str | None:
        """The terminal id of a correctly signed, fresh, first-seen request from an enabled terminal, else None
        (the reason is logged)."""
        try:
            return check_request(
                method,
                path,
                query,
                headers,
                body,
                now,
                signer_of=lambda terminal_id: self._terminal(terminal_id, now),
                first_use=self._first_use,
                clock="hall",
            )
        except RequestRefused as refused:
            log.warning("401 for terminal %r: %s", refused.terminal_id, refused.reason)
            return None
