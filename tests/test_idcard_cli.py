"""``kiosk idcard`` as a person runs it: real processes, the simulator on a real pty, output on stdout/stderr."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from drivers.idcard.cards import SAMPLES, card_document

KIOSK = Path(sys.executable).parent / "kiosk"
ELDER = SAMPLES["elder"]


def kiosk(tmp_path: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    return subprocess.run(
        [str(KIOSK), "--data-dir", str(tmp_path / "data"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kiosk: "), result.stderr
    return lines[0]


@pytest.fixture
def simulate(tmp_path):
    """Start ``kiosk idcard simulate`` with the given arguments; returns its port. Stopped with SIGTERM after."""
    processes: list[subprocess.Popen[str]] = []

    def start(*args: str) -> str:
        proc = subprocess.Popen(
            [str(KIOSK), "--data-dir", str(tmp_path / "sim-data"), "idcard", "simulate", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        processes.append(proc)
        ready, _, _ = select.select([proc.stdout], [], [], 30)
        assert ready, "the simulator printed no port"
        port = proc.stdout.readline().strip()
        assert port.startswith("/dev/"), port + proc.stderr.read()
        return port

    yield start
    for proc in processes:
        proc.send_signal(signal.SIGTERM)
        try:
            assert proc.wait(timeout=15) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()


def test_read_simulator_json_is_masked(tmp_path):
    result = kiosk(tmp_path, "idcard", "read", "--driver", "simulator", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["driver"] == "simulator" and data["card_type"] == "resident"
    assert data["name"] == "陈*英" and data["id_number"] == "441************621"
    assert data["valid"] == "yes" and data["photo_bytes"] == 1024
    assert ELDER.name not in result.stdout and ELDER.id_number not in result.stdout


def test_read_simulator_text_and_unmasked(tmp_path):
    result = kiosk(tmp_path, "idcard", "read", "--driver", "simulator", "--card", "hmt")
    assert result.returncode == 0, result.stderr
    assert "港澳台居民居住证" in result.stdout and "张*明" in result.stdout
    assert SAMPLES["hmt"].id_number not in result.stdout
    full = kiosk(tmp_path, "idcard", "read", "--driver", "simulator", "--card", "hmt", "--unmasked", "--json")
    data = json.loads(full.stdout)
    assert (
        data["name"] == "张家明" and data["pass_number"] == "H60123456" and data["valid_to"] == "2028-03-01"
    )


def test_read_a_card_file_and_flag_a_bad_number(tmp_path):
    document = card_document(SAMPLES["bad-check"])
    document["name"] = "吴丽芳"
    path = tmp_path / "card.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = kiosk(tmp_path, "idcard", "read", "--driver", "simulator", "--card", str(path), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["name"] == "吴*芳" and data["valid"] == "no: 校验码不符"


def test_bad_card_file_and_bad_options(tmp_path):
    path = tmp_path / "card.json"
    path.write_text("{", encoding="utf-8")
    line = assert_one_line_error(
        kiosk(tmp_path, "idcard", "read", "--driver", "simulator", "--card", str(path)), 2
    )
    assert "JSON" in line
    line = assert_one_line_error(
        kiosk(tmp_path, "idcard", "read", "--driver", "sam-serial", "--card", "elder"), 2
    )
    assert "--driver simulator" in line
    line = assert_one_line_error(kiosk(tmp_path, "idcard", "simulate", "--faults", "smoke"), 2)
    assert "smoke" in line
    line = assert_one_line_error(kiosk(tmp_path, "--idcard-driver", "none", "idcard", "read"), 2)
    assert "none" in line


def test_missing_serial_port_is_one_clear_line(tmp_path):
    port = tmp_path / "ttyUSB7"
    line = assert_one_line_error(
        kiosk(tmp_path, "idcard", "read", "--driver", "sam-serial", "--port", str(port))
    )
    assert "读卡器未连接" in line and "(port)" in line
    # The default driver and port come from the settings.
    result = kiosk(tmp_path, "--idcard-port", str(port), "idcard", "read")
    assert "读卡器未连接" in assert_one_line_error(result)


def test_simulate_then_read_through_the_real_serial_driver(tmp_path, simulate):
    port = simulate("--card", "foreign")
    result = kiosk(
        tmp_path, "idcard", "read", "--driver", "sam-serial", "--port", port, "--json", "--unmasked"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (
        data["card_type"] == "foreign_permanent" and data["english_name"] == SAMPLES["foreign"].english_name
    )
    # The same port set in the settings, a second read on the same simulator.
    again = kiosk(
        tmp_path, "--idcard-port", port, "--idcard-driver", "sam-serial", "idcard", "read", "--json"
    )
    assert again.returncode == 0 and json.loads(again.stdout)["name"] == "马*亚"


def test_simulated_faults_reach_the_reader_as_clear_errors(tmp_path, simulate):
    port = simulate("--faults", "sam-fault")
    line = assert_one_line_error(kiosk(tmp_path, "idcard", "read", "--driver", "sam-serial", "--port", port))
    assert "读卡器故障" in line and "(sam_fault)" in line
    port = simulate("--faults", "no-card")
    args = ("idcard", "read", "--driver", "sam-serial", "--port", port, "--timeout", "0.5")
    line = assert_one_line_error(kiosk(tmp_path, *args))
    assert "(no_card)" in line
    port = simulate("--faults", "garbage,slow", "--slow-delay", "0.05")
    assert kiosk(tmp_path, "idcard", "read", "--driver", "sam-serial", "--port", port).returncode == 0


def test_bench_idcard_runs(tmp_path):
    result = kiosk(tmp_path, "bench", "idcard", "--reads", "2", "--placements", "2", "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["bytes_per_read"] == 10 + 15 + 10 + 19 + 10 + 1295
    assert figures["reads"] == 2 and figures["ratio"] > 0  # figures are reported, never judged here
    assert figures["placements"] == 2
    for noticing in ("noticed_placed", "placed_to_read", "noticed_removed"):
        assert figures[noticing]["n"] == 2 and figures[noticing]["p50_ms"] > 0
