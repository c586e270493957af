"""The supervisor keeps the role running: ``kiosk supervise`` as a real process over an install layout of stand-in
versions (tests/supervised/child.py), each a real process writing the role's local heartbeat."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.ops import exit_codes
from kiosk.ops.service_state import back_in_service, out_of_service
from kiosk.ops.supervision import read_status
from tests.supervisor_support import Supervised, add_version, install, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the stand-in versions are shell scripts")


@pytest.fixture
def layout_root(tmp_path: Path) -> Path:
    root = tmp_path / "install"
    add_version(install(root, "1.0"), "1.0")
    return root


def test_a_role_killed_is_back_within_the_backoff_and_its_crash_reported(
    tmp_path: Path, layout_root: Path
) -> None:
    data = tmp_path / "data"
    with Supervised(data, layout_root) as supervised:
        first = supervised.wait_alive()
        assert first.version == "1.0"
        os.kill(first.pid, signal.SIGKILL)
        # The first backoff is 1 s; the stand-in starts in a fraction of one.
        again = supervised.wait_alive(10, other_than=first.pid)
        assert again.version == "1.0"
        crash = wait_for(lambda: supervised.reports("crash"), 5, "a crash report")[0]
        assert crash.payload["what"] == "crashed"
        assert crash.payload["exit_code"] == -signal.SIGKILL
        assert crash.payload["version"] == "1.0"
        assert "crashed" in supervised.log()


def test_a_hung_role_is_stopped_and_started_again(tmp_path: Path, layout_root: Path) -> None:
    data = tmp_path / "data"
    with Supervised(data, layout_root, supervisor_hang_s=2) as supervised:
        first = supervised.wait_alive()
        os.kill(first.pid, signal.SIGSTOP)  # its heartbeat stops, as a hung UI thread's would
        again = supervised.wait_alive(20, other_than=first.pid)
        assert again.version == "1.0"
        crash = wait_for(lambda: supervised.reports("crash"), 5, "a crash report")[0]
        assert crash.payload["what"] == "hung"
        assert "hung" in supervised.log()


def test_exit_codes_say_restart_reboot_and_stop(tmp_path: Path, layout_root: Path) -> None:
    data = tmp_path / "data"
    with Supervised(data, layout_root, supervisor_reboot="off") as supervised:
        first = supervised.wait_alive()
        (data / "exit-code").write_text(str(exit_codes.RESTART))
        second = supervised.wait_alive(5, other_than=first.pid)
        (data / "exit-code").write_text(str(exit_codes.REBOOT))
        third = supervised.wait_alive(5, other_than=second.pid)
        assert third.pid != first.pid
        assert supervised.reports("crash") == []  # neither is a crash
        assert "not restarting it" in supervised.log()
        assert (read_status(data) or {}).get("reboot_requested_at")
        (data / "exit-code").write_text(str(exit_codes.STOP))
        assert supervised.process.wait(10) == 0  # stopped on purpose: the supervisor stops too


def test_a_crash_loop_without_an_update_takes_the_terminal_out_of_service(tmp_path: Path) -> None:
    root = tmp_path / "install"
    layout = install(root, "1.0")
    add_version(
        layout,
        "1.0",
        mode="crash",
        say="姓名：张三 身份证 440102199001011234 电话 13812345678",
        out_of_service_window="crash",
    )
    data = tmp_path / "data"
    with Supervised(data, root, center_url="http://127.0.0.1:9") as supervised:
        held = wait_for(lambda: out_of_service(data), 20, "out of service", supervised)
        assert (held.by, held.reason) == ("supervisor", "crash_loop")
        crashes = supervised.reports("crash")[:4]  # (then the bare window's own, if it crashed already)
        assert [c.payload["what"] for c in crashes] == ["crashed", "crashed", "crashed", "crash_loop"]
        assert all(c.payload["exit_code"] == 3 for c in crashes[:3])
        # The crash's last words reach the report, scrubbed of the person in them.
        tail = crashes[0].payload["log_tail"]
        assert "440102********1234" in tail and "138****5678" in tail
        assert "440102199001011234" not in tail and "13812345678" not in tail and "张三" not in tail
        assert "out of service" in supervised.log()
        # The bare 暂停服务 window crashes too (where this version has one): then the supervisor itself syncs,
        # so that the reports reach the center and its "back in service" can arrive.
        wait_for(lambda: "1.0-sync" in supervised.runs(), 20, "kiosk sync once", supervised)
        assert all(run.endswith(("run", "out-of-service", "sync")) for run in supervised.runs())
        # Put back in service (the center's command, an operator): the role is started again.
        starts = len(supervised.runs())
        back_in_service(data, "operator")
        wait_for(
            lambda: len([r for r in supervised.runs()[starts:] if r.endswith("run")]) >= 1,
            10,
            "the role started again",
            supervised,
        )


def test_one_supervisor_per_data_directory_and_what_it_is_doing(tmp_path: Path, layout_root: Path) -> None:
    data = tmp_path / "data"
    with Supervised(data, layout_root) as supervised:
        alive = supervised.wait_alive()
        kiosk = [sys.executable, "-m", "kiosk", "--data-dir", str(data), "supervise"]
        second = subprocess.run(kiosk, capture_output=True, text=True, timeout=60)
        assert second.returncode == 3 and "already runs" in second.stderr
        shown = subprocess.run([*kiosk, "--status", "--json"], capture_output=True, text=True, timeout=60)
        status = json.loads(shown.stdout)
        assert status["running"] is True
        assert status["status"]["mode"] == "role"
        assert status["status"]["child"] == {"what": "role", "pid": alive.pid, "version": "1.0"}


def test_a_role_left_by_a_killed_supervisor_is_stopped_by_the_next(tmp_path: Path, layout_root: Path) -> None:
    data = tmp_path / "data"
    with Supervised(data, layout_root) as first:
        orphan = first.wait_alive()
        first.process.kill()  # as a killed process on Windows, it leaves its role running
        first.process.wait()
    with Supervised(data, layout_root) as second:
        own = second.wait_alive(other_than=orphan.pid)
        assert own.pid != orphan.pid
        wait_for(lambda: not _running(orphan.pid), 10, "the orphan stopped", second)
        assert "running without a supervisor" in second.log()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_without_an_install_state_the_newest_installed_version_runs(tmp_path: Path) -> None:
    from kiosk.ops.layout import InstallLayout

    root = tmp_path / "install"
    layout = InstallLayout(root)
    for version in ("1.9", "1.10"):
        add_version(layout, version)
    with Supervised(tmp_path / "data", root) as supervised:
        assert supervised.wait_alive().version == "1.10"
        assert "no install state" in supervised.log()
