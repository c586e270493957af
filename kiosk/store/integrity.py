"""What is damaged in a terminal's database, found with SQLite's own checks and said in words an operator can act on.

A database is damaged when SQLite says so: "file is not a database" (SQLITE_NOTADB: the header is not SQLite's) or
"database disk image is malformed" (SQLITE_CORRUPT: a page does not hold what it should), or when a row we wrote
cannot be read back (a document that is no longer JSON). The parts of the database differ in what damage costs:

- the catalog cache and the sync state (form templates, notices, center settings, cursors) come from the center
  and can be pulled again;
- the outbox holds records (submissions, ratings) not yet delivered to the center, and the receipt counters and
  rated subjects keep receipt numbers and ratings unique: these exist nowhere else, so a damaged file is never
  deleted or overwritten; ``kiosk database repair`` salvages what can be read into a new file and keeps the
  damaged one aside for support.

``PRAGMA quick_check(TABLE)`` checks one table and its indexes, so the small, precious tables are checked every
time the database opens, and the catalog's (hundreds of megabytes in a large cache) only where that is cheap;
damage met later, in use, is named by the part that met it (:func:`guarded`).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

CATALOG, SYNC, OUTBOX, RECORDS, OTHER, FILE = "catalog", "sync", "outbox", "records", "other", "file"
PARTS = (CATALOG, SYNC, OUTBOX, RECORDS, OTHER, FILE)

# What each part is called on screen and on the command line.
PART_NAMES = {
    CATALOG: "事项目录缓存",
    SYNC: "同步状态（表单模板、通知、中心设置）",
    OUTBOX: "待上传记录",
    RECORDS: "回执编号与评价记录",
    OTHER: "其他数据",
    FILE: "整个数据库文件",
}
# Parts the center can send again: losing them costs a download, nothing else.
REBUILDABLE = frozenset({CATALOG, SYNC})

_TABLE_PARTS = {
    "items": CATALOG,
    "item_facets": CATALOG,
    "tombstones": CATALOG,
    "catalog_meta": CATALOG,
    "search_terms": CATALOG,
    "sync_cursors": SYNC,
    "sync_state": SYNC,
    "form_templates": SYNC,
    "notices": SYNC,
    "center_settings": SYNC,
    "feed_tombstones": SYNC,
    "outbox": OUTBOX,
    "rated_subjects": RECORDS,
    "receipt_counters": RECORDS,
}

# Below this size the whole file is checked when it opens (about 50 ms for 30 MB, the demo's 5,200 items);
# above it only the tables that are not the catalog's.
CHEAP_CHECK_BYTES = 64 * 1024 * 1024


def part_of(table: str) -> str:
    if table in _TABLE_PARTS:
        return _TABLE_PARTS[table]
    if table.startswith(("guide_fts", "search_")):  # the full-text index's shadow tables, search caches
        return CATALOG
    return OTHER


def ordered(parts: Iterable[str]) -> list[str]:
    found = set(parts)
    return [p for p in PARTS if p in found]


class DatabaseError(RuntimeError):
    """The database cannot be opened, upgraded or read. ``str()`` (and ``plain``) is one line in plain Chinese
    saying what is wrong and what to do; ``detail`` is the technical detail, for the log."""

    def __init__(self, plain: str, detail: str = "") -> None:
        super().__init__(plain)
        self.plain = plain
        self.detail = detail or plain


class DatabaseDamaged(DatabaseError, sqlite3.DatabaseError):
    """SQLite found the database (or a part of it) damaged. ``parts`` names what is damaged (``PARTS``).

    Also a ``sqlite3.DatabaseError``, so code that copes with a failing database (retry later, keep the UI
    going) copes with this one too."""

    def __init__(self, parts: Iterable[str], detail: str, path: Path | None = None) -> None:
        self.parts = frozenset(parts) or frozenset({FILE})
        self.path = path
        super().__init__(damage_message(self.parts, path), detail)

    @property
    def rebuildable(self) -> bool:
        """Only parts the center can send again are damaged."""
        return self.parts <= REBUILDABLE


def damage_message(parts: Iterable[str], path: Path | None = None) -> str:
    found = ordered(parts) or [FILE]
    names = "、".join(PART_NAMES[p] for p in found)
    where = f"本机数据库 {path} " if path is not None else "本机数据库"
    if set(found) <= REBUILDABLE:
        todo = (
            "这部分可从中心重新获取：请运行 kiosk database repair 重建（损坏的文件会另存备查），然后同步"
            "（kiosk sync once）或重新导入目录"
        )
    else:
        todo = (
            "其中可能有尚未送达中心的记录，请勿删除数据目录中的任何文件：运行 kiosk database repair 抢救能读出的"
            "记录（损坏的文件会另存备查），并联系运维支持"
        )
    return f"{where}已损坏（{names}）。{todo}"


def is_damage(exc: BaseException) -> bool:
    """SQLite's own word that the file is damaged (not a locked, missing or read-only file)."""
    if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return True
    text = str(exc)
    return "malformed" in text or "not a database" in text


