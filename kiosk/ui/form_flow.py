"""Filling in a government form (自助填表): choosing a template, one step per screen, the review, taking it in,
printing it. (Being built: the constructor and ``clear`` are the contract with the application.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.services.background import Background
    from kiosk.services.citizen import CitizenServices
    from kiosk.ui.identity_prompt import IdentityPrompt
    from kiosk.ui.identity_session import IdentitySession
    from kiosk.ui.navigator import Navigator


class FormFlow(QObject):
    changed = Signal()
    finished = Signal(str)  # the citizen is done with the form of this receipt number: offer the rating

    def __init__(
        self,
        services: Callable[[], CitizenServices],
        session: IdentitySession,
        prompt: IdentityPrompt,
        navigator: Navigator,
        background: Background,
        settings: Settings,
        say: Callable[[str], None],
        printer: Callable[[], Any] | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)

    def clear(self) -> None:
        """Forget the form and everything of the citizen in it."""
