"""The vendor-library backend: a reader driven through the vendor's ``sdtapi`` library (sdtapi.dll on Windows).

Many terminals ship a reader whose vendor supplies only a library, not the SAM serial protocol. The library
speaks the same statuses (SW3 values: 0x90 ok, 0x9F card found, 0x80 no card …) through plain C functions, so
this backend binds them with ctypes — explicit ``argtypes`` and ``restype`` for every function, stdcall on
Windows (sdtapi.dll is stdcall), the C convention elsewhere — and checks every answer before believing it.

A crash inside a vendor library cannot be caught on Linux, but everything the library *says* is checked: return
codes become :class:`~drivers.base.DeviceError` with a person's message, reported lengths must fit the buffers,
bytes written past a buffer's end are noticed (each buffer has a guard area), and text that is not a card's text
block is refused by the parser. On Windows ctypes turns an access violation into ``OSError``; that too becomes a
``DeviceError``.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from drivers.base import DeviceError, Health
from drivers.idcard.errors import (
    BAD_CARD_DATA,
    LINK_FAULT,
    NO_ANSWER,
    NOT_CONNECTED,
    READER_FAULT,
    IdCardError,
    bad_text,
    describe_status,
)
from drivers.idcard.errors import status_error as sw3_error
from drivers.idcard.reader import CardRead, IdCardReader
from drivers.idcard.textblock import parse_text_block
from kiosk.domain.messages import define

log = logging.getLogger(__name__)

OK = 0x90
FOUND = 0x9F
NO_CARD = 0x80
NO_ITEM = 0x91

TEXT_LEN = 256
PHOTO_LEN = 1024
FINGERPRINT_LEN = 1024
APP_MSG_LEN = 280  # up to four appended-address records of 70 bytes
APP_RECORD_LEN = 70
_IIN_LEN = 4  # SDT_StartFindIDCard's management information
_SN_LEN = 8  # SDT_SelectIDCard's serial number
_SAM_ID_LEN = 128  # "05.01-20240315-0004521236-2147486847" and a NUL fit many times over

# Bytes past each buffer's end that the library must leave alone: an overrun lands here, not on Python's heap,
# and is noticed afterwards.
_GUARD = 256
_GUARD_BYTE = 0xA5

LIBRARY_MISSING = define("idcard.library_missing", "读卡器驱动程序未安装，请联系工作人员")()
LIBRARY_FAULT = define("idcard.library_fault", "读卡器驱动程序出错，请联系工作人员")()
NO_FINGERPRINT = define("idcard.no_fingerprint", "该读卡器不支持读取指纹信息，请联系工作人员")()

_IFOPEN = 0  # the port is opened once by SDT_OpenPort, not by every call

_PORT = ctypes.c_int
_BYTES = ctypes.POINTER(ctypes.c_ubyte)
_LENGTH = ctypes.POINTER(ctypes.c_uint)

# name -> (argtypes, required)
_SIGNATURES: dict[str, tuple[list[Any], bool]] = {
    "SDT_OpenPort": ([_PORT], True),
    "SDT_ClosePort": ([_PORT], True),
    "SDT_StartFindIDCard": ([_PORT, _BYTES, ctypes.c_int], True),
    "SDT_SelectIDCard": ([_PORT, _BYTES, ctypes.c_int], True),
    "SDT_ReadBaseMsg": ([_PORT, _BYTES, _LENGTH, _BYTES, _LENGTH, ctypes.c_int], True),
    "SDT_ReadBaseFPMsg": ([_PORT, _BYTES, _LENGTH, _BYTES, _LENGTH, _BYTES, _LENGTH, ctypes.c_int], False),
    "SDT_GetSAMStatus": ([_PORT, ctypes.c_int], True),
    "SDT_ResetSAM": ([_PORT, ctypes.c_int], True),
    "SDT_GetSAMIDToStr": ([_PORT, ctypes.POINTER(ctypes.c_char), ctypes.c_int], True),
    "SDT_ReadNewAppMsg": ([_PORT, _BYTES, _LENGTH, ctypes.c_int], False),
}

# The library's own statuses, about the link to the module rather than the card (below 0x10, and two it adds);
# every other status is the module's SW3, with the same meaning as on the serial link (drivers.idcard.errors).
_LIBRARY_STATUSES: dict[int, tuple[str, str, Health, str]] = {
    0x01: ("port open failed, not open, or not valid", "port", Health.OFFLINE, NOT_CONNECTED),
    0x02: ("no answer in time", "timeout", Health.ERROR, NO_ANSWER),
    0x03: ("data transfer error", "frame", Health.ERROR, LINK_FAULT),
    0x04: ("USB device not configured", "port", Health.OFFLINE, NOT_CONNECTED),
    0x05: ("SAM port not usable", "port", Health.OFFLINE, NOT_CONNECTED),
    0x06: ("USB device disabled", "port", Health.OFFLINE, NOT_CONNECTED),
    0x09: ("file open failed", "library_fault", Health.ERROR, LIBRARY_FAULT),
    0x37: ("fingerprint check failed", "fingerprint_failed", Health.OK, BAD_CARD_DATA),
    0x3F: ("information length error", "frame", Health.ERROR, LINK_FAULT),
}


def status_error(status: int, action: str) -> IdCardError:
    """The error for a status the library returned while doing ``action`` (logged with its value)."""
    if status in _LIBRARY_STATUSES:
        meaning, code, health, message = _LIBRARY_STATUSES[status]
        error = IdCardError(message, code=code, health=health, status=status)
    elif 0 <= status <= 0xFF and status not in (OK, FOUND):
        meaning, error = describe_status(status).meaning, sw3_error(status)
    else:  # not a status at all, or a success where this call has none (0x9F from a read)
        meaning = "not a status this call returns"
        error = IdCardError(READER_FAULT, code="status", health=Health.ERROR, status=status)
    log.warning("sdtapi: %s returned 0x%02X: %s (%s)", action, status & 0xFFFFFFFF, meaning, error.code)
    return error


def default_library() -> str:
    """Where the vendor library is looked for when the settings name none: next to kiosk.exe on Windows."""
    if sys.platform == "win32":
        if getattr(sys, "frozen", False):
            return str(Path(sys.executable).with_name("sdtapi.dll"))
        return "sdtapi.dll"
    return "libsdtapi.so"


class _Buffer:
    """A byte buffer for the library to fill, with a guard area after it to catch overruns."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.array = (ctypes.c_ubyte * (size + _GUARD))()
        ctypes.memset(ctypes.addressof(self.array) + size, _GUARD_BYTE, _GUARD)

    @property
    def overrun(self) -> bool:
        tail = ctypes.string_at(ctypes.addressof(self.array) + self.size, _GUARD)
        return tail != bytes([_GUARD_BYTE]) * _GUARD

    def take(self, length: int) -> bytes:
        return ctypes.string_at(ctypes.addressof(self.array), length)


