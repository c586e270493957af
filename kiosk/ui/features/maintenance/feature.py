"""The maintenance feature as a role registers it: the hidden screen behind a PIN."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.shell.registry import Feature, Installed

if TYPE_CHECKING:
    from kiosk.ui.shell.app import Shell


def install(shell: Shell) -> Installed:
    from kiosk.ui.features.maintenance.maintenance_screen import MaintenanceScreen

    maintenance = MaintenanceScreen(
        shell.settings,
        shell.terminal.catalog,
        shell.terminal.background,
        shell.navigator,
        parent=shell,
        health=shell.terminal.database_health,
    )
    shell.keep_awake_while(lambda: maintenance.pinPadOpen, maintenance.pinPadChanged)
    maintenance.quitRequested.connect(shell.quit)
    return Installed(view_models={"maintenance": maintenance}, attributes={"maintenance": maintenance})


FEATURE = Feature(
    name="maintenance",
    screens={"maintenance": "features/maintenance/MaintenanceScreen.qml"},
    view_models=("maintenance",),
    attributes=("maintenance",),
    install=install,
)
