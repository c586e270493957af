"""What ``kiosk run`` starts for the ``counter`` role: the staff's calling window (窗口叫号) over the hall's queue
service this PC is enrolled with (``kiosk hall enroll``); without a display, its screens rendered to PNG files."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from kiosk.ui.shell.launch import Launch, RoleStartError

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.hall_client import HallClient

log = logging.getLogger(__name__)


def run(launch: Launch) -> int:
    if not launch.display:
        return _render_without_display(launch)
    return _run_window(launch)


def hall_client(settings: Settings) -> HallClient:
    """This PC's client of its hall (reads the secret: call it on a worker). A request that cannot reach the
    hall is sent again for a few seconds only, so staff soon hear that it was not done."""
    from kiosk.hall_client import HallClient
    from kiosk.roles.counter.flow import ACTION_RETRY_S
    from kiosk.store.hall_credentials import hall_credentials

    c = hall_credentials(settings)
    return HallClient(
        c.url, c.terminal_id, c.secret, c.algorithm, retry_for=ACTION_RETRY_S, user_agent="kiosk-counter"
    )


def _render_without_display(launch: Launch) -> int:
    from kiosk.roles.counter.screenshots import SCREENS, render
    from kiosk.ui.shell.screenshot import ScreenshotError

    out_dir = launch.screens_dir
    print(
        "No display found (neither DISPLAY nor WAYLAND_DISPLAY is set). "
        f"Rendering the counter's screens to PNG files in {out_dir.resolve()}/ instead."
    )
    try:
        written = render(launch.terminal.settings, {name: out_dir / f"{name}.png" for name in SCREENS})
    except ScreenshotError as exc:
        raise RoleStartError(f"rendering the screens failed: {exc}") from exc
    for path in written:
        print(f"  {path}")
    return 0


def _run_window(launch: Launch) -> int:
    import signal

    from PySide6.QtCore import QTimer

    from kiosk.roles.counter.app import CounterUi, WindowOptions, window_size
    from kiosk.ui.shell.app import create_application
    from kiosk.ui.shell.qt_log import forward_qt_messages

    settings = launch.terminal.settings
    app = create_application()
    forward_qt_messages()
    options = WindowOptions(
        size=window_size(settings), fullscreen=settings.fullscreen and not launch.windowed
    )
    ui = CounterUi(
        launch.terminal,  # type: ignore[arg-type]  # a LazyTerminal offers what the window uses (its background)
        app,
        options,
        lambda: hall_client(settings),
    )
    ui.firstFrameShown.connect(launch.first_frame)
    # Ctrl+C in a terminal (development) ends the window; Python handles signals only when it runs.
    ui.firstFrameShown.connect(lambda: signal.signal(signal.SIGINT, lambda *_: app.exit(130)))
    if launch.exit_on_first_frame:

        def first_frame() -> None:
            print(f"FIRST_FRAME {ui.first_frame_at or time.time()!r}", flush=True)
            app.exit(0)

        ui.firstFrameShown.connect(first_frame)
    heartbeat = QTimer(interval=250)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start()
    code = app.exec()
    log.info("counter window stopped (exit code %d)", code)
    ui.close()
    return code
