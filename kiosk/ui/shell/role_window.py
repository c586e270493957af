"""What every role's ``entry.run`` does around its own window (``kiosk.roles``): with no display, render the role's
screens to PNG files; with one, make the application, open the window the role builds, hand the launch its first
frame, end on Ctrl+C, run, and close. A role says only which window and what else starts after the first frame.

Imported before the first frame: Qt and the rest are imported inside the functions.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.ui.shell.launch import Launch, RoleStartError

if TYPE_CHECKING:
    from PySide6.QtGui import QGuiApplication

    from kiosk.config import Settings
    from kiosk.ui.shell.app import WindowOptions

log = logging.getLogger(__name__)


class RoleWindow(Protocol):
    """A role's window: it says when its first frame is on screen, and closes."""

    firstFrameShown: Any  # a Qt signal
    first_frame_at: float | None

    def close(self) -> None: ...


def start_alive_writer(terminal: Any, ui: Any) -> Any:
    """The role's local heartbeat to its supervisor (kiosk.ui.shell.alive_writer), once its first frame is up."""
    from kiosk.ui.shell.alive_writer import AliveWriter

    writer = AliveWriter(terminal, ui, ui.first_frame_at, parent=ui)
    writer.start()
    return writer


class Render(Protocol):
    def __call__(self, settings: Settings, targets: dict[str, Path]) -> list[Path]: ...


def render_instead(launch: Launch, screens: Mapping[str, str], render: Render, what: str) -> int:
    """No display: the role's screens (``what``: "the display's") written to PNG files in the screens folder."""
    from kiosk.ui.shell.screenshot import ScreenshotError

    out_dir = launch.screens_dir
    print(
        "No display found (neither DISPLAY nor WAYLAND_DISPLAY is set). "
        f"Rendering {what} screens to PNG files in {out_dir.resolve()}/ instead."
    )
    try:
        written = render(launch.terminal.settings, {name: out_dir / f"{name}.png" for name in screens})
    except ScreenshotError as exc:
        raise RoleStartError(f"rendering the screens failed: {exc}") from exc
    for path in written:
        print(f"  {path}")
    return 0


def run_window(
    launch: Launch,
    make: Callable[[QGuiApplication, WindowOptions], RoleWindow],
    *,
    size: tuple[int, int],
    what: str,
    after_first_frame: Callable[[RoleWindow], None] | None = None,
    on_close: Callable[[], None] | None = None,
    devices: Callable[[], Sequence[Any]] | None = None,
    on_sync: Callable[[Any, Any], None] | None = None,
) -> int:
    """Open the window ``make`` builds (``size`` unless full screen) and run until the program is ended; returns
    the exit code. ``after_first_frame`` starts what the first frame does not need; ``on_close`` stops it.

    Every role's window also gets, once its first frame is up: the sync engine where the terminal is enrolled
    with a center (``devices`` gives its heartbeat the devices' health; ``on_sync`` receives the window and the
    engine), the
    center's commands acting on the window, the background check for signed updates, and the local heartbeat to
    the supervisor."""
    import signal

    from PySide6.QtCore import QTimer

    from kiosk.ui.shell.app import WindowOptions, create_application
    from kiosk.ui.shell.qt_log import forward_qt_messages

    settings = launch.terminal.settings
    app = create_application()
    forward_qt_messages()
    ui = make(app, WindowOptions(size=size, fullscreen=settings.fullscreen and not launch.windowed))
    ui.firstFrameShown.connect(launch.first_frame)
    # Ctrl+C in a terminal (development) ends the window; Python handles signals only when it runs.
    ui.firstFrameShown.connect(lambda: signal.signal(signal.SIGINT, lambda *_: app.exit(130)))
    if after_first_frame is not None:
        ui.firstFrameShown.connect(lambda: after_first_frame(ui))
    # The center's feeds, heartbeat and commands, where the terminal is enrolled with one.
    engines: list[Any] = []
    if not launch.exit_on_first_frame:
        from kiosk.ui.shell.sync_start import start_sync

        ui.firstFrameShown.connect(
            lambda: start_sync(
                launch.terminal,
                ui,
                engines,
                devices=devices,
                attach=None if on_sync is None else lambda engine: on_sync(ui, engine),
            )
        )
    from kiosk.ui.shell import ops_hooks

    # The center's restart and screenshot commands act on this window (kiosk.services.ops).
    ui.firstFrameShown.connect(lambda: ops_hooks.install(app))
    # Signed updates checked, downloaded and staged in the background (off without update_root).
    checkers: list[Any] = []

    def start_update_checks() -> None:
        from kiosk.updates.checker import UpdateChecker

        checkers.append(UpdateChecker.started(settings))

    ui.firstFrameShown.connect(start_update_checks)
    # The local heartbeat to the supervisor (kiosk supervise), written from this UI thread.
    writers: list[Any] = []
    if not launch.exit_on_first_frame:
        ui.firstFrameShown.connect(lambda: writers.append(start_alive_writer(launch.terminal, ui)))
    # Anonymous usage (docs/usage.md): the counter the view-models count into, and its clock.
    clocks: list[Any] = []
    if not launch.exit_on_first_frame:
        from kiosk.ui.shell.usage_clock import UsageClock

        ui.firstFrameShown.connect(lambda: clocks.append(UsageClock(launch.terminal, engines, ui).start()))
    if launch.exit_on_first_frame:

        def first_frame() -> None:
            print(f"FIRST_FRAME {ui.first_frame_at or time.time()!r}", flush=True)
            app.exit(0)

        ui.firstFrameShown.connect(first_frame)
    heartbeat = QTimer(interval=250)  # lets Python see Ctrl+C now and then
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start()
    code = app.exec()
    log.info("%s stopped (exit code %d)", what, code)
    ops_hooks.uninstall()
    for checker in checkers:
        if checker is not None:
            checker.stop()
    for clock in clocks:
        clock.stop()
    for engine in engines:
        engine.close()
    if on_close is not None:
        on_close()
    ui.close()
    return code
