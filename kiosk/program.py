"""The program started again as a helper process of its own (a benchmark's child, the speech engine's process).

From source the child is this interpreter with ``-m kiosk``; in the bundle it is the bundle's own executable (a
frozen program has no ``-m``: ``sys.executable`` is the program itself). Helpers that must start fast and know
nothing of the command line or the settings are hidden first arguments, answered by ``kiosk/__main__.py`` before
the command line is parsed (:data:`HIDDEN_ENTRIES`).
"""

from __future__ import annotations

import sys

from kiosk.resources_path import is_frozen

BARE_WINDOW = "_bench-bare-window"  # the startup benchmark's baseline window
SPEECH = "_speech"  # the speech engine's process (kiosk.ui.shell.speech_process)
OUT_OF_SERVICE = "_out-of-service"  # the bare 暂停服务 window the supervisor starts after a crash loop

# Hidden first argument -> the module whose ``main(argv)`` runs it (argv: the arguments after it).
HIDDEN_ENTRIES = {
    BARE_WINDOW: "kiosk.bench.bare_window",
    SPEECH: "kiosk.ui.shell.speech_process",
    OUT_OF_SERVICE: "kiosk.ui.shell.out_of_service_main",
}


def program_command(*args: str) -> list[str]:
    """The command line that runs ``kiosk ARGS`` as the program that is running now."""
    if is_frozen():
        return [sys.executable, *args]
    return [sys.executable, "-m", "kiosk", *args]
