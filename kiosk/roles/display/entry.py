"""What ``kiosk run`` starts for the ``display`` role: the hall's display (叫号屏) in a full-screen window, following
the hall's queue service, its spoken calls from the speech process, and (on a display enrolled with a center) the
sync engine, which brings the center's notices. Without a display, its screens rendered to PNG files instead.

Imported before the first frame: what the frame does not show is imported inside the functions.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kiosk.ui.shell.launch import Launch

if TYPE_CHECKING:
    from kiosk.services.lazy_terminal import LazyTerminal
    from kiosk.services.terminal import Terminal

log = logging.getLogger(__name__)


def run(launch: Launch) -> int:
    from kiosk.ui.shell.role_window import render_instead, run_window

    if not launch.display:
        from kiosk.roles.display.screenshots import SCREENS, render

        return render_instead(launch, SCREENS, render, "the display's")
    from kiosk.roles.display.app import DisplayUi

    terminal = launch.terminal
    engines: list[Any] = []

    def stop_sync() -> None:
        for engine in engines:
            engine.close()

    return run_window(
        launch,
        lambda app, options: DisplayUi(terminal, app, options),
        size=terminal.settings.window_size,
        what="display",
        after_first_frame=lambda ui: _start_sync(terminal, ui, engines),
        on_close=stop_sync,
    )


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
