"""The center's one way to its database: a SQLite file or a PostgreSQL server, behind one small interface.

Everything the center keeps goes through :meth:`Database.transaction` (one serialised write transaction, yielding a
:class:`Connection` whose ``execute(sql, params)`` returns a cursor) and :meth:`Database.query` (one read, a list
of rows). Rows are read by column name (``row["col"]``) or by position. SQL is written once, in the portable subset
of docs/center.md ("Database"): ``?`` placeholders, ``ON CONFLICT``, ``RETURNING``, the types TEXT, INTEGER, REAL
and BLOB; this module translates it for PostgreSQL.

Writes are serialised on both backends, because the center's guarantees rest on it with several processes on one
database: a record pushed twice (same idempotency key) is stored once, a subject is rated once, a command is closed
once, a rollout moves once, migrations run once. SQLite: one connection per process guarded by a lock, and
``BEGIN IMMEDIATE`` for the other processes on the file. PostgreSQL: every write transaction first takes one
transaction-scoped advisory lock (``pg_advisory_xact_lock``), held until it commits or rolls back, so a write sees
every write committed before it, as with SQLite; reads take no lock and run on any pooled connection.
"""

from __future__ import annotations

import functools
import logging
import re
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)

URL_SCHEMES: Final = ("postgresql://", "postgres://")
# The one advisory lock every write transaction takes (an arbitrary constant: "kiosk" in ASCII).
WRITE_LOCK: Final = 0x6B696F736B
DEFAULT_POOL_SIZE: Final = 10
CONNECT_TIMEOUT_S: Final = 10


class Row(Protocol):
    """A row: values by column name or by position; ``dict(row)`` gives name → value."""

    def __getitem__(self, key: str | int, /) -> Any: ...

    def keys(self) -> list[str]: ...


class Cursor(Protocol):
    """What ``Connection.execute`` returns: rows one at a time or all, and how many rows a write changed."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """The connection a write transaction yields."""

    def execute(self, sql: str, params: Sequence[Any] = (), /) -> Cursor: ...

    def executemany(self, sql: str, params: Iterable[Sequence[Any]], /) -> Cursor: ...


class DatabaseUnavailable(Exception):
    """The database cannot be opened or reached; the message says where (a URL's password masked) and why."""


def is_url(target: str | Path) -> bool:
    """Whether ``--db`` names a PostgreSQL server (``postgresql://...``) rather than a SQLite file."""
    return isinstance(target, str) and target.startswith(URL_SCHEMES)


def masked(target: str | Path) -> str:
    """``target`` fit for a log or a message: a URL's password replaced by ``***``."""
    text = str(target)
    if not is_url(text):
        return text
    parts = urlsplit(text)
    if parts.password is None:
        return text
    userinfo, _, host = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return text.replace(parts.netloc, f"{user}:***@{host}", 1)


def scrub(message: str, target: str | Path) -> str:
    """``message`` with the password of ``target`` (if any) masked wherever it appears."""
    if is_url(target):
        password = urlsplit(str(target)).password
        if password:
            message = message.replace(password, "***")
    return message


class Database(ABC):
    """One center database; :func:`open_database` picks the backend."""

    backend: str = ""
    location: str = ""  # where it is, for logs and messages (a URL's password masked)

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Connection]:
        """One serialised write transaction: committed when the block ends, rolled back when it raises."""

    @abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """The rows of one read."""

    @abstractmethod
    def close(self) -> None:
        """Close every connection."""

    def compact(self) -> None:  # noqa: B027 (a default: nothing to do but on SQLite)
        """Rebuild the file so nothing deleted lingers in free pages (SQLite); PostgreSQL: nothing to do here."""

    @abstractmethod
    def json_text(self, column: str, *path: str) -> str:
        """SQL for the text at ``path`` inside the JSON text ``column`` (names: the caller's own constants)."""

    def unserialised_transaction(self) -> AbstractContextManager[Connection]:
        """A write transaction that does not wait for the one writer: only for statements that settle a race by
        themselves (an insert whose key refuses a second one, an update of one row), that never wait on a write
        transaction's lock and never need to see what another transaction is about to commit. The nonce of every
        signed request is one: waiting for the writer there put every request in one queue. SQLite has one writer
        whatever is asked: the same as :meth:`transaction`."""
        return self.transaction()

    def commit_without_waiting(self, db: Connection) -> None:  # noqa: B027 (a default: SQLite never waits)
        """Let the write transaction ``db`` commit without waiting for its log to reach the disk: for what costs
        nothing to lose in a crash of the database (a nonce, a heartbeat's state: both come again).
        SQLite in WAL with synchronous=NORMAL never waits at commit; PostgreSQL would (several ms), inside the
        one write lock, so every heartbeat waited for the ones before it to reach the disk."""


