"""The cached catalog: items and their guides, browse facets, search terms, and tombstones.

An import is two steps. :func:`prepare_entries` computes every row an entry may need (the item's document, its
facets, the pinyin of its name and keywords, its guide text as the full-text index takes it): CPU work that needs
no database, so the sync engine does it on its own thread while the writer stores the page before.
:meth:`CatalogStore.write_prepared` then decides by version what changes, as if the entries were applied one by
one, and writes it with a few batched statements inside the caller's transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from kiosk.domain.catalog import (
    CatalogEntry,
    Facet,
    ItemSummary,
    RefusedItem,
    ServiceItem,
    item_from_wire,
    item_to_wire,
)
from kiosk.domain.pinyin import normalise, pinyin_forms
from kiosk.domain.search import fts_text
from kiosk.store.database import Database
from kiosk.store.integrity import CATALOG, DatabaseDamaged, guarded


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    replaced: int
    deleted: int
    unchanged: int
    items: int  # items in the cache afterwards
    refused: tuple[
        RefusedItem, ...
    ] = ()  # items left out: invalid, over a limit, or beyond MAX_CATALOG_ITEMS

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.deleted)


@dataclass(frozen=True, slots=True)
class CatalogStats:
    items: int
    departments: int
    categories: int
    themes: int
    last_import_at: str | None
    database_bytes: int
    schema_version: int


ItemRow = tuple[str, str, str, str, str, int, str, str]  # ``items`` without ``imported_at``
FacetRow = tuple[str, str, str, int]
TermsRow = tuple[str, str, str, str]  # ``search_terms`` without ``id``


@dataclass(frozen=True, slots=True)
class PreparedEntry:
    """A catalog entry with the rows it writes should it change the cache (a tombstone has none)."""

    code: str
    version: int
    deleted: bool
    item_row: ItemRow | None = None
    facet_rows: tuple[FacetRow, ...] = ()
    terms_row: TermsRow | None = None
    guide: str = ""  # the guide text as ``guide_fts`` stores it


def prepare_entries(entries: Iterable[CatalogEntry]) -> list[PreparedEntry]:
    """Every row of every entry, computed without the database (on any thread)."""
    return [
        _prepare_item(entry.item, entry.document)
        if entry.item is not None and not entry.deleted
        else PreparedEntry(entry.code, entry.version, True)
        for entry in entries
    ]


def _prepare_item(item: ServiceItem, document: str | None) -> PreparedEntry:
    code = item.code
    forms = pinyin_forms(item.name)
    facets = [(code, "category", v, i) for i, v in enumerate(dict.fromkeys(item.categories))]
    facets += [(code, "theme", v, i) for i, v in enumerate(dict.fromkeys(item.themes))]
    return PreparedEntry(
        code,
        item.version,
        False,
        (
            code,
            item.name,
            item.department.code,
            item.department.name,
            item.handling.type.value,
            item.version,
            item.updated_at,
            document if document is not None else json.dumps(item_to_wire(item), ensure_ascii=False),
        ),
        tuple(facets),
        (code, forms.chars, " ".join(forms.syllables), _keyword_terms(item.keywords)),
        # fts_text of the joined guide text, piece by piece: no token spans the line between two pieces.
        " ".join([t for t in map(_guide_piece, item.guide_parts()) if t]),
    )


_guide_piece = lru_cache(maxsize=16384)(fts_text)


@lru_cache(maxsize=4096)
def _keyword_terms(keywords: tuple[str, ...]) -> str:
    """The saved pinyin of an item's keywords; the items of one template share their keywords."""
    forms = [f for f in (pinyin_forms(k) for k in keywords) if f.chars]
    return json.dumps([[f.chars, " ".join(f.syllables)] for f in forms], ensure_ascii=False)


# -- batched statements --------------------------------------------------------------------------------------
#
# SQLite runs a statement without the interpreter lock and takes the lock back afterwards, which costs up to a
# switch interval (5 ms) while the sync thread is busy checking the next page. So the store writes a page in a
# handful of statements of many rows (or codes) each, never a statement a row (executemany): up to this many,
# within the SQLite build's own limit of bound parameters (32766 since 3.32, 999 before).
_ROWS_PER_STATEMENT = 1024


