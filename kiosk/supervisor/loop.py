"""The supervisor's loop: run the role, watch it, and decide.

Every half second it looks at the child process and its local heartbeat (``ops/alive.json``):
- an exit: ``STOP`` stops the supervisor too, ``RESTART`` starts the role again at once, ``REBOOT`` restarts the
  machine (the fixed platform command, or only logged when ``supervisor_reboot = off``), anything else is a
  crash: reported, and the role started again after the backoff (1 s doubling to 60 s);
- no heartbeat for ``supervisor_hang_s``: the role is hung: stopped (terminate, then kill) and handled as a crash;
- three crashes in ten minutes: a crash loop. A version on trial, or one committed within the loop's window with
  its previous version still installed, is given up for the previous one; otherwise the terminal is taken out
  of service and the bare 暂停服务 window runs (or, when it cannot, ``kiosk sync once`` every ``sync_interval_s``)
  until it is put back in service;
- a version on trial is judged (``kiosk.supervisor.health``) and kept or given up;
- in the maintenance window, once a day and never during a citizen's session: the role stopped, the database
  checkpointed and vacuumed, the logs rotated, a staged version switched to, the role started again; a staged
  version is also switched to after ``update_when_idle_s`` without a session, and at once when
  ``kiosk update apply`` asks.
Every decision is logged in plain words (``logs/supervisor.log``).
"""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from kiosk.config import Settings
from kiosk.ops import exit_codes
from kiosk.ops.alive import Alive, clear_alive, read_alive, timestamp
from kiosk.ops.files import read_object
from kiosk.ops.layout import (
    InstallLayout,
    InstallState,
    install_layout,
    read_state,
    running_version,
    write_state,
)
from kiosk.ops.service_state import out_of_service, take_out_of_service
from kiosk.ops.supervision import switch_request_path, write_status
from kiosk.supervisor.child import OUT_OF_SERVICE_ENTRY, Child, Program, settings_args
from kiosk.supervisor.health import Trial, judge, save_trial
from kiosk.supervisor.maintenance import last_day, run_maintenance
from kiosk.supervisor.policy import Backoff, CrashHistory
from kiosk.supervisor.reporting import report_crash
from kiosk.supervisor.switch import (
    SwitchRefused,
    begin_trial,
    check_staged,
    commit,
    devices_ok_now,
    pending_trial,
    restart_trial,
    roll_back,
)
from kiosk.supervisor.window import MaintenanceWindow

log = logging.getLogger("kiosk.supervisor")

TICK_S = 0.5
HUNG_STOP_WAIT_S = 3.0  # a hung process is not going to end by itself: kill it soon
SYNC_MAX_S = 600.0  # a `kiosk sync once` running longer than this is stuck
MAINTENANCE_REQUEST_FILE = "maintenance-request.json"
REBOOT_COMMANDS = {"win32": ["shutdown", "/r", "/t", "0"]}
REBOOT_COMMAND_POSIX = ["systemctl", "reboot"]

Mode = Literal["role", "out_of_service"]


