"""The progress feature (办件进度) as a role registers it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.shell.registry import Feature, Installed

if TYPE_CHECKING:
    from kiosk.ui.shell.app import Shell


def install(shell: Shell) -> Installed:
    from kiosk.ui.features.progress.progress_screen import ProgressScreen

    progress = ProgressScreen(
        shell.citizen_services, shell.session, shell.identity_prompt, shell.navigator, shell
    )
    return Installed(view_models={"progressScreen": progress}, attributes={"progress": progress})


FEATURE = Feature(
    name="progress",
    screens={"progress": "features/progress/ProgressScreen.qml"},
    view_models=("progressScreen",),
    attributes=("progress",),
    install=install,
)
