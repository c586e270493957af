"""The social security card read through any PC/SC reader (pcsc-lite's pcscd on Linux, WinSCard on Windows), with
pyscard's thin ``smartcard.scard`` layer.

It is an :class:`~drivers.idcard.reader.IdCardReader`, so the terminal treats it like the resident ID card readers:
the base runs every primitive below on the device's worker thread, where every pyscard call of a read happens.
Watching is not polling: :class:`~drivers.sscard.watch.ReaderWatch` blocks in ``SCardGetStatusChange`` on a thread
and a context of its own, as DigiDoc4 does, and what it sees is handed to the worker (``_observed``), which emits the
events and closes or reopens its own context when the service goes or comes back. pyscard's ``CardMonitor`` /
``ReaderMonitor`` were not used: they are process-wide singletons, and the card monitor stops for good (printing a
traceback) when pcscd restarts.

Events: ``card_placed`` / ``card_removed`` (the base's), ``reader_added`` / ``reader_removed`` with the reader's
name as payload, ``health_changed``.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from smartcard import scard

from drivers.base import DeviceError, DeviceEvent, Health
from drivers.idcard.reader import CardRead, IdCardReader
from drivers.sscard.apdu import encode_pin
from drivers.sscard.session import read_contents
from drivers.sscard.watch import Observation, ReaderWatch
from kiosk.domain.messages import define

log = logging.getLogger(__name__)

# kiosk.domain.messages: the screens translate them by code.
NO_READER_MESSAGE = define("sscard.no_reader", "社保卡读卡器未连接，请联系工作人员")()
NO_CARD_MESSAGE = define("sscard.no_card", "没有检测到社保卡，请把社保卡芯片朝上插入读卡器")()
CARD_REMOVED_MESSAGE = define("sscard.card_removed", "读卡时社保卡被拔出，请重新插入社保卡后再试")()
READER_FAULT_MESSAGE = define("sscard.reader_fault", "社保卡读卡器出错，请联系工作人员")()

# The service or the reader is gone: the terminal cannot read any card until someone fixes it.
_OFFLINE = frozenset(
    {
        scard.SCARD_E_NO_SERVICE,
        scard.SCARD_E_SERVICE_STOPPED,
        scard.SCARD_E_NO_READERS_AVAILABLE,
        scard.SCARD_E_READER_UNAVAILABLE,
        scard.SCARD_E_UNKNOWN_READER,
        scard.SCARD_E_INVALID_HANDLE,
        scard.SCARD_F_COMM_ERROR,
    }
)
# The card went away or stopped answering in the middle of a conversation: take it out and try again.
_CARD_GONE = frozenset(
    {
        scard.SCARD_W_REMOVED_CARD,
        scard.SCARD_E_NO_SMARTCARD,
        scard.SCARD_W_RESET_CARD,
        scard.SCARD_W_UNPOWERED_CARD,
        scard.SCARD_W_UNRESPONSIVE_CARD,
        scard.SCARD_E_NOT_TRANSACTED,
        scard.SCARD_E_COMM_DATA_LOST,
    }
)
# Read failures after which the card is left alone on disconnect rather than reset (see _read_card).
_LINK_LOST = frozenset({"card_removed", "no_card", "no_reader"})


@dataclass(frozen=True, slots=True, repr=False)
class SsCardRead(CardRead):
    """A social security card's read: the identity, and the birthplace (GB/T 2260 region code), which an ID card
    does not carry and :class:`~kiosk.domain.identity.Identity` has no field for."""

    birthplace: str = ""

    def __repr__(self) -> str:
        return f"SsCardRead({self.identity!r})"


class SocialSecurityCardReader(IdCardReader):
    """``reader``: part of the PC/SC reader's name (any case); empty means the first reader holding a card.
    ``pin``: the PIN to present when a card asks for one (``read_card(pin=...)`` overrides it for one read)."""

    backend = "pcsc"
    no_card_message = NO_CARD_MESSAGE

    def __init__(self, reader: str = "", pin: str | None = None) -> None:
        super().__init__()
        self._reader_filter = reader.casefold()
        self._pin = pin
        self._read_pin: str | None = None
        self._context: Any = None
        self._readers: tuple[str, ...] = ()
        self._card_reader = ""
        self._last_fault: tuple[str, int] | None = None
        self._watch: ReaderWatch | None = None

    def read_card(
        self, *, timeout: float = 10.0, fingerprint: bool = False, pin: str | None = None
    ) -> Future[CardRead]:
        """Wait up to ``timeout`` seconds for a card and read it once. The PIN is presented only if the card asks;
        errors with codes ``pin_required``, ``pin_wrong`` (tries left in the message), ``pin_blocked``,
        ``pin_format``, ``no_card``, ``card_removed``, ``not_sscard``, ``card_data``, ``no_reader``."""
        read_pin = pin if pin is not None else self._pin
        if read_pin is not None:
            try:
                encode_pin(read_pin)  # a malformed PIN fails now, not once the citizen inserted the card
            except DeviceError as exc:
                failed: Future[CardRead] = Future()
                failed.set_exception(exc)
                return failed
        return self._start_read(timeout, lambda: self._read_with_pin(read_pin, fingerprint))

    def readers(self) -> Future[tuple[str, ...]]:
        """The PC/SC readers this reader would use (those matching its name filter)."""
        return self._worker.submit(self._open_and_list)

    # -- watching: a thread blocking in SCardGetStatusChange; its observations are handled on the worker ----------

    def _begin_watch(self, interval: float, watch_round: int) -> None:
        self._first_look = True
        watch = ReaderWatch(self._reader_filter, lambda seen: self._hand_over(seen, watch_round))
        self._watch = watch
        watch.start()

    def _end_watch(self) -> None:
        watch, self._watch = self._watch, None
        if watch is not None:
            watch.stop()

    def _hand_over(self, seen: Observation, watch_round: int) -> None:
        if self._still_watching(watch_round):
            with contextlib.suppress(RuntimeError):  # closed meanwhile
                self._worker.submit(self._observed, seen, watch_round)

    def _observed(self, seen: Observation, watch_round: int) -> None:
        """On the worker: what the watch saw becomes events, health, and this worker's own context."""
        if not self._still_watching(watch_round):
            return
        if not seen.service:
            self._note_readers(())
            self._shutdown()  # this worker's context died with the service
            self._set_health(Health.OFFLINE, "no_reader", NO_READER_MESSAGE)
            self._note_presence(False)
            self._first_look = True
            return
        try:
            self._ensure_open()  # the service is back: so is this worker's context (and the health)
        except DeviceError:
            self._note_presence(False)
            self._first_look = True
            return
        self._note_readers(seen.readers)
        if not seen.readers:
            self._set_health(Health.OFFLINE, "no_reader", NO_READER_MESSAGE)
        elif self._health is not Health.OK:
            self._set_health(Health.OK)
        if seen.card_reader:
            self._card_reader = seen.card_reader
        self._note_presence(bool(seen.card_reader), replaced=seen.replaced)

    # -- worker side ---------------------------------------------------------------------------------------------

    def _read_with_pin(self, pin: str | None, fingerprint: bool) -> CardRead:
        self._read_pin = pin
        try:
            return self._read(fingerprint=fingerprint)
        finally:
            self._read_pin = None

    def _open(self) -> None:
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            raise self._error(hresult, "establish context", service=True)
        self._context = context
        self._last_fault = None
        try:
            self._list_readers()
        except DeviceError:
            self._release()
            raise

    def _close(self) -> None:
        self._release()

    def _release(self) -> None:
        context, self._context = self._context, None
        if context is not None:
            hresult = scard.SCardReleaseContext(context)
            if hresult != scard.SCARD_S_SUCCESS:
                log.info("pcsc: release context: %s", _describe(hresult))

    def _open_and_list(self) -> tuple[str, ...]:
        self._ensure_open()
        return self._list_readers()

    def _list_readers(self) -> tuple[str, ...]:
        """The matching readers now; tells listeners which came and went. None at all is a fault (no_reader)."""
        hresult, names = scard.SCardListReaders(self._context, [])
        if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
            names = []
        elif hresult != scard.SCARD_S_SUCCESS:
            raise self._error(hresult, "list readers", service=True)
        matching = tuple(name for name in names if self._reader_filter in name.casefold())
        self._note_readers(matching)
        if not matching:
            log.debug("pcsc: no reader matching %r among %s", self._reader_filter, names)
            raise DeviceError(NO_READER_MESSAGE, code="no_reader", health=Health.OFFLINE)
        return matching

    def _error(
        self, hresult: int, what: str, *, during_read: bool = False, service: bool = False
    ) -> DeviceError:
        """The DeviceError for a PC/SC failure. Logged as a warning when it is new; a reader that stays unplugged
        is polled every fraction of a second and must not flood the log."""
        fault = (what, hresult)
        log.log(
            logging.WARNING if fault != self._last_fault else logging.DEBUG,
            "pcsc: %s failed: %s",
            what,
            _describe(hresult),
        )
        self._last_fault = fault
        if service:
            self._note_readers(())  # no reader can be seen until the context works again
        return _classify(hresult, during_read=during_read, service=service)

    def _note_readers(self, readers: tuple[str, ...]) -> None:
        before, self._readers = self._readers, readers
        for name in readers:
            if name not in before:
                log.info("pcsc: reader added: %s", name)
                self._worker.emit(DeviceEvent(self.kind, "reader_added", name))
        for name in before:
            if name not in readers:
                log.info("pcsc: reader removed: %s", name)
                self._worker.emit(DeviceEvent(self.kind, "reader_removed", name))

    def _card_present(self) -> bool:
        with _guarded("card present"):
            return self._find_card()

    def _find_card(self) -> bool:
        readers = self._list_readers()
        hresult, states = scard.SCardGetStatusChange(
            self._context, 0, [(name, scard.SCARD_STATE_UNAWARE) for name in readers]
        )
        if hresult != scard.SCARD_S_SUCCESS:
            raise self._error(hresult, "get status", service=True)
        for name, state, _atr in states:
            if state & scard.SCARD_STATE_PRESENT and not state & scard.SCARD_STATE_MUTE:
                self._card_reader = name
                return True
        return False

    def _read(self, *, fingerprint: bool) -> CardRead:
        with _guarded("read"):
            return self._read_card()

    def _read_card(self) -> CardRead:
        hresult, card, protocol = scard.SCardConnect(
            self._context,
            self._card_reader,
            scard.SCARD_SHARE_SHARED,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
        )
        if hresult in (scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_REMOVED_CARD):
            raise DeviceError(NO_CARD_MESSAGE, code="no_card", health=Health.OK)  # gone before we began
        if hresult != scard.SCARD_S_SUCCESS:
            raise self._error(hresult, "connect")
        # A reset leaves no PIN-verified state behind for whoever uses the card next. But not when the card has
        # gone: pcsc-lite then marks the reader empty on its own authority, and if a card is back before its next
        # poll it never notices the change and keeps reporting an empty reader.
        disposition = scard.SCARD_RESET_CARD
        try:
            hresult = scard.SCardBeginTransaction(card)
            if hresult != scard.SCARD_S_SUCCESS:
                raise self._error(hresult, "begin transaction", during_read=True)

            answered = 0

            def transmit(command: bytes) -> bytes:
                nonlocal answered
                result, response = scard.SCardTransmit(card, protocol, list(command))
                if result == scard.SCARD_S_SUCCESS and len(response) < 2:
                    log.warning("pcsc: transmit %s: no status word, the card is gone", command[:2].hex())
                    result = scard.SCARD_W_REMOVED_CARD  # vpcd reports a lost card this way
                if result != scard.SCARD_S_SUCCESS:
                    error = self._error(result, f"transmit {command[:2].hex()}", during_read=True)
                    if answered == 0 and error.code == "card_removed":
                        # Not one answer yet: the card pcscd still lists was swapped or is settling in. Wait for
                        # it like for any card (no_card is retried until the read's deadline).
                        raise DeviceError(NO_CARD_MESSAGE, code="no_card", health=Health.OK)
                    raise error
                answered += 1
                return bytes(response)

            contents = read_contents(transmit, self._read_pin)
            scard.SCardEndTransaction(card, scard.SCARD_LEAVE_CARD)
        except DeviceError as exc:
            if exc.code in _LINK_LOST:
                disposition = scard.SCARD_LEAVE_CARD
            raise
        finally:
            hresult = scard.SCardDisconnect(card, disposition)
            if hresult != scard.SCARD_S_SUCCESS:
                log.info("pcsc: disconnect: %s", _describe(hresult))
        return SsCardRead(identity=contents.identity(), birthplace=contents.birthplace)


