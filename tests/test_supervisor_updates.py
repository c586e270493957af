"""A staged version switched to under the supervisor: kept when it passes its health check; given up for the
previous one when it fails it or crashes in a loop, with the database as it was and the outbox records written
since kept. Real processes: ``kiosk supervise`` over stand-in versions (tests/supervised/child.py)."""

from __future__ import annotations

import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.config import load_settings
from kiosk.ops.layout import InstallLayout
from kiosk.ops.paths import OpsPaths
from kiosk.store.database import Database
from kiosk.store.migrations import MIGRATIONS
from kiosk.supervisor.switch import switch_to_staged
from tests.supervisor_support import Supervised, add_version, install, state_of, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the stand-in versions are shell scripts")

TICKET_OK = {"ticket": "ok", "a4": "ok"}


def _database_with_a_record(data: Path) -> int:
    """The terminal's database as the running version made it, with one record waiting for the center."""
    database = Database(data / "kiosk.db", MIGRATIONS)
    with database.transaction() as conn:
        conn.execute(
            "INSERT INTO outbox (idempotency_key, kind, created_at, body) VALUES ('before', 'rating', ?, ?)",
            [datetime.now(UTC).isoformat(), b"{}"],
        )
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    database.close()
    return version


def _outbox(data: Path) -> tuple[int, list[str], list[str]]:
    conn = sqlite3.connect(str(data / "kiosk.db"))
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        keys = [row[0] for row in conn.execute("SELECT idempotency_key FROM outbox ORDER BY id")]
        columns = [row[1] for row in conn.execute("PRAGMA table_info(outbox)")]
    finally:
        conn.close()
    return version, keys, columns


def _settings(data: Path, root: Path, **values: object):  # type: ignore[no-untyped-def]
    return load_settings(data_dir=data, overrides={"install_root": str(root), **values}, environ={})


def test_an_update_that_passes_its_health_check_is_kept(tmp_path: Path) -> None:
    root, data = tmp_path / "install", tmp_path / "data"
    layout = install(root, "1.0", staged="1.1")
    add_version(layout, "1.0", devices=TICKET_OK)
    add_version(layout, "1.1", devices=TICKET_OK)
    with Supervised(data, root, update_health_s=20) as supervised:
        supervised.wait_alive(version="1.0")
        time.sleep(0.5)  # a few heartbeats: the devices that are ok now
        outcome = switch_to_staged(_settings(data, root, update_health_s=20), InstallLayout(root))
        assert (outcome.result, outcome.version) == ("committed", "1.1")
        state = state_of(root)
        assert state is not None
        assert (state.current, state.previous, state.trying, state.staged) == ("1.1", "1.0", None, None)
        assert state.committed_at
        assert supervised.wait_alive(version="1.1").version == "1.1"
        report = supervised.reports("update")[0].payload
        assert (report["outcome"], report["version"], report["from_version"]) == ("committed", "1.1", "1.0")
        assert "passed its health check" in supervised.log()


def test_an_update_failing_its_health_check_goes_back_with_the_outbox_records_written_since(
    tmp_path: Path,
) -> None:
    root, data = tmp_path / "install", tmp_path / "data"
    schema = _database_with_a_record(data)
    layout = install(root, "1.0", staged="1.1")
    add_version(layout, "1.0", devices=TICKET_OK)
    # The new version migrates the database, takes a citizen's rating, and loses the ticket printer.
    add_version(
        layout,
        "1.1",
        devices={"ticket": "offline", "a4": "ok"},
        outbox_key="written-by-1.1",
        schema_bump=True,
    )
    with Supervised(data, root, update_health_s=3) as supervised:
        supervised.wait_alive(version="1.0")
        time.sleep(0.5)
        outcome = switch_to_staged(_settings(data, root, update_health_s=3), InstallLayout(root))
        assert (outcome.result, outcome.version) == ("rolled_back", "1.1")
        assert "ticket offline" in outcome.reason
        back = supervised.wait_alive(version="1.0")
        assert back.version == "1.0"
        version, keys, columns = _outbox(data)
        assert version == schema  # the database as 1.0 knows it
        assert "priority" not in columns
        assert keys == ["before", "written-by-1.1"]  # and the record taken under 1.1 is still to be sent
        state = state_of(root)
        assert state is not None
        assert (state.current, state.trying) == ("1.0", None)
        assert "ticket offline" in state.failed["1.1"]
        report = supervised.reports("update")[0].payload
        assert (report["outcome"], report["version"]) == ("rolled_back", "1.1")
        # The database given up is kept for support.
        assert list(OpsPaths.of(data).backups.glob("1.1-given-up-*.db"))


