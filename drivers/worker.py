"""Each device does its I/O on a thread of its own, never on the caller's (or the UI's) thread.

A :class:`DeviceWorker` is one thread with a queue: calls run one at a time in submission order (a serial port or a
printer takes one conversation at a time) and hand back ``concurrent.futures.Future``, the same currency as
``kiosk.services.background``; the UI turns futures into queued Qt signals, the CLI and tests wait on them.

Work that must wait (the next look for a card, the next try of a read) is :meth:`~DeviceWorker.schedule`\\ d rather
than slept through on the worker: a small timer thread queues it when it is due, so the worker stays free for
every other call in between.

Listeners receive :class:`~drivers.base.DeviceEvent` values on the worker's thread. They must be quick and must not
raise; a listener that raises is logged and kept.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

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
        self._timers = _Timers(f"device-{name}-timer", self._run_due)

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def submit(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Run ``fn`` on this device's thread, after everything submitted before it."""
        return self._executor.submit(fn, *args, **kwargs)

    def schedule(self, delay: float, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Run ``fn`` on this device's thread ``delay`` seconds from now (queued behind what is waiting then).

        Cancelling the future before it is due drops the call; closing the worker drops everything scheduled.
        Raises ``RuntimeError`` once the worker is closed, like :meth:`submit`."""
        if self.closed:
            raise RuntimeError(f"device {self.name}: the worker is closed")
        future: Future[T] = Future()
        self._timers.add(time.monotonic() + max(0.0, delay), future, lambda: fn(*args, **kwargs))
        return future

    def _run_due(self, future: Future[Any], call: Callable[[], Any]) -> None:
        """A scheduled call is due: queue it on the worker and pass its outcome to the caller's future."""
        if not future.set_running_or_notify_cancel():
            return  # cancelled while it waited
        try:
            inner = self._executor.submit(call)
        except RuntimeError as exc:  # closed meanwhile
            future.set_exception(exc)
            return
        inner.add_done_callback(lambda done: _copy_outcome(done, future))

    def subscribe(self, listener: EventListener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: EventListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def emit(self, event: DeviceEvent) -> None:
        """Tell every listener; called from the device's own thread."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("device %s: a listener failed on %s", self.name, event.name)

    def close(self, *, wait: bool = True) -> None:
        """Stop taking work; scheduled and pending calls are cancelled, the running one finishes."""
        self._closed.set()
        self._timers.close()
        self._executor.shutdown(wait=wait, cancel_futures=True)


def _copy_outcome(source: Future[Any], target: Future[Any]) -> None:
    if source.cancelled():  # the worker closed before the call ran; the caller's future is running already
        target.set_exception(CancelledError())
        return
    exc = source.exception()
    if exc is not None:
        target.set_exception(exc)
    else:
        target.set_result(source.result())


class _Timers:
    """One thread holding scheduled calls in a heap; it hands each to ``run`` when it is due. Started on first
    use, so a device that never waits costs no thread."""

    def __init__(self, name: str, run: Callable[[Future[Any], Callable[[], Any]], None]) -> None:
        self._name = name
        self._run = run
        self._heap: list[tuple[float, int, Future[Any], Callable[[], Any]]] = []
        self._order = itertools.count()
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def add(self, due: float, future: Future[Any], call: Callable[[], Any]) -> None:
        with self._condition:
            if self._closed:
                raise RuntimeError("the device worker is closed")
            heapq.heappush(self._heap, (due, next(self._order), future, call))
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
                self._thread.start()
            self._condition.notify()

    def close(self) -> None:
        with self._condition:
            self._closed = True
            waiting, self._heap = self._heap, []
            self._condition.notify()
            thread = self._thread
        for _due, _order, future, _call in waiting:
            future.cancel()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)

    def _loop(self) -> None:
        while True:
            with self._condition:
                while not self._closed and (not self._heap or self._heap[0][0] > time.monotonic()):
                    self._condition.wait(self._heap[0][0] - time.monotonic() if self._heap else None)
                if self._closed:
                    return
                _due, _order, future, call = heapq.heappop(self._heap)
            self._run(future, call)
