"""Returning to the home screen when the citizen walks away, so the next one never sees their search or guide.

An application-wide event filter treats every touch, click and key as activity. While ``active`` (anything open
besides the bare home screen), ``idle_timeout_s`` without activity ends the session; the last ``idle_warning_s``
of them show a countdown the citizen can stop with one touch. The session never ends without that warning.
"""

from __future__ import annotations

import logging
import math
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent

log = logging.getLogger(__name__)

TICK_MS = 200


def _activity_types() -> frozenset[QEvent.Type]:
    """The events that count as the citizen doing something. Looked up when the first event arrives: the Python
    side of QEvent (its ~180 event types) takes milliseconds to make, which the first frame should not pay."""
    global _activity
    if _activity is None:
        from PySide6.QtCore import QEvent

        kinds = QEvent.Type
        _activity = frozenset(
            {
                kinds.MouseButtonPress,
                kinds.MouseButtonRelease,
                kinds.MouseButtonDblClick,
                kinds.TouchBegin,
                kinds.TouchUpdate,
                kinds.TouchEnd,
                kinds.KeyPress,
                kinds.KeyRelease,
                kinds.Wheel,
                kinds.TabletPress,
                kinds.InputMethod,
            }
        )
    return _activity


_activity: frozenset[QEvent.Type] | None = None


class IdleGuard(QObject):
    activeChanged = Signal()
    warningChanged = Signal()
    secondsLeftChanged = Signal()
    timedOut = Signal()

    def __init__(self, timeout_s: int, warning_s: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timeout = max(1, timeout_s)
        self._warning_span = max(1, min(warning_s, self._timeout))
        self._active = False
        self._warning = False
        self._seconds_left = self._warning_span
        self._last_activity = time.monotonic()
        self._deadline = self._last_activity
        self._tick = QTimer(self, interval=TICK_MS)
        self._tick.timeout.connect(self._check)

    # --- activity ----------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _activity_types():
            self.poke()
        return False

    @Slot()
    def poke(self) -> None:
        """The citizen did something: start counting again (and close the warning)."""
        self._last_activity = time.monotonic()
        if self._warning:
            log.info("idle warning dismissed")
            self._set_warning(False)

    def backdate_activity(self, seconds: float) -> None:
        """Pretend the last touch was ``seconds`` ago (the screenshot tool shows the warning this way)."""
        self._last_activity = time.monotonic() - seconds
        self._check()

    @Slot()
    def endNow(self) -> None:
        """The citizen chose to end the session from the warning."""
        log.info("idle: session ended from the warning")
        self._set_warning(False)
        self._last_activity = time.monotonic()
        self.timedOut.emit()

    # --- state -------------------------------------------------------------------------------------------

    def set_active(self, active: bool) -> None:
        if active == self._active:
            return
        self._active = active
        self._last_activity = time.monotonic()
        if active:
            self._tick.start()
        else:
            self._tick.stop()
            self._set_warning(False)
        self.activeChanged.emit()

    @Property(bool, notify=activeChanged)
    def active(self) -> bool:
        return self._active

    @Property(bool, notify=warningChanged)
    def warning(self) -> bool:
        return self._warning

    @Property(int, notify=secondsLeftChanged)
    def secondsLeft(self) -> int:
        return self._seconds_left

    @Property(int, constant=True)
    def warningSeconds(self) -> int:
        return self._warning_span

    def _check(self) -> None:
        now = time.monotonic()
        if not self._warning:
            if now - self._last_activity < self._timeout - self._warning_span:
                return
            # The countdown always runs its full length, even if this tick came late.
            self._deadline = now + self._warning_span
            self._set_seconds_left(self._warning_span)
            log.info("idle: warning shown, %d s left", self._warning_span)
            self._set_warning(True)
            return
        left = self._deadline - now
        self._set_seconds_left(max(0, math.ceil(left)))
        if left <= 0:
            log.info("idle: session ended after %d s without a touch", self._timeout)
            self._set_warning(False)
            self._last_activity = now
            self.timedOut.emit()

    def _set_warning(self, on: bool) -> None:
        if on != self._warning:
            self._warning = on
            self.warningChanged.emit()

    def _set_seconds_left(self, seconds: int) -> None:
        if seconds != self._seconds_left:
            self._seconds_left = seconds
            self.secondsLeftChanged.emit()
