"""A marker kept next to the database, outside it, so that the terminal notices when the database it used is gone.

SQLite takes a missing or empty (0-byte) file for a new database, so a database lost to a bad copy, a truncation or
a clean-up tool would silently become a new terminal's: an empty catalog, no outbox, receipts counted from 1. Each
database therefore carries an identity (a random id in its ``sync_state`` table), and the data directory keeps
``database-marker.json``: the identity of the database in use, when the terminal last used it, and what its outbox
held then. When the database opened is not the one the marker names, the terminal says so plainly (in the log,
on the maintenance screen, in ``kiosk sync status`` and ``kiosk database check``) until an operator acknowledges
it (``kiosk database acknowledge``), instead of behaving like a new terminal.

The marker also keeps the last receipt number's sequence issued on each recent day (:func:`record_receipt`), written
when a number is issued: a database replaced by an empty or older one, or repaired without its counters, would
count the day from where it stood, and numbers already printed for citizens would come out again; the terminal
issues past the higher of the two counts (:mod:`kiosk.store.receipts`). These belong to the terminal, not to one
database, so they are carried over whatever database the marker names next.

Writers of the marker (the running terminal, a command run beside it) take a lock file next to it in turn, so
that none writes back an older copy over what another just recorded. The marker holds no personal data: ids,
times, counts and sequence numbers.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MARKER_FILE = "database-marker.json"
MARKER_FORMAT = "kiosk-database-marker/1"
IDENTITY_KEY = "database_id"  # in sync_state
_MAX_MARKER_BYTES = 64 * 1024
# Days whose last receipt sequence the marker keeps: the latest ones, so that a clock put back by up to a month
# still finds the day's last number when the database's counters are gone too.
RECEIPT_DAYS_KEPT = 31
_MAX_SEQUENCE = (
    9_999  # kiosk.domain.receipt.MAX_SEQUENCE: a recorded number past it is not one this terminal gave
)
# A writer that holds the lock longer than this is stuck (a frozen process): the marker is written without it.
_LOCK_TIMEOUT_S = 10.0
_in_process = threading.Lock()


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


Receipts = tuple[tuple[str, int], ...]  # (day as yymmdd, last sequence issued), latest day first


@dataclass(frozen=True, slots=True)
class Marker:
    database_id: str  # "" when the marker was started by a receipt before any database was recorded
    seen_at: str
    outbox: OutboxState | None
    replaced: Replacement | None = None
    receipts: Receipts = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MARKER_FORMAT,
            "database_id": self.database_id,
            "seen_at": self.seen_at,
            "outbox": asdict(self.outbox) if self.outbox is not None else None,
            "replaced": asdict(self.replaced) if self.replaced is not None else None,
            "receipts": dict(self.receipts),
        }

    def last_receipt(self, day: str) -> int:
        return dict(self.receipts).get(day, 0)


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


def _receipts(value: Any) -> Receipts:
    """The recorded days that read as days and sequences; anything else is left out."""
    if not isinstance(value, dict):
        return ()
    found = {
        day: last
        for day, last in value.items()
        if isinstance(day, str)
        and len(day) == 6
        and day.isascii()
        and day.isdigit()
        and type(last) is int
        and 0 < last <= _MAX_SEQUENCE
    }
    return _latest(found)


def _latest(days: dict[str, int]) -> Receipts:
    return tuple(sorted(days.items(), reverse=True)[:RECEIPT_DAYS_KEPT])


def _merged(*sets: Receipts) -> Receipts:
    """Every day's highest sequence among ``sets``: what one writer recorded is never lost to another."""
    days: dict[str, int] = {}
    for receipts in sets:
        for day, last in receipts:
            days[day] = max(days.get(day, 0), last)
    return _latest(days)


