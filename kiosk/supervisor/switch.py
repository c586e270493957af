"""Switching to a staged version, keeping it, or going back.

A new version runs only on trial at first: before it starts, the database is backed up
(``ops/backups/<from-version>.db``, SQLite's backup API), the trial is written down (``ops/health.json``) and the
install state names it ``trying``. The supervisor starts it and judges its health (``kiosk.supervisor.health``).
Kept (:func:`commit`): it becomes ``current`` and the one before it ``previous``. Given up (:func:`roll_back`, after a
failed check, its deadline, or a crash loop): the database goes back to the backup, keeping every outbox record
written since; the state names the old version ``current`` again and the new one ``failed`` with the reason. No
version's folder is ever written here.

``kiosk update apply`` calls :func:`switch_to_staged`: with a supervisor running, it asks it to switch now and
waits for the verdict; without one, it prepares the trial, which the supervisor runs when it next starts.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from kiosk.config import Settings
from kiosk.ops.alive import read_alive
from kiosk.ops.files import write_json
from kiosk.ops.layout import InstallLayout, InstallState, read_state, write_state
from kiosk.ops.paths import OpsPaths
from kiosk.ops.supervision import supervisor_running, switch_request_path
from kiosk.store.upkeep import backup, restore_keeping_outbox
from kiosk.supervisor.health import Trial, forget_trial, load_trial, save_trial
from kiosk.supervisor.reporting import report_update

log = logging.getLogger(__name__)

Result = Literal["committed", "rolled_back", "pending", "nothing_staged", "refused"]
_WAIT_MARGIN_S = 120.0  # beyond update_health_s: stopping the old version, backing up, starting the new one


@dataclass(frozen=True, slots=True)
class SwitchOutcome:
    result: Result
    version: str | None
    reason: str = ""  # for the operator: why, or what happens next

    @property
    def ok(self) -> bool:
        return self.result in ("committed", "pending")


class SwitchRefused(RuntimeError):
    """The staged version cannot be started (missing, incomplete, failed before); the message says why."""


def backup_file(settings: Settings, version: str) -> Path:
    return OpsPaths.of(settings.data_dir).backups / f"{version}.db"


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_staged(layout: InstallLayout, state: InstallState | None) -> str:
    """The staged version, if it can be switched to; else :class:`SwitchRefused` saying why."""
    if state is None or not state.staged:
        raise SwitchRefused("没有已下载待切换的新版本 (nothing is staged)")
    version = state.staged
    if version == state.current:
        write_state(layout, state.with_changes(staged=None))
        raise SwitchRefused(f"版本 {version} 已在运行 (already current)")
    if version in state.failed:
        raise SwitchRefused(f"版本 {version} 之前试运行失败，不再切换：{state.failed[version]}")
    if not layout.is_complete(version) or not layout.executable(version).exists():
        raise SwitchRefused(f"版本 {version} 的文件不完整，不能切换 (its folder is incomplete)")
    return version


def begin_trial(settings: Settings, layout: InstallLayout, devices_ok_before: tuple[str, ...] = ()) -> Trial:
    """Prepare the staged version's trial (the role must not be running): back up the database, write the
    trial down, then name the version ``trying`` in the install state. Raises :class:`SwitchRefused`."""
    state = read_state(layout)
    version = check_staged(layout, state)
    assert state is not None
    target = backup_file(settings, state.current)
    had_database = backup(settings.database_path, target)
    trial = Trial(
        version=version,
        from_version=state.current,
        started_at=time.time(),
        deadline_s=float(settings.update_health_s),
        devices_ok_before=devices_ok_before,
        needs_sync=bool(settings.center_url),
        backup=str(target) if had_database else "",
    )
    save_trial(
        settings.data_dir, trial
    )  # before the state names it: a crash now leaves it staged, not half-tried
    write_state(layout, state.with_changes(trying=version, staged=None))
    log.warning(
        "switching from version %s to %s on trial (health check within %d s%s)",
        state.current,
        version,
        settings.update_health_s,
        f", devices that must be ok again: {', '.join(devices_ok_before)}" if devices_ok_before else "",
    )
    return trial


def restart_trial(trial: Trial) -> Trial:
    """The same trial with its clock started again (a supervisor that was down meanwhile)."""
    return Trial(
        trial.version,
        trial.from_version,
        time.time(),
        trial.deadline_s,
        trial.devices_ok_before,
        trial.needs_sync,
        trial.backup,
    )


def commit(settings: Settings, layout: InstallLayout, trial: Trial) -> InstallState:
    """Keep the version on trial: it becomes current, the one before it previous."""
    state = read_state(layout) or InstallState(current=trial.from_version)
    failed = {v: r for v, r in state.failed.items() if v != trial.version}
    new = state.with_changes(
        current=trial.version,
        previous=trial.from_version,
        trying=None,
        failed=failed,
        committed_at=_now_iso(),
    )
    write_state(layout, new)
    forget_trial(settings.data_dir)
    _prune_backups(settings, keep=trial.from_version)
    log.warning(
        "version %s passed its health check and is kept (previous: %s)", trial.version, trial.from_version
    )
    report_update(settings, version=trial.version, from_version=trial.from_version, outcome="committed")
    return new


def roll_back(
    settings: Settings, layout: InstallLayout, *, version: str, to_version: str, reason: str
) -> InstallState:
    """Give up ``version`` and go back to ``to_version`` (the role must not be running): the database as it was
    before ``version`` first started, with the outbox records written since; the state names ``to_version``
    current and ``version`` failed."""
    backup_at = backup_file(settings, to_version)
    if backup_at.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = OpsPaths.of(settings.data_dir).backups / f"{version}-given-up-{stamp}.db"
        try:
            restore_keeping_outbox(settings.database_path, backup_at, set_aside=aside)
        except (
            OSError,
            sqlite3.Error,
        ) as exc:  # the state still goes back: the old version says what it finds
            log.error("the database could not be put back from %s: %s", backup_at, exc)
            reason = f"{reason}; the database could not be put back: {exc}"
    else:
        log.warning(
            "no database backup of version %s: the database stays as version %s left it", to_version, version
        )
    state = read_state(layout) or InstallState(current=to_version)
    was_trial = state.trying == version
    new = state.with_changes(
        current=to_version,
        previous=state.previous if was_trial else None,
        trying=None,
        staged=None if state.staged == version else state.staged,
        failed={**state.failed, version: reason[:500]},
        committed_at=state.committed_at if was_trial else None,
    )
    write_state(layout, new)
    forget_trial(settings.data_dir)
    log.error("version %s given up, back to version %s: %s", version, to_version, reason)
    report_update(settings, version=version, from_version=to_version, outcome="rolled_back", reason=reason)
    return new


def _prune_backups(settings: Settings, keep: str) -> None:
    """Backups of versions older than the one kept are of no use any more (a crash loop goes back one version)."""
    folder = OpsPaths.of(settings.data_dir).backups
    try:
        files = list(folder.glob("*.db"))
    except OSError:
        return
    for path in files:
        if path.stem != keep and "-given-up-" not in path.stem:
            path.unlink(missing_ok=True)


def devices_ok_now(settings: Settings) -> tuple[str, ...]:
    """The device roles the running version's last heartbeat says are ok (the new version must match them)."""
    alive = read_alive(settings.data_dir)
    if alive is None:
        return ()
    return tuple(sorted(role for role, health in alive.health.devices.items() if health == "ok"))


