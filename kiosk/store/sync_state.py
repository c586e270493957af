"""What sync keeps locally besides the catalog: feed cursors, form templates, notices, center-managed settings,
and the engine's own memory (last success, last error).

Like the outbox, every write takes the caller's connection and never commits: a feed page, its entries and its
cursor go into one transaction, so a crash between them cannot skip or half-apply a page.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from kiosk.store.integrity import SYNC, DatabaseDamaged, guarded

# The local table of each keyed feed and the columns an entry fills.
FEED_TABLES = {
    "form_templates": ("form_templates", ("document",)),
    "notices": ("notices", ("title", "body", "level", "starts_at", "ends_at")),
    "settings": ("center_settings", ("document",)),
}

Outcome = Literal["added", "replaced", "deleted", "unchanged"]


@dataclass(frozen=True, slots=True)
class Notice:
    key: str
    version: int
    title: str
    body: str
    level: str
    starts_at: str
    ends_at: str | None


# -- cursors --------------------------------------------------------------------------------------------------


@guarded(SYNC)
def cursor(conn: sqlite3.Connection, kind: str) -> str:
    row = conn.execute("SELECT cursor FROM sync_cursors WHERE kind = ?", [kind]).fetchone()
    return row[0] if row else ""


@guarded(SYNC)
def cursors(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """Every feed's cursor with the time it was stored."""
    rows = conn.execute("SELECT kind, cursor, updated_at FROM sync_cursors ORDER BY kind").fetchall()
    return {kind: (value, updated) for kind, value, updated in rows}


@guarded(SYNC)
def save_cursor(conn: sqlite3.Connection, kind: str, value: str, stamp: str) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO sync_cursors(kind, cursor, updated_at) VALUES (?, ?, ?)", [kind, value, stamp]
    )


# -- keyed feeds ----------------------------------------------------------------------------------------------


@guarded(SYNC)
def apply_entry(
    conn: sqlite3.Connection,
    kind: str,
    key: str,
    version: int,
    values: Mapping[str, Any] | None,
    stamp: str,
) -> Outcome:
    """One entry of a keyed feed, by version: newer replaces, a tombstone deletes and is remembered."""
    table, columns = FEED_TABLES[kind]
    row = conn.execute(f"SELECT version FROM {table} WHERE key = ?", [key]).fetchone()
    stored = row[0] if row else None
    stone = conn.execute(
        "SELECT version FROM feed_tombstones WHERE kind = ? AND key = ?", [kind, key]
    ).fetchone()
    if values is None:
        if stored is not None and stored > version:
            return "unchanged"
        if stored is None and stone is not None and stone[0] >= version:
            return "unchanged"
        conn.execute(f"DELETE FROM {table} WHERE key = ?", [key])
        conn.execute(
            "INSERT OR REPLACE INTO feed_tombstones(kind, key, version, deleted_at) VALUES (?, ?, ?, ?)",
            [kind, key, version, stamp],
        )
        return "deleted" if stored is not None else "unchanged"
    if (stored is not None and stored >= version) or (stone is not None and stone[0] >= version):
        return "unchanged"
    conn.execute("DELETE FROM feed_tombstones WHERE kind = ? AND key = ?", [kind, key])
    names = ", ".join(("key", "version", *columns, "updated_at"))
    marks = ", ".join("?" * (len(columns) + 3))
    conn.execute(
        f"INSERT OR REPLACE INTO {table}({names}) VALUES ({marks})",
        [key, version, *(values[c] for c in columns), stamp],
    )
    return "replaced" if stored is not None else "added"


@guarded(SYNC)
def form_templates(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    rows = conn.execute("SELECT key, document FROM form_templates ORDER BY key").fetchall()
    return {key: _document(document, f"form template {key}") for key, document in rows}


@guarded(SYNC)
def center_settings(conn: sqlite3.Connection) -> dict[str, Any]:
    """Settings the center manages, name → value."""
    rows = conn.execute("SELECT key, document FROM center_settings ORDER BY key").fetchall()
    return {key: _document(document, f"center setting {key}").get("value") for key, document in rows}


def _document(text: str, what: str) -> Any:
    """A document we stored after checking it; unreadable now, this part of the database is damaged."""
    try:
        value = json.loads(text)
        if isinstance(value, dict):
            return value
        problem = f"{type(value).__name__} instead of an object"
    except (ValueError, TypeError, RecursionError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
    raise DatabaseDamaged({SYNC}, f"{what}: stored document unreadable ({problem})")


@guarded(SYNC)
def notices(conn: sqlite3.Connection, *, at: str | None = None) -> list[Notice]:
    """Notices, or with ``at`` (an ISO time in UTC) only those showing then."""
    rows = conn.execute(
        "SELECT key, version, title, body, level, starts_at, ends_at FROM notices ORDER BY starts_at, key"
    ).fetchall()
    found = [Notice(*row) for row in rows]
    if at is None:
        return found
    from datetime import datetime

    moment = datetime.fromisoformat(at)
    try:
        return [
            n
            for n in found
            if datetime.fromisoformat(n.starts_at) <= moment
            and (n.ends_at is None or moment < datetime.fromisoformat(n.ends_at))
        ]
    except (ValueError, TypeError) as exc:  # stored after checking: unreadable now, the table is damaged
        raise DatabaseDamaged({SYNC}, f"notices: stored time unreadable ({exc})") from None


# -- the engine's memory ----------------------------------------------------------------------------------------


@guarded(SYNC)
def load_state(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM sync_state").fetchall())


@guarded(SYNC)
def save_state(conn: sqlite3.Connection, values: Mapping[str, str | None]) -> None:
    for key, value in values.items():
        if value is None:
            conn.execute("DELETE FROM sync_state WHERE key = ?", [key])
        else:
            conn.execute("INSERT OR REPLACE INTO sync_state(key, value) VALUES (?, ?)", [key, value])
