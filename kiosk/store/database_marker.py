"""A marker kept next to the database, outside it, so that the terminal notices when the database it used is gone.

SQLite takes a missing or empty (0-byte) file for a new database, so a database lost to a bad copy, a truncation or
a clean-up tool would silently become a new terminal's: an empty catalog, no outbox, receipts counted from 1. Each
database therefore carries an identity (a random id in its ``sync_state`` table), and the data directory keeps
``database-marker.json``: the identity of the database in use, when the terminal last used it, and what its outbox
held then. When the database opened is not the one the marker names, the terminal says so plainly (in the log,
on the maintenance screen, in ``kiosk sync status`` and ``kiosk database check``) until an operator acknowledges
it (``kiosk database acknowledge``), instead of behaving like a new terminal.

The marker holds no personal data: ids, times and counts.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import sqlite3
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MARKER_FILE = "database-marker.json"
MARKER_FORMAT = "kiosk-database-marker/1"
IDENTITY_KEY = "database_id"  # in sync_state
_MAX_MARKER_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class OutboxState:
    pending: int  # records waiting for the center
    rejected: int  # refused by the center, kept for an operator
    last_id: int  # the highest row id written


@dataclass(frozen=True, slots=True)
class Replacement:
    """The database the terminal had used was not there when it opened: what was lost, as far as it knows."""

    noticed_at: str
    how: str  # "missing": no file; "empty": a 0-byte file; "other": a different database
    previous_id: str
    previous_seen_at: str
    previous_outbox: OutboxState | None
    kept_at: str | None = None  # where the previous file was kept, when the terminal itself set it aside

    @property
    def plain(self) -> str:
        """One line for an operator, in Chinese."""
        now = {
            "missing": "数据库文件不见了，现在是一个新建的空库",
            "empty": "数据库文件被清空（0 字节），现在是一个新建的空库",
        }
        what = now.get(self.how, "现在打开的是另一个数据库")
        waiting = ""
        if self.previous_outbox is not None and self.previous_outbox.pending:
            waiting = f"，原库当时有 {self.previous_outbox.pending} 条待上传记录可能尚未送达中心"
        kept = (
            f"原文件已另存为 {self.kept_at}。"
            if self.kept_at
            else "若原文件还在，请停止终端，把它放回数据目录后重启。"
        )
        return (
            f"本机数据库已被替换（{self.noticed_at} 发现）：本终端原来使用的数据库（最后使用于 {self.previous_seen_at}"
            f"{waiting}）{what}。{kept}确认无需找回后运行 kiosk database acknowledge 消除此提示。"
        )


@dataclass(frozen=True, slots=True)
class Marker:
    database_id: str
    seen_at: str
    outbox: OutboxState | None
    replaced: Replacement | None = None

    def to_json(self) -> dict[str, Any]:
        return {"format": MARKER_FORMAT, **asdict(self)}


def marker_path(database_path: Path) -> Path:
    return database_path.with_name(MARKER_FILE)


def _now() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def _outbox_state(value: Any) -> OutboxState | None:
    if not isinstance(value, dict):
        return None
    numbers = [value.get(k) for k in ("pending", "rejected", "last_id")]
    if not all(type(n) is int and n >= 0 for n in numbers):
        return None
    return OutboxState(*numbers)  # type: ignore[arg-type]


def _text(value: Any) -> str:
    return value if isinstance(value, str) and len(value) <= 400 else ""


def load(path: Path) -> Marker | None:
    """The marker at ``path``, or None when there is none or it cannot be read (then it is written anew)."""
    try:
        if path.stat().st_size > _MAX_MARKER_BYTES:
            raise ValueError("too large")
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != MARKER_FORMAT:
            raise ValueError("not a database marker")
        database_id = _text(data.get("database_id"))
        if not database_id:
            raise ValueError("no database id")
        replaced = data.get("replaced")
        replacement = None
        if isinstance(replaced, dict):
            replacement = Replacement(
                noticed_at=_text(replaced.get("noticed_at")),
                how=_text(replaced.get("how")),
                previous_id=_text(replaced.get("previous_id")),
                previous_seen_at=_text(replaced.get("previous_seen_at")),
                previous_outbox=_outbox_state(replaced.get("previous_outbox")),
                kept_at=_text(replaced.get("kept_at")) or None,
            )
        return Marker(database_id, _text(data.get("seen_at")), _outbox_state(data.get("outbox")), replacement)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as exc:
        log.warning("the database marker %s cannot be read (%s); it is written anew", path, exc)
        return None


def save(path: Path, marker: Marker) -> None:
    """Write the marker atomically (a crash leaves the old one or the new one, never half of one)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as out:
            json.dump(marker.to_json(), out, ensure_ascii=False, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("the database marker %s cannot be written: %s", path, exc)
    finally:
        if tmp.exists():
            tmp.unlink()


def database_id(conn: sqlite3.Connection) -> str | None:
    """The identity stored in the database, or None (a new database, or one from before identities)."""
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", [IDENTITY_KEY]).fetchone()
    return row[0] if row else None


def give_identity(conn: sqlite3.Connection) -> str:
    """The database's identity, made and stored now if it has none."""
    found = database_id(conn)
    if found:
        return found
    new = secrets.token_hex(16)
    with conn:
        conn.execute("INSERT OR IGNORE INTO sync_state(key, value) VALUES (?, ?)", [IDENTITY_KEY, new])
    return database_id(conn) or new


def outbox_state(conn: sqlite3.Connection) -> OutboxState:
    counts = dict(conn.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())
    last = conn.execute("SELECT coalesce(max(id), 0) FROM outbox").fetchone()[0]
    return OutboxState(counts.get("pending", 0), counts.get("rejected", 0), last)


def how_it_was(database_path: Path) -> str:
    """Before the database is opened: what is on disk where it should be ("missing", "empty" or "present")."""
    try:
        return "empty" if database_path.stat().st_size == 0 else "present"
    except FileNotFoundError:
        return "missing"


def reconcile(
    database_path: Path, conn: sqlite3.Connection, before: str, *, kept_at: str | None = None
) -> Replacement | None:
    """Compare the database just opened with the marker, record it in the marker, and return the replacement
    the marker holds (noticed now or earlier and not yet acknowledged), if any.

    ``before`` is what :func:`how_it_was` said before the database was opened."""
    path = marker_path(database_path)
    marker = load(path)
    current = give_identity(conn)
    replaced = marker.replaced if marker is not None else None
    if marker is not None and marker.database_id != current:
        replaced = Replacement(
            noticed_at=_now(),
            how=before if before in ("missing", "empty") else "other",
            previous_id=marker.database_id,
            previous_seen_at=marker.seen_at,
            previous_outbox=marker.outbox,
            kept_at=kept_at,
        )
        log.error("%s (database id %s, expected %s)", replaced.plain, current, marker.database_id)
    elif replaced is not None:
        log.error("%s", replaced.plain)
    save(path, Marker(current, _now(), _safe_outbox_state(conn, marker), replaced))
    return replaced


def record_use(database_path: Path, conn: sqlite3.Connection) -> None:
    """Note in the marker that the database is in use now, with its outbox as it is (at close, say)."""
    path = marker_path(database_path)
    marker = load(path)
    if marker is None:
        return
    try:
        if database_id(conn) != marker.database_id:
            return
    except sqlite3.Error:
        return
    save(path, Marker(marker.database_id, _now(), _safe_outbox_state(conn, marker), marker.replaced))


def acknowledge(database_path: Path) -> Replacement | None:
    """An operator has seen the replacement notice: clear it; returns what it said."""
    path = marker_path(database_path)
    marker = load(path)
    if marker is None or marker.replaced is None:
        return None
    save(path, Marker(marker.database_id, marker.seen_at, marker.outbox, None))
    return marker.replaced


def current_replacement(database_path: Path) -> Replacement | None:
    marker = load(marker_path(database_path))
    return marker.replaced if marker is not None else None


def _safe_outbox_state(conn: sqlite3.Connection, marker: Marker | None) -> OutboxState | None:
    try:
        return outbox_state(conn)
    except sqlite3.Error:  # a damaged outbox: keep what was known of it
        return marker.outbox if marker is not None else None
