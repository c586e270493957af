"""The reference center's state in one SQLite file (WAL): terminals, nonces, feed changes and delivered records.

One connection guarded by a lock serves the whole process, and every write runs in ``BEGIN IMMEDIATE``, so two
pushes of the same idempotency key (threads of this process, or another process on the same file such as the CLI)
can never both insert. Secrets are stored (this is a reference server) but never logged or shown in a repr.
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.protocol import (
    ALGORITHMS,
    DEFAULT_ALGORITHM,
    FEED_KINDS,
    NONCE_TTL_S,
    FeedEntry,
    OutboxRecord,
    canonical_json,
    new_secret,
    record_fingerprint,
)

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS terminals (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    secret BLOB NOT NULL,
    algorithm TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    last_heartbeat TEXT,
    last_heartbeat_at TEXT,
    last_seen_at TEXT
);
CREATE TABLE IF NOT EXISTS nonces (
    terminal_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    seen_at REAL NOT NULL,
    PRIMARY KEY (terminal_id, nonce)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nonces_seen_at ON nonces (seen_at);
CREATE TABLE IF NOT EXISTS feed_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    data TEXT,
    changed_at TEXT NOT NULL,
    UNIQUE (kind, key)
);
CREATE INDEX IF NOT EXISTS feed_changes_kind_seq ON feed_changes (kind, seq);
CREATE TABLE IF NOT EXISTS records (
    record_id INTEGER PRIMARY KEY AUTOINCREMENT,
    terminal_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    answer TEXT NOT NULL,
    UNIQUE (terminal_id, idempotency_key)
);
CREATE INDEX IF NOT EXISTS records_kind ON records (kind, record_id);
"""


def now_iso() -> str:
    """The center's local time with its offset, to the millisecond (the protocol's time format)."""
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Terminal:
    """A terminal's credentials and state; the secret is left out of the repr."""

    terminal_id: str
    name: str
    algorithm: str
    enabled: bool
    created_at: str
    secret: bytes = field(repr=False)
    last_heartbeat: dict[str, Any] | None = None
    last_heartbeat_at: str | None = None
    last_seen_at: str | None = None

    def summary(self) -> dict[str, Any]:
        """Everything an operator may see (no secret), for ``kiosk center terminal list``."""
        return {
            "terminal_id": self.terminal_id,
            "name": self.name,
            "algorithm": self.algorithm,
            "enabled": self.enabled,
            "created_at": self.created_at,
            "last_seen_at": self.last_seen_at,
            "last_heartbeat_at": self.last_heartbeat_at,
            "last_heartbeat": self.last_heartbeat,
        }


@dataclass(frozen=True)
class PublishReport:
    """What a publish changed: keys with a new version, keys already at that version, keys given a lower one."""

    changed: int
    unchanged: int
    stale: tuple[str, ...]


class StoreError(ValueError):
    """A request the store refuses (unknown feed kind, unknown algorithm, duplicate keys in one publish)."""


