"""What ``kiosk run`` starts for the ``rating`` role: the rating pad facing the citizen at one counter (setting
``rating_counter``), following the hall it is enrolled with; without a display, its screens rendered to PNG files
instead.

Imported before the first frame: what the frame does not show is imported inside the functions.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from kiosk.ui.shell.launch import RoleStartError

if TYPE_CHECKING:
    from kiosk.ui.shell.launch import Launch

log = logging.getLogger(__name__)


def run(launch: Launch) -> int:
    if not launch.display:
        return _render_without_display(launch)
    return _run_ui(launch)


def _render_without_display(launch: Launch) -> int:
    from kiosk.roles.rating.screenshots import SCREENS, render
    from kiosk.ui.shell.screenshot import ScreenshotError

    out_dir = launch.screens_dir
    print(
        "No display found (neither DISPLAY nor WAYLAND_DISPLAY is set). "
        f"Rendering the rating pad's screens to PNG files in {out_dir.resolve()}/ instead."
    )
    try:
        written = render(launch.terminal.settings, {name: out_dir / f"{name}.png" for name in SCREENS})
    except ScreenshotError as exc:
        raise RoleStartError(f"rendering the screens failed: {exc}") from exc
    for path in written:
        print(f"  {path}")
    return 0


def _run_ui(launch: Launch) -> int:
    import signal

    from PySide6.QtCore import QTimer

    from kiosk.roles.rating.app import PadUi, window_size
    from kiosk.ui.shell.app import WindowOptions, create_application
    from kiosk.ui.shell.qt_log import forward_qt_messages

    settings = launch.terminal.settings
    app = create_application()
    forward_qt_messages()
    options = WindowOptions(
        size=window_size(settings), fullscreen=settings.fullscreen and not launch.windowed
    )
    ui = PadUi(launch.terminal, app, options)
    ui.firstFrameShown.connect(launch.first_frame)
    ui.firstFrameShown.connect(lambda: signal.signal(signal.SIGINT, lambda *_: app.exit(130)))
    if launch.exit_on_first_frame:

        def first_frame() -> None:
            print(f"FIRST_FRAME {ui.first_frame_at or time.time()!r}", flush=True)
            app.exit(0)

        ui.firstFrameShown.connect(first_frame)
    heartbeat = QTimer(interval=250)  # lets Python see Ctrl+C now and then
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start()
    code = app.exec()
    log.info("rating pad stopped (exit code %d)", code)
    ui.close()
    return code
