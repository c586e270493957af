"""The one way work leaves the caller's thread.

Two executors, as every layer sees them: ``writer`` is the single serialised database writer (one thread, so
writes never contend and run in submission order); ``workers`` runs reads, searches, rendering and device I/O.
Both hand back ``concurrent.futures.Future``; the UI turns a future into a queued Qt signal (kiosk.ui.shell.tasks), the
CLI and tests simply wait on it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

log = logging.getLogger(__name__)


class Background:
    def __init__(self, workers: int = 2) -> None:
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-writer")
        self._workers = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="worker")

    def write(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Run a database write on the serialised writer thread."""
        return self._writer.submit(self._logged(fn, *args, **kwargs))

    def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Run a read, search or other slow call on a worker thread."""
        return self._workers.submit(self._logged(fn, *args, **kwargs))

    def shutdown(self) -> None:
        self._workers.shutdown(wait=True, cancel_futures=True)
        self._writer.shutdown(wait=True)

    @staticmethod
    def _logged(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Callable[[], T]:
        def call() -> T:
            try:
                return fn(*args, **kwargs)
            except Exception:
                log.exception("background call %s failed", getattr(fn, "__qualname__", fn))
                raise

        return call
