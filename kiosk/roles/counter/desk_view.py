"""The counter's window view-model: the counter flow (``kiosk.roles.counter.flow``, Qt-free) shown to QML through
the shell's one flow adapter, plus what only the window does: handing the hall's events over from the follower's
thread to the UI thread, and reading the desk again now and then so waiting times go on counting."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from kiosk.roles.counter.flow import CounterFlow
from kiosk.ui.shell.flow_adapter import flow_view

if TYPE_CHECKING:
    from kiosk.hall_client import HallClient
    from kiosk.services.background import Background

log = logging.getLogger(__name__)

# Waiting and serving times are shown in whole minutes: reading them again this often keeps them right.
TICK_MS = 15_000


class CounterDesk(flow_view(CounterFlow)):  # type: ignore[misc]
    signedIn = Signal()
    signedOut = Signal()
    _posted = Signal(object)  # a callable from another thread, run on the UI thread

    def __init__(
        self,
        background: Background,
        connect: Callable[[], HallClient],
        default_counter: int = 0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(
            lambda deliver: CounterFlow(deliver, background, connect, default_counter=default_counter), parent
        )
        self._posted.connect(self._run_posted, Qt.ConnectionType.QueuedConnection)
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self.refresh)
        self._ticker.start()
        self._closed = False

    def start(self) -> None:
        """Find the hall and follow it."""
        self.flow.start(self._post)

    def _post(self, fn: Callable[[], None]) -> None:
        if self._closed:
            return
        with contextlib.suppress(RuntimeError):  # the window is gone (closing): nobody to tell
            self._posted.emit(fn)

    @Slot(object)
    def _run_posted(self, fn: Callable[[], None]) -> None:
        if not self._closed:
            fn()

    def flow_event(self, event: str) -> None:
        if event == "signedIn":
            self.signedIn.emit()
        elif event == "signedOut":
            self.signedOut.emit()

    def close(self) -> None:
        self._closed = True
        self._ticker.stop()
        self.flow.close()