def open_database(target: str | Path, *, pool_size: int = DEFAULT_POOL_SIZE) -> Database:
    """A PostgreSQL database for a ``postgresql://`` URL, else the SQLite file at ``target`` (made if missing).
    :class:`DatabaseUnavailable` when it cannot be opened or reached."""
    if is_url(target):
        return PostgresDatabase(str(target), pool_size=pool_size)
    return SqliteDatabase(Path(target))


# --- SQLite ---------------------------------------------------------------------------------------------------


class SqliteDatabase(Database):
    """One connection guarded by a lock serves the process; every write runs in ``BEGIN IMMEDIATE``, so other
    processes on the same file (the CLI, more workers) wait for it."""

    backend = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10.0)
        except sqlite3.Error as exc:
            raise DatabaseUnavailable(f"cannot open the center's database {path}: {exc}") from None
        try:
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            # What is deleted or replaced is overwritten, not freed: personal data does not linger in the file.
            self._db.execute("PRAGMA secure_delete=ON")
        except BaseException:
            self._db.close()
            raise

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def transaction(self) -> AbstractContextManager[Connection]:
        return self._write()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def compact(self) -> None:
        """VACUUM and empty the write-ahead log; a warning (not an error) when another connection is reading."""
        try:
            with self._lock:
                self._db.execute("VACUUM")
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError as exc:
            log.warning("the database could not be compacted (%s); run VACUUM when idle", exc)

    def json_text(self, column: str, *path: str) -> str:
        return f"json_extract({column}, '$.{'.'.join(path)}')"


# --- PostgreSQL -----------------------------------------------------------------------------------------------

