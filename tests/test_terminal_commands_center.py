"""The terminal's side of operations against a real reference center on 127.0.0.1: the heartbeat carries the
reports waiting and forgets them once answered; the center's key is pinned at enrolment (or on the first
heartbeat of a terminal enrolled before), a different one is refused; commands arrive in the heartbeat's answer,
run once and their results reach the center; a screenshot is refused during a citizen's session and uploaded
outside one; pushed settings become the center's layer of the settings chain."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.config import load_settings, setting_sources
from kiosk.ops import reports
from kiosk.ops.alive import Alive, write_alive
from kiosk.ops.paths import OpsPaths
from kiosk.ops.service_state import out_of_service
from kiosk.protocol import secret_from_hex
from kiosk.protocol.ops import CommandKey
from kiosk.services.ops import role_hooks
from kiosk.services.ops.center_key import pin_key, pinned_key
from kiosk.services.sync.engine import SyncEngine, client_factory_for
from kiosk.services.terminal import Terminal
from kiosk.store.keystore import Keystore
from tests import center_support

center_server = center_support.center_server


class Rig:
    """One center, terminals enrolled with it (secret in the keystore, no key pinned), their engines."""

    def __init__(self, center, tmp_path) -> None:
        self.center = center
        self.tmp_path = tmp_path
        self.opened: list[tuple[Terminal, SyncEngine]] = []

    @property
    def store(self):
        """The center's store, as its operator's commands use it (kiosk.center.commands, pushed_settings)."""
        return self.center._admin

    def center_key(self) -> CommandKey:
        from kiosk.center.command_key import command_key_path_for, load_or_create, public_command_key

        return public_command_key(load_or_create(command_key_path_for(self.center.db_path)))

    def terminal(self, **overrides):
        terminal_id, secret_hex = self.center.add_terminal(f"t{len(self.opened)}")
        settings = load_settings(
            data_dir=self.tmp_path / f"data-{terminal_id}",
            environ={},
            overrides={"terminal_id": terminal_id, "center_url": self.center.url, **overrides},
        )
        Keystore.for_data_dir(settings.data_dir).store_secret(secret_from_hex(secret_hex))
        terminal = Terminal.open(settings)
        engine = SyncEngine.for_terminal(
            terminal, client_factory=client_factory_for(settings, timeout=(2, 10))
        )
        self.opened.append((terminal, engine))
        return terminal, engine

    def send(self, terminal_id: str, kind: str, args: dict | None = None) -> str:
        from kiosk.center import commands

        [row] = commands.queue(self.store, [terminal_id], kind, args or {})
        return row["id"]

    def state(self, command_id: str) -> str:
        from kiosk.center import commands

        found = commands.command(self.store, command_id)
        assert found is not None
        return found["state"]

    def close(self) -> None:
        for terminal, engine in self.opened:
            engine.close()
            terminal.close()


@pytest.fixture
def rig(center_server, tmp_path):
    made = Rig(center_server, tmp_path)
    yield made
    made.close()
    role_hooks.clear()


def _session(data_dir, open_: bool) -> None:
    write_alive(
        data_dir,
        Alive(
            pid=os.getpid(),
            at=datetime.now(UTC).isoformat(),
            seq=1,
            version="1",
            role="kiosk",
            first_frame_at=None,
            session_open=open_,
        ),
    )


def test_the_heartbeat_carries_waiting_reports_and_forgets_them_once_answered(rig):
    terminal, engine = rig.terminal()
    data_dir = terminal.settings.data_dir
    reports.spool(
        data_dir,
        "crash",
        {
            "version": "1.0.0",
            "role": "kiosk",
            "what": "crashed",
            "exit_code": -9,
            "log_tail": "身份证 440101199001011234",
        },
    )
    _session(data_dir, True)
    report = engine.run_once()
    assert report.ok and report.heartbeat, report.reason
    assert reports.pending(data_dir) == []
    [summary] = [t for t in rig.center.terminals() if t["terminal_id"] == terminal.settings.terminal_id]
    beat = summary["last_heartbeat"]
    beat = json.loads(beat) if isinstance(beat, str) else beat
    assert beat["session_open"] is True and beat["out_of_service"] is False
    assert beat["command_key_id"] == ""  # pinned from this first heartbeat's answer
    [crash] = rig.store.query("SELECT * FROM crash_reports WHERE terminal_id = ?", (summary["terminal_id"],))
    assert crash["what"] == "crashed" and "440101199001011234" not in crash["log_tail"]
    assert engine.run_once().ok
    [summary] = [t for t in rig.center.terminals() if t["terminal_id"] == terminal.settings.terminal_id]
    beat = summary["last_heartbeat"]
    beat = json.loads(beat) if isinstance(beat, str) else beat
    assert beat["command_key_id"] == rig.center_key().key_id


def test_a_terminal_enrolled_before_pins_the_key_on_its_next_heartbeat_and_says_so(rig, caplog):
    terminal, engine = rig.terminal()
    data_dir = terminal.settings.data_dir
    assert pinned_key(data_dir) is None
    with caplog.at_level(logging.WARNING):
        assert engine.run_once().ok
    assert pinned_key(data_dir) == rig.center_key()
    assert "pinned on the first heartbeat" in caplog.text


def test_another_key_later_is_refused_never_adopted_and_its_commands_are_refused(rig):
    terminal, engine = rig.terminal()
    data_dir = terminal.settings.data_dir
    stranger = CommandKey.of(Ed25519PrivateKey.generate())
    pin_key(data_dir, stranger, "enrolment")
    command_id = rig.send(terminal.settings.terminal_id, "out_of_service", {"message": "维护"})
    report = engine.run_once()
    assert not report.ok and "pinned at enrolment" in report.reason
    assert pinned_key(data_dir) == stranger
    assert out_of_service(data_dir) is None
    engine.run_once()  # the result travels with the next heartbeat
    assert rig.state(command_id) == "refused"


def test_commands_from_the_center_run_once_and_their_results_reach_it(rig):
    from kiosk.center import commands
    from kiosk.center.command_key import command_key_path_for, load_or_create
    from kiosk.services.notices import current_notices

    terminal, engine = rig.terminal()
    tid, data_dir = terminal.settings.terminal_id, terminal.settings.data_dir
    engine.run_once()  # pins the key
    out = rig.send(tid, "out_of_service", {"message": "请到镇政务服务中心办理"})
    notice = rig.send(tid, "notice", {"title": "系统维护", "body": "今晚 22:00 起", "hours": 2})
    # What the center's answer will carry, signed (as a copy taken off the line would be).
    signed = commands.pending_signed(rig.store, load_or_create(command_key_path_for(rig.center.db_path)), tid)
    first = engine.run_once()
    assert first.ok and first.commands == {"done": 2}
    assert out_of_service(data_dir) is not None
    assert [n.title for n in current_notices(terminal.database)] == ["系统维护"]
    assert engine.run_once().ok
    assert (rig.state(out), rig.state(notice)) == ("done", "done")
    back = rig.send(tid, "back_in_service")
    engine.run_once()
    engine.run_once()
    assert out_of_service(data_dir) is None and rig.state(back) == "done"

    # Someone replays the signed out-of-service command: refused and reported, the terminal stays in service.
    [replayed] = engine.commands.run([c for c in signed if c.id == out], pinned_key(data_dir), None)
    assert replayed.outcome == "refused" and "replay" in replayed.detail
    assert out_of_service(data_dir) is None
    engine.run_once()
    assert rig.state(out) == "done"  # the center keeps the first result


def test_a_screenshot_is_refused_during_a_session_and_uploaded_outside_one(rig, tmp_path, qtbot):
    from PySide6.QtCore import QUrl
    from PySide6.QtQuick import QQuickView

    from kiosk.ui.shell import ops_hooks
    from kiosk.ui.shell.app import create_application

    terminal, engine = rig.terminal()
    tid, data_dir = terminal.settings.terminal_id, terminal.settings.data_dir
    engine.run_once()
    app = create_application()
    source = tmp_path / "Window.qml"
    source.write_text('import QtQuick\nRectangle { width: 90; height: 60; color: "#0050a0" }\n')
    view = QQuickView()
    view.setSource(QUrl.fromLocalFile(str(source)))
    view.show()
    qtbot.waitExposed(view)
    ops_hooks.install(app)
    try:
        _session(data_dir, True)
        during = rig.send(tid, "screenshot")
        _cycle_with_the_ui_running(engine, qtbot)
        _session(data_dir, False)
        after = rig.send(tid, "screenshot")
        _cycle_with_the_ui_running(engine, qtbot)
        _cycle_with_the_ui_running(engine, qtbot)
    finally:
        ops_hooks.uninstall()
        view.close()
    assert rig.state(during) == "refused"
    assert rig.state(after) == "done"
    rows = rig.store.query("SELECT * FROM uploads WHERE terminal_id = ? AND kind = 'screenshot'", (tid,))
    assert len(rows) == 1 and rows[0]["command_id"] == after and rows[0]["content_type"] == "image/png"


def _cycle_with_the_ui_running(engine, qtbot) -> None:
    """A sync cycle on a thread of its own while this (the UI) thread runs the event loop (the grab happens
    there)."""
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(engine.run_once()))
    worker.start()
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)
    worker.join(5)


def test_logs_are_uploaded_masked(rig):
    terminal, engine = rig.terminal()
    tid = terminal.settings.terminal_id
    log_dir = terminal.settings.log_dir
    log_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now()
    old = now.replace(year=now.year - 1)
    (log_dir / "kiosk.log").write_text(
        f"{old:%Y-%m-%d %H:%M:%S},000 INFO kiosk last year\n"
        f"{now:%Y-%m-%d %H:%M:%S},000 INFO kiosk 手机 13812345678 打印完成\n",
        encoding="utf-8",
    )
    engine.run_once()
    command_id = rig.send(tid, "upload_logs", {"hours": 2})
    engine.run_once()
    engine.run_once()
    assert rig.state(command_id) == "done"
    [row] = rig.store.query("SELECT * FROM uploads WHERE terminal_id = ? AND kind = 'upload_logs'", (tid,))
    text = _upload_bytes(rig, row).decode("utf-8")
    assert "打印完成" in text and "13812345678" not in text and "last year" not in text


def _upload_bytes(rig, row) -> bytes:
    from pathlib import Path

    path = Path(row["file"])
    if not path.is_absolute():
        path = rig.center.db_path.parent / path
    return path.read_bytes()


def test_pushed_settings_come_from_the_center_and_lose_to_the_environment(rig):
    from kiosk.center import pushed_settings

    terminal, engine = rig.terminal()
    tid, data_dir = terminal.settings.terminal_id, terminal.settings.data_dir
    (data_dir / "kiosk.toml").write_text("idle_timeout_s = 60\n", encoding="utf-8")
    pushed_settings.set_value(rig.store, pushed_settings.scope_of(terminal=tid), "idle_timeout_s", 120)
    pushed_settings.set_value(rig.store, pushed_settings.scope_of(terminal=tid), "elder_mode", True)
    heard: list[str] = []
    terminal.changes.subscribe(lambda change: heard.append(change.topic), ["settings"])
    assert engine.run_once().ok
    assert OpsPaths.of(data_dir).center_settings.exists() and heard == ["settings"]
    settings = load_settings(data_dir=data_dir, environ={})
    origins = {s.name: (s.value, s.origin) for s in setting_sources(settings)}
    assert origins["idle_timeout_s"] == (120, "center") and origins["elder_mode"] == (True, "center")
    settings = load_settings(data_dir=data_dir, environ={"KIOSK_IDLE_TIMEOUT_S": "45"})
    assert {s.name: s.origin for s in setting_sources(settings)}["idle_timeout_s"] == "environment"
    assert settings.idle_timeout_s == 45
    # Kept: the next heartbeat says which version it has, and the center stops sending it.
    assert engine.run_once().ok and heard == ["settings"]


def test_enrol_pins_the_centers_key_and_a_key_file_must_match_it(tmp_path):
    center = center_support.CenterProcess(tmp_path / "center.db")
    try:
        from kiosk.center.command_key import command_key_path_for, load_or_create, public_command_key

        key = public_command_key(load_or_create(command_key_path_for(tmp_path / "center.db")))
        terminal_id, secret = center.add_terminal("village")
        (tmp_path / "secret").write_text(secret)
        wrong = tmp_path / "wrong-key.json"
        wrong.write_text(CommandKey.of(Ed25519PrivateKey.generate()).model_dump_json())
        right = tmp_path / "key.json"  # as the center's operator hands it out
        written = subprocess.run(
            [
                sys.executable,
                "-m",
                "kiosk",
                "center",
                "command-key",
                "--db",
                str(tmp_path / "center.db"),
                "--out",
                str(right),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            env=center.env,
        )
        assert written.returncode == 0, written.stderr

        def enroll(data_dir, *extra):
            return subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "kiosk",
                    "--data-dir",
                    str(data_dir),
                    "enroll",
                    "--center",
                    center.url,
                    "--terminal-id",
                    terminal_id,
                    "--secret-file",
                    str(tmp_path / "secret"),
                    *extra,
                ],
                capture_output=True,
                text=True,
                timeout=60,
                env=center.env,
            )

        refused = enroll(tmp_path / "a", "--center-key", str(wrong))
        assert refused.returncode == 1 and "Nothing was stored" in refused.stderr
        assert not (tmp_path / "a" / "kiosk.toml").exists() and pinned_key(tmp_path / "a") is None

        done = enroll(tmp_path / "b")
        assert done.returncode == 0, done.stderr
        assert pinned_key(tmp_path / "b") == key and key.key_id in done.stdout

        checked = enroll(tmp_path / "c", "--center-key", str(right))
        assert checked.returncode == 0, checked.stderr
        assert pinned_key(tmp_path / "c") == key
    finally:
        center.close()


def test_the_rollouts_target_version_is_kept_and_null_means_stay_on_the_version_run(rig):
    from kiosk.center import rollout
    from kiosk.ops.layout import running_version
    from kiosk.ops.target import read_target

    terminal, engine = rig.terminal()
    tid, data_dir = terminal.settings.terminal_id, terminal.settings.data_dir
    heard: list[str] = []
    engine.add_target_listener(heard.append)
    rollout.start(rig.store, "99.0.0", rings=["pilot", "100%"], pilot=[tid])
    assert engine.run_once().ok
    target = read_target(data_dir)
    assert target is not None and target.version == "99.0.0" and heard == ["99.0.0"]
    assert engine.run_once().ok and heard == ["99.0.0"]  # told once
    rollout.abort(rig.store)
    assert engine.run_once().ok
    # Not "no target" (the updater would take the newest release): the version it runs.
    target = read_target(data_dir)
    assert target is not None and target.version == running_version() and heard[-1] == running_version()
