"""What ``kiosk run`` starts for the ``rating`` role: the rating pad facing the citizen at one counter (setting
``rating_counter``), following the hall it is enrolled with; without a display, its screens rendered to PNG files
instead.

Imported before the first frame: what the frame does not show is imported inside the functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.ui.shell.launch import Launch


def run(launch: Launch) -> int:
    from kiosk.ui.shell.role_window import render_instead, run_window

    if not launch.display:
        from kiosk.roles.rating.screenshots import SCREENS, render

        return render_instead(launch, SCREENS, render, "the rating pad's")
    from kiosk.roles.rating.app import PadUi, window_size

    return run_window(
        launch,
        lambda app, options: PadUi(launch.terminal, app, options),
        size=window_size(launch.terminal.settings),
        what="rating pad",
    )
