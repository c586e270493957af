"""``kiosk run``: start the touch UI of this terminal.

The home screen's first frame is what a citizen waits for (``kiosk bench startup`` measures it), so before it
this command loads only what the frame needs. The log's rotating file handler (``logging.handlers`` pulls in
sockets and pickling), the devices and the terminal's data all come just after it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import Settings, SettingsError, hash_pin, save_setting
from kiosk.services.lazy_terminal import LazyTerminal

if TYPE_CHECKING:
    from kiosk.services.devices import Devices
    from kiosk.services.terminal import Terminal

log = logging.getLogger(__name__)

DEMO_PIN = "246810"
DEFAULT_SCREENS_DIR = "kiosk-screens"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "run",
        help="start the touch UI",
        description="Start the touch UI full screen (settings: orientation, fullscreen, language, elder_mode, "
        "idle_timeout_s). Where there is no display, render every screen to PNG files instead.",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=f"load the demo catalog if the cache is empty, and set the demo maintenance PIN "
        f"{DEMO_PIN} if none is set",
    )
    parser.add_argument("--windowed", action="store_true", help="a normal window instead of full screen")
    parser.add_argument(
        "--exit-on-first-frame",
        action="store_true",
        help="print 'FIRST_FRAME <unix time>' once the home screen is on screen, then exit "
        "(startup benchmark)",
    )
    parser.add_argument(
        "--screens-dir",
        metavar="DIR",
        default=DEFAULT_SCREENS_DIR,
        help=f"where to write the screens when there is no display (default ./{DEFAULT_SCREENS_DIR})",
    )
    parser.set_defaults(handler=_run)


def has_display(environ: dict[str, str] | os._Environ[str] | None = None) -> bool:
    """False on Linux without X11/Wayland, unless Qt was told to use another platform (eglfs, offscreen, …)."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return True
    platform = env.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform and platform not in {"xcb", "wayland", "wayland-egl"}:
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def fail(message: str, code: int = 1) -> int:
    from kiosk.cli.output import fail as print_failure  # (it loads json and dataclasses' helpers)

    return print_failure(message, code)


class EarlyLog(logging.Handler):
    """Keeps the log records of the start until the log file is set up, then hands them to it: the rotating file
    handler is set up just after the first frame (see the module's docstring), and no line is lost meanwhile."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self._settings = settings
        self._records: list[logging.LogRecord] | None = []
        root = logging.getLogger()
        root.addHandler(self)
        root.setLevel(settings.log_level.upper())

    def emit(self, record: logging.LogRecord) -> None:
        if self._records is not None:
            self._records.append(record)

    def start_file(self) -> None:
        """Set up the log file (once) and write what was logged so far."""
        if self._records is None:
            return
        from kiosk.logs import setup_logging

        records, self._records = self._records, None
        root = logging.getLogger()
        root.removeHandler(self)
        setup_logging(self._settings.log_dir, self._settings.log_level)
        for record in records:
            root.handle(record)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    early_log = EarlyLog(settings)
    try:
        return _run_logged(args, settings, early_log)
    finally:
        early_log.start_file()


def _run_logged(args: argparse.Namespace, settings: Settings, early_log: EarlyLog) -> int:
    if args.demo and not settings.maintenance_pin_hash:
        try:
            settings = save_setting(settings, "maintenance_pin_hash", hash_pin(DEMO_PIN))
        except (SettingsError, OSError) as exc:
            return fail(f"cannot set the demo maintenance PIN: {exc}")
        print(
            f"Demo maintenance PIN set to {DEMO_PIN} (five taps in the top-left corner open the PIN pad). "
            f"Change it with: kiosk maintenance set-pin"
        )

    if args.demo:
        settings = demo_devices(settings)
    display = has_display()
    terminal: Terminal | LazyTerminal
    if args.demo or not display:
        early_log.start_file()  # not the quick start: the data opens first
        # The demo may first have to import its catalog, and rendering screens needs the data anyway.
        from kiosk.services.terminal import Terminal

        try:
            terminal = Terminal.open(settings, demo=args.demo)
        except Exception as exc:
            log.exception("cannot open the terminal's data")
            return fail(f"cannot open the terminal's data in {settings.data_dir}: {exc}")
    else:
        # The home screen shows first; the cache opens on a worker right after (its errors show on screen).
        terminal = LazyTerminal(settings)
    try:
        if not display:
            assert not isinstance(terminal, LazyTerminal)
            return _render_without_display(terminal, Path(args.screens_dir))
        return _run_ui(
            terminal, early_log, windowed=args.windowed, exit_on_first_frame=args.exit_on_first_frame
        )
    finally:
        terminal.close()


def demo_devices(settings: Settings) -> Settings:
    """The demo has no hardware: the ID card reader is the simulated SAM module (cards are placed from the
    maintenance screen), unless the settings name a real one; social security cards need a PC/SC service."""
    from dataclasses import replace

    if settings.idcard_driver == "sam-serial" and not settings.idcard_port:
        settings = replace(settings, idcard_driver="simulator")
    return settings


def _render_without_display(terminal: Terminal, out_dir: Path) -> int:
    from kiosk.roles.kiosk.screenshots import SCREENS, ScreenshotError, render_screens

    print(
        "No display found (neither DISPLAY nor WAYLAND_DISPLAY is set). "
        f"Rendering every screen to PNG files in {out_dir.resolve()}/ instead."
    )
    try:
        written = render_screens(terminal, {name: out_dir / f"{name}.png" for name in SCREENS})
    except ScreenshotError as exc:
        return fail(f"rendering the screens failed: {exc}")
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


def _run_ui(
    terminal: Terminal | LazyTerminal, early_log: EarlyLog, *, windowed: bool, exit_on_first_frame: bool
) -> int:
    from PySide6.QtCore import QTimer

    from kiosk.roles.kiosk.app import KioskUi
    from kiosk.ui.shell.app import WindowOptions, create_application
    from kiosk.ui.shell.qt_log import forward_qt_messages

    settings = terminal.settings
    app = create_application()
    forward_qt_messages()
    options = WindowOptions(size=settings.window_size, fullscreen=settings.fullscreen and not windowed)
    devices = LazyDevices(settings)
    # a LazyTerminal offers what the UI uses
    ui = KioskUi(terminal, app, options, devices=devices)  # type: ignore[arg-type]
    # Once the home screen is up: the log file, then open the cache and build the search index on a worker,
    # before anyone types; then start syncing with the center.
    ui.firstFrameShown.connect(early_log.start_file)
    ui.firstFrameShown.connect(lambda: terminal.background.run(terminal.catalog.search_index))
    engines: list[Any] = []
    ui.firstFrameShown.connect(lambda: _start_sync(terminal, ui, devices(), engines))
    ui.firstFrameShown.connect(lambda: _stop_on_ctrl_c(app))
    if exit_on_first_frame:

        def first_frame() -> None:
            print(f"FIRST_FRAME {ui.first_frame_at or time.time()!r}", flush=True)
            app.exit(0)

        ui.firstFrameShown.connect(first_frame)

    heartbeat = QTimer(interval=250)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start()

    code = app.exec()
    log.info("UI stopped (exit code %d)", code)
    for engine in engines:
        engine.close()
    ui.close()
    devices.close()
    return code


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
