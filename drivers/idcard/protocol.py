"""The SAM module's serial frames: ``AA AA AA 96 69 | LEN | CMD PARA data | CHK`` one way and
``AA AA AA 96 69 | LEN | SW1 SW2 SW3 data | CHK`` the other.

``LEN`` (two bytes, big-endian) counts every byte after itself, ``CHK`` included; ``CHK`` is the XOR of every byte
after the preamble up to ``CHK``. There is no byte stuffing, so the preamble may also occur inside data (a photo):
the decoder trusts ``LEN`` and ``CHK``, and after a bad frame it resynchronises on the next preamble.

Both sides use this module: the driver encodes commands and decodes responses, the simulator the other way round.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum

from drivers.base import Health
from drivers.idcard.errors import LINK_FAULT, SW_CARD_FOUND, SW_OK, IdCardError

log = logging.getLogger(__name__)

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_SIZE = len(PREAMBLE) + 2  # preamble and LEN

# The longest frame the protocol defines: read base + fingerprint (SW 3, three lengths 6, text 256, photo 1,024,
# fingerprint 1,024, CHK 1 = 2,314), with room for modules that send a little more.
MAX_LENGTH = 4096
MIN_REQUEST_LENGTH = 3  # CMD PARA CHK
MIN_RESPONSE_LENGTH = 4  # SW1 SW2 SW3 CHK

TEXT_SIZE = 256
PHOTO_SIZE = 1024
FINGERPRINT_SIZE = 1024


class Command(Enum):
    """Command and parameter bytes, with the data byte where the command has one."""

    RESET_SAM = (0x10, 0xFF)
    SAM_STATUS = (0x11, 0xFF)
    SAM_ID = (0x12, 0xFF)
    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_BASE = (0x30, 0x01)
    READ_BASE_FINGERPRINT = (0x30, 0x10)
    SET_MAX_RF_BYTES = (0x61, 0xFF)

    @property
    def cmd(self) -> int:
        return self.value[0]

    @property
    def para(self) -> int:
        return self.value[1]

    @classmethod
    def lookup(cls, cmd: int, para: int) -> Command | None:
        return _BY_BYTES.get((cmd, para))


_BY_BYTES = {c.value: c for c in Command}

MAX_RF_BYTES = 0x50  # the data byte of SET_MAX_RF_BYTES, as every open-source driver and vendor tool sends it


def checksum(data: bytes | bytearray | memoryview) -> int:
    """XOR of the bytes: what CHK must be for LEN and the payload."""
    # XOR of eight bytes at a time, then of the eight bytes of the result: ten times faster than byte by byte
    # on a 1,295-byte read, which matters because every read goes through here.
    view = bytes(data)
    whole = len(view) // 8 * 8
    acc = 0
    for i in range(0, whole, 8):
        acc ^= int.from_bytes(view[i : i + 8], "little")
    result = 0
    for byte in acc.to_bytes(8, "little") + view[whole:]:
        result ^= byte
    return result


def encode_frame(payload: bytes) -> bytes:
    """Preamble, LEN, payload, CHK."""
    length = len(payload) + 1
    if length > MAX_LENGTH:
        raise ValueError(f"payload of {len(payload)} bytes is longer than a frame can carry")
    head = length.to_bytes(2, "big")
    return PREAMBLE + head + payload + bytes([checksum(head + payload)])


def encode_command(command: Command, data: bytes = b"") -> bytes:
    """A request frame, e.g. find card = ``AA AA AA 96 69 00 03 20 01 22``."""
    return encode_frame(bytes(command.value) + data)


def encode_response(sw3: int, data: bytes = b"", *, sw1: int = 0, sw2: int = 0) -> bytes:
    """A response frame, e.g. card found = ``AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97``."""
    return encode_frame(bytes((sw1, sw2, sw3)) + data)


@dataclass(frozen=True, slots=True)
class Request:
    """A decoded request, as the module sees it."""

    cmd: int
    para: int
    data: bytes = b""

    @property
    def command(self) -> Command | None:
        return Command.lookup(self.cmd, self.para)

    @classmethod
    def from_payload(cls, payload: bytes) -> Request:
        if len(payload) < 2:
            raise _frame_error("request payload of %d bytes", len(payload))
        return cls(payload[0], payload[1], bytes(payload[2:]))


@dataclass(frozen=True, slots=True, repr=False)
class Response:
    """A decoded response. Its repr leaves the data out: a read's data is a citizen's card."""

    sw1: int
    sw2: int
    sw3: int
    data: bytes = b""

    @property
    def ok(self) -> bool:
        return self.sw3 in (SW_OK, SW_CARD_FOUND)

    @classmethod
    def from_payload(cls, payload: bytes) -> Response:
        if len(payload) < 3:
            raise _frame_error("response payload of %d bytes", len(payload))
        return cls(payload[0], payload[1], payload[2], bytes(payload[3:]))

    def __repr__(self) -> str:
        return f"Response({self.sw1:02X} {self.sw2:02X} {self.sw3:02X}, {len(self.data)} data bytes)"


def _frame_error(detail: str, *args: object) -> IdCardError:
    log.warning("ID card frame rejected: " + detail, *args)
    return IdCardError(LINK_FAULT, code="frame", health=Health.ERROR)


def _checksum_error(expected: int, got: int) -> IdCardError:
    log.warning("ID card frame rejected: checksum 0x%02X, expected 0x%02X", got, expected)
    return IdCardError(LINK_FAULT, code="checksum", health=Health.ERROR)


class FrameDecoder:
    """Turns a byte stream into frame payloads (the bytes between LEN and CHK), whatever the stream holds.

    ``feed`` the bytes as they arrive, then call :meth:`next_payload` until it returns ``None``. Garbage before a
    preamble is skipped (and counted in ``skipped``). A frame with an impossible LEN or a bad CHK raises
    :class:`IdCardError` (code ``frame`` or ``checksum``) *after* the decoder has moved past that frame's first
    byte, so the next call resynchronises on the next preamble. Nothing else ever escapes, and every call either
    consumes bytes or returns, so a loop over it cannot hang.
    """

    def __init__(self, *, min_length: int = MIN_RESPONSE_LENGTH, max_length: int = MAX_LENGTH) -> None:
        self._min = min_length
        self._max = max_length
        self._buffer = bytearray()
        self.skipped = 0

    def feed(self, data: bytes) -> None:
        self._buffer += data

    def reset(self) -> None:
        """Forget everything buffered: before a new command, after the port was flushed."""
        self._buffer.clear()

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    @property
    def in_frame(self) -> bool:
        """Whether a frame has begun but not arrived whole (what a silent line after it means: truncated)."""
        return self._buffer.startswith(PREAMBLE)

    def missing(self) -> int:
        """How many more bytes the frame in progress needs (0 when none has begun or its LEN is not in yet)."""
        if not self.in_frame or len(self._buffer) < HEADER_SIZE:
            return 0
        length = int.from_bytes(self._buffer[5:7], "big")
        return max(0, HEADER_SIZE + length - len(self._buffer))

    def drop_frame(self) -> None:
        """Give up on the frame in progress (it was truncated) and look for the next preamble after it."""
        if self.in_frame:
            del self._buffer[:1]
            self._skip_to_preamble()

    def next_payload(self) -> bytes | None:
        """The next whole frame's payload, ``None`` when no whole frame is buffered yet."""
        self._skip_to_preamble()
        buf = self._buffer
        if len(buf) < HEADER_SIZE:
            return None
        length = int.from_bytes(buf[5:7], "big")
        if not self._min <= length <= self._max:
            del buf[:1]
            raise _frame_error("impossible length %d", length)
        end = HEADER_SIZE + length
        if len(buf) < end:
            return None
        got = buf[end - 1]
        expected = checksum(memoryview(buf)[5 : end - 1])
        if got != expected:
            del buf[:1]
            raise _checksum_error(expected, got)
        payload = bytes(buf[HEADER_SIZE : end - 1])
        del buf[:end]
        return payload

    def _skip_to_preamble(self) -> None:
        buf = self._buffer
        at = buf.find(PREAMBLE)
        if at < 0:
            # Keep a tail that may be the start of a preamble still arriving.
            keep = 0
            for size in range(min(len(PREAMBLE) - 1, len(buf)), 0, -1):
                if buf.endswith(PREAMBLE[:size]):
                    keep = size
                    break
            at = len(buf) - keep
        if at > 0:
            self.skipped += at
            log.debug("ID card link: skipped %d bytes before a frame", at)
            del buf[:at]


