"""The card's photo: 1,024 bytes of WLT that only the vendor's decoder library turns into a picture.

No open decoder exists, so decoding is optional: when the settings name a library (``wlt_library``) it is loaded
with ctypes and asked for a 102×126 24-bit BMP; when none is configured, or it fails, the caller gets ``None`` and
the log says why — a missing photo must never stop a citizen's session, so nothing here raises.

Vendor decoders come in a few shapes; these are supported, tried in this order:

* ``int unpack(char *wlt, char *out, int bmpSave)`` (libwlt2bmp.so, WltRS.so/.dll, DLL_File.dll): returns 1 on
  success. Depending on the build, ``out`` receives either a whole BMP file (38,862 bytes: a 54-byte header and
  126 rows of 102 pixels padded to 308 bytes) or the bare 38,556 bytes of 102×126×3 pixels, red first, rows in
  BMP order. Both are recognised; bare pixels are wrapped into the same 38,862-byte BMP. ``bmpSave`` 0 asks for
  memory only; some builds want a vendor-specific code instead (``WltDecoder(bmp_save=...)``).
* ``int GetBmp(char *wltFile, int intf)`` (the Windows WltRS.dll): decodes ``x.wlt`` into ``x.bmp`` beside it and
  returns 1; ``intf`` is 1 for a serial reader, 2 for USB. The files live in a private temporary directory that
  is removed at once, since a photo is personal data.

``unpack`` uses the C calling convention and ``GetBmp`` stdcall, as the vendors' own samples declare them.
"""

from __future__ import annotations

import ctypes
import logging
import struct
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

WLT_LEN = 1024
WIDTH, HEIGHT = 102, 126
RAW_LEN = WIDTH * HEIGHT * 3  # 38,556
_ROW_LEN = (WIDTH * 3 + 3) & ~3  # 308: BMP rows are padded to four bytes
_HEADER_LEN = 54
BMP_LEN = _HEADER_LEN + _ROW_LEN * HEIGHT  # 38,862
# Some decoders write past 38,862 bytes (vendors' notes say to give "much more"): a roomy buffer keeps that off
# Python's heap.
_OUT_CAPACITY = 64 * 1024


class WltDecoder:
    """One vendor decoder, loaded once. ``decode`` is safe from any thread (calls into decoders are serialised
    process-wide: vendor decoders keep global state) and takes a few milliseconds."""

    def __init__(self, library: str, *, bmp_save: int = 0, interface: int = 2) -> None:
        self.library = library
        self.bmp_save = bmp_save
        self.interface = interface
        self.problem = ""  # why the library cannot be used; "" when it can
        self._unpack: Callable[..., int] | None = None
        self._get_bmp: Callable[..., int] | None = None
        self._load()

    def _load(self) -> None:
        try:
            dll = ctypes.CDLL(self.library)
        except OSError as exc:
            self.problem = f"cannot load {self.library}: {exc}"
            log.warning("wlt: %s; photos will not be decoded", self.problem)
            return
        if hasattr(dll, "unpack"):
            prototype = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
            self._unpack = prototype(("unpack", dll))
        elif hasattr(dll, "GetBmp"):
            if sys.platform == "win32":
                stdcall: Any = ctypes.WINFUNCTYPE(ctypes.c_int, ctypes.c_char_p, ctypes.c_int)
            else:
                stdcall = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p, ctypes.c_int)
            self._get_bmp = stdcall(("GetBmp", dll))
        else:
            self.problem = f"{self.library} exports neither unpack nor GetBmp"
            log.warning("wlt: %s; photos will not be decoded", self.problem)

    @property
    def usable(self) -> bool:
        return not self.problem

    def decode(self, photo: bytes) -> bytes | None:
        """The photo as a 38,862-byte 102×126 24-bit BMP, or ``None`` (the reason is logged)."""
        if self.problem:
            log.info("wlt: not decoding: %s", self.problem)
            return None
        if len(photo) != WLT_LEN:
            log.warning("wlt: the photo is %d bytes, not %d; not decoding", len(photo), WLT_LEN)
            return None
        try:
            with _call_lock:
                if self._unpack is not None:
                    bmp = self._decode_unpack(self._unpack, photo)
                elif self._get_bmp is not None:
                    bmp = self._decode_get_bmp(self._get_bmp, photo)
                else:
                    bmp = None
        except Exception as exc:  # a missing photo must not end the session, whatever went wrong
            # Windows reports an access violation in the library as OSError, a wrong calling convention on
            # 32-bit Windows as ValueError.
            log.warning("wlt: the decoder failed: %s: %s", type(exc).__name__, exc)
            return None
        if bmp is not None:
            log.debug("wlt: decoded a %d-byte BMP", len(bmp))
        return bmp

    def _decode_unpack(self, unpack: Callable[..., int], photo: bytes) -> bytes | None:
        out = ctypes.create_string_buffer(_OUT_CAPACITY)
        # a copy: the library gets no pointer into Python's immutable bytes
        wlt = ctypes.create_string_buffer(photo, WLT_LEN)
        result = unpack(wlt, out, self.bmp_save)
        if result != 1:
            log.warning("wlt: unpack returned %d (bmpSave %d)", result, self.bmp_save)
            return None
        data = out.raw
        if not _bmp_problem(data):
            return _trimmed_bmp(data)
        pixels = data[:RAW_LEN]  # bare pixels (which may happen to start with "BM")
        if not pixels.strip(b"\0"):
            log.warning("wlt: unpack reported success but wrote nothing")
            return None
        return bmp_from_pixels(pixels, rgb=True)

    def _decode_get_bmp(self, get_bmp: Callable[..., int], photo: bytes) -> bytes | None:
        # ignore_cleanup_errors: a DLL still holding the file open must not turn a decoded photo into a failure
        with tempfile.TemporaryDirectory(prefix="kiosk-wlt-", ignore_cleanup_errors=True) as tmp:
            wlt_path = Path(tmp) / "photo.wlt"
            wlt_path.write_bytes(photo)
            # A vendor DLL opens the file with the ANSI API: the path goes in the ANSI code page on Windows.
            encoding = "mbcs" if sys.platform == "win32" else sys.getfilesystemencoding()
            result = get_bmp(str(wlt_path).encode(encoding), self.interface)
            if result != 1:
                log.warning("wlt: GetBmp returned %d", result)
                return None
            try:
                data = wlt_path.with_suffix(".bmp").read_bytes()
            except OSError as exc:
                log.warning("wlt: GetBmp reported success but left no picture: %s", exc)
                return None
        problem = _bmp_problem(data)
        if problem:
            log.warning("wlt: GetBmp gave %s", problem)
            return None
        return _trimmed_bmp(data)


