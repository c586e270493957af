"""The database schema, as numbered migrations. Never edit a released migration: add the next one."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

from kiosk.domain.catalog import ServiceItem, item_from_wire
from kiosk.domain.pinyin import is_cjk, pinyin_forms
from kiosk.store.database import Migration


def _v1_catalog(db: sqlite_utils.Database) -> None:
    db.table("items").create(
        {
            "code": str,
            "name": str,
            "department_code": str,
            "department_name": str,
            "handling_type": str,
            "version": int,
            "updated_at": str,
            "document": str,
            "imported_at": str,
        },
        pk="code",
        not_null={"name", "department_code", "department_name", "version", "document"},
    )
    db.table("items").create_index(["department_code"])
    db.table("item_facets").create(
        {"code": str, "kind": str, "value": str, "position": int},
        pk=("code", "kind", "value"),
        foreign_keys=[("code", "items", "code")],
    )
    db.execute("CREATE INDEX idx_item_facets_kind_value ON item_facets(kind, value)")
    db.table("tombstones").create({"code": str, "version": int, "deleted_at": str}, pk="code")
    db.table("catalog_meta").create({"key": str, "value": str}, pk="key")


def fts_text(text: str) -> str:
    """Text as the full-text index stores it: every Chinese character its own token, words kept whole."""
    out: list[str] = []
    for ch in text.lower():
        if is_cjk(ch):
            out.append(f" {ch} ")
        elif ch.isalnum():
            out.append(ch)
        else:
            out.append(" ")
    return " ".join("".join(out).split())


def insert_search_rows(db: sqlite3.Connection, item: ServiceItem) -> None:
    """The pinyin forms of the item's name and keywords, and its guide text for the full-text index."""
    forms = pinyin_forms(item.name)
    keyword_forms = [f for f in (pinyin_forms(k) for k in item.keywords) if f.chars]
    cursor = db.execute(
        "INSERT INTO search_terms(code, chars, syllables, keywords) VALUES (?, ?, ?, ?)",
        [
            item.code,
            forms.chars,
            " ".join(forms.syllables),
            json.dumps([[f.chars, " ".join(f.syllables)] for f in keyword_forms], ensure_ascii=False),
        ],
    )
    db.execute(
        "INSERT INTO guide_fts(rowid, body) VALUES (?, ?)", [cursor.lastrowid, fts_text(item.guide_text())]
    )


def delete_search_rows(db: sqlite3.Connection, code: str) -> None:
    row = db.execute("SELECT id FROM search_terms WHERE code = ?", [code]).fetchone()
    if row is not None:
        db.execute("DELETE FROM guide_fts WHERE rowid = ?", [row[0]])
        db.execute("DELETE FROM search_terms WHERE id = ?", [row[0]])


def _v2_search(db: sqlite_utils.Database) -> None:
    # The guide text index shares its rowid with search_terms.id.
    db.table("search_terms").create(
        {"id": int, "code": str, "chars": str, "syllables": str, "keywords": str},
        pk="id",
        not_null={"code"},
        foreign_keys=[("code", "items", "code")],
    )
    db.table("search_terms").create_index(["code"], unique=True)
    db.execute("CREATE VIRTUAL TABLE guide_fts USING fts5(body, tokenize = 'unicode61')")
    # Back-fill items cached before search existed.
    for (document,) in db.execute("SELECT document FROM items").fetchall():
        insert_search_rows(db.conn, item_from_wire(json.loads(document)))


