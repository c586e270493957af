"""What ``kiosk run`` hands the role it starts (``kiosk.roles``): the shared core, made ready once for every role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.services.lazy_terminal import LazyTerminal
    from kiosk.services.terminal import Terminal


class RoleStartError(RuntimeError):
    """A role could not start; the message says why, for the operator."""


@dataclass(frozen=True)
class Launch:
    """The terminal (its data opens on first use unless it is open already), whether there is a display, the
    window wanted, where to render the screens when there is no display, and what to call once the first frame
    is on screen (the log file)."""

    terminal: Terminal | LazyTerminal
    display: bool
    windowed: bool
    exit_on_first_frame: bool
    screens_dir: Path
    first_frame: Callable[[], None]