class _Library:
    """The functions of one loaded vendor library, bound with their C signatures."""

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            if sys.platform == "win32":
                dll: ctypes.CDLL = ctypes.WinDLL(path)
            else:
                dll = ctypes.CDLL(path)
        except OSError as exc:
            log.error("sdtapi: cannot load the vendor library %s: %s", path, exc)
            raise IdCardError(LIBRARY_MISSING, code="library", health=Health.OFFLINE) from None
        self._functions: dict[str, Callable[..., int]] = {}
        for name, (argtypes, required) in _SIGNATURES.items():
            try:
                function = getattr(dll, name)
            except AttributeError:
                if required:
                    log.error("sdtapi: %s does not export %s; it is not an sdtapi library", path, name)
                    raise IdCardError(LIBRARY_MISSING, code="library", health=Health.OFFLINE) from None
                log.info("sdtapi: %s does not export the optional %s", path, name)
                continue
            function.argtypes = argtypes
            function.restype = ctypes.c_int
            self._functions[name] = function

    def has(self, name: str) -> bool:
        return name in self._functions

    def call(self, name: str, *args: Any) -> int:
        try:
            return int(self._functions[name](*args))
        except (OSError, ValueError, ctypes.ArgumentError) as exc:
            # Windows reports an access violation in the library as OSError; a wrong calling convention on
            # 32-bit Windows as ValueError.
            log.error("sdtapi: %s failed inside %s: %s", name, self.path, exc)
            raise IdCardError(LIBRARY_FAULT, code="library_fault", health=Health.ERROR) from None


