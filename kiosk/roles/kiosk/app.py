"""The citizen's touch UI: the shell with the kiosk role's features and its window.

The feature list is the role's screen list: each feature registers its screens, view-models and session reset
(``kiosk.ui.shell.registry``). What ties two features together in this role is said here, since features never
import each other: a form taken in offers the rating of its new case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.features.catalog.feature import FEATURE as CATALOG
from kiosk.ui.features.forms.feature import FEATURE as FORMS
from kiosk.ui.features.guide.feature import FEATURE as GUIDE
from kiosk.ui.features.maintenance.feature import FEATURE as MAINTENANCE
from kiosk.ui.features.progress.feature import FEATURE as PROGRESS
from kiosk.ui.features.queue.feature import FEATURE as QUEUE
from kiosk.ui.features.rating.feature import FEATURE as RATING
from kiosk.ui.features.search.feature import FEATURE as SEARCH
from kiosk.ui.shell.app import Shell, WindowOptions
from kiosk.ui.shell.registry import Feature

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QGuiApplication

    from kiosk.config import Settings
    from kiosk.services.catalog.service import CatalogStats
    from kiosk.services.devices import Devices
    from kiosk.services.terminal import Terminal

MAIN_QML = "roles/kiosk/Main.qml"

# In the order they are made after the first frame and reset at the end of a session.
FEATURES: tuple[Feature, ...] = (CATALOG, SEARCH, GUIDE, MAINTENANCE, FORMS, RATING, PROGRESS, QUEUE)


class KioskUi(Shell):
    """The running citizen UI of one terminal."""

    def __init__(
        self,
        terminal: Terminal,
        app: QGuiApplication,
        options: WindowOptions,
        initial_stats: CatalogStats | None = None,
        settings: Settings | None = None,
        devices: Devices | Callable[[], Devices] | None = None,
    ) -> None:
        super().__init__(
            terminal,
            app,
            options,
            main_qml=MAIN_QML,
            features=FEATURES,
            initial_stats=initial_stats,
            settings=settings,
            devices=devices,
            show_notices=True,
        )

    def features_installed(self, feature: Feature) -> None:
        forms, rating = self.view_model("formFlow"), self.view_model("ratingScreen")
        if forms is not None and rating is not None and not getattr(self, "_rating_offered", False):
            self._rating_offered = True  # (during the shell's __init__ when nothing waits for a first frame)
            forms.finished.connect(rating.start_for_case)


__all__ = ["FEATURES", "KioskUi", "WindowOptions"]
