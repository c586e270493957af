"""The center's notices on the citizen's screens: a banner on the home screen (warnings first, long text wrapped,
a tap opens the whole text), a strip on the other screens, large in elder mode, following the feed when a sync
cycle changed it and as time passes (real terminal with notices in its database as the sync engine keeps them,
the real QML scene offscreen)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QObject
from ui_support import build_ui, close_ui, item, settle, shows_text, tap, texts, wait_for

import kiosk.ui.shell.notices_feed as notices_feed
from kiosk.roles.display.app import DisplayUi
from kiosk.roles.display.screenshots import show_state
from kiosk.services.changes import NOTICES
from kiosk.services.lazy_terminal import LazyTerminal
from kiosk.services.notices import NoticeShown
from kiosk.store import sync_state
from kiosk.ui.shell.app import WindowOptions, create_application
from kiosk.ui.shell.screenshot import find_item
from kiosk.ui.shell.tasks import pending_calls

LONG_BODY = (
    "12月8日（周二）20:00 至 12月9日 06:00 省政务服务系统升级维护，期间本机只能查看办事指南，不能填表和查询办件进度。"
    "其他时间照常使用。如有急事，请拨打 12345 政务服务便民热线咨询。维护结束后请重新办理。"
)


def publish(
    terminal, key: str, title: str, body: str, level: str = "info", *, starts=None, ends=None
) -> None:
    """A notice as the sync engine stores an entry of the center's notices feed."""
    starts = starts or datetime(2020, 1, 1, tzinfo=UTC)
    values = {
        "title": title,
        "body": body,
        "level": level,
        "starts_at": starts.isoformat(),
        "ends_at": ends.isoformat() if ends else None,
    }
    conn = terminal.database.connection()
    with conn:
        sync_state.apply_entry(conn, "notices", key, 1, values, "2026-12-06T08:00:00+00:00")


@pytest.fixture
def quick_feed(monkeypatch):
    """The feed reads again every 300 ms instead of every minute (time passing, sooner)."""
    monkeypatch.setattr(notices_feed, "READ_EVERY_MS", 300)


def test_the_home_banner_shows_warnings_first_and_opens_the_whole_text(
    qapp, qtbot, catalog_terminal, ui_settings, quick_feed
):
    publish(catalog_terminal, "info", "城乡居民医保开始缴费", "个人缴费已开始。")
    publish(catalog_terminal, "warn", "系统维护", LONG_BODY, "warning")
    ui = build_ui(catalog_terminal, ui_settings)
    try:
        wait_for(qtbot, lambda: ui.notices_feed.count == 2)
        settle(ui, qtbot)
        assert item(ui, "noticeBanner").isVisible()
        title = item(ui, "noticeBannerTitle")
        assert title.property("text") == "重要通知：系统维护"  # the warning first
        body = item(ui, "noticeBannerBody")
        assert body.property("lineCount") == 2 and body.property(
            "truncated"
        )  # wrapped, the rest behind a tap
        assert shows_text(ui, "还有 1 条通知，点击查看")

        tap(ui, "noticeBanner", qtbot)
        assert ui.notices_feed.opened == "warn"
        shown = " ".join(texts(ui))
        assert LONG_BODY in shown and "个人缴费已开始。" in shown  # the whole text of every notice
        assert ui.idle.active  # a notice left open goes back home like any screen
        tap(ui, "noticeSheetClose", qtbot)
        assert ui.notices_feed.opened == ""

        normal = title.property("font").pixelSize()
        ui.app_state.setProperty("elderMode", True)
        settle(ui, qtbot)
        assert item(ui, "noticeBannerTitle").property("font").pixelSize() > normal  # large in elder mode
    finally:
        close_ui(ui, qtbot)


