"""``kiosk bench queue``, part (b): call to display. From 叫号 at a counter (``HallClient.call_next`` on a thread of
its own, as another machine of the hall would) to the display's model showing the ticket called: the display
role's own view-model (``DisplayBoard``) fed by its own follower (``BoardFollower``: the hall's event stream,
parsed, applied to the board, handed to the UI thread), in this process's Qt event loop. The hall's queue service
is a process of its own on 127.0.0.1.

Against a raw loopback HTTP round trip in the same run: a small POST answered by a bare HTTP/1.1 server on
127.0.0.1 over a kept-alive connection, one after each call, so both see the same machine. Goal: p50 and p95 at
most 1.5 times the round trip's plus one frame (60 Hz), and under 100 ms.
"""

from __future__ import annotations

import http.client
import http.server
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from kiosk.bench.stats import summary_ms

SERVICE = "CALL"
PREFIX = "T"
LAST_NUMBER = 9999  # numbers T0001 … T9999 (a range past 999 has four digits)
COUNTER = 1
WARM_UP = 5  # calls not counted: connections opened, code paths warmed
FRAME_MS = 1000 / 60
GOAL_FACTOR = 1.5
GOAL_CEILING_MS = 100.0
WAIT_S = 10.0


class _Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    answer = b'{"ok":true}'

    def setup(self) -> None:
        super().setup()
        # As the hall's server (asyncio) and client (urllib3) do: no Nagle delay on small writes.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self) -> None:  # (the name http.server calls)
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.answer)))
        self.end_headers()
        self.wfile.write(self.answer)

    def log_message(self, *args: Any) -> None:
        pass


class RawLoopback:
    """A bare HTTP server on 127.0.0.1 and a kept-alive connection to it."""

    def __init__(self) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
        self.thread = threading.Thread(target=self.server.serve_forever, name="raw-http", daemon=True)
        self.thread.start()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.server.server_address[1], timeout=WAIT_S)
        self.conn.connect()
        assert self.conn.sock is not None
        self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.body = b'{"request_id":"bench-000000","counter":1}'

    def round_trip(self) -> float:
        started = time.perf_counter()
        self.conn.request("POST", "/call", self.body, {"Content-Type": "application/json"})
        response = self.conn.getresponse()
        response.read()
        return time.perf_counter() - started

    def close(self) -> None:
        self.conn.close()
        self.server.shutdown()
        self.server.server_close()


