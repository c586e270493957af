"""The terminal's SQLite database: WAL mode, one connection per thread, versioned migrations at open.

Writes happen on one thread only (``Background.write``), so they never contend; readers run in parallel with
it thanks to WAL. Connections are plain ``sqlite3`` ones; sqlite-utils, which builds the schema, is loaded only
when a migration is pending, so starting a terminal stays quick. A migration runs in one transaction with the version bump, after a backup copy of the file,
so an interrupted upgrade leaves the old database intact.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)


class DatabaseError(RuntimeError):
    """The database cannot be opened or upgraded; the message tells an operator what to do."""


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[sqlite_utils.Database], None]  # runs inside the migration's transaction


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=True)
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


class Database:
    """A database file with its migrations applied, handing each thread its own connection."""

    def __init__(self, path: Path, migrations: list[Migration]) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = self.connection()
            db.execute("PRAGMA journal_mode = WAL")
            self.schema_version = migrate(db, migrations, path)
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(
                f"the local database {path} cannot be opened ({exc}); move the file aside and restart so the "
                "terminal rebuilds its cache"
            ) from exc

    def connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.path)
            self._local.db = db
            with self._lock:
                self._all.append(db)
        return db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction on this thread's connection: all of it commits, or none of it."""
        db = self.connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.rollback()
            raise
        else:
            db.commit()

    def close(self) -> None:
        with self._lock:
            for db in self._all:
                # A connection of a thread that already ended may refuse to close from here.
                with contextlib.suppress(sqlite3.ProgrammingError):
                    db.close()
            self._all.clear()
        self._local = threading.local()


def user_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection, migrations: list[Migration], path: Path) -> int:
    current = user_version(db)
    latest = max((m.version for m in migrations), default=0)
    if current > latest:
        raise DatabaseError(
            f"the local database {path} has schema version {current}, newer than this program knows ({latest}); "
            "install the newer program version again or move the database aside"
        )
    pending = sorted((m for m in migrations if m.version > current), key=lambda m: m.version)
    if pending and current > 0:
        backup = path.with_name(f"{path.name}.v{current}.bak")
        log.info("backing up database schema v%d to %s before upgrading", current, backup)
        target = sqlite3.connect(str(backup))
        with target:
            db.backup(target)
        target.close()
    if pending:
        import sqlite_utils

        schema = sqlite_utils.Database(db)
    for migration in pending:
        log.info("applying database migration %d: %s", migration.version, migration.description)
        db.execute("BEGIN IMMEDIATE")
        try:
            migration.apply(schema)
            db.execute(f"PRAGMA user_version = {int(migration.version)}")
        except BaseException:
            db.rollback()
            raise
        db.commit()
    return max(current, latest)
