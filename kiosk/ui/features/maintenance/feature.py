"""The maintenance feature as a role registers it: the hidden screen behind a PIN (``maintenance``), with the
terminal's operation on it (``terminalOps``: settings and their origins, updates, out of service)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.shell.registry import Feature, Installed

if TYPE_CHECKING:
    from kiosk.ui.shell.app import Shell


def install(shell: Shell) -> Installed:
    from kiosk.ui.features.maintenance.maintenance_screen import MaintenanceScreen
    from kiosk.ui.features.maintenance.operations import TerminalOperations

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
    operations = TerminalOperations(
        shell.settings, shell.terminal.background, lambda: shell.terminal.changes, parent=shell
    )
    return Installed(
        view_models={"maintenance": maintenance, "terminalOps": operations},
        attributes={"maintenance": maintenance, "terminal_ops": operations},
    )


FEATURE = Feature(
    name="maintenance",
    screens={"maintenance": "features/maintenance/MaintenanceScreen.qml"},
    view_models=("maintenance", "terminalOps"),
    attributes=("maintenance", "terminal_ops"),
    install=install,
)
