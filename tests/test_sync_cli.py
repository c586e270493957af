"""``kiosk enroll``, ``kiosk sync``, ``kiosk outbox`` and ``kiosk dev`` as an operator runs them: real processes
against the real reference center on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests import center_support
from tests.conftest import catalog_document

center_server = center_support.center_server

KIOSK = Path(sys.executable).parent / "kiosk"


def kiosk(
    data_dir: Path, *args: str, stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    return subprocess.run(
        [str(KIOSK), "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        input=stdin,
    )


def one_line_error(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kiosk: "), result.stderr
    return lines[0]


def secret_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def test_enroll_then_sync_from_the_command_line(center_server, tmp_path):
    data = tmp_path / "data"
    terminal_id, secret_hex = center_server.add_terminal("village-01")
    center_server.publish_catalog(catalog_document())
    outputs: list[str] = []

    def run(*args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        result = kiosk(data, *args)
        outputs.append(result.stdout + result.stderr)
        assert result.returncode == code, result.stdout + result.stderr
        return result

    enrolled = run(
        "enroll",
        "--center",
        center_server.url,
        "--terminal-id",
        terminal_id,
        "--secret-file",
        str(secret_file(tmp_path, secret_hex + "\n")),
    )
    assert f"enrolled as {terminal_id}" in enrolled.stdout
    if sys.platform != "win32":
        secrets = data / "secrets"
        assert stat.S_IMODE(secrets.stat().st_mode) == 0o700
        assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in secrets.iterdir())
    config = (data / "kiosk.toml").read_text(encoding="utf-8")
    assert center_server.url in config and terminal_id in config and "standard" in config

    assert "wrote 30 sealed event records" in run("dev", "fill-outbox", "30", "--personal").stdout
    stats = json.loads(run("outbox", "stats", "--json").stdout)
    assert stats["backlog"] == 30 and stats["by_kind"] == {"event": 30}

    report = json.loads(run("sync", "once", "--json").stdout)
    assert report["ok"] and report["acknowledged"] == 30 and report["pulled"]["catalog"] == 12
    assert len(center_server.records()) == 30
    assert "社保卡" in run("catalog", "search", "sbk").stdout

    status = json.loads(run("sync", "status", "--json").stdout)
    assert status["backlog"] == 0 and status["last_success_at"] and status["last_error"] is None
    assert set(status["cursors"]) == {"catalog", "form_templates", "notices", "settings"}
    assert "backlog: 0" in run("sync", "status").stdout
    assert status["center_key_id"]  # pinned at enrolment
    assert f"center command key: {status['center_key_id']}" in run("sync", "status").stdout
    assert "acknowledged" in run("sync", "once").stdout

    help_texts = [run("--help").stdout, run("enroll", "--help").stdout, run("sync", "once", "--help").stdout]
    logs = "".join(p.read_text(encoding="utf-8") for p in (data / "logs").glob("*"))
    for text in [*outputs, *help_texts, config, logs]:
        assert secret_hex not in text and secret_hex.upper() not in text


def test_a_guomi_terminal_enrolls_from_standard_input(center_server, tmp_path):
    data = tmp_path / "data"
    terminal_id, secret_hex = center_server.add_terminal("hall-02", sm3=True)
    result = kiosk(
        data,
        "enroll",
        "--center",
        center_server.url,
        "--terminal-id",
        terminal_id,
        "--secret-file",
        "-",
        "--sm3",
        stdin=secret_hex,
    )
    assert result.returncode == 0, result.stderr
    assert "HMAC-SM3" in result.stdout
    assert 'crypto_suite = "guomi"' in (data / "kiosk.toml").read_text(encoding="utf-8")
    result = kiosk(data, "sync", "once")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not a secret", "64 hexadecimal characters"),
        ("ab" * 31, "64 hexadecimal characters"),
        ("zz" * 32, "64 hexadecimal characters"),
        (None, "cannot be read"),
    ],
    ids=["words", "short", "not-hex", "missing"],
)
def test_a_bad_secret_file_is_refused(tmp_path, content, message):
    path = secret_file(tmp_path, content) if content is not None else tmp_path / "nowhere.txt"
    result = kiosk(
        tmp_path / "data",
        "enroll",
        "--center",
        "https://center.example",
        "--terminal-id",
        "T-1",
        "--secret-file",
        str(path),
        "--no-check",
    )
    assert message in one_line_error(result, 2)
    assert not (tmp_path / "data" / "secrets").exists()


def test_credentials_the_center_refuses_are_not_stored(center_server, tmp_path):
    terminal_id, _ = center_server.add_terminal("t")
    data = tmp_path / "data"
    result = kiosk(
        data,
        "enroll",
        "--center",
        center_server.url,
        "--terminal-id",
        terminal_id,
        "--secret-file",
        str(secret_file(tmp_path, "ab" * 32)),
    )
    assert "401" in one_line_error(result, 1)
    assert not (data / "kiosk.toml").exists() and not (data / "secrets" / "terminal-secret").exists()


def test_sync_needs_enrollment_and_reports_an_outage_in_one_line(tmp_path):
    data = tmp_path / "data"
    for action in ("once", "status"):
        assert "run kiosk enroll first" in one_line_error(kiosk(data, "sync", action), 2)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = kiosk(
        data,
        "enroll",
        "--center",
        f"http://127.0.0.1:{port}",
        "--terminal-id",
        "T-offline1",
        "--secret-file",
        str(secret_file(tmp_path, "cd" * 32)),
        "--no-check",
    )
    assert result.returncode == 0, result.stderr
    assert "kiosk dev" not in result.stdout
    kiosk(data, "dev", "fill-outbox", "3")
    line = one_line_error(kiosk(data, "sync", "once"), 1)
    assert "暂时连不上中心" in line
    status = json.loads(kiosk(data, "sync", "status", "--json").stdout)
    assert status["backlog"] == 3 and status["last_success_at"] is None and status["last_error"]


def test_plain_http_to_a_remote_center_is_refused(tmp_path):
    result = kiosk(
        tmp_path / "data",
        "enroll",
        "--center",
        "http://center.example.gov.cn",
        "--terminal-id",
        "T-1",
        "--secret-file",
        str(secret_file(tmp_path, "ab" * 32)),
        "--no-check",
    )
    assert "use https" in one_line_error(result, 2)


def test_the_sync_benchmark_runs_small(tmp_path):
    result = kiosk(
        tmp_path / "data",
        "bench",
        "sync",
        "--records",
        "40",
        "--items",
        "120",
        "--repeat",
        "1",
        "--json",
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout)
    assert figures["pulled_items"] == 120 and figures["delta_items"] == 100
    for key in ("drain_records_per_s", "raw_records_per_s", "ratio", "pull_s", "delta_s", "max_rss_mb"):
        assert figures[key] > 0
