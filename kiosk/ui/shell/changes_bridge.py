"""What changed, on the UI thread: the one bridge from the terminal's Qt-free notifier (``kiosk.services.changes``)
to Qt. A screen that shows something a change may touch connects to the topic's signal and reads again then,
instead of polling or reading again whenever the citizen comes back home.

Announcements come on whatever thread made the change (a worker importing, the sync thread); the signals are
emitted there and Qt delivers them queued to receivers on the UI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from kiosk.services.changes import (
    CATALOG,
    FORM_TEMPLATES,
    NOTICES,
    QUEUE,
    SERVICE_STATE,
    SETTINGS,
    Change,
    Changes,
)

log = logging.getLogger(__name__)


class ChangesBridge(QObject):
    changed = Signal(str)  # any topic
    catalogChanged = Signal()
    formTemplatesChanged = Signal()
    noticesChanged = Signal()
    settingsChanged = Signal()
    queueChanged = Signal()
    serviceStateChanged = Signal()

    def __init__(self, changes: Changes, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._by_topic = {
            CATALOG: self.catalogChanged,
            FORM_TEMPLATES: self.formTemplatesChanged,
            NOTICES: self.noticesChanged,
            SETTINGS: self.settingsChanged,
            QUEUE: self.queueChanged,
            SERVICE_STATE: self.serviceStateChanged,
        }
        self._unsubscribe: Callable[[], None] | None = changes.subscribe(self._on_change)

    def _on_change(self, change: Change) -> None:
        self.changed.emit(change.topic)
        self._by_topic[change.topic].emit()

    def close(self) -> None:
        """Hear no more (the UI closes; the terminal's notifier may outlive it)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
