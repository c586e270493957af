"""The supervisor over the real program: ``kiosk supervise`` runs ``kiosk run`` (offscreen), whose window writes
the local heartbeat from its UI thread; killed, it is started again and shows its first frame again."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from kiosk import __version__
from tests.supervisor_support import Supervised, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def test_the_real_kiosk_beats_for_its_supervisor_and_comes_back_after_sigkill(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Supervised(data, idcard_driver="simulator", sscard_driver="none", scanner="none") as supervised:
        first = supervised.wait_alive(90)
        assert (first.version, first.role, first.session_open) == (__version__, "kiosk", False)
        assert first.first_frame_at is not None
        # Its health, probed on a worker after the first frame: the database opened, the devices checked.
        healthy = wait_for(
            lambda: (a := supervised.alive()) and a.health.migrations == "ok" and a.health.devices and a,
            60,
            "the role's health in its heartbeat",
            supervised,
        )
        assert healthy.health.devices["id_card"] == "ok"
        helpers = children_of(first.pid)  # the speech engine's process, among others
        assert helpers, "the role started its helper processes"
        os.kill(first.pid, signal.SIGKILL)
        again = supervised.wait_alive(90, other_than=first.pid)
        assert again.first_frame_at is not None and again.first_frame_at > first.first_frame_at
        crash = wait_for(lambda: supervised.reports("crash"), 5, "a crash report", supervised)[0]
        assert (crash.payload["what"], crash.payload["role"]) == ("crashed", "kiosk")
        # What the killed role had started ends with it: a crash leaves no process behind.
        wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in helpers) or None, 15,
                 f"the killed role's processes {helpers} to end", supervised)  # fmt: skip


def children_of(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def test_a_crash_loop_shows_the_bare_out_of_service_window_until_back_in_service(tmp_path: Path) -> None:
    from kiosk.ops.layout import InstallLayout
    from kiosk.ops.service_state import back_in_service, out_of_service
    from tests.supervisor_support import install

    root, data = tmp_path / "install", tmp_path / "data"
    layout = install(root, "1.0")
    folder = layout.version_dir("1.0")
    folder.mkdir(parents=True)
    # A version whose role crashes at once; its bare out-of-service window is the real one.
    layout.executable("1.0").write_text(
        "#!/bin/sh\n"
        'export KIOSK_BUNDLE_DIR="$(dirname "$0")"\n'
        f'if [ "$1" = "_out-of-service" ]; then exec "{sys.executable}" -m kiosk "$@"; fi\n'
        "exit 3\n",
        encoding="utf-8",
    )
    layout.executable("1.0").chmod(0o755)
    InstallLayout(root).mark_complete("1.0")
    with Supervised(data, root) as supervised:
        wait_for(lambda: out_of_service(data), 30, "out of service", supervised)
        window = wait_for(
            lambda: (
                (s := _status(data))
                and s.get("child")
                and s["child"]["what"] == "out-of-service window"
                and s
            ),
            30,
            "the out-of-service window",
            supervised,
        )
        log_file = data / "logs" / "kiosk.log"
        wait_for(
            lambda: log_file.exists() and "out-of-service window starts" in log_file.read_text(),
            60,
            "the window's own log line",
            supervised,
        )
        assert window["child"]["version"] == "1.0"
        back_in_service(data, "operator")
        # The window says so and ends with RESTART; the supervisor starts the role again (which crashes again).
        wait_for(lambda: "back in service" in supervised.log(), 30, "back in service", supervised)
        wait_for(
            lambda: supervised.log().count("started the role") >= 4, 30, "the role started again", supervised
        )


def _status(data: Path) -> dict | None:
    from kiosk.ops.supervision import read_status

    return read_status(data)