class Supervisor:
    def __init__(
        self,
        settings: Settings,
        flags: Sequence[str] = (),
        *,
        tick_s: float = TICK_S,
        wall: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.settings = settings
        self.flags = list(flags)  # settings flags to hand on to the role
        self.tick_s = tick_s
        self.wall = wall
        self.layout: InstallLayout | None = install_layout(settings)
        self.window = MaintenanceWindow.parse(settings.maintenance_window)
        self.backoff = Backoff()
        self.crashes = CrashHistory()
        self.window_crashes = CrashHistory()  # of the bare out-of-service window
        self.mode: Mode = "role"
        self.child: Child | None = None
        self.sync_child: Child | None = None
        self.next_start = 0.0
        self.next_sync = 0.0
        self.trial: Trial | None = None
        self.window_given_up = False
        self.restarts = 0
        self.last_crash_at: str | None = None
        self.reboot_requested_at: str | None = None
        self._beat: tuple[int, int] | None = None  # (pid, seq) of the last heartbeat seen
        self._beat_at: float | None = None
        self._alive: Alive | None = None
        self._idle_since: float | None = None
        self._skipped_day: Any = None  # the window day a session kept maintenance from
        self._refused = ""  # the last refusal of a staged version, said once
        self._state: InstallState | None = None
        self._state_read_at = -1e9
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._started_at = datetime.now(UTC).isoformat(timespec="seconds")

    # -- running ------------------------------------------------------------------------------------------

    def request_stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def run(self) -> int:
        """Run until stopped (a signal, or the role ending with ``STOP``); the lock is the caller's."""
        log.info(
            "supervisor started (pid %s): role %s, data %s, %s, hang after %d s, maintenance window %s",
            _pid(),
            self.settings.role,
            self.settings.data_dir,
            f"install layout {self.layout.root}" if self.layout else "no install layout (updates off)",
            self.settings.supervisor_hang_s,
            self.window,
        )
        self._resume()
        try:
            while not self._stop.is_set():
                try:
                    self.step()
                except Exception:  # a full disk, a file in the way: logged, and the next look tries again
                    log.exception("the supervisor met an error; carrying on")
                    self.next_start = max(self.next_start, time.monotonic() + 5.0)  # not a start per tick
                    self._stop.wait(1.0)
                self._wake.wait(self.tick_s)  # a child ending wakes it at once
                self._wake.clear()
        finally:
            self._shutdown()
        return 0

    def _resume(self) -> None:
        """Pick up what a previous supervisor left: the install state, a trial under way, out of service."""
        if self.layout is not None:
            state = read_state(self.layout)
            if state is None:
                version = _first_version(self.layout)
                log.warning("no install state in %s: starting it with version %s", self.layout.root, version)
                write_state(self.layout, InstallState(current=version))
            trial = pending_trial(self.settings, self.layout)
            if trial is not None:
                self.trial = restart_trial(trial)
                save_trial(self.settings.data_dir, self.trial)
                log.warning("version %s is on trial: its health check starts again now", trial.version)
        self._stop_orphan()
        held = out_of_service(self.settings.data_dir)
        if held is not None and held.by == "supervisor":
            log.warning("the terminal is out of service since %s (%s): staying so", held.since, held.reason)
            self.mode = "out_of_service"
        self._write_status()

    def _stop_orphan(self) -> None:
        """A role still writing its heartbeat belongs to no supervisor (the one before was killed without stopping
        it, as on Windows a killed process leaves its children): stop it, so that two never run at once."""
        alive = read_alive(self.settings.data_dir)
        written = timestamp(alive.at) if alive is not None else None
        if alive is None or written is None or alive.pid == os.getpid():
            return
        if time.time() - written > self.settings.supervisor_hang_s:
            return  # an old heartbeat: its writer is gone (or hung; its pid may be another's by now)
        log.warning("a role (pid %d) is running without a supervisor: stopping it", alive.pid)
        try:
            os.kill(alive.pid, signal.SIGTERM)  # (TerminateProcess on Windows)
        except OSError as exc:
            log.info("it could not be stopped (%s): it may have ended already", exc)
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _running(alive.pid):
            time.sleep(0.1)

    def step(self) -> None:
        now = time.monotonic()
        self._check_requests(now)
        if self.child is not None:
            code = self.child.poll()
            if code is not None:
                self._on_exit(code, now)
            else:
                self._watch(now)
        if self.mode == "out_of_service" and out_of_service(self.settings.data_dir) is None:
            self._back_in_service(now)
        if self.child is None and not self._stop.is_set() and now >= self.next_start:
            self._start()
        if self.mode == "out_of_service":
            self._sync_meanwhile(now)

    def _shutdown(self) -> None:
        for child in (self.child, self.sync_child):
            if child is not None:
                log.info("stopping the %s (pid %d)", child.what, child.pid)
                child.stop()
        self.child = self.sync_child = None
        log.info("supervisor stopped")
        self._write_status(stopped=True)

    # -- starting -----------------------------------------------------------------------------------------

    def _version(self) -> str:
        if self.layout is None:
            return running_version()
        state = self._install_state(fresh=True)
        if state is None:
            return running_version()
        return state.trying or state.current

    def _start(self) -> None:
        program = Program.of(self.layout, self._version())
        base = settings_args(self.settings, self.flags)
        if self.mode == "out_of_service":
            if self.window_given_up or not program.has_out_of_service_window():
                return  # syncing alone meanwhile (_sync_meanwhile)
            what, args = "out-of-service window", [OUT_OF_SERVICE_ENTRY, *settings_args(self.settings)]
        else:
            what, args = "role", [*base, "run"]
        clear_alive(self.settings.data_dir)
        try:
            self.child = Child(what, program, args, self.settings.log_dir, on_exit=self._wake.set)
        except OSError as exc:  # the version's executable is missing or cannot run: as good as a crash
            log.error("the %s of version %s could not be started: %s", what, program.version, exc)
            self._crashed(program.version, "crashed", None, 0.0, time.monotonic())
            return
        self.restarts += 1
        self._beat = self._beat_at = None
        self._alive = None
        self._idle_since = time.monotonic()
        self._write_status()

    def _stop_child(self, wait_s: float | None = None) -> None:
        if self.child is not None:
            child, self.child = self.child, None
            code = child.stop(wait_s) if wait_s is not None else child.stop()
            log.info("the %s (pid %d) stopped (exit code %s)", child.what, child.pid, code)

    # -- watching -----------------------------------------------------------------------------------------

    def _watch(self, now: float) -> None:
        child = self.child
        assert child is not None
        if child.what != "role":
            return  # the bare window has no heartbeat to judge
        alive = read_alive(self.settings.data_dir)
        if alive is not None and alive.pid == child.pid and (alive.pid, alive.seq) != self._beat:
            self._beat, self._beat_at, self._alive = (alive.pid, alive.seq), now, alive
            if alive.session_open:
                self._idle_since = None
            elif self._idle_since is None:
                self._idle_since = now
        hang_s = float(self.settings.supervisor_hang_s)
        since = self._beat_at if self._beat_at is not None else child.started_at
        # Before its first heartbeat the role is starting (the first frame comes first): give it longer.
        limit = hang_s if self._beat_at is not None else max(4 * hang_s, 60.0)
        if now - since > limit:
            log.error(
                "the role (pid %d) has not answered its heartbeat for %.0f s: it is hung; stopping it",
                child.pid,
                now - since,
            )
            self.child = None
            code = child.stop(HUNG_STOP_WAIT_S)
            self._crashed(child.program.version, "hung", None if code < 0 else code, child.up_for(), now)
            return
        if self.trial is not None and child.program.version == self.trial.version:
            self._judge_trial(now)
            if self.child is None:
                return
        self._maybe_maintain(now)
        if self.child is not None:
            self._maybe_update_when_idle(now)

    @property
    def session_open(self) -> bool:
        return self._alive is not None and self._alive.session_open

    def _judge_trial(self, now: float) -> None:
        trial = self.trial
        assert trial is not None and self.layout is not None
        judgement = judge(trial, self._alive)
        if judgement.verdict == "pass":
            commit(self.settings, self.layout, trial)
            self.trial = None
            self._state_read_at = -1e9
            self._write_status()
        elif judgement.verdict == "fail":
            self._give_up(judgement.reason, now)

    # -- exits and crashes --------------------------------------------------------------------------------

    def _on_exit(self, code: int, now: float) -> None:
        child = self.child
        assert child is not None
        self.child = None
        meaning = exit_codes.meaning(code)
        if meaning == "stop":
            log.info("the %s ended on purpose (exit code 0): the supervisor stops too", child.what)
            self._stop.set()
        elif meaning == "restart":
            log.info("the %s asked to be started again (exit code %d)", child.what, code)
            self.next_start = now
        elif meaning == "reboot":
            self._reboot(now)
        else:
            log.error("the %s (pid %d) crashed (exit code %d)", child.what, child.pid, code)
            self._crashed(child.program.version, "crashed", code, child.up_for(), now)
        self._write_status()

    def _crashed(
        self, version: str, what: Literal["crashed", "hung"], code: int | None, up_for: float, now: float
    ) -> None:
        self.last_crash_at = datetime.now(UTC).isoformat(timespec="seconds")
        report_crash(self.settings, version=version, what=what, exit_code=code)
        history = self.window_crashes if self.mode == "out_of_service" else self.crashes
        history.add(now)
        if history.in_loop(now):
            self._crash_loop(version, now)
        else:
            delay = self.backoff.after_crash(up_for)
            self.next_start = now + delay
            log.info(
                "starting it again in %.0f s (%d crashes in the last 10 minutes)", delay, history.recent(now)
            )
        self._write_status()

    def _crash_loop(self, version: str, now: float) -> None:
        if self.mode == "out_of_service":
            log.error(
                "the out-of-service window keeps crashing: given up; syncing alone every %d s",
                self.settings.sync_interval_s,
            )
            self.window_given_up = True
            return
        log.error("crash loop: %d crashes within 10 minutes (version %s)", self.crashes.count, version)
        report_crash(self.settings, version=version, what="crash_loop", exit_code=None)
        reason = f"crash loop: {self.crashes.count} crashes within 10 minutes"
        if self.trial is not None:
            self._give_up(reason, now)
            return
        previous = self._previous_to_go_back_to(now)
        if previous is not None and self.layout is not None:
            state = self._install_state(fresh=True)
            assert state is not None
            roll_back(self.settings, self.layout, version=state.current, to_version=previous, reason=reason)
            self._fresh_start(now)
            return
        take_out_of_service(self.settings.data_dir, "crash_loop", "supervisor")
        log.error("the terminal is out of service (暂停服务) until it is put back in service")
        self.mode = "out_of_service"
        self.window_given_up = False
        self.window_crashes.clear()
        self._fresh_start(now)

    def _previous_to_go_back_to(self, now: float) -> str | None:
        """The previous version, when the current one was committed within the crash loop's window (or just
        before its first crash) and the previous one is still installed."""
        if self.layout is None:
            return None
        state = self._install_state(fresh=True)
        if state is None or not state.previous or not state.committed_at:
            return None
        committed = timestamp(state.committed_at)
        if committed is None or time.time() - committed > 2 * self.crashes.window_s:
            return None
        if not self.layout.is_complete(state.previous):
            log.error("the previous version %s is no longer installed: cannot go back to it", state.previous)
            return None
        return state.previous

    def _give_up(self, reason: str, now: float) -> None:
        trial = self.trial
        assert trial is not None and self.layout is not None
        self._stop_child()
        roll_back(
            self.settings, self.layout, version=trial.version, to_version=trial.from_version, reason=reason
        )
        self.trial = None
        self._fresh_start(now)

    def _fresh_start(self, now: float) -> None:
        self.crashes.clear()
        self.backoff.reset()
        self._state_read_at = -1e9
        self.next_start = now
        self._write_status()

    def _reboot(self, now: float) -> None:
        self.reboot_requested_at = datetime.now(UTC).isoformat(timespec="seconds")
        if self.settings.supervisor_reboot == "off":
            log.warning("a restart of the machine was asked for; supervisor_reboot = off: not restarting it")
            self.next_start = now
            return
        command = REBOOT_COMMANDS.get(sys.platform, REBOOT_COMMAND_POSIX)
        log.warning("restarting the machine, as asked: %s", " ".join(command))
        try:
            done = subprocess.run(command, capture_output=True, timeout=30, check=False)
            if done.returncode != 0:
                log.error("the restart command failed (%d): %s", done.returncode, done.stderr[-500:])
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.error("the restart command could not run: %s", exc)
        self.next_start = now + 60.0  # if the machine has not gone down by then, serve again

    # -- out of service -----------------------------------------------------------------------------------

    def _back_in_service(self, now: float) -> None:
        log.warning("back in service: starting the role again")
        self._stop_child()
        if self.sync_child is not None:
            self.sync_child.stop()
            self.sync_child = None
        self.mode = "role"
        self._fresh_start(now)

    def _sync_meanwhile(self, now: float) -> None:
        """While the bare window cannot run: ``kiosk sync once`` every ``sync_interval_s``, so the center still
        gets the reports and its commands (back in service) still arrive."""
        if self.child is not None or not self.settings.center_url:
            return
        if self.sync_child is not None:
            code = self.sync_child.poll()
            if code is None and self.sync_child.up_for() > SYNC_MAX_S:
                log.error("kiosk sync once has run for %.0f s: stopped", self.sync_child.up_for())
                code = self.sync_child.kill()
            if code is None:
                return
            log.info("kiosk sync once ended (exit code %d)", code)
            self.sync_child = None
        if now >= self.next_sync:
            program = Program.of(self.layout, self._version())
            args = [*settings_args(self.settings, self.flags), "sync", "once"]
            try:
                self.sync_child = Child("sync", program, args, self.settings.log_dir)
            except OSError as exc:
                log.error("kiosk sync once could not be started: %s", exc)
            self.next_sync = now + max(30, self.settings.sync_interval_s)

    # -- maintenance and updates --------------------------------------------------------------------------

    def _check_requests(self, now: float) -> None:
        data = self.settings.data_dir
        request = switch_request_path(data)
        if request.exists() and not self.session_open:  # never in the middle of a citizen's session
            raw = read_object(request)
            log.info("asked to switch to the staged version now (%s)", (raw or {}).get("version"))
            try:
                self._apply_staged(now, "asked by kiosk update apply")
            finally:
                # Only once the trial is written (or refused): the asker watches for the request to go, then
                # reads the install state, and must not find the request gone and the version still staged.
                request.unlink(missing_ok=True)
        maintenance = request.with_name(MAINTENANCE_REQUEST_FILE)
        if maintenance.exists() and not self.session_open:
            maintenance.unlink(missing_ok=True)
            log.info("asked to run the maintenance now")
            self._maintain(now)

    def _maybe_maintain(self, now: float) -> None:
        moment = self.wall()
        if not self.window.contains(moment):
            return
        day = self.window.day_of(moment)
        if last_day(self.settings) == day:
            return
        if self.session_open:
            if self._skipped_day != day:
                self._skipped_day = day
                log.info("maintenance window: a citizen's session is open; waiting for it to end")
            return
        log.info("maintenance window %s: stopping the role for the daily maintenance", self.window)
        self._maintain(now, day)

    def _maintain(self, now: float, day: Any = None) -> None:
        self._stop_child()
        run_maintenance(self.settings, day or self.window.day_of(self.wall()))
        self.next_start = now
        state = self._install_state(fresh=True)
        if state is not None and state.staged and self.trial is None:
            self._apply_staged(now, "maintenance window")
        self._write_status()

    def _maybe_update_when_idle(self, now: float) -> None:
        idle_s = self.settings.update_when_idle_s
        if not idle_s or self.trial is not None or self._idle_since is None:
            return
        if now - self._idle_since < idle_s:
            return
        state = self._install_state()
        if state is not None and state.staged and state.staged not in state.failed:
            log.info(
                "no session for %.0f s: switching to the staged version %s",
                now - self._idle_since,
                state.staged,
            )
            self._apply_staged(now, "idle")

    def _apply_staged(self, now: float, why: str) -> None:
        if self.layout is None:
            log.error("a staged version cannot be switched to: there is no install layout")
            return
        if self.trial is not None:
            log.info("version %s is already on trial", self.trial.version)
            return
        try:  # checked before the role is stopped: a version that cannot run costs the citizen nothing
            version = check_staged(self.layout, self._install_state(fresh=True))
        except SwitchRefused as exc:
            if self._refused != str(exc):
                self._refused = str(exc)
                log.error("switching to the staged version refused (%s): %s", why, exc)
            return
        log.info("switching to the staged version %s (%s)", version, why)
        devices = devices_ok_now(self.settings)  # the running version's last heartbeat (kept after it stops)
        self._stop_child()
        try:
            self.trial = begin_trial(self.settings, self.layout, devices)
        except SwitchRefused as exc:
            log.error("switching to the staged version refused (%s): %s", why, exc)
        self._fresh_start(now)

    def _install_state(self, *, fresh: bool = False) -> InstallState | None:
        if self.layout is None:
            return None
        now = time.monotonic()
        if fresh or now - self._state_read_at > 2.0:
            self._state = read_state(self.layout)
            self._state_read_at = now
        return self._state

    # -- status -------------------------------------------------------------------------------------------

    def _write_status(self, *, stopped: bool = False) -> None:
        child = self.child
        status = {
            "pid": _pid(),
            "started_at": self._started_at,
            "mode": "stopped" if stopped else self.mode,
            "child": None
            if child is None
            else {"what": child.what, "pid": child.pid, "version": child.program.version},
            "trial": self.trial.version if self.trial is not None else None,
            "starts": self.restarts,
            "crashes_recent": self.crashes.recent(time.monotonic()),
            "last_crash_at": self.last_crash_at,
            "reboot_requested_at": self.reboot_requested_at,
        }
        try:
            write_status(self.settings.data_dir, status)
        except OSError as exc:
            log.warning("the supervisor's status could not be written: %s", exc)


def _first_version(layout: InstallLayout) -> str:
    """The version to start when the install state is missing: this program's own if it is installed there, else
    the newest installed."""
    mine = running_version()
    installed = layout.installed()
    if mine in installed or not installed:
        return mine

    def key(version: str) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", version))

    return max(installed, key=key)


def _pid() -> int:
    return os.getpid()


def _running(pid: int) -> bool:
    if sys.platform == "win32":
        return False  # TerminateProcess does not return before the process is ending
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    try:  # a child of ours that ended is a zombie until reaped (not the case for an orphan, but be exact)
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True
