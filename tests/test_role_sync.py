"""Every role reaches the center it is enrolled with: the hall's counter PC and rating pad too send their
heartbeat once their window is up (so operations see them and their commands reach them), not only the kiosk."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from kiosk.protocol import secret_from_hex
from kiosk.store.keystore import Keystore
from tests import center_support

center_server = center_support.center_server


@pytest.mark.parametrize("role", ["counter", "rating"])
def test_a_hall_role_enrolled_with_the_center_sends_its_heartbeat(center_server, tmp_path, role) -> None:
    terminal_id, secret_hex = center_server.add_terminal(f"{role}-pc")
    data = tmp_path / "data"
    data.mkdir()
    (data / "kiosk.toml").write_text(
        f'role = "{role}"\nterminal_id = "{terminal_id}"\ncenter_url = "{center_server.url}"\n'
        'idcard_driver = "none"\nsscard_driver = "none"\nticket_printer = "none"\nscanner = "none"\n',
        encoding="utf-8",
    )
    Keystore.for_data_dir(data).store_secret(secret_from_hex(secret_hex))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_VOICE_PROMPTS": "false"}
    child = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data), "run", "--windowed"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        beat = None
        while time.monotonic() < deadline and beat is None:
            assert child.poll() is None, f"the {role} window ended with {child.returncode}"
            found = center_server._admin.terminal(terminal_id)
            beat = found.last_heartbeat if found is not None else None
            time.sleep(0.3)
        assert beat is not None, f"no heartbeat from the {role} within 60 s"
        assert beat["role"] == role
    finally:
        child.terminate()
        child.wait(15)
