"""``kiosk bench center``: the center at a province's scale, as real processes on 127.0.0.1.

(a) Load: ``--terminals`` simulated terminals (default 10,000), each sending a heartbeat every 60 s and a small
    batch of records every 10 minutes (≈167 + 17 requests a second), each at its own phase, signed as a terminal
    signs (kiosk-sync/1). Open loop: every request leaves at its scheduled time whatever became of the ones before,
    and its latency is counted from that time (no coordinated omission), so a center that falls behind shows it
    instead of slowing the load down. One process drives it with aiohttp; its own lag (how late requests leave)
    is printed, so a generator that cannot keep up is seen. Each request comes on a connection of its own, as
    thousands of terminals do. The terminals are enrolled in bulk straight through the store (one transaction),
    the center is ``kiosk center serve --workers N`` as operators run it: on PostgreSQL (a throwaway cluster,
    ``kiosk.center.pgcluster``) with 2 workers, then on SQLite with 1 worker. Figures: requests/s answered,
    latency p50/p95/p99, errors (non-2xx, timeouts, failed connections), against the goal p95 < 100 ms at
    170 requests/s. ``--rollout``: with a rollout running (every heartbeat answer then names its ring's version).
(b) The console (``/console``) with those terminals: an operator made with ``kiosk center operator add`` signs in,
    then the time to the first byte of the fleet page and of filtered lists (by state, by region, by search
    text), medians of several (goal < 300 ms).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from kiosk.bench.stats import percentile
from kiosk.program import program_command

HEARTBEAT_PERIOD_S: Final = 60.0
PUSH_PERIOD_S: Final = 600.0
PUSH_RECORDS: Final = 5
REQUEST_TIMEOUT_S: Final = 10.0
GOAL_P95_MS: Final = 100.0
GOAL_RATE: Final = 170.0
CONSOLE_GOAL_MS: Final = 300.0
CONSOLE_REPEATS: Final = 7
LAG_WARN_MS: Final = 20.0
BACKENDS: Final = ("postgresql", "sqlite")
WORKERS: Final = {"postgresql": 2, "sqlite": 1}
ROLLOUT_VERSION: Final = "2.0.0"
RUNNING_VERSION: Final = "1.9.3"
OPERATOR: Final = "bench"
OPERATOR_PASSWORD: Final = "bench-password-2026"

# Where the simulated terminals stand: Guangdong's cities and some of their districts and counties.
REGIONS: Final = (
    "广州市/天河区",
    "广州市/从化区",
    "广州市/增城区",
    "深圳市/南山区",
    "深圳市/龙岗区",
    "佛山市/顺德区",
    "东莞市/松山湖",
    "中山市/小榄镇",
    "江门市/台山市",
    "湛江市/雷州市",
    "茂名市/信宜市",
    "肇庆市/怀集县",
    "惠州市/博罗县",
    "梅州市/兴宁市",
    "汕尾市/陆丰市",
    "河源市/紫金县",
    "阳江市/阳春市",
    "清远市/英德市",
    "韶关市/乐昌市",
    "揭阳市/普宁市",
    "潮州市/饶平县",
    "汕头市/潮阳区",
    "云浮市/罗定市",
    "珠海市/斗门区",
)


class BenchError(RuntimeError):
    pass


@dataclass(frozen=True)
class SimTerminal:
    terminal_id: str
    secret: bytes


# --- the terminals --------------------------------------------------------------------------------------------


def enrol(store: Any, count: int, seed: int = 7) -> list[SimTerminal]:
    """``count`` terminals written in one transaction through the store (what ``kiosk center terminal add`` does
    one at a time, with ids whose receipt codes differ), spread over REGIONS and their units."""
    from kiosk.center.store import now_iso
    from kiosk.protocol import HMAC_SHA256
    from kiosk.protocol.receipts import terminal_receipt_code

    rng = random.Random(seed)
    taken = {terminal_receipt_code(row["id"]) for row in store.query("SELECT id FROM terminals")}
    created_at = now_iso()
    rows: list[tuple[Any, ...]] = []
    terminals: list[SimTerminal] = []
    while len(rows) < count:
        terminal_id = f"T-{rng.getrandbits(32):08x}"
        code = terminal_receipt_code(terminal_id)
        if code in taken:
            continue
        taken.add(code)
        secret = rng.randbytes(32)
        index = len(rows)
        region = REGIONS[index % len(REGIONS)]
        unit = f"{region.split('/')[-1]}第{index // len(REGIONS) % 40 + 1}党群服务中心"
        rows.append((terminal_id, f"自助终端 {index + 1:05d}", secret, HMAC_SHA256, created_at, region, unit))
        terminals.append(SimTerminal(terminal_id, secret))
    with store.transaction() as db:
        db.executemany(
            "INSERT INTO terminals (id, name, secret, algorithm, enabled, created_at, region, unit) "
            "VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
            rows,
        )
    return terminals


def _heartbeat_bodies(rng: random.Random) -> list[bytes]:
    """A few heartbeats as terminals send them (canonical JSON), checked against the protocol's model."""
    from kiosk.protocol import Heartbeat, canonical_json

    bodies = []
    for variant in range(16):
        paper = "paper_low" if variant == 3 else "ok"
        beat = Heartbeat.model_validate(
            {
                "version": RUNNING_VERSION,
                "role": "kiosk",
                "devices": [
                    {"role": "id_card", "backend": "sam-serial", "health": "ok", "code": ""},
                    {"role": "ticket_printer", "backend": "usb", "health": paper, "code": ""},
                    {"role": "printer", "backend": "cups", "health": "ok", "code": ""},
                ],
                "outbox_backlog": rng.randint(0, 8),
                "outbox_oldest_age_s": round(rng.uniform(0, 300), 3),
                "last_sync_at": "2026-12-01T09:30:00+08:00",
                "free_disk_bytes": 40_000_000_000 + variant,
            }
        )
        bodies.append(canonical_json(beat.model_dump(mode="json")))
    return bodies


