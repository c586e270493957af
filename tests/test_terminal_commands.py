"""The center's commands on the terminal: verified with the pinned key, for this terminal, not expired, run once,
each result kept for the next heartbeat. Real Ed25519 keys, real files in the data directory, a real database."""

from __future__ import annotations

import base64
import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.ops import exit_codes, reports
from kiosk.ops.alive import Alive, write_alive
from kiosk.ops.service_state import out_of_service
from kiosk.protocol.ops import CommandKey, SignedCommand
from kiosk.services.changes import Change
from kiosk.services.notices import current_notices
from kiosk.services.ops import role_hooks
from kiosk.services.ops.commands import CommandRunner

TERMINAL = "QY-QC-0001"
CENTER_KEY = Ed25519PrivateKey.generate()


def command(
    kind: str,
    args: dict | None = None,
    *,
    key=CENTER_KEY,
    terminal=TERMINAL,
    lasts=timedelta(hours=1),
    issued=None,
) -> SignedCommand:
    issued = issued or datetime.now(UTC).replace(microsecond=0)
    return SignedCommand.sign(
        key,
        id=uuid.uuid4().hex,
        terminal_id=terminal,
        kind=kind,
        args=args or {},
        issued_at=issued.isoformat(),
        expires_at=(issued + lasts).isoformat(),
    )


def session(data_dir, open_: bool) -> None:
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


def results(data_dir) -> dict[str, tuple[str, str]]:
    """command id → (outcome, detail) of the results waiting for the heartbeat."""
    return {
        r.payload["command_id"]: (r.payload["outcome"], r.payload["detail"])
        for r in reports.pending(data_dir, limit=100, kinds=["command"])
    }


@pytest.fixture
def runner(terminal):
    heard: list[Change] = []
    terminal.catalog.changes.subscribe(heard.append)
    syncs: list[int] = []
    runner = CommandRunner(
        terminal.settings.data_dir,
        terminal.settings.log_dir,
        TERMINAL,
        database=terminal.database,
        background=terminal.background,
        changes=terminal.catalog.changes,
        trigger_sync=lambda: syncs.append(1),
    )
    runner.heard, runner.syncs = heard, syncs  # type: ignore[attr-defined]
    yield runner
    role_hooks.clear()


KEY = CommandKey.of(CENTER_KEY)


def test_each_command_runs_once_and_a_replay_is_refused_and_reported(runner):
    data_dir = runner.data_dir
    sync_now, back = command("sync_now"), command("back_in_service")
    out = command("out_of_service", {"message": "请到镇政务服务中心办理"})
    outcomes = runner.run([sync_now, out], KEY, None)
    assert [o.outcome for o in outcomes] == ["done", "done"]
    assert runner.syncs == [1]
    state = out_of_service(data_dir)
    assert state is not None and state.by == "center" and state.message == "请到镇政务服务中心办理"
    assert "service_state" in [c.topic for c in runner.heard]

    again = runner.run([sync_now, out, back], KEY, None)  # the same two again, and a new one
    assert [o.outcome for o in again] == ["refused", "refused", "done"]
    assert runner.syncs == [1]  # not run twice
    assert out_of_service(data_dir) is None
    found = results(data_dir)
    assert found[back.id][0] == "done"
    assert "replay" in found[sync_now.id][1] or found[sync_now.id][0] == "done"
    replays = [
        r for r in reports.pending(data_dir, limit=100, kinds=["command"]) if "replay" in r.payload["detail"]
    ]
    assert {r.payload["command_id"] for r in replays} == {sync_now.id, out.id}

    # Remembered in the data directory: a new process (a restart) refuses them too.
    later = CommandRunner(data_dir, runner.log_dir, TERMINAL)
    assert [o.outcome for o in later.run([out], KEY, None)] == ["refused"]
    assert out_of_service(data_dir) is None


