"""The session around the screens: the idle reset, elder mode, the language, the hidden maintenance entry,
and a window that only the maintenance screen can close."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtGui import QGuiApplication
from ui_support import (
    LANDSCAPE,
    PIN,
    build_ui,
    close_ui,
    item,
    settle,
    shows_text,
    tap,
    tap_at,
    type_text,
    wait_for,
)

from kiosk.ui.features.maintenance.maintenance_screen import PinAttempts
from kiosk.ui.shell.navigator import HOME
from kiosk.ui.shell.screenshot import visual_items

SCREENS_TO_VISIT = ("home", "facets", "items", "search", "guide", "preview", "maintenance")


def visit(ui, screen: str, qtbot) -> None:
    """Go from home to ``screen`` through the view-models."""
    ui.navigator.home()
    settle(ui, qtbot)
    if screen in ("facets", "items"):
        ui.browser.showFacets("department")
        if screen == "items":
            ui.browser.showItems("RS", "市人力资源和社会保障局")
    elif screen == "search":
        ui.search.show()
    elif screen in ("guide", "preview"):
        ui.guide.show("RS-003")
        wait_for(qtbot, lambda: ui.guide.state == "ready")
        if screen == "preview":
            ui.preview.show()
    elif screen == "maintenance":
        ui.maintenance.refresh()
        ui.navigator.push("maintenance")
    settle(ui, qtbot)
    assert ui.navigator.current == screen


# --- idle reset --------------------------------------------------------------------------------------------


@pytest.fixture
def quick_idle(qapp, qtbot, catalog_terminal, ui_settings):
    ui = build_ui(catalog_terminal, replace(ui_settings, idle_timeout_s=3, idle_warning_s=2))
    settle(ui, qtbot)
    yield ui
    close_ui(ui, qtbot)


def test_idle_reset_warns_first_then_clears_every_screen_and_restores_the_defaults(quick_idle, qtbot):
    ui = quick_idle
    assert not ui.idle.active  # the bare home screen never times out

    ui.search.show()
    settle(ui, qtbot)
    type_text(ui, "sbk")
    wait_for(qtbot, lambda: ui.search.state == "ready" and ui.search.results.count > 0)
    ui.guide.show("RS-003")
    wait_for(qtbot, lambda: ui.guide.state == "ready")
    ui.preview.show()
    wait_for(qtbot, lambda: ui.preview.state == "ready", 30_000)
    pdf = ui.preview.document_path()
    ui.app_state.setProperty("elderMode", True)
    ui.app_state.setProperty("language", "en")
    assert ui.idle.active

    seen: list[str] = []
    ui.idle.warningChanged.connect(lambda: seen.append(f"warning={ui.idle.warning}"))
    ui.idle.timedOut.connect(lambda: seen.append("reset"))
    wait_for(qtbot, lambda: ui.idle.warning, 5_000)
    settle(ui, qtbot)
    assert item(ui, "idleWarning").isVisible()
    assert item(ui, "idleCountdown").property("text") in {"2", "1"}
    assert shows_text(ui, "Back to the home screen in")  # in the language the citizen chose

    wait_for(qtbot, lambda: ui.navigator.atHome, 5_000)
    settle(ui, qtbot)
    assert seen[:2] == ["warning=True", "warning=False"] and "reset" in seen
    assert ui.search.query == "" and ui.search.results.count == 0
    assert ui.browser.facets.count == 0 and ui.browser.items.count == 0
    assert ui.guide.state == "idle" and ui.guide.name == ""
    assert ui.preview.state == "idle" and ui.preview.document_path() is None
    wait_for(qtbot, lambda: not pdf.exists())
    assert not ui.root_property("keyboardVisible")
    assert not QGuiApplication.inputMethod().isVisible()
    assert ui.app_state.elderMode is False and ui.app_state.language == "zh_CN"
    assert shows_text(ui, "您好！请问您要办理什么事？")
    assert not ui.idle.active and not ui.idle.warning


def test_a_touch_during_the_warning_keeps_the_session(quick_idle, qtbot):
    ui = quick_idle
    ui.guide.show("RS-003")
    wait_for(qtbot, lambda: ui.guide.state == "ready")
    wait_for(qtbot, lambda: ui.idle.warning, 5_000)
    settle(ui, qtbot)
    tap(ui, "keepUsingButton")
    assert not ui.idle.warning
    qtbot.wait(1500)
    assert ui.navigator.current == "guide" and ui.guide.name == "社保卡"


def test_citizen_choices_on_the_home_screen_also_time_out(quick_idle, qtbot):
    ui = quick_idle
    ui.app_state.setProperty("elderMode", True)
    assert ui.idle.active  # the next citizen must not inherit elder mode
    wait_for(qtbot, lambda: ui.idle.warning, 5_000)
    wait_for(qtbot, lambda: not ui.app_state.elderMode, 5_000)


# --- elder mode and language ---------------------------------------------------------------------------------


def test_elder_mode_enlarges_text_and_targets(kiosk, qtbot):
    theme = kiosk.theme()
    normal = {k: theme.property(k) for k in ("fontBody", "fontTitle", "buttonHeight", "rowHeight")}
    assert 26 <= normal["fontBody"] <= 28 and normal["buttonHeight"] >= 96
    assert theme.property("lineHeight") >= 1.3

    tap(kiosk, "elderToggle", qtbot)
    assert kiosk.app_state.elderMode
    elder = {k: theme.property(k) for k in normal}
    assert elder["fontBody"] >= 34 and elder["buttonHeight"] >= 120
    assert all(elder[k] > normal[k] for k in normal)

    tap(kiosk, "elderToggle", qtbot)
    assert not kiosk.app_state.elderMode and theme.property("fontBody") == normal["fontBody"]


@pytest.mark.parametrize("elder", [False, True])
def test_every_touch_target_is_large_enough(kiosk, qtbot, elder):
    kiosk.app_state.setProperty("elderMode", elder)
    minimum = 120 if elder else 96
    for screen in SCREENS_TO_VISIT:
        visit(kiosk, screen, qtbot)
        buttons = [
            i
            for i in visual_items(kiosk.window.contentItem())
            if i.isVisible() and i.metaObject().className().startswith(("BigButton", "HeaderToggle"))
        ]
        assert buttons, screen
        for button in buttons:
            limit = 96 if button.metaObject().className().startswith("HeaderToggle") else minimum
            assert button.height() >= limit, (
                f"{screen}: {button.property('text')} is {button.height()} px tall"
            )


def test_the_elder_and_language_toggles_are_reachable_on_every_screen(kiosk, qtbot):
    for screen in SCREENS_TO_VISIT:
        visit(kiosk, screen, qtbot)
        before = kiosk.app_state.elderMode
        tap(kiosk, "elderToggle", qtbot)
        assert kiosk.app_state.elderMode is not before, screen
        tap(kiosk, "languageToggle", qtbot)
        assert kiosk.app_state.language == "en", screen
        tap(kiosk, "languageToggle", qtbot)
        assert kiosk.app_state.language == "zh_CN", screen


def test_switching_language_changes_what_the_screens_say_and_back(kiosk, qtbot):
    assert shows_text(kiosk, "您好！请问您要办理什么事？")
    tap(kiosk, "languageToggle", qtbot)
    assert kiosk.app_state.language == "en"
    assert shows_text(kiosk, "What would you like to do today?")
    assert shows_text(kiosk, "Find by department")
    assert not shows_text(kiosk, "按部门查找")
    assert item(kiosk, "languageToggle").property("text") == "中文"

    visit(kiosk, "search", qtbot)
    assert shows_text(kiosk, "Search services")

    tap(kiosk, "languageToggle", qtbot)
    assert kiosk.app_state.language == "zh_CN"
    assert shows_text(kiosk, "搜索事项")
    kiosk.navigator.home()
    settle(kiosk, qtbot)
    assert shows_text(kiosk, "您好！请问您要办理什么事？")
    assert item(kiosk, "languageToggle").property("text") == "English"


# --- maintenance --------------------------------------------------------------------------------------------


def five_corner_taps(ui) -> None:
    for _ in range(5):
        tap_at(ui, 30, 30)


def enter_pin(ui, pin: str, qtbot) -> None:
    for digit in pin:
        tap(ui, f"pinKey_{digit}")
    tap(ui, "pinSubmit")
    wait_for(qtbot, lambda: ui.maintenance.pinState != "checking")


def test_five_corner_taps_open_the_pin_pad_wrong_pin_refused_right_pin_opens(kiosk, qtbot):
    five_corner_taps(kiosk)
    wait_for(qtbot, lambda: kiosk.maintenance.pinPadOpen)
    settle(kiosk, qtbot)
    enter_pin(kiosk, "000000", qtbot)
    assert kiosk.maintenance.pinState == "wrong"
    settle(kiosk, qtbot)
    assert shows_text(kiosk, "密码不正确，还可以再试 4 次")
    assert kiosk.navigator.current == HOME

    enter_pin(kiosk, PIN, qtbot)
    wait_for(qtbot, lambda: kiosk.navigator.current == "maintenance")
    assert not kiosk.maintenance.pinPadOpen
    wait_for(qtbot, lambda: kiosk.maintenance.statsReady)
    settle(kiosk, qtbot)
    assert kiosk.maintenance.stats["items"] == 12
    assert shows_text(kiosk, "QY-QC-0001") and shows_text(kiosk, "kiosk")
    assert item(kiosk, "quitButton").isVisible()


def test_four_taps_do_nothing(kiosk, qtbot):
    for _ in range(4):
        tap_at(kiosk, 30, 30)
    qtbot.wait(200)
    assert not kiosk.maintenance.pinPadOpen


def test_five_wrong_pins_lock_the_pad(kiosk, qtbot):
    five_corner_taps(kiosk)
    wait_for(qtbot, lambda: kiosk.maintenance.pinPadOpen)
    settle(kiosk, qtbot)
    for _ in range(5):
        enter_pin(kiosk, "111111", qtbot)
    assert kiosk.maintenance.pinState == "locked"
    assert 295 <= kiosk.maintenance.lockSecondsLeft <= 300
    settle(kiosk, qtbot)
    assert shows_text(kiosk, "已锁定")
    kiosk.maintenance.pressDigit("1")  # the pad takes nothing while locked, not even the right PIN
    assert kiosk.maintenance.pinLength == 0
    for digit in PIN:
        kiosk.maintenance.pressDigit(digit)
    kiosk.maintenance.submitPin()
    qtbot.wait(300)
    assert kiosk.navigator.current == HOME and kiosk.maintenance.pinState == "locked"


def test_the_lock_lifts_after_five_minutes():
    now = [1000.0]
    attempts = PinAttempts(clock=lambda: now[0])
    for _ in range(5):
        attempts.wrong()
    assert attempts.locked_for() == 300
    now[0] += 299
    assert attempts.locked_for() == pytest.approx(1)
    now[0] += 2
    assert attempts.locked_for() == 0 and attempts.attempts_left == 5


def test_without_a_configured_pin_the_pad_says_so_and_does_not_open(
    qapp, qtbot, catalog_terminal, ui_settings
):
    ui = build_ui(catalog_terminal, replace(ui_settings, maintenance_pin_hash=""))
    try:
        settle(ui, qtbot)
        five_corner_taps(ui)
        wait_for(qtbot, lambda: ui.maintenance.pinPadOpen)
        settle(ui, qtbot)
        assert ui.maintenance.pinState == "unset"
        assert shows_text(ui, "未设置维护密码，请运维人员使用 kiosk maintenance set-pin 设置")
        ui.maintenance.pressDigit("1")
        ui.maintenance.submitPin()
        qtbot.wait(200)
        assert ui.navigator.current == HOME
        tap(ui, "pinCancel", qtbot)
        assert not ui.maintenance.pinPadOpen
    finally:
        close_ui(ui, qtbot)


def test_a_pin_set_while_running_takes_effect(qapp, qtbot, catalog_terminal, settings, ui_settings):
    from kiosk.config import hash_pin, save_setting

    ui = build_ui(catalog_terminal, replace(ui_settings, maintenance_pin_hash=""))
    try:
        save_setting(settings, "maintenance_pin_hash", hash_pin("24681357"))
        five_corner_taps(ui)
        wait_for(qtbot, lambda: ui.maintenance.pinPadOpen)
        assert ui.maintenance.pinState == "entry"
        settle(ui, qtbot)
        enter_pin(ui, "24681357", qtbot)
        wait_for(qtbot, lambda: ui.navigator.current == "maintenance")
    finally:
        close_ui(ui, qtbot)


def test_the_window_ignores_close_requests_until_the_maintenance_exit(kiosk, qtbot):
    kiosk.window.close()
    qtbot.wait(50)
    assert kiosk.window.isVisible()
    exits: list[int] = []
    kiosk.app.exit = exits.append  # the real exit would end the test session's event loop
    kiosk.maintenance.quit()
    assert exits == [0] and kiosk.window.property("allowClose") is True


# --- the catalog's state and orientation ---------------------------------------------------------------------


def test_an_empty_catalog_is_said_plainly_instead_of_empty_lists(qapp, qtbot, terminal, ui_settings):
    ui = build_ui(terminal, ui_settings)
    try:
        wait_for(qtbot, lambda: ui.app_state.catalogState == "empty")
        settle(ui, qtbot)
        assert shows_text(ui, "事项目录暂未加载，请联系工作人员")
        assert not item(ui, "departmentsTile").isVisible()
        assert not item(ui, "homeSearchEntry").isVisible()
    finally:
        close_ui(ui, qtbot)


def test_landscape_lays_lists_out_in_two_columns(qapp, qtbot, catalog_terminal, ui_settings):
    ui = build_ui(catalog_terminal, ui_settings, size=LANDSCAPE)
    try:
        settle(ui, qtbot)
        assert ui.theme().property("landscape") is True
        ui.browser.showFacets("department")
        wait_for(qtbot, lambda: ui.browser.facetsState == "ready")
        settle(ui, qtbot)
        grid = item(ui, "pagedGridView")
        assert grid.property("cellWidth") < grid.width() / 1.9
        first, second = item(ui, "facetRow_0"), item(ui, "facetRow_1")
        assert second.mapToScene(first.position()).x() != first.mapToScene(first.position()).x()
    finally:
        close_ui(ui, qtbot)
