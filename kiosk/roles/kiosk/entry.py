"""What ``kiosk run`` starts for the ``kiosk`` role: the citizen's touch UI (``KioskUi``), its devices made just
after the first frame, the catalog's search index built and sync started then; without a display, every screen
rendered to PNG files instead.

Imported before the first frame: what the frame does not show is imported inside the functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.services.lazy_terminal import LazyTerminal
from kiosk.ui.shell.launch import Launch, RoleStartError

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.services.devices import Devices
    from kiosk.services.terminal import Terminal


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
    from kiosk.roles.kiosk.app import KioskUi
    from kiosk.ui.shell.role_window import run_window

    terminal = launch.terminal
    settings = terminal.settings
    devices = LazyDevices(settings)
    return run_window(
        launch,
        # a LazyTerminal offers what the UI uses
        lambda app, options: KioskUi(terminal, app, options, devices=devices),  # type: ignore[arg-type]
        size=settings.window_size,
        what="UI",
        # Once the home screen is up, open the cache and build the search index on a worker, before anyone
        # types; the shell then starts syncing with the center (its heartbeat says how the devices are).
        after_first_frame=lambda _ui: terminal.background.run(terminal.catalog.search_index),
        on_close=devices.close,
        devices=lambda: devices().check(timeout=3.0),
        on_sync=lambda ui, engine: ui.sync_indicator.attach(engine),
    )
