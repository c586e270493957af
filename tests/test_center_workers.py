"""``kiosk center serve --workers 2``: two worker processes behind one address on 127.0.0.1, both answering,
sharing what must be shared through the database (a nonce used on one is refused on the other), a killed worker
replaced, SIGTERM stopping them all."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from kiosk.center import rate_limits
from kiosk.center.server import ENV_WORKER_HEADER, WORKER_HEADER
from kiosk.protocol import API_PREFIX, signed_headers
from tests.center_support import CenterDb

_PATH = API_PREFIX + "/feeds/settings"
_QUERY = "limit=1"


class Workers:
    def __init__(self, db: CenterDb) -> None:
        self.db = db
        env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
        env[ENV_WORKER_HEADER] = "1"
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "kiosk", "center", "serve", *db.args),
                *("--port", "0", "--workers", "2", "--log-level", "warning"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        match = re.search(r"serving (http://127\.0\.0\.1:\d+)", line)
        assert match, line
        self.url = match.group(1)
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(self.url + "/openapi.json", timeout=5)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and self.process.poll() is None, "the center did not start"
                time.sleep(0.1)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def center(center_db: CenterDb) -> Iterator[tuple[Workers, str, bytes]]:
    store = center_db.store()
    terminal = store.add_terminal("village")
    rate_limits.set_limit(store, rate_limits.MAX_PER_MINUTE)  # one terminal sends hundreds of requests here
    store.close()
    workers = Workers(center_db)
    try:
        yield workers, terminal.terminal_id, terminal.secret
    finally:
        workers.close()


def _get(url: str, headers: dict[str, str]) -> tuple[int, str]:
    """One request on a connection of its own (a kept-alive one would stay with one worker)."""
    while True:
        try:
            answer = requests.get(
                f"{url}{_PATH}?{_QUERY}", headers={**headers, "Connection": "close"}, timeout=10
            )
        except requests.ConnectionError:  # a worker killed while it held this connection
            time.sleep(0.05)
            continue
        return answer.status_code, answer.headers[WORKER_HEADER]


def _signed(terminal_id: str, secret: bytes) -> dict[str, str]:
    return signed_headers(terminal_id, secret, "HMAC-SHA256", "GET", _PATH, _QUERY, b"", now=time.time())


def _pids_answering(url: str, headers: list[dict[str, str]]) -> list[tuple[int, str]]:
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda h: _get(url, h), headers))


def test_two_workers_share_the_address_and_the_nonces(center: tuple[Workers, str, bytes]) -> None:
    workers, terminal_id, secret = center
    seen: set[str] = set()
    for _ in range(25):  # 8 at once, so a busy worker leaves the next connection to the other
        answers = _pids_answering(workers.url, [_signed(terminal_id, secret) for _ in range(16)])
        assert {status for status, _ in answers} == {200}
        seen |= {pid for _, pid in answers}
        if len(seen) == 2:
            break
    assert len(seen) == 2, seen

    # A signed request answered by one worker, sent again: refused by whichever worker takes it.
    once = _signed(terminal_id, secret)
    status, first = _get(workers.url, once)
    assert status == 200
    replayed_on: set[str] = set()
    for _ in range(25):
        answers = _pids_answering(workers.url, [once] * 16)
        assert {status for status, _ in answers} == {401}
        replayed_on |= {pid for _, pid in answers}
        if replayed_on - {first}:
            break
    assert replayed_on - {first}, "no replay reached the other worker"


def test_the_rate_limit_is_counted_across_workers(center: tuple[Workers, str, bytes]) -> None:
    workers, _, _ = center
    store = workers.db.store()
    try:
        other = store.add_terminal("another")
        rate_limits.set_limit(store, 10)
    finally:
        store.close()
    # A terminal's requests come one after another. Other traffic keeps the workers busy meanwhile, so that both
    # take some of them.
    stop = threading.Event()

    def other_traffic() -> None:
        while not stop.is_set():
            requests.get(workers.url + "/openapi.json", headers={"Connection": "close"}, timeout=10)

    with ThreadPoolExecutor(3) as pool:
        busy = [pool.submit(other_traffic) for _ in range(3)]
        try:
            answers = [_get(workers.url, _signed(other.terminal_id, other.secret)) for _ in range(40)]
        finally:
            stop.set()
        for future in busy:
            future.result()
    # Ten served in all, whichever worker took each: a count kept by each worker would have let more through.
    assert [status for status, _ in answers] == [200] * 10 + [429] * 30
    assert len({pid for _, pid in answers}) == 2


def test_a_killed_worker_is_replaced_and_sigterm_stops_them_all(center: tuple[Workers, str, bytes]) -> None:
    workers, terminal_id, secret = center
    _, victim = _get(workers.url, _signed(terminal_id, secret))
    os.kill(int(victim), signal.SIGKILL)
    seen: set[str] = set()
    deadline = time.monotonic() + 30
    while len(seen - {victim}) < 2:
        assert time.monotonic() < deadline, f"no second worker after {victim} was killed: {seen}"
        answers = _pids_answering(workers.url, [_signed(terminal_id, secret) for _ in range(16)])
        assert {status for status, _ in answers} == {200}
        seen |= {pid for _, pid in answers}
    assert victim not in seen - {victim}
    workers.process.send_signal(signal.SIGTERM)
    assert workers.process.wait(20) == 0
    for pid in seen - {victim}:
        deadline = time.monotonic() + 10
        while _alive(int(pid)):
            assert time.monotonic() < deadline, f"worker {pid} outlived the center"
            time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (not yet reaped by its parent's parent) counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False
