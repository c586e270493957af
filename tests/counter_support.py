"""The counter's window in tests: the real window and QML, offscreen, signed in to a real hall process on
127.0.0.1 (``tests/hall_support.py``) as an enrolled terminal of its own, driven with keys through QTest."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.config import Settings
from kiosk.hall_client import HallClient
from kiosk.roles.counter.app import COUNTER_SIZE, CounterUi, WindowOptions
from kiosk.roles.counter.flow import ACTION_RETRY_S
from kiosk.services.lazy_terminal import LazyTerminal
from kiosk.ui.shell.app import create_application
from kiosk.ui.shell.screenshot import find_item, visual_items
from kiosk.ui.shell.tasks import pending_calls
from tests.hall_support import HallProcess

# As the program runs (kiosk.ui.shell.app.prepare_environment): no floating desktop keyboard, which would take the
# focus from the counter's window when a field is focused.
os.environ["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] = "1"

PIN = "1234"  # every demo staff member's
F = {n: getattr(Qt.Key, f"Key_F{n}") for n in range(1, 13)}


class CounterWindow:
    """One counter PC: its window, its desk (the view-model), and what a test does at it."""

    def __init__(
        self, hall: HallProcess, settings: Settings, qtbot: Any, name: str, url: str | None = None
    ) -> None:
        terminal_id, secret_hex = hall.add_terminal(name)
        self.client = HallClient(
            url or hall.url, terminal_id, bytes.fromhex(secret_hex), "HMAC-SHA256", retry_for=ACTION_RETRY_S
        )
        self.qtbot = qtbot
        self.terminal = LazyTerminal(replace(settings, data_dir=settings.data_dir / name))
        self.ui = CounterUi(
            self.terminal,  # type: ignore[arg-type]
            create_application(),
            WindowOptions(size=COUNTER_SIZE),
            lambda: self.client,
            self.terminal.settings,
        )
        self.desk = self.ui.desk
        qtbot.waitUntil(lambda: self.desk.phase == "signIn" and self.desk.link == "online", timeout=15_000)

    # --- looking --------------------------------------------------------------------------------------------

    def item(self, name: str) -> QQuickItem:
        found = find_item(self.ui.window.contentItem(), name)
        assert found is not None, f"no item {name!r} in the counter's window"
        return found

    def texts(self) -> list[str]:
        return [
            str(i.property("text"))
            for i in visual_items(self.ui.window.contentItem())
            if i.isVisible() and i.inherits("QQuickText") and i.property("text")
        ]

    def shows(self, fragment: str) -> bool:
        return any(fragment in text for text in self.texts())

    @property
    def current(self) -> str:
        return str(self.desk.current.get("number", "")) if self.desk.hasCurrent else ""

    # --- doing ----------------------------------------------------------------------------------------------

    def activate(self) -> None:
        """This window gets the keyboard (a test may have two counters' windows open)."""
        self.ui.window.requestActivate()
        self.qtbot.waitUntil(lambda: QGuiApplication.focusWindow() == self.ui.window, timeout=5_000)

    def key(self, key: Qt.Key) -> None:
        self.activate()
        QTest.keyClick(self.ui.window, key)

    def type(self, text: str) -> None:
        self.activate()
        for char in text:
            QTest.keyClick(self.ui.window, ord(char))  # (the char overload: the key and its text)

    def enter(self) -> None:
        self.key(Qt.Key.Key_Return)

    def click(self, name: str) -> None:
        target = self.item(name)
        top_left = target.mapToScene(QPointF(0, 0))
        at = QPoint(int(top_left.x() + target.width() / 2), int(top_left.y() + target.height() / 2))
        QTest.mouseClick(self.ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)

    def settle(self) -> None:
        """Until the action under way has its answer."""
        self.qtbot.waitUntil(lambda: not self.desk.busy and pending_calls() == 0, timeout=15_000)
        self.qtbot.wait(20)

    def sign_in(self, counter: int, staff_no: str, pin: str = PIN) -> None:
        """The sign-in form as staff fill it: counter, Enter, staff number, Enter, PIN, Enter."""
        for name in ("counterFieldInput", "staffFieldInput", "pinFieldInput"):
            self.item(name).setProperty("text", "")
        self.activate()
        self.item("counterFieldInput").forceActiveFocus()
        self.type(str(counter))
        self.enter()
        self.type(staff_no)
        self.enter()
        self.type(pin)
        self.enter()
        self.settle()

    def close(self) -> None:
        self.qtbot.waitUntil(lambda: pending_calls() == 0, timeout=15_000)
        self.ui.close()
        self.qtbot.wait(20)
        self.terminal.close()
        self.client.close()
