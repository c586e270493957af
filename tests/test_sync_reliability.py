"""Sync under a bad line and a brutal power switch: real ``kiosk`` processes, the real reference center, and a
fault-injecting proxy between them (tests/fault_proxy.py).

Three things are shown. The proxy does what it claims (its own tests, with plain signed ``requests`` calls). A
terminal whose every exchange can be dropped, delayed, refused, truncated, garbled or reset never crashes, keeps
its cache searchable, and converges once the line is good again: nothing left in the outbox, every record at the
center exactly once, the catalog complete. And a terminal process killed with SIGKILL at random moments while it
writes and syncs loses no committed record, delivers none twice, and leaves a database that passes
``PRAGMA integrity_check``.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.config import load_settings, save_setting
from kiosk.services.sync.engine import PULL_LIMIT
from kiosk.services.sync.outbox import OutboxService, synthetic_body
from kiosk.services.terminal import Terminal
from tests import center_support, fault_proxy
from tests.conftest import SMALL_ITEMS, catalog_document, make_item
from tests.fault_proxy import PASS, Fault, FaultProxy

center_server = center_support.center_server
proxy = fault_proxy.fault_proxy

KIOSK = Path(sys.executable).parent / "kiosk"
RECORDS = "POST /api/v1/records"
FORWARDING = {"drop_after", "delay_answer", "truncate", "malformed", "html", "cut", "reset"}


# -- the proxy itself -----------------------------------------------------------------------------------------


def record_batch(key: str) -> bytes:
    record = {
        "idempotency_key": key,
        "kind": "event",
        "created_at": "2026-11-22T08:30:00+08:00",
        "body": {"n": 1},
    }
    return json.dumps({"records": [record]}).encode("utf-8")


@pytest.fixture(scope="module")
def shared_center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[center_support.CenterServer]:
    """One center for the proxy's own tests (each uses keys of its own), started once."""
    server = center_support.CenterServer(tmp_path_factory.mktemp("center") / "center.db")
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def proxied(shared_center: center_support.CenterServer) -> Iterator[FaultProxy]:
    with FaultProxy(shared_center.url) as proxy:
        yield proxy


@pytest.fixture
def signed(shared_center: center_support.CenterServer) -> Iterator[requests.Session]:
    """A ``requests`` session that signs as a fresh terminal of the shared center."""
    terminal_id, secret_hex = shared_center.add_terminal("proxy-check")
    with requests.Session() as session:
        session.auth = shared_center.auth(terminal_id, secret_hex)
        session.headers["Content-Type"] = "application/json"
        session.terminal_id = terminal_id  # type: ignore[attr-defined]
        yield session


def stored_keys(center: center_support.CenterServer) -> set[str]:
    return {r["idempotency_key"] for r in center.records()}


def wait_for_exchanges(proxy: FaultProxy, count: int) -> None:
    """A request the client gave up on is still being handled; wait until the proxy has finished with it."""
    deadline = time.monotonic() + 10
    while len(proxy.exchanges) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(proxy.exchanges) >= count


def test_the_proxy_passes_traffic_through_on_kept_alive_connections(proxied, signed, shared_center):
    proxy = proxied
    direct = signed.get(shared_center.url + "/api/v1/feeds/notices", params={"limit": 1}, timeout=5)
    for n in range(3):
        response = signed.post(
            proxy.url + "/api/v1/records", data=record_batch(f"T-proxy:pass-{n:04d}"), timeout=5
        )
        assert response.status_code == 200 and response.json()["results"][0]["status"] == 201
    via_proxy = signed.get(proxy.url + "/api/v1/feeds/notices", params={"limit": 1}, timeout=5)
    assert via_proxy.status_code == 200 and via_proxy.json() == direct.json()
    assert via_proxy.headers["Content-Type"] == direct.headers["Content-Type"]
    assert "X-Kiosk-Server-Time" in via_proxy.headers
    assert proxy.accepted == 1  # one client connection carried all four requests
    assert [e.fault for e in proxy.exchanges] == [PASS] * 4
    assert all(e.forwarded and e.complete for e in proxy.exchanges)


