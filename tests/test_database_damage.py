"""A damaged local database gets one plain line naming what is damaged and what to do, never a traceback: garbage
written into a real SQLite file's pages, a file that is not SQLite, a truncated file, bad JSON in a document
column. The parts that are intact keep serving."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.config import Settings
from kiosk.services.terminal import Terminal
from kiosk.store import sync_state
from kiosk.store.integrity import CATALOG, FILE, OUTBOX, SYNC, DatabaseDamaged
from tests.conftest import catalog_document
from tests.test_sync_cli import kiosk, one_line_error


def used_database(settings: Settings, tmp_path: Path) -> Path:
    """A terminal's database as it is after some use: a catalog, two records waiting, the sync engine's memory."""
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps(catalog_document(), ensure_ascii=False), encoding="utf-8")
    with Terminal.open(settings) as terminal:
        terminal.catalog.import_file(catalog)
        with terminal.database.transaction() as conn:
            for n in range(2):
                terminal.outbox.add(conn, "event", {"type": "test", "n": n}, personal=False)
            sync_state.save_state(conn, {"last_success_at": "2026-11-22T08:00:00+08:00"})
            conn.execute(
                "INSERT INTO form_templates(key, version, document, updated_at) VALUES ('t', 1, '{}', 'now')"
            )
    path = settings.database_path
    assert not path.with_name(path.name + "-wal").exists()  # checkpointed: the pages are in the file
    return path


def scribble(path: Path, table: str) -> None:
    """Garbage over the root page of ``table``, as a failing disk or a bad copy leaves it."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()
    conn.close()
    with path.open("r+b") as db:
        db.seek((root - 1) * page_size)
        db.write(bytes([0xA5, 0x5A, 0xFF, 0x00]) * (page_size // 4))


def test_garbage_in_the_catalog_pages_names_the_catalog_and_the_outbox_still_answers(settings, tmp_path):
    path = used_database(settings, tmp_path)
    scribble(path, "items")
    scribble(path, "search_terms")
    line = one_line_error(kiosk(settings.data_dir, "catalog", "search", "sbk"), 1)
    assert "已损坏（事项目录缓存）" in line and "可从中心重新获取" in line and "kiosk database repair" in line
    one_line_error(kiosk(settings.data_dir, "catalog", "stats"), 1)
    result = kiosk(settings.data_dir, "outbox", "stats", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["backlog"] == 2


def test_garbage_in_an_outbox_page_names_the_outbox_and_warns_against_deleting(settings, tmp_path):
    path = used_database(settings, tmp_path)
    scribble(path, "outbox")
    line = one_line_error(kiosk(settings.data_dir, "outbox", "stats"), 1)
    assert "已损坏（待上传记录）" in line and "请勿删除" in line and "kiosk database repair" in line
    one_line_error(kiosk(settings.data_dir, "outbox", "rejected"), 1)
    result = kiosk(settings.data_dir, "catalog", "search", "sbk", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["code"] == "RS-003"


def test_garbage_in_a_sync_state_page_is_named(settings, tmp_path):
    path = used_database(settings, tmp_path)
    scribble(path, "sync_state")
    with Terminal.open(settings) as terminal:
        assert terminal.database.damage == {SYNC}
        with pytest.raises(DatabaseDamaged) as err:
            sync_state.load_state(terminal.database.connection())
        assert err.value.parts == {SYNC}
        assert "同步状态" in err.value.plain
        assert terminal.catalog.search("sbk").hits  # the catalog serves on


@pytest.mark.parametrize(
    "command", [("catalog", "search", "sbk"), ("outbox", "stats"), ("catalog", "import", "x.json")]
)
def test_a_file_that_is_not_sqlite_gets_one_plain_line(settings, command):
    settings.data_dir.mkdir(parents=True)
    settings.database_path.write_bytes(b"MZ\x90\x00 this is not a database " * 200)
    line = one_line_error(kiosk(settings.data_dir, *command), 1)
    assert "已损坏（整个数据库文件）" in line and "请勿删除" in line


def test_screenshot_on_a_file_that_is_not_sqlite_gets_one_plain_line(settings, tmp_path):
    settings.data_dir.mkdir(parents=True)
    settings.database_path.write_bytes(b"not sqlite at all\n" * 500)
    result = kiosk(settings.data_dir, "screenshot", "home", "--out", str(tmp_path / "home.png"))
    line = one_line_error(result, 1)
    assert "整个数据库文件" in line
    assert not (tmp_path / "home.png").exists()


def test_a_truncated_file_gets_one_plain_line(settings, tmp_path):
    path = used_database(settings, tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    line = one_line_error(kiosk(settings.data_dir, "catalog", "search", "sbk"), 1)
    assert "已损坏" in line


def test_the_technical_detail_goes_to_the_log(settings, tmp_path):
    path = used_database(settings, tmp_path)
    scribble(path, "outbox")
    one_line_error(kiosk(settings.data_dir, "outbox", "stats"), 1)
    log = (settings.log_dir / "kiosk.log").read_text(encoding="utf-8")
    assert "outbox" in log and ("malformed" in log or "quick_check" in log or "Tree" in log)


def test_bad_json_in_a_document_column_names_the_catalog(settings, tmp_path):
    used_database(settings, tmp_path)
    with Terminal.open(settings) as terminal:
        with terminal.database.transaction() as conn:
            conn.execute(
                "UPDATE items SET document = '{\"code\": \"RS-001\", [garbage' WHERE code = 'RS-001'"
            )
            conn.execute("UPDATE form_templates SET document = 'not json' WHERE key = 't'")
        with pytest.raises(DatabaseDamaged) as err:
            terminal.catalog.item("RS-001")
        assert err.value.parts == {CATALOG} and "事项目录缓存" in err.value.plain
        assert "RS-001" in err.value.detail
        assert terminal.catalog.item("RS-002") is not None  # the other guides still open
        with pytest.raises(DatabaseDamaged) as err:
            sync_state.form_templates(terminal.database.connection())
        assert err.value.parts == {SYNC}


def test_damage_is_also_an_sqlite_error_for_code_that_copes_with_a_failing_database(settings, tmp_path):
    path = used_database(settings, tmp_path)
    scribble(path, "outbox")
    with Terminal.open(settings) as terminal:
        assert terminal.database.damage == {OUTBOX}
        with pytest.raises(sqlite3.DatabaseError):
            terminal.outbox.stats()


def test_a_schema_that_cannot_be_read_is_the_whole_file(settings, tmp_path):
    path = used_database(settings, tmp_path)
    with path.open("r+b") as db:
        db.seek(100)  # the schema table's page, right after the file header
        db.write(b"\xff" * 3000)
    with pytest.raises(DatabaseDamaged) as err:
        Terminal.open(settings)
    assert FILE in err.value.parts


def enrolled(data_dir: Path, tmp_path: Path) -> None:
    """Enrolled with a center that is not there (nothing listens on port 9 of 127.0.0.1)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("ab" * 32, encoding="utf-8")
    secret.chmod(0o600)
    result = kiosk(
        data_dir, "enroll", "--center", "http://127.0.0.1:9", "--terminal-id", "QY-QC-0001",
        "--secret-file", str(secret), "--no-check",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("table", ["outbox", "sync_state", "sync_cursors"])
def test_sync_status_and_sync_once_on_a_damaged_page_answer_one_plain_line(settings, tmp_path, table):
    path = used_database(settings, tmp_path)
    enrolled(settings.data_dir, tmp_path)
    scribble(path, table)
    line = one_line_error(kiosk(settings.data_dir, "sync", "status"), 1)
    assert "已损坏" in line
    result = kiosk(settings.data_dir, "sync", "once")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "已损坏" in result.stderr


def test_a_damaged_catalog_is_not_written_into(settings, tmp_path):
    path = used_database(settings, tmp_path)
    scribble(path, "items")
    catalog = tmp_path / "catalog.json"
    line = one_line_error(kiosk(settings.data_dir, "catalog", "import", str(catalog)), 1)
    assert "事项目录缓存" in line


def test_a_file_nested_deeper_than_the_stack_gets_a_plain_line_from_any_command(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text('{"format": "kiosk-catalog/1", "items": [' + "[" * 200_000 + "]" * 200_000 + "]}")
    result = kiosk(
        tmp_path / "center", "center", "publish", "--db", str(tmp_path / "c.db"), "catalog", str(deep)
    )
    line = one_line_error(result, 1)
    assert "嵌套" in line
