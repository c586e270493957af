"""The last hours of the program's log for the center (the ``upload_logs`` command).

The log holds no personal data (values are masked before they reach a logger); every line passes through
``kiosk.ops.reports.scrub_text`` again on its way out, so a mistake elsewhere does not leave the terminal. The
newest lines are kept within the upload's cap; lines without a time of their own (a traceback) go with the line
they follow.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from kiosk.logs import LOG_FILE_NAME
from kiosk.ops.reports import scrub_text

MAX_UPLOAD_BYTES = 4 * 1024 * 1024  # half of what the center accepts: room for a busy day's log
MAX_FILE_BYTES = 8 * 1024 * 1024  # read of each rotated file at most (they rotate at 5 MB)
_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})")


def log_text(log_dir: Path, hours: int, now: datetime | None = None, cap: int = MAX_UPLOAD_BYTES) -> bytes:
    """The log's lines of the last ``hours`` (local time, as the log writes it), oldest first, scrubbed, as
    UTF-8 of at most ``cap`` bytes (the newest kept)."""
    since = (now or datetime.now()) - timedelta(hours=hours)
    kept: list[str] = []  # newest first
    size = 0
    for path in _files_newest_first(log_dir):
        entries = _entries(path)
        for entry in reversed(entries):
            stamp = _stamp(entry)
            if stamp is not None and stamp < since:
                return _joined(kept)
            line = scrub_text(entry)
            size += len(line.encode("utf-8")) + 1
            if size > cap:
                return _joined(kept)
            kept.append(line)
    return _joined(kept)


def _files_newest_first(log_dir: Path) -> list[Path]:
    current = log_dir / LOG_FILE_NAME
    rotated = sorted(
        (p for p in log_dir.glob(f"{LOG_FILE_NAME}.*") if p.suffix[1:].isdigit()),
        key=lambda p: int(p.suffix[1:]),
    )
    return [p for p in [current, *rotated] if p.is_file()]


def _entries(path: Path) -> list[str]:
    """The file's entries (a line with a time and the lines without one that follow it), oldest first."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - MAX_FILE_BYTES))
        text = fh.read().decode("utf-8", errors="replace")
    entries: list[str] = []
    for line in text.splitlines():
        if entries and not _STAMP.match(line):
            entries[-1] += "\n" + line
        else:
            entries.append(line)
    return entries


def _stamp(entry: str) -> datetime | None:
    found = _STAMP.match(entry)
    if found is None:
        return None
    try:
        return datetime.strptime(found.group(1), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _joined(newest_first: list[str]) -> bytes:
    return ("\n".join(reversed(newest_first)) + ("\n" if newest_first else "")).encode("utf-8")
