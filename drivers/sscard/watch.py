"""Watching PC/SC readers the way DigiDoc4's QPCSC does: a thread of its own that blocks in
``SCardGetStatusChange`` until pcscd (or WinSCard) reports a change, instead of asking again and again.

The thread has its own PC/SC context (a context serves one blocking call at a time, and the reader's worker keeps
its own for reads). It waits on the matching readers and on the ``\\\\?PnP?\\Notification`` pseudo-reader, which
wakes it when a reader is plugged in or out. Each wait is bounded (``WAIT_MS``) and ``stop`` cancels it at once
(``SCardCancel``). When a wait fails (pcscd stopped or restarted), the context is released and established again,
trying less and less often while the service stays away.

What it sees goes to ``report`` as an immutable :class:`Observation`; the reader hands that to its worker, where
the events are emitted. A card taken out and put back between two wake-ups still counts as a new card: pcsc-lite
and WinSCard count a reader's card events in the upper 16 bits of its event state.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from smartcard import scard

log = logging.getLogger(__name__)

PNP_READER = "\\\\?PnP?\\Notification"
WAIT_MS = 2000  # the longest one wait blocks; stop() does not wait for it (SCardCancel)
RETRY_MIN_S = 0.1  # the first pause before a lost context is established again
RETRY_MAX_S = 5.0  # the longest pause while the service stays away

# Answers that mean the service went away (logged quietly; any other failure is logged as a warning).
_CONTEXT_LOST = frozenset(
    {
        scard.SCARD_E_NO_SERVICE,
        scard.SCARD_E_SERVICE_STOPPED,
        scard.SCARD_E_INVALID_HANDLE,
        scard.SCARD_F_COMM_ERROR,
        scard.SCARD_E_NO_MEMORY,
    }
)


@dataclass(frozen=True, slots=True)
class Observation:
    """The readers as one wake-up found them. ``service``: the PC/SC service answers; ``readers``: the matching
    readers; ``card_reader``: the first of them holding a card that answers ("" when none); ``replaced``: that card
    was taken out and put back (or swapped) since the last observation."""

    service: bool
    readers: tuple[str, ...] = ()
    card_reader: str = ""
    replaced: bool = False


def _events(state: int) -> int:
    return (state >> 16) & 0xFFFF


def _holds_card(state: int) -> bool:
    return bool(state & scard.SCARD_STATE_PRESENT) and not state & scard.SCARD_STATE_MUTE


class ReaderWatch:
    """The watching thread. ``reader_filter``: part of the reader's name, case-folded ("" = every reader)."""

    def __init__(
        self, reader_filter: str, report: Callable[[Observation], None], name: str = "watch-pcsc"
    ) -> None:
        self._filter = reader_filter
        self._report = report
        self._name = name
        self._stop = threading.Event()
        self._context_lock = threading.Lock()
        self._context: Any = None
        self._thread: threading.Thread | None = None
        self._states: dict[str, int] = {}  # reader (and the PnP pseudo-reader) -> the state last seen
        self._last: Observation | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Wake the thread and wait for it to end."""
        self._stop.set()
        with self._context_lock:
            if self._context is not None:
                scard.SCardCancel(self._context)
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                log.warning("pcsc: the reader watch did not stop within %.0f s", timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- the thread ---------------------------------------------------------------------------------------------

    def _run(self) -> None:
        pause = RETRY_MIN_S
        try:
            while not self._stop.is_set():
                if self._context is not None or self._establish():
                    if self._wait_once():
                        pause = RETRY_MIN_S
                        continue
                    self._release()
                self._tell(Observation(service=False))
                self._stop.wait(pause)  # less and less often while the service stays away; never a busy loop
                pause = min(RETRY_MAX_S, pause * 2)
        except Exception:  # pyscard raising on its own: say so, and leave the reader to its reads
            log.exception("pcsc: the reader watch stopped unexpectedly")
        finally:
            self._release()

    def _establish(self) -> bool:
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            log.debug("pcsc watch: establish context: %s", _describe(hresult))
            return False
        with self._context_lock:
            self._context = context
        if self._stop.is_set():  # stop() came between: it could not cancel a context it did not see
            return False
        self._states = {}
        self._last = None
        log.debug("pcsc watch: context established")
        return True

    def _release(self) -> None:
        with self._context_lock:
            context, self._context = self._context, None
        if context is not None:
            scard.SCardReleaseContext(context)

    def _readers(self) -> tuple[str, ...] | None:
        """The matching readers; None when the context is lost."""
        hresult, names = scard.SCardListReaders(self._context, [])
        if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
            return ()
        if hresult != scard.SCARD_S_SUCCESS:
            log.debug("pcsc watch: list readers: %s", _describe(hresult))
            return None
        return tuple(name for name in names if self._filter in name.casefold())

    def _wait_once(self) -> bool:
        """One wait for a change (or the time limit); False when the context is lost."""
        readers = self._readers()
        if readers is None:
            return False
        watched = [PNP_READER, *readers]
        states = [(name, self._states.get(name, scard.SCARD_STATE_UNAWARE)) for name in watched]
        hresult, new_states = scard.SCardGetStatusChange(self._context, WAIT_MS, states)
        if hresult in (scard.SCARD_E_TIMEOUT, scard.SCARD_E_CANCELLED):
            if self._last is None:  # the first wait: report what is there even if nothing changed
                self._observe(readers, {})
            return True
        if hresult == scard.SCARD_E_UNKNOWN_READER:  # a reader went away between listing and waiting
            self._states = {}
            return True
        if hresult != scard.SCARD_S_SUCCESS:
            # The service stopped or restarted (pcsc-lite has answered SCARD_W_SECURITY_VIOLATION then, not only
            # SCARD_E_NO_SERVICE), or the context went bad: a new context is the one cure.
            log.log(
                logging.INFO if hresult in _CONTEXT_LOST else logging.WARNING,
                "pcsc watch: get status change: %s",
                _describe(hresult),
            )
            return False
        seen = {name: state for name, state, _atr in new_states}
        self._observe(readers, seen)
        return True

    def _observe(self, readers: tuple[str, ...], seen: dict[str, int]) -> None:
        before = self._states
        self._states = {name: state & ~scard.SCARD_STATE_CHANGED for name, state in seen.items()}
        card_reader, replaced = "", False
        for name in readers:
            state = seen.get(name, before.get(name, 0))
            if _holds_card(state):
                card_reader = name
                previous = before.get(name)
                # Still holding a card, but its reader counted a removal and an insertion meanwhile.
                replaced = (
                    previous is not None and _holds_card(previous) and _events(state) != _events(previous)
                )
                break
        self._tell(Observation(service=True, readers=readers, card_reader=card_reader, replaced=replaced))

    def _tell(self, observation: Observation) -> None:
        if observation == self._last and not observation.replaced:
            return
        self._last = observation
        try:
            self._report(observation)
        except Exception:
            log.exception("pcsc watch: reporting a change failed")


def _describe(hresult: int) -> str:
    try:
        return f"{scard.SCardGetErrorMessage(hresult)} (0x{hresult & 0xFFFFFFFF:08X})"
    except Exception:
        return f"0x{hresult & 0xFFFFFFFF:08X}"
