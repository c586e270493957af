"""The roles a terminal plays, each a package with its entry, its screen list and its Main.qml
(``resources/qml/roles/<role>/Main.qml``) over the shared core: ``kiosk`` (the citizen's self-service terminal),
``display`` (叫号屏), ``counter`` (窗口) and ``rating`` (评价器).

``kiosk run`` starts the one the ``role`` setting names, as Electrum picks its GUI from its config: it prepares the
shared core (settings, the terminal's data opened lazily, the log) and hands it to ``kiosk.roles.<role>.entry.run``.
The entry is looked up by name, so this package imports no role, and roles never import each other (an
import-linter contract); they compose the shell and the features of ``kiosk.ui``.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol, get_args

from kiosk.config import Role, Settings
from kiosk.ui.shell.launch import Launch, RoleStartError

ROLES: tuple[str, ...] = get_args(Role)


class Entry(Protocol):
    def __call__(self, launch: Launch) -> int: ...


def entry(role: str) -> Entry:
    """The ``run`` of the role's entry module (imported now, by name)."""
    if role not in ROLES:
        raise RoleStartError(f"unknown role {role!r}; known: {', '.join(ROLES)}")
    module = importlib.import_module(f"kiosk.roles.{role}.entry")
    run: Entry = module.run
    return run


class Screenshots(Protocol):
    """A role's ``screenshots`` module: its screens for ``kiosk screenshot`` (names unique across roles)."""

    SCREENS: dict[str, str]

    def render(
        self,
        settings: Settings,
        targets: dict[str, Path],
        *,
        size: tuple[int, int] | None = None,
        elder: bool | None = None,
        language: str | None = None,
    ) -> list[Path]: ...


def screenshots() -> dict[str, Screenshots]:
    """Every role's screenshots module, by role (a role without screens of its own yet has none)."""
    found: dict[str, Screenshots] = {}
    for role in ROLES:
        name = f"kiosk.roles.{role}.screenshots"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        found[role] = module  # type: ignore[assignment]  # a module that follows the protocol
    return found


__all__ = ["ROLES", "Entry", "Launch", "RoleStartError", "Screenshots", "entry", "screenshots"]