def _push_body(terminal_id: str, serial: int) -> bytes:
    from kiosk.protocol import canonical_json

    records = [
        {
            "idempotency_key": f"{terminal_id}:bench-{serial:06d}-{n}",
            "kind": "ticket" if n == 0 else "event",
            "created_at": "2026-12-01T09:30:00+08:00",
            "body": {"what": "screen_opened", "screen": "guide", "n": n}
            if n
            else {"queue": "A", "number": serial % 1000},
        }
        for n in range(PUSH_RECORDS)
    ]
    return canonical_json({"records": records})


# --- the center as a process ----------------------------------------------------------------------------------


class CenterProcess:
    """``kiosk center serve --db TARGET --workers N`` on a free port of 127.0.0.1."""

    def __init__(self, folder: Path, target: str, workers: int) -> None:
        self.folder = folder
        self.target = target
        self.workers = workers
        # A center on PostgreSQL names its key file (SQLite's is beside the database, where the bench made it).
        self.key_args = ("--key-file", str(key_file(folder))) if target.startswith("postgresql") else ()
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def run(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            program_command(
                "--data-dir", str(self.folder), "center", *args, "--db", self.target, *self.key_args
            ),
            capture_output=True,
            text=True,
            timeout=300,
            input=stdin,
            env=_environment(),
        )
        if done.returncode != 0:
            raise BenchError(f"kiosk center {args[0]} failed: {done.stderr.strip()[-500:]}")
        return done.stdout

    def start(self) -> None:
        self.proc = subprocess.Popen(
            program_command(
                *("--data-dir", str(self.folder), "center", "serve", "--db", self.target, "--port", "0"),
                *("--workers", str(self.workers), "--log-level", "warning", *self.key_args),
            ),
            stdout=subprocess.PIPE,
            stderr=self._stderr(),
            text=True,
            env=_environment(),
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if "serving http://" not in line:
            self.stop()
            raise BenchError(f"the center did not start: {self._said()}")
        self.url = line.split("serving ", 1)[1].split()[0]
        deadline = time.monotonic() + 60
        while not self._answers():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise BenchError(f"the center does not answer: {self._said()}")
            time.sleep(0.1)

    def _stderr(self) -> Any:
        return (self.folder / "serve.stderr").open("w", encoding="utf-8")

    def _said(self) -> str:
        try:
            return (self.folder / "serve.stderr").read_text(encoding="utf-8").strip()[-500:]
        except OSError:
            return ""

    def _answers(self) -> bool:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(self.url + "/openapi.json", timeout=5):
                return True
        except (OSError, urllib.error.URLError):
            return False

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.proc = None


def key_file(folder: Path) -> Path:
    """The center's key file: where a SQLite center keeps it by default (beside center.db)."""
    return folder / "center.key"


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}


# --- the load -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sample:
    kind: str  # heartbeat | push
    status: int  # HTTP status; 0: timed out; -1: the connection failed
    latency_s: float  # from the scheduled time to the whole answer read
    lag_s: float  # from the scheduled time to the request leaving


