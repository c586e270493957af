"""``kiosk bench sync``: the sync engine against a real reference center in a subprocess on 127.0.0.1.

The center and the tools that set it up run as the program running the benchmark (``kiosk.program``):
the bundle's own executable in the bundle.
(a) Outbox drain: N records written through the outbox, then one sync cycle delivers them (the feed reads and
    the heartbeat included); records per second against raw batched POSTs of the same bodies (same batch size,
    the same canonical JSON, signed the same way, one keep-alive ``requests`` session, the records built before
    its clock starts) in the same run. Both sides send fresh idempotency keys, so the center stores every record
    in both. The two take turns going first, so neither always meets the center's database a run larger.
    Repeated, medians reported; goal: ratio ≥ 0.7.
(b) Catalog: a generated catalog published at the center, pulled into an empty terminal (goal ≤ 30 s), then a
    100-item delta (goal ≤ 1 s).
The process's peak resident memory is reported at the end.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.config import Settings
from kiosk.program import program_command

PULL_GOAL_S = 30.0
DELTA_GOAL_S = 1.0
RATIO_GOAL = 0.7
DELTA_ITEMS = 100


class BenchError(RuntimeError):
    pass


def run_program(data_dir: Path, *args: str, timeout: float = 600) -> str:
    result = subprocess.run(
        program_command("--data-dir", str(data_dir), *args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env={k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")},
    )
    if result.returncode != 0:
        raise BenchError(f"kiosk {' '.join(args[:3])} failed: {result.stderr.strip()[-500:]}")
    return result.stdout


class CenterProcess:
    """``kiosk center serve`` in a subprocess on a free port of 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db = folder / "center.db"
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def add_terminal(self, name: str) -> tuple[str, str]:
        """A terminal of this center. A benchmark's terminal syncs far more often than a real one (it drains,
        pulls, plays sessions as fast as it can): the center lets it past the requests a minute it allows one."""
        out = json.loads(
            run_program(self.folder, "center", "terminal", "add", name, "--db", str(self.db), "--json")
        )
        run_program(self.folder, "center", "rate-limit", "--per-minute", "100000", "--db", str(self.db))
        return out["terminal_id"], out["secret"]

    def publish_demo_catalog(self, count: int) -> None:
        path = self.folder / "catalog.json"
        run_program(self.folder, "catalog", "demo", str(path), "--count", str(count))
        run_program(self.folder, "center", "publish", "catalog", str(path), "--db", str(self.db))
        path.unlink()

    def publish_catalog(self, document: dict[str, Any]) -> None:
        path = self.folder / "catalog.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        run_program(self.folder, "center", "publish", "catalog", str(path), "--db", str(self.db))
        path.unlink()

    def start(self, *extra: str) -> None:
        """Serve on a free port (``extra``: more ``center serve`` flags, e.g. ``--demo``)."""
        self.proc = subprocess.Popen(
            program_command(
                "--data-dir",
                str(self.folder),
                "center",
                "serve",
                "--db",
                str(self.db),
                "--port",
                "0",
                "--log-level",
                "warning",
                *extra,
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")},
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        while line and "serving http://" not in line:  # what --demo published comes first
            line = self.proc.stdout.readline()
        if "serving http://" not in line:
            self.stop()
            raise BenchError(f"the center did not start: {line.strip()!r}")
        self.url = line.split("serving ", 1)[1].split()[0]
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30.0) -> None:
        """The line is printed once the port is bound; the server listens a moment later."""
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
                    raise BenchError("the center does not accept connections") from None
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


def _raw_push(url: str, terminal_id: str, secret: bytes, bodies: list[dict[str, Any]], batch: int) -> float:
    """The baseline: the same bodies in batches, signed, POSTed with one keep-alive session; seconds."""
    import requests

    from kiosk.protocol.canonical import canonical_json
    from kiosk.protocol.signing import HMAC_SHA256, signed_headers
    from kiosk.store.outbox import new_idempotency_key

    created = datetime.now(UTC).astimezone().isoformat(timespec="milliseconds")
    records = [
        {
            "idempotency_key": new_idempotency_key(terminal_id),
            "kind": "event",
            "created_at": created,
            "body": b,
        }
        for b in bodies
    ]
    path = "/api/v1/records"
    with requests.Session() as session:
        started = time.perf_counter()
        for start in range(0, len(records), batch):
            body = canonical_json({"records": records[start : start + batch]})
            headers = signed_headers(
                terminal_id, secret, HMAC_SHA256, "POST", path, "", body, now=time.time()
            )
            headers["Content-Type"] = "application/json"
            response = session.post(url + path, data=body, headers=headers, timeout=(5, 60))
            if response.status_code != 200 or any(r["status"] != 201 for r in response.json()["results"]):
                raise BenchError(f"raw push failed: {response.status_code} {response.text[:200]}")
        return time.perf_counter() - started


def run(settings: Settings, records: int, items: int, repeat: int = 3) -> dict[str, Any]:
    from kiosk.protocol.signing import secret_from_hex
    from kiosk.services.catalog.demo import generate_catalog
    from kiosk.services.sync.engine import SyncEngine
    from kiosk.services.sync.outbox import OutboxService, synthetic_body
    from kiosk.services.terminal import Terminal
    from kiosk.store.keystore import Keystore

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-sync-") as tmp:
        root = Path(tmp)
        center = CenterProcess(root / "center")
        center.folder.mkdir()
        terminal_id, secret_hex = center.add_terminal("bench")
        secret = secret_from_hex(secret_hex)
        center.start()
        try:
            bench_settings = replace(
                settings,
                data_dir=root / "terminal",
                config_path=None,
                center_url=center.url,
                terminal_id=terminal_id,
                crypto_suite="standard",
                outbox_retention_days=0,
            )
            Keystore.for_data_dir(bench_settings.data_dir).store_secret(secret)
            batch = max(1, min(500, bench_settings.sync_batch_size))
            bodies = [synthetic_body("event", n) for n in range(records)]
            with Terminal.open(bench_settings) as terminal:
                outbox = OutboxService.for_settings(terminal.database, bench_settings)
                engine = SyncEngine.for_terminal(terminal, outbox=outbox)
                warm = engine.run_once()  # connect, learn the skew, empty feeds
                if not warm.ok:
                    raise BenchError(f"the first sync failed: {warm.reason}")
                ours: list[float] = []
                raw: list[float] = []
                for run_number in range(repeat):
                    if run_number % 2:
                        raw.append(_raw_push(center.url, terminal_id, secret, bodies, batch))
                    terminal.background.write(outbox.fill, records, kind="event").result()
                    report = engine.run_once()
                    if not report.ok or report.acknowledged != records:
                        raise BenchError(f"the outbox was not drained: {report.reason}")
                    ours.append(report.duration_s)
                    if not run_number % 2:
                        raw.append(_raw_push(center.url, terminal_id, secret, bodies, batch))
                ours_rps = records / statistics.median(ours)
                raw_rps = records / statistics.median(raw)

                center.publish_demo_catalog(items)  # generated in a subprocess: its memory is not ours
                report = engine.run_once()
                if not report.ok:
                    raise BenchError(f"the catalog pull failed: {report.reason}")
                pull_s = report.duration_s
                pulled_items = terminal.catalog.stats().items

                # The first items of a smaller catalog with the same seed are the same items: newer versions.
                changed = [
                    {**item, "version": item["version"] + 1000, "name": item["name"] + "（新）"}
                    for item in generate_catalog(count=DELTA_ITEMS)["items"]  # type: ignore[union-attr]
                ]
                center.publish_catalog({"format": "kiosk-catalog/1", "items": changed})
                report = engine.run_once()
                if not report.ok:
                    raise BenchError(f"the delta pull failed: {report.reason}")
                delta_s = report.duration_s
                delta_applied = report.applied.get("catalog", 0)
                engine.stop()
        finally:
            center.stop()
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    ratio = ours_rps / raw_rps
    return {
        "records": records,
        "batch_size": batch,
        "repeat": repeat,
        "drain_s": [round(x, 3) for x in ours],
        "raw_s": [round(x, 3) for x in raw],
        "drain_records_per_s": round(ours_rps, 1),
        "raw_records_per_s": round(raw_rps, 1),
        "ratio": round(ratio, 3),
        "items": items,
        "pulled_items": pulled_items,
        "pull_s": round(pull_s, 2),
        "delta_items": delta_applied,
        "delta_s": round(delta_s, 3),
        "max_rss_mb": round(rss_kb / (1024 if sys.platform != "darwin" else 1024 * 1024), 1),
        "goal": {
            "ratio_min": RATIO_GOAL,
            "pull_s_max": PULL_GOAL_S,
            "delta_s_max": DELTA_GOAL_S,
            "met": ratio >= RATIO_GOAL and pull_s <= PULL_GOAL_S and delta_s <= DELTA_GOAL_S,
        },
    }


def print_report(result: dict[str, Any]) -> None:
    print(
        f"outbox drain: {result['records']} records in batches of {result['batch_size']}, "
        f"median of {result['repeat']} runs"
    )
    print(f"  sync engine   {result['drain_records_per_s']:>10.1f} records/s   runs {result['drain_s']}")
    print(f"  raw POSTs     {result['raw_records_per_s']:>10.1f} records/s   runs {result['raw_s']}")
    print(f"  ratio {result['ratio']:.3f} (goal >= {RATIO_GOAL})")
    print(
        f"catalog: {result['items']} items pulled from empty in {result['pull_s']:.2f} s (goal <= {PULL_GOAL_S:.0f} s)"
    )
    print(
        f"  delta of {result['delta_items']} items in {result['delta_s']:.3f} s (goal <= {DELTA_GOAL_S:.0f} s)"
    )
    print(f"peak resident memory: {result['max_rss_mb']} MB")
    print(f"goals {'met' if result['goal']['met'] else 'NOT met'}")