def test_an_update_that_crashes_in_a_loop_goes_back_to_the_previous_version(tmp_path: Path) -> None:
    root, data = tmp_path / "install", tmp_path / "data"
    layout = install(root, "1.0", staged="1.1")
    add_version(layout, "1.0")
    add_version(layout, "1.1", mode="crash")
    # Switched to when idle (no session for update_when_idle_s), as a terminal does outside the window.
    with Supervised(data, root, update_when_idle_s=1) as supervised:
        state = wait_for(
            lambda: (s := state_of(root)) and "1.1" in s.failed and s, 30, "1.1 given up", supervised
        )
        assert "crash loop" in state.failed["1.1"]
        assert (state.current, state.trying) == ("1.0", None)
        assert supervised.wait_alive(version="1.0").version == "1.0"
        assert [c.payload["what"] for c in supervised.reports("crash")][-1] == "crash_loop"
        assert supervised.reports("update")[0].payload["outcome"] == "rolled_back"
        # It is not tried again.
        time.sleep(1.5)
        assert state_of(root).current == "1.0"  # type: ignore[union-attr]


def test_a_crash_loop_soon_after_a_commit_goes_back_to_the_previous_version(tmp_path: Path) -> None:
    root, data = tmp_path / "install", tmp_path / "data"
    committed = (datetime.now(UTC) - timedelta(minutes=2)).isoformat(timespec="seconds")
    layout = install(root, "1.1", previous="1.0", committed_at=committed)
    add_version(layout, "1.0")
    add_version(layout, "1.1", mode="crash")
    with Supervised(data, root) as supervised:
        assert supervised.wait_alive(20, version="1.0").version == "1.0"
        state = state_of(root)
        assert state is not None
        assert state.current == "1.0" and "crash loop" in state.failed["1.1"]
        assert supervised.reports("update")[0].payload["outcome"] == "rolled_back"


def test_without_a_supervisor_the_switch_waits_for_its_next_start(tmp_path: Path) -> None:
    root, data = tmp_path / "install", tmp_path / "data"
    _database_with_a_record(data)
    layout = install(root, "1.0", staged="1.1")
    add_version(layout, "1.0")
    add_version(layout, "1.1")
    outcome = switch_to_staged(_settings(data, root), layout)
    assert (outcome.result, outcome.version) == ("pending", "1.1")
    state = state_of(root)
    assert state is not None and (state.current, state.trying, state.staged) == ("1.0", "1.1", None)
    assert (OpsPaths.of(data).backups / "1.0.db").exists()
    with Supervised(data, root, update_health_s=20) as supervised:
        assert supervised.wait_alive(version="1.1").version == "1.1"
        wait_for(lambda: (s := state_of(root)) and s.current == "1.1", 20, "1.1 kept", supervised)


def test_nothing_staged_is_said_plainly(tmp_path: Path) -> None:
    root = tmp_path / "install"
    layout = install(root, "1.0")
    add_version(layout, "1.0")
    outcome = switch_to_staged(_settings(tmp_path / "data", root), layout)
    assert outcome.result == "nothing_staged" and not outcome.ok


def test_a_staged_version_that_cannot_run_is_refused_without_stopping_the_role(tmp_path: Path) -> None:
    root, data = tmp_path / "install", tmp_path / "data"
    layout = install(root, "1.0", staged="1.1")
    add_version(layout, "1.0")
    (layout.version_dir("1.1")).mkdir(parents=True)  # its files never all arrived
    with Supervised(data, root, update_when_idle_s=1) as supervised:
        first = supervised.wait_alive(version="1.0")
        wait_for(lambda: "refused" in supervised.log(), 10, "the refusal", supervised)
        time.sleep(1.5)
        assert supervised.wait_alive().pid == first.pid  # still the same role, never stopped for it
        assert supervised.log().count("refused") == 1
        assert state_of(root).current == "1.0"  # type: ignore[union-attr]
