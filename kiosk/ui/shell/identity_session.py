"""The citizen's identity session: begun by a card read, ended by 结束办理, by the idle reset, or a while after the card
is taken away. The Identity lives here, in memory, for the session only; screens see the masked name.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

if TYPE_CHECKING:
    from kiosk.domain.identity import Identity

log = logging.getLogger(__name__)


class IdentitySession(QObject):
    changed = Signal()
    started = Signal()
    ended = Signal()

    def __init__(self, end_after_removal_s: int = 30, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._identity: Identity | None = None
        self._removal_timer = QTimer(self, singleShot=True, interval=max(0, end_after_removal_s) * 1000)
        self._removal_timer.timeout.connect(self._on_card_gone)

    def identity(self) -> Identity | None:
        """The full identity, for the citizen's own forms; never for a log line."""
        return self._identity

    def begin(self, identity: Any) -> None:
        """A card was read: this is now the citizen of the session (a new card replaces the previous holder; the
        same card read again, lifted and put back, changes nothing)."""
        self._removal_timer.stop()
        if self._identity is not None and identity == self._identity:
            log.info("identity session: the same card was read again")
            return
        replaced = self._identity is not None
        self._identity = identity
        log.info("identity session %s: %r", "switched" if replaced else "started", identity)
        self.changed.emit()
        self.started.emit()

    @Slot()
    def card_removed(self) -> None:
        """The card left the reader: the session ends after the configured time unless a card comes back."""
        if self._identity is not None and not self._removal_timer.isActive():
            self._removal_timer.start()

    @Slot()
    def card_placed(self) -> None:
        self._removal_timer.stop()

    def _on_card_gone(self) -> None:
        log.info("identity session ends: the card was taken away")
        self.end()

    @Slot()
    def end(self) -> None:
        """Forget the identity (the reference is dropped; nothing of it was written anywhere)."""
        self._removal_timer.stop()
        if self._identity is None:
            return
        self._identity = None
        log.info("identity session ended")
        self.changed.emit()
        self.ended.emit()

    @Property(bool, notify=changed)
    def active(self) -> bool:
        return self._identity is not None

    @Property(str, notify=changed)
    def maskedName(self) -> str:
        return self._identity.masked_name if self._identity is not None else ""

    @Property(str, notify=changed)
    def cardType(self) -> str:
        return self._identity.card_type.value if self._identity is not None else ""

    @Property(bool, notify=changed)
    def numberProblem(self) -> bool:
        """The card's ID number fails its check: forms will ask staff to verify it."""
        return self._identity is not None and not self._identity.valid
