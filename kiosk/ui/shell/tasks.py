"""The one way a screen waits for slow work: a Future from ``Background`` becomes a queued Qt signal.

``Background.run``/``.write`` return a ``concurrent.futures.Future`` that completes on a worker thread. A
``BackgroundCall`` lives on the UI thread; the future's done-callback emits its signal from the worker, Qt queues
the delivery to the UI thread, and the success or failure callback runs there. Every call is delivered on a later
turn of the event loop, even when the future was already done, so callers never re-enter themselves.

    run_in_background(background.run(catalog.search, "sbk"), on_success=show, on_failure=explain)

A call can be cancelled (a newer search makes an older one pointless); its result is then dropped unseen.
Once delivered (or dropped), a call lets go of its future and callbacks and deletes itself: screens live as long
as the terminal runs and start calls as their children, so a call that stayed would keep its result alive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


def _queued() -> Any:
    """Qt.ConnectionType.QueuedConnection, looked up when first needed: creating the ``Qt`` namespace costs
    tens of milliseconds, which the home screen's first frame should not pay."""
    from PySide6.QtCore import Qt

    return Qt.ConnectionType.QueuedConnection


class BackgroundCall(QObject):
    """One pending future, delivered on the UI thread."""

    _finished = Signal(object)  # emitted from the worker thread with the future

    def __init__(
        self,
        future: Future[Any],
        on_success: Success,
        on_failure: Failure | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._future: Future[Any] | None = future
        self._on_success: Success | None = on_success
        self._on_failure: Failure | None = on_failure
        self._cancelled = False
        self._finished.connect(self._deliver, _queued())
        _pending.add(self)
        future.add_done_callback(self._emit_from_worker)

    @property
    def done(self) -> bool:
        return self not in _pending

    def cancel(self) -> None:
        """Drop the result when it comes (the work itself may still run to its end)."""
        self._cancelled = True
        if self._future is not None:
            self._future.cancel()

    def _emit_from_worker(self, future: Future[Any]) -> None:
        try:
            self._finished.emit(future)
        except RuntimeError:  # the UI object is gone (application shutting down): nobody to tell
            _pending.discard(self)

    @Slot(object)
    def _deliver(self, future: Future[Any]) -> None:
        _pending.discard(self)
        on_success, on_failure = self._on_success, self._on_failure
        self._future = self._on_success = self._on_failure = None
        self.deleteLater()
        if self._cancelled or on_success is None:
            return
        try:
            result = future.result()
        except CancelledError:
            return
        except Exception as exc:  # the worker already logged the traceback
            if on_failure is not None:
                on_failure(exc)
            else:
                log.error("background call failed and nobody handled it: %s", exc)
            return
        on_success(result)


# Calls keep themselves alive until delivered, so callers need not hold them.
_pending: set[BackgroundCall] = set()


def run_in_background(
    future: Future[Any], on_success: Success, on_failure: Failure | None = None, parent: QObject | None = None
) -> BackgroundCall:
    """Deliver ``future``'s result to ``on_success`` (or its exception to ``on_failure``) on the UI thread."""
    return BackgroundCall(future, on_success, on_failure, parent)


def pending_calls() -> int:
    """How many calls are still on their way (tests and the screenshot tool wait for zero)."""
    return len(_pending)
