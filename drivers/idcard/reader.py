"""What every resident ID card reader offers, whatever the backend (SAM serial, vendor library, simulator).

A backend implements the blocking primitives (``_open``, ``_close``, ``_card_present``, ``_read``, ``_sam_id``);
:class:`IdCardReader` runs them on the device's own worker thread, watches for a card being placed and removed, and
reports health. Callers get futures and events, never a blocking call on their own thread.

Watching. A reader that can only be asked "is a card there?" (the SAM module's find card, the vendor library's
``SDT_StartFindIDCard``) is asked every ``WATCH_INTERVAL_S``. Each look is one short call on the worker and the next
one is scheduled (:meth:`drivers.worker.DeviceWorker.schedule`), so reads and checks run between two looks and the
line is quiet most of the time. The looks go on while a card lies on the reader: a card taken away and put back
within a second is seen to leave and come back, that is, as a new card. One "no card" answer for a card that was
there is not believed alone (``REMOVAL_MISSES``). A backend that is told of changes (PC/SC) overrides
``_begin_watch`` / ``_end_watch`` and reports what it learns through ``_note_presence``.

Events: ``card_placed`` (payload ``"found"`` when the card already lay on the reader as watching began or as the
reader came back: nobody was seen placing it), ``card_removed``, ``health_changed``.

Reading. ``read_card`` tries at once and, while there is no card (or after a fault worth another try), again every
``READ_RETRY_S`` until its time is up. Each try is one call on the worker, so a read waiting for a card holds up
neither the looks nor any other call.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass

from drivers.base import DeviceError, DeviceEvent, DeviceKind, DeviceStatus, EventListener, Health
from drivers.idcard.errors import NO_CARD
from drivers.worker import DeviceWorker
from kiosk.domain.identity import Identity
from kiosk.domain.messages import define

log = logging.getLogger(__name__)

WATCH_INTERVAL_S = (
    0.1  # how often a watched reader is asked for a card (a lifted card is away longer than this)
)
REMOVAL_MISSES = 2  # "no card" answers in a row before a card that was there counts as taken away
READ_RETRY_S = 0.1  # the pause between two tries of one read
WATCH_BACKOFF_MAX_S = 10.0  # the longest pause between looks at a reader that does not answer
FOUND = "found"  # card_placed's payload for a card that was already there

NO_CARD_MESSAGE = NO_CARD  # drivers.idcard.errors: one wording for one situation
NOT_CONNECTED_YET = define("idcard.not_connected_yet", "读卡器尚未连接")()


@dataclass(frozen=True, slots=True, repr=False)
class CardRead:
    """One read of a card: the parsed identity, the raw WLT photo and, when asked for, the fingerprint data."""

    identity: Identity
    fingerprint: bytes = b""

    def __repr__(self) -> str:
        return f"CardRead({self.identity!r}, fingerprint={len(self.fingerprint)} bytes)"


@dataclass(eq=False, slots=True)
class _ReadRequest:
    """One ``read_card`` in progress; touched on the worker thread only (``future`` from anywhere)."""

    future: Future[CardRead]
    deadline: float
    read: Callable[[], CardRead]
    last: DeviceError | None = None  # the last retried failure while a card lay on the reader


class IdCardReader(ABC):
    kind = DeviceKind.ID_CARD_READER
    backend = "abstract"
    no_card_message = NO_CARD_MESSAGE  # what a read that found no card in time says

    def __init__(self) -> None:
        self._worker = DeviceWorker(self.backend)
        self._health = Health.OFFLINE
        self._code = ""
        self._message: str = NOT_CONNECTED_YET
        self._opened = False
        self._lock = threading.Lock()  # the watch's switch and the reads in progress, from any thread
        self._watching = False
        self._watch_round = 0  # bumped by every start and stop, so a stopped round's looks end
        self._reads: set[Future[CardRead]] = set()
        # the worker's own state
        self._present = False
        self._misses = 0
        self._first_look = True  # the next look is the first since watching began or the reader came back
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

    def _min_look_pause(self) -> float:
        """The shortest pause between two looks that keeps the link free for everything else (see sam_serial)."""
        return 0.0

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
        """Read the card on the reader, or the first one placed within ``timeout`` seconds. Cancelling the future
        stops the waiting."""
        return self._start_read(timeout, lambda: self._read(fingerprint=fingerprint))

    @property
    def watching(self) -> bool:
        return self._watching

    def start_watching(self, interval: float = WATCH_INTERVAL_S) -> None:
        """Report cards being placed and removed (``card_placed``, ``card_removed``) until ``stop_watching``."""
        with self._lock:
            if self._watching or self._worker.closed:
                return
            self._watching = True
            self._watch_round += 1
            watch_round = self._watch_round
        self._begin_watch(interval, watch_round)

    def stop_watching(self) -> None:
        with self._lock:
            if not self._watching:
                return
            self._watching = False
            self._watch_round += 1
        self._end_watch()

    def close(self, wait_s: float = 5.0) -> None:
        """Stop watching, close the link (after a read still running, for up to ``wait_s``), stop the worker.
        The link is closed before the worker stops: stopping it cancels work still queued, and a vendor library
        or port left open may refuse the next reader this process makes. Reads still waiting are cancelled."""
        self.stop_watching()
        if self._worker.closed:
            return
        try:
            self._worker.submit(self._shutdown).result(timeout=wait_s)
        except Exception as exc:  # a read running past the wait, or a worker already gone
            log.warning("%s: the link could not be closed in time: %s", self.backend, type(exc).__name__)
        self._worker.close()
        with self._lock:
            waiting = list(self._reads)
        for future in waiting:
            future.cancel()

    # -- reading, one try at a time on the worker ----------------------------------------------------------

    def _start_read(self, timeout: float, read: Callable[[], CardRead]) -> Future[CardRead]:
        future: Future[CardRead] = Future()
        request = _ReadRequest(future, time.monotonic() + timeout, read)
        self._worker.submit(self._try_read, request)  # raises RuntimeError once the reader is closed
        with self._lock:
            self._reads.add(future)
        future.add_done_callback(self._read_finished)
        return future

    def _read_finished(self, future: Future[CardRead]) -> None:
        with self._lock:
            self._reads.discard(future)

    def _try_read(self, request: _ReadRequest) -> None:
        if request.future.done():  # cancelled: the caller stopped waiting
            return
        try:
            self._try_read_once(request)
        except Exception as exc:  # a backend bug must still end the read, or its caller waits for ever
            log.exception("%s: a read failed unexpectedly", self.backend)
            _settle(request.future, error=exc)

    def _try_read_once(self, request: _ReadRequest) -> None:
        try:
            self._ensure_open()
        except DeviceError as exc:
            _settle(request.future, error=exc)
            return
        try:
            if self._card_present():
                result = request.read()
                log.info("%s: read %r", self.backend, result.identity)
                _settle(request.future, result)
                return
            request.last = None
        except DeviceError as exc:
            if exc.code not in _RETRYABLE:
                self._fault(exc)
                _settle(request.future, error=exc)
                return
            request.last = exc
            log.info("%s: %s (%s), trying again", self.backend, exc, exc.code)
        if time.monotonic() >= request.deadline:
            last = request.last
            if last is not None and last.code != "no_card":
                # The card is there but every try failed (moved, or a bad line): say that, not "no card".
                self._fault(last)
                _settle(request.future, error=last)
            else:
                _settle(
                    request.future, error=DeviceError(self.no_card_message, code="no_card", health=Health.OK)
                )
            return
        try:
            self._worker.schedule(READ_RETRY_S, self._try_read, request)
        except RuntimeError:  # the reader is closing
            request.future.cancel()

    # -- watching -----------------------------------------------------------------------------------------------

    def _begin_watch(self, interval: float, watch_round: int) -> None:
        """Start looking for cards (runs on the caller's thread; the looks run on the worker)."""
        self._first_look = True
        with contextlib.suppress(RuntimeError):
            self._worker.submit(self._look, interval, watch_round, 0)

    def _end_watch(self) -> None:  # noqa: B027 (a hook: the base's looks end by themselves)
        """Stop a backend's own watch; the looks of ``_begin_watch`` end by themselves at their next turn."""

    def _still_watching(self, watch_round: int) -> bool:
        return watch_round == self._watch_round and not self._worker.closed

    def _look(self, interval: float, watch_round: int, failures: int) -> None:
        """One look for a card, and the next one scheduled: ``interval`` later (no sooner than the link allows)
        while the reader answers; while it does not (unplugged, no driver), less and less often, up to
        ``WATCH_BACKOFF_MAX_S``, so a missing reader costs little and is logged once."""
        if not self._still_watching(watch_round):
            return
        ok = self._look_once()
        failures = 0 if ok else failures + 1
        if ok:
            pause = max(interval, self._min_look_pause())
        else:
            pause = min(WATCH_BACKOFF_MAX_S, interval * 2 ** min(failures, 8))
        with contextlib.suppress(RuntimeError):  # the reader closed meanwhile
            self._worker.schedule(pause, self._look, interval, watch_round, failures)

    def _look_once(self) -> bool:
        """Ask the reader for a card; False when the reader itself failed."""
        try:
            self._ensure_open()
            present = self._card_present()
        except DeviceError as exc:
            if exc.code != self._watch_error:
                log.warning("%s: watching failed: %s (%s)", self.backend, exc, exc.code)
            self._watch_error = exc.code
            self._fault(exc)
            self._note_presence(False)  # a reader that cannot be asked shows no card
            self._first_look = True  # a card it shows when it is back was not seen being placed
            return False
        if self._watch_error:
            log.info("%s: the reader answers again", self.backend)
            self._watch_error = ""
        if present or not self._present:
            self._note_presence(present)
        else:
            self._misses += 1
            if self._misses >= REMOVAL_MISSES:
                self._note_presence(False)
        return True

    def _note_presence(self, present: bool, *, replaced: bool = False) -> None:
        """On the worker: whether a card lies on the reader now; listeners hear of every change. ``replaced``: the
        card there now was taken away and put back (or another one placed) since the last look."""
        first, self._first_look = self._first_look, False
        self._misses = 0
        if present and self._present and replaced:
            self._worker.emit(DeviceEvent(self.kind, "card_removed"))
            self._worker.emit(DeviceEvent(self.kind, "card_placed"))
        elif present != self._present:
            self._present = present
            if present:
                self._worker.emit(DeviceEvent(self.kind, "card_placed", FOUND if first else ""))
            else:
                self._worker.emit(DeviceEvent(self.kind, "card_removed"))

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
            self._set_health(exc.health if exc.health != Health.OK else Health.ERROR, exc.code, exc.message)
            raise
        self._opened = True
        self._set_health(Health.OK)

    def _fault(self, exc: DeviceError) -> None:
        """A fault on an open link: close it so the next call starts clean (resynchronises)."""
        if exc.health in (Health.OFFLINE, Health.ERROR):
            self._set_health(exc.health, exc.code, exc.message)
            self._shutdown()

    def _open_and_sam_id(self) -> str:
        self._ensure_open()
        return self._sam_id()

    def _check(self) -> DeviceStatus:
        with contextlib.suppress(DeviceError):
            self._ensure_open()
        return self.status()

    def _shutdown(self) -> None:
        if self._opened:
            self._opened = False
            try:
                self._close()
            except DeviceError as exc:
                log.warning("%s: closing failed: %s (%s)", self.backend, exc, exc.code)


def _settle(
    future: Future[CardRead], result: CardRead | None = None, *, error: BaseException | None = None
) -> None:
    """Complete a read's future unless its caller cancelled it meanwhile."""
    with contextlib.suppress(InvalidStateError):
        if error is not None:
            future.set_exception(error)
        elif result is not None:
            future.set_result(result)


# Faults worth another try within one read: the card moved, or a frame was damaged on the wire.
_RETRYABLE = frozenset({"no_card", "select_failed", "read_failed", "checksum", "frame", "timeout"})
