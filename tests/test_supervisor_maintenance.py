"""The supervisor's daily maintenance window, and the rules it decides by: the backoff, the crash loop, the
window, the health check of a new version, and the database going back to its backup with the outbox kept."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.config import SettingsError, load_settings
from kiosk.ops.alive import Alive, AliveHealth
from kiosk.store.database import Database
from kiosk.store.migrations import MIGRATIONS
from kiosk.store.upkeep import backup, restore_keeping_outbox
from kiosk.supervisor.health import Trial, judge
from kiosk.supervisor.policy import Backoff, CrashHistory
from kiosk.supervisor.window import MaintenanceWindow
from tests.supervisor_support import Supervised, add_version, install, state_of, wait_for


def _window_around_now() -> str:
    now = datetime.now()
    start, end = now - timedelta(minutes=1), now + timedelta(minutes=10)
    return f"{start:%H:%M}-{end:%H:%M}"


def _add_outbox(path: Path, *keys: str) -> None:
    conn = sqlite3.connect(str(path))
    with conn:
        for key in keys:
            conn.execute(
                "INSERT INTO outbox (idempotency_key, kind, created_at, body) VALUES (?, 'rating', ?, ?)",
                [key, datetime.now(UTC).isoformat(), b"{}"],
            )
    conn.close()


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in versions are shell scripts")
def test_the_maintenance_window_waits_for_the_session_then_upkeeps_rotates_and_updates(
    tmp_path: Path,
) -> None:
    root, data = tmp_path / "install", tmp_path / "data"
    Database(data / "kiosk.db", MIGRATIONS).close()
    logs = data / "logs"
    logs.mkdir(parents=True)
    (logs / "kiosk.log").write_text("yesterday's lines\n", encoding="utf-8")
    layout = install(root, "1.0", staged="1.1")
    add_version(layout, "1.0")
    add_version(layout, "1.1")
    (data / "session-open").write_text("")  # a citizen is at the terminal when the window opens
    with Supervised(data, root, maintenance_window=_window_around_now(), update_when_idle_s=0) as supervised:
        first = supervised.wait_alive(version="1.0")
        wait_for(lambda: "waiting for it to end" in supervised.log(), 10, "the window waiting", supervised)
        assert first.pid == supervised.wait_alive().pid  # not stopped during the session
        (data / "session-open").unlink()
        wait_for(lambda: "maintenance done" in supervised.log(), 15, "the maintenance", supervised)
        assert "checkpointed and vacuumed" in supervised.log()
        assert (logs / "kiosk.log.1").read_text(encoding="utf-8") == "yesterday's lines\n"
        # The staged version is switched to in the window, and kept.
        assert supervised.wait_alive(version="1.1").version == "1.1"
        wait_for(lambda: (s := state_of(root)) and s.current == "1.1", 20, "1.1 kept", supervised)
        # Once a day: not again in the same window.
        time.sleep(1.0)
        assert supervised.log().count("maintenance done") == 1


def test_maintenance_now_without_a_supervisor_is_done_at_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    Database(data / "kiosk.db", MIGRATIONS).close()
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data), "supervise", "--maintenance-now"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "maintenance done" in done.stdout and "vacuumed" in done.stdout
    assert (data / "ops" / "maintenance.json").exists()


def test_a_bad_maintenance_window_is_refused_with_its_name() -> None:
    with pytest.raises(SettingsError, match=r"maintenance_window.*HH:MM-HH:MM"):
        load_settings(data_dir="/nonexistent", overrides={"maintenance_window": "3 to 5"}, environ={})


def test_the_window_may_pass_midnight_and_belongs_to_the_day_it_opened() -> None:
    window = MaintenanceWindow.parse("23:30-01:00")
    assert window.contains(datetime(2026, 12, 6, 23, 45))
    assert window.contains(datetime(2026, 12, 7, 0, 30))
    assert not window.contains(datetime(2026, 12, 7, 1, 0))
    assert window.day_of(datetime(2026, 12, 7, 0, 30)) == date(2026, 12, 6)
    plain = MaintenanceWindow.parse("03:00-05:00")
    assert plain.contains(datetime(2026, 12, 6, 3, 0)) and not plain.contains(datetime(2026, 12, 6, 5, 0))


def test_the_backoff_restarts_at_once_then_doubles_to_a_minute_and_starts_over_after_ten_minutes_up() -> None:
    backoff = Backoff()
    assert [backoff.after_crash(5) for _ in range(9)] == [0, 1, 2, 4, 8, 16, 32, 60, 60]
    assert backoff.after_crash(601) == 0
    assert backoff.after_crash(5) == 1


def test_three_crashes_within_ten_minutes_are_a_loop() -> None:
    history = CrashHistory()
    history.add(0)
    history.add(300)
    assert not history.in_loop(300)
    history.add(599)
    assert history.in_loop(599)
    assert not history.in_loop(700)  # the first one is more than ten minutes ago now


def _alive(version: str = "1.1", **health: object) -> Alive:
    values = {"migrations": "ok", "devices": {"ticket": "ok"}, "last_sync_ok_at": None, **health}
    return Alive(1, "", 1, version, "kiosk", 1.0, False, AliveHealth(**values))  # type: ignore[arg-type]


def test_the_health_check_wants_each_thing_the_previous_version_had() -> None:
    trial = Trial(
        "1.1", "1.0", started_at=1000.0, deadline_s=300, devices_ok_before=("ticket",), needs_sync=True
    )
    synced = datetime.fromtimestamp(1010, UTC).isoformat()
    assert judge(trial, _alive(last_sync_ok_at=synced), now=1020).verdict == "pass"
    waiting = judge(trial, _alive(), now=1020)
    assert waiting.verdict == "wait" and "no successful sync" in waiting.reason
    late = judge(trial, _alive(devices={"ticket": "paper_out"}, last_sync_ok_at=synced), now=1301)
    assert late.verdict == "fail" and "ticket paper_out" in late.reason
    broken = judge(trial, _alive(migrations="DatabaseError: no such column"), now=1001)
    assert broken.verdict == "fail" and "migrations failed" in broken.reason
    assert judge(trial, _alive(version="1.0"), now=1020).verdict == "wait"  # not the new version's heartbeat


def test_going_back_to_the_backup_keeps_every_outbox_record_written_since(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    Database(path, MIGRATIONS).close()
    _add_outbox(path, "a")
    assert backup(path, tmp_path / "backups" / "1.0.db")
    _add_outbox(path, "b", "c")
    conn = sqlite3.connect(str(path))
    conn.execute("ALTER TABLE outbox ADD COLUMN priority INTEGER")  # the new version's migration
    conn.execute("CREATE TABLE only_in_new (x)")
    conn.commit()
    conn.close()
    restored = restore_keeping_outbox(
        path, tmp_path / "backups" / "1.0.db", set_aside=tmp_path / "given-up.db"
    )
    assert restored.outbox_rows_kept == 2
    assert restored.set_aside == tmp_path / "given-up.db" and restored.set_aside.exists()
    conn = sqlite3.connect(str(path))
    assert [r[0] for r in conn.execute("SELECT idempotency_key FROM outbox ORDER BY id")] == ["a", "b", "c"]
    assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'only_in_new'").fetchone() is None
    conn.close()
    # The database opens again with the program's migrations.
    Database(path, MIGRATIONS).close()
