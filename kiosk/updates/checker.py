"""The background check for updates while a role runs: every ``update_check_s`` seconds, on a thread of its own,
and at once when the center names another target version for this terminal, check, download and stage what the
repository offers (``kiosk.updates.client.stage``). Staging never touches
the running version; the supervisor starts a staged one in the maintenance window or when the terminal is idle.

Qt-free: a role starts it after its first frame and stops it on the way out.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.ops.target import read_target
from kiosk.updates.client import StageResult, UpdatesOff, UpdateSource, stage, update_source

if TYPE_CHECKING:
    from kiosk.config import Settings

log = logging.getLogger(__name__)

FIRST_CHECK_AFTER_S = 60.0  # leave the first minute to the start-up, the first sync and the citizen
TARGET_LOOK_S = 15.0  # how often the center's target version (ops/target.json) is looked at between checks


class UpdateChecker:
    def __init__(
        self,
        source: UpdateSource,
        interval_s: float,
        *,
        first_after_s: float = FIRST_CHECK_AFTER_S,
        target_look_s: float = TARGET_LOOK_S,
        on_result: Callable[[StageResult], None] | None = None,
    ) -> None:
        self.source = source
        self.interval_s = max(1.0, float(interval_s))
        self.first_after_s = max(0.0, first_after_s)
        self.target_look_s = max(0.05, target_look_s)
        self.on_result = on_result
        self.last: StageResult | None = None
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def started(cls, settings: Settings) -> UpdateChecker | None:
        """The terminal's checker, started; None when updates are off here."""
        checker = cls.for_settings(settings)
        if checker is not None:
            checker.start()
        return checker

    @classmethod
    def for_settings(cls, settings: Settings, **kwargs: object) -> UpdateChecker | None:
        """A checker for the terminal's settings, or None when updates are off here (logged once, with why)."""
        try:
            source = update_source(settings)
        except UpdatesOff as exc:
            log.info("%s", exc)
            return None
        return cls(source, settings.update_check_s, **kwargs)  # type: ignore[arg-type]

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="update-checker", daemon=True)
            self._thread.start()

    def check_now(self) -> None:
        """Check at once (the center named a new target version, say) instead of at the next interval."""
        self._wake.set()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop waiting; a download under way ends at its next chunk or timeout (the part is kept for later)."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    close = stop

    def _run(self) -> None:
        seen = read_target(self.source.data_dir)
        due = time.monotonic() + self.first_after_s
        while not self._stopping.is_set():
            # Between checks, a look at the center's target version now and then: a rollout that names a new
            # version for this terminal is acted on within target_look_s, not at the next hourly check.
            woken = self._wake.wait(max(0.0, min(due - time.monotonic(), self.target_look_s)))
            self._wake.clear()
            if self._stopping.is_set():
                return
            target = read_target(self.source.data_dir)
            if not woken and target == seen and time.monotonic() < due:
                continue
            seen = target
            try:
                result = stage(self.source)
            except UpdatesOff as exc:
                log.info("%s", exc)
                return
            except Exception:  # the check must never take the role down; tried again next time
                log.exception("update check failed")
            else:
                self.last = result
                if result.staged:
                    log.info(
                        "update %s staged; the supervisor starts it when the terminal is free", result.staged
                    )
                if self.on_result is not None:
                    self.on_result(result)
            due = time.monotonic() + self.interval_s
