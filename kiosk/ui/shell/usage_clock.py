"""Every role's usage clock (docs/usage.md): once the window is up, the terminal's usage counter is installed for
the view-models to count into (kiosk.services.usage.events), and a timer on the UI thread ticks it every minute
with whether the center is reachable (the sync engine's status); the counter does the rest on the database writer.
The first tick closes what the last run left; the last, when the window closes, credits the time up to then.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer

from kiosk.services.usage import events
from kiosk.services.usage.counter import TICK_S, UsageCounter

log = logging.getLogger(__name__)

LAST_TICK_WAIT_S = 5.0


class UsageClock(QObject):
    def __init__(self, terminal: Any, engines: Sequence[Any], parent: QObject | None = None) -> None:
        """``terminal``: a Terminal or a LazyTerminal; ``engines``: the window's sync engines (filled later)."""
        super().__init__(parent)
        from kiosk.services.lazy_terminal import LazyTerminal

        opener = terminal.open if isinstance(terminal, LazyTerminal) else (lambda: terminal)
        settings = terminal.settings
        self.counter = UsageCounter(
            opener, terminal.background, role=settings.role, opening_hours=settings.opening_hours
        )
        self._engines = engines
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_S * 1000)
        self._timer.timeout.connect(self.tick)

    def start(self) -> UsageClock:
        events.install(self.counter)
        self.tick()
        self._timer.start()
        return self

    def online(self) -> bool:
        return any(getattr(engine.status, "online", None) is True for engine in self._engines)

    def tick(self) -> None:
        self.counter.tick(self.online())

    def stop(self) -> None:
        self._timer.stop()
        events.uninstall(self.counter)
        try:
            self.counter.tick(self.online()).result(LAST_TICK_WAIT_S)
        except Exception as exc:  # closing must always succeed
            log.warning("usage: the last tick was not written: %s", exc)
