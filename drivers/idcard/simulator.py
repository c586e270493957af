"""A virtual SAM module on a pseudo-terminal: the real driver talks to it exactly as to a reader on a serial port.

:class:`SimulatedSam` opens a pty (raw mode), answers the protocol of :mod:`drivers.idcard.protocol` on a thread of
its own, and paces what it writes at the configured baud rate (10 bits a byte, 8N1), so timings look like a real
wire's: a read response of 1,295 bytes takes 112 ms at 115200. A request counts too: the answer starts no earlier
than the request's own bytes would have taken to arrive.

The card's life on the reader, as the simulator models it:

- ``find`` answers ``9F`` whenever a card lies on the reader, also right after it was read (the module
  re-activates the card on every find); ``80`` once it was removed. The base reader's watch relies on this.
- ``place`` lays a card down at once, even over another one; ``place_by_hand`` swaps cards the way a hand does,
  with the reader empty for a moment in between (the demo's sample cards).
- ``select`` needs a successful ``find`` since the card was placed (``81`` otherwise); ``read`` needs a
  ``select`` since the last ``find`` (``41`` otherwise). A read leaves the card selected.

Faults (:class:`Fault`) can be injected at run time, for a number of answers or until cleared, optionally only
for one command. Everything public is safe to call from any thread.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import select
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum

from drivers.idcard.cards import SimCard
from drivers.idcard.errors import SW_CARD_FOUND, SW_OK, IdCardError
from drivers.idcard.protocol import Command, Request, RequestDecoder, encode_base_message, encode_response
from kiosk.domain.identity import Identity

log = logging.getLogger(__name__)

SW_FIND_FAILED = 0x80
SW_SELECT_FAILED = 0x81
SW_READ_FAILED = 0x41
SW_CHECKSUM = 0x10
SW_LENGTH = 0x11
SW_BAD_COMMAND = 0x21
SW_SAM_FAULT = 0x60

# The 16 bytes a SAM id command returns: two 16-bit and three 32-bit little-endian numbers.
DEFAULT_SAM_ID = (
    (5).to_bytes(2, "little")
    + (1).to_bytes(2, "little")
    + (20240601).to_bytes(4, "little")
    + (1234567).to_bytes(4, "little")
    + (987654321).to_bytes(4, "little")
)

HAND_LIFT_S = 0.5  # how long a hand holds a card above the reader when it swaps one card for another

# Bytes a noisy line puts before a frame: no preamble, but the start of one, so the decoder must really resync.
GARBAGE = bytes((0x00, 0xFF, 0x55, 0xAA, 0x96, 0x13, 0xAA, 0xAA, 0x69, 0x42, 0x00, 0xAA, 0xAA))


class Fault(StrEnum):
    NO_CARD = "no-card"  # find answers 80 even with a card on the reader
    SLOW = "slow"  # every answer starts ``slow_delay`` seconds late
    CORRUPT = "corrupt"  # the answer's checksum is wrong
    GARBAGE = "garbage"  # noise bytes before the answer
    TRUNCATE = "truncate"  # only the first half of the answer, then silence
    READ_FAIL = "read-fail"  # read answers 41 (read failed)
    SAM_FAULT = "sam-fault"  # every command answers 60 (SAM self-test failed)


@dataclass(slots=True)
class _Injected:
    remaining: int | None  # None: until cleared
    command: Command | None  # None: any command


@dataclass(frozen=True, slots=True)
class SimStats:
    """Traffic so far: bytes received and sent (garbage included), and how many of each command arrived."""

    bytes_in: int
    bytes_out: int
    commands: dict[str, int] = field(default_factory=dict)


class SimulatedSam:
    """A SAM module behind a pty. ``start()`` returns the port name a driver opens; ``close()`` stops it."""

    def __init__(self, *, baud: int | None = 115200, slow_delay: float = 0.5, sam_id: bytes = DEFAULT_SAM_ID):
        """``baud`` None or 0 answers as fast as the pty allows (no pacing)."""
        self.baud = baud or 0
        self.slow_delay = slow_delay
        self.sam_id = sam_id
        self._lock = threading.Lock()
        self._card: SimCard | None = None
        self._hand: threading.Timer | None = None  # a card on its way down (place_by_hand)
        self._activated = False
        self._selected = False
        self._faults: dict[Fault, _Injected] = {}
        self._bytes_in = 0
        self._bytes_out = 0
        self._commands: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._master = self._slave = -1
        self._wake_r = self._wake_w = -1
        self.port = ""

    # -- life cycle ---------------------------------------------------------------------------------------------

    def start(self) -> str:
        """Open the pty and start answering; returns the port (e.g. ``/dev/pts/5``)."""
        if self._thread is not None:
            return self.port
        try:
            import termios  # POSIX only: imported here so the module loads everywhere
            import tty
        except ImportError:
            raise OSError("the simulated reader needs POSIX pseudo-terminals") from None

        self._master, self._slave = os.openpty()
        # Raw mode on the slave: no echo, no line discipline, 8 bits through. The slave stays open here too, so
        # the master never sees EIO while a driver closes and reopens the port.
        tty.setraw(self._slave, termios.TCSANOW)
        speed = getattr(termios, f"B{self.baud}", None)
        if speed is not None:
            attrs = termios.tcgetattr(self._slave)
            attrs[4] = attrs[5] = speed
            termios.tcsetattr(self._slave, termios.TCSANOW, attrs)
        os.set_blocking(self._master, False)
        self._wake_r, self._wake_w = os.pipe()
        self.port = os.ttyname(self._slave)
        self._thread = threading.Thread(target=self._run, name="simulated-sam", daemon=True)
        self._thread.start()
        log.info("simulated SAM on %s at %s baud", self.port, self.baud or "unpaced")
        return self.port

    def close(self) -> None:
        """Stop the thread and close the pty; safe to call twice."""
        self._stop.set()
        with self._lock:
            self._cancel_hand()
        if self._wake_w >= 0:
            with contextlib.suppress(OSError):
                os.write(self._wake_w, b"x")
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        for fd in (self._master, self._slave, self._wake_r, self._wake_w):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = self._wake_r = self._wake_w = -1

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> SimulatedSam:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the card and the faults ----------------------------------------------------------------------------------

    def place(self, card: Identity | SimCard) -> None:
        """Lay a card on the reader, at once (replacing any other, with no moment in between when the reader is
        empty). Raises ``ValueError`` if it does not fit a card."""
        sim_card = card if isinstance(card, SimCard) else SimCard.from_identity(card)
        with self._lock:
            self._cancel_hand()
            self._card = sim_card
            self._activated = self._selected = False

    def place_by_hand(self, card: Identity | SimCard, *, lift_s: float = HAND_LIFT_S) -> None:
        """Place a card as a hand does: a card already on the reader is lifted first and this one laid down
        ``lift_s`` later (on a timer; this returns at once), so a watching reader sees one go and the other come.
        Raises ``ValueError`` if it does not fit a card."""
        sim_card = card if isinstance(card, SimCard) else SimCard.from_identity(card)
        with self._lock:
            self._cancel_hand()
            if self._card is None:
                self._card = sim_card
                self._activated = self._selected = False
                return
            self._card = None
            self._activated = self._selected = False
            hand = threading.Timer(lift_s, self._lay_down, (sim_card,))
            hand.daemon = True
            self._hand = hand
        hand.start()

    def _lay_down(self, card: SimCard) -> None:
        with self._lock:
            if self._hand is None or self._stop.is_set():
                return  # taken back (removed, or another card placed) while in the air
            self._hand = None
            self._card = card
            self._activated = self._selected = False

    def _cancel_hand(self) -> None:
        """A card still in the air is not laid down after all; called with the lock held."""
        if self._hand is not None:
            self._hand.cancel()
            self._hand = None

    def remove(self) -> None:
        with self._lock:
            self._cancel_hand()
            self._card = None
            self._activated = self._selected = False

    @property
    def has_card(self) -> bool:
        with self._lock:
            return self._card is not None

    def inject(self, fault: Fault | str, times: int | None = None, *, command: Command | None = None) -> None:
        """Apply ``fault`` to the next ``times`` answers (all of them until cleared when None), or only to
        answers to ``command``."""
        with self._lock:
            self._faults[Fault(fault)] = _Injected(times, command)

    def clear_faults(self, fault: Fault | str | None = None) -> None:
        with self._lock:
            if fault is None:
                self._faults.clear()
            else:
                self._faults.pop(Fault(fault), None)

    def active_faults(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def stats(self) -> SimStats:
        with self._lock:
            return SimStats(self._bytes_in, self._bytes_out, dict(self._commands))

    # -- the module's thread ----------------------------------------------------------------------------------------

    def _run(self) -> None:
        decoder = RequestDecoder()
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self._master, self._wake_r], [], [], 1.0)
            except (OSError, ValueError):
                return
            if self._wake_r in ready or self._stop.is_set():
                return
            if self._master not in ready:
                continue
            try:
                data = os.read(self._master, 4096)
            except BlockingIOError:
                continue
            except OSError as exc:
                if exc.errno == errno.EIO:  # nobody has the slave open; cannot happen while we hold it
                    self._stop.wait(0.01)
                    continue
                log.warning("simulated SAM: read failed: %s", exc)
                return
            arrived = time.monotonic()
            with self._lock:
                self._bytes_in += len(data)
            decoder.feed(data)
            # The request's own bytes take this long on a real wire; the answer cannot start before.
            earliest = arrived + self._wire_time(len(data))
            while not self._stop.is_set():
                try:
                    request = decoder.next_request()
                except IdCardError as exc:
                    self._send(
                        encode_response(SW_CHECKSUM if exc.code == "checksum" else SW_LENGTH), earliest
                    )
                    continue
                if request is None:
                    break
                self._answer(request, earliest)

    def _answer(self, request: Request, earliest: float) -> None:
        command = request.command
        with self._lock:
            name = command.name if command else f"{request.cmd:02X} {request.para:02X}"
            self._commands[name] = self._commands.get(name, 0) + 1
            frame = self._respond(request, command)
            slow = self._take(Fault.SLOW, command)
            garbage = self._take(Fault.GARBAGE, command)
            corrupt = self._take(Fault.CORRUPT, command)
            truncate = self._take(Fault.TRUNCATE, command)
        if corrupt:
            frame = frame[:-1] + bytes((frame[-1] ^ 0x5A,))
        if truncate:
            frame = frame[: max(1, len(frame) // 2)]
        if garbage:
            frame = GARBAGE + frame
        if slow:
            earliest += self.slow_delay
        self._send(frame, earliest)

    def _respond(self, request: Request, command: Command | None) -> bytes:
        """The answer to one request; called with the lock held."""
        if command is None:
            return encode_response(SW_BAD_COMMAND)
        if self._take(Fault.SAM_FAULT, command):
            return encode_response(SW_SAM_FAULT)
        card = self._card
        if command is Command.RESET_SAM:
            self._activated = self._selected = False
            return encode_response(SW_OK)
        if command in (Command.SAM_STATUS, Command.SET_MAX_RF_BYTES):
            return encode_response(SW_OK)
        if command is Command.SAM_ID:
            return encode_response(SW_OK, self.sam_id)
        if command is Command.FIND_CARD:
            if card is None or self._take(Fault.NO_CARD, command):
                self._activated = self._selected = False
                return encode_response(SW_FIND_FAILED)
            self._activated, self._selected = True, False
            return encode_response(SW_CARD_FOUND, bytes(4))
        if command is Command.SELECT_CARD:
            if card is None or not self._activated:
                return encode_response(SW_SELECT_FAILED)
            self._selected = True
            return encode_response(SW_OK, bytes(8))
        # READ_BASE or READ_BASE_FINGERPRINT
        if card is None or not self._selected or self._take(Fault.READ_FAIL, command):
            return encode_response(SW_READ_FAILED)
        fingerprint = card.fingerprint if command is Command.READ_BASE_FINGERPRINT else None
        return encode_response(SW_OK, encode_base_message(card.text, card.photo, fingerprint))

    def _take(self, fault: Fault, command: Command | None) -> bool:
        """Whether ``fault`` applies to this answer, counting it down; called with the lock held."""
        injected = self._faults.get(fault)
        if injected is None or (injected.command is not None and injected.command is not command):
            return False
        if injected.remaining is not None:
            injected.remaining -= 1
            if injected.remaining <= 0:
                del self._faults[fault]
        return True

    def _wire_time(self, size: int) -> float:
        return size * 10 / self.baud if self.baud else 0.0

    def _send(self, frame: bytes, start: float) -> None:
        """Write ``frame`` so that each chunk is out no earlier than its last byte would be on a real wire.

        Pacing is against ``start`` (not chunk by chunk), so a late wake-up never adds up over a long frame."""
        chunk = max(1, self.baud // 10 // 250) if self.baud else len(frame)  # about 4 ms of wire time
        for offset in range(0, len(frame), chunk):
            part = frame[offset : offset + chunk]
            delay = start + self._wire_time(offset + len(part)) - time.monotonic()
            if delay > 0 and self._stop.wait(delay):
                return
            with self._lock:  # counted before the write, so a driver that has the bytes finds them counted
                self._bytes_out += len(part)
            if not self._write_all(part):
                return

    def _write_all(self, data: bytes) -> bool:
        view = memoryview(data)
        while view and not self._stop.is_set():
            try:
                written = os.write(self._master, view)
            except BlockingIOError:
                # Nobody is reading and the tty's buffer is full: wait, but let close() end the wait.
                with contextlib.suppress(OSError, ValueError):
                    select.select([self._wake_r], [self._master], [], 0.5)
                continue
            except OSError as exc:
                log.warning("simulated SAM: write failed: %s", exc)
                return False
            view = view[written:]
        return not view
