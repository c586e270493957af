"""办件进度查询 for the citizen of the session. (Being built: the constructor and ``clear`` are the contract with
the application.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from kiosk.services.citizen import CitizenServices
    from kiosk.ui.identity_prompt import IdentityPrompt
    from kiosk.ui.identity_session import IdentitySession
    from kiosk.ui.navigator import Navigator


class ProgressScreen(QObject):
    changed = Signal()

    def __init__(
        self,
        services: Callable[[], CitizenServices],
        session: IdentitySession,
        prompt: IdentityPrompt,
        navigator: Navigator,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)

    def clear(self) -> None:
        """Forget the person's cases."""
