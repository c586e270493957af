"""The terminal's devices as its settings configure them, and ``kiosk device list``, against real simulators:
a SAM module on a pseudo-terminal, a network ESC/POS printer on 127.0.0.1, PDF files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from drivers.base import Health
from drivers.printer.simulator import EscPosSimulator
from kiosk.config import Settings
from kiosk.services.devices import Devices, configured


def _by_role(reports):  # type: ignore[no-untyped-def]
    return {report.entry.role: report for report in reports}


def test_configured_roles_follow_the_settings(settings: Settings) -> None:
    roles = [entry.role for entry in configured(settings)]
    assert roles == ["id_card", "ss_card", "a4", "ticket", "scanner"]
    quiet = replace(settings, sscard_driver="none", ticket_printer="none", scanner="none")
    assert [entry.role for entry in configured(quiet)] == ["id_card", "a4"]


def test_every_simulated_device_reports_ok(settings: Settings) -> None:
    devices = Devices(replace(settings, idcard_driver="simulator", sscard_driver="none"))
    try:
        reports = _by_role(devices.check(timeout=10))
    finally:
        devices.close()
    assert set(reports) == {"id_card", "a4", "ticket", "scanner"}
    for role, report in reports.items():
        assert report.status.health is Health.OK, (role, report.status)
    assert reports["a4"].entry.target == str(settings.data_dir / "printed")


def test_a_missing_reader_and_an_empty_printer_are_reported_plainly(
    settings: Settings, tmp_path: Path
) -> None:
    with EscPosSimulator(state="paper_out") as printer:
        devices = Devices(
            replace(
                settings,
                idcard_port=str(tmp_path / "no-such-port"),
                sscard_driver="none",
                ticket_printer="network",
                ticket_target=f"127.0.0.1:{printer.port}",
                scanner="serial",
                scanner_port=str(tmp_path / "no-scanner"),
            )
        )
        try:
            reports = _by_role(devices.check(timeout=10))
        finally:
            devices.close()
    card = reports["id_card"].status
    assert (card.health, card.code) == (Health.OFFLINE, "port")
    assert "读卡器" in card.message
    assert reports["ticket"].status.health is Health.PAPER_OUT
    assert "缺纸" in reports["ticket"].status.message
    assert reports["scanner"].status.health is Health.OFFLINE
    assert "扫码器" in reports["scanner"].status.message


def _kiosk(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIOSK_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_device_list_command(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ok = _kiosk(
        "--idcard-driver", "simulator", "--sscard-driver", "none", "device", "list", "--json", data_dir=data
    )
    assert ok.returncode == 0, ok.stderr
    listed = json.loads(ok.stdout)
    assert [d["role"] for d in listed] == ["id_card", "a4", "ticket", "scanner"]
    assert all(d["health"] == "ok" and d["usable"] for d in listed)

    offline = _kiosk(
        "--idcard-port", str(tmp_path / "nothing"), "--sscard-driver", "none", "device", "list", data_dir=data
    )
    assert offline.returncode == 1
    assert "身份证读卡器" in offline.stdout and "offline" in offline.stdout
    assert "Traceback" not in offline.stderr


@pytest.mark.parametrize("setting", ["--a4-printer", "--ticket-printer"])
def test_a_role_set_to_none_is_not_listed(tmp_path: Path, setting: str) -> None:
    result = _kiosk(
        "--idcard-driver",
        "none",
        "--sscard-driver",
        "none",
        setting,
        "none",
        "device",
        "list",
        "--json",
        data_dir=tmp_path / "data",
    )
    assert result.returncode == 0, result.stderr
    roles = [d["role"] for d in json.loads(result.stdout)]
    assert ("a4" if setting == "--a4-printer" else "ticket") not in roles
