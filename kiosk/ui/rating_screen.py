"""好差评: rating a case (by its receipt number) or a visit. (Being built: the constructor, ``start_for_case``,
``on_scan`` and ``clear`` are the contract with the application.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.services.citizen import CitizenServices
    from kiosk.ui.identity_session import IdentitySession
    from kiosk.ui.navigator import Navigator


class RatingScreen(QObject):
    changed = Signal()

    def __init__(
        self,
        services: Callable[[], CitizenServices],
        session: IdentitySession,
        navigator: Navigator,
        settings: Settings,
        say: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)

    def start_for_case(self, receipt: str) -> None:
        """After a completed transaction: rate the case of ``receipt`` (skippable)."""

    def on_scan(self, text: str) -> bool:
        """A scanned code; True when it was a rating code (KIOSK-RATE / KIOSK-TICKET) and was handled."""
        return False

    def clear(self) -> None:
        """Forget the rating being given."""
