"""What ``kiosk run`` starts for the ``rating`` role: for now the plain screen of a role not configured."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.ui.shell.launch import Launch


def run(launch: Launch) -> int:
    from kiosk.ui.shell.unconfigured import run_unconfigured

    return run_unconfigured(launch, "rating")
