"""The tables of the center's side of operations (docs/center.md, "Operations"), created with the store's own.

What a terminal's latest heartbeat says of its state (install, out of service, session open, settings version,
pinned key) stays in ``terminals.last_heartbeat``; the reports it carried go to their tables, a bounded number
kept per terminal. Times compared by the center are its own Unix times (``*_unix``), never a terminal's clock.
"""

from __future__ import annotations

from typing import Final

OPS_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS terminal_groups (
    terminal_id TEXT PRIMARY KEY,
    name TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS terminal_groups_name ON terminal_groups (name);
CREATE TABLE IF NOT EXISTS crash_reports (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    terminal_id TEXT NOT NULL,
    report_id TEXT NOT NULL,
    at TEXT NOT NULL,
    version TEXT NOT NULL,
    role TEXT NOT NULL,
    what TEXT NOT NULL,
    exit_code INTEGER,
    log_tail TEXT NOT NULL,
    received_at TEXT NOT NULL,
    received_unix REAL NOT NULL,
    UNIQUE (terminal_id, report_id)
);
CREATE TABLE IF NOT EXISTS update_reports (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    terminal_id TEXT NOT NULL,
    report_id TEXT NOT NULL,
    at TEXT NOT NULL,
    version TEXT NOT NULL,
    from_version TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL,
    received_at TEXT NOT NULL,
    received_unix REAL NOT NULL,
    UNIQUE (terminal_id, report_id)
);
CREATE INDEX IF NOT EXISTS update_reports_version ON update_reports (version, outcome);
CREATE TABLE IF NOT EXISTS command_results (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    terminal_id TEXT NOT NULL,
    report_id TEXT NOT NULL,
    command_id TEXT NOT NULL,
    at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (terminal_id, report_id)
);
CREATE TABLE IF NOT EXISTS commands (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    terminal_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    args TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    expires_unix REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    result_detail TEXT NOT NULL DEFAULT '',
    result_at TEXT,
    closed_by TEXT
);
CREATE INDEX IF NOT EXISTS commands_terminal_state ON commands (terminal_id, state, seq);
CREATE TABLE IF NOT EXISTS pushed_settings (
    scope TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    set_at TEXT NOT NULL,
    PRIMARY KEY (scope, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settings_layers (
    terminal_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    layer TEXT NOT NULL,
    changed_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rollouts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version TEXT NOT NULL,
    rings TEXT NOT NULL,
    pilot TEXT NOT NULL,
    failure_threshold REAL NOT NULL,
    success_threshold REAL NOT NULL DEFAULT 1.0,
    min_per_ring INTEGER NOT NULL,
    state TEXT NOT NULL,
    open_ring INTEGER NOT NULL,
    halted_reason TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    started_unix REAL NOT NULL,
    failures_since_unix REAL NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS uploads (
    terminal_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    command_id TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    file TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (terminal_id, kind)
) WITHOUT ROWID;
"""
