"""Whether a supervisor runs for a data directory, and what it is doing: ``ops/supervisor.lock`` (held by the
running supervisor, so there is never a second one) and ``ops/supervisor.json`` (its status, for the maintenance
screen, the command line and the tests), and the request to switch to a staged version now
(``ops/switch-request.json``, from ``kiosk update apply``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.ops.files import read_object, write_json
from kiosk.ops.paths import OpsPaths

LOCK_FILE = "supervisor.lock"
STATUS_FILE = "supervisor.json"
SWITCH_REQUEST_FILE = "switch-request.json"


def lock_path(data_dir: Path | str) -> Path:
    return OpsPaths.of(data_dir).root / LOCK_FILE


def status_path(data_dir: Path | str) -> Path:
    return OpsPaths.of(data_dir).root / STATUS_FILE


def switch_request_path(data_dir: Path | str) -> Path:
    return OpsPaths.of(data_dir).root / SWITCH_REQUEST_FILE


def supervisor_running(data_dir: Path | str) -> bool:
    """True while a supervisor holds the data directory's lock (another process, or this one)."""
    from filelock import FileLock, Timeout

    path = lock_path(data_dir)
    if not path.exists():
        return False
    probe = FileLock(str(path))
    try:
        probe.acquire(timeout=0)
    except Timeout:
        return True
    probe.release()
    return False


def read_status(data_dir: Path | str) -> dict[str, Any] | None:
    return read_object(status_path(data_dir))


def write_status(data_dir: Path | str, status: dict[str, Any]) -> None:
    write_json(status_path(data_dir), status)
