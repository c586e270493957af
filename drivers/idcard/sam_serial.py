"""The resident ID card reader as a SAM module on a serial port (backend ``sam-serial``), through pyserial.

One command, one response: the driver flushes what the port holds, writes the command and reads until one whole
response frame is in. Timeouts follow from the baud rate and the frames' sizes (with room for a slow USB adapter)
plus the time the module may take to answer. A line that goes quiet in the middle of a frame means the frame was
cut short; a damaged frame (bad CHK, impossible LEN) is dropped. After either, the driver waits until the line is
quiet, flushes, and the command is sent again when it is safe to repeat (find, status, SAM id); the card's
select-and-read is repeated by the base reader from ``find`` on. Silence is not asked about again: a module that
does not answer in time is reported (``timeout``, offline) and the base reader's loop tries later.

:class:`SimulatorReader` (backend ``simulator``) is this same driver talking to an in-process
:class:`~drivers.idcard.simulator.SimulatedSam` on a pty, so the demo and ``--driver simulator`` run the real code
end to end; its ``simulator`` attribute places and removes cards.
"""

from __future__ import annotations

import logging
import sys
import time

import serial

from drivers.base import Health
from drivers.idcard.errors import (
    LINK_FAULT,
    NO_ANSWER,
    NOT_CONNECTED,
    SW_CARD_FOUND,
    SW_OK,
    IdCardError,
    status_error,
)
from drivers.idcard.protocol import (
    MAX_RF_BYTES,
    Command,
    Response,
    ResponseDecoder,
    decode_base_message,
    encode_command,
    format_sam_id,
)
from drivers.idcard.reader import CardRead, IdCardReader
from drivers.idcard.simulator import Fault, SimulatedSam
from drivers.idcard.textblock import parse_text_block
from kiosk.domain.identity import Identity

log = logging.getLogger(__name__)

SW_NO_CARD = 0x80

# The longest response each command may bring (preamble, LEN, SW, data, CHK), for its timeout.
_RESPONSE_SIZE = {
    Command.RESET_SAM: 11,
    Command.SAM_STATUS: 11,
    Command.SAM_ID: 27,
    Command.FIND_CARD: 15,
    Command.SELECT_CARD: 19,
    Command.READ_BASE: 1295,
    Command.READ_BASE_FINGERPRINT: 2321,
    Command.SET_MAX_RF_BYTES: 11,
}
# Commands the module may take longer to start answering: a reset, and reading the card over the air.
_SLOW_COMMANDS = {Command.RESET_SAM: 2.0, Command.READ_BASE: 2.0, Command.READ_BASE_FINGERPRINT: 3.0}
# Sending these again changes nothing on the module, so a damaged answer is simply asked for again.
_REPEATABLE = {
    Command.RESET_SAM,
    Command.SAM_STATUS,
    Command.SAM_ID,
    Command.FIND_CARD,
    Command.SET_MAX_RF_BYTES,
}
# A damaged answer is worth asking for again; silence is not (the base reader's own loop tries again later).
_DAMAGED = {"checksum", "frame"}
_POLL_S = 0.02  # how long one read of the port may block: bounds the reaction to a silent line
# Watching asks find card over and over; at slow baud rates it waits long enough between two finds that they take
# at most this share of the line's time, so a read or a status check never queues behind a stream of finds.
_LOOK_SHARE = 0.1


def default_port() -> str:
    """The port a SAM module usually sits on when the settings leave it empty."""
    return "COM3" if sys.platform == "win32" else "/dev/ttyUSB0"