def run(folder: Path, calls: int) -> dict[str, Any]:
    """``calls`` calls timed (after a few not counted), each followed by one raw round trip."""
    from PySide6.QtCore import QEventLoop, QTimer

    from kiosk.bench.queue_bench import BenchError, HallProcess
    from kiosk.hall import layout
    from kiosk.hall.db import HallDb
    from kiosk.hall.hall import Hall
    from kiosk.hall.terminals import add_terminal
    from kiosk.hall_client import HallClient
    from kiosk.roles.display.board_model import LIVE, DisplayBoard
    from kiosk.services.display.follow import BoardFollower
    from kiosk.ui.shell.app import create_application

    total = calls + WARM_UP
    folder.mkdir(parents=True)
    hall_process = HallProcess(folder)
    admin = Hall(HallDb(hall_process.db))
    try:
        layout.add_service(admin.db, SERVICE, PREFIX, "叫号压测", numbers=(1, LAST_NUMBER))
        layout.add_counter(admin.db, COUNTER, "1号窗口", {SERVICE: 1})
        kiosk, counter, display = (add_terminal(admin.db, name) for name in ("kiosk", "counter", "display"))
    finally:
        admin.db.close()
    hall_process.start()
    clients = [
        HallClient(hall_process.url, t.terminal_id, t.secret, t.algorithm) for t in (kiosk, counter, display)
    ]
    kiosk_client, counter_client, display_client = clients
    create_application(offscreen=True)
    board = DisplayBoard(SimpleNamespace(language="zh_CN"))  # the display's model, silent
    follower = BoardFollower(
        display_client,
        on_board=board.board_from_any_thread,
        on_announce=lambda _call: None,
        on_link=board.link_from_any_thread,
    )
    raw = RawLoopback()
    counter_thread = ThreadPoolExecutor(1, thread_name_prefix="counter")
    shown_at: dict[str, float] = {}
    board.shown.connect(lambda _seq: shown_at.setdefault(board.currentNumber, time.perf_counter()))

    def wait(condition: Any, what: str) -> None:
        deadline = time.monotonic() + WAIT_S
        loop = QEventLoop()
        while not condition():
            if time.monotonic() > deadline:
                raise BenchError(f"call to display: timed out waiting for {what}")
            QTimer.singleShot(2, loop.quit)
            loop.exec()

    def call(expected: str) -> float:
        started = time.perf_counter()
        answer = counter_client.call_next(COUNTER)
        if answer.ticket is None or answer.ticket.number != expected:
            raise BenchError(f"call to display: the counter was given {answer.ticket}, not {expected}")
        return started

    latencies: list[float] = []
    round_trips: list[float] = []
    try:
        for _ in range(total):
            kiosk_client.take(SERVICE)
        follower.start()
        wait(lambda: board.linkState == LIVE and board.waitingTotal == total, "the display to show the hall")
        for n in range(1, total + 1):
            expected = f"{PREFIX}{n:0{len(str(LAST_NUMBER))}d}"
            future = counter_thread.submit(call, expected)
            wait(
                lambda expected=expected, future=future: expected in shown_at or future.done(),  # type: ignore[misc]
                f"{expected} called",
            )
            if expected not in shown_at:
                future.result()  # (the call failed: its error)
                wait(lambda expected=expected: expected in shown_at, f"{expected} on the display")  # type: ignore[misc]
            started = future.result(WAIT_S)
            counter_client.finish(COUNTER)
            trip = raw.round_trip()
            if n > WARM_UP:
                latencies.append(shown_at[expected] - started)
                round_trips.append(trip)
    finally:
        follower.stop()
        board.close()
        counter_thread.shutdown()
        raw.close()
        for client in clients:
            client.close()
        hall_process.stop()
    display_ms, raw_ms = summary_ms(latencies), summary_ms(round_trips)
    goal_p50 = GOAL_FACTOR * raw_ms["p50_ms"] + FRAME_MS
    goal_p95 = GOAL_FACTOR * raw_ms["p95_ms"] + FRAME_MS
    return {
        "calls": calls,
        "display": display_ms,
        "raw_http": raw_ms,
        "p50_ratio": round(display_ms["p50_ms"] / raw_ms["p50_ms"], 1) if raw_ms["p50_ms"] else None,
        "goal_p50_ms": round(goal_p50, 3),
        "goal_p95_ms": round(goal_p95, 3),
        "goal_met": display_ms["p50_ms"] <= goal_p50
        and display_ms["p95_ms"] <= goal_p95
        and display_ms["p95_ms"] < GOAL_CEILING_MS,
        "under_100_ms": display_ms["p95_ms"] < GOAL_CEILING_MS,
    }


def print_report(result: dict[str, Any] | None) -> None:
    if result is None:
        print("call to display: not measured")
        return
    shown, raw = result["display"], result["raw_http"]
    print(f"call to display: {result['calls']} calls, each from 叫号 to the display's model showing it")
    print(
        f"  call to display: p50 {shown['p50_ms']:.1f} ms   p95 {shown['p95_ms']:.1f} ms   max {shown['max_ms']:.1f} ms"
    )
    print(f"  raw loopback HTTP round trip: p50 {raw['p50_ms']:.2f} ms   p95 {raw['p95_ms']:.2f} ms")
    met = "met" if result["goal_met"] else "NOT met"
    print(
        f"  goal: at most 1.5x the round trip plus one frame (p50 {result['goal_p50_ms']:.1f} ms, "
        f"p95 {result['goal_p95_ms']:.1f} ms) and under {GOAL_CEILING_MS:.0f} ms: {met}"
        f" (under 100 ms: {'yes' if result['under_100_ms'] else 'no'})"
    )