class SdtapiReader(IdCardReader):
    """A resident ID card reader driven through the vendor's sdtapi library.

    ``port`` is the vendor's port number: 1–16 for a serial port (COM1–COM16), 1001–1016 for USB readers.
    """

    backend = "sdtapi"

    def __init__(self, library: str, port: int = 1001) -> None:
        super().__init__()
        self.library = library or default_library()
        self.port = port
        self._lib: _Library | None = None

    # -- public extras -------------------------------------------------------------------------------------

    def appended_records(self) -> Future[tuple[str, ...]]:
        """The appended-address records (住址变更) of the card on the reader, oldest first; empty when the
        card has none or the library cannot read them."""
        return self._worker.submit(self._read_appended)

    # -- the primitives, on the worker thread ----------------------------------------------------------

    def _open(self) -> None:
        if self._lib is None:
            self._lib = _Library(self.library)
        lib = self._lib
        status = lib.call("SDT_OpenPort", self.port)
        if status != OK:
            log.warning("sdtapi: SDT_OpenPort(%d) returned 0x%02X", self.port, status & 0xFFFFFFFF)
            raise IdCardError(NOT_CONNECTED, code="port", health=Health.OFFLINE, status=status)
        try:
            self._check_sam(lib)
        except DeviceError:
            self._close_port(lib)
            raise
        log.info("sdtapi: reader open on port %d through %s", self.port, self.library)

    def _check_sam(self, lib: _Library) -> None:
        """SAM status, with one reset and a second look before giving up (a SAM can wedge after a power dip)."""
        status = lib.call("SDT_GetSAMStatus", self.port, _IFOPEN)
        if status == OK:
            return
        log.warning("sdtapi: SAM status 0x%02X, resetting the SAM", status & 0xFFFFFFFF)
        lib.call("SDT_ResetSAM", self.port, _IFOPEN)
        status = lib.call("SDT_GetSAMStatus", self.port, _IFOPEN)
        if status != OK:
            error = status_error(status, "SDT_GetSAMStatus")
            if error.health == Health.OK:  # whatever it says, a SAM that fails its check is a device fault
                error = IdCardError(error.message, code=error.code, health=Health.ERROR, status=status)
            raise error

    def _close(self) -> None:
        if self._lib is not None:
            self._close_port(self._lib)

    def _close_port(self, lib: _Library) -> None:
        status = lib.call("SDT_ClosePort", self.port)
        if status != OK:
            log.info("sdtapi: SDT_ClosePort(%d) returned 0x%02X", self.port, status & 0xFFFFFFFF)

    def _library(self) -> _Library:
        if self._lib is None:  # the base class opens before any other primitive; this is a programming error
            raise IdCardError(LIBRARY_MISSING, code="library", health=Health.OFFLINE)
        return self._lib

    def _card_present(self) -> bool:
        iin = _Buffer(_IIN_LEN)
        status = self._library().call("SDT_StartFindIDCard", self.port, iin.array, _IFOPEN)
        _check_overrun("SDT_StartFindIDCard", iin)
        if status == FOUND:
            return True
        if status == NO_CARD:
            return False
        raise status_error(status, "SDT_StartFindIDCard")

    def _select(self, lib: _Library) -> None:
        sn = _Buffer(_SN_LEN)
        status = lib.call("SDT_SelectIDCard", self.port, sn.array, _IFOPEN)
        _check_overrun("SDT_SelectIDCard", sn)
        if status != OK:
            raise status_error(status, "SDT_SelectIDCard")

    def _read(self, *, fingerprint: bool) -> CardRead:
        lib = self._library()
        if fingerprint and not lib.has("SDT_ReadBaseFPMsg"):
            raise IdCardError(NO_FINGERPRINT, code="fingerprint_unsupported", health=Health.OK)
        self._select(lib)
        text, photo = _Buffer(TEXT_LEN), _Buffer(PHOTO_LEN)
        text_len, photo_len = ctypes.c_uint(0), ctypes.c_uint(0)
        fp, fp_len = _Buffer(FINGERPRINT_LEN), ctypes.c_uint(0)
        if fingerprint:
            status = lib.call(
                "SDT_ReadBaseFPMsg",
                self.port,
                text.array,
                ctypes.byref(text_len),
                photo.array,
                ctypes.byref(photo_len),
                fp.array,
                ctypes.byref(fp_len),
                _IFOPEN,
            )
        else:
            status = lib.call(
                "SDT_ReadBaseMsg",
                self.port,
                text.array,
                ctypes.byref(text_len),
                photo.array,
                ctypes.byref(photo_len),
                _IFOPEN,
            )
        if status != OK:
            raise status_error(status, "SDT_ReadBaseFPMsg" if fingerprint else "SDT_ReadBaseMsg")
        _check_length("text", text, text_len.value, exact=True)
        _check_length("photo", photo, photo_len.value, exact=False)
        if fingerprint:
            _check_length("fingerprint", fp, fp_len.value, exact=False)
        try:
            identity = parse_text_block(text.take(TEXT_LEN), photo.take(photo_len.value))
        except DeviceError:
            raise
        except Exception as exc:  # the parser refuses garbage with IdCardError; nothing else may escape
            # only the type: a message could quote the card's text
            log.error("sdtapi: the card's text block could not be parsed (%s)", type(exc).__name__)
            raise bad_text() from None
        return CardRead(identity, fingerprint=fp.take(fp_len.value) if fingerprint else b"")

    def _sam_id(self) -> str:
        buffer = ctypes.create_string_buffer(_SAM_ID_LEN + _GUARD)
        ctypes.memset(ctypes.addressof(buffer) + _SAM_ID_LEN, _GUARD_BYTE, _GUARD)
        status = self._library().call("SDT_GetSAMIDToStr", self.port, buffer, _IFOPEN)
        if status != OK:
            raise status_error(status, "SDT_GetSAMIDToStr")
        raw = buffer.raw[:_SAM_ID_LEN]
        if b"\0" not in raw or buffer.raw[_SAM_ID_LEN:] != bytes([_GUARD_BYTE]) * _GUARD:
            log.error("sdtapi: SDT_GetSAMIDToStr wrote past its %d-byte buffer", _SAM_ID_LEN)
            raise IdCardError(LINK_FAULT, code="bad_length", health=Health.ERROR)
        text = raw.split(b"\0", 1)[0].decode("ascii", errors="replace").strip()
        if not text.isprintable():
            log.error("sdtapi: SDT_GetSAMIDToStr returned %r", text)
            raise IdCardError(LINK_FAULT, code="bad_sam_id", health=Health.ERROR)
        return text

    def _read_appended(self) -> tuple[str, ...]:
        self._ensure_open()
        lib = self._library()
        if not lib.has("SDT_ReadNewAppMsg"):
            return ()
        try:
            if not self._card_present():
                raise status_error(NO_CARD, "SDT_StartFindIDCard")
            self._select(lib)
            message, length = _Buffer(APP_MSG_LEN), ctypes.c_uint(0)
            status = lib.call("SDT_ReadNewAppMsg", self.port, message.array, ctypes.byref(length), _IFOPEN)
            if status == NO_ITEM:
                return ()
            if status != OK:
                raise status_error(status, "SDT_ReadNewAppMsg")
            _check_length("appended message", message, length.value, exact=False)
            return _appended_records(message.take(length.value))
        except DeviceError as exc:
            self._fault(exc)
            raise


