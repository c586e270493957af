"""``kiosk run``: start the touch UI of this terminal, in the role its settings name (``role``: kiosk, display,
counter, rating; ``kiosk.roles``).

The home screen's first frame is what a citizen waits for (``kiosk bench startup`` measures it), so before it
this command loads only what the frame needs. The log's rotating file handler (``logging.handlers`` pulls in
sockets and pickling), the devices and the terminal's data all come just after it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import Settings, SettingsError, hash_pin, save_setting
from kiosk.services.lazy_terminal import LazyTerminal

if TYPE_CHECKING:
    from kiosk.services.terminal import Terminal

log = logging.getLogger(__name__)

DEMO_PIN = "246810"
DEFAULT_SCREENS_DIR = "kiosk-screens"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "run",
        help="start the touch UI",
        description="Start the touch UI full screen, in the role the settings name (role: kiosk, display, counter, "
        "rating; settings: orientation, fullscreen, language, elder_mode, idle_timeout_s). Where there is no "
        "display, render the screens to PNG files instead.",
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
    from kiosk.roles import Launch, RoleStartError, entry

    try:
        run_role = entry(settings.role)
    except RoleStartError as exc:
        return fail(str(exc))
    display = has_display()
    terminal: Terminal | LazyTerminal
    # The citizen's terminal opens its data first for the demo (which may import its catalog) and for rendering
    # its screens; the other roles have no data of their own yet.
    if settings.role == "kiosk" and (args.demo or not display):
        early_log.start_file()  # not the quick start: the data opens first
        # The demo may first have to import its catalog, and rendering screens needs the data anyway.
        from kiosk.services.terminal import Terminal

        try:
            terminal = Terminal.open(settings, demo=args.demo)
        except Exception as exc:
            log.exception("cannot open the terminal's data")
            return fail(f"cannot open the terminal's data in {settings.data_dir}: {exc}")
    else:
        # The first screen shows first; the cache opens on a worker right after (its errors show on screen).
        terminal = LazyTerminal(settings)
    launch = Launch(
        terminal=terminal,
        display=display,
        windowed=args.windowed,
        exit_on_first_frame=args.exit_on_first_frame,
        screens_dir=Path(args.screens_dir),
        first_frame=early_log.start_file,
    )
    try:
        return run_role(launch)
    except RoleStartError as exc:
        return fail(str(exc))
    finally:
        terminal.close()


def demo_devices(settings: Settings) -> Settings:
    """The demo has no hardware: the ID card reader is the simulated SAM module (cards are placed from the
    maintenance screen), unless the settings name a real one; social security cards need a PC/SC service."""
    from dataclasses import replace

    if settings.idcard_driver == "sam-serial" and not settings.idcard_port:
        settings = replace(settings, idcard_driver="simulator")
    return settings
