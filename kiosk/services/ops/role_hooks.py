"""What the running role lends the center's commands: leaving with an exit code for its supervisor (a restart
of the program or the machine) and a picture of its window (a screenshot). Qt-free: the role's window registers
its own (``kiosk.ui.shell.ops_hooks``); a command line has neither, and commands that need them wait for a
running role.

Both are called from the sync thread; the role hands the work to its UI thread itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

# Ends the role's process with this exit code (kiosk.ops.exit_codes), as soon as it can.
ExitRequest = Callable[[int], None]
# The window as PNG bytes; raises when it cannot (the window is not shown, the grab failed).
Screenshot = Callable[[], bytes]


@dataclass(frozen=True, slots=True)
class RoleHooks:
    request_exit: ExitRequest | None = None
    screenshot: Screenshot | None = None


_lock = threading.Lock()
_hooks = RoleHooks()


def register(*, request_exit: ExitRequest | None = None, screenshot: Screenshot | None = None) -> None:
    """Lend the role's exit and screenshot (either may be given alone; the other stays as it was)."""
    global _hooks
    with _lock:
        _hooks = RoleHooks(
            request_exit if request_exit is not None else _hooks.request_exit,
            screenshot if screenshot is not None else _hooks.screenshot,
        )


def clear() -> None:
    """Forget the role's hooks (its window closed)."""
    global _hooks
    with _lock:
        _hooks = RoleHooks()


def current() -> RoleHooks:
    with _lock:
        return _hooks
