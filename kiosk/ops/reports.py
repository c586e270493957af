"""Reports waiting for the center: crashes, update outcomes, command results. Each is one file in
``ops/reports/`` until a heartbeat that carried it is answered (then :func:`forget`). Any process may add one (the
supervisor, the role, the command line); the role's sync engine sends them.

Nothing personal leaves in a report: every string is passed through :func:`scrub_text` when it is spooled, on top
of the masking the log already does (a crash's log tail is the case this is for).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, cast, get_args

from kiosk.ops.files import read_object, write_json
from kiosk.ops.paths import OpsPaths

log = logging.getLogger(__name__)

Kind = Literal["crash", "update", "command"]
MAX_REPORTS = 500  # the oldest go first past this (a terminal offline for weeks in a crash loop)
MAX_TEXT = 4000
_DROPPED = ".dropped"

# An 18-digit resident ID number (the last may be X) or an old 15-digit one, not inside a longer number.
_ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])|(?<![0-9A-Za-z])(\d{6})\d{6}(\d{3})(?![0-9A-Za-z])"
)
# A mainland mobile number, standing on its own (not the digits inside a hexadecimal id such as a command's).
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d)\d{4}(\d{4})(?![0-9A-Za-z])")
# A name after its label: 姓名：张三, name=Zhang San, "name": "张三".
_NAMED = re.compile(
    r"""(?P<label>(?:姓名|名字|name|full_name|holder)["']?\s*[:=：]\s*["']?)(?P<value>[^\s"',;，；)]{1,40})""",
    re.IGNORECASE,
)


def scrub_text(text: str) -> str:
    """``text`` with ID numbers, mobile numbers and labelled names masked (a report's last line of defence)."""
    text = _ID_NUMBER.sub(_mask_id, text)
    text = _MOBILE.sub(r"\1****\2", text)
    return _NAMED.sub(lambda m: m.group("label") + "*" * min(len(m.group("value")), 3), text)


def _mask_id(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return f"{match.group(1)}********{match.group(2)}"
    return f"{match.group(3)}******{match.group(4)}"


@dataclass(frozen=True, slots=True)
class Report:
    id: str
    kind: Kind
    at: str  # ISO 8601, UTC
    payload: Mapping[str, Any]


def spool(data_dir: Path | str, kind: Kind, payload: Mapping[str, Any]) -> str:
    """Keep a report for the next heartbeat; its id (the center stores each id once)."""
    if kind not in get_args(Kind):
        raise ValueError(f"unknown report kind {kind!r}")
    folder = OpsPaths.of(data_dir).reports
    folder.mkdir(parents=True, exist_ok=True)
    dropped = _make_room(folder)
    now = datetime.now(UTC)
    report_id = uuid.uuid4().hex
    body = dict(_scrubbed(payload))
    if dropped:
        body["reports_dropped_before"] = dropped
    write_json(
        folder / f"{now.strftime('%Y%m%dT%H%M%S%f')}-{report_id}.json",
        {"id": report_id, "kind": kind, "at": now.isoformat(timespec="milliseconds"), "payload": body},
    )
    return report_id


def pending(data_dir: Path | str, limit: int = 16, kinds: Iterable[Kind] | None = None) -> list[Report]:
    """The oldest reports waiting (of ``kinds``, default all), at most ``limit``. Damaged files are dropped."""
    wanted = set(kinds) if kinds is not None else set(get_args(Kind))
    found: list[Report] = []
    for path in _files(OpsPaths.of(data_dir).reports):
        if len(found) >= limit:
            break
        raw = read_object(path)
        report = _parsed(raw)
        if report is None:
            log.warning("report file %s is damaged: removed", path.name)
            path.unlink(missing_ok=True)
            continue
        if report.kind in wanted:
            found.append(report)
    return found


def forget(data_dir: Path | str, ids: Iterable[str]) -> int:
    """Remove the reports with these ids (the center has them); how many were removed."""
    gone = set(ids)
    removed = 0
    for path in _files(OpsPaths.of(data_dir).reports):
        if path.stem.rsplit("-", 1)[-1] in gone:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".json" and not p.name.startswith("."))
    except FileNotFoundError:
        return []


def _make_room(folder: Path) -> int:
    """Drop the oldest reports past the bound; the number dropped since the last report that said so."""
    files = _files(folder)
    counter = folder / _DROPPED
    dropped = 0
    for path in files[: max(0, len(files) - MAX_REPORTS + 1)]:
        path.unlink(missing_ok=True)
        dropped += 1
    try:
        dropped += int(counter.read_text(encoding="ascii") or 0)
        counter.unlink()
    except (FileNotFoundError, ValueError):
        pass
    if dropped:
        log.warning("%d reports dropped: more than %d waiting for the center", dropped, MAX_REPORTS)
    return dropped


def _parsed(raw: Mapping[str, Any] | None) -> Report | None:
    if raw is None:
        return None
    report_id, kind, at, payload = (raw.get(k) for k in ("id", "kind", "at", "payload"))
    if not isinstance(report_id, str) or kind not in get_args(Kind) or not isinstance(at, str):
        return None
    if not isinstance(payload, dict):
        return None
    return Report(report_id, cast(Kind, kind), at, payload)


def _scrubbed(value: Any, depth: int = 0) -> Any:
    if depth > 8:
        return None
    if isinstance(value, str):
        text = scrub_text(value)
        return text if len(text) <= MAX_TEXT else "…" + text[-MAX_TEXT:]
    if isinstance(value, Mapping):
        return {str(k)[:64]: _scrubbed(v, depth + 1) for k, v in list(value.items())[:64]}
    if isinstance(value, (list, tuple)):
        return [_scrubbed(v, depth + 1) for v in list(value)[:200]]
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else None
    return scrub_text(str(value))[:MAX_TEXT]


__all__ = ["Kind", "Report", "forget", "pending", "scrub_text", "spool"]
