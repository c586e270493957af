"""Small JSON files shared between processes: written whole (a temporary file, then ``os.replace``) so a reader
never sees half a file, and read defensively (a missing, unreadable, oversized or malformed file is ``None``, with
the reason in the log: the file is ours, but the disk, a power cut or a person may have damaged it)."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 1_000_000


def write_json(path: Path, value: Any) -> None:
    """Write ``value`` as UTF-8 JSON to ``path`` atomically (and durably: flushed before the rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(value, ensure_ascii=False, allow_nan=False, sort_keys=True, indent=1).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path) -> Any | None:
    """The JSON value in ``path``, or ``None`` when it is missing or cannot be used (logged)."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("%s cannot be read: %s", path, exc)
        return None
    if len(data) > MAX_FILE_BYTES:
        log.warning("%s is larger than %d bytes: ignored", path, MAX_FILE_BYTES)
        return None
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        log.warning("%s is not valid JSON: ignored (%s)", path, exc)
        return None


def read_object(path: Path) -> dict[str, Any] | None:
    """Like :func:`read_json`, for a file that must hold a JSON object."""
    value = read_json(path)
    if value is None:
        return None
    if not isinstance(value, dict):
        log.warning("%s does not hold a JSON object: ignored", path)
        return None
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
