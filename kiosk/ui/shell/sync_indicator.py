"""What the screens show of sync: a discreet online mark in the header, the 离线服务中 banner while the center cannot
be reached, and for staff the last successful sync, the last problem and the backlog.

The engine runs on a thread of its own and reports immutable ``SyncStatus`` values; they are re-emitted here as a
queued signal, so properties change on the UI thread only. Until an engine is attached (it is made after the first
frame, on a worker) nothing is known and nothing is shown.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.ui.messages import on_language_switched, translate

if TYPE_CHECKING:
    from kiosk.services.sync.engine import SyncEngine, SyncStatus

log = logging.getLogger(__name__)


def _local_time(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


class SyncIndicator(QObject):
    changed = Signal()
    _statusArrived = Signal(object)  # emitted on the sync thread, delivered on this one

    def __init__(self, stale_days: int = 30, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stale_days = stale_days
        self._engine: SyncEngine | None = None
        self._status: SyncStatus | None = None
        self._statusArrived.connect(self._on_status)
        on_language_switched(self.changed)

    def attach(self, engine: SyncEngine) -> None:
        """Follow ``engine`` from now on (called on the UI thread)."""
        self._engine = engine
        engine.add_listener(self._statusArrived.emit)
        self._on_status(engine.status)

    @Slot(object)
    def _on_status(self, status: Any) -> None:
        previous = self._status
        self._status = status
        if previous is None or previous.online != status.online:
            log.info(
                "center %s", {True: "reachable", False: "unreachable", None: "not tried yet"}[status.online]
            )
        self.changed.emit()

    @Slot()
    def syncNow(self) -> None:
        if self._engine is not None:
            self._engine.trigger()

    @Property(bool, notify=changed)
    def enrolled(self) -> bool:
        return self._status is not None and self._status.enrolled

    @Property(bool, notify=changed)
    def online(self) -> bool:
        return self.enrolled and self._status is not None and self._status.online is True

    @Property(bool, notify=changed)
    def offline(self) -> bool:
        """Enrolled, and the last attempt to reach the center failed: the terminal serves from its cache."""
        return self.enrolled and self._status is not None and self._status.online is False

    @Property(bool, notify=changed)
    def syncing(self) -> bool:
        return self._status is not None and self._status.syncing

    @Property(str, notify=changed)
    def lastSuccessAt(self) -> str:
        return _local_time(self._status.last_success_at if self._status else None)

    @Property(str, notify=changed)
    def lastError(self) -> str:
        """The last cycle's problem, in the language shown (as saved, after a restart)."""
        return translate(self._status.last_error or "") if self._status else ""

    @Property(int, notify=changed)
    def backlog(self) -> int:
        return self._status.backlog if self._status else 0

    @Property(bool, notify=changed)
    def recentlySynced(self) -> bool:
        """The center was reached within ``stale_catalog_days``: the cached content is as current as the center's."""
        last = self.last_success()
        if last is None:
            return False
        if last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        return datetime.now(UTC) - last <= timedelta(days=self._stale_days)

    def last_success(self) -> datetime | None:
        if self._status is None or not self._status.last_success_at:
            return None
        try:
            return datetime.fromisoformat(self._status.last_success_at)
        except ValueError:
            return None