def bmp_from_pixels(pixels: bytes, *, rgb: bool) -> bytes:
    """A 102×126 24-bit BMP file around bare pixels (rows in BMP order; ``rgb``: red first, else blue first)."""
    if len(pixels) != RAW_LEN:
        raise ValueError(f"expected {RAW_LEN} bytes of pixels, got {len(pixels)}")
    header = struct.pack(
        "<2sIHHIIiiHHIIiiII", b"BM", BMP_LEN, 0, 0, _HEADER_LEN, 40, WIDTH, HEIGHT, 1, 24, 0, 0, 0, 0, 0, 0
    )
    rows = bytearray()
    padding = bytes(_ROW_LEN - WIDTH * 3)
    for y in range(HEIGHT):
        row = bytearray(pixels[y * WIDTH * 3 : (y + 1) * WIDTH * 3])
        if rgb:
            row[0::3], row[2::3] = row[2::3], row[0::3]
        rows += row + padding
    return header + bytes(rows)


def _bmp_problem(data: bytes) -> str:
    """Why ``data`` does not start with the 102×126 24-bit BMP a decoder should give; "" when it does."""
    if len(data) < _HEADER_LEN or data[:2] != b"BM":
        return "not a BMP"
    size, offset, info_len, width, height, planes, bits, compression = struct.unpack_from(
        "<I4xIIiiHHI", data, 2
    )
    if (width, abs(height), planes, bits, compression) != (WIDTH, HEIGHT, 1, 24, 0) or info_len < 40:
        return (
            f"a {width}x{height} {bits}-bit picture (compression {compression}), not {WIDTH}x{HEIGHT} 24-bit"
        )
    end = offset + _ROW_LEN * HEIGHT
    if offset < _HEADER_LEN or size < end or end > len(data):
        return f"an inconsistent header (size {size}, pixels at {offset})"
    return ""


def _trimmed_bmp(data: bytes) -> bytes:
    """The checked BMP at the start of ``data``, cut to its pixels' end and its size field made to match."""
    offset = struct.unpack_from("<I", data, 10)[0]
    end = offset + _ROW_LEN * HEIGHT
    return data[:2] + struct.pack("<I", end) + data[6:end]


_call_lock = threading.Lock()
_decoders: dict[tuple[str, int, int], WltDecoder] = {}
_decoders_lock = threading.Lock()


def decode_wlt(photo: bytes, library: str | None, *, bmp_save: int = 0, interface: int = 2) -> bytes | None:
    """The card's photo as BMP bytes, or ``None`` when no decoder is configured or it fails (reason logged).

    Each library is loaded once per process and kept."""
    if not library:
        log.debug("wlt: no decoder library configured; the photo stays undecoded")
        return None
    key = (library, bmp_save, interface)
    with _decoders_lock:
        decoder = _decoders.get(key)
        if decoder is None:
            decoder = _decoders[key] = WltDecoder(library, bmp_save=bmp_save, interface=interface)
    return decoder.decode(photo)
