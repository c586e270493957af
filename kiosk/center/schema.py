"""The center's schema as an ordered list of migrations, applied once each and recorded in ``schema_migrations``.

A migration is appended, never edited once released: a center opened with a newer program runs the ones it has not
yet applied, in order, inside the store's write transaction. The first two use ``CREATE ... IF NOT EXISTS`` so a
database made before migrations were recorded takes them without harm. (``records.body`` was declared TEXT before
PostgreSQL: SQLite keeps the sealed bytes as they are either way, PostgreSQL needs BYTEA.)

Each feature's tables live beside its code (``kiosk.center.ops_schema`` ...) and are registered here with one line.
Migrations are written in portable SQL: TEXT, INTEGER, REAL and BLOB columns, ``INTEGER PRIMARY KEY AUTOINCREMENT``
for a generated key, ``ON CONFLICT`` rather than ``INSERT OR IGNORE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from kiosk.center.console.schema import CONSOLE_SCHEMA
from kiosk.center.db import Connection
from kiosk.center.fleet_state import FLEET_STATE_SCHEMA
from kiosk.center.ops_schema import OPS_SCHEMA
from kiosk.center.rate_limits import RATE_LIMITS_SCHEMA
from kiosk.center.rollout_progress import ROLLOUT_PROGRESS_SCHEMA
from kiosk.center.usage import USAGE_RECORDS_INDEX, USAGE_SCHEMA


@dataclass(frozen=True)
class Migration:
    """One step of the schema: its id (sortable, never reused) and its statements separated by semicolons."""

    id: str
    sql: str


BASE_SCHEMA: Final = """
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
    body BLOB NOT NULL,
    created_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    answer TEXT NOT NULL,
    UNIQUE (terminal_id, idempotency_key)
);
CREATE INDEX IF NOT EXISTS records_kind ON records (kind, record_id);
CREATE TABLE IF NOT EXISTS rated_subjects (
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    terminal_id TEXT NOT NULL,
    rated_at TEXT NOT NULL,
    PRIMARY KEY (kind, subject_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cases (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id TEXT UNIQUE,
    receipt TEXT NOT NULL UNIQUE,
    person_key TEXT NOT NULL,
    title TEXT NOT NULL,
    department TEXT NOT NULL,
    state TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    history TEXT NOT NULL,
    record_id INTEGER
);
CREATE INDEX IF NOT EXISTS cases_person ON cases (person_key, updated_at);
CREATE TABLE IF NOT EXISTS people (
    person_key TEXT PRIMARY KEY,
    identity BLOB NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS identity_codes (
    code_hash TEXT PRIMARY KEY,
    person_key TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    expires_at REAL NOT NULL,
    used_at TEXT,
    used_by TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS identity_codes_expires ON identity_codes (expires_at);
"""

# Where a terminal stands: its region (地区, e.g. 广州市/天河区) and unit (单位, the office answerable for it), set by
# operators; the fleet console filters by them and the monthly report groups by them.
TERMINAL_PLACE: Final = """
ALTER TABLE terminals ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE terminals ADD COLUMN unit TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS terminals_region ON terminals (region, unit);
"""

MIGRATIONS: Final = (
    Migration("0001-base", BASE_SCHEMA),
    Migration("0002-operations", OPS_SCHEMA),
    Migration("0003-terminal-place", TERMINAL_PLACE),
    Migration("0004-console", CONSOLE_SCHEMA),
    Migration("0005-fleet-state", FLEET_STATE_SCHEMA),
    Migration("0006-usage", USAGE_SCHEMA),
    Migration("0007-rate-limits", RATE_LIMITS_SCHEMA),
    Migration("0007-rollout-progress", ROLLOUT_PROGRESS_SCHEMA),
    Migration("0008-usage-records", USAGE_RECORDS_INDEX),
)


def statements(sql: str) -> list[str]:
    """A migration's statements (none of ours has a semicolon inside a literal)."""
    return [statement.strip() for statement in sql.split(";") if statement.strip()]


def apply_migrations(db: Connection) -> list[str]:
    """Apply, inside the caller's write transaction, every migration not yet recorded; the ids applied. The write
    transaction is the database's one serialised writer (``kiosk.center.db``), so two processes starting at once
    do not both migrate: the second finds the first's migrations recorded."""
    db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row["id"] for row in db.execute("SELECT id FROM schema_migrations")}
    applied = []
    for migration in MIGRATIONS:
        if migration.id in done:
            continue
        for statement in statements(migration.sql):
            db.execute(statement)
        db.execute(
            "INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)",
            (migration.id, datetime.now().astimezone().isoformat(timespec="seconds")),
        )
        applied.append(migration.id)
    return applied
