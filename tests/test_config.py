"""Settings: TOML in the data directory, overridden by KIOSK_* variables, then by flags; the PIN hashed."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from kiosk import __version__
from kiosk.config import SettingsError, hash_pin, load_settings, save_setting, verify_pin


def test_defaults_file_environment_and_flags_in_rising_precedence(tmp_path):
    (tmp_path / "kiosk.toml").write_text('terminal_id = "QY-0001"\nidle_timeout_s = 60\nlanguage = "en"\n')
    env = {"KIOSK_IDLE_TIMEOUT_S": "120", "KIOSK_ELDER_MODE": "yes"}
    settings = load_settings(data_dir=tmp_path, environ=env, overrides={"language": "zh_CN"})
    assert settings.terminal_id == "QY-0001"  # file
    assert settings.idle_timeout_s == 120  # environment beats file
    assert settings.elder_mode is True
    assert settings.language == "zh_CN"  # flag beats file
    assert settings.orientation == "portrait" and settings.window_size == (1080, 1920)  # default
    assert settings.database_path == tmp_path / "kiosk.db"


def test_data_dir_and_config_file_from_the_environment(tmp_path):
    other = tmp_path / "elsewhere.toml"
    other.write_text('role = "display"\n')
    settings = load_settings(environ={"KIOSK_DATA_DIR": str(tmp_path / "d"), "KIOSK_CONFIG": str(other)})
    assert settings.data_dir == tmp_path / "d" and settings.role == "display"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"env": {"KIOSK_IDLE_TIMEOUT_S": "soon"}}, "setting 'idle_timeout_s' from environment variable"),
        ({"env": {"KIOSK_ORIENTATION": "diagonal"}}, "expected one of portrait, landscape"),
        ({"file": "idle_timeout_s = -5\n"}, "must not be negative"),
        ({"file": "unknown_thing = 1\n"}, "unknown setting 'unknown_thing'"),
        ({"file": "terminal_id = \n"}, "is not valid TOML"),
        ({"flags": {"fullscreen": "maybe"}}, "flag --fullscreen"),
    ],
)
def test_a_bad_setting_names_itself_and_its_source(tmp_path, source, message):
    if "file" in source:
        (tmp_path / "kiosk.toml").write_text(source["file"])
    with pytest.raises(SettingsError, match=message):
        load_settings(data_dir=tmp_path, environ=source.get("env", {}), overrides=source.get("flags"))


def test_pin_is_salted_and_hashed():
    first, second = hash_pin("246810"), hash_pin("246810")
    assert first != second and "246810" not in first
    assert verify_pin("246810", first) and not verify_pin("246811", first)
    assert not verify_pin("246810", "garbage")
    with pytest.raises(SettingsError):
        hash_pin("12")


def test_saving_a_setting_keeps_the_others(tmp_path):
    (tmp_path / "kiosk.toml").write_text('terminal_id = "QY-0001"\n')
    settings = load_settings(data_dir=tmp_path, environ={})
    save_setting(settings, "idle_timeout_s", 45)
    saved = tomllib.loads((tmp_path / "kiosk.toml").read_text())
    assert saved == {"terminal_id": "QY-0001", "idle_timeout_s": 45}


def run_kiosk(*args, stdin=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_version_and_help():
    assert run_kiosk("--version").stdout.strip() == f"kiosk {__version__}"
    help_text = run_kiosk("--help").stdout
    for word in ("catalog", "maintenance", "--data-dir", "--config", "--idle-timeout-s"):
        assert word in help_text
    assert "pin_hash" not in help_text and "pin-hash" not in help_text


def test_set_pin_stores_only_a_hash(tmp_path):
    result = run_kiosk("--data-dir", str(tmp_path), "maintenance", "set-pin", "--stdin", stdin="135790\n")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "kiosk.toml").read_text()
    assert "135790" not in text
    assert verify_pin("135790", tomllib.loads(text)["maintenance_pin_hash"])
    bad = run_kiosk("--data-dir", str(tmp_path), "maintenance", "set-pin", "--stdin", stdin="12ab\n")
    assert bad.returncode != 0 and "4 to 12 digits" in bad.stderr


def test_a_bad_setting_stops_the_command_with_a_plain_message(tmp_path):
    result = run_kiosk("--data-dir", str(tmp_path), "--idle-timeout-s", "soon", "catalog", "stats")
    assert result.returncode == 2
    assert "idle_timeout_s" in result.stderr and "Traceback" not in result.stderr


def test_logs_go_to_a_rotating_file_in_the_data_directory(tmp_path, small_catalog_file):
    result = run_kiosk("--data-dir", str(tmp_path), "catalog", "import", str(small_catalog_file))
    assert result.returncode == 0, result.stderr
    log = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "catalog import: 12 added" in log


def test_import_of_a_bad_file_exits_non_zero_naming_the_problem(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "kiosk-catalog/1", "items": [{"code": "X"}]}', encoding="utf-8")
    result = run_kiosk("--data-dir", str(tmp_path), "catalog", "import", str(bad))
    assert result.returncode == 1
    assert "事项 X（第 1 条）未导入：缺少字段 name" in result.stderr
    log = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "item #1 (code X): field 'name'" in log
    bad.write_text('{"format": "kiosk-catalog/1", "items": [', encoding="utf-8")
    result = run_kiosk("--data-dir", str(tmp_path), "catalog", "import", str(bad))
    assert result.returncode == 1
    assert "不是有效的 JSON" in result.stderr and "本机目录保持不变" in result.stderr
