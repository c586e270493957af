"""The role's local heartbeat to its supervisor (``ops/alive.json``, kiosk.ops.alive), written every 5 s by a timer
on the UI thread: a UI thread that hangs stops writing it, and the supervisor restarts the process.

Each beat says whether a citizen's session is open (the kiosk role: the idle guard is running, i.e. someone is
away from the home screen or has a card in; the other roles never have one) and the last health the role found:
whether its database opened with its migrations, each device's health and the last successful sync. That health
is probed on a worker (at each beat for the first two minutes, when a new version's health check waits for it,
then every minute), never on the UI thread: the beat itself only writes a small file.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from PySide6.QtCore import QObject, QTimer

from kiosk.ops.alive import INTERVAL_S, MIGRATIONS_OK, Alive, AliveHealth, now_iso, write_alive
from kiosk.ops.layout import running_version
from kiosk.ui.shell.tasks import run_in_background

log = logging.getLogger(__name__)

PROBE_EVERY_BEATS = 12  # a minute
PROBE_EACH_BEAT_FIRST = (
    24  # but each beat for the first two minutes: a new version on trial waits for its health
)
DEVICE_CHECK_TIMEOUT_S = 3.0


class AliveWriter(QObject):
    def __init__(
        self, terminal: Any, ui: Any, first_frame_at: float | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._terminal = terminal  # a Terminal or a LazyTerminal
        self._ui = ui  # the role's Shell
        self._settings = terminal.settings
        self._first_frame_at = first_frame_at
        self._pid = os.getpid()
        self._version = running_version()
        self._seq = 0
        self._health = AliveHealth()
        self._probing = False
        self._timer = QTimer(self)
        self._timer.setInterval(int(INTERVAL_S * 1000))
        self._timer.timeout.connect(self.beat)

    def start(self) -> None:
        self.beat()
        self._timer.start()
        self._probe()

    def close(self) -> None:
        self._timer.stop()

    def beat(self) -> None:
        self._write()
        if self._seq <= PROBE_EACH_BEAT_FIRST or self._seq % PROBE_EVERY_BEATS == 0:
            self._probe()

    def _write(self) -> None:
        self._seq += 1
        write_alive(
            self._settings.data_dir,
            Alive(
                pid=self._pid,
                at=now_iso(),
                seq=self._seq,
                version=self._version,
                role=self._settings.role,
                first_frame_at=self._first_frame_at,
                session_open=self._session_open(),
                health=self._health,
            ),
        )

    def _session_open(self) -> bool:
        if self._settings.role != "kiosk":
            return False
        idle = getattr(self._ui, "idle", None)
        return bool(idle is not None and idle.active)

    def _probe(self) -> None:
        if self._probing:
            return
        self._probing = True
        panel = self._ui.__dict__.get("_device_panel")  # only a role that watches devices has one
        devices = panel.devices() if panel is not None else None  # made on the UI thread, used on the worker
        terminal = self._terminal
        run_in_background(
            terminal.background.run(lambda: probe_health(terminal, devices)),
            self._on_probed,
            self._on_probe_failed,
            parent=self,
        )

    def _on_probed(self, health: AliveHealth) -> None:
        self._probing = False
        if health != self._health:
            log.info(
                "health for the supervisor: migrations %s, devices %s, last sync %s",
                health.migrations,
                dict(health.devices) or "none",
                health.last_sync_ok_at or "never",
            )
            self._health = health
            self._write()  # at once: a new version's health check waits for it

    def _on_probe_failed(self, exc: BaseException) -> None:
        self._probing = False
        log.error("the health probe failed: %s", exc)


def probe_health(terminal: Any, devices: Any) -> AliveHealth:
    """On a worker: open the terminal's data if it has a database (that applies its migrations), read the last
    successful sync, and check the devices."""
    from kiosk.services.lazy_terminal import LazyTerminal

    migrations = MIGRATIONS_OK
    last_sync: str | None = None
    opened = None
    if not isinstance(terminal, LazyTerminal):
        opened = terminal
    elif terminal.settings.database_path.exists():
        try:
            opened = terminal.open()
        except Exception as exc:
            migrations = f"{type(exc).__name__}: {exc}"[:400] or "failed"
    if opened is not None:
        from kiosk.store import sync_state

        try:
            last_sync = sync_state.load_state(opened.database.connection()).get("last_success_at")
        except Exception as exc:  # a damaged sync state is the database's own notice; here: no sync known
            log.warning("the last sync could not be read: %s", exc)
    health: dict[str, str] = {}
    if devices is not None:
        for report in devices.check(timeout=DEVICE_CHECK_TIMEOUT_S):
            health[report.entry.role] = report.status.health.value
    return AliveHealth(migrations=migrations, devices=health, last_sync_ok_at=last_sync)