@pytest.mark.parametrize(
    ("forge", "why"),
    [
        (lambda c: SignedCommand.sign(Ed25519PrivateKey.generate(), **_fields(c)), "not the pinned key"),
        (
            lambda c: _with_key_id(
                SignedCommand.sign(Ed25519PrivateKey.generate(), **_fields(c)), KEY.key_id
            ),
            "signature does not verify",
        ),
        (
            lambda c: SignedCommand.model_validate({**c.model_dump(), "kind": "restart_machine"}),
            "signature does not verify",
        ),
        (
            lambda c: SignedCommand.model_validate({**c.model_dump(), "args": {"message": "已被篡改"}}),
            "signature does not verify",
        ),
        (
            lambda c: SignedCommand.model_validate(
                {**c.model_dump(), "expires_at": "2099-01-01T00:00:00+00:00"}
            ),
            "signature does not verify",
        ),
    ],
    ids=["another key", "another key under ours id", "kind changed", "args changed", "expiry changed"],
)
def test_a_forged_command_is_refused_and_reported(runner, forge, why):
    genuine = command("out_of_service", {"message": "维护中"})
    forged = forge(genuine)
    [outcome] = runner.run([forged], KEY, None)
    assert outcome.outcome == "refused" and why in outcome.detail
    assert out_of_service(runner.data_dir) is None
    assert results(runner.data_dir)[forged.id][0] == "refused"


def _fields(c: SignedCommand) -> dict:
    return {k: getattr(c, k) for k in ("id", "terminal_id", "kind", "args", "issued_at", "expires_at")}


def _with_key_id(c: SignedCommand, key_id: str) -> SignedCommand:
    return SignedCommand.model_validate({**c.model_dump(), "key_id": key_id})


def test_a_command_for_another_terminal_or_of_an_unknown_kind_is_refused(runner):
    other = command("sync_now", terminal="QY-QC-0002")
    # Signed with the center's own key, but of a kind this terminal does not have: never run, whatever it says.
    unsigned = SignedCommand.model_validate(
        {**command("sync_now").model_dump(), "kind": "run_shell", "args": {"line": "rm -rf /"}}
    )
    signature = base64.b64encode(CENTER_KEY.sign(unsigned.signed_bytes())).decode("ascii")
    unknown = SignedCommand.model_validate({**unsigned.model_dump(), "signature": signature})
    outcomes = runner.run([other, unknown], KEY, None)
    assert [o.outcome for o in outcomes] == ["refused", "refused"]
    assert "not this one" in outcomes[0].detail and "unknown command kind" in outcomes[1].detail
    assert runner.syncs == []


def test_an_expired_command_is_refused_by_the_centers_clock(runner, monkeypatch):
    past = command("sync_now", issued=datetime.now(UTC) - timedelta(hours=2))
    [outcome] = runner.run([past], KEY, None)
    assert outcome.outcome == "expired" and runner.syncs == []
    assert results(runner.data_dir)[past.id][0] == "expired"

    # The terminal's clock is 10 minutes slow; the center's (learnt from its answers) says the command expired.
    soon = command("sync_now", lasts=timedelta(minutes=5))

    class Skewed:
        skew = 600.0

    [outcome] = runner.run([soon], KEY, Skewed())  # type: ignore[list-item]
    assert outcome.outcome == "expired"


def test_without_a_pinned_key_every_command_is_refused(runner):
    [outcome] = runner.run(
        [command("sync_now")], None, None, key_problem="the center's command key x is not …"
    )
    assert outcome.outcome == "refused" and "command key" in outcome.detail
    assert runner.syncs == []


def test_a_notice_from_the_center_shows_with_the_centers_notices(runner, terminal):
    notice = command(
        "notice", {"title": "今日系统维护", "body": "17:00 后暂停打印", "level": "warning", "hours": 2}
    )
    assert runner.run([notice], KEY, None)[0].outcome == "done"
    shown = current_notices(terminal.database)
    assert [(n.title, n.body, n.level) for n in shown] == [("今日系统维护", "17:00 后暂停打印", "warning")]
    assert "notices" in [c.topic for c in runner.heard]
    assert current_notices(terminal.database, datetime.now(UTC) + timedelta(hours=3)) == ()


def test_reload_content_tells_the_screens_to_read_again(runner):
    assert runner.run([command("reload_content")], KEY, None)[0].outcome == "done"
    assert {"catalog", "form_templates", "notices"} <= {c.topic for c in runner.heard}


