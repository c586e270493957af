"""A terminal whose data opens on first use, so the touch UI can show its first frame before the cache's modules
are even loaded. It offers what the UI uses of a :class:`~kiosk.services.terminal.Terminal`: ``settings``,
``background``, ``catalog`` and ``database_health``; each catalog call opens the terminal (once) on the thread
that makes it, which is always a worker (``Background.run``), never the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.config import Settings
from kiosk.services.background import Background

if TYPE_CHECKING:
    from kiosk.services.changes import Changes
    from kiosk.services.database_health import DatabaseHealth
    from kiosk.services.terminal import Terminal
    from kiosk.store.integrity import DatabaseDamaged


class _DeferredCatalog:
    """Stands in for CatalogService: ``catalog.search`` is a callable that opens the terminal when called."""

    def __init__(self, owner: LazyTerminal) -> None:
        self._owner = owner

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(self._owner.open().catalog, name)(*args, **kwargs)

        call.__qualname__ = f"CatalogService.{name}"
        return call


class LazyTerminal:
    def __init__(self, settings: Settings, background: Background | None = None) -> None:
        self.settings = settings
        self.background = background or Background()
        self._changes: Changes | None = None
        self.catalog = _DeferredCatalog(self)
        self._terminal: Terminal | None = None
        self._damaged: DatabaseDamaged | None = None
        self._lock = threading.Lock()

    @property
    def changes(self) -> Changes:
        """What changed: heard by the screens before the data opens; the terminal announces into it once open."""
        with self._lock:
            if self._changes is None:
                from kiosk.services.changes import Changes

                self._changes = Changes()
            return self._changes

    def open(self) -> Terminal:
        """The terminal, opened now if it is not yet. A database found damaged as a whole is not opened again
        (and checked again) at every call: the same error is raised until the program restarts (after
        ``kiosk database repair``); the screens show their plain notice meanwhile."""
        changes = self.changes  # (taken before the lock, which its making takes too)
        with self._lock:
            if self._damaged is not None:
                raise self._damaged
            if self._terminal is None:
                from kiosk.services.terminal import Terminal
                from kiosk.store.integrity import DatabaseDamaged

                try:
                    self._terminal = Terminal.open(self.settings, background=self.background, changes=changes)
                except DatabaseDamaged as exc:
                    self._damaged = exc
                    raise
            return self._terminal

    def database_health(self) -> DatabaseHealth:
        """The terminal's :meth:`~kiosk.services.terminal.Terminal.database_health`, opening it if need be; a
        database too damaged to open is said to be so (on a worker, as every call that opens the terminal)."""
        from kiosk.services.database_health import unopened_health
        from kiosk.store.integrity import DatabaseDamaged

        try:
            terminal = self.open()
        except DatabaseDamaged as exc:
            return unopened_health(self.settings.database_path, exc.parts)
        return terminal.database_health()

    def close(self) -> None:
        with self._lock:
            terminal, self._terminal = self._terminal, None
        if terminal is not None:
            terminal.close()
        else:
            self.background.shutdown()
