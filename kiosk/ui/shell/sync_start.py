"""The sync engine of a role's window: made and started on a worker once the first frame is up, for every role
whose terminal is enrolled with a center (its feeds, its heartbeat, the center's commands). A terminal that is not
enrolled serves from its cache and says so once in the log.

Imported before the first frame: the engine's modules are imported on the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.services.lazy_terminal import LazyTerminal
    from kiosk.services.terminal import Terminal

log = logging.getLogger(__name__)


def start_sync(
    terminal: Terminal | LazyTerminal,
    parent: Any,
    engines: list[Any],
    *,
    devices: Callable[[], Sequence[Any]] | None = None,
    attach: Callable[[Any], None] | None = None,
) -> None:
    """Open the terminal's data (if not yet), make the engine, add it to ``engines`` (closed with the window) and
    start its loop, on a worker; ``devices`` gives the heartbeat its device health, ``attach`` receives the engine
    on the UI thread (the kiosk's sync indicator)."""
    from kiosk.ui.shell.tasks import run_in_background

    def make() -> Any:
        from kiosk.services.lazy_terminal import LazyTerminal
        from kiosk.services.sync.engine import SyncEngine

        opened = terminal.open() if isinstance(terminal, LazyTerminal) else terminal
        engine = (
            SyncEngine.for_terminal(opened, devices=devices)
            if devices is not None
            else SyncEngine.for_terminal(opened)
        )
        engines.append(engine)
        if engine.status.enrolled:
            engine.start()
        else:
            log.info("not enrolled with a center: serving from the cache only (kiosk enroll)")
        return engine

    run_in_background(
        terminal.background.run(make),
        attach or (lambda _engine: None),
        lambda exc: log.error("sync could not be started: %s", exc),
        parent=parent,
    )
