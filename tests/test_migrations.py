"""Schema migrations at start: an old cache is upgraded in place, with a backup, and nothing is lost."""

from __future__ import annotations

import json

import pytest

from kiosk.domain.catalog import item_to_wire, parse_catalog
from kiosk.services.terminal import Terminal
from kiosk.store.database import Database, DatabaseDamaged, DatabaseError
from kiosk.store.migrations import MIGRATIONS
from tests.conftest import catalog_document


def make_v1_database(path):
    """A cache as the first release left it: items and facets, no search tables."""
    db = Database(path, MIGRATIONS[:1])
    conn = db.connection()
    for entry in parse_catalog(catalog_document()):
        item = entry.item
        conn.execute(
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
                "2026-01-01T00:00:00+00:00",
            ],
        )
        for category in item.categories:
            conn.execute(
                "INSERT INTO item_facets(code, kind, value, position) VALUES (?, 'category', ?, 0)",
                [item.code, category],
            )
    conn.commit()
    assert db.schema_version == 1
    db.close()


def test_an_old_database_is_upgraded_with_a_backup_and_becomes_searchable(settings):
    settings.data_dir.mkdir(parents=True)
    make_v1_database(settings.database_path)
    with Terminal.open(settings) as terminal:
        assert terminal.database.schema_version == max(m.version for m in MIGRATIONS)
        assert terminal.catalog.stats().items == len(catalog_document()["items"])
        assert terminal.catalog.search("sbk").hits[0].code == "RS-003"
        assert terminal.catalog.search("身份证").hits  # guide text back-filled too
    backup = settings.database_path.with_name("kiosk.db.v1.bak")
    assert backup.exists()


def test_opening_twice_applies_nothing_more(settings):
    with Terminal.open(settings):
        pass
    with Terminal.open(settings) as terminal:
        assert terminal.database.schema_version == len(MIGRATIONS)
    assert not list(settings.data_dir.glob("*.bak"))


def test_a_database_from_a_newer_program_is_refused_plainly(settings):
    settings.data_dir.mkdir(parents=True)
    db = Database(settings.database_path, MIGRATIONS)
    db.connection().execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(DatabaseError, match="来自更新版本的程序") as err:
        Terminal.open(settings)
    assert "newer than this program" in err.value.detail


def test_a_corrupt_database_file_is_reported_with_what_to_do(settings):
    settings.data_dir.mkdir(parents=True)
    settings.database_path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseDamaged, match="已损坏（整个数据库文件）") as err:
        Terminal.open(settings)
    assert "kiosk database repair" in str(err.value) and "not a database" in err.value.detail


def test_a_failed_migration_leaves_the_old_schema(settings, monkeypatch):
    settings.data_dir.mkdir(parents=True)
    make_v1_database(settings.database_path)

    def broken(db):
        db.execute("CREATE TABLE half_done(x)")
        raise RuntimeError("power cut")

    from kiosk.store.database import Migration

    with pytest.raises(RuntimeError):
        Database(settings.database_path, [MIGRATIONS[0], Migration(2, "broken", broken)])
    db = Database(settings.database_path, MIGRATIONS[:1])
    assert db.schema_version == 1
    assert not db.connection().execute("SELECT 1 FROM sqlite_master WHERE name = 'half_done'").fetchall()
    db.close()