def _batches(
    db: sqlite3.Connection, values: Sequence[object], width: int
) -> Iterator[tuple[int, list[object]]]:
    """Rows of ``width`` values (given flat) in statement-sized batches: ``(rows, values)``.

    ``rows`` is a power of two and the values are padded with NULLs up to it, so that a few statement texts
    serve every page: SQLite's compiled form of a statement this size takes up to a megabyte, and each
    connection keeps a hundred statements compiled.
    """
    most = min(_ROWS_PER_STATEMENT, db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width)
    most = 1 << max(0, most.bit_length() - 1)
    for start in range(0, len(values), most * width):
        part = list(values[start : start + most * width])
        rows = len(part) // width
        size = min(most, 1 << (rows - 1).bit_length())
        part += [None] * ((size - rows) * width)
        yield size, part


@lru_cache(maxsize=256)
def _marks(width: int, rows: int) -> str:
    one = ",".join("?" * width)
    return ",".join([f"({one})"] * rows) if width > 1 else ",".join([one] * rows)


def _versions(
    db: sqlite3.Connection, table: str, codes: list[str], column: str = "version"
) -> dict[str, int]:
    """``column`` of the rows of ``table`` (keyed by code) for those of ``codes`` it holds."""
    found: dict[str, int] = {}
    for size, part in _batches(db, codes, 1):
        found.update(
            db.execute(f"SELECT code, {column} FROM {table} WHERE code IN ({_marks(1, size)})", part)
        )
    return found


def _delete(db: sqlite3.Connection, table: str, column: str, keys: Sequence[object]) -> None:
    for size, part in _batches(db, keys, 1):
        db.execute(f"DELETE FROM {table} WHERE {column} IN ({_marks(1, size)})", part)


def _insert_rows(
    db: sqlite3.Connection, target: str, rows: Sequence[tuple[object, ...]], *, replace: bool = False
) -> None:
    """Insert ``rows`` into ``target``; a row's first value is never NULL (padding rows are, and are left out)."""
    if not rows:
        return
    width = len(rows[0])
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    for size, part in _batches(db, [v for row in rows for v in row], width):
        db.execute(
            f"{verb} INTO {target} SELECT * FROM (VALUES {_marks(width, size)}) WHERE column1 IS NOT NULL",
            part,
        )


def _remove(db: sqlite3.Connection, codes: list[str]) -> None:
    # The guide text index shares its rowid with search_terms.id, the one key a full-text table looks up.
    ids = list(_versions(db, "search_terms", codes, column="id").values())
    _delete(db, "guide_fts", "rowid", ids)
    _delete(db, "search_terms", "id", ids)
    _delete(db, "item_facets", "code", codes)
    _delete(db, "items", "code", codes)


def _insert(db: sqlite3.Connection, entries: list[PreparedEntry], stamp: str) -> None:
    _insert_rows(
        db,
        "items(code, name, department_code, department_name, handling_type, version, updated_at, document,"
        " imported_at)",
        [(*e.item_row, stamp) for e in entries if e.item_row is not None],
    )
    _insert_rows(db, "item_facets(code, kind, value, position)", [r for e in entries for r in e.facet_rows])
    # Ids given here rather than read back one insert at a time: the next ones SQLite itself would pick.
    first = db.execute("SELECT coalesce(max(id), 0) + 1 FROM search_terms").fetchone()[0]
    searchable = [e for e in entries if e.terms_row is not None]
    _insert_rows(
        db,
        "search_terms(id, code, chars, syllables, keywords)",
        [(first + i, *e.terms_row) for i, e in enumerate(searchable) if e.terms_row is not None],
    )
    _insert_rows(db, "guide_fts(rowid, body)", [(first + i, e.guide) for i, e in enumerate(searchable)])


