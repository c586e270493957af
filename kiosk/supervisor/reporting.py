"""What the supervisor tells the center (through the role's next heartbeat): a crash with the end of the log, and
an update kept or given up. Every text is scrubbed of personal data when it is spooled (kiosk.ops.reports)."""

from __future__ import annotations

import logging
from typing import Literal

from kiosk.config import Settings
from kiosk.logs import tail
from kiosk.ops.reports import spool
from kiosk.supervisor.child import output_tail

log = logging.getLogger(__name__)

LOG_TAIL_LINES = 60
LOG_TAIL_CHARS = 4000
What = Literal["crashed", "hung", "crash_loop"]


def log_tail(settings: Settings) -> str:
    """The last ~60 lines of the program's log and the last lines of its output, at most 4,000 characters."""
    lines = tail(settings.log_dir, LOG_TAIL_LINES)
    output = output_tail(settings.log_dir)
    if output:
        lines = [*lines, "--- output ---", *output]
    text = "\n".join(lines)
    return text[-LOG_TAIL_CHARS:]


def report_crash(settings: Settings, *, version: str, what: What, exit_code: int | None) -> str:
    report_id = spool(
        settings.data_dir,
        "crash",
        {
            "version": version,
            "role": settings.role,
            "what": what,
            "exit_code": exit_code,
            "log_tail": log_tail(settings),
        },
    )
    log.info("crash report %s spooled (%s, version %s, exit code %s)", report_id, what, version, exit_code)
    return report_id


def report_update(
    settings: Settings,
    *,
    version: str,
    from_version: str,
    outcome: Literal["committed", "rolled_back"],
    reason: str = "",
) -> str:
    report_id = spool(
        settings.data_dir,
        "update",
        {"version": version, "from_version": from_version, "outcome": outcome, "reason": reason[:500]},
    )
    log.info("update report %s spooled (%s %s -> %s)", report_id, outcome, from_version, version)
    return report_id
