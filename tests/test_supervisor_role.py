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
        os.kill(first.pid, signal.SIGKILL)
        again = supervised.wait_alive(90, other_than=first.pid)
        assert again.first_frame_at is not None and again.first_frame_at > first.first_frame_at
        crash = wait_for(lambda: supervised.reports("crash"), 5, "a crash report", supervised)[0]
        assert (crash.payload["what"], crash.payload["role"]) == ("crashed", "kiosk")
