"""``kiosk bench queue``: the hall's queue service (``kiosk hall serve``, a process of its own on 127.0.0.1).

(a) Take a number: ``--takers`` threads (16 by default), each a terminal with its own client and connection,
    take ``--tickets`` numbers each from one service, as fast as they can; tickets per second and the latency of
    each take (p50/p95/max), against raw inserts of the same rows into SQLite in the same run: as many threads,
    each with its own connection to a database file of its own, each row one ``BEGIN IMMEDIATE`` … ``COMMIT``
    with the hall's own settings (WAL, ``synchronous=FULL``). The two take turns going first, ``--repeat`` times;
    medians of the runs are reported. Goal: p95 of a take under 50 ms.
(b) Call to display: from 叫号 at a counter to the display's model update, against a raw loopback HTTP round trip
    in the same run (:mod:`kiosk.bench.display_bench`); goal: at most 1.5 times the round trip plus one frame, and
    under 100 ms.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.bench.stats import summary_ms
from kiosk.program import program_command

GOAL_P95_MS = 50.0
SERVICE = "BENCH"


class BenchError(RuntimeError):
    pass


class HallProcess:
    """``kiosk hall serve`` on a free port of 127.0.0.1, over a database set up beforehand."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db = folder / "hall.db"
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def start(self) -> None:
        self.proc = subprocess.Popen(
            program_command(
                "--data-dir",
                str(self.folder),
                "hall",
                "serve",
                "--db",
                str(self.db),
                "--port",
                "0",
                "--log-level",
                "warning",
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")},
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        while line and "serving http://" not in line:
            line = self.proc.stdout.readline()
        if "serving http://" not in line:
            self.stop()
            raise BenchError(f"the hall's queue service did not start: {line.strip()!r}")
        self.url = line.split("serving ", 1)[1].split()[0]
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30.0) -> None:
        import socket
        from urllib.parse import urlsplit

        parts = urlsplit(self.url)
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection((parts.hostname, parts.port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline or (self.proc is not None and self.proc.poll() is not None):
                    self.stop()
                    raise BenchError("the hall's queue service does not accept connections") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
            if self.proc.stdout is not None:
                self.proc.stdout.close()
            self.proc = None


def _concurrently(
    threads: int, each: int, work: Callable[[int], Callable[[], None]]
) -> tuple[list[float], float]:
    """Run ``each`` calls of ``work(n)()`` on each of ``threads`` threads started together; every call's
    duration and the wall time of the whole."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    calls = [work(n) for n in range(threads)]
    barrier = threading.Barrier(threads + 1)
    failures: list[BaseException] = []

    def run(n: int) -> None:
        barrier.wait()
        try:
            for _ in range(each):
                started = time.perf_counter()
                calls[n]()
                latencies[n].append(time.perf_counter() - started)
        except BaseException as exc:
            failures.append(exc)

    workers = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise BenchError(f"a taker failed: {failures[0]}")
    return [d for per_thread in latencies for d in per_thread], elapsed


def take_numbers(folder: Path, takers: int, each: int) -> dict[str, Any]:
    """(a), the hall's side: a fresh hall with one service, ``takers`` enrolled terminals taking numbers."""
    from kiosk.hall import layout
    from kiosk.hall.db import HallDb
    from kiosk.hall.hall import Hall
    from kiosk.hall.terminals import add_terminal
    from kiosk.hall_client import HallClient

    folder.mkdir(parents=True)
    hall_process = HallProcess(folder)
    admin = Hall(HallDb(hall_process.db))
    try:
        layout.add_service(admin.db, SERVICE, "T", "取号压测", numbers=(1, 9999))
        terminals = [add_terminal(admin.db, f"kiosk-{n}") for n in range(takers)]
    finally:
        admin.db.close()
    hall_process.start()
    clients = [HallClient(hall_process.url, t.terminal_id, t.secret, t.algorithm) for t in terminals]
    try:
        for client in clients:  # one connection each, opened before the clock starts
            client.state()
        latencies, elapsed = _concurrently(takers, each, lambda n: lambda: clients[n].take(SERVICE))
    finally:
        for client in clients:
            client.close()
        hall_process.stop()
    check = HallDb(hall_process.db)
    try:
        numbers = [row[0] for row in check.rows("SELECT number FROM tickets ORDER BY number")]
    finally:
        check.close()
    if numbers != list(range(1, takers * each + 1)):
        raise BenchError("the numbers issued are not 1..N each once")
    return {"tickets_per_s": round(takers * each / elapsed, 1), **summary_ms(latencies)}


_RAW_SCHEMA = """
CREATE TABLE tickets (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, day TEXT NOT NULL, service TEXT NOT NULL,
    number INTEGER NOT NULL, label TEXT NOT NULL, queue_service TEXT NOT NULL, state TEXT NOT NULL,
    priority TEXT NOT NULL, taken_at REAL NOT NULL, taken_by TEXT NOT NULL, queue_at REAL NOT NULL,
    token TEXT NOT NULL UNIQUE, UNIQUE (day, service, number)
)
"""


def raw_inserts(folder: Path, takers: int, each: int) -> dict[str, Any]:
    """(a), the baseline: the same rows inserted straight into SQLite, one transaction each."""
    folder.mkdir(parents=True)
    path = folder / "raw.db"
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.executescript(_RAW_SCHEMA)
    setup.close()
    counter = iter(range(1, takers * each + 1))
    lock = threading.Lock()
    day = time.strftime("%Y-%m-%d")

    def inserter(n: int) -> Callable[[], None]:
        db = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
        db.execute("PRAGMA synchronous=FULL")

        def insert() -> None:
            with lock:
                number = next(counter)
            now = time.time()
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO tickets (id, day, service, number, label, queue_service, state, priority, taken_at, "
                "taken_by, queue_at, token) VALUES (?, ?, ?, ?, ?, ?, 'waiting', 'normal', ?, ?, ?, ?)",
                (f"H-{day}-{SERVICE}-{number}", day, SERVICE, number, f"T{number:04d}", SERVICE, now, f"kiosk-{n}",
                 now, os.urandom(9).hex()),
            )  # fmt: skip
            db.execute("COMMIT")

        return insert

    latencies, elapsed = _concurrently(takers, each, inserter)
    return {"tickets_per_s": round(takers * each / elapsed, 1), **summary_ms(latencies)}


def call_to_display(folder: Path, calls: int) -> dict[str, Any] | None:
    """(b) Call to display, p50/p95 from 叫号 to the display's model update against a raw loopback HTTP round trip
    in the same run (goal: at most 1.5× of it plus one frame, under 100 ms); ``calls`` 0: not measured (None)."""
    if calls <= 0:
        return None
    from kiosk.bench import display_bench

    return display_bench.run(folder, calls)


def run(takers: int, each: int, repeat: int, calls: int = 0) -> dict[str, Any]:
    queue_runs: list[dict[str, Any]] = []
    raw_runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-queue-") as tmp:
        root = Path(tmp)
        for index in range(repeat):
            order = (take_numbers, raw_inserts) if index % 2 == 0 else (raw_inserts, take_numbers)
            for step in order:
                result = step(root / f"{step.__name__}-{index}", takers, each)
                (queue_runs if step is take_numbers else raw_runs).append(result)
        shown = call_to_display(root / "call-to-display", calls)
    queue, raw = _median(queue_runs), _median(raw_runs)
    return {
        "takers": takers,
        "tickets": takers * each,
        "repeat": repeat,
        "take": queue,
        "raw_sqlite": raw,
        "p95_ratio": round(queue["p95_ms"] / raw["p95_ms"], 2) if raw["p95_ms"] else None,
        "goal_p95_ms": GOAL_P95_MS,
        "goal_met": queue["p95_ms"] < GOAL_P95_MS,
        "call_to_display": shown,
    }


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {key: round(statistics.median(run[key] for run in runs), 3) for key in runs[0]}


def print_report(result: dict[str, Any]) -> None:
    take, raw = result["take"], result["raw_sqlite"]
    print(
        f"take a number: {result['takers']} takers, {result['tickets']} tickets a run, {result['repeat']} run(s)"
    )
    print(
        f"  hall service: {take['tickets_per_s']:>8.1f} tickets/s   p50 {take['p50_ms']:.1f} ms   "
        f"p95 {take['p95_ms']:.1f} ms   max {take['max_ms']:.1f} ms"
    )
    print(
        f"  raw SQLite:   {raw['tickets_per_s']:>8.1f} rows/s      p50 {raw['p50_ms']:.1f} ms   "
        f"p95 {raw['p95_ms']:.1f} ms   max {raw['max_ms']:.1f} ms"
    )
    met = "met" if result["goal_met"] else "NOT met"
    print(
        f"  p95 {take['p95_ms']:.1f} ms vs goal < {GOAL_P95_MS:.0f} ms: {met} (p95 ratio to raw {result['p95_ratio']})"
    )
    from kiosk.bench import display_bench

    display_bench.print_report(result["call_to_display"])
