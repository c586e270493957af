"""What an operator reads about updates without asking the network: on or off (and why), the versions in the
install state, and the last check's outcome (kept in ``<install_root>/last-check.json`` by every check). The
maintenance screen and ``kiosk update status`` show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from kiosk.ops.files import read_object, write_json
from kiosk.ops.layout import InstallLayout, read_state, running_version

if TYPE_CHECKING:
    from kiosk.config import Settings

LAST_CHECK_FILE = "last-check.json"


@dataclass(frozen=True, slots=True)
class LastCheck:
    at: str  # ISO 8601, UTC
    verified: bool
    available: str | None
    staged: str | None
    problem: str | None


@dataclass(frozen=True, slots=True)
class UpdateStatus:
    enabled: bool
    off_reason: str  # plain words (Chinese) when not enabled
    url: str
    current: str
    previous: str | None = None
    staged: str | None = None
    trying: str | None = None
    failed: dict[str, str] = field(default_factory=dict)
    last_check: LastCheck | None = None
    off_code: str = ""  # the same for a UI in any language (kiosk.updates.client.UpdatesOff.code)


def record_check(
    layout: InstallLayout, *, verified: bool, available: str | None, staged: str | None, problem: str | None
) -> None:
    write_json(
        layout.root / LAST_CHECK_FILE,
        {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "verified": verified,
            "available": available,
            "staged": staged,
            "problem": problem,
        },
    )


def read_last_check(layout: InstallLayout) -> LastCheck | None:
    raw = read_object(layout.root / LAST_CHECK_FILE)
    if raw is None:
        return None

    def text(name: str) -> str | None:
        value = raw.get(name)
        return value if isinstance(value, str) else None

    return LastCheck(
        at=text("at") or "",
        verified=raw.get("verified") is True,
        available=text("available"),
        staged=text("staged"),
        problem=text("problem"),
    )


def update_status(settings: Settings) -> UpdateStatus:
    from kiosk.updates.client import UpdatesOff, update_source

    try:
        source = update_source(settings)
    except UpdatesOff as exc:
        return UpdateStatus(
            enabled=False,
            off_reason=str(exc),
            url=settings.update_url,
            current=running_version(),
            off_code=exc.code,
        )
    state = read_state(source.layout)
    return UpdateStatus(
        enabled=True,
        off_reason="",
        url=source.url,
        current=state.current if state is not None else running_version(),
        previous=state.previous if state is not None else None,
        staged=state.staged if state is not None else None,
        trying=state.trying if state is not None else None,
        failed=dict(state.failed) if state is not None else {},
        last_check=read_last_check(source.layout),
    )
