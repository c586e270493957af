"""Out of service (暂停服务): the terminal shows one plain page instead of its services, keeps syncing and
reporting, and comes back when told. Set by the center's command, by the supervisor after a crash loop, or by an
operator; a file, because the supervisor and the role are different processes."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, cast, get_args

from kiosk.ops.files import read_object, write_json
from kiosk.ops.paths import OpsPaths

log = logging.getLogger(__name__)

By = Literal["center", "supervisor", "operator"]
MESSAGE_MAX = 200


@dataclass(frozen=True, slots=True)
class OutOfService:
    reason: str  # for operators and the log: "crash_loop", "command", "maintenance", ...
    by: By
    since: str  # ISO 8601, UTC
    message: str = ""  # for citizens: where to go instead (may be empty)


def out_of_service(data_dir: Path | str) -> OutOfService | None:
    """The terminal's out-of-service state, or ``None`` when it is in service."""
    raw = read_object(OpsPaths.of(data_dir).out_of_service)
    if raw is None:
        return None
    reason, by, since, message = (raw.get(k) for k in ("reason", "by", "since", "message"))
    if not isinstance(reason, str) or by not in get_args(By) or not isinstance(since, str):
        # A damaged file still means somebody took the terminal out of service: keep it out, say so.
        log.warning("the out-of-service file is damaged; the terminal stays out of service")
        return OutOfService("damaged state file", "operator", since if isinstance(since, str) else "", "")
    return OutOfService(
        reason, cast(By, by), since, message[:MESSAGE_MAX] if isinstance(message, str) else ""
    )


def take_out_of_service(data_dir: Path | str, reason: str, by: By, message: str = "") -> OutOfService:
    state = OutOfService(
        reason[:200], by, datetime.now(UTC).isoformat(timespec="seconds"), message[:MESSAGE_MAX]
    )
    write_json(
        OpsPaths.of(data_dir).out_of_service,
        {"reason": state.reason, "by": state.by, "since": state.since, "message": state.message},
    )
    log.warning("out of service (%s, by %s)", state.reason, by)
    return state


def back_in_service(data_dir: Path | str, by: By) -> bool:
    """Back in service; ``True`` if the terminal was out of service."""
    path = OpsPaths.of(data_dir).out_of_service
    was = path.exists()
    path.unlink(missing_ok=True)
    if was:
        log.warning("back in service (by %s)", by)
    return was