class Store:
    """The center's SQLite file. Safe to share between threads; other processes may open the same file."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10.0)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        with self._write() as db:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(
                "INSERT OR IGNORE INTO meta (name, value) VALUES ('cursor_key', ?)",
                (secrets.token_bytes(32),),
            )
        self.cursor_key: bytes = self._db.execute(
            "SELECT value FROM meta WHERE name = 'cursor_key'"
        ).fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One serialised write transaction (the lock for this process, BEGIN IMMEDIATE for the others)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # --- terminals --------------------------------------------------------------------------------------------

    def add_terminal(self, name: str, algorithm: str = DEFAULT_ALGORITHM) -> Terminal:
        """Create a terminal with a fresh id and secret; the caller shows the secret once and forgets it."""
        if algorithm not in ALGORITHMS:
            raise StoreError(f"unknown signing algorithm {algorithm!r}")
        name = name.strip()
        if not name:
            raise StoreError("a terminal needs a name")
        secret = new_secret()
        created_at = now_iso()
        with self._write() as db:
            while True:
                terminal_id = f"T-{secrets.token_hex(4)}"
                if db.execute("SELECT 1 FROM terminals WHERE id = ?", (terminal_id,)).fetchone() is None:
                    break
            db.execute(
                "INSERT INTO terminals (id, name, secret, algorithm, enabled, created_at) VALUES (?, ?, ?, ?, 1, ?)",
                (terminal_id, name, secret, algorithm, created_at),
            )
        log.info("terminal %s (%s, %s) added", terminal_id, name, algorithm)
        return Terminal(terminal_id, name, algorithm, True, created_at, secret)

    def terminal(self, terminal_id: str) -> Terminal | None:
        rows = self._read("SELECT * FROM terminals WHERE id = ?", (terminal_id,))
        return _terminal(rows[0]) if rows else None

    def terminals(self) -> list[Terminal]:
        return [_terminal(row) for row in self._read("SELECT * FROM terminals ORDER BY created_at, id")]

    def set_enabled(self, terminal_id: str, enabled: bool) -> bool:
        """Enable or disable a terminal; False when there is no such terminal."""
        with self._write() as db:
            changed = db.execute(
                "UPDATE terminals SET enabled = ? WHERE id = ?", (int(enabled), terminal_id)
            ).rowcount
        if changed:
            log.info("terminal %s %s", terminal_id, "enabled" if enabled else "disabled")
        return bool(changed)

    def remember_nonce(self, terminal_id: str, nonce: str, now: float) -> bool:
        """Record a signed request's nonce; False when this terminal used it within ``NONCE_TTL_S`` (a replay)."""
        with self._write() as db:
            db.execute("DELETE FROM nonces WHERE seen_at < ?", (now - NONCE_TTL_S,))
            inserted = db.execute(
                "INSERT OR IGNORE INTO nonces (terminal_id, nonce, seen_at) VALUES (?, ?, ?)",
                (terminal_id, nonce, now),
            ).rowcount
            if inserted:
                db.execute("UPDATE terminals SET last_seen_at = ? WHERE id = ?", (now_iso(), terminal_id))
        return bool(inserted)

    def save_heartbeat(self, terminal_id: str, heartbeat: dict[str, Any]) -> None:
        text = canonical_json(heartbeat).decode("utf-8")
        with self._write() as db:
            db.execute(
                "UPDATE terminals SET last_heartbeat = ?, last_heartbeat_at = ? WHERE id = ?",
                (text, now_iso(), terminal_id),
            )

    # --- feeds ------------------------------------------------------------------------------------------------

    def publish(self, kind: str, entries: Sequence[FeedEntry]) -> PublishReport:
        """Publish new versions in one transaction; a key keeps one row, moved to the end of the feed on change.

        A version larger than the published one replaces it; the same version changes nothing; a smaller one is
        reported as stale and changes nothing (terminals would ignore it anyway).
        """
        if kind not in FEED_KINDS:
            raise StoreError(f"unknown feed kind {kind!r}")
        keys = [entry.key for entry in entries]
        if len(set(keys)) != len(keys):
            raise StoreError("a key appears twice in one publish")
        changed = unchanged = 0
        stale: list[str] = []
        changed_at = now_iso()
        with self._write() as db:
            for entry in entries:
                row = db.execute(
                    "SELECT version FROM feed_changes WHERE kind = ? AND key = ?", (kind, entry.key)
                ).fetchone()
                if row is not None and row["version"] > entry.version:
                    stale.append(entry.key)
                    continue
                if row is not None and row["version"] == entry.version:
                    unchanged += 1
                    continue
                db.execute("DELETE FROM feed_changes WHERE kind = ? AND key = ?", (kind, entry.key))
                data = None if entry.data is None else canonical_json(entry.data).decode("utf-8")
                db.execute(
                    "INSERT INTO feed_changes (kind, key, version, deleted, data, changed_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (kind, entry.key, entry.version, int(entry.deleted), data, changed_at),
                )
                changed += 1
        log.info("published %s: %d changed, %d unchanged, %d stale", kind, changed, unchanged, len(stale))
        return PublishReport(changed, unchanged, tuple(stale))

    def changes(self, kind: str, after_seq: int, limit: int) -> tuple[list[FeedEntry], int, bool]:
        """Up to ``limit`` entries changed after ``after_seq``, the seq of the last one, and whether more follow."""
        rows = self._read(
            "SELECT seq, key, version, deleted, data FROM feed_changes WHERE kind = ? AND seq > ? "
            "ORDER BY seq LIMIT ?",
            (kind, after_seq, limit + 1),
        )
        has_more = len(rows) > limit
        rows = rows[:limit]
        entries = [
            FeedEntry(
                key=row["key"],
                version=row["version"],
                deleted=bool(row["deleted"]),
                data=None if row["data"] is None else json.loads(row["data"]),
            )
            for row in rows
        ]
        return entries, (rows[-1]["seq"] if rows else after_seq), has_more

    def feed_summary(self) -> dict[str, dict[str, int]]:
        """Per kind: entries (live keys), tombstones."""
        summary = {kind: {"entries": 0, "tombstones": 0} for kind in FEED_KINDS}
        for row in self._read("SELECT kind, deleted, COUNT(*) AS n FROM feed_changes GROUP BY kind, deleted"):
            summary.setdefault(row["kind"], {"entries": 0, "tombstones": 0})
            summary[row["kind"]]["tombstones" if row["deleted"] else "entries"] = row["n"]
        return summary

    # --- records ----------------------------------------------------------------------------------------------

    def deliver(self, terminal_id: str, records: Sequence[OutboxRecord]) -> list[dict[str, Any]]:
        """Store valid records idempotently in one transaction and return each one's answer, in order.

        The first delivery of a key stores the record and its 201 answer; the same key with the same fingerprint
        gets that stored answer again; with another fingerprint it gets 409 and nothing is stored.
        """
        answers: list[dict[str, Any]] = []
        received_at = now_iso()
        with self._write() as db:
            for record in records:
                fingerprint = record_fingerprint(record.kind, record.body)
                row = db.execute(
                    "SELECT fingerprint, answer FROM records WHERE terminal_id = ? AND idempotency_key = ?",
                    (terminal_id, record.idempotency_key),
                ).fetchone()
                if row is not None:
                    if row["fingerprint"] == fingerprint:
                        answers.append(json.loads(row["answer"]))
                    else:
                        answers.append(
                            {"idempotency_key": record.idempotency_key, "status": 409, "error": "conflict"}
                        )
                    continue
                cursor = db.execute(
                    "INSERT INTO records (terminal_id, idempotency_key, kind, fingerprint, body, created_at, "
                    "received_at, answer) VALUES (?, ?, ?, ?, ?, ?, ?, '')",
                    (
                        terminal_id,
                        record.idempotency_key,
                        record.kind,
                        fingerprint,
                        canonical_json(record.body).decode("utf-8"),
                        record.created_at.isoformat(),
                        received_at,
                    ),
                )
                answer = {
                    "idempotency_key": record.idempotency_key,
                    "status": 201,
                    "record_id": cursor.lastrowid,
                }
                db.execute(
                    "UPDATE records SET answer = ? WHERE record_id = ?",
                    (canonical_json(answer).decode("utf-8"), cursor.lastrowid),
                )
                answers.append(answer)
        return answers

    def records(self, kind: str | None = None) -> list[dict[str, Any]]:
        """What terminals delivered, oldest first."""
        sql = (
            "SELECT record_id, terminal_id, idempotency_key, kind, body, created_at, received_at FROM records"
            + (" WHERE kind = ?" if kind else "")
            + " ORDER BY record_id"
        )
        return [
            {
                "record_id": row["record_id"],
                "terminal_id": row["terminal_id"],
                "idempotency_key": row["idempotency_key"],
                "kind": row["kind"],
                "body": json.loads(row["body"]),
                "created_at": row["created_at"],
                "received_at": row["received_at"],
            }
            for row in self._read(sql, (kind,) if kind else ())
        ]


def _terminal(row: sqlite3.Row) -> Terminal:
    return Terminal(
        terminal_id=row["id"],
        name=row["name"],
        algorithm=row["algorithm"],
        enabled=bool(row["enabled"]),
        created_at=row["created_at"],
        secret=bytes(row["secret"]),
        last_heartbeat=None if row["last_heartbeat"] is None else json.loads(row["last_heartbeat"]),
        last_heartbeat_at=row["last_heartbeat_at"],
        last_seen_at=row["last_seen_at"],
    )
