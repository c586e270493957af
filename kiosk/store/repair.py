"""Repairing a damaged database: keep the damaged file aside, start a new one, and carry over what can be read.

The damaged file is never deleted or written to: it is renamed (``kiosk.db.damaged-<time>``, its WAL with it) and
kept for support, who may recover more from it than this does. The new database gets, table by table:

- the parts that are intact, whole (the catalog too, so a terminal that imports its catalog from a file does not
  lose it to damage elsewhere);
- from a damaged outbox, rated subjects or receipt counters, every row that can still be read (the records not
  yet delivered are what matters most: they exist nowhere else);
- from damaged sync state, what can be read, but no feed cursor, so every feed is pulled again from the start;
- from a damaged catalog, nothing: it comes again from the center (``kiosk sync once``) or its file.

Run it with the terminal stopped (nothing else may have the database open).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kiosk.store import database_marker
from kiosk.store.database import Database, Migration, check_quietly
from kiosk.store.integrity import CATALOG, FILE, SYNC, part_of, parts_of

log = logging.getLogger(__name__)

# Row ids tried one by one past the last row read in a damaged table (beyond the highest id known).
_PROBE_BEYOND = 10_000
_PROBE_MOST = 1_000_000


@dataclass(frozen=True, slots=True)
class TableOutcome:
    table: str
    copied: int
    damaged: bool
    complete: bool  # every row was read (false: some rows of a damaged table could not be)


@dataclass(frozen=True, slots=True)
class RepairReport:
    problems: dict[str, str]  # what the check found: table (or "" for the file) -> SQLite's words
    kept_at: Path | None  # where the damaged file was kept (None: nothing was done)
    tables: tuple[TableOutcome, ...] = ()
    catalog_kept: bool = False
    cursors_kept: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def repaired(self) -> bool:
        return self.kept_at is not None

    def outcome(self, table: str) -> TableOutcome | None:
        return next((t for t in self.tables if t.table == table), None)


def _stamp() -> str:
    return datetime.now(UTC).astimezone().strftime("%Y%m%d-%H%M%S")


def keep_aside(path: Path) -> Path:
    """Rename the database file (and its WAL and shared-memory files) to ``<name>.damaged-<time>``."""
    kept = path.with_name(f"{path.name}.damaged-{_stamp()}")
    n = 1
    while kept.exists():
        n += 1
        kept = path.with_name(f"{path.name}.damaged-{_stamp()}-{n}")
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, kept.with_name(kept.name + suffix))
    if path.exists():
        os.replace(path, kept)
    return kept


def repair(path: Path, migrations: list[Migration], *, force: bool = False) -> RepairReport:
    """Check the database at ``path``; if it is damaged (or ``force``), set it aside and build a new one."""
    problems = check_quietly(path) if path.exists() else {}
    if not problems and not force:
        return RepairReport(problems, None)
    damaged_parts = parts_of(problems)
    damaged_tables = {t for t in problems if t}
    whole_file = FILE in damaged_parts
    kept = keep_aside(path)
    log.warning("database %s set aside as %s for repair: %s", path, kept, problems or "(forced)")
    fresh = Database(path, migrations, check_at_open=False)
    outcomes: list[TableOutcome] = []
    notes: list[str] = []
    catalog_kept = cursors_kept = False
    try:
        conn = fresh.connection()
        conn.execute("PRAGMA foreign_keys = OFF")  # tables are copied one by one, not in the order they refer
        if not whole_file:
            source = sqlite3.connect(f"{kept.resolve().as_uri()}?mode=ro", uri=True)
            try:
                targets = set(_tables(conn))
                catalog_kept = CATALOG not in damaged_parts
                cursors_kept = SYNC not in damaged_parts and catalog_kept
                for table in _tables(source):
                    if table not in targets:
                        continue
                    part = part_of(table)
                    if part == CATALOG and not catalog_kept:
                        continue
                    outcome = _carry(source, conn, table, damaged=table in damaged_tables)
                    outcomes.append(outcome)
                if catalog_kept:
                    _carry_guide_index(source, conn)
                if not cursors_kept:
                    # Without the rows they point past, the feeds start again from the beginning.
                    keep = "kind != 'catalog'" if SYNC not in damaged_parts else "0"
                    with conn:
                        conn.execute(f"DELETE FROM sync_cursors WHERE NOT ({keep})")
            finally:
                source.close()
        with conn:
            conn.execute("DELETE FROM sync_state WHERE key = ?", [database_marker.IDENTITY_KEY])
        database_marker.give_identity(conn)
        database_marker.renew(path, conn)  # the receipts the marker kept stay: numbering goes on past them
    finally:
        fresh.close()
    if whole_file:
        notes.append("the file could not be read at all: nothing was carried over")
    report = RepairReport(problems, kept, tuple(outcomes), catalog_kept, cursors_kept, tuple(notes))
    log.warning(
        "database repaired: damaged file kept as %s; carried over %s; catalog kept: %s",
        kept,
        {t.table: t.copied for t in outcomes},
        catalog_kept,
    )
    return report


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'guide_fts_%' ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def _carry(
    source: sqlite3.Connection, target: sqlite3.Connection, table: str, *, damaged: bool
) -> TableOutcome:
    """Copy the rows of ``table`` that the source can give (the columns both have)."""
    wanted = set(_columns(target, table))
    columns = [c for c in _columns(source, table) if c in wanted]
    names = ", ".join(f'"{c}"' for c in columns)
    insert = f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
    copied = 0
    complete = True
    with target:
        target.execute(f'DELETE FROM "{table}"')  # a migration may have seeded it
        for row in _readable_rows(source, table, names):
            target.execute(insert, row)
            copied += 1
    if damaged:
        complete = _was_complete(source, table, copied)
    return TableOutcome(table, copied, damaged, complete)


def _readable_rows(source: sqlite3.Connection, table: str, names: str) -> Iterator[tuple[object, ...]]:
    """Every row that can be read: in order until the damage, then (for a table with row ids) one id at a time
    past the last one read."""
    last = 0
    has_rowid = _has_rowid(source, table)
    select = (
        f'SELECT rowid, {names} FROM "{table}" ORDER BY rowid'
        if has_rowid
        else f'SELECT {names} FROM "{table}"'
    )
    try:
        for row in source.execute(select):
            if has_rowid:
                last = row[0]
                yield tuple(row[1:])
            else:
                yield tuple(row)
        return
    except sqlite3.DatabaseError as exc:
        log.warning(
            "table %s: reading stopped after row %d (%s); trying the rows after it one by one",
            table,
            last,
            exc,
        )
    if not has_rowid:
        return
    highest = max(last, _highest_known_id(source, table)) + _PROBE_BEYOND
    for rowid in range(last + 1, min(highest, last + _PROBE_MOST) + 1):
        try:
            row = source.execute(f'SELECT {names} FROM "{table}" WHERE rowid = ?', [rowid]).fetchone()
        except sqlite3.DatabaseError:
            continue
        if row is not None:
            yield tuple(row)


def _has_rowid(conn: sqlite3.Connection, table: str) -> bool:
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()
    return not (sql and "WITHOUT ROWID" in (sql[0] or "").upper())


def _highest_known_id(conn: sqlite3.Connection, table: str) -> int:
    """The highest row id an intact index still knows of (the outbox's indexes hold every id)."""
    for query in (
        f'SELECT max(rowid) FROM "{table}"',
        "SELECT max(id) FROM outbox INDEXED BY idx_outbox_state",
    ):
        try:
            value = conn.execute(query).fetchone()[0]
            if isinstance(value, int):
                return value
        except sqlite3.DatabaseError:
            continue
    return 0


def _was_complete(source: sqlite3.Connection, table: str, copied: int) -> bool:
    """Whether every row of a damaged table was read: its indexes, if intact, say how many rows it had."""
    try:
        indexes = [r[1] for r in source.execute(f'PRAGMA index_list("{table}")')]
        for index in indexes:
            count = source.execute(f'SELECT count(*) FROM "{table}" INDEXED BY "{index}"').fetchone()[0]
            return bool(count == copied)
    except sqlite3.DatabaseError:
        pass
    return False


def _carry_guide_index(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """The full-text index of the guides, whose rows live in shadow tables: through the index itself."""
    try:
        with target:
            target.execute("DELETE FROM guide_fts")
            target.executemany(
                "INSERT INTO guide_fts(rowid, body) VALUES (?, ?)",
                source.execute("SELECT rowid, body FROM guide_fts ORDER BY rowid"),
            )
    except sqlite3.DatabaseError as exc:
        log.warning("the guide text index could not be carried over (%s); rebuilding it from the items", exc)
        _rebuild_guide_index(target)


def _rebuild_guide_index(target: sqlite3.Connection) -> None:
    import json

    from kiosk.domain.catalog import item_from_wire
    from kiosk.domain.search import fts_text

    with target:
        target.execute("DELETE FROM guide_fts")
        rows = target.execute("SELECT s.id, i.document FROM search_terms s JOIN items i ON i.code = s.code")
        for rowid, document in rows.fetchall():
            item = item_from_wire(json.loads(document))
            target.execute(
                "INSERT INTO guide_fts(rowid, body) VALUES (?, ?)", [rowid, fts_text(item.guide_text())]
            )
