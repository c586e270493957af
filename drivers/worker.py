"""Each device does its I/O on a thread of its own, never on the caller's (or the UI's) thread.

A :class:`DeviceWorker` is one thread with a queue: calls run one at a time in submission order (a serial port or a
printer takes one conversation at a time) and hand back ``concurrent.futures.Future``, the same currency as
``kiosk.services.background``; the UI turns futures into queued Qt signals, the CLI and tests wait on them.

Listeners receive :class:`~drivers.base.DeviceEvent` values on the worker's thread. They must be quick and must not
raise; a listener that raises is logged and kept.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from drivers.base import DeviceEvent, EventListener

P = ParamSpec("P")
T = TypeVar("T")

log = logging.getLogger(__name__)


class DeviceWorker:
    def __init__(self, name: str) -> None:
        self.name = name
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"device-{name}")
        self._listeners: list[EventListener] = []
        self._lock = threading.Lock()
        self._closed = threading.Event()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def submit(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Run ``fn`` on this device's thread, after everything submitted before it."""
        return self._executor.submit(fn, *args, **kwargs)

    def subscribe(self, listener: EventListener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: EventListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def emit(self, event: DeviceEvent) -> None:
        """Tell every listener; called from the device's own thread (or a poller of the device's)."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("device %s: a listener failed on %s", self.name, event.name)

    def close(self, *, wait: bool = True) -> None:
        """Stop taking work; pending calls are cancelled, the running one finishes."""
        self._closed.set()
        self._executor.shutdown(wait=wait, cancel_futures=True)
