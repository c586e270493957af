"""The hall's state in one SQLite file (WAL): configuration, tickets, the event log, the outbox to the center.

One connection guarded by a lock serves the whole process; every write runs in ``BEGIN IMMEDIATE``, so a command
run beside the service on the same file (``kiosk hall counter add``) waits its turn rather than interleaving.
Commits are ``synchronous=FULL``: a number the hall answered is on disk, so neither a killed process nor a lost
power supply can hand it out again.

Events are appended inside the transaction that made the change (:meth:`HallDb.append_event`); once it
commits, the listeners (the event stream) are told the new last sequence number. Nothing is announced for a
transaction that rolled back, and an event is never announced before its change is durable.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2

# Schema 1; the versions after it are in _MIGRATIONS.
_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE terminals (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    secret BLOB NOT NULL,
    algorithm TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    last_seen_at TEXT
);
CREATE TABLE services (
    code TEXT PRIMARY KEY,
    prefix TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    number_first INTEGER NOT NULL,
    number_last INTEGER NOT NULL,
    daily_cap INTEGER NOT NULL,
    opens TEXT NOT NULL DEFAULT '',
    closes TEXT NOT NULL DEFAULT '',
    real_name INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL
);
CREATE TABLE counters (
    number INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open',
    staff_no TEXT UNIQUE,
    terminal_id TEXT,
    signed_in_at REAL,
    current_ticket INTEGER
);
CREATE TABLE counter_services (
    counter INTEGER NOT NULL,
    service TEXT NOT NULL,
    weight INTEGER NOT NULL,
    PRIMARY KEY (counter, service)
) WITHOUT ROWID;
CREATE TABLE staff (
    staff_no TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    pin_hash TEXT NOT NULL,
    failed_pins INTEGER NOT NULL DEFAULT 0,
    locked_until REAL NOT NULL DEFAULT 0
);
CREATE TABLE day_numbers (
    service TEXT NOT NULL,
    day TEXT NOT NULL,
    issued INTEGER NOT NULL,
    PRIMARY KEY (service, day)
) WITHOUT ROWID;
CREATE TABLE tickets (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    day TEXT NOT NULL,
    service TEXT NOT NULL,
    number INTEGER NOT NULL,
    label TEXT NOT NULL,
    queue_service TEXT NOT NULL,
    state TEXT NOT NULL,
    priority TEXT NOT NULL,
    priority_reason TEXT NOT NULL DEFAULT '',
    window_starts REAL,
    appointment_code TEXT,
    person_hash TEXT,
    masked_name TEXT NOT NULL DEFAULT '',
    taken_at REAL NOT NULL,
    taken_by TEXT NOT NULL,
    queue_at REAL NOT NULL,
    target_counter INTEGER,
    counter INTEGER,
    staff_no TEXT,
    called_at REAL,
    first_called_at REAL,
    call_count INTEGER NOT NULL DEFAULT 0,
    finished_at REAL,
    token TEXT NOT NULL UNIQUE,
    UNIQUE (day, service, number)
);
CREATE INDEX tickets_state ON tickets (day, state, queue_service);
CREATE INDEX tickets_person ON tickets (day, person_hash);
CREATE TABLE ticket_actions (
    id INTEGER PRIMARY KEY,
    ticket INTEGER NOT NULL,
    day TEXT NOT NULL,
    at REAL NOT NULL,
    action TEXT NOT NULL,
    service TEXT NOT NULL,
    counter INTEGER,
    staff_no TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ticket_actions_day ON ticket_actions (day, action);
CREATE INDEX ticket_actions_ticket ON ticket_actions (ticket);
CREATE TABLE requests (
    terminal_id TEXT NOT NULL,
    request_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    answer TEXT NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (terminal_id, request_id)
) WITHOUT ROWID;
CREATE INDEX requests_at ON requests (at);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    body TEXT NOT NULL,
    delivered_at TEXT,
    status INTEGER,
    error TEXT
);
CREATE INDEX outbox_pending ON outbox (status, id);
CREATE TABLE appointments (
    code TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    service TEXT NOT NULL,
    day TEXT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    person_hash TEXT NOT NULL,
    person_salt TEXT NOT NULL,
    masked_name TEXT NOT NULL,
    cancelled INTEGER NOT NULL DEFAULT 0,
    ticket INTEGER
);
CREATE INDEX appointments_day ON appointments (day);
CREATE TABLE ratings (
    ticket INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    service TEXT NOT NULL,
    counter INTEGER,
    staff_no TEXT,
    level INTEGER NOT NULL,
    reasons TEXT NOT NULL,
    comment TEXT NOT NULL,
    source TEXT NOT NULL,
    rated_at REAL NOT NULL
);
CREATE INDEX ratings_day ON ratings (day);
"""