def _schedule(count: int, total_s: float, rate_scale: float, seed: int) -> list[tuple[float, int, int]]:
    """(seconds from the start, 0 heartbeat / 1 push, terminal index), each terminal at its own phase."""
    rng = random.Random(seed)
    events: list[tuple[float, int, int]] = []
    for kind, period in ((0, HEARTBEAT_PERIOD_S / rate_scale), (1, PUSH_PERIOD_S / rate_scale)):
        for index in range(count):
            at = rng.uniform(0, period)
            while at < total_s:
                events.append((at, kind, index))
                at += period
    events.sort()
    return events


async def _drive(
    url: str,
    terminals: Sequence[SimTerminal],
    events: Sequence[tuple[float, int, int]],
    warmup_s: float,
    bodies: Sequence[bytes],
) -> list[_Sample]:
    import aiohttp

    from kiosk.protocol import API_PREFIX, HMAC_SHA256, signed_headers

    loop = asyncio.get_running_loop()
    samples: list[_Sample] = []
    serials = [0] * len(terminals)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    connector = aiohttp.TCPConnector(limit=0, force_close=True)  # a connection each, as separate terminals

    async def one(session: aiohttp.ClientSession, due: float, kind: int, index: int, counted: bool) -> None:
        terminal = terminals[index]
        if kind == 0:
            path, body = API_PREFIX + "/heartbeat", bodies[index % len(bodies)]
        else:
            serials[index] += 1
            path, body = API_PREFIX + "/records", _push_body(terminal.terminal_id, serials[index])
        headers = signed_headers(
            terminal.terminal_id, terminal.secret, HMAC_SHA256, "POST", path, "", body, now=time.time()
        )
        headers["Content-Type"] = "application/json"
        lag = loop.time() - due
        try:
            async with session.post(url + path, data=body, headers=headers) as answer:
                await answer.read()
                status = answer.status
        except TimeoutError:
            status = 0
        except aiohttp.ClientError:
            status = -1
        if counted:
            samples.append(_Sample("heartbeat" if kind == 0 else "push", status, loop.time() - due, lag))

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        start = loop.time() + 0.2
        tasks: set[asyncio.Task[None]] = set()
        for at, kind, index in events:
            due = start + at
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            task = asyncio.create_task(one(session, due, kind, index, at >= warmup_s))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.wait(tasks)
    return samples


def _figures(samples: Sequence[_Sample], duration_s: float) -> dict[str, Any]:
    def latency(kind: str | None) -> dict[str, float | int]:
        ms = [s.latency_s * 1000 for s in samples if kind is None or s.kind == kind]
        if not ms:
            return {"n": 0}
        return {
            "n": len(ms),
            "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(percentile(ms, 95), 1),
            "p99_ms": round(percentile(ms, 99), 1),
            "max_ms": round(max(ms), 1),
        }

    lags = [s.lag_s * 1000 for s in samples]
    ok = sum(1 for s in samples if 200 <= s.status < 300)
    everything = latency(None)
    statuses: dict[str, int] = {}
    for s in samples:
        if not 200 <= s.status < 300:
            name = {0: "timeout", -1: "connection"}.get(s.status, str(s.status))
            statuses[name] = statuses.get(name, 0) + 1
    rate = ok / duration_s
    p95 = float(everything.get("p95_ms", float("inf")))
    return {
        "sent": len(samples),
        "sent_per_s": round(len(samples) / duration_s, 1),
        "answered_2xx_per_s": round(rate, 1),
        "latency": everything,
        "heartbeat": latency("heartbeat"),
        "push": latency("push"),
        "errors": sum(statuses.values()),
        "errors_by_kind": statuses,
        "generator_lag_ms": {
            "p50": round(statistics.median(lags), 2) if lags else None,
            "p99": round(percentile(lags, 99), 2) if lags else None,
            "max": round(max(lags), 2) if lags else None,
        },
        "goal_met": p95 < GOAL_P95_MS and rate >= GOAL_RATE and not statuses,
    }


def measure_load(
    url: str,
    terminals: Sequence[SimTerminal],
    *,
    duration_s: float,
    warmup_s: float,
    rate_scale: float,
    seed: int = 11,
) -> dict[str, Any]:
    """Drive the load at ``url`` for warm-up + duration; the figures of the requests scheduled after the warm-up."""
    events = _schedule(len(terminals), warmup_s + duration_s, rate_scale, seed)
    bodies = _heartbeat_bodies(random.Random(seed))
    cpu_before = _cpu_s()
    started = time.monotonic()
    samples = asyncio.run(_drive(url, terminals, events, warmup_s, bodies))
    wall = time.monotonic() - started
    figures = _figures(samples, duration_s)
    figures["generator_cpu_share"] = round((_cpu_s() - cpu_before) / wall, 2)
    return figures


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- the console ----------------------------------------------------------------------------------------------


