"""The rating's countdown on the pad: always shown while the pad asks for a rating (a number and a bar), started
again from the full length by any touch, with a warning over its last seconds; when it runs out the pad leaves
the rating (the citizen has gone, and may still rate with the ticket's QR code).

An application-wide event filter treats every touch, click and key as the citizen still there, as the kiosk's
idle guard does; the filter only counts while the countdown runs.
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
    from PySide6.QtCore import QEvent

    kinds = QEvent.Type
    return frozenset(
        {
            kinds.MouseButtonPress,
            kinds.MouseButtonRelease,
            kinds.TouchBegin,
            kinds.TouchUpdate,
            kinds.TouchEnd,
            kinds.KeyPress,
            kinds.Wheel,
            kinds.TabletPress,
        }
    )


class Countdown(QObject):
    """``total_s`` seconds without a touch, the last ``warning_s`` of them a warning; ``expired`` when done."""

    changed = Signal()
    expired = Signal()

    def __init__(self, total_s: int, warning_s: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._total = max(5, total_s)
        self._warning_span = max(1, min(warning_s, self._total - 1))
        self._running = False
        self._deadline = 0.0
        self._seconds_left = self._total
        self._activity = _activity_types()
        self._tick = QTimer(self, interval=TICK_MS)
        self._tick.timeout.connect(self._check)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._running and event.type() in self._activity:
            self.poke()
        return False

    def start(self) -> None:
        self._running = True
        self._deadline = time.monotonic() + self._total
        self._tick.start()
        self._set_left(self._total)

    def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        self._tick.stop()
        self._set_left(self._total)

    @Slot()
    def poke(self) -> None:
        """The citizen is still there: the full length again."""
        if not self._running:
            return
        if self._seconds_left <= self._warning_span:
            log.info("rating countdown: the warning was answered with a touch")
        self._deadline = time.monotonic() + self._total
        self._set_left(self._total)

    def backdate(self, seconds: float) -> None:
        """As if the last touch was ``seconds`` ago (the screenshots show the warning this way)."""
        if self._running:
            self._deadline = time.monotonic() + self._total - seconds
            self._check()

    @Property(bool, notify=changed)
    def running(self) -> bool:
        return self._running

    @Property(int, notify=changed)
    def secondsLeft(self) -> int:
        return self._seconds_left

    @Property(int, constant=True)
    def totalSeconds(self) -> int:
        return self._total

    @Property(bool, notify=changed)
    def warning(self) -> bool:
        return self._running and self._seconds_left <= self._warning_span

    @Property(float, notify=changed)
    def fraction(self) -> float:
        """What is left of the countdown, 1 to 0 (the bar)."""
        return self._seconds_left / self._total

    def _check(self) -> None:
        left = self._deadline - time.monotonic()
        self._set_left(max(0, math.ceil(left)))
        if left <= 0 and self._running:
            self._running = False
            self._tick.stop()
            log.info("rating countdown: %d s without a touch, the rating is left", self._total)
            self.changed.emit()
            self.expired.emit()

    def _set_left(self, seconds: int) -> None:
        if seconds != self._seconds_left or not self._running:
            was_warning = self.warning
            self._seconds_left = seconds
            if self.warning and not was_warning:
                log.info("rating countdown: warning shown, %d s left", seconds)
            self.changed.emit()