def test_other_screens_show_a_strip_and_the_session_end_closes_the_text(
    qapp, qtbot, catalog_terminal, ui_settings, quick_feed
):
    publish(catalog_terminal, "warn", "系统维护", LONG_BODY, "warning")
    ui = build_ui(catalog_terminal, ui_settings)
    try:
        wait_for(qtbot, lambda: ui.notices_feed.count == 1)
        tap(ui, "homeSearchEntry", qtbot)
        strip = item(ui, "noticeStrip")
        assert strip.isVisible() and item(ui, "noticeStripText").property("text") == "重要通知：系统维护"
        assert strip.height() >= 60
        tap(ui, strip, qtbot)
        assert ui.notices_feed.opened == "warn"
        ui.reset_session()  # the idle reset
        settle(ui, qtbot)
        assert ui.notices_feed.opened == "" and not strip.isVisible()
    finally:
        close_ui(ui, qtbot)


def test_the_banner_follows_the_feed(qapp, qtbot, catalog_terminal, ui_settings):
    ui = build_ui(catalog_terminal, ui_settings)
    try:
        settle(ui, qtbot)
        assert ui.notices_feed.count == 0 and not item(ui, "noticeBanner").isVisible()
        # A sync cycle stored a notice and says so (the minute's reading is far off).
        publish(catalog_terminal, "new", "今天下午停电", "14:00-15:00 本村停电，本机暂停使用。")
        catalog_terminal.changes.announce(NOTICES, count=1)
        wait_for(qtbot, lambda: shows_text(ui, "通知：今天下午停电"), 3_000)
    finally:
        close_ui(ui, qtbot)


def test_a_notice_goes_when_its_time_is_over(qapp, qtbot, catalog_terminal, ui_settings, quick_feed):
    soon = datetime.now(UTC) + timedelta(seconds=2)
    publish(catalog_terminal, "short", "今天下午停电", "14:00-15:00 本村停电，本机暂停使用。", ends=soon)
    ui = build_ui(catalog_terminal, ui_settings)
    try:
        wait_for(qtbot, lambda: ui.notices_feed.count == 1)
        wait_for(qtbot, lambda: ui.notices_feed.count == 0, 8_000)
        settle(ui, qtbot)
        assert not item(ui, "noticeBanner").isVisible()
    finally:
        close_ui(ui, qtbot)


def test_the_display_shows_a_long_notice_page_by_page(qapp, qtbot, settings):
    """Nobody touches a display: a notice longer than its bar is shown a page of lines at a time, never cut."""
    display = replace(settings, role="display", orientation="landscape", voice_prompts=False)
    terminal = LazyTerminal(display)
    ui = DisplayUi(terminal, create_application(), WindowOptions(size=(1920, 1080)), display, follow=False)
    try:
        wait_for(qtbot, lambda: ui.view_model("displayBoard") is not None)
        show_state(ui.display_board, "idle")  # the hall followed, nobody waiting
        ui.display_board.set_notices((NoticeShown("long", "系统维护", LONG_BODY * 3, "warning"),))
        wait_for(qtbot, lambda: find_item(ui.window.contentItem(), "noticePage") is not None)
        page = find_item(ui.window.contentItem(), "noticePage")
        wait_for(qtbot, lambda: page.isVisible())
        first, pages = page.property("text").split("/")
        assert first == "1" and int(pages) >= 2
        text = find_item(ui.window.contentItem(), "noticeText")
        assert LONG_BODY * 3 in text.property("text").replace("\u2060", "")  # the whole text, nothing elided
        # 12 s a page, sooner (longer than the fade between pages, 0.8 s)
        ui.window.findChild(QObject, "noticeTimer").setProperty("interval", 1000)
        wait_for(qtbot, lambda: page.property("text") == f"2/{pages}")
        wait_for(qtbot, lambda: page.property("text") == f"1/{pages}", 2_000 * int(pages))  # round again
    finally:
        qtbot.waitUntil(lambda: pending_calls() == 0, timeout=10_000)
        ui.close()
        terminal.close()
