"""``kiosk center`` in real processes: terminals, publishing, serving, the operator's views, and secret hygiene."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kiosk.cli.main import main
from tests.center_support import CenterDb, KioskAuth, new_center_db
from tests.conftest import catalog_document, make_item

ROOT = Path(__file__).resolve().parents[1]
KIOSK = [sys.executable, "-m", "kiosk"]


# With --center-db=postgresql the commands find the database through the center_db and center_key_file
# settings (KIOSK_CENTER_DB, KIOSK_CENTER_KEY_FILE), as an operator may set them instead of --db and --key-file.
_BACKEND_SETTINGS = ("KIOSK_CENTER_DB", "KIOSK_CENTER_KEY_FILE")


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_") or k in _BACKEND_SETTINGS}


@pytest.fixture(autouse=True)
def backend(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CenterDb:
    db = new_center_db(request, tmp_path / "center")
    if db.key_path is not None:
        monkeypatch.setenv("KIOSK_CENTER_DB", db.target)
        monkeypatch.setenv("KIOSK_CENTER_KEY_FILE", str(db.key_path))
    return db


@pytest.fixture
def db_args(backend: CenterDb) -> list[str]:
    """``--db`` for a command on the test's database; nothing with PostgreSQL (the settings name it)."""
    return [] if backend.key_path is not None else ["--db", backend.target]


def kiosk(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KIOSK, "--data-dir", str(data_dir), "center", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=_env(),
    )


class Served:
    def __init__(self, process: subprocess.Popen[str], url: str, first_line: str) -> None:
        self.process = process
        self.url = url
        self.first_line = first_line