class SamSerialReader(IdCardReader):
    backend = "sam-serial"

    def __init__(
        self, port: str = "", *, baud: int = 115200, answer_time: float = 1.0, retries: int = 2
    ) -> None:
        """``answer_time``: how long the module may think before its first byte (doubled or more for a reset
        and a read); ``retries``: how often a repeatable command is sent again after a damaged answer."""
        if baud <= 0:
            raise ValueError(f"baud rate must be positive, not {baud}")
        super().__init__()
        self.port = port or default_port()
        self.baud = baud
        self.answer_time = answer_time
        self.retries = retries
        self._serial: serial.Serial | None = None
        self._decoder = ResponseDecoder()
        # A gap this long inside a frame means the rest is not coming: 200 byte times, at least 0.1 s (a USB
        # adapter may hold bytes back for 16 ms or more).
        self._gap = max(0.1, self._wire(200))

    # -- the primitives the base reader runs on its worker --------------------------------------------------------

    def _open(self) -> None:
        try:
            self._serial = serial.Serial(
                self.port,
                self.baud,
                bytesize=serial.EIGHTBITS,
                parity=serial.PARITY_NONE,
                stopbits=serial.STOPBITS_ONE,
                timeout=_POLL_S,
                write_timeout=1.0,
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            log.warning("sam-serial: cannot open %s: %s", self.port, exc)
            raise IdCardError(NOT_CONNECTED, code="port", health=Health.OFFLINE) from None
        try:
            self._expect_ok(self._exchange(Command.RESET_SAM))
            self._expect_ok(self._exchange(Command.SAM_STATUS))
            self._expect_ok(self._exchange(Command.SET_MAX_RF_BYTES, bytes((MAX_RF_BYTES,))))
        except IdCardError:
            self._close()  # a module that does not answer is ``timeout``, offline, like any silence
            raise
        log.info("sam-serial: module on %s ready at %d baud", self.port, self.baud)

    def _close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError) as exc:
                log.warning("sam-serial: closing %s failed: %s", self.port, exc)

    def _card_present(self) -> bool:
        response = self._exchange(Command.FIND_CARD)
        if response.sw3 == SW_CARD_FOUND:
            return True
        if response.sw3 == SW_NO_CARD:
            return False
        raise self._unexpected(Command.FIND_CARD, response)

    def _min_look_pause(self) -> float:
        """Ten times a find's time on the wire: 22 ms at 115200 baud (the watch's 0.1 s wins), 0.26 s at 9600."""
        find = len(encode_command(Command.FIND_CARD)) + _RESPONSE_SIZE[Command.FIND_CARD]
        return self._wire(find) / _LOOK_SHARE

    def _read(self, *, fingerprint: bool) -> CardRead:
        self._expect_ok(self._exchange(Command.SELECT_CARD))
        command = Command.READ_BASE_FINGERPRINT if fingerprint else Command.READ_BASE
        response = self._exchange(command)
        self._expect_ok(response, command)
        message = decode_base_message(response.data, fingerprint=fingerprint)
        identity = parse_text_block(message.text, message.photo)
        if identity.problem:
            log.warning("sam-serial: %r read, but its number is not valid: %s", identity, identity.problem)
        return CardRead(identity, message.fingerprint)

    def _sam_id(self) -> str:
        response = self._exchange(Command.SAM_ID)
        self._expect_ok(response, Command.SAM_ID)
        return format_sam_id(response.data)

    # -- one exchange ---------------------------------------------------------------------------------------------

    def _exchange(self, command: Command, data: bytes = b"") -> Response:
        """Send a command and return its response, asking again after a damaged answer when that is safe."""
        attempts = 1 + (self.retries if command in _REPEATABLE else 0)
        for attempt in range(1, attempts + 1):
            try:
                return self._transact(command, data)
            except IdCardError as exc:
                if exc.code not in _DAMAGED or attempt == attempts:
                    raise
                log.info(
                    "sam-serial: %s: %s, asking again (%d/%d)", command.name, exc.code, attempt, attempts
                )
        raise AssertionError("unreachable")  # pragma: no cover

    def _transact(self, command: Command, data: bytes) -> Response:
        port = self._port()
        request = encode_command(command, data)
        self._decoder.reset()
        try:
            port.reset_input_buffer()
            port.write(request)
        except (serial.SerialException, OSError) as exc:
            raise self._port_lost(exc) from None
        timeout = self._timeout(command, len(request))
        deadline = time.monotonic() + timeout
        last_byte = time.monotonic()
        while True:
            response = self._next_response()
            if response is not None:
                return response
            now = time.monotonic()
            if self._decoder.in_frame and now - last_byte > self._gap:
                # The frame in progress was cut short (or its LEN was noise): give it up; an answer may still
                # follow it in what is buffered.
                log.warning(
                    "sam-serial: %s: the answer stopped after %d bytes", command.name, self._decoder.buffered
                )
                self._decoder.drop_frame()
                response = self._next_response()
                if response is not None:
                    return response
                self._resync()
                raise IdCardError(LINK_FAULT, code="frame", health=Health.ERROR)
            if now >= deadline:
                log.warning("sam-serial: %s: no answer within %.2f s", command.name, timeout)
                self._resync()
                raise IdCardError(NO_ANSWER, code="timeout", health=Health.OFFLINE)
            chunk = self._read_some(port)
            if chunk:
                last_byte = time.monotonic()
                self._decoder.feed(chunk)

    def _next_response(self) -> Response | None:
        try:
            return self._decoder.next_response()
        except IdCardError:
            self._resync()
            raise

    def _read_some(self, port: serial.Serial) -> bytes:
        """What the port has, blocking at most one poll interval; once a frame's LEN is in, its whole rest."""
        try:
            want = max(port.in_waiting, self._decoder.missing(), 1)
            return bytes(port.read(want))
        except (serial.SerialException, OSError) as exc:
            raise self._port_lost(exc) from None

    def _resync(self) -> None:
        """After a damaged or cut-short frame: wait until the line is quiet, then drop everything, so the rest of
        a late frame cannot be taken for the next answer."""
        self._decoder.reset()
        port = self._serial
        if port is None:
            return
        limit = time.monotonic() + self._gap + self._wire(max(_RESPONSE_SIZE.values()))
        quiet_since = time.monotonic()
        try:
            while time.monotonic() < limit and time.monotonic() - quiet_since < self._gap:
                if port.read(max(port.in_waiting, 1)):
                    quiet_since = time.monotonic()
            port.reset_input_buffer()
        except (serial.SerialException, OSError) as exc:
            log.warning("sam-serial: flushing %s failed: %s", self.port, exc)

    # -- helpers ------------------------------------------------------------------------------------------------

    def _port(self) -> serial.Serial:
        if self._serial is None:
            raise IdCardError(NOT_CONNECTED, code="port", health=Health.OFFLINE)
        return self._serial

    def _port_lost(self, exc: Exception) -> IdCardError:
        log.warning("sam-serial: %s failed: %s", self.port, exc)
        return IdCardError(NOT_CONNECTED, code="port", health=Health.OFFLINE)

    def _wire(self, size: int) -> float:
        return size * 10 / self.baud

    def _timeout(self, command: Command, request_size: int) -> float:
        """Time to think, plus twice the wire time of the request and the longest answer (a slow adapter)."""
        think = self.answer_time * _SLOW_COMMANDS.get(command, 1.0)
        return think + 2 * self._wire(request_size + _RESPONSE_SIZE[command])

    def _expect_ok(self, response: Response, command: Command | None = None) -> None:
        if response.sw3 != SW_OK:
            raise self._unexpected(command, response)

    def _unexpected(self, command: Command | None, response: Response) -> IdCardError:
        """A status the command does not expect: the module's failure, or (card found to anything but find) a
        stale answer to an earlier command."""
        name = command.name if command else "command"
        log.info("sam-serial: %s answered %r", name, response)
        if response.sw3 == SW_CARD_FOUND:
            return IdCardError(LINK_FAULT, code="frame", health=Health.ERROR)
        return status_error(response.sw3)


class SimulatorReader(SamSerialReader):
    """The SAM serial driver against a simulated module on a pty of this process (backend ``simulator``).

    ``simulator`` is the :class:`SimulatedSam`: ``reader.simulator.place(card)`` / ``.remove()`` / ``.inject()``."""

    backend = "simulator"

    def __init__(
        self,
        card: Identity | None = None,
        *,
        baud: int = 115200,
        faults: tuple[Fault | str, ...] = (),
        slow_delay: float = 0.5,
        answer_time: float = 1.0,
        retries: int = 2,
    ) -> None:
        self.simulator = SimulatedSam(baud=baud, slow_delay=slow_delay)
        port = self.simulator.start()
        try:
            if card is not None:
                self.simulator.place(card)
            for fault in faults:
                self.simulator.inject(fault)
            super().__init__(port, baud=baud, answer_time=answer_time, retries=retries)
        except BaseException:
            self.simulator.close()
            raise

    def close(self, wait_s: float = 5.0) -> None:
        super().close(wait_s)
        self.simulator.close()
