"""The center's side of operations, with ``kiosk center serve`` as a process of its own and terminals speaking the
protocol over HTTP: commands signed with the key terminals pin and delivered until a result closes them (once),
expiry, settings layers with rising versions, reports kept once, and uploads only for the terminal's own upload
commands. Rollouts are in test_center_ops_rollout.py.
"""

from __future__ import annotations

import json
import stat
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.cli.main import main
from kiosk.protocol import Heartbeat, HeartbeatAnswer
from kiosk.protocol.limits import ANSWER_LIMITS
from kiosk.protocol.ops import CommandKey, NoticeArgs, UploadLogsArgs, open_command, open_settings
from kiosk.protocol.strict_json import loads
from tests.center_support import CenterProcess, KioskAuth, new_center_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class Fleet:
    """A running center and the operator's commands on its database (in this process, as a second writer)."""

    def __init__(self, center: CenterProcess, capsys: pytest.CaptureFixture[str]) -> None:
        self.center = center
        self.capsys = capsys

    def cli(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["center", *args, *self.center.db.args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def cli_json(self, *args: str) -> Any:
        code, out, err = self.cli(*args, "--json")
        assert code == 0, err
        return json.loads(out)

    def terminal(self, name: str = "village") -> Terminal:
        added = self.cli_json("terminal", "add", name)
        return Terminal(self.center.url, added["terminal_id"], added["secret"])


class Terminal:
    """A terminal as far as the center can tell: signed heartbeats and uploads."""

    def __init__(self, url: str, terminal_id: str, secret: str) -> None:
        self.url = url
        self.id = terminal_id
        self.auth = KioskAuth(terminal_id, secret)
        self.last_answer_bytes = 0

    def beat(self, **fields: Any) -> HeartbeatAnswer:
        body = Heartbeat.model_validate({"version": "1.3.0", "role": "kiosk", **fields}).model_dump_json()
        response = requests.post(
            self.url + "/api/v1/heartbeat",
            data=body.encode("utf-8"),
            headers={"Content-Type": "application/json"},
            auth=self.auth,
            timeout=30,
        )
        assert response.status_code == 200, response.text
        self.last_answer_bytes = len(response.content)
        return HeartbeatAnswer.model_validate(
            loads(response.content, max_depth=ANSWER_LIMITS["heartbeat"].max_depth)
        )

    def upload(self, command_id: str, body: bytes, content_type: str) -> requests.Response:
        return requests.post(
            f"{self.url}/api/v1/uploads/{command_id}",
            data=body,
            headers={"Content-Type": content_type},
            auth=self.auth,
            timeout=60,
        )


def result(command_id: str, outcome: str = "done", detail: str = "") -> dict[str, Any]:
    return {
        "id": uuid.uuid4().hex[:20],
        "command_id": command_id,
        "at": datetime.now(UTC).isoformat(),
        "outcome": outcome,
        "detail": detail,
    }


@pytest.fixture(scope="module")
def center(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CenterProcess]:
    process = CenterProcess(new_center_db(request, tmp_path_factory.mktemp("center")))
    try:
        yield process
    finally:
        process.close()


@pytest.fixture
def fleet(center: CenterProcess, capsys: pytest.CaptureFixture[str]) -> Fleet:
    return Fleet(center, capsys)


def test_the_command_key_is_made_on_first_start_owner_only_and_every_answer_carries_it(
    fleet: Fleet, tmp_path: Path
) -> None:
    key_file = fleet.center.db_path.with_name("center.command-key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    shown = fleet.cli_json("command-key", "--out", str(tmp_path / "center-key.json"))
    pinned = CommandKey.model_validate_json((tmp_path / "center-key.json").read_text(encoding="utf-8"))
    assert pinned.key_id == shown["key_id"]
    assert fleet.terminal().beat().command_key == pinned


def test_a_command_is_signed_delivered_until_its_result_and_closed_once(fleet: Fleet) -> None:
    terminal, other = fleet.terminal(), fleet.terminal("another")
    first = fleet.cli_json("command", "send", "upload_logs", "--terminal", terminal.id, "--arg", "hours=2")
    second = fleet.cli_json(
        "command", "send", "notice", "--terminal", terminal.id, "--arg", "title=停水通知", "--arg", "hours=6"
    )
    answer = terminal.beat()
    assert answer.command_key is not None
    assert [c.id for c in answer.commands] == [first[0]["id"], second[0]["id"]]  # oldest first
    opened = [open_command(c, answer.command_key, terminal.id, datetime.now(UTC)) for c in answer.commands]
    assert opened[0].args == UploadLogsArgs(hours=2)
    assert opened[1].args == NoticeArgs(title="停水通知", hours=6)
    assert other.beat().commands == []  # a command is for its terminal only

    # Until a result arrives, every answer carries the command again (the terminal runs it once by its id).
    assert [c.id for c in terminal.beat().commands] == [first[0]["id"], second[0]["id"]]
    done = result(first[0]["id"], "done", "2 hours of logs uploaded")
    assert [c.id for c in terminal.beat(command_results=[done]).commands] == [second[0]["id"]]
    # The same report again (a lost answer) and a later, contradicting result change nothing.
    terminal.beat(command_results=[done, result(first[0]["id"], "failed", "again")])
    # Another terminal cannot close a command that is not its own.
    other.beat(command_results=[result(second[0]["id"], "refused", "not mine")])
    listed = {row["id"]: row for row in fleet.cli_json("command", "list", "--terminal", terminal.id)}
    assert listed[first[0]["id"]]["state"] == "done"
    assert listed[first[0]["id"]]["result_detail"] == "2 hours of logs uploaded"
    assert listed[second[0]["id"]]["state"] == "pending"
    shown = fleet.cli_json("terminal", "show", terminal.id)
    assert [c["state"] for c in shown["commands"]] == ["pending", "done"]


def test_a_command_that_expires_is_not_delivered_and_is_marked_expired(fleet: Fleet) -> None:
    terminal = fleet.terminal()
    sent = fleet.cli_json("command", "send", "sync_now", "--terminal", terminal.id, "--expires", "1s")
    kept = fleet.cli_json("command", "send", "reload_content", "--terminal", terminal.id)
    deadline = datetime.fromisoformat(sent[0]["expires_at"])
    while datetime.now(UTC) < deadline:
        pass
    assert [c.id for c in terminal.beat().commands] == [kept[0]["id"]]
    states = {row["id"]: row["state"] for row in fleet.cli_json("command", "list", "--terminal", terminal.id)}
    assert states == {sent[0]["id"]: "expired", kept[0]["id"]: "pending"}
    # The terminal's own result, arriving after the center marked the expiry, is what happened (it ran before it
    # expired); it closes the command once, and a later one changes nothing.
    terminal.beat(command_results=[result(sent[0]["id"], "expired", "expired before it ran")])
    terminal.beat(command_results=[result(sent[0]["id"], "done")])
    rows = {row["id"]: row for row in fleet.cli_json("command", "list", "--terminal", terminal.id)}
    assert (rows[sent[0]["id"]]["state"], rows[sent[0]["id"]]["result_detail"]) == (
        "expired",
        "expired before it ran",
    )


def test_commands_the_center_will_not_send_are_refused_with_a_message(fleet: Fleet) -> None:
    terminal = fleet.terminal()
    for args, message in [
        (("upload_logs", "--terminal", terminal.id, "--arg", "hours=100"), "args.hours"),
        (("upload_logs", "--terminal", terminal.id), "args.hours"),
        (("sync_now", "--terminal", terminal.id, "--arg", "shell=reboot"), "args.shell"),
        (("sync_now", "--terminal", "T-nobody"), "no terminal T-nobody"),
        (("sync_now", "--group", "nowhere"), "no enabled terminal is in group"),
        (("sync_now", "--terminal", terminal.id, "--expires", "soon"), "a duration"),
    ]:
        code, _, err = fleet.cli("command", "send", *args)
        assert code == 2 and message in err, err
    with pytest.raises(SystemExit) as refused:
        fleet.cli("command", "send", "run_shell", "--terminal", terminal.id)
    assert refused.value.code == 2


def test_a_heartbeat_answer_stays_within_what_a_terminal_reads(fleet: Fleet) -> None:
    terminal = fleet.terminal()
    limit = ANSWER_LIMITS["heartbeat"].max_bytes
    # The largest notices in Chinese: all 16 fit in one answer.
    for _ in range(16):
        fleet.cli("command", "send", "notice", "--terminal", terminal.id, "--arg", "title=" + "停" * 200,
                  "--arg", "body=" + "电" * 2000)  # fmt: skip
    first = terminal.beat()
    assert len(first.commands) == 16 and terminal.last_answer_bytes <= limit
    terminal.beat(command_results=[result(c.id) for c in first.commands])
    # Text that JSON must escape (six bytes a character): what does not fit waits for the next answer.
    for _ in range(16):
        fleet.cli("command", "send", "notice", "--terminal", terminal.id, "--arg", "title=x",
                  "--arg", "body=" + "\x01" * 2000)  # fmt: skip
    seen: list[str] = []
    answer = terminal.beat()
    while answer.commands:
        assert terminal.last_answer_bytes <= limit
        assert len(answer.commands) < 16 or seen
        seen += [c.id for c in answer.commands]
        answer = terminal.beat(command_results=[result(c.id) for c in answer.commands])
    assert len(seen) == len(set(seen)) == 16


def test_a_group_gets_one_command_each(fleet: Fleet) -> None:
    a, b, c = fleet.terminal(), fleet.terminal(), fleet.terminal()
    for member in (a, b):
        assert fleet.cli("terminal", "group", member.id, "从化区")[0] == 0
    sent = fleet.cli_json("command", "send", "restart_program", "--group", "从化区")
    assert sorted(row["terminal_id"] for row in sent) == sorted([a.id, b.id])
    assert [cmd.kind for cmd in a.beat().commands] == ["restart_program"]
    assert c.beat().commands == []


def test_settings_layers_merge_everyone_group_and_terminal_with_rising_versions(fleet: Fleet) -> None:
    terminal, neighbour = fleet.terminal(), fleet.terminal()
    fleet.cli("terminal", "group", terminal.id, "hall-7x24")
    assert fleet.cli("settings", "set", "idle_timeout_s", "120", "--all")[0] == 0
    assert fleet.cli("settings", "set", "elder_mode", "true", "--group", "hall-7x24")[0] == 0
    assert fleet.cli("settings", "set", "idle_timeout_s", "150", "--terminal", terminal.id)[0] == 0

    answer = terminal.beat()
    assert answer.settings is not None and answer.command_key is not None
    assert open_settings(answer.settings, answer.command_key, terminal.id) == {
        "idle_timeout_s": 150,
        "elder_mode": True,
    }
    first = answer.settings.version
    assert terminal.beat(settings_version=first).settings is None  # applied: nothing to send
    neighbour_layer = neighbour.beat().settings
    assert neighbour_layer is not None and neighbour_layer.values == {"idle_timeout_s": 120}

    assert fleet.cli("settings", "unset", "idle_timeout_s", "--terminal", terminal.id)[0] == 0
    changed = terminal.beat(settings_version=first).settings
    assert changed is not None and changed.version > first
    assert changed.values == {"idle_timeout_s": 120, "elder_mode": True}
    shown = fleet.cli_json("settings", "show", "--terminal", terminal.id)
    assert shown["version"] == changed.version

    code, _, err = fleet.cli("settings", "set", "center_url", "https://elsewhere.example", "--all")
    assert code == 2 and "may not set 'center_url'" in err
    code, _, err = fleet.cli("settings", "set", "sdtapi_library", "/tmp/evil.so", "--terminal", terminal.id)
    assert code == 2 and "may not set" in err
    assert fleet.cli("settings", "unset", "idle_timeout_s", "--all")[0] == 0
    assert fleet.cli("settings", "unset", "elder_mode", "--group", "hall-7x24")[0] == 0
    emptied = terminal.beat(settings_version=changed.version).settings
    assert emptied is not None and emptied.values == {} and emptied.version > changed.version


def test_reports_are_kept_once_and_the_state_stays_on_the_terminal(fleet: Fleet) -> None:
    terminal = fleet.terminal()
    now = datetime.now(UTC).isoformat()
    crash = {"id": "c-1", "at": now, "version": "1.3.0", "role": "kiosk", "what": "crashed", "exit_code": -11}
    update = {"id": "u-1", "at": now, "version": "1.4.0", "from_version": "1.3.0", "outcome": "staged"}
    state = {
        "install": {"current": "1.3.0", "previous": "1.2.0", "staged": "1.4.0"},
        "out_of_service": True,
        "session_open": False,
        "settings_version": 0,
        "command_key_id": "0123456789abcdef",
    }
    for _ in range(2):  # the second is the same heartbeat sent again after a lost answer
        terminal.beat(crashes=[crash], updates=[update], **state)
    shown = fleet.cli_json("terminal", "show", terminal.id)
    assert [c["report_id"] for c in shown["crashes"]] == ["c-1"]
    assert shown["crashes"][0]["exit_code"] == -11
    assert [u["outcome"] for u in shown["updates"]] == ["staged"]
    assert shown["install"] == {"current": "1.3.0", "previous": "1.2.0", "staged": "1.4.0", "trying": None}
    assert shown["out_of_service"] is True and shown["command_key_id"] == "0123456789abcdef"
    listed = next(t for t in fleet.cli_json("terminal", "list") if t["terminal_id"] == terminal.id)
    assert "crashes" not in listed["last_heartbeat"]  # reports live in their tables, not on the row


def test_uploads_only_for_the_terminals_own_upload_command(fleet: Fleet, tmp_path: Path) -> None:
    terminal, other = fleet.terminal(), fleet.terminal()
    shot = fleet.cli_json("command", "send", "screenshot", "--terminal", terminal.id)[0]["id"]
    logs = fleet.cli_json("command", "send", "upload_logs", "--terminal", terminal.id, "--arg", "hours=1")[0][
        "id"
    ]
    sync = fleet.cli_json("command", "send", "sync_now", "--terminal", terminal.id)[0]["id"]

    assert other.upload(shot, PNG, "image/png").status_code == 404  # not its command
    assert terminal.upload(uuid.uuid4().hex, PNG, "image/png").status_code == 404
    assert terminal.upload(sync, PNG, "image/png").status_code == 409  # not an upload command
    assert terminal.upload(shot, b"GIF89a", "image/png").status_code == 422
    assert terminal.upload(shot, PNG, "text/plain; charset=utf-8").status_code == 415
    assert terminal.upload(shot, PNG + b"\x00" * (8 * 1024 * 1024), "image/png").status_code == 413
    unsigned = requests.post(f"{terminal.url}/api/v1/uploads/{shot}", data=PNG, timeout=30)
    assert unsigned.status_code == 401

    kept = terminal.upload(shot, PNG, "image/png")
    assert kept.status_code == 200 and kept.json()["size"] == len(PNG)
    text = b"2026-12-06 10:00 INFO sync: 3 records delivered\n"
    assert terminal.upload(logs, text, "text/plain; charset=utf-8").status_code == 200

    shown = fleet.cli_json("terminal", "show", terminal.id, "--save-uploads", str(tmp_path / "saved"))
    by_kind = {u["kind"]: u for u in shown["uploads"]}
    assert Path(by_kind["screenshot"]["saved_to"]).read_bytes() == PNG
    assert Path(by_kind["upload_logs"]["file"]).read_bytes() == text
    # Once the terminal reported the command refused, nothing more is taken for it.
    terminal.beat(command_results=[result(shot, "refused", "a citizen's session is open")])
    assert terminal.upload(shot, PNG, "image/png").status_code == 409