@pytest.fixture
def served(tmp_path: Path, db_args: list[str]) -> Iterator[Served]:
    """``kiosk center serve --demo`` on a free port, stopped with SIGTERM afterwards."""
    process = subprocess.Popen(
        [*KIOSK, "--data-dir", str(tmp_path), "center", "serve", *db_args, "--port", "0", "--demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=_env(),
    )
    try:
        assert process.stdout is not None
        lines = []
        while True:
            line = process.stdout.readline()
            assert line, f"the center exited: {process.wait(10)}"
            lines.append(line)
            match = re.search(r"serving (http://127\.0\.0\.1:\d+)", line)
            if match:
                break
        url = match.group(1)
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(url + "/openapi.json", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.05)
        yield Served(process, url, "".join(lines))
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def test_terminal_add_prints_id_and_secret_once(tmp_path: Path, backend: CenterDb) -> None:
    added = kiosk(tmp_path, "terminal", "add", "清城区政务大厅 1号机", "--json")
    assert added.returncode == 0, added.stderr
    terminal = json.loads(added.stdout)
    assert re.fullmatch(r"T-[0-9a-f]{8}", terminal["terminal_id"])
    assert re.fullmatch(r"[0-9a-f]{64}", terminal["secret"])
    assert terminal["algorithm"] == "HMAC-SHA256"
    if backend.backend == "sqlite":
        assert (tmp_path / "center.db").exists()  # the default database lives in the data directory
    sm3 = kiosk(tmp_path, "terminal", "add", "村委会", "--sm3")
    assert sm3.returncode == 0 and "HMAC-SM3" in sm3.stdout and "secret:" in sm3.stdout
    listed = kiosk(tmp_path, "terminal", "list", "--json")
    assert listed.returncode == 0
    rows = json.loads(listed.stdout)
    assert [row["name"] for row in rows] == ["清城区政务大厅 1号机", "村委会"]
    assert terminal["secret"] not in listed.stdout


def test_serve_sync_and_operator_views(tmp_path: Path, served: Served, db_args: list[str]) -> None:
    assert "demo catalog: 5200 published" in served.first_line
    added = kiosk(tmp_path, "terminal", "add", "kiosk-1", "--json", *db_args)
    terminal = json.loads(added.stdout)
    auth = KioskAuth(terminal["terminal_id"], terminal["secret"])
    session = requests.Session()
    session.auth = auth

    page = session.get(served.url + "/api/v1/feeds/catalog", params={"limit": 10}, timeout=10).json()
    assert len(page["entries"]) == 10 and page["has_more"] is True
    notices = session.get(served.url + "/api/v1/feeds/notices", timeout=10).json()
    assert len(notices["entries"]) == 2
    settings = session.get(served.url + "/api/v1/feeds/settings", timeout=10).json()
    assert {e["key"] for e in settings["entries"]} >= {"idle_timeout_s"}

    record = {
        "idempotency_key": f"{terminal['terminal_id']}:01JDX9AAAA",
        "kind": "rating",
        "created_at": "2026-11-22T08:30:00+08:00",
        "body": {"score": 4},
    }
    pushed = session.post(served.url + "/api/v1/records", json={"records": [record]}, timeout=10)
    assert pushed.json()["results"][0]["status"] == 201
    beat = {
        "version": "0.2.0",
        "role": "kiosk",
        "devices": [
            {"role": "id_card", "backend": "sam-serial", "health": "ok", "code": ""},
            {"role": "ticket_printer", "backend": "usb", "health": "paper_out", "code": "paper_out"},
        ],
        "outbox_backlog": 12,
        "outbox_oldest_age_s": 340.5,
        "last_sync_at": "2026-11-22T08:29:00+08:00",
        "free_disk_bytes": 51234567890,
    }
    assert session.post(served.url + "/api/v1/heartbeat", json=beat, timeout=10).status_code == 200
    # A refused request, so the log holds an authentication line too.
    wrong = KioskAuth(terminal["terminal_id"], "ab" * 32)
    assert requests.get(served.url + "/api/v1/feeds/notices", auth=wrong, timeout=10).status_code == 401

    rows = json.loads(kiosk(tmp_path, "terminal", "list", "--json", *db_args).stdout)
    (row,) = rows
    assert (row["version"], row["outbox_backlog"], row["outbox_oldest_age_s"]) == ("0.2.0", 12, 340.5)
    assert row["devices"] == "ticket_printer: paper_out"
    assert row["last_heartbeat_at"] is not None
    text = kiosk(tmp_path, "terminal", "list", *db_args).stdout
    assert "version 0.2.0" in text and "backlog 12" in text and "oldest 340 s" in text and "paper_out" in text

    records = json.loads(kiosk(tmp_path, "records", "--json", *db_args).stdout)
    assert [(r["idempotency_key"], r["kind"], r["terminal_id"]) for r in records] == [
        (record["idempotency_key"], "rating", terminal["terminal_id"])
    ]
    assert records[0]["record_id"] == pushed.json()["results"][0]["record_id"]
    listed = kiosk(tmp_path, "records", "--kind", "rating", *db_args).stdout
    assert record["idempotency_key"] in listed

    served.process.send_signal(signal.SIGTERM)
    out, err = served.process.communicate(timeout=15)
    log_text = (tmp_path / "center" / "center.log").read_text(encoding="utf-8")
    assert "bad signature" in log_text and terminal["terminal_id"] in log_text
    for text in (log_text, err, out, served.first_line):
        assert terminal["secret"] not in text
        assert terminal["secret"].upper() not in text


def test_publish_files(tmp_path: Path, db_args: list[str]) -> None:
    catalog = tmp_path / "catalog.json"
    document = catalog_document()
    catalog.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = kiosk(tmp_path, "publish", "catalog", str(catalog), *db_args, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["changed"] == len(document["items"])
    # A newer version and a tombstone change their keys; an older version is stale.
    update = {
        "format": "kiosk-catalog/1",
        "items": [
            make_item("RS-001", "社保卡补换卡（新）", version=2),
            {"code": "RS-002", "version": 2, "deleted": True},
            make_item("RS-003", "社保卡", version=0),
        ],
    }
    catalog.write_text(json.dumps(update, ensure_ascii=False), encoding="utf-8")
    result = kiosk(tmp_path, "publish", "catalog", str(catalog), *db_args)
    assert result.returncode == 0
    assert "2 published, 0 unchanged, 1 stale" in result.stdout

    # A catalog the terminals would refuse is not published at all.
    bad = {
        "format": "kiosk-catalog/1",
        "items": [make_item("RS-900", "新事项", version=1) | {"handling": {}}],
    }
    catalog.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    result = kiosk(tmp_path, "publish", "catalog", str(catalog), *db_args)
    assert result.returncode == 2 and "RS-900" in result.stderr

    notices = tmp_path / "notices.json"
    entry = {
        "key": "n1",
        "version": 1,
        "deleted": False,
        "data": {
            "title": "停电通知",
            "body": "周六停电",
            "level": "warning",
            "starts_at": "2026-11-22T08:00:00+08:00",
        },
    }
    notices.write_text(json.dumps({"entries": [entry]}, ensure_ascii=False), encoding="utf-8")
    result = kiosk(tmp_path, "publish", "notices", str(notices), *db_args)
    assert result.returncode == 0 and "1 published" in result.stdout
    entry["data"]["level"] = "panic"  # type: ignore[index]
    notices.write_text(json.dumps({"entries": [entry]}, ensure_ascii=False), encoding="utf-8")
    result = kiosk(tmp_path, "publish", "notices", str(notices), *db_args)
    assert result.returncode == 2 and "level" in result.stderr


def in_process(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    """The smaller commands run in this process (the subprocess tests above cover start-up and serving)."""
    code = main(["--data-dir", str(data_dir), "center", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_terminals_are_placed_in_a_region_and_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = in_process(
        capsys, tmp_path, "terminal", "add", "石牌", "--region", "广州市/天河区", "--json"
    )
    terminal_id = json.loads(out)["terminal_id"]
    listed = json.loads(in_process(capsys, tmp_path, "terminal", "list", "--json")[1])[0]
    assert (listed["region"], listed["unit"]) == ("广州市/天河区", "")
    code, out, _ = in_process(
        capsys, tmp_path, "terminal", "place", terminal_id, "--unit", "石牌街道党群服务中心"
    )
    assert code == 0 and "广州市/天河区" in out and "石牌街道党群服务中心" in out
    assert in_process(capsys, tmp_path, "terminal", "place", "T-nobody", "--unit", "x")[0] == 2
    code, _, err = in_process(capsys, tmp_path, "terminal", "place", terminal_id, "--region", "a\nb")
    assert code == 2 and "control characters" in err


def test_disable_enable_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = in_process(capsys, tmp_path, "terminal", "add", "k", "--json")
    terminal_id = json.loads(out)["terminal_id"]
    assert in_process(capsys, tmp_path, "terminal", "disable", terminal_id)[0] == 0
    code, out, _ = in_process(capsys, tmp_path, "terminal", "list")
    assert "[disabled]" in out and "no heartbeat yet" in out
    assert in_process(capsys, tmp_path, "terminal", "enable", terminal_id)[0] == 0
    assert json.loads(in_process(capsys, tmp_path, "terminal", "list", "--json")[1])[0]["enabled"] is True
    assert in_process(capsys, tmp_path, "terminal", "disable", "T-nobody")[0] == 2
    assert in_process(capsys, tmp_path, "terminal", "add", "   ")[0] == 2
    assert in_process(capsys, tmp_path, "records")[1].strip() == "no records"

    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"entries": [{"key": "idle_timeout_s", "version": 1}]}), encoding="utf-8")
    code, _, err = in_process(capsys, tmp_path, "publish", "settings", str(settings))
    assert code == 2 and "deleted" in err
    settings.write_text(json.dumps({"entries": [{"key": "x", "version": 1, "deleted": False, "data": {}}]}))
    code, _, err = in_process(capsys, tmp_path, "publish", "settings", str(settings))
    assert code == 2 and "value" in err
    settings.write_text("{not json", encoding="utf-8")
    assert in_process(capsys, tmp_path, "publish", "settings", str(settings))[0] == 2
    assert in_process(capsys, tmp_path, "publish", "settings", str(tmp_path / "missing.json"))[0] == 1
    entries = [{"key": "sync_interval_s", "version": 1, "deleted": False, "data": {"value": 120}}]
    settings.write_text(json.dumps(entries), encoding="utf-8")  # a bare list of entries is accepted too
    code, out, _ = in_process(capsys, tmp_path, "publish", "settings", str(settings), "--json")
    assert code == 0 and json.loads(out)["changed"] == 1


def test_publishing_form_templates_checks_them_as_terminals_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], backend: CenterDb
) -> None:
    from kiosk.center.demo import load_demo_forms

    template = load_demo_forms()[0]
    good = {
        "entries": [
            {"key": template["code"], "version": template["version"], "deleted": False, "data": template}
        ]
    }
    bad = json.loads(json.dumps(good))
    bad["entries"][0]["data"]["steps"][0]["fields"][0]["type"] = "colour"
    (tmp_path / "good.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "bad.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    db_args = [] if backend.key_path is not None else ["--db", str(tmp_path / "center.db")]

    assert main(["center", "publish", "form_templates", str(tmp_path / "bad.json"), *db_args]) == 2
    assert "steps[0].fields[0].type" in capsys.readouterr().err
    assert main(["center", "publish", "form_templates", str(tmp_path / "good.json"), *db_args]) == 0
    assert "1 published" in capsys.readouterr().out
