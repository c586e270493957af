"""The console's tables (migration ``0004-console``): operators, their sessions, failed sign-ins (the throttle),
the audit log and the console's settings.

Only the SHA-256 of a session's token is stored, so a copy of the database signs nobody in. Times compared by the
center are its own Unix seconds (``*_unix``); ISO text is for display only.
"""

from __future__ import annotations

from typing import Final

CONSOLE_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS operators (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    last_sign_in_at TEXT
);
CREATE TABLE IF NOT EXISTS console_sessions (
    token_hash TEXT PRIMARY KEY,
    operator TEXT NOT NULL,
    language TEXT NOT NULL,
    address TEXT NOT NULL,
    created_unix REAL NOT NULL,
    last_seen_unix REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS console_sessions_operator ON console_sessions (operator);
CREATE INDEX IF NOT EXISTS console_sessions_last_seen ON console_sessions (last_seen_unix);
CREATE TABLE IF NOT EXISTS sign_in_failures (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    at_unix REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sign_in_failures_name ON sign_in_failures (name, at_unix);
CREATE INDEX IF NOT EXISTS sign_in_failures_address ON sign_in_failures (address, at_unix);
CREATE INDEX IF NOT EXISTS sign_in_failures_at ON sign_in_failures (at_unix);
CREATE TABLE IF NOT EXISTS audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    at_unix REAL NOT NULL,
    operator TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    address TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at_unix);
CREATE INDEX IF NOT EXISTS audit_log_operator ON audit_log (operator, at_unix);
CREATE INDEX IF NOT EXISTS audit_log_action ON audit_log (action, at_unix);
CREATE TABLE IF NOT EXISTS console_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""
