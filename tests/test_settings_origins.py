"""The settings chain with the center's layer: defaults < file < center < environment < command line, and where
each value came from (the maintenance screen and ``kiosk settings show`` say it)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

from kiosk.config import CENTER_MAY_NOT_SET, load_settings, save_setting, setting_sources
from kiosk.ops.paths import OpsPaths


def _center_layer(data_dir, values, version=3):
    path = OpsPaths.of(data_dir).center_settings
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": version, "values": values}), encoding="utf-8")


def _origins(settings):
    return {s.name: s.origin for s in setting_sources(settings)}


def test_the_center_layer_sits_between_the_file_and_the_environment(tmp_path):
    (tmp_path / "kiosk.toml").write_text('idle_timeout_s = 60\nlanguage = "en"\nstale_catalog_days = 9\n')
    _center_layer(tmp_path, {"idle_timeout_s": 120, "stale_catalog_days": 7, "sync_interval_s": 600})
    settings = load_settings(
        data_dir=tmp_path, environ={"KIOSK_SYNC_INTERVAL_S": "90"}, overrides={"stale_catalog_days": "5"}
    )
    assert settings.idle_timeout_s == 120  # the center beats the file
    assert settings.language == "en"  # the file, where the center says nothing
    assert settings.sync_interval_s == 90  # the environment beats the center
    assert settings.stale_catalog_days == 5  # the command line beats them all
    origins = _origins(settings)
    assert origins["idle_timeout_s"] == "center"
    assert origins["language"] == "file"
    assert origins["sync_interval_s"] == "environment"
    assert origins["stale_catalog_days"] == "command line"
    assert origins["orientation"] == "default"
    shown = {s.name: s for s in setting_sources(settings)}
    assert shown["idle_timeout_s"].value == 120 and "3" in shown["idle_timeout_s"].where
    assert shown["sync_interval_s"].where == "KIOSK_SYNC_INTERVAL_S"


def test_names_the_center_may_not_set_are_ignored_with_a_log_line(tmp_path, caplog):
    (tmp_path / "kiosk.toml").write_text('terminal_id = "QY-0001"\n')
    _center_layer(
        tmp_path,
        {
            "terminal_id": "EVIL-0001",
            "center_url": "https://evil.example",
            "maintenance_pin_hash": "scrypt$1$1$1$AA==$AA==",
            "no_such_setting": 1,
            "idle_timeout_s": "soon",  # not a number: ignored, the terminal still starts
            "elder_mode": True,
        },
    )
    with caplog.at_level(logging.WARNING, logger="kiosk.config"):
        settings = load_settings(data_dir=tmp_path, environ={})
    assert settings.terminal_id == "QY-0001" and settings.center_url == ""
    assert settings.maintenance_pin_hash == "" and settings.idle_timeout_s == 90
    assert settings.elder_mode is True and _origins(settings)["elder_mode"] == "center"
    logged = caplog.text
    for name in ("terminal_id", "center_url", "maintenance_pin_hash", "no_such_setting", "idle_timeout_s"):
        assert name in logged
    assert "evil.example" not in logged
    assert {"terminal_id", "center_url", "maintenance_pin_hash", "crypto_suite"} <= CENTER_MAY_NOT_SET
    assert {
        "sdtapi_library",
        "wlt_library",
        "role",
        "update_root",
    } <= CENTER_MAY_NOT_SET  # never code, never trust


def test_what_the_center_may_set_and_what_the_terminal_never_takes_from_it_do_not_meet():
    from kiosk.config import setting_names
    from kiosk.protocol.ops import CENTER_SETTINGS

    assert not CENTER_SETTINGS & CENTER_MAY_NOT_SET
    assert set(setting_names()) >= CENTER_SETTINGS  # every name the center may push is a setting here


def test_a_damaged_center_layer_is_ignored_and_the_terminal_starts(tmp_path, caplog):
    path = OpsPaths.of(tmp_path).center_settings
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        settings = load_settings(data_dir=tmp_path, environ={})
    assert settings.idle_timeout_s == 90
    assert "center-settings.json" in caplog.text


def test_a_saved_setting_comes_from_the_file(tmp_path):
    settings = save_setting(load_settings(data_dir=tmp_path, environ={}), "idle_timeout_s", 45)
    assert _origins(settings)["idle_timeout_s"] == "file"


def test_kiosk_settings_show_prints_each_value_and_its_origin(tmp_path):
    (tmp_path / "kiosk.toml").write_text('language = "en"\n')
    _center_layer(tmp_path, {"idle_timeout_s": 120})
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path), "settings", "show", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"KIOSK_ELDER_MODE": "yes", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    shown = {s["name"]: s for s in json.loads(result.stdout)["settings"]}
    assert shown["idle_timeout_s"]["value"] == 120 and shown["idle_timeout_s"]["origin"] == "center"
    assert shown["language"]["origin"] == "file" and shown["elder_mode"]["origin"] == "environment"
    assert shown["maintenance_pin_hash"]["value"] in ("", "(not set)")
    text = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path), "settings", "show"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert text.returncode == 0, text.stderr
    assert any(line.split()[:3] == ["idle_timeout_s", "120", "center"] for line in text.stdout.splitlines())


def test_the_settings_now_read_a_layer_pushed_since_the_start_and_keep_the_flags(tmp_path):
    from kiosk.config import settings_now

    started = load_settings(data_dir=tmp_path, environ={}, overrides={"language": "en"})
    _center_layer(tmp_path, {"idle_timeout_s": 150, "language": "zh_CN"}, version=4)
    now = settings_now(started, environ={})
    assert now.idle_timeout_s == 150 and _origins(now)["idle_timeout_s"] == "center"
    assert now.language == "en" and _origins(now)["language"] == "command line"
