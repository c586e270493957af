"""How a benchmark starts the program again in a child process.

The child is the same program as the one measuring: from source this interpreter with ``-m kiosk``, in the
bundle the bundle's own executable (a frozen program has no ``-m``: ``sys.executable`` is the program itself).
The startup benchmark's baseline window is started the same way, through ``BARE_WINDOW``, a hidden first
argument that ``kiosk/__main__.py`` answers before the command line is parsed.
"""

from __future__ import annotations

import sys

from kiosk.resources_path import is_frozen

BARE_WINDOW = "_bench-bare-window"


def program_command(*args: str) -> list[str]:
    """The command line that runs ``kiosk ARGS`` as the program that is running now."""
    if is_frozen():
        return [sys.executable, *args]
    return [sys.executable, "-m", "kiosk", *args]
