"""What the maintenance screen shows of the terminal's operation (``terminalOps`` in QML): every setting with its
value and where it comes from (default, file, center, environment, command line: ``kiosk.config.setting_sources``
over the settings as the next start would load them, so a layer the center pushed since shows), the updates
(on or off and why, the running, previous, staged and trying versions, the last check: ``kiosk.updates.status``),
and whether the terminal is out of service, with the operator's way to take it out of service and back.

Everything is read on a worker at each ``refresh()`` (the settings file, the center's layer and the install state
are files); taking the terminal out of service or back writes the state file there too, then announces
``service_state`` so every screen of this process follows at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.config import Settings, SettingsError, setting_sources, settings_now
from kiosk.services.background import Background
from kiosk.services.changes import SERVICE_STATE, Changes
from kiosk.ui.shell.tasks import run_in_background

if TYPE_CHECKING:
    from kiosk.ops.service_state import OutOfService
    from kiosk.updates.status import UpdateStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Operations:
    """One reading of the terminal's operation, made on a worker."""

    settings: tuple[dict[str, str], ...]
    settings_problem: str
    updates: UpdateStatus | None
    updates_problem: str
    out_of_service: OutOfService | None


def _local(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def read_operations(settings: Settings) -> Operations:
    """The settings with their origins, the updates and the service state (call it on a worker)."""
    from kiosk.ops.service_state import out_of_service

    problem = ""
    try:
        current = settings_now(settings)
    except (SettingsError, OSError) as exc:
        log.warning(
            "maintenance: the settings cannot be read again (%s): showing those the terminal runs with", exc
        )
        current, problem = settings, str(exc)
    rows = tuple(
        {"name": s.name, "value": s.shown, "origin": s.origin, "where": s.where}
        for s in setting_sources(current)
    )
    updates: UpdateStatus | None = None
    updates_problem = ""
    try:
        from kiosk.updates.status import update_status

        updates = update_status(current)
    except Exception as exc:  # the screen still shows the rest; the detail goes to the log
        log.exception("maintenance: the update status cannot be read")
        updates_problem = str(exc) or type(exc).__name__
    return Operations(rows, problem, updates, updates_problem, out_of_service(settings.data_dir))


class TerminalOperations(QObject):
    changed = Signal()

    def __init__(
        self,
        settings: Settings,
        background: Background,
        changes: Callable[[], Changes],
        parent: QObject | None = None,
    ) -> None:
        """``changes``: the terminal's notifier of what changed (``service_state`` is announced there)."""
        super().__init__(parent)
        self._settings = settings
        self._background = background
        self._changes = changes
        self._ops: Operations | None = None
        self._failed = False
        self._busy = False

    @Slot()
    def refresh(self) -> None:
        run_in_background(
            self._background.run(read_operations, self._settings), self._on_read, self._on_failed, parent=self
        )

    def _on_read(self, ops: Operations) -> None:
        self._ops, self._failed = ops, False
        self.changed.emit()

    def _on_failed(self, exc: BaseException) -> None:
        log.error("maintenance: the terminal's operation cannot be read: %s", exc)
        self._failed = True
        self.changed.emit()

    def clear(self) -> None:
        self._ops, self._failed = None, False
        self.changed.emit()

    def demo(self) -> None:
        """Show a terminal on a pilot ring, taken out of service by the center, with a pushed setting (for
        screenshots and reviews; nothing is read or written)."""
        from kiosk.ops.service_state import OutOfService
        from kiosk.updates.status import LastCheck, UpdateStatus

        rows = [dict(row) for row in read_operations(self._settings).settings]
        samples = {
            "idle_timeout_s": ("120", "center", "version 12"),
            "stale_catalog_days": ("14", "file", str(self._settings.config_file)),
            "update_url": ("https://updates.example.gov.cn/kiosk/", "file", str(self._settings.config_file)),
        }
        for row in rows:
            if row["name"] in samples:
                row["value"], row["origin"], row["where"] = samples[row["name"]]
        updates = UpdateStatus(
            enabled=True,
            off_reason="",
            url="https://updates.example.gov.cn/kiosk/",
            current="2026.12.1",
            previous="2026.11.3",
            staged="2026.12.2",
            last_check=LastCheck("2026-12-06T02:10:00+00:00", True, "2026.12.2", "2026.12.2", None),
        )
        held = OutOfService(
            "command", "center", "2026-12-06T01:30:00+00:00", "请到村委会一楼的粤智助终端办理。"
        )
        self._ops, self._failed = Operations(tuple(rows), "", updates, "", held), False
        self.changed.emit()

    # --- out of service, by the operator ------------------------------------------------------------------

    @Slot()
    def takeOutOfService(self) -> None:
        """暂停服务 now: the citizens' screens show the page once the operator leaves this screen."""
        self._set_service(out=True)

    @Slot()
    def backInService(self) -> None:
        self._set_service(out=False)

    def _set_service(self, *, out: bool) -> None:
        if self._busy:
            return
        self._busy = True
        self.changed.emit()
        data_dir = self._settings.data_dir

        def change() -> None:
            from kiosk.ops.service_state import back_in_service, take_out_of_service

            if out:
                take_out_of_service(data_dir, "maintenance", "operator")
            else:
                back_in_service(data_dir, "operator")
            self._changes().announce(SERVICE_STATE)

        def done(_result: Any) -> None:
            log.warning(
                "maintenance: the operator put the terminal %s",
                "out of service" if out else "back in service",
            )
            self._busy = False
            self.refresh()

        def failed(exc: BaseException) -> None:
            log.error("maintenance: the service state could not be changed: %s", exc)
            self._busy = False
            self._failed = True
            self.changed.emit()

        run_in_background(self._background.run(change), done, failed, parent=self)

    # --- what QML reads --------------------------------------------------------------------------------------

    @Property(bool, notify=changed)
    def ready(self) -> bool:
        return self._ops is not None

    @Property(bool, notify=changed)
    def failed(self) -> bool:
        return self._failed

    @Property(bool, notify=changed)
    def busy(self) -> bool:
        return self._busy

    @Property("QVariantList", notify=changed)
    def settings(self) -> list[dict[str, str]]:
        """Each setting: ``name``, ``value`` (as shown: a PIN hash only as set or not), ``origin`` (``default`` |
        ``file`` | ``center`` | ``environment`` | ``command line``), ``where`` (the file, variable, flag or the
        center's settings version)."""
        return list(self._ops.settings) if self._ops is not None else []

    @Property(str, notify=changed)
    def settingsProblem(self) -> str:
        return self._ops.settings_problem if self._ops is not None else ""

    @Property(bool, notify=changed)
    def updatesEnabled(self) -> bool:
        return self._ops is not None and self._ops.updates is not None and self._ops.updates.enabled

    @Property(str, notify=changed)
    def updatesOff(self) -> str:
        """Why updates are off (empty when on): ``no_update_root``, ``no_update_url``, ``no_install_root``,
        ``update_root_unreadable`` (``kiosk.updates.client.UpdatesOff.code``; ``updatesOffDetail`` says it)."""
        ops = self._ops
        if ops is None or ops.updates is None or ops.updates.enabled:
            return ""
        return ops.updates.off_code or "other"

    @Property(str, notify=changed)
    def updatesOffDetail(self) -> str:
        ops = self._ops
        if ops is None:
            return ""
        if ops.updates is None:
            return ops.updates_problem
        return ops.updates.off_reason

    @Property("QVariantMap", notify=changed)
    def versions(self) -> dict[str, Any]:
        """``current``, ``previous``, ``staged``, ``trying`` (empty: none), ``failed`` (list of "version：why"),
        ``url``, and the last check: ``checkedAt`` (local time; empty: never), ``verified``, ``available``,
        ``checkProblem``."""
        ops = self._ops
        status = ops.updates if ops is not None else None
        if status is None:
            return {}
        check = status.last_check
        return {
            "current": status.current,
            "previous": status.previous or "",
            "staged": status.staged or "",
            "trying": status.trying or "",
            "failed": [f"{version}：{why}" for version, why in status.failed.items()],
            "url": status.url,
            "checkedAt": _local(check.at) if check is not None else "",
            "verified": check.verified if check is not None else False,
            "available": (check.available or "") if check is not None else "",
            "checkProblem": (check.problem or "") if check is not None else "",
        }

    @Property(bool, notify=changed)
    def outOfService(self) -> bool:
        return self._ops is not None and self._ops.out_of_service is not None

    @Property("QVariantMap", notify=changed)
    def outOfServiceState(self) -> dict[str, str]:
        """``by`` (``center`` | ``supervisor`` | ``operator``), ``reason``, ``since`` (local time), ``message``."""
        state = self._ops.out_of_service if self._ops is not None else None
        if state is None:
            return {}
        return {
            "by": state.by,
            "reason": state.reason,
            "since": _local(state.since),
            "message": state.message,
        }
