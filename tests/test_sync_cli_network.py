"""``kiosk enroll`` and ``kiosk sync once`` as real processes over a flaky or hostile line (the fault proxy in front
of the real center on 127.0.0.1): enrolment keeps trying with backoff and says what to check when it gives up,
refused credentials end it at once, and neither command waits longer than its deadline, reads a huge answer
whole, or shows a traceback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import center_support, fault_proxy
from tests.fault_proxy import Fault

center_server = center_support.center_server
proxy = fault_proxy.fault_proxy

KIOSK = Path(sys.executable).parent / "kiosk"
HEARTBEAT = "POST /api/v1/heartbeat"


def kiosk(data: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    return subprocess.run(
        [str(KIOSK), "--data-dir", str(data), *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def enroll(
    data: Path, url: str, terminal_id: str, secret_hex: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    secret = data.parent / "secret.txt"
    secret.write_text(secret_hex, encoding="utf-8")
    return kiosk(
        data, "enroll", "--center", url, "--terminal-id", terminal_id, "--secret-file", str(secret), *extra
    )


def last_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("kiosk: ") for line in lines), result.stderr
    return lines[-1]


def nothing_stored(data: Path) -> bool:
    return not (data / "kiosk.toml").exists() and not (data / "secrets" / "terminal-secret").exists()


def test_enrolment_through_a_flaky_line_retries_with_progress_and_succeeds(center_server, proxy, tmp_path):
    terminal_id, secret_hex = center_server.add_terminal("village")
    proxy.plan(["drop_before", Fault("status", 503), "drop_after"], only=HEARTBEAT)
    data = tmp_path / "data"
    result = enroll(data, proxy.url, terminal_id, secret_hex, "--retry-for", "60", "--timeout", "5")
    assert result.returncode == 0, result.stderr
    assert f"enrolled as {terminal_id}" in result.stdout
    progress = result.stderr.strip().splitlines()
    assert [line.split(":")[1].strip() for line in progress] == ["attempt 1", "attempt 2", "attempt 3"]
    assert "the center answered 503" in progress[1] and "trying again in" in progress[0]
    assert (data / "secrets" / "terminal-secret").exists()
    assert len([e for e in proxy.exchanges if e.path == "/api/v1/heartbeat"]) == 4


def test_enrolment_gives_up_after_its_time_and_says_what_to_check(tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = tmp_path / "data"
    started = time.monotonic()
    result = enroll(data, f"http://127.0.0.1:{port}", "T-offline1", "ab" * 32, "--retry-for", "3")
    assert time.monotonic() - started < 30
    line = last_line(result, 1)
    assert "could not check the enrolment with the center at" in line
    assert "no connection (connection refused)" in line
    for what in (
        "Check the URL",
        "network",
        "that the center is running",
        "--no-check",
        "Nothing was stored",
    ):
        assert what in line
    assert len(result.stderr.strip().splitlines()) >= 2  # progress was shown while it tried
    assert nothing_stored(data)


def test_a_wrong_secret_is_not_retried(center_server, proxy, tmp_path):
    terminal_id, _ = center_server.add_terminal("village")
    data = tmp_path / "data"
    result = enroll(data, proxy.url, terminal_id, "cd" * 32, "--retry-for", "60")
    line = last_line(result, 1)
    assert len(result.stderr.strip().splitlines()) == 1  # no retries
    assert "refused these credentials (401)" in line and "the terminal id and the secret file" in line
    assert "the center's clock" in line
    assert [e.upstream_status for e in proxy.exchanges] == [401]
    assert nothing_stored(data)


@pytest.mark.parametrize(
    ("fault", "said"),
    [
        (Fault("trickle", delay_s=0.25), "timed out: no complete answer within 1 s"),
        (Fault("deep", size=200_000), "The answers were not the center's"),
        (Fault("header", value="nan"), None),  # a NaN clock is ignored: enrolment succeeds
    ],
    ids=["trickle", "nested-200000", "nan-time"],
)
def test_enrolment_against_a_hostile_center_ends_in_time_without_a_traceback(
    center_server, proxy, tmp_path, fault, said
):
    terminal_id, secret_hex = center_server.add_terminal("village")
    proxy.set(fault)
    data = tmp_path / "data"
    started = time.monotonic()
    result = enroll(data, proxy.url, terminal_id, secret_hex, "--retry-for", "2", "--timeout", "1")
    assert time.monotonic() - started < 30
    if said is None:
        assert result.returncode == 0, result.stderr
        return
    assert said in last_line(result, 1)
    assert nothing_stored(data)


@pytest.fixture
def enrolled(center_server, proxy, tmp_path) -> Path:
    terminal_id, secret_hex = center_server.add_terminal("village")
    data = tmp_path / "data"
    assert enroll(data, proxy.url, terminal_id, secret_hex, "--no-check").returncode == 0
    assert kiosk(data, "dev", "fill-outbox", "3").returncode == 0
    return data


def test_sync_once_ends_at_its_deadline_with_a_plain_message_and_recovers(enrolled, proxy, center_server):
    proxy.set(Fault("trickle", delay_s=0.25))
    started = time.monotonic()
    result = kiosk(enrolled, "sync", "once", "--timeout", "2")
    assert time.monotonic() - started < 30
    line = last_line(result, 1)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "中心响应超时" in line and "no complete answer within 2 s" in line
    proxy.passthrough()
    report = json.loads(kiosk(enrolled, "sync", "once", "--json").stdout)
    assert report["ok"] and report["acknowledged"] == 3


# The child reports its own peak (VmHWM of its own memory map): what a parent measures of a child (wait4's
# ru_maxrss) also counts the parent's memory at the fork, which a long test run makes large.
_PEAK_REPORTER = """
import atexit, sys
from kiosk.cli.main import main
def report():
    with open(sys.argv[1], "w") as out, open("/proc/self/status") as status:
        out.write(next(line for line in status if line.startswith("VmHWM:")))
atexit.register(report)
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from /proc")
def test_sync_once_does_not_read_a_huge_answer_whole(enrolled, proxy, tmp_path):
    proxy.set(Fault("huge", size=300 * 1024 * 1024), only="GET /api/v1/feeds/catalog")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    peak_file = tmp_path / "peak.txt"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _PEAK_REPORTER,
            str(peak_file),
            "--data-dir",
            str(enrolled),
            "sync",
            "once",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    report = json.loads(result.stdout)
    assert result.returncode == 1 and not report["ok"]
    assert "larger than the 33554432 bytes" in report["reason"]
    assert report["acknowledged"] == 3  # the other feeds, the push and the heartbeat went on
    peak_mb = int(peak_file.read_text().split()[1]) / 1024  # "VmHWM:   86016 kB"
    assert peak_mb < 250, f"{peak_mb:.0f} MB resident"  # a 32 MB answer limit, not 300 MB read whole