@contextlib.contextmanager
def _guarded(what: str) -> Iterator[None]:
    """Whatever pyscard raises on its own (it reports most faults as return codes) leaves as a DeviceError."""
    try:
        yield
    except DeviceError:
        raise
    except Exception as exc:
        log.exception("pcsc: %s failed unexpectedly", what)
        raise DeviceError(READER_FAULT_MESSAGE, code="pcsc_error", health=Health.ERROR) from exc


def _describe(hresult: int) -> str:
    try:
        return f"{scard.SCardGetErrorMessage(hresult)} (0x{hresult & 0xFFFFFFFF:08X})"
    except Exception:
        return f"0x{hresult & 0xFFFFFFFF:08X}"


def _classify(hresult: int, *, during_read: bool, service: bool) -> DeviceError:
    """``service``: a call on the context itself (no card involved). Whatever its code, the terminal cannot see a
    reader until the context works again; pcsc-lite's client has been seen to answer ``SCARD_W_SECURITY_VIOLATION``
    rather than ``SCARD_E_NO_SERVICE`` while pcscd shuts down."""
    if during_read and hresult in _CARD_GONE:
        return DeviceError(CARD_REMOVED_MESSAGE, code="card_removed", health=Health.OK)
    if service or hresult in _OFFLINE:
        return DeviceError(NO_READER_MESSAGE, code="no_reader", health=Health.OFFLINE)
    if hresult in _CARD_GONE:
        return DeviceError(NO_CARD_MESSAGE, code="no_card", health=Health.OK)
    return DeviceError(READER_FAULT_MESSAGE, code="pcsc_error", health=Health.ERROR)
