"""What every resident ID card reader offers, whatever the backend (SAM serial, vendor library, simulator).

A backend implements the blocking primitives (``_open``, ``_close``, ``_card_present``, ``_read``, ``_sam_id``);
:class:`IdCardReader` runs them on the device's own worker thread, watches for a card being placed and removed, and
reports health. Callers get futures and events, never a blocking call on their own thread.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from abc import ABC, abstractmethod
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass

from drivers.base import DeviceError, DeviceEvent, DeviceKind, DeviceStatus, EventListener, Health
from drivers.identity import Identity
from drivers.worker import DeviceWorker

log = logging.getLogger(__name__)

WATCH_BACKOFF_MAX_S = 10.0  # the longest pause between looks at a reader that does not answer


@dataclass(frozen=True, slots=True, repr=False)
class CardRead:
    """One read of a card: the parsed identity, the raw WLT photo and, when asked for, the fingerprint data."""

    identity: Identity
    fingerprint: bytes = b""

    def __repr__(self) -> str:
        return f"CardRead({self.identity!r}, fingerprint={len(self.fingerprint)} bytes)"


class IdCardReader(ABC):
    kind = DeviceKind.ID_CARD_READER
    backend = "abstract"

    def __init__(self) -> None:
        self._worker = DeviceWorker(self.backend)
        self._health = Health.OFFLINE
        self._code = ""
        self._message = "读卡器尚未连接"
        self._opened = False
        self._present = False
        self._watching = threading.Event()
        self._watch_error = ""  # the code of the last watching failure, logged once

    # -- what backends implement (called on the worker thread only) ------------------------------------

    @abstractmethod
    def _open(self) -> None:
        """Open the link and check the module (e.g. SAM status); raise DeviceError when it cannot."""

    @abstractmethod
    def _close(self) -> None: ...

    @abstractmethod
    def _card_present(self) -> bool:
        """Whether a card is on the reader now (find card); no card is ``False``, a fault raises DeviceError."""

    @abstractmethod
    def _read(self, *, fingerprint: bool) -> CardRead:
        """Select and read the card that is present; raise DeviceError (with a person's message) otherwise."""

    def _sam_id(self) -> str:
        return ""

    # -- the public face, safe from any thread -----------------------------------------------------------

    def status(self) -> DeviceStatus:
        return DeviceStatus(self.kind, self.backend, self._health, self._code, self._message)

    def check(self) -> Future[DeviceStatus]:
        """Open the reader if need be and report its health."""
        return self._worker.submit(self._check)

    def sam_id(self) -> Future[str]:
        return self._worker.submit(self._open_and_sam_id)

    def subscribe(self, listener: EventListener) -> None:
        self._worker.subscribe(listener)

    def unsubscribe(self, listener: EventListener) -> None:
        self._worker.unsubscribe(listener)

    def read_card(self, *, timeout: float = 10.0, fingerprint: bool = False) -> Future[CardRead]:
        """Wait up to ``timeout`` seconds for a card, then read it once."""
        return self._worker.submit(self._wait_and_read, timeout, fingerprint)

    def start_watching(self, interval: float = 0.4) -> None:
        """Poll for a card (on the worker thread, paced by a small timer thread); emits ``card_placed`` and
        ``card_removed``. Reads submitted meanwhile run between two polls."""
        if self._watching.is_set():
            return
        self._watching.set()
        threading.Thread(
            target=self._watch_loop, args=(interval,), name=f"watch-{self.backend}", daemon=True
        ).start()

    def stop_watching(self) -> None:
        self._watching.clear()

    def close(self, wait_s: float = 5.0) -> None:
        """Stop watching, close the link (after a read still running, for up to ``wait_s``), stop the worker.
        The link is closed before the worker stops: stopping it cancels work still queued, and a vendor library
        or port left open may refuse the next reader this process makes."""
        self._watching.clear()
        if self._worker.closed:
            return
        try:
            self._worker.submit(self._shutdown).result(timeout=wait_s)
        except Exception as exc:  # a read running past the wait, or a worker already gone
            log.warning("%s: the link could not be closed in time: %s", self.backend, type(exc).__name__)
        self._worker.close()

    # -- worker-side helpers -------------------------------------------------------------------------------

    def _set_health(self, health: Health, code: str = "", message: str = "") -> None:
        changed = health != self._health
        self._health, self._code, self._message = health, code, message
        if changed:
            self._worker.emit(DeviceEvent(self.kind, "health_changed", health.value))

    def _ensure_open(self) -> None:
        if self._opened:
            return
        try:
            self._open()
        except DeviceError as exc:
            self._set_health(exc.health if exc.health != Health.OK else Health.ERROR, exc.code, str(exc))
            raise
        self._opened = True
        self._set_health(Health.OK)

    def _fault(self, exc: DeviceError) -> None:
        """A fault on an open link: close it so the next call starts clean (resynchronises)."""
        if exc.health in (Health.OFFLINE, Health.ERROR):
            self._set_health(exc.health, exc.code, str(exc))
            self._shutdown()

    def _open_and_sam_id(self) -> str:
        self._ensure_open()
        return self._sam_id()

    def _check(self) -> DeviceStatus:
        with contextlib.suppress(DeviceError):
            self._ensure_open()
        return self.status()

    def _wait_and_read(self, timeout: float, fingerprint: bool) -> CardRead:
        self._ensure_open()
        deadline = time.monotonic() + timeout
        last: DeviceError | None = None  # the last retried failure while a card lay on the reader
        while True:
            try:
                if self._card_present():
                    result = self._read(fingerprint=fingerprint)
                    log.info("%s: read %r", self.backend, result.identity)
                    return result
                last = None
            except DeviceError as exc:
                if exc.code not in _RETRYABLE:
                    self._fault(exc)
                    raise
                last = exc
                log.info("%s: %s (%s), trying again", self.backend, exc, exc.code)
            if time.monotonic() >= deadline:
                if last is not None and last.code != "no_card":
                    # The card is there but every read failed (moved, or a bad line): say that, not "no card".
                    self._fault(last)
                    raise last
                raise DeviceError(
                    "没有检测到身份证，请把身份证平放在读卡区", code="no_card", health=Health.OK
                )
            time.sleep(0.1)

    def _watch_loop(self, interval: float) -> None:
        """Poll every ``interval`` seconds while the reader answers; while it does not (unplugged, no driver),
        back off to at most ``WATCH_BACKOFF_MAX_S`` so a missing reader costs little and logs once."""
        failures = 0
        while self._watching.is_set() and not self._worker.closed:
            try:
                ok = self._worker.submit(self._poll_once).result()
            except (RuntimeError, CancelledError):  # the reader closed in between
                return
            failures = 0 if ok else failures + 1
            pause = interval if ok else min(WATCH_BACKOFF_MAX_S, interval * 2 ** min(failures, 8))
            time.sleep(pause)

    def _poll_once(self) -> bool:
        """One look for a card; False when the reader itself failed."""
        try:
            self._ensure_open()
            present = self._card_present()
        except DeviceError as exc:
            if exc.code != self._watch_error:
                log.warning("%s: watching failed: %s (%s)", self.backend, exc, exc.code)
            self._watch_error = exc.code
            self._fault(exc)
            present = False
            ok = False
        else:
            if self._watch_error:
                log.info("%s: the reader answers again", self.backend)
            self._watch_error = ""
            ok = True
        if present != self._present:
            self._present = present
            self._worker.emit(DeviceEvent(self.kind, "card_placed" if present else "card_removed"))
        return ok

    def _shutdown(self) -> None:
        if self._opened:
            self._opened = False
            try:
                self._close()
            except DeviceError as exc:
                log.warning("%s: closing failed: %s (%s)", self.backend, exc, exc.code)


# Faults worth another try within one read: the card moved, or a frame was damaged on the wire.
_RETRYABLE = frozenset({"no_card", "select_failed", "read_failed", "checksum", "frame", "timeout"})
