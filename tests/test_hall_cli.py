"""The commands scripts read (docs/hall.md): ``kiosk hall terminal add``, ``kiosk hall enroll``, ``kiosk queue take |
call | finish | tickets``, ``kiosk hall service list``; setting a hall up by command; plain messages, never a
traceback. Every command is the real program, run as a process, against ``kiosk hall serve`` on 127.0.0.1."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hall_support import HallProcess, running_hall


@pytest.fixture
def hall_process(tmp_path: Path) -> Iterator[HallProcess]:
    yield from running_hall(tmp_path)


def kiosk(*args: str, data: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    prefix = ["--data-dir", str(data)] if data is not None else []
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", *prefix, *args],
        capture_output=True, text=True, timeout=60, env=env, input=stdin,
    )  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    return done


def enrolled(hall: HallProcess, tmp_path: Path) -> Path:
    db = str(hall.db_path)
    added = kiosk("hall", "terminal", "add", "1号取号机", "--db", db, "--json")
    assert added.returncode == 0, added.stderr
    terminal = json.loads(added.stdout)
    assert set(terminal) >= {"terminal_id", "secret"}
    secret = tmp_path / "secret.txt"
    secret.write_text(terminal["secret"] + "\n", encoding="utf-8")
    data = tmp_path / "terminal"
    done = kiosk(
        "hall", "enroll", "--hall", hall.url, "--terminal-id", terminal["terminal_id"],
        "--secret-file", str(secret), data=data,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    config = (data / "kiosk.toml").read_text(encoding="utf-8")
    assert f'hall_url = "{hall.url}"' in config and terminal["terminal_id"] in config
    assert terminal["secret"] not in config
    kept = data / "secrets" / "hall-secret"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and kept.read_bytes().hex() == terminal["secret"]
    return data


def test_a_terminal_enrolled_with_the_hall_takes_calls_and_finishes_by_command(
    hall_process: HallProcess,
    tmp_path: Path,
) -> None:
    data = enrolled(hall_process, tmp_path)
    taken = kiosk("queue", "take", "--service", "ZH", "--json", data=data)
    assert taken.returncode == 0, taken.stderr
    ticket = json.loads(taken.stdout)
    assert (ticket["number"], ticket["service"], ticket["waiting_ahead"]) == ("A001", "ZH", 0) and ticket[
        "id"
    ]
    again = kiosk("queue", "take", "--service", "zh", "--request-id", "script-run-0001", "--json", data=data)
    same = kiosk("queue", "take", "--service", "zh", "--request-id", "script-run-0001", "--json", data=data)
    assert json.loads(again.stdout) == json.loads(same.stdout), "the same request id: the same ticket"
    assert json.loads(again.stdout)["waiting_ahead"] == 1

    refused = kiosk("queue", "take", "--service", "GA", data=data)
    assert refused.returncode == 1 and "实名" in refused.stderr and "card_required" in refused.stderr

    called = kiosk("queue", "call", "--counter", "1", "--json", data=data)
    assert called.returncode == 0 and json.loads(called.stdout)["number"] == "A001"
    finished = kiosk("queue", "finish", "--counter", "1", "--json", data=data)
    assert json.loads(finished.stdout)["state"] == "finished"
    assert (
        json.loads(kiosk("queue", "call", "--counter", "1", "--json", data=data).stdout)["number"] == "A002"
    )
    kiosk("queue", "finish", "--counter", "1", data=data)
    nobody = kiosk("queue", "call", "--counter", "1", "--json", data=data)
    assert (nobody.returncode, nobody.stdout.strip()) == (0, "null")
    listed = json.loads(kiosk("queue", "tickets", "--json", data=data).stdout)
    assert [(t["number"], t["service"], t["state"]) for t in listed] == [
        ("A001", "ZH", "finished"),
        ("A002", "ZH", "finished"),
    ]
    services = json.loads(
        kiosk("hall", "service", "list", "--db", str(hall_process.db_path), "--json").stdout
    )
    assert [s["code"] for s in services] == ["ZH", "SB", "BDC", "GA", "SW", "QY"]

    hall_process.stop()
    away = kiosk("queue", "take", "--service", "ZH", "--retry-for", "0.5", data=data)
    assert away.returncode == 1 and "暂时连不上排队服务" in away.stderr


def test_enrolment_refused_or_missing_is_said_plainly(hall_process: HallProcess, tmp_path: Path) -> None:
    terminal_id, _ = hall_process.add_terminal("kiosk")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("ab" * 32, encoding="utf-8")
    data = tmp_path / "terminal"
    refused = kiosk(
        "hall", "enroll", "--hall", hall_process.url, "--terminal-id", terminal_id, "--secret-file", str(wrong),
        data=data,
    )  # fmt: skip
    assert refused.returncode == 1 and "401" in refused.stderr and "Nothing was stored" in refused.stderr
    assert not (data / "secrets" / "hall-secret").exists()
    missing = kiosk("queue", "take", "--service", "ZH", data=data)
    assert missing.returncode == 2 and "kiosk hall enroll" in missing.stderr
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("not a secret", encoding="utf-8")
    bad = kiosk(
        "hall",
        "enroll",
        "--hall",
        hall_process.url,
        "--terminal-id",
        terminal_id,
        "--secret-file",
        str(garbage),
    )
    assert bad.returncode == 2 and "64 hexadecimal" in bad.stderr


def test_setting_up_a_hall_by_command(tmp_path: Path) -> None:
    db = str(tmp_path / "hall.db")
    assert (
        kiosk("hall", "service", "add", "ZH", "--prefix", "A", "--name", "综合受理", "--db", db).returncode
        == 0
    )
    added = kiosk(
        "hall", "service", "add", "GA", "--prefix", "D", "--name", "公安户政", "--numbers", "1-500", "--cap", "300",
        "--hours", "08:30-17:30", "--real-name", "--db", db, "--json",
    )  # fmt: skip
    assert json.loads(added.stdout) == {
        "code": "GA", "prefix": "D", "name": "公安户政", "numbers": "1-500", "daily_cap": 300,
        "hours": "08:30-17:30", "real_name": True,
    }  # fmt: skip
    taken = kiosk("hall", "service", "add", "SB", "--prefix", "a", "--name", "社保医保", "--db", db)
    assert taken.returncode == 2 and "ZH" in taken.stderr
    assert (
        kiosk(
            "hall", "service", "add", "X", "--prefix", "X", "--name", "x", "--hours", "9-5", "--db", db
        ).returncode
        == 2
    )
    counter = kiosk(
        "hall", "counter", "add", "1", "--name", "1号窗口", "--services", "ZH:3,GA", "--db", db, "--json"
    )
    assert json.loads(counter.stdout)["services"] == [
        {"service": "GA", "weight": 1},
        {"service": "ZH", "weight": 3},
    ]
    unknown = kiosk("hall", "counter", "add", "2", "--name", "2号窗口", "--services", "NOPE", "--db", db)
    assert unknown.returncode == 2 and "NOPE" in unknown.stderr
    heavy = kiosk("hall", "counter", "add", "2", "--name", "2号窗口", "--services", "ZH:11", "--db", db)
    assert heavy.returncode == 2 and "weight" in heavy.stderr
    assert (
        kiosk(
            "hall", "staff", "add", "1001", "--name", "王丽", "--pin-file", "-", "--db", db, stdin="246810\n"
        ).returncode
        == 0
    )
    assert "246810" not in (tmp_path / "hall.db").read_bytes().decode("latin-1")
    assert json.loads(kiosk("hall", "staff", "list", "--db", db, "--json").stdout) == [
        {"staff_no": "1001", "name": "王丽", "counter": None, "photo": False}
    ]
    assert kiosk("hall", "config", "set", "green_age", "65", "--db", db).returncode == 0
    assert json.loads(kiosk("hall", "config", "show", "--db", db, "--json").stdout)["green_age"] == 65
    wrong = kiosk("hall", "config", "set", "reset_hour", "25", "--db", db)
    assert wrong.returncode == 2 and "0 to 23" in wrong.stderr
    listed = kiosk("hall", "counter", "list", "--db", db)
    assert "1号窗口" in listed.stdout and "ZH:3" in listed.stdout
