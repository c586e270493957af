"""The processes the supervisor runs: the role (``kiosk run``), the bare out-of-service window, and ``kiosk sync
once`` while neither can run. Each is the executable of one installed version (``kiosk.ops.layout``), or, in a
run from source without an install layout, this program again (``kiosk.program.program_command``).

The child's own output (a crash's last words: a fault in Qt, a traceback before the log was set up) goes to
``logs/role-output.log``, whose last lines go into the crash report.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Settings
from kiosk.ops.layout import BUNDLE_DIR_ENV, InstallLayout
from kiosk.program import HIDDEN_ENTRIES, program_command

log = logging.getLogger(__name__)

OUTPUT_FILE = "role-output.log"
OUTPUT_MAX_BYTES = 1_000_000
OUT_OF_SERVICE_ENTRY = "_out-of-service"  # the bare 暂停服务 window (kiosk/program.py HIDDEN_ENTRIES)
STOP_WAIT_S = 10.0


@dataclass(frozen=True, slots=True)
class Program:
    """How to start one version of the program: its executable's command line before the arguments."""

    command: tuple[str, ...]
    version: str

    @classmethod
    def of(cls, layout: InstallLayout | None, version: str) -> Program:
        if layout is None:
            return cls(tuple(program_command()), version)
        return cls((str(layout.executable(version)),), version)

    def has_out_of_service_window(self) -> bool:
        # Only this program's own entries are known; another version's executable is taken to have what this
        # one has (the bare window came with the supervisor).
        return OUT_OF_SERVICE_ENTRY in HIDDEN_ENTRIES


def settings_args(settings: Settings, flags: Sequence[str] = ()) -> list[str]:
    """The arguments that give a child the supervisor's own settings: its data directory, its settings file and
    the settings flags it was started with (the environment passes on by itself)."""
    args = ["--data-dir", str(settings.data_dir)]
    if settings.config_path is not None:
        args += ["--config", str(settings.config_path)]
    return [*args, *flags]


class Child:
    """One started process: its pid, how long it has run, and stopping it (terminate, then kill)."""

    def __init__(
        self,
        what: str,
        program: Program,
        args: Sequence[str],
        log_dir: Path,
        on_exit: Callable[[], None] | None = None,
    ) -> None:
        """Start it; ``on_exit`` is called (on a thread of its own) the moment it ends, so that the supervisor
        starts it again without waiting for its next look."""
        self.what = what  # "role", "out-of-service window", "sync"
        self.program = program
        self.command = [*program.command, *args]
        self.started_at = time.monotonic()
        self.started_wall = time.time()
        env = dict(os.environ)
        if len(program.command) == 1:
            env.pop(BUNDLE_DIR_ENV, None)  # another version's executable says where its bundle is itself
        output = _output_file(log_dir)
        options: dict[str, object] = {}
        if sys.platform == "win32":
            options["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
        else:
            options["start_new_session"] = True  # the supervisor alone decides when it stops
        with output.open("ab") as out:
            out.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} {what} {program.version} ---\n".encode())
            out.flush()
            self._popen = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                **options,  # type: ignore[call-overload]
            )
        self.pid = self._popen.pid
        if on_exit is not None:
            threading.Thread(target=self._wait, args=(on_exit,), name=f"wait-{self.pid}", daemon=True).start()
        log.info("started the %s, version %s (pid %d)", what, program.version, self.pid)

    def _wait(self, on_exit: Callable[[], None]) -> None:
        self._popen.wait()
        on_exit()

    def poll(self) -> int | None:
        return self._popen.poll()

    def up_for(self) -> float:
        return time.monotonic() - self.started_at

    def stop(self, wait_s: float = STOP_WAIT_S) -> int:
        """Ask it to end, then kill it if it has not within ``wait_s``; its exit code."""
        code = self._popen.poll()
        if code is not None:
            return code
        self._popen.terminate()
        try:
            return self._popen.wait(wait_s)
        except subprocess.TimeoutExpired:
            log.warning("the %s (pid %d) did not end within %.0f s: killed", self.what, self.pid, wait_s)
        self._popen.kill()
        return self._popen.wait()

    def kill(self) -> int:
        if self._popen.poll() is None:
            self._popen.kill()
        return self._popen.wait()


def _output_file(log_dir: Path) -> Path:
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / OUTPUT_FILE
    try:
        if path.stat().st_size > OUTPUT_MAX_BYTES:
            os.replace(path, path.with_name(OUTPUT_FILE + ".1"))
    except FileNotFoundError:
        pass
    return path


def output_tail(log_dir: Path, lines: int = 20) -> list[str]:
    """The last lines the role's processes wrote to their output."""
    path = log_dir / OUTPUT_FILE
    try:
        with path.open("rb") as fh:
            fh.seek(0, 2)
            fh.seek(max(0, fh.tell() - 64 * 1024))
            return fh.read().decode("utf-8", errors="replace").splitlines()[-lines:]
    except FileNotFoundError:
        return []
