"""The health check of a new version on trial: kept only when, within ``update_health_s``, its local heartbeat
shows its first frame, its database migrations done, every device that was ok under the previous version ok
again and, when the terminal has a center, one successful sync since it started.

The trial is written to ``ops/health.json`` before the new version starts, so a supervisor started again in the
middle of one (a power cut) carries on judging it with the same baseline and deadline."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kiosk.ops.alive import MIGRATIONS_OK, MIGRATIONS_UNKNOWN, Alive, timestamp
from kiosk.ops.files import read_object, write_json
from kiosk.ops.paths import OpsPaths

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Trial:
    version: str  # on trial
    from_version: str  # what ran before (and runs again if this one fails)
    started_at: float  # Unix time
    deadline_s: float  # update_health_s when it started
    devices_ok_before: tuple[str, ...] = ()  # device roles that were ok under the previous version
    needs_sync: bool = False  # the terminal has a center: one successful sync is wanted
    backup: str = ""  # the database's backup taken before it started ("" when there was no database)

    @property
    def deadline(self) -> float:
        return self.started_at + self.deadline_s


Verdict = Literal["pass", "fail", "wait"]


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: Verdict
    reason: str = ""  # why it failed, or what it still waits for
    missing: tuple[str, ...] = field(default_factory=tuple)


def judge(trial: Trial, alive: Alive | None, now: float | None = None) -> Judgement:
    """Pass when everything is shown, fail at once on failed migrations, fail at the deadline, else wait."""
    now = time.time() if now is None else now
    missing: list[str] = []
    if alive is None or alive.version != trial.version:
        missing.append("no heartbeat from the new version")
    else:
        migrations = alive.health.migrations
        if migrations not in (MIGRATIONS_OK, MIGRATIONS_UNKNOWN):
            return Judgement("fail", f"database migrations failed: {migrations}"[:500])
        if alive.first_frame_at is None:
            missing.append("no first frame")
        if migrations != MIGRATIONS_OK:
            missing.append("database not opened yet")
        down = [role for role in trial.devices_ok_before if alive.health.devices.get(role) != "ok"]
        if down:
            states = ", ".join(f"{role} {alive.health.devices.get(role, 'not checked')}" for role in down)
            missing.append(f"devices not ok as before: {states}")
        if trial.needs_sync:
            synced = timestamp(alive.health.last_sync_ok_at)
            if synced is None or synced < trial.started_at - 1:
                missing.append("no successful sync with the center yet")
    if not missing:
        return Judgement("pass")
    if now >= trial.deadline:
        return Judgement(
            "fail",
            f"health check not passed within {trial.deadline_s:.0f} s: {'; '.join(missing)}"[:500],
            tuple(missing),
        )
    return Judgement("wait", "; ".join(missing), tuple(missing))


def trial_path(data_dir: Path | str) -> Path:
    return OpsPaths.of(data_dir).health


def save_trial(data_dir: Path | str, trial: Trial) -> None:
    write_json(
        trial_path(data_dir),
        {
            "version": trial.version,
            "from_version": trial.from_version,
            "started_at": trial.started_at,
            "deadline_s": trial.deadline_s,
            "devices_ok_before": list(trial.devices_ok_before),
            "needs_sync": trial.needs_sync,
            "backup": trial.backup,
        },
    )


def load_trial(data_dir: Path | str) -> Trial | None:
    raw = read_object(trial_path(data_dir))
    if raw is None:
        return None
    try:
        devices = raw.get("devices_ok_before") or []
        return Trial(
            version=str(raw["version"]),
            from_version=str(raw["from_version"]),
            started_at=float(raw["started_at"]),
            deadline_s=float(raw["deadline_s"]),
            devices_ok_before=tuple(str(d) for d in devices),
            needs_sync=bool(raw.get("needs_sync", False)),
            backup=str(raw.get("backup", "")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        log.error("the trial record %s is damaged: %s", trial_path(data_dir), exc)
        return None


def forget_trial(data_dir: Path | str) -> None:
    trial_path(data_dir).unlink(missing_ok=True)
