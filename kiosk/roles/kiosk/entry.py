"""What ``kiosk run`` starts for the ``kiosk`` role: the citizen's touch UI (``KioskUi``), its devices made just
after the first frame, the catalog's search index built and sync started then; without a display, every screen
rendered to PNG files instead.

Imported before the first frame: what the frame does not show is imported inside the functions.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.services.lazy_terminal import LazyTerminal
from kiosk.ui.shell.launch import Launch, RoleStartError

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.services.devices import Devices
    from kiosk.services.terminal import Terminal

log = logging.getLogger(__name__)


def run(launch: Launch) -> int:
    if not launch.display:
        assert not isinstance(launch.terminal, LazyTerminal)  # rendering needs the data: kiosk run opened it
        return _render_without_display(launch.terminal, launch.screens_dir)
    return _run_ui(launch)


def _render_without_display(terminal: Terminal, out_dir: Path) -> int:
    from kiosk.roles.kiosk.screenshots import SCREENS, render_screens
    from kiosk.ui.shell.screenshot import ScreenshotError

    print(
        "No display found (neither DISPLAY nor WAYLAND_DISPLAY is set). "
        f"Rendering every screen to PNG files in {out_dir.resolve()}/ instead."
    )
    try:
        written = render_screens(terminal, {name: out_dir / f"{name}.png" for name in SCREENS})
    except ScreenshotError as exc:
        raise RoleStartError(f"rendering the screens failed: {exc}") from exc
    for path in written:
        print(f"  {path}")
    print("To run the UI itself, start it where there is a display, or set QT_QPA_PLATFORM (e.g. eglfs).")
    return 0


class LazyDevices:
    """The terminal's devices, made when first asked for: on the UI thread, just after the first frame (the
    device panel asks first), since the drivers' modules are not needed to show the home screen."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._devices: Devices | None = None

    def __call__(self) -> Devices:
        if self._devices is None:
            from kiosk.services.devices import Devices
            from kiosk.ui.shell.device_panel import qt_system_printer_factory

            self._devices = Devices(self._settings, a4_system=qt_system_printer_factory(self._settings))
        return self._devices

    def close(self) -> None:
        if self._devices is not None:
            self._devices.close()


def _run_ui(launch: Launch) -> int:
    from PySide6.QtCore import QTimer

    from kiosk.roles.kiosk.app import KioskUi
    from kiosk.ui.shell.app import WindowOptions, create_application
    from kiosk.ui.shell.qt_log import forward_qt_messages
    from kiosk.ui.shell.role_window import start_alive_writer

    terminal = launch.terminal
    settings = terminal.settings
    app = create_application()
    forward_qt_messages()
    options = WindowOptions(size=settings.window_size, fullscreen=settings.fullscreen and not launch.windowed)
    devices = LazyDevices(settings)
    # a LazyTerminal offers what the UI uses
    ui = KioskUi(terminal, app, options, devices=devices)  # type: ignore[arg-type]
    # Once the home screen is up: the log file, then open the cache and build the search index on a worker,
    # before anyone types; then start syncing with the center.
    ui.firstFrameShown.connect(launch.first_frame)
    ui.firstFrameShown.connect(lambda: terminal.background.run(terminal.catalog.search_index))
    engines: list[Any] = []
    ui.firstFrameShown.connect(lambda: _start_sync(terminal, ui, devices(), engines))
    ui.firstFrameShown.connect(lambda: _start_update_checks(settings, engines))
    ui.firstFrameShown.connect(lambda: _lend_to_center_commands(app))
    ui.firstFrameShown.connect(lambda: _stop_on_ctrl_c(app))
    if not launch.exit_on_first_frame:  # the local heartbeat to the supervisor (kiosk supervise)
        ui.firstFrameShown.connect(lambda: engines.append(start_alive_writer(terminal, ui)))
    if launch.exit_on_first_frame:

        def first_frame() -> None:
            print(f"FIRST_FRAME {ui.first_frame_at or time.time()!r}", flush=True)
            app.exit(0)

        ui.firstFrameShown.connect(first_frame)

    heartbeat = QTimer(interval=250)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start()

    code = app.exec()
    log.info("UI stopped (exit code %d)", code)
    from kiosk.ui.shell import ops_hooks

    ops_hooks.uninstall()
    for engine in engines:
        engine.close()
    ui.close()
    devices.close()
    return code


def _start_update_checks(settings: Settings, engines: list[Any]) -> None:
    """Signed updates checked, downloaded and staged in the background (kiosk.updates; off without update_root)."""
    from kiosk.updates.checker import UpdateChecker

    checker = UpdateChecker.started(settings)
    if checker is not None:
        engines.append(checker)


def _lend_to_center_commands(app: Any) -> None:
    """The center's restart and screenshot commands act on this window (kiosk.services.ops)."""
    from kiosk.ui.shell import ops_hooks

    ops_hooks.install(app)


def _stop_on_ctrl_c(app: Any) -> None:
    """Ctrl+C in a terminal (development) ends the UI. Python handles signals only when it runs, so the heartbeat
    timer lets it run now and then."""
    import signal

    signal.signal(signal.SIGINT, lambda *_: app.exit(130))


def _start_sync(terminal: Terminal | LazyTerminal, ui: Any, devices: Devices, engines: list[Any]) -> None:
    """Open the terminal's data (if not yet), make the sync engine and start its loop, all on a worker; the
    indicator follows it once it exists. A terminal that is not enrolled shows no sync state at all."""
    from kiosk.ui.shell.tasks import run_in_background

    def make() -> Any:
        from kiosk.services.sync.engine import SyncEngine

        opened = terminal.open() if isinstance(terminal, LazyTerminal) else terminal
        engine = SyncEngine.for_terminal(opened, devices=lambda: devices.check(timeout=3.0))
        engines.append(engine)
        if engine.status.enrolled:
            engine.start()
        else:
            log.info("not enrolled with a center: serving from the cache only (kiosk enroll)")
        return engine

    run_in_background(
        terminal.background.run(make),
        ui.sync_indicator.attach,
        lambda exc: log.error("sync could not be started: %s", exc),
        parent=ui,
    )