def console_available() -> bool:
    try:
        import kiosk.center.console  # noqa: F401
    except ImportError:
        return False
    return True


def measure_console(center: CenterProcess, repeats: int = CONSOLE_REPEATS) -> dict[str, Any]:
    """Sign in as an operator (made with ``kiosk center operator add``), then time to first byte of the fleet
    page and of filtered lists: the median of ``repeats`` each."""
    import requests

    center.run(
        "operator", "add", OPERATOR, "--role", "viewer", "--password-stdin", stdin=OPERATOR_PASSWORD + "\n"
    )
    session = requests.Session()
    form = session.get(center.url + "/console/signin", timeout=30)
    signed_in = session.post(
        center.url + "/console/signin",
        data={"name": OPERATOR, "password": OPERATOR_PASSWORD, "csrf": _csrf_token(form.text), "next": ""},
        headers={"Origin": center.url},  # as a browser sends it: the console checks it on every POST
        timeout=30,
        allow_redirects=False,
    )
    if signed_in.status_code not in (302, 303):
        raise BenchError(f"the operator could not sign in to the console: {signed_in.status_code}")
    pages = {
        "fleet": "/console/fleet",
        "state_offline": "/console/fleet?state=offline",
        "region": "/console/fleet?region=" + REGIONS[0].split("/")[0] + "/",
        "search": "/console/fleet?text=" + "00042",
    }
    figures: dict[str, Any] = {}
    for name, path in pages.items():
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            with session.get(center.url + path, timeout=30, stream=True, allow_redirects=False) as answer:
                next(answer.iter_content(1), b"")
                times.append((time.perf_counter() - started) * 1000)
                if answer.status_code != 200:
                    raise BenchError(f"{path}: {answer.status_code}")
                answer.content  # noqa: B018  (read to the end, so the connection is free again)
        figures[name] = {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}
    figures["goal_met"] = all(f["median_ms"] < CONSOLE_GOAL_MS for f in figures.values())
    return figures


def _csrf_token(page: str) -> str:
    import re

    match = re.search(r'name="csrf" value="([^"]+)"', page)
    return match.group(1) if match else ""


# --- one backend, and the whole run ---------------------------------------------------------------------------


@contextlib.contextmanager
def _database(backend: str, folder: Path) -> Iterator[str]:
    """Where the center's database is for ``backend``: a SQLite file, or a database of a throwaway cluster."""
    if backend == "sqlite":
        yield str(folder / "center.db")
        return
    try:
        from kiosk.center.pgcluster import PostgresUnavailable, start_cluster
    except ImportError:
        raise BenchError(
            "PostgreSQL: this program has no throwaway cluster (kiosk.center.pgcluster)"
        ) from None
    try:
        cluster = start_cluster(profile="bench")
    except PostgresUnavailable as exc:
        raise BenchError(f"PostgreSQL: {exc}") from None
    try:
        yield cluster.create_database("kiosk_bench")
    finally:
        cluster.stop()


def run_backend(
    backend: str,
    *,
    terminals: int,
    duration_s: float,
    warmup_s: float,
    rate_scale: float,
    workers: int | None = None,
    rollout: bool = False,
    console: bool = True,
    progress: Callable[[str], None] = lambda line: None,
) -> dict[str, Any]:
    from kiosk.center.store import Store

    workers = workers or WORKERS[backend]
    with tempfile.TemporaryDirectory(prefix=f"kiosk-bench-center-{backend}-") as tmp:
        folder = Path(tmp)
        with _database(backend, folder) as target:
            progress(f"{backend}: enrolling {terminals} terminals")
            started = time.perf_counter()
            store = Store(target, key_path=key_file(folder))
            try:
                sims = enrol(store, terminals)
                if rollout:
                    from kiosk.center import rollout as rollouts

                    rollouts.start(store, ROLLOUT_VERSION, rings=("5%", "25%", "100%"))
            finally:
                store.close()
            enrol_s = time.perf_counter() - started
            center = CenterProcess(folder, target, workers)
            center.start()
            try:
                progress(f"{backend}, {workers} worker(s): load for {warmup_s:g} + {duration_s:g} s")
                load = measure_load(
                    center.url, sims, duration_s=duration_s, warmup_s=warmup_s, rate_scale=rate_scale
                )
                console_figures: dict[str, Any] | None = None
                if console and console_available():
                    progress(f"{backend}: the console's fleet page")
                    console_figures = measure_console(center)
            finally:
                center.stop()
    return {
        "backend": backend,
        "workers": workers,
        "terminals": terminals,
        "rollout": rollout,
        "enrol_s": round(enrol_s, 2),
        "duration_s": duration_s,
        "warmup_s": warmup_s,
        "rate_scale": rate_scale,
        "scheduled_per_s": round(terminals * rate_scale * (1 / HEARTBEAT_PERIOD_S + 1 / PUSH_PERIOD_S), 1),
        "load": load,
        "console": console_figures,
    }


