"""A supervised terminal for tests: an install layout of stand-in versions (tests/supervised/child.py, each with
its behaviour), and ``kiosk supervise`` as a real process over it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.ops.alive import Alive, read_alive
from kiosk.ops.layout import InstallLayout, InstallState, read_state, write_state
from kiosk.ops.reports import Report, pending

CHILD = Path(__file__).parent / "supervised" / "child.py"


def add_version(layout: InstallLayout, version: str, **behaviour: Any) -> None:
    """A complete version folder whose executable runs the stand-in with ``behaviour``."""
    folder = layout.version_dir(version)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "behaviour.json").write_text(json.dumps({"mode": "ok", **behaviour}), encoding="utf-8")
    launcher = layout.executable(version)
    launcher.write_text(
        f'#!/bin/sh\nexport KIOSK_BUNDLE_DIR="$(dirname "$0")"\nexec "{sys.executable}" "{CHILD}" "$@"\n',
        encoding="utf-8",
    )
    launcher.chmod(0o755)
    layout.mark_complete(version)


def add_real_version(layout: InstallLayout, version: str) -> None:
    """A version folder whose executable is this program itself (``python -m kiosk``)."""
    folder = layout.version_dir(version)
    folder.mkdir(parents=True, exist_ok=True)
    launcher = layout.executable(version)
    launcher.write_text(
        f'#!/bin/sh\nexport KIOSK_BUNDLE_DIR="$(dirname "$0")"\nexec "{sys.executable}" -m kiosk "$@"\n',
        encoding="utf-8",
    )
    launcher.chmod(0o755)
    layout.mark_complete(version)


def install(root: Path, current: str, **state: Any) -> InstallLayout:
    layout = InstallLayout(root)
    write_state(layout, InstallState(current=current, **state))
    return layout


class Supervised:
    """``kiosk supervise`` running over a data directory (and an install layout), stopped at the end."""

    def __init__(self, data_dir: Path, install_root: Path | None = None, **settings: Any) -> None:
        self.data_dir = data_dir
        values = {"supervisor_hang_s": 30, "maintenance_window": _far_window(), **settings}
        if install_root is not None:
            values["install_root"] = install_root
        flags = [arg for name, value in values.items() for arg in (f"--{name.replace('_', '-')}", str(value))]
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        env.pop("KIOSK_BUNDLE_DIR", None)
        data_dir.mkdir(parents=True, exist_ok=True)
        self._stderr = (data_dir.parent / f"{data_dir.name}-supervisor-stderr.txt").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), *flags, "supervise"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,  # a file: a pipe nobody reads could fill and stop it
            env=env,
        )

    def __enter__(self) -> Supervised:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stderr.close()
        return self.process.returncode

    def alive(self) -> Alive | None:
        return read_alive(self.data_dir)

    def wait_alive(
        self, timeout: float = 30.0, *, other_than: int | None = None, version: str | None = None
    ) -> Alive:
        def beat() -> Alive | None:
            alive = self.alive()
            if alive is None or alive.pid == other_than or (version and alive.version != version):
                return None
            return alive if _pid_alive(alive.pid) else None

        return wait_for(beat, timeout, f"a heartbeat (other than pid {other_than}, version {version})", self)

    def log(self) -> str:
        path = self.data_dir / "logs" / "supervisor.log"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def reports(self, kind: str) -> list[Report]:
        return [r for r in pending(self.data_dir, limit=500) if r.kind == kind]

    def runs(self) -> list[str]:
        """What the stand-in versions ran, oldest first: "<version>-<run|sync|out-of-service>"."""
        folder = self.data_dir / "runs"
        names = sorted(folder.iterdir()) if folder.exists() else []
        return [p.name.split("-", 2)[2] for p in names]


def wait_for(
    found: Callable[[], Any], timeout: float, what: str, supervised: Supervised | None = None
) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        if supervised is not None and supervised.process.poll() is not None:
            raise AssertionError(
                f"the supervisor ended ({supervised.process.returncode}) while waiting for {what}:\n"
                f"{supervised.log()[-3000:]}"
            )
        time.sleep(0.1)
    log = supervised.log()[-3000:] if supervised is not None else ""
    raise AssertionError(f"no {what} within {timeout} s\n{log}")


def state_of(root: Path) -> InstallState | None:
    return read_state(InstallLayout(root))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _far_window() -> str:
    """A maintenance window twelve hours away, so it does not open during a test."""
    hour = (time.localtime().tm_hour + 12) % 24
    return f"{hour:02d}:00-{hour:02d}:30"
