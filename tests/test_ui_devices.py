"""The devices in the running UI: the card reader is watched from the first frame, a card placed on the
(simulated, real-protocol) reader is read and shown masked on the maintenance screen, and a session's end forgets it."""

from __future__ import annotations

from dataclasses import replace

from kiosk.roles.kiosk.app import KioskUi
from kiosk.services.devices import Devices
from kiosk.ui.shell.app import WindowOptions, create_application
from tests.ui_support import PORTRAIT, close_ui, shows_text


def reader_has_looked(devices: Devices, qtbot) -> None:
    """The reader's first look is behind it: a card it finds then lay there before anyone watched, and waits for
    the citizen to ask for it instead of being read."""
    simulator = devices.id_card().simulator  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: simulator.stats().commands.get("FIND_CARD", 0) > 0, timeout=10_000)


def test_a_card_placed_in_the_demo_is_read_and_shown_masked(qapp, qtbot, catalog_terminal, ui_settings):
    settings = replace(ui_settings, idcard_driver="simulator", sscard_driver="none")
    devices = Devices(settings)
    ui = KioskUi(
        catalog_terminal,
        create_application(),
        WindowOptions(size=PORTRAIT),
        settings=settings,
        devices=devices,
    )
    try:
        with qtbot.waitSignal(ui.firstFrameShown, timeout=10_000):
            pass
        reader_has_looked(devices, qtbot)
        panel = ui.device_panel
        assert [card["key"] for card in panel.demoCards][:1] == ["elder"]

        panel.placeCard("elder")
        qtbot.waitUntil(lambda: "陈*英" in panel.lastRead, timeout=10_000)
        assert "陈秀英" not in panel.lastRead
        assert "441************" in panel.lastRead

        ui.navigator.push("maintenance")
        qtbot.waitUntil(lambda: len(panel.rows) == 4, timeout=15_000)
        assert {row["role"] for row in panel.rows} == {"id_card", "a4", "ticket", "scanner"}
        assert all(row["usable"] for row in panel.rows)
        qtbot.waitUntil(lambda: shows_text(ui, "陈*英"), timeout=5_000)
        assert not shows_text(ui, "陈秀英")

        panel.removeCard()
        qtbot.waitUntil(lambda: panel.lastRead == "", timeout=10_000)

        panel.placeCard("young")
        qtbot.waitUntil(lambda: panel.lastRead not in ("", "正在读卡…"), timeout=10_000)
        ui.reset_session()
        assert panel.lastRead == ""
    finally:
        close_ui(ui, qtbot)
        devices.close()


def test_keyboard_mode_scans_reach_the_device_panel_not_a_field(qapp, qtbot, catalog_terminal, ui_settings):
    settings = replace(ui_settings, idcard_driver="none", sscard_driver="none", scanner="wedge")
    ui = KioskUi(catalog_terminal, create_application(), WindowOptions(size=PORTRAIT), settings=settings)
    try:
        with qtbot.waitSignal(ui.firstFrameShown, timeout=10_000):
            pass
        panel = ui.device_panel
        with qtbot.waitSignal(panel.scanned, timeout=2_000) as blocker:
            ui.scan_filter.scanned.emit("https://example.invalid/rate?r=A012")
        assert blocker.args == ["https://example.invalid/rate?r=A012"]
        assert (panel.scanCount, panel.lastScanLength) == (1, 35)
        ui.reset_session()
        assert panel.lastScanLength == 0
    finally:
        close_ui(ui, qtbot)


def test_a_card_begins_the_session_and_taking_it_away_ends_it(qapp, qtbot, catalog_terminal, ui_settings):
    settings = replace(
        ui_settings, idcard_driver="simulator", sscard_driver="none", session_end_after_removal_s=1
    )
    devices = Devices(settings)
    ui = KioskUi(
        catalog_terminal,
        create_application(),
        WindowOptions(size=PORTRAIT),
        settings=settings,
        devices=devices,
    )
    try:
        with qtbot.waitSignal(ui.firstFrameShown, timeout=10_000):
            pass
        reader_has_looked(devices, qtbot)
        panel = ui.device_panel
        panel.placeCard("elder")
        qtbot.waitUntil(lambda: ui.session.active, timeout=10_000)
        assert ui.session.maskedName == "陈*英"
        qtbot.waitUntil(lambda: shows_text(ui, "您好，陈*英"), timeout=5_000)
        assert not shows_text(ui, "陈秀英")
        assert ui.idle.property("active")  # an open session always ends on idle, even at home

        ui.navigator.push("maintenance")
        panel.removeCard()
        qtbot.waitUntil(lambda: not ui.session.active, timeout=10_000)
        assert ui.navigator.current == "home"  # the session's end is a full reset
        assert ui.session.identity() is None

        panel.placeCard("young")
        qtbot.waitUntil(lambda: ui.session.active, timeout=10_000)
        ui.session.end()  # 结束办理
        assert not ui.session.active and ui.navigator.current == "home"
    finally:
        close_ui(ui, qtbot)
        devices.close()