def switch_to_staged(settings: Settings, layout: InstallLayout, *, wait: bool = True) -> SwitchOutcome:
    """Switch to the staged version now. With a supervisor running, it is asked to (``ops/switch-request.json``)
    and this waits for its verdict (committed or rolled back); without one, the trial is prepared and runs when
    the supervisor next starts (``pending``)."""
    state = read_state(layout)
    if state is None or not state.staged:
        return SwitchOutcome("nothing_staged", None, "没有已下载待切换的新版本")
    version = state.staged
    if version in state.failed:
        return SwitchOutcome("refused", version, f"版本 {version} 之前试运行失败：{state.failed[version]}")
    if not supervisor_running(settings.data_dir):
        try:
            begin_trial(settings, layout, devices_ok_now(settings))
        except SwitchRefused as exc:
            return SwitchOutcome("refused", version, str(exc))
        return SwitchOutcome(
            "pending", version, f"版本 {version} 将在监护程序（kiosk supervise）下次启动时试运行并检查"
        )
    write_json(switch_request_path(settings.data_dir), {"version": version, "at": _now_iso()})
    log.info("asked the supervisor to switch to version %s now", version)
    if not wait:
        return SwitchOutcome("pending", version, f"已请求监护程序切换到版本 {version}")
    deadline = time.monotonic() + settings.update_health_s + _WAIT_MARGIN_S
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = read_state(layout)
        if now is None:
            continue
        if version in now.failed:
            return SwitchOutcome("rolled_back", version, now.failed[version])
        if now.current == version and now.trying is None:
            return SwitchOutcome("committed", version, f"版本 {version} 已通过健康检查")
        if (
            not switch_request_path(settings.data_dir).exists()
            and now.trying is None
            and now.staged == version
        ):
            return SwitchOutcome("refused", version, "监护程序未能切换（详见 logs/supervisor.log）")
    return SwitchOutcome("pending", version, f"版本 {version} 仍在试运行，结果稍后见 kiosk update check")


def pending_trial(settings: Settings, layout: InstallLayout) -> Trial | None:
    """The trial the install state says is under way (its record; one made up when the record was lost)."""
    state = read_state(layout)
    if state is None or state.trying is None:
        return None
    trial = load_trial(settings.data_dir)
    if trial is not None and trial.version == state.trying:
        return trial
    log.warning("the trial record of version %s is missing: judging it from now on", state.trying)
    return Trial(
        state.trying,
        state.current,
        time.time(),
        float(settings.update_health_s),
        (),
        bool(settings.center_url),
        str(backup_file(settings, state.current)),
    )