_APPLY_SLICE = 1000  # entries made into rows at a time by CatalogStore.apply


def _no_room(code: str) -> RefusedItem:
    from kiosk.protocol.catalog import MAX_CATALOG_ITEMS

    return RefusedItem(
        None,
        code,
        None,
        f"item {code}: not cached, the cache holds the most items a terminal keeps ({MAX_CATALOG_ITEMS})",
        f"事项 {code} 未导入：本机目录已达 {MAX_CATALOG_ITEMS} 项的上限",
    )


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now(UTC)).isoformat(timespec="seconds")


def _write(
    db: sqlite3.Connection, entries: Sequence[PreparedEntry], stamp: str
) -> tuple[list[int], list[str]]:
    """Apply entries as if one by one; returns the numbers added, replaced, deleted and unchanged, and the codes
    of new items left out because the cache holds MAX_CATALOG_ITEMS already."""
    codes = list(dict.fromkeys(e.code for e in entries))
    stored = _versions(db, "items", codes)
    stones = _versions(db, "tombstones", codes)
    had_row, had_stone = set(stored), set(stones)
    fresh: dict[str, PreparedEntry] = {}  # the new item each code ends with
    stone_of: dict[str, int | None] = {}  # the tombstone each code ends with, where it changed
    added = replaced = deleted = unchanged = 0
    for entry in entries:
        code, version = entry.code, entry.version
        have, stone = stored.get(code), stones.get(code)
        if entry.deleted:
            if have is not None and have <= version:
                del stored[code]
                fresh.pop(code, None)
                deleted += 1
            elif have is not None or (stone is not None and stone >= version):
                unchanged += 1
                continue
            stones[code] = stone_of[code] = version
            continue
        if (have is not None and have >= version) or (stone is not None and stone >= version):
            unchanged += 1
            continue
        if have is not None:
            fresh.pop(code, None)  # replacing an item added earlier in these entries: the new one goes last
            replaced += 1
        else:
            added += 1
        stones.pop(code, None)
        stone_of[code] = None
        stored[code] = version
        fresh[code] = entry
    beyond = _beyond_the_limit(db, fresh, had_row, added - deleted)
    for code in beyond:
        del fresh[code]
        stone_of.pop(code, None)  # a tombstone it would have replaced stays
    added -= len(beyond)
    # Rows there before and deleted or replaced now go first; the new rows follow in the entries' order.
    gone = [code for code in had_row if code not in stored or code in fresh]
    if gone:
        _remove(db, gone)
    if fresh:
        _insert(db, list(fresh.values()), stamp)
    _delete(db, "tombstones", "code", [c for c, v in stone_of.items() if v is None and c in had_stone])
    _insert_rows(
        db,
        "tombstones(code, version, deleted_at)",
        [(c, v, stamp) for c, v in stone_of.items() if v is not None],
        replace=True,
    )
    return [added, replaced, deleted, unchanged], beyond


def _beyond_the_limit(
    db: sqlite3.Connection, fresh: dict[str, PreparedEntry], had_row: set[str], growth: int
) -> list[str]:
    """The new codes (the last ones) that would take the cache over MAX_CATALOG_ITEMS items."""
    if growth <= 0:
        return []
    # Loaded here, where a catalog is being written (and validated, which loads the same module): opening the
    # cache to read it stays free of the validator.
    from kiosk.protocol.catalog import MAX_CATALOG_ITEMS

    over = db.execute("SELECT count(*) FROM items").fetchone()[0] + growth - MAX_CATALOG_ITEMS
    if over <= 0:
        return []
    new = [code for code in fresh if code not in had_row]
    return new[len(new) - over :]


class CatalogStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    # -- writes (on the writer thread) ------------------------------------------------------------------

    def apply(
        self,
        entries: Sequence[CatalogEntry],
        *,
        refused: Sequence[RefusedItem] = (),
        now: datetime | None = None,
    ) -> ImportReport:
        """Apply validated entries in one transaction: newer versions replace, tombstones delete. ``refused``
        (the items validation left out) is reported along with the new items the cache has no room for.

        The rows are made and written a slice of entries at a time, so that those of a large file are never
        all in memory at once.
        """
        self.database.require(CATALOG)  # writing into damaged pages could only spread the damage
        stamp = _stamp(now)
        counts = [0, 0, 0, 0]
        beyond: list[str] = []
        with self.database.transaction() as db:
            for start in range(0, len(entries), _APPLY_SLICE):
                prepared = prepare_entries(entries[start : start + _APPLY_SLICE])
                written, left_out = _write(db, prepared, stamp)
                counts = [a + b for a, b in zip(counts, written, strict=True)]
                beyond += left_out
            return self._finish(db, counts, stamp, (*refused, *map(_no_room, beyond)))

    def write_prepared(
        self, db: sqlite3.Connection, entries: Sequence[PreparedEntry], *, now: datetime | None = None
    ) -> ImportReport:
        """Apply prepared entries inside the caller's open transaction (a sync page commits with its cursor).

        The outcome is that of applying the entries one by one: a newer version replaces the item, an older
        or equal one (or one a newer tombstone deleted) changes nothing, a tombstone deletes an item not newer
        than itself and is remembered.
        """
        self.database.require(CATALOG)
        stamp = _stamp(now)
        counts, beyond = _write(db, entries, stamp)
        return self._finish(db, counts, stamp, tuple(map(_no_room, beyond)))

    def _finish(
        self, db: sqlite3.Connection, counts: list[int], stamp: str, refused: tuple[RefusedItem, ...] = ()
    ) -> ImportReport:
        added, replaced, deleted, unchanged = counts
        if added or replaced or deleted:
            revision = self._meta(db, "revision")
            db.execute(
                "INSERT OR REPLACE INTO catalog_meta(key, value) VALUES ('revision', ?), ('last_import_at', ?)",
                [str(int(revision or 0) + 1), stamp],
            )
        count = db.execute("SELECT count(*) FROM items").fetchone()[0]
        return ImportReport(added, replaced, deleted, unchanged, count, refused)

    @staticmethod
    def _meta(db: sqlite3.Connection, key: str) -> str | None:
        row = db.execute("SELECT value FROM catalog_meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    # -- reads (any thread) ------------------------------------------------------------------------------

    @guarded(CATALOG)
    def revision(self) -> int:
        return int(self._meta(self.database.connection(), "revision") or 0)

    @guarded(CATALOG)
    def facets(self, kind: str) -> list[Facet]:
        db = self.database.connection()
        if kind == "department":
            rows = db.execute(
                "SELECT department_code, department_name, count(*) FROM items GROUP BY department_code "
                "ORDER BY department_code"
            ).fetchall()
        elif kind in ("category", "theme"):
            rows = db.execute(
                "SELECT value, value, count(*) FROM item_facets WHERE kind = ? GROUP BY value "
                "ORDER BY count(*) DESC, value",
                [kind],
            ).fetchall()
        else:
            raise ValueError(f"unknown facet kind {kind!r}")
        return [Facet(key, label, count) for key, label, count in rows]

    @guarded(CATALOG)
    def items_in(self, kind: str, key: str, part: str = "") -> list[ItemSummary]:
        """The items of a department, category or theme; with ``part``, only those of one of its
        :meth:`parts` (a category of the department; the department of a category's or theme's items)."""
        db = self.database.connection()
        columns = "i.code, i.name, i.department_name, i.handling_type"
        if kind == "department":
            if part:
                rows = db.execute(
                    f"SELECT {columns} FROM items i JOIN item_facets c ON c.code = i.code AND c.kind = 'category' "
                    "WHERE i.department_code = ? AND c.value = ? ORDER BY length(i.name), i.code",
                    [key, part],
                ).fetchall()
            else:
                rows = db.execute(
                    f"SELECT {columns} FROM items i WHERE i.department_code = ? ORDER BY length(i.name), i.code",
                    [key],
                ).fetchall()
        elif kind in ("category", "theme"):
            order = "f.position, length(i.name), i.code" if kind == "theme" else "length(i.name), i.code"
            narrow = " AND i.department_code = ?" if part else ""
            rows = db.execute(
                f"SELECT {columns} FROM items i JOIN item_facets f ON f.code = i.code "
                f"WHERE f.kind = ? AND f.value = ?{narrow} ORDER BY {order}",
                [kind, key, part] if part else [kind, key],
            ).fetchall()
        else:
            raise ValueError(f"unknown facet kind {kind!r}")
        return [ItemSummary(*row) for row in rows]

    @guarded(CATALOG)
    def parts(self, kind: str, key: str) -> list[Facet]:
        """How the items of a department, category or theme divide, largest first: a department's by category,
        a category's or theme's by department."""
        db = self.database.connection()
        if kind == "department":
            rows = db.execute(
                "SELECT c.value, c.value, count(*) FROM items i "
                "JOIN item_facets c ON c.code = i.code AND c.kind = 'category' "
                "WHERE i.department_code = ? GROUP BY c.value ORDER BY count(*) DESC, c.value",
                [key],
            ).fetchall()
        elif kind in ("category", "theme"):
            rows = db.execute(
                "SELECT i.department_code, min(i.department_name), count(*) FROM items i "
                "JOIN item_facets f ON f.code = i.code WHERE f.kind = ? AND f.value = ? "
                "GROUP BY i.department_code ORDER BY count(*) DESC, i.department_code",
                [kind, key],
            ).fetchall()
        else:
            raise ValueError(f"unknown facet kind {kind!r}")
        return [Facet(code, label, count) for code, label, count in rows]

    @guarded(CATALOG)
    def item(self, code: str) -> ServiceItem | None:
        row = (
            self.database.connection().execute("SELECT document FROM items WHERE code = ?", [code]).fetchone()
        )
        if row is None:
            return None
        try:
            return item_from_wire(json.loads(row[0]))
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            # We wrote this document after validating it: unreadable now, the cache itself is damaged.
            raise DatabaseDamaged(
                {CATALOG},
                f"item {code}: stored document unreadable ({type(exc).__name__}: {exc})",
                self.database.path,
            ) from None

    @guarded(CATALOG)
    def summaries(self, codes: list[str]) -> dict[str, ItemSummary]:
        db = self.database.connection()
        marks = ",".join("?" * len(codes))
        rows = (
            db.execute(
                f"SELECT code, name, department_name, handling_type FROM items WHERE code IN ({marks})", codes
            ).fetchall()
            if codes
            else []
        )
        return {row[0]: ItemSummary(*row) for row in rows}

    @guarded(CATALOG)
    def search_text(self, query: str, limit: int) -> list[str]:
        """Codes of items whose guide text holds the query (Chinese characters or words), best first."""
        phrase = fts_text(normalise(query))
        if not phrase:
            return []
        rows = (
            self.database.connection()
            .execute(
                "SELECT s.code FROM guide_fts JOIN search_terms s ON s.id = guide_fts.rowid "
                "WHERE guide_fts MATCH ? ORDER BY rank LIMIT ?",
                ['"' + phrase + '"', limit],
            )
            .fetchall()
        )
        return [row[0] for row in rows]

    @guarded(CATALOG)
    def stats(self) -> CatalogStats:
        self.database.require(CATALOG)  # a damaged cache is reported as such, however well it still counts
        db = self.database.connection()
        one = lambda sql, *args: db.execute(sql, list(args)).fetchone()[0]  # noqa: E731
        path = self.database.path
        size = sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())
        return CatalogStats(
            items=one("SELECT count(*) FROM items"),
            departments=one("SELECT count(DISTINCT department_code) FROM items"),
            categories=one("SELECT count(DISTINCT value) FROM item_facets WHERE kind = 'category'"),
            themes=one("SELECT count(DISTINCT value) FROM item_facets WHERE kind = 'theme'"),
            last_import_at=self._meta(db, "last_import_at"),
            database_bytes=size,
            schema_version=self.database.schema_version,
        )
