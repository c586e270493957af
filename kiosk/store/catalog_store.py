"""The cached catalog: items and their guides, browse facets, search terms, and tombstones."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.domain.catalog import CatalogEntry, Facet, ItemSummary, ServiceItem, item_from_wire, item_to_wire
from kiosk.domain.pinyin import PinyinForms, normalise
from kiosk.domain.search import IndexedItem
from kiosk.store.database import Database
from kiosk.store.migrations import delete_search_rows, fts_text, insert_search_rows


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    replaced: int
    deleted: int
    unchanged: int
    items: int  # items in the cache afterwards

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


class CatalogStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    # -- writes (on the writer thread) ------------------------------------------------------------------

    def apply(self, entries: list[CatalogEntry], *, now: datetime | None = None) -> ImportReport:
        """Apply validated entries in one transaction: newer versions replace, tombstones delete."""
        stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
        added = replaced = deleted = unchanged = 0
        with self.database.transaction() as db:
            for entry in entries:
                row = db.execute("SELECT version FROM items WHERE code = ?", [entry.code]).fetchone()
                stored = row[0] if row else None
                stone = db.execute("SELECT version FROM tombstones WHERE code = ?", [entry.code]).fetchone()
                if entry.deleted:
                    if stored is not None and stored <= entry.version:
                        self._remove(db, entry.code)
                        deleted += 1
                    elif stored is not None or (stone and stone[0] >= entry.version):
                        unchanged += 1
                        continue
                    db.execute(
                        "INSERT OR REPLACE INTO tombstones(code, version, deleted_at) VALUES (?, ?, ?)",
                        [entry.code, entry.version, stamp],
                    )
                    continue
                assert entry.item is not None
                if (stored is not None and stored >= entry.version) or (stone and stone[0] >= entry.version):
                    unchanged += 1
                    continue
                if stored is not None:
                    self._remove(db, entry.code)
                    replaced += 1
                else:
                    added += 1
                db.execute("DELETE FROM tombstones WHERE code = ?", [entry.code])
                self._insert(db, entry.item, stamp)
            if added or replaced or deleted:
                revision = self._meta(db, "revision")
                db.execute(
                    "INSERT OR REPLACE INTO catalog_meta(key, value) VALUES ('revision', ?)",
                    [str(int(revision or 0) + 1)],
                )
                db.execute(
                    "INSERT OR REPLACE INTO catalog_meta(key, value) VALUES ('last_import_at', ?)", [stamp]
                )
            count = db.execute("SELECT count(*) FROM items").fetchone()[0]
        return ImportReport(added, replaced, deleted, unchanged, count)

    @staticmethod
    def _insert(db: sqlite3.Connection, item: ServiceItem, stamp: str) -> None:
        db.execute(
            "INSERT INTO items(code, name, department_code, department_name, handling_type, version, updated_at,"
            " document, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                item.code,
                item.name,
                item.department.code,
                item.department.name,
                item.handling.type.value,
                item.version,
                item.updated_at,
                json.dumps(item_to_wire(item), ensure_ascii=False),
                stamp,
            ],
        )
        rows = [(item.code, "category", v, i) for i, v in enumerate(dict.fromkeys(item.categories))]
        rows += [(item.code, "theme", v, i) for i, v in enumerate(dict.fromkeys(item.themes))]
        db.executemany("INSERT INTO item_facets(code, kind, value, position) VALUES (?, ?, ?, ?)", rows)
        insert_search_rows(db, item)

    @staticmethod
    def _remove(db: sqlite3.Connection, code: str) -> None:
        delete_search_rows(db, code)
        db.execute("DELETE FROM item_facets WHERE code = ?", [code])
        db.execute("DELETE FROM items WHERE code = ?", [code])

    @staticmethod
    def _meta(db: sqlite3.Connection, key: str) -> str | None:
        row = db.execute("SELECT value FROM catalog_meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    # -- reads (any thread) ------------------------------------------------------------------------------

    def revision(self) -> int:
        return int(self._meta(self.database.connection(), "revision") or 0)

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

    def items_in(self, kind: str, key: str) -> list[ItemSummary]:
        db = self.database.connection()
        columns = "i.code, i.name, i.department_name, i.handling_type"
        if kind == "department":
            rows = db.execute(
                f"SELECT {columns} FROM items i WHERE i.department_code = ? ORDER BY length(i.name), i.code",
                [key],
            ).fetchall()
        elif kind in ("category", "theme"):
            order = "f.position, length(i.name), i.code" if kind == "theme" else "length(i.name), i.code"
            rows = db.execute(
                f"SELECT {columns} FROM items i JOIN item_facets f ON f.code = i.code "
                f"WHERE f.kind = ? AND f.value = ? ORDER BY {order}",
                [kind, key],
            ).fetchall()
        else:
            raise ValueError(f"unknown facet kind {kind!r}")
        return [ItemSummary(*row) for row in rows]

    def item(self, code: str) -> ServiceItem | None:
        row = (
            self.database.connection().execute("SELECT document FROM items WHERE code = ?", [code]).fetchone()
        )
        return item_from_wire(json.loads(row[0])) if row else None

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

    def indexed_items(self) -> Iterator[IndexedItem]:
        rows = self.database.connection().execute(
            "SELECT i.code, i.name, i.department_name, s.chars, s.syllables, s.keywords "
            "FROM items i JOIN search_terms s ON s.code = i.code"
        )
        for code, name, department, chars, syllables, keywords in rows:
            yield IndexedItem(
                code,
                name,
                department,
                PinyinForms(chars, tuple(syllables.split())),
                tuple(PinyinForms(c, tuple(s.split())) for c, s in json.loads(keywords)),
            )

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

    def stats(self) -> CatalogStats:
        db = self.database.connection()
        one = lambda sql, *args: db.execute(sql, list(args)).fetchone()[0]  # noqa: E731
        size = sum(
            p.stat().st_size
            for p in self.database.path.parent.glob(self.database.path.name + "*")
            if not p.name.endswith(".bak")
        )
        return CatalogStats(
            items=one("SELECT count(*) FROM items"),
            departments=one("SELECT count(DISTINCT department_code) FROM items"),
            categories=one("SELECT count(DISTINCT value) FROM item_facets WHERE kind = 'category'"),
            themes=one("SELECT count(DISTINCT value) FROM item_facets WHERE kind = 'theme'"),
            last_import_at=self._meta(db, "last_import_at"),
            database_bytes=size,
            schema_version=self.database.schema_version,
        )
