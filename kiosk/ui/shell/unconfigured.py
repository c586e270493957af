"""A role that is not configured on this terminal yet, shown as what it is: a plain screen that says so and whom
to ask (``resources/qml/roles/<role>/Main.qml``). No features, no devices, no catalog: nothing pretends to work."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.ui.shell.launch import Launch

log = logging.getLogger(__name__)


def run_unconfigured(launch: Launch, role: str) -> int:
    """Show the role's placeholder until the program is ended; without a display, write it to
    ``<screens dir>/<role>.png`` instead."""
    from kiosk.ui.shell.app import Shell, WindowOptions, create_application
    from kiosk.ui.shell.qt_log import forward_qt_messages

    settings = launch.terminal.settings
    log.warning("this terminal's role is %s, which is not configured yet: saying so on screen", role)
    app = create_application(offscreen=not launch.display)
    forward_qt_messages()
    options = WindowOptions(
        size=settings.window_size,
        fullscreen=settings.fullscreen and not launch.windowed,
        visible=launch.display,
    )
    ui = Shell(
        launch.terminal,  # type: ignore[arg-type]  # a LazyTerminal offers what the shell uses; it is never opened here
        app,
        options,
        main_qml=f"roles/{role}/Main.qml",
        watch_devices=False,
        show_catalog=False,
    )
    try:
        if not launch.display:
            out = launch.screens_dir / f"{role}.png"
            out.parent.mkdir(parents=True, exist_ok=True)
            ui.window.show()
            app.processEvents()
            if not ui.window.grabWindow().save(str(out)):
                log.error("the placeholder could not be written to %s", out)
                return 1
            print(f"No display found: the {role} role's screen is in {out.resolve()}")
            return 0
        ui.firstFrameShown.connect(launch.first_frame)
        if launch.exit_on_first_frame:

            def first_frame() -> None:
                print(f"FIRST_FRAME {ui.first_frame_at or time.time()!r}", flush=True)
                app.exit(0)

            ui.firstFrameShown.connect(first_frame)
        return app.exec()
    finally:
        ui.close()