_LITERAL = re.compile(r"('(?:[^']|'')*')")
_DDL = re.compile(r"\s*(CREATE\s+TABLE|ALTER\s+TABLE)\b", re.IGNORECASE)
_DDL_TYPES: Final = (
    (
        re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b", re.IGNORECASE),
        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    ),
    (re.compile(r"\bINTEGER\b", re.IGNORECASE), "BIGINT"),
    (re.compile(r"\bREAL\b", re.IGNORECASE), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b", re.IGNORECASE), "BYTEA"),
    (re.compile(r"\)\s*WITHOUT\s+ROWID\b", re.IGNORECASE), ")"),
)


@functools.lru_cache(maxsize=1024)
def postgres_sql(sql: str) -> str:
    """``sql`` as psycopg takes it: ``?`` → ``%s`` and ``%`` → ``%%`` (outside string literals for ``?``), and in
    CREATE/ALTER TABLE the SQLite types as PostgreSQL's (INTEGER → BIGINT, REAL → DOUBLE PRECISION, BLOB → BYTEA,
    ``INTEGER PRIMARY KEY AUTOINCREMENT`` → an identity column, no ``WITHOUT ROWID``)."""
    ddl = _DDL.match(sql) is not None
    parts = _LITERAL.split(sql)
    for index, part in enumerate(parts):
        part = part.replace("%", "%%")
        if index % 2 == 0:  # outside a literal
            part = part.replace("?", "%s")
            if ddl:
                for pattern, replacement in _DDL_TYPES:
                    part = pattern.sub(replacement, part)
        parts[index] = part
    return "".join(parts)


class _PgRow:
    """A row of a PostgreSQL result, read by name or position like ``sqlite3.Row``."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: tuple[Any, ...], index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: str | int) -> Any:
        return self._values[self._index[key]] if isinstance(key, str) else self._values[key]

    def keys(self) -> list[str]:
        return list(self._index)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values, strict=True))!r})"


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], _PgRow]:
    description = cursor.description or ()
    index = {column.name: position for position, column in enumerate(description)}

    def make(values: Sequence[Any]) -> _PgRow:
        return _PgRow(tuple(bytes(v) if isinstance(v, memoryview) else v for v in values), index)

    return make


def _values(params: Sequence[Any]) -> tuple[Any, ...]:
    """Parameters as psycopg takes them: always a tuple (so ``%%`` is read as ``%`` even without parameters), and
    booleans as the 0/1 the center's INTEGER columns hold, as SQLite stores them."""
    return tuple(int(value) if isinstance(value, bool) else value for value in params)


class _PgConnection:
    """A pooled psycopg connection inside a write transaction, taking the center's SQL."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self._connection = connection

    def execute(self, sql: str, params: Sequence[Any] = (), /) -> Cursor:
        return self._connection.execute(postgres_sql(sql), _values(params))

    def executemany(self, sql: str, params: Iterable[Sequence[Any]], /) -> Cursor:
        cursor = self._connection.cursor()
        cursor.executemany(postgres_sql(sql), [_values(p) for p in params])
        return cursor


class PostgresDatabase(Database):
    """A psycopg connection pool on one PostgreSQL database; writes serialised by one advisory lock."""

    backend = "postgresql"

    def __init__(self, url: str, *, pool_size: int = DEFAULT_POOL_SIZE) -> None:
        self.location = masked(url)
        try:
            import psycopg
            from psycopg_pool import ConnectionPool, PoolTimeout
        except ImportError:  # the terminal's bundle leaves PostgreSQL's client out (build/kiosk.spec)
            raise DatabaseUnavailable(
                f"{self.location}: this program has no PostgreSQL client (psycopg); run the center from a Python "
                "install with the center extra (uv sync --extra center), or give --db a SQLite file"
            ) from None
        self._local = threading.local()
        # One connection first: a wrong URL or a server that is down is said at once, not after the pool's wait.
        try:
            psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S).close()
        except psycopg.Error as exc:
            reason = scrub(str(exc).strip(), url)
            raise DatabaseUnavailable(
                f"cannot connect to the center's database {self.location}: {reason}"
            ) from None
        self._pool: ConnectionPool[Any] = ConnectionPool(
            url,
            min_size=1,
            max_size=max(pool_size, 1),
            kwargs={"autocommit": True, "row_factory": _row_factory, "connect_timeout": CONNECT_TIMEOUT_S},
            name="center",
            open=False,
        )
        try:
            self._pool.open(wait=True, timeout=CONNECT_TIMEOUT_S * 2)
        except PoolTimeout:
            self._pool.close()
            raise DatabaseUnavailable(
                f"cannot connect to the center's database {self.location}: no connection within "
                f"{CONNECT_TIMEOUT_S * 2} s (the server's log says why)"
            ) from None

    def _active(self) -> _PgConnection | None:
        active: _PgConnection | None = getattr(self._local, "connection", None)
        return active

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        active = self._active()
        if active is not None:  # a write inside this thread's write: part of it (the lock is held already)
            yield active
            return
        with self._pool.connection() as connection, connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            wrapped = _PgConnection(connection)
            self._local.connection = wrapped
            try:
                yield wrapped
            finally:
                self._local.connection = None

    def transaction(self) -> AbstractContextManager[Connection]:
        return self._write()

    @contextmanager
    def _unserialised(self) -> Iterator[Connection]:
        active = self._active()
        if active is not None:  # inside this thread's write: part of it
            yield active
            return
        with self._pool.connection() as connection, connection.transaction():
            yield _PgConnection(connection)

    def unserialised_transaction(self) -> AbstractContextManager[Connection]:
        return self._unserialised()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        active = self._active()
        if active is not None:  # a read inside this thread's write sees what it wrote
            return active.execute(sql, params).fetchall()
        with self._pool.connection() as connection:
            rows: list[Row] = connection.execute(postgres_sql(sql), _values(params)).fetchall()
            return rows

    def close(self) -> None:
        self._pool.close()

    def json_text(self, column: str, *path: str) -> str:
        return f"({column}::jsonb #>> '{{{','.join(path)}}}')"

    def commit_without_waiting(self, db: Connection) -> None:
        db.execute("SET LOCAL synchronous_commit TO OFF")
