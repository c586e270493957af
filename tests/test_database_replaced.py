"""A database the terminal had used, replaced by an empty, missing or other file, is noticed and said plainly
(at start, in the log, in ``kiosk database check``) until an operator acknowledges it, instead of the terminal
behaving like a new one."""

from __future__ import annotations

import json
import shutil

from kiosk.services.terminal import Terminal
from kiosk.store.database_marker import MARKER_FILE
from tests.test_database_damage import used_database
from tests.test_sync_cli import kiosk


def test_a_new_terminal_has_nothing_to_say(settings):
    with Terminal.open(settings) as terminal:
        assert terminal.database.replacement is None
    with Terminal.open(settings) as terminal:
        assert terminal.database.replacement is None
    marker = json.loads((settings.data_dir / MARKER_FILE).read_text(encoding="utf-8"))
    assert marker["outbox"] == {"pending": 0, "rejected": 0, "last_id": 0}


def test_a_database_truncated_to_zero_bytes_is_noticed_with_what_it_held(settings, tmp_path):
    path = used_database(settings, tmp_path)
    path.write_bytes(b"")
    with Terminal.open(settings) as terminal:
        replaced = terminal.database.replacement
        assert replaced is not None and replaced.how == "empty"
        assert replaced.previous_outbox is not None and replaced.previous_outbox.pending == 2
        assert "被清空（0 字节）" in replaced.plain and "2 条待上传记录" in replaced.plain
        assert "kiosk database acknowledge" in replaced.plain
    # Said at every start until acknowledged, not only the first time.
    with Terminal.open(settings) as terminal:
        assert terminal.database.replacement == replaced


def test_a_missing_database_is_noticed(settings, tmp_path):
    path = used_database(settings, tmp_path)
    path.unlink()
    with Terminal.open(settings) as terminal:
        replaced = terminal.database.replacement
        assert replaced is not None and replaced.how == "missing"
        assert "数据库文件不见了" in replaced.plain


def test_another_terminals_database_put_in_place_is_noticed(settings, tmp_path):
    path = used_database(settings, tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    with Terminal.open(settings.__class__(**{**settings.__dict__, "data_dir": other})):
        pass
    shutil.copy(other / "kiosk.db", path)
    with Terminal.open(settings) as terminal:
        replaced = terminal.database.replacement
        assert replaced is not None and replaced.how == "other"
        assert "现在打开的是另一个数据库" in replaced.plain


def test_check_says_so_and_acknowledge_clears_it(settings, tmp_path):
    path = used_database(settings, tmp_path)
    path.write_bytes(b"")
    with Terminal.open(settings):
        pass
    result = kiosk(settings.data_dir, "database", "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "本机数据库已被替换" in result.stderr
    result = kiosk(settings.data_dir, "database", "acknowledge")
    assert result.returncode == 0 and "已确认" in result.stdout
    with Terminal.open(settings) as terminal:
        assert terminal.database.replacement is None
    result = kiosk(settings.data_dir, "database", "check")
    assert result.returncode == 0, result.stderr
    assert "check: ok" in result.stdout


def test_a_marker_that_is_not_readable_is_written_anew(settings, tmp_path):
    used_database(settings, tmp_path)
    (settings.data_dir / MARKER_FILE).write_text("[" * 100_000, encoding="utf-8")
    with Terminal.open(settings) as terminal:
        assert terminal.database.replacement is None
    assert json.loads((settings.data_dir / MARKER_FILE).read_text(encoding="utf-8"))["database_id"]


def test_sync_status_says_the_database_was_replaced(settings, tmp_path):
    from tests.test_database_damage import enrolled

    path = used_database(settings, tmp_path)
    enrolled(settings.data_dir, tmp_path)
    path.write_bytes(b"")
    result = kiosk(settings.data_dir, "sync", "status")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "本机数据库已被替换" in result.stdout and "2 条待上传记录" in result.stdout
    result = kiosk(settings.data_dir, "sync", "status", "--json")
    assert "被清空（0 字节）" in json.loads(result.stdout)["database_replaced"]
