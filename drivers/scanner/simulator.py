"""A serial code scanner on a pseudo-terminal, for tests and the demo.

The real :class:`~drivers.scanner.serial_scanner.SerialScanner` opens the pty's slave side like any serial port;
the simulator writes scans to the master side, paced at the baud rate (ten bits per byte on the wire, as 8N1),
so reads see scans arrive in pieces the way they do from hardware. ``link`` gives the port a stable path (a
symlink, like a udev rule's ``/dev/ttyScanner``), which is what lets :meth:`unplug` and :meth:`plug` make the
port vanish and come back under the same name.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path
from typing import Literal

from drivers.scanner.payload import ENCODINGS

SimTerminator = Literal["cr", "lf", "crlf", "stx-etx", "none"]

_AROUND: dict[str, tuple[bytes, bytes]] = {
    "cr": (b"", b"\r"),
    "lf": (b"", b"\n"),
    "crlf": (b"", b"\r\n"),
    "stx-etx": (b"\x02", b"\x03"),
    "none": (b"", b""),
}


class ScannerSimulator:
    def __init__(self, baudrate: int = 9600, *, link: str | Path | None = None) -> None:
        if baudrate <= 0:
            raise ValueError("baudrate must be positive")
        self.baudrate = baudrate
        self.link = Path(link) if link is not None else None
        self._master = self._slave = -1
        self._lock = threading.Lock()
        self._slave_name = ""
        self.plug()

    @property
    def port(self) -> str:
        """The path a scanner should open."""
        return str(self.link) if self.link is not None else self._slave_name

    @property
    def plugged(self) -> bool:
        return self._master >= 0

    def plug(self) -> None:
        """Connect (again): a fresh pty, in raw mode, reachable at :attr:`port`."""
        with self._lock:
            if self._master >= 0:
                return
            import tty  # POSIX only; the simulator never runs on the Windows terminals themselves

            master, slave = os.openpty()
            tty.setraw(slave)  # no echo, no CR→LF translation: bytes pass as they are
            self._master, self._slave, self._slave_name = master, slave, os.ttyname(slave)
            if self.link is not None:
                tmp = self.link.with_name(self.link.name + ".new")
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
                tmp.symlink_to(self._slave_name)
                tmp.replace(self.link)

    def unplug(self) -> None:
        """Pull the cable: the port disappears and a reader on it gets an I/O error."""
        with self._lock:
            if self.link is not None:
                with contextlib.suppress(FileNotFoundError):
                    self.link.unlink()
            for fd in (self._master, self._slave):
                if fd >= 0:
                    with contextlib.suppress(OSError):
                        os.close(fd)
            self._master = self._slave = -1

    def close(self) -> None:
        self.unplug()

    def __enter__(self) -> ScannerSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def encode(
        self, text: str, *, encoding: str = "utf-8", terminator: SimTerminator = "cr", aim: str = ""
    ) -> bytes:
        """The bytes a scanner sends for ``text``."""
        if encoding not in ENCODINGS:
            raise ValueError(f"the simulator speaks {', '.join(ENCODINGS)}, not {encoding!r}")
        before, after = _AROUND[terminator]
        return before + (aim + text).encode(encoding) + after

    def scan(
        self, text: str, *, encoding: str = "utf-8", terminator: SimTerminator = "cr", aim: str = ""
    ) -> None:
        """Scan a code: send its bytes (blocks while they are on the wire)."""
        self.send(self.encode(text, encoding=encoding, terminator=terminator, aim=aim))

    def send(self, data: bytes) -> None:
        """Put raw bytes on the wire at the baud rate (scans, split scans, garbage)."""
        per_second = self.baudrate / 10
        chunk = max(1, int(per_second / 200))  # about 5 ms of line time per write
        for start in range(0, len(data), chunk):
            piece = data[start : start + chunk]
            with self._lock:
                if self._master < 0:
                    raise OSError("the simulated scanner is unplugged")
                os.write(self._master, piece)
            time.sleep(len(piece) / per_second)


__all__ = ["ScannerSimulator", "SimTerminator"]
