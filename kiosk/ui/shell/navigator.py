"""The stack of screens the citizen went through. Python holds the truth; the QML StackView mirrors it.

A screen's state lives as long as the screen is on the stack: a view-model clears its state when ``left`` names
its screen (popped by 返回, or by 首页 and the idle reset, which pop everything down to the home screen).
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.services.usage import events as usage

log = logging.getLogger(__name__)

HOME = "home"


class Navigator(QObject):
    pushed = Signal(str)  # QML pushes this screen
    replaced = Signal(str)  # QML replaces the top screen with this one
    popped = Signal()  # QML pops the top screen
    returnedHome = Signal()  # QML pops down to the home screen
    left = Signal(str)  # a screen was removed from the stack: its view-model clears its state
    currentChanged = Signal()

    def __init__(self, screens: Collection[str], parent: QObject | None = None) -> None:
        """``screens``: the names of the role's screens (its registry), besides the home screen."""
        super().__init__(parent)
        self._screens = frozenset(screens)
        self._stack: list[str] = [HOME]

    @Slot(str)
    def push(self, screen: str) -> None:
        if screen not in self._screens or screen == HOME:
            raise ValueError(f"unknown screen {screen!r}")
        if self._stack[-1] == screen:
            return  # a double tap opens a screen once
        self._stack.append(screen)
        log.info("screen %s", "/".join(self._stack))
        usage.screen_opened(screen)
        self.pushed.emit(screen)
        self.currentChanged.emit()

    @Slot(str)
    def replace(self, screen: str) -> None:
        """The top screen gives way to ``screen`` (返回 then goes to the screen before both)."""
        if screen not in self._screens or screen == HOME:
            raise ValueError(f"unknown screen {screen!r}")
        if len(self._stack) == 1:
            self.push(screen)
            return
        left = self._stack[-1]
        if left == screen:
            return
        self._stack[-1] = screen
        log.info("screen %s", "/".join(self._stack))
        usage.screen_opened(screen)
        self.replaced.emit(screen)
        self.left.emit(left)
        self.currentChanged.emit()

    @Slot()
    def back(self) -> None:
        if len(self._stack) == 1:
            return
        screen = self._stack.pop()
        self.popped.emit()
        self.left.emit(screen)
        self.currentChanged.emit()

    @Slot()
    def home(self) -> None:
        if len(self._stack) == 1:
            return
        removed = self._stack[:0:-1]
        del self._stack[1:]
        log.info("screen home")
        self.returnedHome.emit()
        for screen in removed:
            self.left.emit(screen)
        self.currentChanged.emit()

    def stack(self) -> tuple[str, ...]:
        return tuple(self._stack)

    @Property(str, notify=currentChanged)
    def current(self) -> str:
        return self._stack[-1]

    @Property(int, notify=currentChanged)
    def depth(self) -> int:
        return len(self._stack)

    @Property(bool, notify=currentChanged)
    def atHome(self) -> bool:
        return len(self._stack) == 1
