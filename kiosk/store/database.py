"""The terminal's SQLite database: WAL mode, one connection per thread, versioned migrations at open.

Writes happen on one thread only (``Background.write``), so they never contend; readers run in parallel with
it thanks to WAL. Connections are plain ``sqlite3`` ones; sqlite-utils, which builds the schema, is loaded only
when a migration is pending, so starting a terminal stays quick. A migration runs in one transaction with the
version bump, after a backup copy of the file, so an interrupted upgrade leaves the old database intact.

At open SQLite checks the tables (:mod:`kiosk.store.integrity`): a file that is not a database, or whose schema
cannot be read, is refused with :class:`DatabaseDamaged`; a damaged part (the catalog, the outbox) is noted in
``Database.damage`` and the rest stays usable.
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

from kiosk.store.database_marker import Replacement, how_it_was, reconcile, record_use
from kiosk.store.integrity import (
    FILE,
    SYNC,
    DatabaseDamaged,
    DatabaseError,
    check,
    damage_message,
    describe,
    is_damage,
    parts_of,
)

__all__ = ["Database", "DatabaseDamaged", "DatabaseError", "Migration", "connect", "migrate", "user_version"]

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)


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

    def __init__(self, path: Path, migrations: list[Migration], *, check_at_open: bool = True) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.damage: frozenset[str] = frozenset()  # parts found damaged when opened (integrity.PARTS)
        # The database the terminal had used was not the one opened (see kiosk.store.database_marker).
        self.replacement: Replacement | None = None
        self._marked = False
        path.parent.mkdir(parents=True, exist_ok=True)
        before = how_it_was(path)
        try:
            db = self.connection()
            db.execute("PRAGMA journal_mode = WAL")
            self.schema_version = migrate(db, migrations, path)
            if check_at_open:
                self._check(db)
                self._mark(db, before)
        except DatabaseError:
            self.close()
            raise
        except sqlite3.DatabaseError as exc:
            self.close()
            if is_damage(exc):
                problems = check_quietly(path)
                raise DatabaseDamaged(parts_of(problems) or {FILE}, f"{path}: {exc}", path) from exc
            raise DatabaseError(
                f"本机数据库 {path} 无法打开（{exc}）：请检查磁盘空间和文件权限后重试；仍不行请联系运维支持",
                f"{path}: {exc}",
            ) from exc
        except BaseException:
            self.close()
            raise

    def _check(self, db: sqlite3.Connection) -> None:
        """SQLite's quick check of the tables (the catalog's only when the file is small enough to be quick)."""
        size = self.path.stat().st_size if self.path.exists() else 0
        problems = check(db, size=size)
        if not problems:
            return
        parts = parts_of(problems)
        if FILE in parts:
            raise DatabaseDamaged(parts, f"{self.path}: {describe(problems)}", self.path)
        self.damage = parts
        log.error("%s (%s)", damage_message(parts, self.path), describe(problems))

    def _mark(self, db: sqlite3.Connection, before: str) -> None:
        """Compare the database with the marker next to it, and record it there."""
        if SYNC in self.damage or not has_table(db, "sync_state"):
            return  # no identity can be read or kept: the marker is left as it is
        try:
            self.replacement = reconcile(self.path, db, before)
            self._marked = True
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            log.error("the database identity cannot be read or kept: %s", exc)

    def require(self, *parts: str) -> None:
        """Raise :class:`DatabaseDamaged` if any of ``parts`` was found damaged when the database opened."""
        hit = self.damage.intersection(parts)
        if hit:
            raise DatabaseDamaged(
                hit, f"{self.path}: damaged when opened: {', '.join(sorted(hit))}", self.path
            )

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
        if self._marked:
            self._marked = False
            try:
                record_use(self.path, self.connection())  # the outbox as it is left, in the marker
            except Exception as exc:  # closing must always succeed
                log.warning("the database marker could not be updated at close: %s", exc)
        with self._lock:
            for db in self._all:
                # A connection of a thread that already ended may refuse to close from here.
                with contextlib.suppress(sqlite3.ProgrammingError):
                    db.close()
            self._all.clear()
        self._local = threading.local()


def has_table(db: sqlite3.Connection, name: str) -> bool:
    return (
        db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone()
        is not None
    )


def user_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection, migrations: list[Migration], path: Path) -> int:
    current = user_version(db)
    latest = max((m.version for m in migrations), default=0)
    if current > latest:
        raise DatabaseError(
            f"本机数据库 {path} 来自更新版本的程序（结构版本 {current}，本程序只认识到 {latest}）：请重新安装较新的"
            "程序版本",
            f"the local database {path} has schema version {current}, newer than this program knows ({latest})",
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


def check_quietly(path: Path) -> dict[str, str]:
    """Every damaged table of ``path`` (see :func:`kiosk.store.integrity.diagnose`), or the whole file."""
    from kiosk.store.integrity import diagnose

    try:
        return diagnose(path)
    except Exception as exc:  # the file may be anything at all; the check must never be what fails
        return {"": f"{type(exc).__name__}: {exc}"}