# (fault, what the client sees, whether the center stored the record)
CLIENT_CASES = [
    (Fault("drop_before"), requests.ConnectionError, False),
    (Fault("drop_after"), requests.ConnectionError, True),
    (Fault("status", status=500), 500, False),
    (Fault("status", status=502), 502, False),
    (Fault("status", status=503), 503, False),
    (Fault("truncate"), "truncated", True),
    (Fault("malformed"), "malformed", True),
    (Fault("html"), "html", True),
    (Fault("cut"), requests.RequestException, True),
    (Fault("reset"), requests.RequestException, True),
    (Fault("delay", delay_s=0.1), 200, True),
    (Fault("delay", delay_s=1.0), requests.ReadTimeout, True),  # the center gets it after the client left
    (Fault("delay_answer", delay_s=1.0), requests.ReadTimeout, True),
]


@pytest.mark.parametrize(("fault", "seen", "stored"), CLIENT_CASES, ids=[str(c[0]) for c in CLIENT_CASES])
def test_each_fault_does_what_it_says(proxied, signed, shared_center, fault, seen, stored):
    proxy, center_server = proxied, shared_center
    key = f"T-proxy:{fault.kind}-{fault.status}-{fault.delay_s}"
    direct = signed.post(
        center_server.url + "/api/v1/records", data=record_batch("T-proxy:reference"), timeout=5
    )
    proxy.set(fault)
    url = proxy.url + "/api/v1/records"
    timeout = (5, 0.4) if fault.delay_s >= 1 else 10  # only the long delays are meant to outlast it
    if isinstance(seen, type):
        with pytest.raises(seen):
            response = signed.post(url, data=record_batch(key), timeout=timeout)
            response.json()
    else:
        response = signed.post(url, data=record_batch(key), timeout=timeout)
        if isinstance(seen, int):
            assert response.status_code == seen
        else:
            assert response.status_code == 200
            kind = response.headers["Content-Type"]
            if seen == "html":
                assert kind.startswith("text/html") and b"<html>" in response.content
            else:
                assert kind == "application/json"
                with pytest.raises(ValueError):
                    response.json()
            if seen == "truncated":
                assert 0 < len(response.content) < len(direct.content)
    wait_for_exchanges(proxy, 1)
    (exchange,) = proxy.exchanges
    assert exchange.fault == fault and exchange.forwarded is stored
    assert (key in stored_keys(center_server)) is stored

    proxy.passthrough()  # the same session goes on working once the line is good
    again = signed.post(url, data=record_batch(key), timeout=5)
    assert again.status_code == 200 and again.json()["results"][0]["status"] == 201
    assert Counter(r["idempotency_key"] for r in center_server.records())[key] == 1


def test_plans_filters_and_seeded_draws(shared_center, signed):
    with FaultProxy(shared_center.url, seed=7) as first, FaultProxy(shared_center.url, seed=7) as second:
        first.plan([Fault("drop_before"), Fault("status", status=502)], only=RECORDS)
        feed = first.url + "/api/v1/feeds/settings"
        assert signed.get(feed, params={"limit": 1}, timeout=5).status_code == 200  # not a match: passes
        with pytest.raises(requests.ConnectionError):
            signed.post(first.url + "/api/v1/records", data=record_batch("T-proxy:plan-0001"), timeout=5)
        assert (
            signed.post(
                first.url + "/api/v1/records", data=record_batch("T-proxy:plan-0002"), timeout=5
            ).status_code
            == 502
        )
        assert (
            signed.post(
                first.url + "/api/v1/records", data=record_batch("T-proxy:plan-0003"), timeout=5
            ).status_code
            == 200
        )
        assert [e.fault.kind for e in first.exchanges] == ["pass", "drop_before", "status", "pass"]

        draws = []
        for proxy in (first, second):
            proxy.randomly({PASS: 1, Fault("status", status=503): 1}, seed=11)
            for _ in range(12):
                signed.get(proxy.url + "/api/v1/feeds/settings", params={"limit": 1}, timeout=5)
            draws.append([e.fault.kind for e in proxy.exchanges][-12:])
        assert draws[0] == draws[1] and set(draws[0]) == {"pass", "status"}
    with pytest.raises(ValueError):
        Fault("explode")