def load(path: Path) -> Marker | None:
    """The marker at ``path``, or None when there is none or it cannot be read (then it is written anew)."""
    try:
        if path.stat().st_size > _MAX_MARKER_BYTES:
            raise ValueError("too large")
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != MARKER_FORMAT:
            raise ValueError("not a database marker")
        database_id = _text(data.get("database_id"))
        receipts = _receipts(data.get("receipts"))
        if not database_id and not receipts:
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
        return Marker(
            database_id, _text(data.get("seen_at")), _outbox_state(data.get("outbox")), replacement, receipts
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as exc:
        log.warning("the database marker %s cannot be read (%s); it is written anew", path, exc)
        return None


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One writer of the marker at a time: threads of this process, and other processes (``<marker>.lock``)."""
    from filelock import FileLock, Timeout

    with _in_process:
        lock = FileLock(path.with_name(path.name + ".lock"), timeout=_LOCK_TIMEOUT_S)
        try:
            lock.acquire()
        except (Timeout, OSError) as exc:
            log.warning("the database marker %s is written without its lock: %s", path, exc)
            yield
            return
        try:
            yield
        finally:
            lock.release()


def _update(path: Path, change: Callable[[Marker | None], Marker | None]) -> Marker | None:
    """Read the marker, change it and write it back under the lock; the receipts it held are always kept.
    ``change`` returns None to leave the marker as it is. Returns what was written (or None)."""
    with _locked(path):
        before = load(path)
        after = change(before)
        if after is None:
            return None
        if before is not None:
            after = replace(after, receipts=_merged(before.receipts, after.receipts))
        save(path, after)
        return after


def save(path: Path, marker: Marker) -> None:
    """Write the marker atomically (a crash leaves the old one or the new one, never half of one). Use it
    through :func:`_update`, which keeps the receipts it held."""
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
    current = give_identity(conn)
    found: list[Replacement | None] = [None]

    def change(marker: Marker | None) -> Marker:
        replaced = marker.replaced if marker is not None else None
        if marker is not None and marker.database_id and marker.database_id != current:
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
        found[0] = replaced
        return Marker(current, _now(), _safe_outbox_state(conn, marker), replaced)

    _update(marker_path(database_path), change)
    return found[0]


def renew(database_path: Path, conn: sqlite3.Connection) -> None:
    """Record ``conn``'s database as the one in use, with no replacement to tell (a repair built it)."""
    current = database_id(conn) or ""
    _update(marker_path(database_path), lambda _: Marker(current, _now(), outbox_state(conn), None))


def record_use(database_path: Path, conn: sqlite3.Connection) -> None:
    """Note in the marker that the database is in use now, with its outbox as it is (at close, say)."""

    def change(marker: Marker | None) -> Marker | None:
        if marker is None:
            return None
        try:
            if database_id(conn) != marker.database_id:
                return None
        except sqlite3.Error:
            return None
        return replace(marker, seen_at=_now(), outbox=_safe_outbox_state(conn, marker))

    _update(marker_path(database_path), change)


def acknowledge(database_path: Path) -> Replacement | None:
    """An operator has seen the replacement notice: clear it; returns what it said."""
    found: list[Replacement | None] = [None]

    def change(marker: Marker | None) -> Marker | None:
        if marker is None or marker.replaced is None:
            return None
        found[0] = marker.replaced
        return replace(marker, replaced=None)

    _update(marker_path(database_path), change)
    return found[0]


def last_receipt(database_path: Path, day: str) -> int:
    """The last receipt sequence of ``day`` (``yymmdd``) the marker recorded, 0 when none."""
    marker = load(marker_path(database_path))
    return marker.last_receipt(day) if marker is not None else 0


def record_receipt(database_path: Path, day: str, sequence: int) -> None:
    """Record that ``sequence`` of ``day`` was issued (after the transaction that issued it committed)."""

    def change(marker: Marker | None) -> Marker:
        entry: Receipts = ((day, sequence),)
        if marker is None:
            return Marker("", _now(), None, None, entry)
        return replace(marker, receipts=entry)  # merged with what the marker held

    _update(marker_path(database_path), change)


def current_replacement(database_path: Path) -> Replacement | None:
    marker = load(marker_path(database_path))
    return marker.replaced if marker is not None else None


def _safe_outbox_state(conn: sqlite3.Connection, marker: Marker | None) -> OutboxState | None:
    try:
        return outbox_state(conn)
    except sqlite3.Error:  # a damaged outbox: keep what was known of it
        return marker.outbox if marker is not None else None
