"""The hidden maintenance entry (five taps in the top-left corner, then a PIN) and the maintenance screen.

The PIN is checked with scrypt on a worker. Five wrong PINs lock the pad for five minutes. The stored hash is
re-read from the settings file on every check, so ``kiosk maintenance set-pin`` takes effect without a restart.

Each time the screen is shown (and on 刷新) the database's health is asked for on a worker
(:mod:`kiosk.services.database_health`): a database found damaged or replaced gets a section of its own at the
top, saying what happened, what it means for the records not yet delivered and what to run. The citizen screens
never show it.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk.config import Settings, SettingsError, load_settings, verify_pin
from kiosk.logs import tail
from kiosk.ops.layout import running_version
from kiosk.services.background import Background
from kiosk.ui.shell.navigator import Navigator
from kiosk.ui.shell.tasks import run_in_background

if TYPE_CHECKING:  # types only: the cache's modules load after the first frame
    from kiosk.services.catalog.service import CatalogService, CatalogStats
    from kiosk.services.database_health import DatabaseHealth

HealthSource = Callable[[], "DatabaseHealth"]

log = logging.getLogger(__name__)

CORNER_TAPS = 5
CORNER_WINDOW_S = 3.0
PIN_MIN, PIN_MAX = 4, 12
LOG_LINES = 200

# The pad's states: entry (typing), checking (scrypt running), wrong (last PIN refused), locked, unset (no PIN).
ENTRY, CHECKING, WRONG, LOCKED, UNSET = "entry", "checking", "wrong", "locked", "unset"
# The database section's states: not asked yet or asking, the answer, or the check itself failed.
DB_CHECKING, DB_READY, DB_FAILED = "checking", "ready", "failed"
# What the maintenance screen's database section can show without a real problem (screenshots, reviews).
DATABASE_DEMOS = ("replaced", "damaged")


def _local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def command_name() -> str:
    """How staff run the command-line tools here: the console program of the Windows bundle, or ``kiosk``."""
    return "kiosk-console.exe" if sys.platform == "win32" and getattr(sys, "frozen", False) else "kiosk"


class PinAttempts:
    """Wrong-PIN counting: after ``limit`` wrong PINs in a row the pad is locked for ``lock_s`` seconds."""

    def __init__(
        self, limit: int = 5, lock_s: float = 300.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.lock_s = lock_s
        self._clock = clock
        self._wrong = 0
        self._locked_until = 0.0

    def locked_for(self) -> float:
        """Seconds until the pad unlocks (0 when it is not locked)."""
        left = self._locked_until - self._clock()
        if left <= 0 and self._locked_until:
            self._locked_until = 0.0
            self._wrong = 0
        return max(0.0, left)

    @property
    def attempts_left(self) -> int:
        return self.limit - self._wrong

    def wrong(self) -> None:
        self._wrong += 1
        if self._wrong >= self.limit:
            self._locked_until = self._clock() + self.lock_s
            log.warning("maintenance PIN: %d wrong attempts, locked for %d s", self._wrong, self.lock_s)

    def right(self) -> None:
        self._wrong = 0
        self._locked_until = 0.0


def current_pin_hash(settings: Settings) -> str:
    """The PIN hash as the settings file holds it now (falls back to the settings the terminal started with)."""
    try:
        fresh = load_settings(data_dir=settings.data_dir, config_path=settings.config_path)
    except (SettingsError, OSError) as exc:
        log.warning("cannot re-read the settings for the maintenance PIN: %s", exc)
        return settings.maintenance_pin_hash
    return fresh.maintenance_pin_hash or settings.maintenance_pin_hash


def _check_pin(settings: Settings, pin: str) -> bool | None:
    """True/False for a configured PIN, None when no PIN is configured."""
    stored = current_pin_hash(settings)
    if not stored:
        return None
    return verify_pin(pin, stored)


class MaintenanceScreen(QObject):
    pinPadChanged = Signal()
    infoChanged = Signal()
    quitRequested = Signal()

    def __init__(
        self,
        settings: Settings,
        catalog: CatalogService,
        background: Background,
        navigator: Navigator,
        attempts: PinAttempts | None = None,
        parent: QObject | None = None,
        *,
        health: HealthSource | None = None,
    ) -> None:
        """``health``: the terminal's ``database_health`` (called on a worker); without it no section shows."""
        super().__init__(parent)
        self._settings = settings
        self._health_source = health
        self._health: DatabaseHealth | None = None
        self._health_state = DB_CHECKING
        self._health_demo = False
        self._catalog = catalog
        self._background = background
        self._navigator = navigator
        self._attempts = attempts or PinAttempts()
        self._taps: deque[float] = deque(maxlen=CORNER_TAPS)
        self._pad_open = False
        self._pin = ""
        self._pin_state = ENTRY
        self._stats: CatalogStats | None = None
        self._stats_failed = False
        self._log_lines: list[str] = []
        self._lock_timer = QTimer(self, interval=1000)
        self._lock_timer.timeout.connect(self._on_lock_tick)
        navigator.left.connect(self._on_screen_left)

    # --- the hidden entry --------------------------------------------------------------------------------

    @Slot()
    def cornerTapped(self) -> None:
        now = time.monotonic()
        self._taps.append(now)
        if len(self._taps) == CORNER_TAPS and now - self._taps[0] <= CORNER_WINDOW_S:
            self._taps.clear()
            log.info("maintenance entry requested")
            run_in_background(
                self._background.run(current_pin_hash, self._settings),
                self._open_pad,
                lambda exc: self._open_pad(""),
                parent=self,
            )

    def _open_pad(self, stored_hash: str) -> None:
        self._pin = ""
        if not stored_hash:
            log.warning("maintenance entry refused: no maintenance PIN is configured")
            self._pin_state = UNSET
        elif self._attempts.locked_for() > 0:
            self._pin_state = LOCKED
            self._lock_timer.start()
        else:
            self._pin_state = ENTRY
        self._pad_open = True
        self.pinPadChanged.emit()

    @Slot()
    def closePinPad(self) -> None:
        self._pad_open = False
        self._pin = ""
        self._lock_timer.stop()
        self.pinPadChanged.emit()

    @Slot(str)
    def pressDigit(self, digit: str) -> None:
        if self._pin_state in (CHECKING, LOCKED, UNSET) or not (len(digit) == 1 and digit.isdigit()):
            return
        if len(self._pin) < PIN_MAX:
            self._pin += digit
            self._pin_state = ENTRY
            self.pinPadChanged.emit()

    @Slot()
    def deleteDigit(self) -> None:
        if self._pin_state not in (CHECKING, LOCKED, UNSET) and self._pin:
            self._pin = self._pin[:-1]
            self.pinPadChanged.emit()

    @Slot()
    def clearPin(self) -> None:
        if self._pin_state not in (CHECKING, LOCKED, UNSET):
            self._pin = ""
            self.pinPadChanged.emit()

    @Slot()
    def submitPin(self) -> None:
        if self._pin_state in (CHECKING, LOCKED, UNSET) or len(self._pin) < PIN_MIN:
            return
        if self._attempts.locked_for() > 0:
            self._show_locked()
            return
        pin, self._pin = self._pin, ""
        self._pin_state = CHECKING
        self.pinPadChanged.emit()
        run_in_background(
            self._background.run(_check_pin, self._settings, pin),
            self._on_checked,
            self._on_check_failed,
            parent=self,
        )

    def _on_checked(self, verdict: bool | None) -> None:
        if not self._pad_open:
            return
        if verdict is None:
            self._pin_state = UNSET
        elif verdict:
            log.info("maintenance PIN accepted")
            self._attempts.right()
            self.closePinPad()
            self._pin_state = ENTRY
            self.refresh()
            self._navigator.push("maintenance")
            return
        else:
            log.warning("maintenance PIN refused")
            self._attempts.wrong()
            if self._attempts.locked_for() > 0:
                self._show_locked()
                return
            self._pin_state = WRONG
        self.pinPadChanged.emit()

    def _on_check_failed(self, exc: BaseException) -> None:
        log.error("maintenance PIN check failed: %s", exc)
        self._pin_state = WRONG
        self.pinPadChanged.emit()

    def _show_locked(self) -> None:
        self._pin = ""
        self._pin_state = LOCKED
        self._lock_timer.start()
        self.pinPadChanged.emit()

    def _on_lock_tick(self) -> None:
        if self._attempts.locked_for() <= 0:
            self._lock_timer.stop()
            self._pin_state = ENTRY
        self.pinPadChanged.emit()

    @Property(bool, notify=pinPadChanged)
    def pinPadOpen(self) -> bool:
        return self._pad_open

    @Property(str, notify=pinPadChanged)
    def pinState(self) -> str:
        return self._pin_state

    @Property(int, notify=pinPadChanged)
    def pinLength(self) -> int:
        return len(self._pin)

    @Property(int, notify=pinPadChanged)
    def attemptsLeft(self) -> int:
        return self._attempts.attempts_left

    @Property(int, notify=pinPadChanged)
    def lockSecondsLeft(self) -> int:
        return int(self._attempts.locked_for() + 0.999)

    # --- the maintenance screen --------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        run_in_background(
            self._background.run(self._catalog.stats), self._on_stats, self._on_stats_failed, parent=self
        )
        if self._health_source is not None and not self._health_demo:
            run_in_background(
                self._background.run(self._health_source),
                self._on_health,
                self._on_health_failed,
                parent=self,
            )
        run_in_background(
            self._background.run(tail, self._settings.log_dir, LOG_LINES),
            self._on_log,
            self._on_log_failed,
            parent=self,
        )

    def _on_stats(self, stats: CatalogStats) -> None:
        self._stats, self._stats_failed = stats, False
        self.infoChanged.emit()

    def _on_stats_failed(self, exc: BaseException) -> None:
        log.error("maintenance: cannot read the cache statistics: %s", exc)
        self._stats, self._stats_failed = None, True
        self.infoChanged.emit()

    def _on_health(self, health: DatabaseHealth) -> None:
        if self._health_demo:
            return
        self._health, self._health_state = health, DB_READY
        if not health.ok:
            log.info(
                "maintenance: the database section shows %s",
                ", ".join(["replaced"] * (health.replacement is not None) + list(health.damaged)),
            )
        self.infoChanged.emit()

    def _on_health_failed(self, exc: BaseException) -> None:
        if self._health_demo:
            return
        log.error("maintenance: cannot check the database: %s", exc)
        self._health, self._health_state = None, DB_FAILED
        self.infoChanged.emit()

    def demo_database(self, which: str) -> None:
        """Show the database section as staff would see it, without a real problem: ``replaced`` (an emptied
        database whose outbox held records) or ``damaged`` (the outbox's pages). For screenshots and reviews;
        it lasts until the screen is left."""
        from kiosk.services.database_health import DatabaseHealth
        from kiosk.store.database_marker import OutboxState, Replacement
        from kiosk.store.integrity import OUTBOX

        if which not in DATABASE_DEMOS:
            raise ValueError(f"unknown database state {which!r}; known: {', '.join(DATABASE_DEMOS)}")
        if which == "replaced":
            replaced = Replacement(
                noticed_at="2026-12-06T08:12:00+08:00",
                how="empty",
                previous_id="demo",
                previous_seen_at="2026-12-05T18:40:00+08:00",
                previous_outbox=OutboxState(pending=3, rejected=0, last_id=120),
            )
            health = DatabaseHealth((), replaced)
        else:
            health = DatabaseHealth((OUTBOX,), None)
        self._health_demo = True
        self._health, self._health_state = health, DB_READY
        self.infoChanged.emit()

    def _on_log(self, lines: list[str]) -> None:
        self._log_lines = lines
        self.infoChanged.emit()

    def _on_log_failed(self, exc: BaseException) -> None:
        self._log_lines = [f"(log unreadable: {exc})"]
        self.infoChanged.emit()

    @Slot()
    def quit(self) -> None:
        log.info("maintenance: exit to the desktop")
        self.quitRequested.emit()

    def clear(self) -> None:
        self.closePinPad()
        self._pin_state = ENTRY
        self._taps.clear()
        self._forget()

    def _on_screen_left(self, screen: str) -> None:
        if screen == "maintenance":
            self._forget()

    def _forget(self) -> None:
        self._stats, self._log_lines = None, []
        self._health, self._health_state, self._health_demo = None, DB_CHECKING, False
        self.infoChanged.emit()

    @Property(str, constant=True)
    def terminalId(self) -> str:
        return self._settings.terminal_id

    @Property(str, constant=True)
    def role(self) -> str:
        return self._settings.role

    @Property(str, constant=True)
    def version(self) -> str:
        return running_version()

    @Property(str, constant=True)
    def dataDir(self) -> str:
        return str(self._settings.data_dir)

    @Property(bool, notify=infoChanged)
    def statsReady(self) -> bool:
        return self._stats is not None

    @Property(bool, notify=infoChanged)
    def statsFailed(self) -> bool:
        return self._stats_failed

    @Property("QVariantMap", notify=infoChanged)
    def stats(self) -> dict:
        s = self._stats
        if s is None:
            return {}
        return {
            "items": s.items,
            "departments": s.departments,
            "categories": s.categories,
            "themes": s.themes,
            "lastImportAt": s.last_import_at or "",
            "databaseMegabytes": round(s.database_bytes / 1e6, 1),
            "schemaVersion": s.schema_version,
        }

    @Property("QVariantList", notify=infoChanged)
    def logLines(self) -> list[str]:
        return self._log_lines

    # --- the database section ---------------------------------------------------------------------------------

    @Property(str, constant=True)
    def commandName(self) -> str:
        return command_name()

    @Property(str, notify=infoChanged)
    def databaseState(self) -> str:
        """``checking``, ``ready`` (see ``databaseOk``) or ``failed`` (the check itself could not run)."""
        return self._health_state if self._health_source is not None or self._health_demo else DB_READY

    @Property(bool, notify=infoChanged)
    def databaseOk(self) -> bool:
        return self._health is None or self._health.ok

    @Property(bool, notify=infoChanged)
    def databaseReplaced(self) -> bool:
        return self._health is not None and self._health.replacement is not None

    @Property("QVariantMap", notify=infoChanged)
    def replacement(self) -> dict:
        """How (``missing`` | ``empty`` | ``other``), when it was noticed, when the previous database was last used,
        what its outbox held then (``pending`` -1: not known) and where the terminal kept it (``keptAt``)."""
        replaced = self._health.replacement if self._health is not None else None
        if replaced is None:
            return {}
        outbox = replaced.previous_outbox
        return {
            "how": replaced.how,
            "noticedAt": _local_time(replaced.noticed_at),
            "previousSeenAt": _local_time(replaced.previous_seen_at) if replaced.previous_seen_at else "",
            "pending": outbox.pending if outbox is not None else -1,
            "rejected": outbox.rejected if outbox is not None else 0,
            "keptAt": replaced.kept_at or "",
        }

    @Property(bool, notify=infoChanged)
    def databaseDamaged(self) -> bool:
        return self._health is not None and bool(self._health.damaged)

    @Property("QVariantList", notify=infoChanged)
    def damagedParts(self) -> list[str]:
        """The damaged parts' codes (``catalog``, ``sync``, ``outbox``, ``records``, ``other``, ``file``)."""
        return list(self._health.damaged) if self._health is not None else []

    @Property(bool, notify=infoChanged)
    def damageRebuildable(self) -> bool:
        """Only what the center sends again is damaged: no record is at stake."""
        return self._health is not None and bool(self._health.damaged) and self._health.rebuildable

    @Property(bool, notify=infoChanged)
    def damagedWholeFile(self) -> bool:
        return self._health is not None and self._health.whole_file