def test_stop_cuts_pending_delays_and_joins_every_thread(shared_center, signed):
    before = set(threading.enumerate())
    proxy = FaultProxy(shared_center.url).start()
    proxy.set(Fault("delay", delay_s=60))
    outcome: list[object] = []

    def call() -> None:
        try:
            outcome.append(signed.get(proxy.url + "/api/v1/feeds/settings", params={"limit": 1}, timeout=30))
        except requests.RequestException as exc:
            outcome.append(exc)

    client = threading.Thread(target=call)
    client.start()
    wait_until(lambda: proxy.accepted == 1)
    proxy.stop()
    client.join(10)
    assert not client.is_alive() and isinstance(outcome[0], requests.ConnectionError)
    assert set(threading.enumerate()) <= before
    with pytest.raises(requests.ConnectionError):
        requests.get(proxy.url, timeout=2)
    (exchange,) = proxy.exchanges
    assert not exchange.forwarded and not exchange.complete


def wait_until(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


# -- a terminal behind the proxy ------------------------------------------------------------------------------


def kiosk(data: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    return subprocess.run(
        [str(KIOSK), "--data-dir", str(data), *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def survived(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """Exit 0 or 1 with a reason, never a crash (nor a bug the cycle caught: its problem is named "cycle")."""
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    assert "cycle: " not in result.stderr and '"where": "cycle"' not in result.stdout, result.stderr
    return result


# One sync cycle as `kiosk sync once` runs it, but with a short read timeout (the CLI's is 30 s, too long to wait
# for in a test): the same engine, the same client, only the timeout differs.
SHORT_TIMEOUT_CYCLE = """
import json, sys
from kiosk.config import load_settings
from kiosk.services.sync.engine import SyncEngine, client_factory_for
from kiosk.services.terminal import Terminal

settings = load_settings(data_dir=sys.argv[1], environ={})
with Terminal.open(settings) as terminal:
    factory = client_factory_for(settings, timeout=(2.0, float(sys.argv[2])))
    engine = SyncEngine.for_terminal(terminal, client_factory=factory)
    try:
        report = engine.run_once()
    finally:
        engine.stop()
print(json.dumps({"ok": report.ok, "reason": report.reason}, ensure_ascii=False))
sys.exit(0 if report.ok else 1)
"""


class Bench:
    """A terminal (its data directory) enrolled with the center through the proxy."""

    def __init__(self, center: center_support.CenterServer, proxy: FaultProxy, data: Path, name: str) -> None:
        self.center, self.proxy, self.data = center, proxy, data
        self.terminal_id, secret_hex = center.add_terminal(name)
        secret = data.parent / f"{name}-secret.txt"
        secret.write_text(secret_hex, encoding="utf-8")
        secret.chmod(0o600)
        result = kiosk(
            data,
            "enroll",
            "--center",
            proxy.url,
            "--terminal-id",
            self.terminal_id,
            "--secret-file",
            str(secret),
        )
        assert result.returncode == 0, result.stdout + result.stderr
        secret.unlink()

    def setting(self, name: str, value: Any) -> None:
        save_setting(load_settings(data_dir=self.data, environ={}), name, value)

    def fill(self, count: int, *extra: str) -> None:
        result = kiosk(self.data, "dev", "fill-outbox", str(count), *extra)
        assert result.returncode == 0, result.stdout + result.stderr

    def sync(self) -> subprocess.CompletedProcess[str]:
        return survived(kiosk(self.data, "sync", "once"))

    def sync_short_timeout(self, read_timeout_s: float) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
        command = [sys.executable, "-c", SHORT_TIMEOUT_CYCLE, str(self.data), str(read_timeout_s)]
        return survived(subprocess.run(command, capture_output=True, text=True, timeout=60, env=env))

    def search_works(self) -> None:
        result = kiosk(self.data, "catalog", "search", "社保卡", "--json")
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        json.loads(result.stdout)

    def query(self, sql: str) -> list[Any]:
        """Read the terminal's database read-only: closing a read-only connection never checkpoints the WAL, so
        a killed terminal's next start finds its files exactly as the kill left them."""
        db = sqlite3.connect(f"file:{self.data / 'kiosk.db'}?mode=ro", uri=True)
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    def outbox(self) -> dict[str, str]:
        """Every row of the terminal's outbox: idempotency key -> state."""
        return dict(self.query("SELECT idempotency_key, state FROM outbox"))

    def delivered(self) -> list[dict[str, Any]]:
        return [r for r in self.center.records() if r["terminal_id"] == self.terminal_id]

    def converge(self, written: set[str], items: list[dict[str, Any]], bodies: Counter[str]) -> None:
        """With the line good again: backlog 0, each record at the center once, the catalog complete."""
        self.proxy.passthrough()
        reasons = []
        for _ in range(3):
            result = self.sync()
            if result.returncode == 0:
                break
            reasons.append(result.stderr.strip())
        else:
            pytest.fail(f"the terminal did not converge once the line was good: {reasons}")
        delivered = self.delivered()
        keys = Counter(r["idempotency_key"] for r in delivered)
        assert set(keys) == written and max(keys.values()) == 1, "every record exactly once"
        assert Counter(canonical(r["kind"], r["body"]) for r in delivered) == bodies
        logs = "".join(
            p.read_text(encoding="utf-8", errors="replace") for p in (self.data / "logs").glob("*")
        )
        assert "Traceback" not in logs, "an error was logged with a traceback"
        settings = load_settings(data_dir=self.data, environ={})
        with Terminal.open(settings) as terminal:
            stats = OutboxService.for_settings(terminal.database, settings).stats()
            assert stats.backlog == 0 and stats.rejected == 0
            assert terminal.catalog.stats().items == len(items)
            for item in items:
                cached = terminal.catalog.item(item["code"])
                assert cached is not None and cached.version == item["version"], item["code"]


def canonical(kind: str, body: dict[str, Any]) -> str:
    return kind + json.dumps(body, sort_keys=True, ensure_ascii=False)


def expected_bodies(*fills: tuple[str, int]) -> Counter[str]:
    return Counter(canonical(kind, synthetic_body(kind, n)) for kind, count in fills for n in range(count))


@pytest.fixture
def bench(center_server, proxy, tmp_path) -> Bench:
    center_server.publish_catalog(catalog_document())
    terminal = Bench(center_server, proxy, tmp_path / "data", "village-07")
    terminal.setting("sync_batch_size", 10)  # several batches per push, so a fault can land between two
    return terminal


# Each fault kind: first on every request, then on every other push (the first batch of each cycle goes through).
LINE_FAULTS = [
    [Fault("drop_before")],
    [Fault("drop_after")],
    [Fault("delay", delay_s=0.05)],
    [Fault("status", status=503), Fault("status", status=500), Fault("status", status=502)],
    [Fault("truncate")],
    [Fault("malformed")],
    [Fault("html")],
    [Fault("reset")],
]


@pytest.mark.parametrize("faults", LINE_FAULTS, ids=[f[0].kind for f in LINE_FAULTS])
def test_a_terminal_survives_each_fault_and_converges(bench, proxy, faults):
    bench.fill(35, "--personal")
    written = set(bench.outbox())
    assert len(written) == 35

    proxy.set(faults[0])
    first = bench.sync()
    if faults[0].kind == "delay":  # a slow line, not a broken one
        assert first.returncode == 0
    else:
        assert first.returncode == 1 and first.stderr.startswith("kiosk: ")
    bench.search_works()
    for cycle, fault in enumerate(faults[1:] or faults):
        proxy.plan([PASS, fault] * 20, only=RECORDS)
        pushed = bench.sync()
        if cycle == 0 and fault.kind != "delay":
            # The first batch was acknowledged; the second one failed, and when the fault struck after the
            # center had stored it, the center holds records the terminal still has to send.
            assert pushed.returncode == 1
            outbox = bench.outbox()
            assert len(outbox) == 25 and set(outbox.values()) == {"pending"}
            unheard = {r["idempotency_key"] for r in bench.delivered()} & set(outbox)
            assert len(unheard) == (10 if fault.kind in FORWARDING else 0)
    assert proxy.faults_applied(), "the fault was never applied"

    bench.converge(written, SMALL_ITEMS, expected_bodies(("event", 35)))


def test_answers_slower_than_the_read_timeout(bench, proxy):
    bench.fill(35)
    written = set(bench.outbox())
    proxy.set(Fault("delay", delay_s=2.5))  # the center sees each request only after the terminal gave up
    assert bench.sync_short_timeout(1.0).returncode == 1
    bench.search_works()
    proxy.plan([PASS, Fault("delay_answer", delay_s=2.5)] * 20, only=RECORDS)  # stored, answered too late
    assert bench.sync_short_timeout(1.0).returncode == 1
    wait_until(lambda: len(bench.delivered()) == 20)
    outbox = bench.outbox()
    assert len(outbox) == 25 and len({r["idempotency_key"] for r in bench.delivered()} & set(outbox)) == 10

    bench.converge(written, SMALL_ITEMS, expected_bodies(("event", 35)))


def test_a_mixed_bad_line_with_a_fixed_seed(center_server, proxy, tmp_path):
    # Enough items for two catalog pages, so a cycle can stop between them and leave a partial catalog.
    items = SMALL_ITEMS + [
        make_item(f"ZZ-{n:04d}", f"测试事项{n}", department=("ZZ", "市测试局"), keywords=["测试"], version=2)
        for n in range(PULL_LIMIT + 100)
    ]
    center_server.publish_catalog(catalog_document(items))
    bench = Bench(center_server, proxy, tmp_path / "data", "hall-03")
    bench.setting("sync_batch_size", 10)
    bench.fill(30, "--kind", "rating")
    bench.fill(30, "--kind", "submission", "--personal")
    written = set(bench.outbox())
    proxy.plan([PASS, Fault("reset")], only="GET /api/v1/feeds/catalog")  # the second page is cut off
    assert bench.sync().returncode == 1
    bench.search_works()
    with Terminal.open(load_settings(data_dir=bench.data, environ={})) as terminal:
        assert terminal.catalog.stats().items == PULL_LIMIT  # the first page, whole; nothing of the second
    mix: list[tuple[Fault, float]] = [
        (PASS, 4),
        (Fault("drop_before"), 1),
        (Fault("drop_after"), 1),
        (Fault("delay", delay_s=0.05), 1),
        (Fault("delay_answer", delay_s=0.05), 1),
        (Fault("status", status=500), 0.4),
        (Fault("status", status=502), 0.3),
        (Fault("status", status=503), 0.3),
        (Fault("truncate"), 1),
        (Fault("malformed"), 1),
        (Fault("html"), 1),
        (Fault("cut"), 0.5),
        (Fault("reset"), 0.5),
    ]
    outcomes = []
    for cycle in range(6):
        proxy.randomly(mix, seed=20261122 + cycle, only=RECORDS if cycle % 2 else None)
        outcomes.append(bench.sync().returncode)
        if cycle in (1, 4):
            bench.search_works()
    assert 1 in outcomes
    assert len({e.fault.kind for e in proxy.faults_applied()}) >= 5

    bench.converge(written, items, expected_bodies(("rating", 30), ("submission", 30)))


# -- SIGKILL at random moments --------------------------------------------------------------------------------

# A terminal at work: writes records in transactions of CHUNK (through OutboxService.add, as features do) and
# runs a sync cycle after each, until the outbox holds TARGET records. It prints each committed transaction's
# keys, so the test knows records it must find at the center even if the database said otherwise.
WORKER = """
import json, sys
from kiosk.config import load_settings
from kiosk.services.sync.engine import SyncEngine
from kiosk.services.terminal import Terminal

data_dir, target, chunk, life = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
settings = load_settings(data_dir=data_dir, environ={})
with Terminal.open(settings) as terminal:
    engine = SyncEngine.for_terminal(terminal)

    def write(start, count):
        keys = []
        with terminal.database.transaction() as conn:
            for seq in range(start, start + count):
                kind = ("rating", "submission", "event")[seq % 3]
                body = {"seq": seq, "life": life, "score": 1 + seq % 5, "note": "记录"}
                keys.append(engine.outbox.add(conn, kind, body, personal=kind == "submission"))
        return keys

    while True:
        done = terminal.database.connection().execute("SELECT count(*) FROM outbox").fetchone()[0]
        if done >= target:
            break
        keys = terminal.background.write(write, done, min(chunk, target - done)).result()
        print(json.dumps(keys), flush=True)
        engine.run_once()
    report = engine.run_once()
    engine.stop()
print("done" if report.ok else "failed: " + report.reason, flush=True)
"""
TARGET, CHUNK, KILLS, TARGETED_LIFE = 1000, 40, 5, 3


class Worker:
    """One life of the worker process; its printed lines are collected on a thread (joined in ``end``)."""

    def __init__(self, data: Path, life: int) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
        command = [sys.executable, "-c", WORKER, str(data), str(TARGET), str(CHUNK), str(life)]
        self.stderr_path = data.parent / f"worker-{life}.stderr"
        with self.stderr_path.open("wb") as stderr:  # a file: a chatty log can never block the worker
            self.process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env
            )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, name=f"worker-{life}-stdout")
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.strip())

    def wait_for_lines(self, count: int) -> None:
        wait_until(lambda: len(self.lines) >= count or self.process.poll() is not None, timeout=60)

    def end(self, *, kill: bool) -> str:
        if kill:
            self.process.send_signal(signal.SIGKILL)
        try:
            self.process.wait(60)
        finally:
            self._reader.join(10)
            self.process.stdout.close()  # type: ignore[union-attr]
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def committed(self) -> set[str]:
        return {key for line in self.lines if line.startswith("[") for key in json.loads(line)}


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
def test_sigkill_at_random_moments_loses_and_doubles_nothing(center_server, proxy, tmp_path):
    rng = random.Random(1000)
    bench = Bench(center_server, proxy, tmp_path / "data", "power-cut-01")
    bench.setting(
        "outbox_retention_days", 30
    )  # acknowledged rows stay (as sent): the database lists every write
    slow_answers = Fault(
        "delay_answer", delay_s=0.05
    )  # widens the window between "stored" and "acknowledged"
    proxy.set(slow_answers, only=RECORDS)
    printed: set[str] = set()
    unheard: set[str] = set()  # stored at the center while still pending on the terminal, after a kill
    for life in range(1, KILLS + 1):
        worker = Worker(bench.data, life)
        if life == TARGETED_LIFE:
            # Kill it for certain in the worst moment: the center has stored a batch, its answer is held back.
            proxy.set(Fault("delay_answer", delay_s=60), only=RECORDS)
            stored = len(bench.delivered())
            wait_until(lambda: len(bench.delivered()) > stored, timeout=60)  # noqa: B023
        else:
            worker.wait_for_lines(rng.randint(1, 3))
            time.sleep(rng.uniform(0.0, 0.3))
        assert worker.process.poll() is None, "the worker finished before it could be killed"
        stderr = worker.end(kill=True)
        assert worker.process.returncode == -signal.SIGKILL and "Traceback" not in stderr, stderr
        proxy.set(slow_answers, only=RECORDS)
        printed |= worker.committed()
        assert bench.query("PRAGMA integrity_check") == [("ok",)]
        rows = bench.outbox()
        assert len(rows) % CHUNK == 0, "a transaction was half written"
        unheard |= {
            r["idempotency_key"] for r in bench.delivered() if rows.get(r["idempotency_key"]) == "pending"
        }
    assert unheard, "no kill left records stored at the center but unacknowledged on the terminal"

    last = Worker(bench.data, KILLS + 1)
    stderr = last.end(kill=False)
    assert last.process.returncode == 0 and last.lines[-1] == "done", stderr
    printed |= last.committed()
    for _ in range(3):  # the worker's last cycle should have done it; make sure from the command line
        stats = json.loads(kiosk(bench.data, "outbox", "stats", "--json").stdout)
        if stats["backlog"] == 0:
            break
        bench.sync()
    assert stats["backlog"] == 0 and stats["rejected"] == 0 and stats["kept"] == TARGET

    assert bench.query("PRAGMA integrity_check") == [("ok",)]
    rows = bench.outbox()
    assert len(rows) == TARGET and set(rows.values()) == {"sent"}
    assert printed <= set(rows), "a transaction reported committed is missing from the database"
    delivered = bench.delivered()
    keys = Counter(r["idempotency_key"] for r in delivered)
    assert set(keys) == set(rows) and max(keys.values()) == 1, "every committed record exactly once"
    assert sorted(r["body"]["seq"] for r in delivered) == list(range(TARGET))
