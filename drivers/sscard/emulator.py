"""A virtual social security card behind pcscd: the card's file system, and the vpcd link that makes it appear in a
PC/SC reader.

vpcd (Debian's ``vsmartcard-vpcd``) is a reader driver for pcscd that listens on TCP (35963 for its first slot); a
card is whoever connects. Every message either way is a 2-byte big-endian length and a payload; from vpcd, a
1-byte payload is a control code (0 power off, 1 power on, 2 reset, 4 send the ATR, the only one answered) and
anything longer is a command APDU, answered with the response APDU. Connecting inserts the card, disconnecting
removes it. vpcd asks for the ATR at every presence poll, so the card answers between commands at any time.

The card (:class:`VirtualCard`) follows what the open-source readers expect of a real one (docs/sscard.md): T=0
habits included — SELECT of the application answers ``61xx``, a READ RECORD with the wrong Le answers ``6Cxx``.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
import time
from types import TracebackType

from drivers.base import DeviceError, Health
from drivers.sscard.cards import SampleCard

log = logging.getLogger(__name__)

VPCD_PORT = 35963  # vpcd's first slot; the second listens one above
CTRL_OFF, CTRL_ON, CTRL_RESET, CTRL_ATR = 0, 1, 2, 4

#: TS 3B (direct convention), T0 68 (TB1 and TC1 follow, 8 historical bytes), TB1 00, TC1 00: T=0 only.
ATR = bytes.fromhex("3B680000") + b"SSSE-EMU"

_SSSE_AID = b"sx1.sh." + "社会保障".encode("gbk")
_EF05, _EF06 = 0xEF05, 0xEF06


def _sw(sw: int) -> bytes:
    return struct.pack(">H", sw)


def _tlv(tag: int, value: bytes, size: int, pad: int = 0x00) -> bytes:
    """A fixed-size record the way the card keeps it: tag, declared size, value padded to that size."""
    return bytes([tag, size]) + value[:size].ljust(size, bytes([pad]))


def _bcd(digits: str) -> bytes:
    return bytes.fromhex(digits + "F" * (len(digits) % 2))


class VirtualCard:
    """The card's side of the conversation. Its PIN counter survives power cycles and removal, like a chip's;
    the selection and the verified state do not."""

    def __init__(self, card: SampleCard, *, raw_records: dict[int, bytes] | None = None) -> None:
        self.card = card
        self.atr = ATR
        self.tries_left = card.pin_tries
        self.verify_attempts = (
            0  # VERIFY commands with a PIN in them, for tests that a PIN is only sent if asked
        )
        ef05 = [
            _tlv(0x01, bytes.fromhex("441800D156000005") + b"KIOSKEMU", 16),  # card identifier
            _tlv(0x02, b"3", 1),  # card type
            _tlv(0x03, b"3.00", 4),  # specification version
            _tlv(0x04, b"441800000001", 12),  # issuing institution
            _tlv(0x05, _bcd("20210301"), 4),  # issued
            _tlv(0x06, _bcd("20310301"), 4),  # valid until
            _tlv(0x07, card.card_number.encode("ascii"), 9, pad=0x20),
        ]
        ef06 = [
            _tlv(0x08, card.id_number.encode("ascii"), 18, pad=0x20),
            _tlv(0x09, card.name.encode("gbk"), 30),
            _tlv(0x0A, card.sex_code.encode("ascii"), 1),
            _tlv(0x0B, _bcd(card.nation_code), 1),
            _tlv(0x0C, _bcd(card.birthplace), 3),
            _tlv(0x0D, _bcd(card.birth_date.strftime("%Y%m%d")), 4),
        ]
        for tag, raw in (raw_records or {}).items():  # a damaged card, for tests
            for records in (ef05, ef06):
                for i, record in enumerate(records):
                    if record[0] == tag:
                        records[i] = raw
        self._files = {_EF05: ef05, _EF06: ef06}
        self.power_on()

    # -- power ---------------------------------------------------------------------------------------------------

    def power_on(self) -> None:
        self._in_ssse = False
        self._current: int | None = None
        self._verified = False
        self._pending = b""

    power_off = reset = power_on

    # -- commands ------------------------------------------------------------------------------------------------

    def process(self, command: bytes) -> bytes:
        """One command APDU in, one response APDU out; malformed commands get the status word a card would give."""
        if len(command) < 4:
            return _sw(0x6700)
        cla, ins, p1, p2 = command[:4]
        body = command[4:]
        pending, self._pending = self._pending, b""
        if cla != 0x00:
            return _sw(0x6E00)
        data, le = b"", None
        if len(body) == 1:
            le = body[0]
        elif len(body) > 1:
            lc = body[0]
            if len(body) not in (1 + lc, 2 + lc) or lc == 0:
                return _sw(0x6700)
            data = body[1 : 1 + lc]
            le = body[1 + lc] if len(body) == 2 + lc else None
        if ins == 0xA4:
            return self._select(p1, data)
        if ins == 0xB2:
            return self._read_record(p1, p2, le, data)
        if ins == 0x20:
            return self._verify(p1, p2, data)
        if ins == 0xC0:
            return self._get_response(pending, le)
        return _sw(0x6D00)

    def _select(self, p1: int, data: bytes) -> bytes:
        if p1 == 0x04:
            if data != _SSSE_AID:
                return _sw(0x6A82)
            self._in_ssse, self._current, self._verified = True, None, False
            # FCI: DF name, and a proprietary template naming the issuer's application label.
            inner = bytes([0x84, len(_SSSE_AID)]) + _SSSE_AID + bytes([0xA5, 0x03, 0x88, 0x01, 0x01])
            self._pending = bytes([0x6F, len(inner)]) + inner
            return _sw(0x6100 | len(self._pending))
        if p1 in (0x00, 0x02) and len(data) == 2:
            fid = int.from_bytes(data, "big")
            if fid == 0x3F00:
                self._in_ssse, self._current = False, None
                return _sw(0x9000)
            if fid in self._files and self._in_ssse:
                self._current = fid
                return _sw(0x9000)
            return _sw(0x6A82)
        return _sw(0x6A86)

    def _read_record(self, p1: int, p2: int, le: int | None, data: bytes) -> bytes:
        if data:
            return _sw(0x6700)
        sfi, mode = p2 >> 3, p2 & 0x07
        if sfi:
            fid = 0xEF00 | sfi
            if fid not in self._files or not self._in_ssse:
                return _sw(0x6A82)
            self._current = fid
        if self._current is None:
            return _sw(0x6986)  # no current EF
        if self._current == _EF06 and self.card.pin_required and not self._verified:
            return _sw(0x6982)
        records = self._files[self._current]
        if mode == 0x04:
            record = records[p1 - 1] if 1 <= p1 <= len(records) else None
        elif mode == 0x00:
            record = next((r for r in records if r[:1] == bytes([p1])), None)
        else:
            return _sw(0x6A86)
        if record is None:
            return _sw(0x6A83)
        if le != len(record):
            return _sw(0x6C00 | len(record))
        return record + _sw(0x9000)

    def _verify(self, p1: int, p2: int, data: bytes) -> bytes:
        if p1 != 0x00 or p2 != 0x00:
            return _sw(0x6A86)
        if self.tries_left == 0:
            return _sw(0x6983)
        if not data:  # how many tries are left, without trying
            return _sw(0x9000) if self._verified else _sw(0x63C0 | self.tries_left)
        self.verify_attempts += 1
        if data == _bcd(self.card.pin):
            self.tries_left = self.card.pin_tries
            self._verified = True
            return _sw(0x9000)
        self.tries_left -= 1
        self._verified = False
        return _sw(0x63C0 | self.tries_left)

    def _get_response(self, pending: bytes, le: int | None) -> bytes:
        if not pending:
            return _sw(0x6985)
        if not le or le > len(pending):
            self._pending = pending
            return _sw(0x6C00 | len(pending))
        if le < len(pending):
            self._pending = pending[le:]
            return pending[:le] + _sw(0x6100 | min(len(self._pending), 0xFF))
        return pending + _sw(0x9000)


class VpcdEmulator:
    """Inserts a :class:`VirtualCard` into vpcd's reader over TCP and answers for it on a thread of its own.

    ``drop_after``: answer that many command APDUs after each insertion, then disconnect in the middle of the
    next one, the way a card pulled out mid-read looks to the reader. ``insert()`` is explicit; ``close()`` (or
    leaving a ``with`` block) removes the card and ends the thread.
    """

    def __init__(
        self,
        card: SampleCard | VirtualCard,
        *,
        host: str = "127.0.0.1",
        port: int = VPCD_PORT,
        drop_after: int | None = None,
    ) -> None:
        self.card = card if isinstance(card, VirtualCard) else VirtualCard(card)
        self.host, self.port = host, port
        self.drop_after = drop_after
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    @property
    def inserted(self) -> bool:
        """Whether the card is connected to vpcd (false again once vpcd or the card ends the link)."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    def insert(self, *, timeout: float = 5.0) -> None:
        """Connect to vpcd (trying again until ``timeout``: pcscd may still be starting) and start answering."""
        with self._lock:
            if self.inserted:
                return
            self._disconnect_locked()
            deadline = time.monotonic() + timeout
            while True:
                try:
                    sock = socket.create_connection((self.host, self.port), timeout=1.0)
                    break
                except OSError as exc:
                    if time.monotonic() >= deadline:
                        log.info("card emulator: vpcd %s:%d refused: %s", self.host, self.port, exc)
                        raise DeviceError(
                            f"模拟社保卡连不上读卡器（vpcd {self.host}:{self.port}），请确认 pcscd 已启动",
                            code="no_reader",
                            health=Health.OFFLINE,
                        ) from None
                    time.sleep(0.1)
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.card.power_on()
            self._sock = sock
            self._thread = threading.Thread(
                target=self._serve, args=(sock,), name=f"sscard-emulator-{self.port}", daemon=True
            )
            self._thread.start()
            log.info("card emulator: card %r inserted at %s:%d", self.card.card, self.host, self.port)

    def remove(self) -> None:
        """Disconnect: vpcd sees the card go at its next poll."""
        with self._lock:
            self._disconnect_locked()

    def close(self) -> None:
        self.remove()

    def __enter__(self) -> VpcdEmulator:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _disconnect_locked(self) -> None:
        sock, thread = self._sock, self._thread
        self._sock = self._thread = None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        if thread is not None:
            thread.join(timeout=5.0)
        if sock is not None:
            sock.close()
            log.info("card emulator: card removed from %s:%d", self.host, self.port)

    # -- the link's thread ---------------------------------------------------------------------------------------

    def _serve(self, sock: socket.socket) -> None:
        answered = 0
        try:
            while True:
                message = _recv_message(sock)
                if message is None:
                    return  # vpcd went away, or remove() shut the link
                if len(message) == 1:
                    self._control(sock, message[0])
                    continue
                if self.drop_after is not None and answered >= self.drop_after:
                    log.info("card emulator: pulling the card out in the middle of a command")
                    return
                try:
                    reply = self.card.process(message)
                except Exception:  # the card must answer whatever it is sent
                    log.exception("card emulator: command %s failed", message[:4].hex())
                    reply = _sw(0x6F00)
                log.debug("card emulator: %s -> SW %s", message[:4].hex().upper(), reply[-2:].hex().upper())
                _send_message(sock, reply)
                answered += 1
        except OSError as exc:
            log.info("card emulator: link ended: %s", exc)
        finally:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _control(self, sock: socket.socket, code: int) -> None:
        if code == CTRL_ATR:
            _send_message(sock, self.card.atr)
        elif code == CTRL_ON:
            self.card.power_on()
        elif code == CTRL_OFF:
            self.card.power_off()
        elif code == CTRL_RESET:
            self.card.reset()
        else:
            log.warning("card emulator: unknown control code %d ignored", code)


def _recv_exact(sock: socket.socket, size: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < size:
        _quick_ack(sock)
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            return None
        chunks += chunk
    return bytes(chunks)


def _quick_ack(sock: socket.socket) -> None:
    """Acknowledge at once. vpcd (0.8) writes a message's length and its payload in two sends; with Nagle on its
    side, the payload waits for the length's ACK, which a delayed ACK holds back ~40 ms: every command would
    take that long. Linux clears the flag by itself, so it is set again before every read."""
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)


def _recv_message(sock: socket.socket) -> bytes | None:
    header = _recv_exact(sock, 2)
    if header is None:
        return None
    (size,) = struct.unpack(">H", header)
    return _recv_exact(sock, size) if size else b""


def _send_message(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(struct.pack(">H", len(payload)) + payload)
