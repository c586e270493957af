"""What ``kiosk run`` starts for the ``display`` role: the hall's display (叫号屏) in a full-screen window, following
the hall's queue service, its spoken calls from the speech process, and (on a display enrolled with a center) the
sync engine, which brings the center's notices. Without a display, its screens rendered to PNG files instead.

Imported before the first frame: what the frame does not show is imported inside the functions.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from kiosk.ui.shell.launch import Launch, RoleStartError

if TYPE_CHECKING:
    from kiosk.services.lazy_terminal import LazyTerminal
    from kiosk.services.terminal import Terminal

log = logging.getLogger(__name__)


def run(launch: Launch) -> int:
    if not launch.display:
        return _render_without_display(launch)
    return _run_ui(launch)


def _render_without_display(launch: Launch) -> int:
    from kiosk.roles.display.screenshots import SCREENS, render
    from kiosk.ui.shell.screenshot import ScreenshotError

    out_dir = launch.screens_dir
    print(
        "No display found (neither DISPLAY nor WAYLAND_DISPLAY is set). "
        f"Rendering the display's screens to PNG files in {out_dir.resolve()}/ instead."
    )
    try:
        written = render(launch.terminal.settings, {name: out_dir / f"{name}.png" for name in SCREENS})
    except ScreenshotError as exc:
        raise RoleStartError(f"rendering the screens failed: {exc}") from exc
    for path in written:
        print(f"  {path}")
    return 0


def _run_ui(launch: Launch) -> int:
    from PySide6.QtCore import QTimer

    from kiosk.roles.display.app import DisplayUi, WindowOptions
    from kiosk.ui.shell.app import create_application
    from kiosk.ui.shell.qt_log import forward_qt_messages

    terminal = launch.terminal
    settings = terminal.settings
    app = create_application()
    forward_qt_messages()
    options = WindowOptions(size=settings.window_size, fullscreen=settings.fullscreen and not launch.windowed)
    ui = DisplayUi(terminal, app, options)
    ui.firstFrameShown.connect(launch.first_frame)
    engines: list[Any] = []
    ui.firstFrameShown.connect(lambda: _start_sync(terminal, ui, engines))
    ui.firstFrameShown.connect(lambda: _stop_on_ctrl_c(app))
    if launch.exit_on_first_frame:

        def first_frame() -> None:
            print(f"FIRST_FRAME {ui.first_frame_at or time.time()!r}", flush=True)
            app.exit(0)

        ui.firstFrameShown.connect(first_frame)

    heartbeat = QTimer(interval=250)  # lets Python see Ctrl+C now and then
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start()

    code = app.exec()
    log.info("display stopped (exit code %d)", code)
    for engine in engines:
        engine.close()
    ui.close()
    return code


def _stop_on_ctrl_c(app: Any) -> None:
    import signal

    signal.signal(signal.SIGINT, lambda *_: app.exit(130))


def _start_sync(terminal: Terminal | LazyTerminal, ui: Any, engines: list[Any]) -> None:
    """The center's feeds (the notices among them) through the sync engine, on a worker, where the display is
    enrolled with a center; a display that is not shows no notices but its own hint."""
    from kiosk.ui.shell.tasks import run_in_background

    def make() -> Any:
        from kiosk.services.lazy_terminal import LazyTerminal
        from kiosk.services.sync.engine import SyncEngine

        opened = terminal.open() if isinstance(terminal, LazyTerminal) else terminal
        engine = SyncEngine.for_terminal(opened)
        engines.append(engine)
        if engine.status.enrolled:
            engine.start()
        else:
            log.info("not enrolled with a center: no notices from it (kiosk enroll)")
        return engine

    run_in_background(
        terminal.background.run(make),
        lambda _engine: None,
        lambda exc: log.error("sync could not be started: %s", exc),
        parent=ui,
    )
