"""A stand-in for one version of the program, run by the supervisor from a test install layout (its launcher script
sets KIOSK_BUNDLE_DIR and runs this file with the program's arguments). What it does is said by ``behaviour.json``
in its bundle folder, so each test version can start well, crash, hang or fail its health check, as a real version
might; it writes the same local heartbeat (kiosk.ops.alive) a real role writes.

behaviour: {"mode": "ok" | "crash", "beat_s": 0.2, "first_frame": true, "migrations": "ok",
            "devices": {"ticket": "ok"}, "say": "a line to print before crashing",
            "outbox_key": "key written to kiosk.db's outbox at start", "schema_bump": false,
            "out_of_service_window": "crash" (the bare window crashes too)}
Files in the data directory steer a running child: ``exit-code`` (exit with it), ``session-open`` (a session).
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from pathlib import Path

from kiosk.ops.alive import Alive, AliveHealth, now_iso, write_alive
from kiosk.ops.layout import bundle_dir, running_version


def main(argv: list[str]) -> int:
    folder = bundle_dir()
    assert folder is not None
    behaviour = json.loads((folder / "behaviour.json").read_text(encoding="utf-8"))
    data_dir = Path(argv[argv.index("--data-dir") + 1])
    version = running_version()
    (data_dir / "runs").mkdir(parents=True, exist_ok=True)
    what = "out-of-service" if argv[0] == "_out-of-service" else ("sync" if "sync" in argv else "run")
    (data_dir / "runs" / f"{time.time():.6f}-{os.getpid()}-{version}-{what}").write_text(" ".join(argv))
    if what == "sync":
        return 0
    if what == "out-of-service":
        if behaviour.get("out_of_service_window") == "crash":
            time.sleep(0.1)
            return 3
        while True:
            time.sleep(0.2)
    if behaviour.get("say"):
        print(behaviour["say"], file=sys.stderr, flush=True)
    if behaviour.get("mode") == "crash":
        time.sleep(0.1)
        return 3
    if behaviour.get("outbox_key"):
        _write_outbox(data_dir / "kiosk.db", behaviour["outbox_key"], behaviour.get("schema_bump", False))
    seq = 0
    first = time.time() if behaviour.get("first_frame", True) else None
    while True:
        code_file = data_dir / "exit-code"
        if code_file.exists():
            code = int(code_file.read_text())
            code_file.unlink()
            return code
        seq += 1
        write_alive(
            data_dir,
            Alive(
                pid=os.getpid(),
                at=now_iso(),
                seq=seq,
                version=version,
                role="kiosk",
                first_frame_at=first,
                session_open=(data_dir / "session-open").exists(),
                health=AliveHealth(
                    migrations=behaviour.get("migrations", "ok"),
                    devices=behaviour.get("devices", {}),
                    last_sync_ok_at=now_iso() if behaviour.get("synced") else None,
                ),
            ),
        )
        time.sleep(behaviour.get("beat_s", 0.2))


def _write_outbox(path: Path, key: str, schema_bump: bool) -> None:
    """What a new version does to the database: a migration of its own, and a record for the center."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        if schema_bump:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0")
            conn.execute(f"PRAGMA user_version = {int(version) + 1}")
        conn.execute(
            "INSERT INTO outbox (idempotency_key, kind, created_at, body) VALUES (?, 'rating', ?, ?)",
            [key, now_iso(), b'{"level": 5}'],
        )
    finally:
        conn.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
