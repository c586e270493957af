"""The maintenance screen shows the terminal's operation: each setting's value and where it comes from (default,
file, center, environment, command line), the updates (off and why, or the versions side by side), and takes the
terminal out of service and back as the operator (real settings files and install state, a real terminal, the
real QML scene offscreen)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from ui_support import build_ui, close_ui, item, settle, tap, wait_for

from kiosk.config import load_settings
from kiosk.ops.layout import InstallLayout, InstallState, write_state
from kiosk.ops.paths import OpsPaths
from kiosk.ops.service_state import out_of_service
from kiosk.services.terminal import Terminal
from kiosk.ui.shell.screenshot import visual_items


def shown(ui, name: str) -> str:
    return str(item(ui, name).property("text")).replace("\u2060", "")


def texts_in(section) -> str:
    return " ".join(
        str(i.property("text")) for i in visual_items(section) if i.isVisible() and i.inherits("QQuickText")
    )


def open_maintenance(ui, qtbot) -> None:
    """As the PIN pad opens it (the PIN itself is tested with the maintenance screen)."""
    settle(ui, qtbot)
    ui.maintenance.refresh()
    ui.navigator.push("maintenance")
    wait_for(qtbot, lambda: ui.terminal_ops.ready)
    settle(ui, qtbot)


@pytest.fixture
def layered(tmp_path, monkeypatch, pin_hash):
    """Settings from every layer: a file, the center's pushed layer, the environment and a flag."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "kiosk.toml").write_text("idle_timeout_s = 60\nstale_catalog_days = 9\n", encoding="utf-8")
    center = OpsPaths.of(data).center_settings
    center.parent.mkdir(parents=True)
    center.write_text(json.dumps({"version": 4, "values": {"stale_catalog_days": 7}}), encoding="utf-8")
    monkeypatch.setenv("KIOSK_LOG_LEVEL", "DEBUG")
    settings = load_settings(
        data_dir=data, overrides={"terminal_id": "QY-QC-0001", "fullscreen": False, "voice_prompts": False}
    )
    return replace(settings, maintenance_pin_hash=pin_hash, sscard_driver="none")


def test_each_setting_shows_where_it_comes_from_and_updates_say_why_they_are_off(qapp, qtbot, layered):
    with Terminal.open(layered) as terminal:
        ui = build_ui(terminal, layered)
        try:
            open_maintenance(ui, qtbot)
            assert shown(ui, "origin_idle_timeout_s").startswith("配置文件")
            assert shown(ui, "origin_stale_catalog_days").startswith("中心下发")
            assert "4" in shown(ui, "origin_stale_catalog_days")  # the center's settings version
            assert shown(ui, "origin_log_level") == "环境变量\nKIOSK_LOG_LEVEL"
            assert shown(ui, "origin_voice_prompts").startswith("命令行")
            assert shown(ui, "origin_orientation") == "默认值"
            assert shown(ui, "updatesOff") == "更新未启用：没有 update_root"
            assert item(ui, "updatesOff").isVisible()
        finally:
            close_ui(ui, qtbot)


def test_the_update_panel_shows_the_versions_side_by_side(qapp, qtbot, tmp_path, layered, pin_hash):
    install = tmp_path / "install"
    write_state(InstallLayout(install), InstallState(current="1.4.0", previous="1.3.2", staged="1.5.0"))
    with (layered.data_dir / "kiosk.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'install_root = "{install}"\nupdate_url = "http://127.0.0.1:9/updates"\n')
        toml.write(f'update_root = "{tmp_path / "root.json"}"\n')
    settings = replace(
        load_settings(data_dir=layered.data_dir), maintenance_pin_hash=pin_hash, sscard_driver="none"
    )
    with Terminal.open(settings) as terminal:
        ui = build_ui(terminal, settings)
        try:
            open_maintenance(ui, qtbot)
            assert ui.terminal_ops.updatesEnabled and not item(ui, "updatesOff").isVisible()
            versions = ui.terminal_ops.versions
            assert (versions["current"], versions["previous"], versions["staged"], versions["trying"]) == (
                "1.4.0",
                "1.3.2",
                "1.5.0",
                "",
            )
            section = texts_in(item(ui, "updateSection"))
            assert "1.4.0" in section and "1.3.2" in section and "1.5.0" in section
        finally:
            close_ui(ui, qtbot)


def test_the_operator_takes_the_terminal_out_of_service_and_back(qapp, qtbot, catalog_terminal, ui_settings):
    ui = build_ui(catalog_terminal, ui_settings)
    data_dir = ui_settings.data_dir
    try:
        open_maintenance(ui, qtbot)
        tap(ui, "outOfServiceButton", qtbot)
        wait_for(qtbot, lambda: ui.terminal_ops.outOfService)
        state = out_of_service(data_dir)
        assert state is not None and state.by == "operator"
        assert ui.service_state.waiting  # not over the operator's screen
        assert not item(ui, "outOfService").property("visible")

        ui.navigator.home()  # the operator leaves: the page shows
        wait_for(qtbot, lambda: ui.service_state.outOfService)
        settle(ui, qtbot)
        assert item(ui, "outOfService").property("visible")

        open_maintenance(ui, qtbot)  # (five taps and the PIN reach it over the page)
        assert not item(ui, "outOfService").property("visible")
        assert "暂停服务中" in texts_in(item(ui, "serviceSection"))
        tap(ui, "backInServiceButton", qtbot)
        wait_for(qtbot, lambda: not ui.terminal_ops.outOfService)
        assert out_of_service(data_dir) is None
        wait_for(qtbot, lambda: not ui.service_state.outOfService)
        assert ui.navigator.current == "maintenance"  # the operator stays where they are
    finally:
        close_ui(ui, qtbot)
