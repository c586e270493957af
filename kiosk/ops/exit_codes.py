"""What a role's exit code tells its supervisor (``kiosk supervise``)."""

from __future__ import annotations

from typing import Final

STOP: Final = 0  # stopped on purpose (an operator closed it): the supervisor stops too
RESTART: Final = 75  # start me again now (a command, new settings): not a crash
REBOOT: Final = 76  # restart the machine (a command from the center): the supervisor does it
# Anything else (a signal, an uncaught error, 1) is a crash.


def meaning(code: int | None) -> str:
    if code == STOP:
        return "stop"
    if code == RESTART:
        return "restart"
    if code == REBOOT:
        return "reboot"
    return "crash"