def run(
    *,
    terminals: int = 10_000,
    duration_s: float = 60.0,
    warmup_s: float = 10.0,
    rate_scale: float = 1.0,
    backends: Sequence[str] = BACKENDS,
    rollout: bool = False,
    console: bool = True,
    progress: Callable[[str], None] = lambda line: None,
) -> dict[str, Any]:
    results = []
    for backend in backends:
        try:
            results.append(
                run_backend(
                    backend,
                    terminals=terminals,
                    duration_s=duration_s,
                    warmup_s=warmup_s,
                    rate_scale=rate_scale,
                    rollout=rollout,
                    console=console,
                    progress=progress,
                )
            )
        except BenchError as exc:
            if len(backends) == 1:
                raise
            progress(f"{backend}: skipped: {exc}")
            results.append({"backend": backend, "skipped": str(exc)})
    return {"machine": _machine(), "runs": results}


def _machine() -> dict[str, Any]:
    load1, load5, _ = os.getloadavg()
    return {"cpus": os.cpu_count(), "load_average_1m": round(load1, 2), "load_average_5m": round(load5, 2)}


def print_report(result: dict[str, Any]) -> None:
    machine = result["machine"]
    print(
        f"machine: {machine['cpus']} CPUs, load average {machine['load_average_1m']} (1 min) "
        f"{machine['load_average_5m']} (5 min) at the end"
    )
    for run_ in result["runs"]:
        backend = run_["backend"]
        if "skipped" in run_:
            print(f"\n{backend}: skipped ({run_['skipped']})")
            continue
        load = run_["load"]
        overall = load["latency"]
        print(
            f"\n{backend}, {run_['workers']} worker(s), {run_['terminals']} terminals"
            f"{' during a rollout' if run_['rollout'] else ''} (enrolled in {run_['enrol_s']} s): "
            f"{run_['warmup_s']:g} s warm-up, {run_['duration_s']:g} s measured, "
            f"{run_['scheduled_per_s']} requests/s scheduled"
        )
        print(f"  answered 2xx: {load['answered_2xx_per_s']} requests/s (sent {load['sent_per_s']}/s)")
        for name in ("latency", "heartbeat", "push"):
            part = load[name]
            if part.get("n"):
                print(
                    f"  {name:<9} p50 {part['p50_ms']} ms, p95 {part['p95_ms']} ms, p99 {part['p99_ms']} ms, "
                    f"max {part['max_ms']} ms (n={part['n']})"
                )
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(load["errors_by_kind"].items())) or "none"
        print(f"  errors: {load['errors']} ({errors})")
        lag = load["generator_lag_ms"]
        behind = (
            " — the generator fell behind: figures are not the center's alone"
            if (lag["p99"] or 0) > LAG_WARN_MS
            else ""
        )
        print(
            f"  generator: lag p50 {lag['p50']} ms, p99 {lag['p99']} ms, max {lag['max']} ms; "
            f"{load['generator_cpu_share']:.0%} of a CPU{behind}"
        )
        met = "met" if load["goal_met"] else "NOT met"
        print(
            f"  goal p95 < {GOAL_P95_MS:g} ms at {GOAL_RATE:g} requests/s, no errors: {met} "
            f"(p95 {overall.get('p95_ms')} ms at {load['answered_2xx_per_s']}/s)"
        )
        console = run_.get("console")
        if console:
            pages = ", ".join(
                f"{name} {figures['median_ms']} ms" for name, figures in console.items() if name != "goal_met"
            )
            met = "met" if console["goal_met"] else "NOT met"
            print(f"  console, time to first byte (median of {CONSOLE_REPEATS}): {pages}")
            print(f"  goal < {CONSOLE_GOAL_MS:g} ms: {met}")
        elif console is None and console_available():
            print("  console: not measured")
