"""Cutting a serial scanner's byte stream into scans.

A scan may arrive split over several reads, or several scans in one read; the splitter keeps what is left over
between calls. The terminator is whatever the scanner was set up to send: CR, LF, CR LF, or an STX … ETX frame.
``auto`` accepts all of them, which is safe because none of these bytes occurs inside a UTF-8 or GB18030
multi-byte character. Input with no terminator within ``max_frame`` bytes (a wrong baud rate, a scanner in the
wrong mode) is dropped up to the next terminator, with a log line, so one bad scan never spoils the next.
"""

from __future__ import annotations

import logging
from typing import Literal, get_args

log = logging.getLogger(__name__)

Terminator = Literal["cr", "lf", "crlf", "stx-etx", "auto"]
TERMINATORS: tuple[str, ...] = get_args(Terminator)

STX, ETX, CR, LF = 0x02, 0x03, 0x0D, 0x0A


class FrameSplitter:
    def __init__(self, terminator: Terminator = "auto", *, max_frame: int = 4096) -> None:
        if terminator not in TERMINATORS:
            raise ValueError(
                f"unknown scanner terminator {terminator!r}; use one of {', '.join(TERMINATORS)}"
            )
        if max_frame < 1:
            raise ValueError("max_frame must be positive")
        self.terminator = terminator
        self.max_frame = max_frame
        self._buf = bytearray()
        self._in_frame = False  # inside STX … ETX
        self._discarding = False  # after an overflow, until the next terminator
        self._prev = -1  # the byte before this one (a CR LF pair may be split over two reads)
        self.dropped_bytes = 0

    def reset(self) -> None:
        """Forget a partial scan (the port was reopened)."""
        self._buf.clear()
        self._in_frame = self._discarding = False
        self._prev = -1

    def feed(self, data: bytes) -> list[bytes]:
        """The scans completed by ``data``, without their terminators, in order."""
        frames: list[bytes] = []
        for byte in data:
            self._byte(byte, frames)
            self._prev = byte
        return frames

    # -- one byte at a time: scanners send tens of bytes per scan, so clarity wins over speed -------------

    def _byte(self, byte: int, frames: list[bytes]) -> None:
        mode = self.terminator
        framing = mode in ("stx-etx", "auto")
        if framing and byte == STX:
            if self._buf and not self._discarding:
                self._drop(f"{len(self._buf)} bytes without a terminator before STX")
            self._buf.clear()
            self._in_frame, self._discarding = True, False
            return
        if self._in_frame:
            if byte == ETX:
                self._end(frames)
            else:
                self._append(byte)
            return
        if mode == "stx-etx":
            self.dropped_bytes += 1  # outside a frame: line noise, or a CR after ETX
            if byte not in (CR, LF, ETX):
                log.debug("scanner: byte 0x%02X outside an STX/ETX frame dropped", byte)
            return
        if self._ends_line(byte):
            self._end(frames)
        else:
            self._append(byte)

    def _ends_line(self, byte: int) -> bool:
        mode = self.terminator
        if mode == "cr":
            return byte == CR
        if mode == "lf":
            return byte == LF
        if mode == "crlf":
            if byte == LF and self._prev == CR:
                if self._buf[-1:] == b"\r":
                    del self._buf[-1]
                return True
            return False
        return byte in (CR, LF, ETX)  # auto, outside a frame

    def _append(self, byte: int) -> None:
        if self._discarding:
            self.dropped_bytes += 1
            return
        self._buf.append(byte)
        if len(self._buf) > self.max_frame:
            self._drop(f"more than {self.max_frame} bytes without a terminator")
            self._buf.clear()
            self._discarding = True

    def _end(self, frames: list[bytes]) -> None:
        if self._discarding:
            log.info("scanner: back in step after dropped input")
        elif self._buf:
            frames.append(bytes(self._buf))
        self._buf.clear()
        self._in_frame = self._discarding = False

    def _drop(self, why: str) -> None:
        self.dropped_bytes += len(self._buf)
        log.warning("scanner: input dropped (%s)", why)


__all__ = ["TERMINATORS", "FrameSplitter", "Terminator"]
