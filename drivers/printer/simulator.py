"""A network ESC/POS printer on 127.0.0.1: it keeps every byte it receives and answers ``DLE EOT n`` with the
status of its current state (ok, paper low, paper out, cover open, or silent: switched off but still
connected), which can be switched while it runs. The real TicketPrinter talks to it over a real socket.

``DLE EOT`` is a real-time command: a printer acts on it wherever it appears, except inside the data of a command
that carries binary data. The simulator skips those blocks (raster images ``GS v 0``, ``GS ( k``/``GS ( L``
blocks, ``ESC *`` bit images), so picture data that happens to contain 10 04 is not taken for a query.
GB18030 text never contains the byte 10.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from typing import Literal

from drivers.printer.escpos_status import QUERIES, status_answers

log = logging.getLogger(__name__)

State = Literal["ok", "paper_low", "paper_out", "cover_open", "silent"]
STATES: tuple[State, ...] = ("ok", "paper_low", "paper_out", "cover_open", "silent")


class _Scanner:
    """Walks the byte stream of one connection, finding status queries outside binary data blocks."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._skip = 0  # bytes of binary data still to pass over

    def feed(self, data: bytes) -> tuple[list[int], bytes]:
        """The ``n`` of each DLE EOT n found, in order, and the bytes that are not queries (what is printed).
        A command cut off at the end of ``data`` waits for the next piece."""
        self._buffer += data
        found: list[int] = []
        printed = bytearray()
        buf = self._buffer
        i = 0
        while i < len(buf):
            if self._skip:
                step = min(self._skip, len(buf) - i)
                printed += buf[i : i + step]
                self._skip -= step
                i += step
                continue
            byte = buf[i]
            if byte == 0x10:
                if i + 3 > len(buf):
                    break
                if buf[i + 1] == 0x04 and buf[i + 2] in QUERIES:
                    found.append(buf[i + 2])
                    i += 3
                    continue
            elif byte == 0x1D and i + 1 < len(buf) and buf[i + 1] in (ord("v"), ord("(")):
                block = self._block_length(buf, i)
                if block is None:
                    break
                header, self._skip = block
                printed += buf[i : i + header]
                i += header
                continue
            elif byte == 0x1B and i + 1 < len(buf) and buf[i + 1] == ord("*"):
                if i + 5 > len(buf):
                    break
                mode, columns = buf[i + 2], buf[i + 3] | buf[i + 4] << 8
                printed += buf[i : i + 5]
                i += 5
                self._skip = columns * (3 if mode in (32, 33) else 1)
                continue
            elif byte in (0x1B, 0x1D) and i + 1 >= len(buf):
                break
            printed.append(byte)
            i += 1
        del buf[:i]
        return found, bytes(printed)

    @staticmethod
    def _block_length(buf: bytearray, i: int) -> tuple[int, int] | None:
        """(header bytes, data bytes) of the GS command at ``i``, None while its header is incomplete."""
        kind = buf[i + 1]
        if kind == ord("v"):  # GS v 0 m xL xH yL yH, then xL+xH*256 times yL+yH*256 bytes
            if i + 8 > len(buf):
                return None
            if buf[i + 2] != ord("0"):
                return 2, 0
            width = buf[i + 4] | buf[i + 5] << 8
            height = buf[i + 6] | buf[i + 7] << 8
            return 8, width * height
        if i + 5 > len(buf):  # GS ( x pL pH, then pL+pH*256 bytes
            return None
        return 5, buf[i + 3] | buf[i + 4] << 8


class EscPosSimulator:
    """Start with :meth:`start` (or as a context manager); ``port`` 0 picks a free port."""

    def __init__(self, port: int = 0, *, state: State = "ok") -> None:
        self._requested_port = port
        self._state: State = state
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._received = bytearray()
        self._printed = bytearray()
        self._queries: list[int] = []
        self._server: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._connections: list[socket.socket] = []
        self._stopping = threading.Event()
        self.port = 0

    # -- control ------------------------------------------------------------------------------------------------

    def start(self) -> EscPosSimulator:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self._requested_port))
        server.listen(4)
        server.settimeout(0.2)
        self._server = server
        self.port = server.getsockname()[1]
        self._spawn(self._accept_loop, "escpos-sim-accept")
        log.info("ESC/POS simulator listening on 127.0.0.1:%d", self.port)
        return self

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=5)
        if self._server is not None:
            self._server.close()
            self._server = None

    def __enter__(self) -> EscPosSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def target(self) -> str:
        """The ``ticket_target`` that reaches this simulator."""
        return f"127.0.0.1:{self.port}"

    @property
    def state(self) -> State:
        with self._lock:
            return self._state

    def set_state(self, state: State) -> None:
        if state not in STATES:
            raise ValueError(f"state must be one of {', '.join(STATES)}")
        with self._lock:
            self._state = state

    def received(self) -> bytes:
        """Every byte received, status queries included."""
        with self._lock:
            return bytes(self._received)

    def printed(self) -> bytes:
        """What would be printed: everything received except the status queries."""
        with self._lock:
            return bytes(self._printed)

    def wait_printed(self, size: int = 0, *, until: bytes = b"", timeout: float = 10.0) -> bytes:
        """What is printed, once at least ``size`` bytes of it have arrived and ``until`` is among them (the
        sender's write returns before the bytes are read here); raises TimeoutError after ``timeout`` s."""

        def arrived() -> bool:
            return len(self._printed) >= size and until in self._printed

        with self._arrived:
            if not self._arrived.wait_for(arrived, timeout):
                raise TimeoutError(f"{len(self._printed)} bytes arrived, not the {size} or {until!r} awaited")
            return bytes(self._printed)

    def queries(self) -> list[int]:
        with self._lock:
            return list(self._queries)

    def clear(self) -> None:
        with self._lock:
            self._received.clear()
            self._printed.clear()
            self._queries.clear()

    # -- the server side ------------------------------------------------------------------------------------------

    def _spawn(self, target: object, name: str, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._server is not None
        while not self._stopping.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._connections.append(conn)
            self._spawn(self._serve, "escpos-sim-conn", conn)

    def _serve(self, conn: socket.socket) -> None:
        scanner = _Scanner()
        conn.settimeout(0.2)
        try:
            while not self._stopping.is_set():
                try:
                    data = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not data:
                    return
                queries, printed = scanner.feed(data)
                with self._lock:
                    self._received += data
                    self._printed += printed
                    self._queries += queries
                    state = self._state
                    self._arrived.notify_all()
                if state == "silent":
                    continue
                answers = status_answers(
                    paper_low=state == "paper_low",
                    paper_out=state == "paper_out",
                    cover_open=state == "cover_open",
                )
                for n in queries:
                    with contextlib.suppress(OSError):
                        conn.sendall(answers[n])
        finally:
            with self._lock:
                if conn in self._connections:
                    self._connections.remove(conn)
            conn.close()


def main(argv: list[str] | None = None) -> int:
    """Run a simulator in the foreground (for the demo): ``python -m drivers.printer.simulator --port 9100``."""
    import argparse
    import time

    parser = argparse.ArgumentParser(description="network ESC/POS ticket printer simulator")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--state", choices=STATES, default="ok")
    args = parser.parse_args(argv)
    with EscPosSimulator(args.port, state=args.state) as sim:
        print(f"listening on {sim.target} ({sim.state}); Ctrl+C to stop", flush=True)
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        print(f"received {len(sim.received())} bytes, {len(sim.queries())} status queries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