Result = TypeVar("Result")


def guarded(part: str) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Turn SQLite's damage errors met while using ``part`` into :class:`DatabaseDamaged` naming it."""

    def decorate(function: Callable[..., Result]) -> Callable[..., Result]:
        @functools.wraps(function)
        def call(*args: Any, **kwargs: Any) -> Result:
            try:
                return function(*args, **kwargs)
            except sqlite3.DatabaseError as exc:
                if is_damage(exc):
                    raise DatabaseDamaged({part}, f"{function.__qualname__}: {exc}") from exc
                raise

        return call

    return decorate


def tables(conn: sqlite3.Connection) -> list[str]:
    """The tables that hold rows (virtual tables keep theirs in shadow tables, which are listed)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%'"
        " ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows]


def check_tables(conn: sqlite3.Connection, names: Iterable[str]) -> dict[str, str]:
    """``PRAGMA quick_check`` of each table and its indexes: the first problem of each damaged one."""
    problems: dict[str, str] = {}
    for name in names:
        try:
            rows = conn.execute("SELECT * FROM pragma_quick_check(?)", [name]).fetchall()
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            problems[name] = str(exc)
            continue
        if rows != [("ok",)]:
            problems[name] = "; ".join(str(r[0]) for r in rows[:3])
    return problems


def check(conn: sqlite3.Connection, *, size: int | None = None) -> dict[str, str]:
    """The damaged tables of an open database, ``{table: problem}``; ``{"": problem}`` when SQLite cannot even
    read the list of tables. With ``size`` over ``CHEAP_CHECK_BYTES`` the catalog's tables are left out."""
    try:
        names = tables(conn)
        if size is not None and size > CHEAP_CHECK_BYTES:
            names = [n for n in names if part_of(n) != CATALOG]
        return check_tables(conn, names)
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        return {"": str(exc)}


def parts_of(problems: dict[str, str]) -> frozenset[str]:
    return frozenset(FILE if not table else part_of(table) for table in problems)


def describe(problems: dict[str, str]) -> str:
    return "; ".join(f"{table or '(schema)'}: {problem}" for table, problem in sorted(problems.items()))


def diagnose(path: Path) -> dict[str, str]:
    """Every damaged table of the database file at ``path`` (a full check, read only)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return {"": str(exc)}
    try:
        problems = check(conn)
        if not problems:
            rows = conn.execute("PRAGMA quick_check").fetchall()
            if rows != [("ok",)]:  # pages that belong to no table (the free list) or the file's size
                problems = {"": "; ".join(str(r[0]) for r in rows[:3])}
        return problems
    except sqlite3.DatabaseError as exc:
        return {"": str(exc)}
    finally:
        conn.close()
