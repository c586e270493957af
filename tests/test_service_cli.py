"""kiosk service: operations staff on site take the terminal out of service and back, and see its state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kiosk.ops.service_state import out_of_service


def kiosk(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data), "service", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ},
    )


def test_out_of_service_and_back_from_the_command_line(tmp_path: Path) -> None:
    assert json.loads(kiosk(tmp_path, "status", "--json").stdout) == {"in_service": True}
    done = kiosk(tmp_path, "out", "--message", "请到镇便民服务中心办理")
    assert done.returncode == 0, done.stderr
    state = out_of_service(tmp_path)
    assert state is not None and state.by == "operator" and state.message == "请到镇便民服务中心办理"
    shown = json.loads(kiosk(tmp_path, "status", "--json").stdout)
    assert shown["in_service"] is False and shown["reason"] == "maintenance"
    assert "out of service since" in kiosk(tmp_path, "status").stdout
    assert kiosk(tmp_path, "back").stdout.strip() == "back in service"
    assert out_of_service(tmp_path) is None
    assert kiosk(tmp_path, "back").stdout.strip() == "it was in service already"


def test_a_message_too_long_changes_nothing(tmp_path: Path) -> None:
    done = kiosk(tmp_path, "out", "--message", "很" * 201)
    assert done.returncode == 2 and "200 characters" in done.stderr and "Traceback" not in done.stderr
    assert out_of_service(tmp_path) is None
