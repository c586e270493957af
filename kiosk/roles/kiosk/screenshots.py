"""Render named screens of the real UI to PNG files, offscreen.

The screens are reached the way a citizen reaches them, through the view-models (``catalogBrowser.showFacets``,
``searchScreen`` with typed text, ``guideScreen.show`` …), and grabbed once their data has arrived, the screen
transition has ended and the images have loaded. Used by ``kiosk screenshot``, by ``kiosk run`` where there is
no display, and to review the layout in every mode.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem

from kiosk.config import Settings, hash_pin
from kiosk.roles.kiosk.app import KioskUi
from kiosk.services.terminal import Terminal
from kiosk.ui.features.forms.form_demo import DEMO_STATES as FORM_STATES
from kiosk.ui.features.progress.progress_screen import ProgressScreen
from kiosk.ui.features.queue.queue_screen import QueueScreen
from kiosk.ui.features.rating.rating_screen import RatingScreen
from kiosk.ui.shell.app import WindowOptions, create_application
from kiosk.ui.shell.screenshot import (
    TIMEOUT_S,
    ScreenshotError,
    find_item,
    grab_window,
    spin,
    visual_items,
    wait_until,
)
from kiosk.ui.shell.tasks import pending_calls

log = logging.getLogger(__name__)

SCREENS: dict[str, str] = {
    "home": "the home screen",
    "departments": "departments with their item counts",
    "department-items": "the items of one department",
    "categories": "categories",
    "category-items": "the items of one category",
    "themes": "一件事 life-event themes",
    "theme-items": "the items of one theme",
    "search": "search with 'sbk' typed, results and the keyboard",
    "search-empty": "a search without results",
    "guide": "the guide of an item that can be handled online (with its QR code)",
    "guide-offline": "the guide of an item that cannot be handled online",
    "print-preview": "the A4 print preview of a guide",
    "idle-warning": "the countdown before the idle reset",
    "maintenance-pin": "the maintenance PIN pad",
    "maintenance": "the maintenance screen",
    "maintenance-replaced": "the maintenance screen of a terminal whose database was replaced (a sample notice)",
    "maintenance-damaged": "the maintenance screen of a terminal whose outbox is damaged (a sample notice)",
    "maintenance-operations": "the maintenance screen's service state, updates and settings with their origins "
    "(a sample terminal taken out of service by the center, an update staged)",
    "identify": "the identity prompt (a screen that needs the citizen's card)",
    "identify-card-left": "the identity prompt with a card left on the reader by an earlier session",
    **{f"form-{which}": f"自助填表: {what}" for which, what in FORM_STATES.items()},
    **{f"rating-{which}": f"好差评: {which}" for which in RatingScreen.DEMO_STATES},
    **{f"progress-{which}": f"办件进度: {which}" for which in ProgressScreen.DEMO_STATES},
    **{f"queue-{which}": f"取号排队: {what}" for which, what in QueueScreen.DEMO_STATES.items()},
    "home-hall": "the home screen of a terminal with a hall (取号排队 among the transactions)",
    "home-notices": "the home screen with the center's notices (a warning first, and one more)",
    "notice-open": "the whole text of the notices, opened from the home screen's banner",
    "guide-notices": "a guide with the notices' strip under the header",
    "out-of-service": "暂停服务: the terminal taken out of service, with where to go instead",
}
# The citizen screens show a demo card's session (a sample identity, nothing of it written anywhere).

SEARCH_TEXT = "sbk"
EMPTY_SEARCH_TEXT = "qqxxzz"


class ScreenDriver:
    """Drives a running ``KioskUi`` to a named screen and grabs it."""

    def __init__(self, ui: KioskUi) -> None:
        self.ui = ui

    # --- finding things in the scene ---------------------------------------------------------------------

    def find(self, object_name: str) -> QObject | None:
        return self.ui.window.findChild(QObject, object_name)

    def _images_loaded(self) -> bool:
        images = (
            i
            for i in visual_items(self.ui.window.contentItem())
            if i.objectName().startswith("previewPage_") or i.objectName() == "onlineQr"
        )
        return all(i.property("loaded") is not False for i in images if i.isVisible())

    def settle(self) -> None:
        """Wait for data, the screen transition and images; then a couple of frames."""
        wait_until(lambda: pending_calls() == 0, "background calls")
        wait_until(lambda: not self.ui.root_property("transitioning"), "the screen transition")
        wait_until(self._images_loaded, "images")
        spin(60)

    # --- getting to a screen -----------------------------------------------------------------------------

    def start_over(self) -> None:
        ui = self.ui
        ui.idle.poke()
        ui.maintenance.closePinPad()
        ui.notices_feed.end_demo()
        ui.service_state.end_demo()
        ui.navigator.home()
        self.settle()

    def _first_facet(self, kind: str) -> tuple[str, str]:
        self.ui.browser.showFacets(kind)
        wait_until(lambda: self.ui.browser.facetsState in ("ready", "error"), f"{kind} list")
        facets = self.ui.browser.facets.rows()
        if not facets:
            raise ScreenshotError(f"the catalog has no {kind} to show")
        best = max(facets[: min(len(facets), 8)], key=lambda f: f.count)  # a well-filled one near the top
        return best.key, best.label

    def _type_search(self, text: str) -> None:
        self.ui.search.show()
        self.settle()
        field = self.find("searchField")
        if field is None:
            raise ScreenshotError("the search field is missing")
        field.setProperty("text", text)
        if isinstance(field, QQuickItem):
            self.ui.window.requestActivate()
            field.forceActiveFocus()
        wait_until(lambda: self.ui.search.state in ("ready", "error"), "search results")

    def _guide_code(self, *, online: bool) -> str:
        catalog = self.ui.terminal.catalog
        background = self.ui.terminal.background
        hits = background.run(catalog.search, "社保卡", 20).result(TIMEOUT_S).hits
        codes = [h.code for h in hits]
        if not codes:
            department = background.run(catalog.departments).result(TIMEOUT_S)[0]
            codes = [s.code for s in background.run(catalog.items_in, "department", department.key).result()]
        for code in codes[:20]:
            item = background.run(catalog.item, code).result(TIMEOUT_S)
            if item is not None and bool(item.handling.online_url) == online and item.materials:
                return code
        for code in self._all_codes():
            item = background.run(catalog.item, code).result(TIMEOUT_S)
            if item is not None and bool(item.handling.online_url) == online:
                return code
        raise ScreenshotError("no item with the wanted kind of guide")

    def _all_codes(self) -> Iterable[str]:
        catalog, background = self.ui.terminal.catalog, self.ui.terminal.background
        for facet in background.run(catalog.departments).result(TIMEOUT_S)[:10]:
            for summary in background.run(catalog.items_in, "department", facet.key).result(TIMEOUT_S)[:30]:
                yield summary.code

    def _open_guide(self, *, online: bool = True) -> None:
        self.ui.guide.show(self._guide_code(online=online))
        wait_until(lambda: self.ui.guide.state in ("ready", "error", "missing"), "the guide")

    def go(self, screen: str) -> None:
        """Navigate from the home screen to ``screen``, as a citizen would."""
        ui = self.ui
        self.start_over()
        kinds = {"departments": "department", "categories": "category", "themes": "theme"}
        item_kinds = {"department-items": "department", "category-items": "category", "theme-items": "theme"}
        if screen == "home":
            pass
        elif screen in kinds:
            self._first_facet(kinds[screen])
        elif screen in item_kinds:
            key, label = self._first_facet(item_kinds[screen])
            self.settle()
            ui.browser.showItems(key, label)
            wait_until(lambda: ui.browser.itemsState in ("ready", "error"), "the item list")
        elif screen == "search":
            self._type_search(SEARCH_TEXT)
            wait_until(lambda: bool(self.ui.root_property("keyboardVisible")), "the keyboard", 10)
        elif screen == "search-empty":
            self._type_search(EMPTY_SEARCH_TEXT)
            field = self.find("searchField")
            if field is not None:
                field.setProperty("focus", False)  # keyboard down: the empty state is what matters here
            QGuiApplication.inputMethod().hide()
            wait_until(lambda: not self.ui.root_property("keyboardVisible"), "the keyboard to close", 5)
        elif screen == "guide":
            self._open_guide(online=True)
        elif screen == "guide-offline":
            self._open_guide(online=False)
        elif screen == "print-preview":
            self._open_guide(online=True)
            self.settle()
            ui.preview.show()
            wait_until(lambda: ui.preview.state in ("ready", "error"), "the print preview", 60)
        elif screen == "idle-warning":
            self._open_guide(online=True)
            self.settle()
            ui.idle.backdate_activity(ui.settings.idle_timeout_s - ui.settings.idle_warning_s)
            wait_until(lambda: ui.idle.warning, "the idle warning", 5)
        elif screen == "maintenance-pin":
            for _ in range(5):
                ui.maintenance.cornerTapped()
            wait_until(lambda: ui.maintenance.pinPadOpen, "the PIN pad")
            for digit in "24":
                ui.maintenance.pressDigit(digit)
        elif screen == "maintenance":
            ui.maintenance.refresh()
            ui.navigator.push("maintenance")
        elif screen in ("maintenance-replaced", "maintenance-damaged"):
            ui.maintenance.refresh()
            ui.navigator.push("maintenance")
            wait_until(lambda: ui.maintenance.databaseState != "checking", "the database check")
            ui.maintenance.demo_database(screen.removeprefix("maintenance-"))
        elif screen == "maintenance-operations":
            ui.maintenance.refresh()
            ui.navigator.push("maintenance")
            wait_until(lambda: ui.terminal_ops.ready, "the terminal's operation")
            ui.terminal_ops.demo()
            self.settle()
            flick, section = self.find("maintenanceFlick"), self.find("serviceSection")
            if isinstance(flick, QQuickItem) and isinstance(section, QQuickItem):
                top = section.mapToItem(flick.property("contentItem"), 0, 0).y()
                flick.setProperty("contentY", max(0.0, top - 60))
        elif screen in ("identify", "identify-card-left"):
            ui.session.end()
            if screen == "identify-card-left":
                ui.device_panel.demo_card_left()
            from kiosk.ui.features.forms.form_flow import IDENTIFY_PURPOSE  # the purpose as the forms put it

            ui.identity_prompt.run_with_identity(IDENTIFY_PURPOSE, lambda: None)
        elif screen.startswith("form-") and screen[5:] in FORM_STATES:
            ui.forms.demo_state(screen[5:])
        elif screen.startswith("rating-") and screen[7:] in RatingScreen.DEMO_STATES:
            ui.rating.demo_state(screen[7:])
        elif screen.startswith("progress-") and screen[9:] in ProgressScreen.DEMO_STATES:
            ui.progress.demo_state(screen[9:])
        elif screen.startswith("queue-") and screen[6:] in QueueScreen.DEMO_STATES:
            ui.queue.demo_state(screen[6:])
        elif screen == "home-hall":
            ui.queue.demo_state("home")
        elif screen in ("home-notices", "notice-open", "guide-notices"):
            from kiosk.ui.shell.notices_feed import demo_notices

            ui.notices_feed.show_demo(demo_notices())
            if screen == "notice-open":
                ui.notices_feed.open(demo_notices()[0].key)
            elif screen == "guide-notices":
                self._open_guide(online=True)
        elif screen == "out-of-service":
            ui.service_state.show_demo()
        else:
            raise ScreenshotError(f"unknown screen {screen!r}; known: {', '.join(SCREENS)}")
        self.settle()

    def grab(self, path: Path) -> Path:
        return grab_window(self.ui.window, path)


def render_screens(
    terminal: Terminal,
    targets: dict[str, Path],
    *,
    size: tuple[int, int] | None = None,
    elder: bool | None = None,
    language: str | None = None,
) -> list[Path]:
    """Render each named screen to its PNG path; returns the files written."""
    app = create_application(offscreen=True)
    stats = terminal.background.run(terminal.catalog.stats).result(TIMEOUT_S)
    settings = terminal.settings
    if not settings.maintenance_pin_hash and "maintenance-pin" in targets:
        # Show the PIN pad as staff see it; a throwaway PIN that is never saved.
        settings = replace(settings, maintenance_pin_hash=hash_pin(f"{secrets.randbelow(10**8):08d}"))
    ui = KioskUi(terminal, app, WindowOptions(size=size or settings.window_size), stats, settings)
    driver = ScreenDriver(ui)
    written: list[Path] = []
    try:
        if elder is not None:
            ui.app_state.setProperty("elderMode", elder)
        if language is not None:
            ui.app_state.setProperty("language", language)
        wait_until(lambda: bool(ui.root_property("keyboardReady")), "the keyboard to load")
        for screen, path in targets.items():
            driver.go(screen)
            written.append(driver.grab(path))
            log.info("screenshot %s -> %s", screen, path)
    finally:
        ui.close()
        spin(50)
    return written


def render(
    settings: Settings,
    targets: dict[str, Path],
    *,
    size: tuple[int, int] | None = None,
    elder: bool | None = None,
    language: str | None = None,
) -> list[Path]:
    """``kiosk screenshot`` for the citizen's screens: the terminal's data (an empty cache gets the demo catalog)."""
    with Terminal.open(settings, demo=True) as terminal:
        return render_screens(terminal, targets, size=size, elder=elder, language=language)


__all__ = ["SCREENS", "ScreenshotError", "find_item", "render", "render_screens", "visual_items"]