def _v3_sync(db: sqlite_utils.Database) -> None:
    # The transactional outbox: a feature's row and its record commit together; the body is canonical JSON, or
    # a sealing envelope (kiosk.store.sealing) bound to the idempotency key when it carries personal data.
    db.execute(
        "CREATE TABLE outbox ("
        " id INTEGER PRIMARY KEY,"
        " idempotency_key TEXT NOT NULL UNIQUE,"
        " kind TEXT NOT NULL,"
        " created_at TEXT NOT NULL,"
        " body BLOB NOT NULL,"
        " sealed INTEGER NOT NULL DEFAULT 0 CHECK (sealed IN (0, 1)),"
        " state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'rejected')),"
        " attempts INTEGER NOT NULL DEFAULT 0,"
        " last_error TEXT,"
        " acked_at TEXT)"
    )
    db.execute("CREATE INDEX idx_outbox_state ON outbox(state, id)")
    # Pull cursors, one per feed, written in the same transaction as the page they follow.
    db.execute(
        "CREATE TABLE sync_cursors (kind TEXT PRIMARY KEY, cursor TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )
    # What the center publishes besides the catalog, kept by key with its version.
    for table in ("form_templates", "center_settings"):
        db.execute(
            f"CREATE TABLE {table} (key TEXT PRIMARY KEY, version INTEGER NOT NULL, document TEXT NOT NULL,"
            " updated_at TEXT NOT NULL)"
        )
    db.execute(
        "CREATE TABLE notices (key TEXT PRIMARY KEY, version INTEGER NOT NULL, title TEXT NOT NULL,"
        " body TEXT NOT NULL, level TEXT NOT NULL, starts_at TEXT NOT NULL, ends_at TEXT,"
        " updated_at TEXT NOT NULL)"
    )
    # Deletions of those feeds' keys, remembered so an older copy arriving later does not bring one back.
    db.execute(
        "CREATE TABLE feed_tombstones (kind TEXT NOT NULL, key TEXT NOT NULL, version INTEGER NOT NULL,"
        " deleted_at TEXT NOT NULL, PRIMARY KEY (kind, key))"
    )
    # The sync engine's memory across restarts: last success, last error.
    db.execute("CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


MIGRATIONS: list[Migration] = [
    Migration(1, "catalog: items, facets, tombstones, meta", _v1_catalog),
    Migration(2, "search: pinyin terms and guide full-text index", _v2_search),
    Migration(3, "sync: outbox, feed cursors, form templates, notices, center settings", _v3_sync),
]


def _v4_ratings(db: sqlite_utils.Database) -> None:
    # Subjects rated on this terminal (one rating per case or visit); no personal data: the rater lives only in
    # the sealed outbox record written in the same transaction.
    db.execute(
        "CREATE TABLE rated_subjects (kind TEXT NOT NULL CHECK (kind IN ('case', 'visit')),"
        " subject_id TEXT NOT NULL, rated_at TEXT NOT NULL, PRIMARY KEY (kind, subject_id)) WITHOUT ROWID"
    )


MIGRATIONS.append(Migration(4, "ratings: subjects rated on this terminal", _v4_ratings))


def _v5_receipts(db: sqlite_utils.Database) -> None:
    # The last receipt sequence given out on each day (回执编号: terminal id, day, sequence). Bumped in the
    # same transaction as the submission's outbox record, so a number is never given out twice, even after a
    # crash, and no number is used up by a submission that was not stored.
    db.execute("CREATE TABLE receipt_counters (day TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID")


MIGRATIONS.append(Migration(5, "forms: receipt number counters", _v5_receipts))


def _v6_search_changes(db: sqlite_utils.Database) -> None:
    # The items each import changed, by the catalog revision they changed after, so that the saved search index
    # (kiosk.store.search_index_store) is brought up to date with those items alone. Entries older than the
    # saved index are dropped when it is saved.
    db.execute("CREATE TABLE search_changes (revision INTEGER NOT NULL, code TEXT NOT NULL)")
    db.execute("CREATE INDEX idx_search_changes_revision ON search_changes(revision)")
    # Kept by triggers, so every way of writing search_terms logs its codes in the writing transaction; an import
    # bumps the revision after its writes, so the revision logged is the one the items changed after.
    revision = "coalesce((SELECT CAST(value AS INTEGER) FROM catalog_meta WHERE key = 'revision'), 0)"
    for event, row in (("INSERT", "NEW"), ("DELETE", "OLD")):
        db.execute(
            f"CREATE TRIGGER search_changes_on_{event.lower()} AFTER {event} ON search_terms BEGIN"
            f" INSERT INTO search_changes(revision, code) VALUES ({revision}, {row}.code); END"
        )


MIGRATIONS.append(
    Migration(6, "search: the log of changed items for the saved search index", _v6_search_changes)
)


def _v7_usage(db: sqlite_utils.Database) -> None:
    # Anonymous usage counted per period (kiosk.services.usage): a row per period, metric and key, added to by the
    # writer; a period closed is moved into one outbox record and its rows deleted, in one transaction.
    db.execute(
        "CREATE TABLE usage_counts (period_unix INTEGER NOT NULL, metric TEXT NOT NULL, key TEXT NOT NULL,"
        " value REAL NOT NULL, PRIMARY KEY (period_unix, metric, key)) WITHOUT ROWID"
    )
    # The clock of the counting: the last tick (time is credited between ticks) and the end of the last period
    # closed (an event later than that is never written into a period already sent).
    db.execute("CREATE TABLE usage_state (name TEXT PRIMARY KEY, value REAL NOT NULL) WITHOUT ROWID")


MIGRATIONS.append(Migration(7, "usage: anonymous counts per period", _v7_usage))
