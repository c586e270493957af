"""The database's upkeep while nothing else has it open (the supervisor's maintenance window, an update): a
checkpoint of the write-ahead log, VACUUM, a backup before a new version migrates it, and going back to that
backup without losing what the outbox received since.

Plain ``sqlite3`` only: the supervisor that calls it loads neither Qt nor the rest of the store.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

OUTBOX = "outbox"
KEY = "idempotency_key"
_SIDE_FILES = ("-wal", "-shm")


@dataclass(frozen=True, slots=True)
class Upkeep:
    size_before: int
    size_after: int


@dataclass(frozen=True, slots=True)
class Restored:
    outbox_rows_kept: int  # outbox records written since the backup, carried into the restored database
    set_aside: Path | None  # where the database given up was moved (for support)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def _size(path: Path) -> int:
    """The database's bytes on disk, its log files included."""
    files = [path, *(path.with_name(path.name + suffix) for suffix in _SIDE_FILES)]
    return sum(file.stat().st_size for file in files if file.exists())


def checkpoint_and_vacuum(path: Path) -> Upkeep | None:
    """Fold the write-ahead log into the file and rebuild it compactly; None when there is no database."""
    if not path.exists():
        return None
    before = _size(path)
    conn = _connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    after = _size(path)
    log.info("database %s checkpointed and vacuumed: %d -> %d bytes", path, before, after)
    return Upkeep(before, after)


def backup(path: Path, target: Path) -> bool:
    """A consistent copy of the database at ``path`` in ``target`` (SQLite's online backup); False when there is
    no database to copy."""
    if not path.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    source = _connect(path)
    try:
        copy = sqlite3.connect(str(tmp))
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    os.replace(tmp, target)
    log.info("database %s backed up to %s", path, target)
    return True


def restore_keeping_outbox(path: Path, backup_file: Path, set_aside: Path | None = None) -> Restored:
    """Put the database back as it was in ``backup_file``, keeping every outbox record written since: rows of the
    current database's outbox whose idempotency key the backup lacks are copied over (the columns both schemas
    have; new row ids, in their order). The database given up is moved to ``set_aside`` (or deleted).

    Nothing may have the database open. Safe to call again after a crash halfway: the restored copy is built
    beside the database and moved into place last."""
    restoring = path.with_name(path.name + ".restoring")
    if not path.exists() and restoring.exists():  # a crash after the database was moved away: finish the move
        os.replace(restoring, path)
        return Restored(0, None)
    restoring.unlink(missing_ok=True)
    # A consistent copy of the backup to build on; the backup itself stays as it is for another try.
    source = _connect(backup_file)
    try:
        built = sqlite3.connect(str(restoring))
        try:
            source.backup(built)
        finally:
            built.close()
    finally:
        source.close()
    kept = 0
    if path.exists():
        conn = _connect(restoring)
        try:
            conn.execute("ATTACH DATABASE ? AS given_up", [str(path)])
            kept = _carry_outbox(conn)
            conn.execute("DETACH DATABASE given_up")
        finally:
            conn.close()
        # Fold the given-up database's log in, so that moving it aside moves all of it.
        with contextlib.suppress(sqlite3.Error):
            old = _connect(path)
            try:
                old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                old.close()
    aside = _move_aside(path, set_aside)
    os.replace(restoring, path)
    log.warning(
        "database %s restored from %s; %d outbox records written since were kept%s",
        path,
        backup_file,
        kept,
        f"; the database given up is kept as {aside}" if aside else "",
    )
    return Restored(kept, aside)


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA {schema}.table_info({table})")]


def _carry_outbox(conn: sqlite3.Connection) -> int:
    mine, theirs = _columns(conn, "main", OUTBOX), _columns(conn, "given_up", OUTBOX)
    if not mine or not theirs or KEY not in mine or KEY not in theirs:
        log.warning("no outbox to carry over (restored: %s, given up: %s)", bool(mine), bool(theirs))
        return 0
    shared = [c for c in theirs if c in mine and c != "id"]
    names = ", ".join(f'"{c}"' for c in shared)
    conn.execute("BEGIN IMMEDIATE")
    try:
        cursor = conn.execute(
            f"INSERT INTO main.{OUTBOX} ({names}) SELECT {names} FROM given_up.{OUTBOX} AS g "
            f"WHERE NOT EXISTS (SELECT 1 FROM main.{OUTBOX} AS m WHERE m.{KEY} = g.{KEY}) ORDER BY g.id"
        )
        kept = cursor.rowcount
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return max(kept, 0)


def _move_aside(path: Path, set_aside: Path | None) -> Path | None:
    """Move the database and its side files out of the way (to ``set_aside``, or delete them): a log file left
    beside a restored database would be replayed into it."""
    moved = None
    for suffix in ("", *_SIDE_FILES):
        file = path.with_name(path.name + suffix)
        if not file.exists():
            continue
        if set_aside is not None:
            set_aside.parent.mkdir(parents=True, exist_ok=True)
            target = set_aside.with_name(set_aside.name + suffix)
            os.replace(file, target)
            if not suffix:
                moved = target
        else:
            file.unlink()
    return moved