def test_a_restart_waits_for_the_citizens_session_to_end_and_is_reported_before_leaving(runner):
    exits: list[int] = []
    role_hooks.register(request_exit=exits.append)
    session(runner.data_dir, True)
    restart = command("restart_program")
    assert runner.run([restart], KEY, None)[0].outcome == "waiting"
    assert runner.run([restart], KEY, None)[0].outcome == "waiting"  # the next answer carries it again
    assert exits == [] and restart.id not in results(runner.data_dir)
    session(runner.data_dir, False)
    deadline = datetime.now() + timedelta(seconds=15)
    while not exits and datetime.now() < deadline:
        import time

        time.sleep(0.05)
    assert exits == [exit_codes.RESTART]
    assert results(runner.data_dir)[restart.id][0] == "done"
    assert runner.run([restart], KEY, None)[0].outcome == "refused"  # after the restart: not again


def test_a_machine_restart_leaves_with_the_reboot_code(runner):
    exits: list[int] = []
    role_hooks.register(request_exit=exits.append)
    assert runner.run([command("restart_machine")], KEY, None)[0].outcome == "done"
    assert exits == [exit_codes.REBOOT]


def test_without_a_running_window_restarts_and_screenshots_are_left_for_it(runner):
    restart, shot = command("restart_program"), command("screenshot")
    outcomes = runner.run([restart, shot], KEY, None)
    assert [o.outcome for o in outcomes] == ["left", "left"]
    assert results(runner.data_dir) == {}
    role_hooks.register(request_exit=lambda code: None)
    assert runner.run([restart], KEY, None)[0].outcome == "done"  # the running program takes it later


def test_a_command_id_survives_the_scrubbing_of_reports_while_a_phone_number_does_not():
    # Hexadecimal ids hold runs of digits that look like a mobile or an old ID number on their own.
    assert reports.scrub_text("0e79b07306b047b18944773398bb68fe") == "0e79b07306b047b18944773398bb68fe"
    assert reports.scrub_text("ab123456789012345cd") == "ab123456789012345cd"
    assert reports.scrub_text("电话13812345678") == "电话138****5678"


def test_the_logs_of_the_last_hours_go_up_scrubbed_newest_kept_within_the_cap(tmp_path):
    from kiosk.services.ops.log_upload import log_text

    now = datetime(2026, 12, 6, 12, 0, 0)
    (tmp_path / "kiosk.log.1").write_text(
        "2026-12-06 08:59:00,000 INFO a before the window\n"
        "2026-12-06 09:30:00,000 ERROR b failed\nTraceback (most recent call last):\n  line 3\n",
        encoding="utf-8",
    )
    (tmp_path / "kiosk.log").write_text(
        "2026-12-06 11:00:00,000 INFO c 身份证 440101199001011234 姓名：张三\n", encoding="utf-8"
    )
    text = log_text(tmp_path, 3, now).decode("utf-8")
    assert text.splitlines() == [
        "2026-12-06 09:30:00,000 ERROR b failed",
        "Traceback (most recent call last):",
        "  line 3",
        "2026-12-06 11:00:00,000 INFO c 身份证 440101********1234 姓名：**",
    ]
    newest_only = log_text(tmp_path, 3, now, cap=100).decode("utf-8")
    assert newest_only.startswith("2026-12-06 11:00:00") and "failed" not in newest_only
    assert log_text(tmp_path / "none", 3, now) == b""


def test_of_two_processes_handed_the_same_command_one_runs_it(runner):
    # The running program and a `kiosk sync once` beside it both get the center's answer.
    import threading

    from kiosk.services.ops.commands_done import CommandsDone

    expires = datetime.now(UTC) + timedelta(hours=1)
    claims: list[bool] = []
    barrier = threading.Barrier(8)

    def claim() -> None:
        done = CommandsDone(runner.data_dir)  # each with its own file handle, as another process has
        barrier.wait()
        claims.append(done.claim("a" * 32, expires, datetime.now(UTC)))

    workers = [threading.Thread(target=claim) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert sorted(claims) == [False] * 7 + [True]
    other = CommandRunner(runner.data_dir, runner.log_dir, TERMINAL, trigger_sync=lambda: None)
    sync_now = command("sync_now")
    other.done.claim(sync_now.id, expires, datetime.now(UTC))  # the other process took it just now
    assert [o.outcome for o in runner.run([sync_now], KEY, None)] == ["refused"]  # seen as run: a replay
