"""What ``kiosk run`` starts for the ``display`` role: the hall's display (叫号屏) in a full-screen window, following
the hall's queue service, its spoken calls from the speech process, and (on a display enrolled with a center) the
sync engine, which brings the center's notices. Without a display, its screens rendered to PNG files instead.

Imported before the first frame: what the frame does not show is imported inside the functions.
"""

from __future__ import annotations

from kiosk.ui.shell.launch import Launch


def run(launch: Launch) -> int:
    from kiosk.ui.shell.role_window import render_instead, run_window

    if not launch.display:
        from kiosk.roles.display.screenshots import SCREENS, render

        return render_instead(launch, SCREENS, render, "the display's")
    from kiosk.roles.display.app import DisplayUi

    terminal = launch.terminal
    return run_window(
        launch,
        lambda app, options: DisplayUi(terminal, app, options),
        size=terminal.settings.window_size,
        what="display",
    )