def _check_length(what: str, buffer: _Buffer, length: int, *, exact: bool) -> None:
    """Refuse a reported length that does not fit the buffer (or is not the fixed size), or a buffer overrun."""
    wrong = length != buffer.size if exact else length > buffer.size
    if wrong or buffer.overrun:
        log.error(
            "sdtapi: the library reported a %s length of %d for a %d-byte buffer%s",
            what,
            length,
            buffer.size,
            " and wrote past its end" if buffer.overrun else "",
        )
        raise IdCardError(LINK_FAULT, code="bad_length", health=Health.ERROR)


def _check_overrun(action: str, buffer: _Buffer) -> None:
    if buffer.overrun:
        log.error("sdtapi: %s wrote past its %d-byte buffer", action, buffer.size)
        raise IdCardError(LINK_FAULT, code="bad_length", health=Health.ERROR)


def _appended_records(data: bytes) -> tuple[str, ...]:
    """70-byte UCS-2 records, space or NUL padded; a record that is not text is refused."""
    if len(data) % 2:
        data = data[:-1]
    records = []
    for start in range(0, len(data), APP_RECORD_LEN):
        try:
            record = data[start : start + APP_RECORD_LEN].decode("utf-16-le").strip(" \0")
        except UnicodeDecodeError:
            log.error("sdtapi: an appended record is not UCS-2 text")
            raise bad_text() from None
        if record and not record.isprintable():
            log.error("sdtapi: an appended record holds control characters")
            raise bad_text()
        if record:
            records.append(record)
    return tuple(records)
