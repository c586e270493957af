"""Flows with state that any role reuses (filling a form, giving a rating), Qt-free.

A flow holds what one citizen is doing, applies the domain's rules, and tells its listeners when something
changed (``"changed"``) or happened (an event name of the flow's own). It reads nothing of Qt: the touch UI shows a
flow through the shell's one generic adapter (``kiosk.ui.shell.flow_adapter``), which turns the flow's ``view()``
into QML properties and its events into signals, and the command line or a test can drive it as it is.

Work that takes time (a database read, a save) is started by the flow on the services' background and handed
back through a ``deliver`` function the owner gives it, so results arrive on the owner's thread (the UI's, for the
touch UI) and can be cancelled.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, ClassVar, Protocol

Listener = Callable[[str], None]


class Pending(Protocol):
    """Work under way that the flow may drop (its result is then never delivered)."""

    def cancel(self) -> None: ...


# deliver(future, on_result, on_error) → the pending delivery, run on the owner's thread.
Deliver = Callable[[Future[Any], Callable[[Any], None], Callable[[BaseException], None]], Pending]


class Flow:
    """What every flow has: listeners, and a view of what a screen shows.

    ``FIELDS`` names what ``view()`` holds (name → Python type), ``WRITABLE`` the fields a screen may set (name →
    the flow's setter) and ``ACTIONS`` what a screen may do (its name for it → the flow's method and argument
    types): the generic adapter makes a view-model from them."""

    FIELDS: ClassVar[dict[str, type]] = {}
    WRITABLE: ClassVar[dict[str, str]] = {}
    ACTIONS: ClassVar[dict[str, tuple[str, tuple[type, ...]]]] = {}

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def notify(self, event: str = "changed") -> None:
        for listener in list(self._listeners):
            listener(event)

    def view(self) -> dict[str, Any]:
        """What a screen shows of the flow now, by name (messages untranslated: the screen translates)."""
        raise NotImplementedError
