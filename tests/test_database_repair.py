"""``kiosk database repair``: the damaged file is kept aside, never deleted; a new database gets every part that is
intact and every row of a damaged outbox that can still be read; what could not be read is said plainly."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from kiosk.config import Settings
from kiosk.services.terminal import Terminal
from kiosk.store import sync_state
from kiosk.store.migrations import MIGRATIONS
from kiosk.store.repair import repair
from tests.test_database_damage import scribble, used_database
from tests.test_sync_cli import kiosk


def kept_files(settings: Settings) -> list[Path]:
    return sorted(
        p for p in settings.data_dir.glob("kiosk.db.damaged-*") if not p.name.endswith(("-wal", "-shm"))
    )


def test_an_intact_database_needs_no_repair(settings, tmp_path):
    used_database(settings, tmp_path)
    result = kiosk(settings.data_dir, "database", "repair")
    assert result.returncode == 0 and "无需修复" in result.stdout
    assert not kept_files(settings)


def test_a_damaged_catalog_is_dropped_and_the_outbox_carried_over(settings, tmp_path):
    path = used_database(settings, tmp_path)
    with Terminal.open(settings) as terminal, terminal.database.transaction() as conn:
        sync_state.save_cursor(conn, "catalog", "c-1", "now")
        sync_state.save_cursor(conn, "notices", "n-1", "now")
    scribble(path, "items")
    result = kiosk(settings.data_dir, "database", "repair")
    assert result.returncode == 0, result.stderr
    assert "另存为" in result.stdout and "kiosk sync once" in result.stdout
    [kept] = kept_files(settings)
    assert kept.stat().st_size > 0  # the damaged file is kept as it was
    with Terminal.open(settings) as terminal:
        assert terminal.database.damage == frozenset()
        assert terminal.database.replacement is None  # a repair is not a replacement
        assert terminal.catalog.stats().items == 0
        assert terminal.outbox.stats().backlog == 2
        conn = terminal.database.connection()
        assert sync_state.cursors(conn).keys() == {"notices"}  # the catalog is pulled again from the start
        assert sync_state.load_state(conn)["last_success_at"] == "2026-11-22T08:00:00+08:00"


def test_a_damaged_outbox_gives_back_every_row_it_still_can_and_says_what_it_could_not(settings, tmp_path):
    path = used_database(settings, tmp_path)
    with Terminal.open(settings) as terminal, terminal.database.transaction() as conn:
        for n in range(300):  # enough records for the outbox to span many pages
            terminal.outbox.add(conn, "event", {"type": "test", "n": n, "pad": "x" * 400}, personal=False)
    conn = sqlite3.connect(path)
    leaves = [
        p for (p,) in conn.execute("SELECT pageno FROM dbstat WHERE name = 'outbox' AND pagetype = 'leaf'")
    ]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as db:  # one leaf in the middle: the rows on it are lost, the others are not
        db.seek((leaves[len(leaves) // 2] - 1) * page_size)
        db.write(b"\xff" * page_size)
    result = kiosk(settings.data_dir, "database", "repair", "--json")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "交给运维支持" in result.stderr
    report = json.loads(result.stdout)
    [outbox] = [t for t in report["tables"] if t["table"] == "outbox"]
    assert outbox["damaged"] and not outbox["complete"]
    assert 250 < outbox["copied"] < 302
    assert report["catalog_kept"]
    with Terminal.open(settings) as terminal:
        assert terminal.outbox.stats().backlog == outbox["copied"]
        assert terminal.catalog.search("sbk").hits[0].code == "RS-003"  # the intact catalog came along
        assert terminal.catalog.search("身份证").hits  # and its guide text index


def test_a_file_that_is_not_a_database_is_kept_and_a_new_one_made(settings):
    settings.data_dir.mkdir(parents=True)
    settings.database_path.write_bytes(b"garbage " * 1000)
    report = repair(settings.database_path, MIGRATIONS)
    assert report.repaired and report.notes
    assert report.kept_at is not None and report.kept_at.read_bytes() == b"garbage " * 1000
    with Terminal.open(settings) as terminal:
        assert terminal.catalog.stats().items == 0
        assert terminal.database.replacement is None