# What each schema version after the first adds (a new file gets ``_SCHEMA``, then each of these in turn).
_MIGRATIONS: dict[int, str] = {
    2: """
CREATE TABLE staff_photos (
    staff_no TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    digest TEXT NOT NULL,
    data BLOB NOT NULL,
    updated_at REAL NOT NULL
);
""",
}


class HallDbError(RuntimeError):
    """The database cannot be used (a newer schema, not a database); the message says what to do."""


class HallDb:
    """The hall's SQLite file. Safe to share between threads; other processes may open the same file."""

    def __init__(self, path: Path | str, *, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.clock = clock
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._listeners: list[Callable[[int], None]] = []
        self._announce: int | None = None
        self.meta_changes = 0  # settings written through this object (cached settings are read again)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30.0)
        try:
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=OFF")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise HallDbError(f"{self.path} is not a hall database that can be opened: {exc}") from None
        except BaseException:
            self._db.close()
            raise

    def _migrate(self) -> None:
        with self.write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise HallDbError(
                    f"{self.path} was written by a newer program (schema {version}); update the program"
                )
            if version == 0:
                _run_script(db, _SCHEMA)
            for step in range(max(version, 1) + 1, SCHEMA_VERSION + 1):
                if version:
                    log.info("hall database %s: schema %d to %d", self.path, step - 1, step)
                _run_script(db, _MIGRATIONS[step])
            if version != SCHEMA_VERSION:
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __repr__(self) -> str:
        return f"HallDb({str(self.path)!r})"

    def now(self) -> float:
        return self.clock()

    # -- transactions ---------------------------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One serialised write transaction; the event listeners hear of its events once it committed."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._announce = None
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                self._announce = None
                raise
            self._db.execute("COMMIT")
            announce, self._announce = self._announce, None
        if announce is not None:
            for listener in list(self._listeners):
                try:
                    listener(announce)
                except Exception:
                    log.exception("event listener failed")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent read (one snapshot of the file, in a deferred transaction)."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                yield self._db
            finally:
                self._db.execute("COMMIT")

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # -- events ---------------------------------------------------------------------------------------------

    def append_event(self, db: sqlite3.Connection, type_: str, data: dict[str, Any], at: float) -> int:
        """Store an event in the running write transaction; announced after the commit."""
        cursor = db.execute(
            "INSERT INTO events (at, type, data) VALUES (?, ?, ?)",
            (at, type_, json.dumps(data, ensure_ascii=False, separators=(",", ":"))),
        )
        seq = int(cursor.lastrowid or 0)
        self._announce = seq
        return seq

    def on_event(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(last_seq)`` (on the committing thread) after every commit that stored events."""
        self._listeners.append(listener)

    def last_seq(self) -> int:
        row = self.rows("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
        return int(row[0][0]) if row else 0

    # -- settings of the hall (meta) ------------------------------------------------------------------------

    def meta(self, name: str, default: str | None = None) -> str | None:
        rows = self.rows("SELECT value FROM meta WHERE name = ?", (name,))
        return str(rows[0][0]) if rows else default

    def set_meta(self, name: str, value: str) -> None:
        with self.write() as db:
            db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))
        self.meta_changes += 1

    def data_version(self) -> int:
        """SQLite's count of commits by other connections to this file (``PRAGMA data_version``)."""
        with self._lock:
            return int(self._db.execute("PRAGMA data_version").fetchone()[0])


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Each statement of ``script`` in the running transaction (``executescript`` would commit it)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)
