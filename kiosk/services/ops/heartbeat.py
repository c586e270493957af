"""What the heartbeat carries for operations: the reports waiting in the spool (crashes, updates, command
results), the versions installed side by side, whether the terminal is out of service or a citizen's session is
open, the center's settings layer applied and the key pinned. The reports are forgotten only once the center
answered the heartbeat that carried them (200: it stored each one).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kiosk.config import Settings
from kiosk.ops import reports
from kiosk.ops.alive import read_alive
from kiosk.ops.files import read_object
from kiosk.ops.layout import install_layout, read_state, running_version
from kiosk.ops.paths import OpsPaths
from kiosk.ops.service_state import out_of_service
from kiosk.protocol.ops import (
    MAX_COMMAND_RESULTS,
    MAX_CRASHES,
    MAX_UPDATES,
    CommandResult,
    CrashReport,
    InstallInfo,
    UpdateReport,
)
from kiosk.services.ops.center_key import pinned_key

log = logging.getLogger(__name__)

_WIRE: tuple[tuple[reports.Kind, str, type[Any], int], ...] = (
    ("crash", "crashes", CrashReport, MAX_CRASHES),
    ("update", "updates", UpdateReport, MAX_UPDATES),
    ("command", "command_results", CommandResult, MAX_COMMAND_RESULTS),
)


@dataclass(frozen=True, slots=True)
class OpsBeat:
    """The heartbeat's operations fields (``Heartbeat(**fields)``) and the ids of the reports among them."""

    fields: Mapping[str, Any]
    report_ids: tuple[str, ...]


def ops_beat(settings: Settings) -> OpsBeat:
    data_dir = settings.data_dir
    fields: dict[str, Any] = {}
    ids: list[str] = []
    for kind, name, model, most in _WIRE:
        items = []
        for report in reports.pending(data_dir, limit=most, kinds=[kind]):
            try:
                items.append(model.model_validate(_wire_fields(model, report)))
            except ValidationError as exc:
                # Kept, it would stop every heartbeat after it: the center gets the others, the log gets this one.
                log.error("report %s (%s) does not fit the protocol, dropped: %s", report.id, kind, exc)
                reports.forget(data_dir, [report.id])
                continue
            ids.append(report.id)
        fields[name] = items
    fields["install"] = install_info(settings)
    fields["out_of_service"] = out_of_service(data_dir) is not None
    fields["session_open"] = session_open(data_dir)
    fields["settings_version"] = settings_version(data_dir)
    key = pinned_key(data_dir)
    fields["command_key_id"] = key.key_id if key is not None else ""
    return OpsBeat(fields, tuple(ids))


def _wire_fields(model: type[Any], report: reports.Report) -> dict[str, Any]:
    names = set(model.model_fields)
    body = {k: v for k, v in report.payload.items() if k in names}
    return {**body, "id": report.id, "at": report.at}


def install_info(settings: Settings) -> InstallInfo | None:
    """The versions side by side, when the terminal runs from an install layout (None in a run from source)."""
    try:
        layout = install_layout(settings)
        state = read_state(layout) if layout is not None else None
    except (OSError, ValueError) as exc:
        log.warning("the install state cannot be read: %s", exc)
        return None
    if state is None:
        return InstallInfo(current=running_version()) if layout is not None else None
    try:
        return InstallInfo(
            current=state.current, previous=state.previous, staged=state.staged, trying=state.trying
        )
    except ValidationError as exc:
        log.warning("the install state does not fit the heartbeat: %s", exc)
        return None


def version_to_stay_on(settings: Settings) -> str:
    """The version this terminal runs for good: the install's committed one, else the running program's."""
    try:
        layout = install_layout(settings)
        state = read_state(layout) if layout is not None else None
    except (OSError, ValueError):
        state = None
    return state.current if state is not None and state.current else running_version()


def session_open(data_dir: Path | str) -> bool:
    """Whether a citizen is using the terminal, as the role's local heartbeat says (none: no)."""
    alive = read_alive(data_dir)
    return alive is not None and alive.session_open


def settings_version(data_dir: Path | str) -> int:
    """The version of the center's settings layer this terminal keeps (0: none)."""
    raw = read_object(OpsPaths.of(data_dir).center_settings)
    version = raw.get("version") if raw is not None else None
    return version if isinstance(version, int) and not isinstance(version, bool) and version > 0 else 0


def forget_sent(data_dir: Path | str, report_ids: tuple[str, ...]) -> None:
    if report_ids:
        reports.forget(data_dir, report_ids)