class ResponseDecoder(FrameDecoder):
    """The driver's side: decodes responses."""

    def __init__(self, *, max_length: int = MAX_LENGTH) -> None:
        super().__init__(min_length=MIN_RESPONSE_LENGTH, max_length=max_length)

    def next_response(self) -> Response | None:
        payload = self.next_payload()
        return None if payload is None else Response.from_payload(payload)


class RequestDecoder(FrameDecoder):
    """The module's side (the simulator): decodes requests."""

    def __init__(self, *, max_length: int = 64) -> None:
        super().__init__(min_length=MIN_REQUEST_LENGTH, max_length=max_length)

    def next_request(self) -> Request | None:
        payload = self.next_payload()
        return None if payload is None else Request.from_payload(payload)


# -- the data of a read response ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class BaseMessage:
    """The data of a read base message (and fingerprint) response, split by its length fields."""

    text: bytes
    photo: bytes
    fingerprint: bytes = b""

    def __repr__(self) -> str:
        return f"BaseMessage(text={len(self.text)}, photo={len(self.photo)}, fingerprint={len(self.fingerprint)})"


def encode_base_message(text: bytes, photo: bytes, fingerprint: bytes | None = None) -> bytes:
    """``text len, photo len[, fingerprint len]`` (two bytes each, big-endian), then the data in that order."""
    sizes = [len(text), len(photo)] + ([] if fingerprint is None else [len(fingerprint)])
    head = b"".join(size.to_bytes(2, "big") for size in sizes)
    return head + text + photo + (fingerprint or b"")


def decode_base_message(data: bytes, *, fingerprint: bool) -> BaseMessage:
    """Split a read response's data; lengths that do not add up are a damaged frame (code ``frame``)."""
    fields = 3 if fingerprint else 2
    if len(data) < 2 * fields:
        raise _frame_error("read data of %d bytes has no length fields", len(data))
    sizes = [int.from_bytes(data[2 * i : 2 * i + 2], "big") for i in range(fields)]
    if 2 * fields + sum(sizes) != len(data):
        raise _frame_error("read data of %d bytes does not match its lengths %s", len(data), sizes)
    at = 2 * fields
    parts = []
    for size in sizes:
        parts.append(bytes(data[at : at + size]))
        at += size
    return BaseMessage(parts[0], parts[1], parts[2] if fingerprint else b"")


def format_sam_id(data: bytes) -> str:
    """The SAM id as vendor tools print it, ``05.01-20240601-0001234567-0987654321``: two 16-bit and three
    32-bit little-endian numbers. Data of another size is shown as hex rather than guessed at."""
    if len(data) != 16:
        return data.hex().upper()
    a, b = (int.from_bytes(data[i : i + 2], "little") for i in (0, 2))
    c, d, e = (int.from_bytes(data[i : i + 4], "little") for i in (4, 8, 12))
    return f"{a:02d}.{b:02d}-{c:08d}-{d:010d}-{e:010d}"
