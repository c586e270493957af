"""暂停服务 on screen (``serviceState`` in QML): every role shows one plain page while the terminal is out of
service (:mod:`kiosk.ops.service_state`), and its own screens again when it is back.

The state is a file, since the supervisor (another process) sets it after a crash loop; the center's command and
the maintenance screen set it in this process and announce ``service_state`` (:mod:`kiosk.services.changes`).
So the file is looked at every couple of seconds (a ``stat``, read again only when it changed: a few
microseconds on the UI thread), and at once when the topic fires.

The page never comes in the middle of a citizen's session: while ``busy()`` (the shell's: someone is using the
screens) it waits, and comes when the session ends. Back in service, ``backInService`` tells the role to return
home.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

if TYPE_CHECKING:
    from kiosk.ops.service_state import OutOfService

log = logging.getLogger(__name__)

POLL_MS = 2000  # the supervisor's change shows within this (and the end of a session as soon as it comes)
DEMO_MESSAGE = "请到村委会一楼的粤智助终端，或到石角镇政务服务中心（工作日 8:30-17:30）办理。"


class ServiceStateView(QObject):
    changed = Signal()
    backInService = Signal()  # the page went away: the role returns home

    def __init__(
        self,
        data_dir: Path,
        terminal_id: str,
        busy: Callable[[], bool],
        parent: QObject | None = None,
        *,
        poll_ms: int = POLL_MS,
    ) -> None:
        """``busy``: whether a citizen's session is open now (the page waits for it to end)."""
        super().__init__(parent)
        from kiosk.ops.paths import OpsPaths

        self._data_dir = data_dir
        self._file = OpsPaths.of(data_dir).out_of_service
        self._terminal_id = terminal_id
        self._busy = busy
        self._stamp: tuple[int, int, int] | None = None
        self._state: OutOfService | None = None
        self._shown = False
        self._timer = QTimer(self, interval=poll_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        self.check()

    @Slot()
    def check(self) -> None:
        """Read the file again if it changed, and show or hide the page (also when a session just ended)."""
        stamp = self._file_stamp()
        if stamp != self._stamp:
            self._stamp = stamp
            self._read()
        self._decide()

    @Slot()
    def reread(self) -> None:
        """The state was changed in this process: read it now."""
        self._stamp = self._file_stamp()
        self._read()
        self._decide()

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self._file)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _read(self) -> None:
        from kiosk.ops.service_state import out_of_service

        state = out_of_service(self._data_dir) if self._stamp is not None else None
        if state != self._state:
            self._state = state
            if state is None:
                log.info("in service")
            else:
                log.info("out of service (%s, by %s, since %s)", state.reason, state.by, state.since)
            self.changed.emit()

    def _decide(self) -> None:
        was = self._shown
        # Once shown it stays until back in service; before, it waits for the citizen to be done.
        shown = self._state is not None and (was or not self._busy())
        if shown == was:
            return
        self._shown = shown
        log.info("the out-of-service page %s", "shows" if shown else "goes: back in service")
        self.changed.emit()
        if not shown:
            self.backInService.emit()

    def show_demo(self, message: str = DEMO_MESSAGE) -> None:
        """Show the page as the center's command would, without touching the terminal's state (screenshots)."""
        from kiosk.ops.service_state import OutOfService

        self._timer.stop()
        self._stamp = (-1, -1, -1)  # no file read from now on
        self._state = OutOfService("command", "center", "2026-12-06T08:00:00+00:00", message)
        self._shown = True
        self.changed.emit()

    def end_demo(self) -> None:
        """Back to the terminal's own state after :meth:`show_demo`."""
        if self._stamp == (-1, -1, -1):
            self._stamp, self._state, self._shown = None, None, False
            self.changed.emit()
            self._timer.start()
            self.check()

    def stop(self) -> None:
        self._timer.stop()

    @Property(bool, notify=changed)
    def outOfService(self) -> bool:
        """The page shows now."""
        return self._shown

    @Property(bool, notify=changed)
    def waiting(self) -> bool:
        """Out of service, but the page waits for the citizen's session to end."""
        return self._state is not None and not self._shown

    @Property(str, notify=changed)
    def message(self) -> str:
        """Where to go instead (the center's or the operator's words; may be empty)."""
        return self._state.message if self._state is not None else ""

    @Property(str, notify=changed)
    def reason(self) -> str:
        return self._state.reason if self._state is not None else ""

    @Property(str, notify=changed)
    def by(self) -> str:
        """``center``, ``supervisor`` or ``operator`` (empty: in service)."""
        return self._state.by if self._state is not None else ""

    @Property(str, notify=changed)
    def since(self) -> str:
        return self._state.since if self._state is not None else ""

    @Property(str, constant=True)
    def terminalId(self) -> str:
        return self._terminal_id
