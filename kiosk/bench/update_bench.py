"""``kiosk bench update``: what a signed update costs a terminal.

(a) Bytes: a patch release (the program's code changed, its libraries not) published to a repository that a real
    reference center serves (``kiosk center serve --updates``, a process on 127.0.0.1); a terminal running the
    release before it, with that release's archive kept from its own update, stages the new one. The bytes it
    downloaded (the bsdiff patch and the metadata) against the new release's whole archive; goal <= 10 %. A
    terminal without the old archive downloads the whole archive, measured too.
(b) Time: from ``kiosk release publish`` starting to the release staged on the terminal (publish, then one check:
    metadata, patch, verification, patching, unpacking). A terminal polling every 60 s adds at most 60 s of
    waiting before its check.
(c) Time: from publish to committed on a terminal running the real program (this one, behind launcher scripts
    as versions 1.0.0 and 1.0.1) under ``kiosk supervise``: the check that stages it, the supervisor's switch
    (database backup, the old role stopped, the new one started) and the health check (first frame, migrations,
    the devices that worked before). Polling every 60 s adds at most 60 s; goal <= 2 minutes plus the
    maintenance wait (here the switch is asked for at once, as ``kiosk update apply`` does).

The bundle: ``--bundle DIR``, else the frozen bundle in build/dist/kiosk when it was built, else a stand-in (the
Qt libraries the program loads and the program's own sources, about 35 MB). The patch release changes the
bundle's VERSION, 64 KiB of its executable's end (where PyInstaller keeps the program's own modules) and five
source files, as a release that fixes the program's code does.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.program import program_command

GOAL_PATCH_RATIO = 0.10


class BenchError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class UpdateFigures:
    bundle: str
    bundle_bytes: int
    archive_bytes: int
    patch_bytes: int
    downloaded_patch_release: int  # what the terminal with the old archive downloaded (patch + metadata)
    downloaded_full: int  # what a terminal without it downloaded (archive + metadata)
    patch_ratio: float  # downloaded_patch_release / archive_bytes
    add_s: float  # kiosk release add (archive and bsdiff patch)
    publish_s: float
    stage_patch_s: float  # one check that stages the patch release
    publish_to_staged_s: float  # publish + that check
    with_60s_poll_s: float  # the same plus the worst wait of a terminal polling every 60 s
    # The real program (this one, behind a launcher) under kiosk supervise: publish to the new version committed
    # after its health check; None where it cannot run (Windows: the launcher is a shell script).
    publish_to_committed_s: float | None = None
    committed_with_60s_poll_s: float | None = None
    # Measured: the terminal's own check every poll_s seconds, the switch when idle (None: not run).
    poll_s: int = 0
    publish_to_committed_polling_s: float | None = None
    goal_patch_ratio: float = GOAL_PATCH_RATIO


def default_bundle() -> Path | None:
    built = Path(__file__).resolve().parents[2] / "build" / "dist" / "kiosk"
    return built if (built / "_internal").is_dir() else None


def _stand_in(into: Path) -> Path:
    """A bundle-shaped folder: the Qt libraries the program loads, the program's sources and resources."""
    import importlib.util

    import kiosk

    into.mkdir(parents=True)
    spec = importlib.util.find_spec("PySide6")  # found, not loaded
    qt_lib = Path(spec.origin if spec and spec.origin else ".").parent / "Qt" / "lib"
    lib = into / "_internal"
    lib.mkdir()
    for name in ("libQt6Core.so.6", "libQt6Gui.so.6", "libQt6Qml.so.6", "libQt6Quick.so.6"):
        if (qt_lib / name).exists():
            shutil.copy(qt_lib / name, lib / name)
    source = Path(kiosk.__file__).parent
    shutil.copytree(source, lib / "kiosk", ignore=shutil.ignore_patterns("__pycache__"))
    resources = source.parent / "resources"
    if resources.is_dir():
        shutil.copytree(resources, lib / "resources")
    (into / "kiosk").write_bytes(random.Random(1).randbytes(4 * 1024 * 1024))  # stands for the executable
    (into / "kiosk").chmod(0o755)
    return into


def _patch_release(old: Path, new: Path, version: str) -> None:
    """``new``: ``old`` with the changes of a release that fixes the program's code."""
    shutil.copytree(old, new, symlinks=True)
    (new / "VERSION").write_text(version + "\n", encoding="utf-8")
    rng = random.Random(version)
    for name in ("kiosk", "kiosk.exe"):
        exe = new / name
        if exe.is_file():
            data = bytearray(exe.read_bytes())
            tail = max(0, len(data) - 2 * 1024 * 1024)
            for _ in range(16):
                at = rng.randrange(tail, max(tail + 1, len(data) - 4096))
                data[at : at + 4096] = rng.randbytes(4096)
            exe.write_bytes(bytes(data) + rng.randbytes(8192))
    sources = sorted(new.rglob("*.py"))[:5]
    for path in sources:
        with path.open("a", encoding="utf-8") as out:
            out.write(f"\n# release {version}\n")


class CenterProcess:
    """``kiosk center serve --updates REPO`` on a free port of 127.0.0.1."""

    def __init__(self, data_dir: Path, repo: Path) -> None:
        command = program_command(
            "--data-dir", str(data_dir), "center", "serve", "--port", "0", "--updates", str(repo)
        )
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        deadline = time.monotonic() + 60
        self.url = ""
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if "serving http://" in line:
                self.url = line.split("serving ", 1)[1].split()[0]
                break
        if not self.url:
            self.stop()
            raise BenchError("the reference center did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _terminal(root: Path, bundle: Path, version: str, archive: Path | None) -> Any:
    from kiosk.ops.layout import InstallLayout, InstallState, write_state

    layout = InstallLayout(root / "install")
    shutil.copytree(bundle, layout.version_dir(version), symlinks=True)
    layout.mark_complete(version)
    write_state(layout, InstallState(current=version))
    if archive is not None:
        layout.downloads_dir.mkdir(parents=True)
        shutil.copy(archive, layout.downloads_dir)
    (root / "data").mkdir()
    return layout


def _source(root: Path, layout: Any, url: str, repo: Path) -> Any:
    from kiosk.updates.client import UpdateSource

    return UpdateSource(
        url=f"{url}/updates", root=repo / "metadata" / "root.json", layout=layout, data_dir=root / "data"
    )


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


_ROLE_FLAGS = (
    "--fullscreen",
    "false",
    "--idcard-driver",
    "simulator",
    "--sscard-driver",
    "none",
    "--scanner",
    "none",
)


def _program_bundle(folder: Path, version: str) -> Path:
    """A release of the program running this benchmark: a launcher script and its VERSION."""
    import shlex

    folder.mkdir(parents=True)
    (folder / "VERSION").write_text(version + "\n", encoding="utf-8")
    command = " ".join(shlex.quote(part) for part in program_command())
    launcher = folder / "kiosk"
    launcher.write_text(
        f'#!/bin/sh\nexport KIOSK_BUNDLE_DIR="$(dirname "$0")"\nexec {command} "$@"\n', encoding="utf-8"
    )
    launcher.chmod(0o755)
    return folder


def _publish_to_committed(work: Path, poll_s: int = 0) -> float:
    """Seconds from ``kiosk release publish`` to the new version committed on a supervised terminal running the
    real program: the check that stages it, the supervisor's switch (database backup, the old role stopped, the
    new one started) and its health check (first frame, migrations, devices).

    ``poll_s`` 0: the check and the switch are asked for at once (the work alone). Otherwise the terminal's own
    background check runs every ``poll_s`` seconds and the supervisor switches once the terminal is idle; the
    release is published at a random moment of the check's cycle, as it would be in the field."""
    import os
    import random

    from kiosk.config import load_settings
    from kiosk.ops.alive import read_alive
    from kiosk.ops.layout import read_state
    from kiosk.release.repository import add_bundle, init_repository, publish
    from kiosk.supervisor.switch import switch_to_staged
    from kiosk.updates.client import stage, update_source

    repo, root, data = work / "repo", work / "install", work / "data"
    init_repository(repo)
    add_bundle(repo, _program_bundle(work / "r1", "1.0.0"), "1.0.0")
    publish(repo)
    add_bundle(repo, _program_bundle(work / "r2", "1.0.1"), "1.0.1")
    layout = _terminal(work, work / "r1", "1.0.0", repo / "targets" / "kiosk-1.0.0.tar.gz")
    center = CenterProcess(work / "center", repo)
    values = {
        "install_root": str(root),
        "update_url": f"{center.url}/updates",
        "update_root": str(repo / "metadata" / "root.json"),
        "update_when_idle_s": "1" if poll_s else "0",
        "update_check_s": str(poll_s or 3600),
    }
    env = dict(os.environ)
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("KIOSK_BUNDLE_DIR", None)
    flags = [arg for name, value in values.items() for arg in (f"--{name.replace('_', '-')}", value)]
    supervisor = subprocess.Popen(
        program_command("--data-dir", str(data), *_ROLE_FLAGS, *flags, "supervise"),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while True:  # the running version up, its health probed (the devices that work now)
            alive = read_alive(data)
            if alive is not None and alive.first_frame_at and alive.health.devices:
                break
            if time.monotonic() > deadline or supervisor.poll() is not None:
                raise BenchError(f"the supervised terminal did not come up; see {data}/logs/supervisor.log")
            time.sleep(0.1)
        time.sleep(1.0)
        settings = load_settings(data_dir=data, overrides=values, environ={})
        if poll_s:  # the terminal's first check done (a minute after its start), then a random moment
            last_check = layout.root / "last-check.json"
            while not last_check.exists():
                if time.monotonic() > deadline + 120 or supervisor.poll() is not None:
                    raise BenchError(f"the terminal made no update check; see {data}/logs/kiosk.log")
                time.sleep(0.2)
            time.sleep(random.uniform(0, poll_s))
        started = time.perf_counter()
        publish(repo)
        if not poll_s:
            staged = stage(update_source(settings))
            if staged.staged != "1.0.1":
                raise BenchError(f"the release was not staged: {staged}")
            switch_to_staged(settings, layout, wait=False)  # asks the running supervisor
        deadline = time.monotonic() + settings.update_health_s + 120 + poll_s
        while time.monotonic() < deadline:
            state = read_state(layout)
            if state is not None and "1.0.1" in state.failed:
                raise BenchError(f"the release was rolled back: {state.failed['1.0.1']}")
            if state is not None and state.current == "1.0.1" and state.trying is None:
                return time.perf_counter() - started
            time.sleep(0.05)
        raise BenchError(f"the release was not committed in time; see {data}/logs/supervisor.log")
    finally:
        supervisor.terminate()
        try:
            supervisor.wait(60)
        except subprocess.TimeoutExpired:
            supervisor.kill()
            supervisor.wait()
        center.stop()


def run(bundle: Path | None = None, *, stand_in: bool = False, poll_s: int = 60) -> UpdateFigures:
    from kiosk.release.repository import add_bundle, init_repository, publish
    from kiosk.updates.client import stage

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-update-") as tmp:
        work = Path(tmp)
        chosen = bundle or (None if stand_in else default_bundle())
        old = chosen or _stand_in(work / "stand-in")
        shown = str(chosen or "stand-in (Qt libraries and the program's sources)")
        v1, v2 = "1.0.0", "1.0.1"
        old_copy = work / "b1"
        shutil.copytree(old, old_copy, symlinks=True)
        (old_copy / "VERSION").write_text(v1 + "\n", encoding="utf-8")
        _patch_release(old_copy, work / "b2", v2)
        repo = work / "repo"
        init_repository(repo)
        add_bundle(repo, old_copy, v1)
        publish(repo)
        started = time.perf_counter()
        added = add_bundle(repo, work / "b2", v2)
        add_s = time.perf_counter() - started
        center = CenterProcess(work / "center", repo)
        try:
            patched = _terminal(work / "t1", old_copy, v1, repo / "targets" / f"kiosk-{v1}.tar.gz")
            started = time.perf_counter()
            publish(repo)
            publish_s = time.perf_counter() - started
            started = time.perf_counter()
            result = stage(_source(work / "t1", patched, center.url, repo))
            stage_s = time.perf_counter() - started
            if result.staged != v2 or not result.patch:
                raise BenchError(f"the patch release was not staged from its patch: {result}")
            full = _terminal(work / "t2", old_copy, v1, None)
            whole = stage(_source(work / "t2", full, center.url, repo))
            if whole.staged != v2:
                raise BenchError(f"the whole archive was not staged: {whole}")
        finally:
            center.stop()
        committed: float | None = None
        polled: float | None = None
        if sys.platform != "win32":
            committed = _publish_to_committed(work / "supervised")
            if poll_s:
                polled = _publish_to_committed(work / "polling", poll_s)
        return UpdateFigures(
            bundle=shown,
            bundle_bytes=_size(old_copy),
            archive_bytes=added.archive_bytes,
            patch_bytes=added.patch_bytes or 0,
            downloaded_patch_release=result.downloaded_bytes,
            downloaded_full=whole.downloaded_bytes,
            patch_ratio=result.downloaded_bytes / added.archive_bytes,
            add_s=add_s,
            publish_s=publish_s,
            stage_patch_s=stage_s,
            publish_to_staged_s=publish_s + stage_s,
            with_60s_poll_s=publish_s + 60.0 + stage_s,
            publish_to_committed_s=committed,
            committed_with_60s_poll_s=None if committed is None else committed + 60.0,
            poll_s=poll_s,
            publish_to_committed_polling_s=polled,
        )


def _mib(n: int) -> str:
    return f"{n / 1048576:.1f} MiB" if n >= 1048576 else f"{n / 1024:.1f} KiB"


def print_report(f: UpdateFigures) -> None:
    print(f"bundle: {f.bundle} ({_mib(f.bundle_bytes)})")
    print(f"release add (archive + bsdiff patch): {f.add_s:.1f} s")
    print(f"archive {_mib(f.archive_bytes)}, patch {_mib(f.patch_bytes)}")
    print(
        f"patch release downloaded: {_mib(f.downloaded_patch_release)} = {f.patch_ratio:.1%} of the archive "
        f"(goal <= {f.goal_patch_ratio:.0%}: {'met' if f.patch_ratio <= f.goal_patch_ratio else 'NOT met'}); "
        f"without the old archive: {_mib(f.downloaded_full)}"
    )
    print(
        f"publish {f.publish_s:.2f} s + one check that stages it {f.stage_patch_s:.2f} s = "
        f"{f.publish_to_staged_s:.2f} s; polling every 60 s: at most {f.with_60s_poll_s:.0f} s to staged, "
        "then the supervisor's switch and the health check"
    )
    if f.publish_to_committed_s is not None and f.committed_with_60s_poll_s is not None:
        print(
            f"the real program under kiosk supervise: publish to committed {f.publish_to_committed_s:.1f} s "
            f"(check, switch, health check); polling every 60 s: at most {f.committed_with_60s_poll_s:.0f} s "
            "(goal <= 120 s plus the maintenance wait)"
        )
    if f.publish_to_committed_polling_s is not None:
        met = "met" if f.publish_to_committed_polling_s <= 120 else "NOT met"
        print(
            f"measured with the terminal's own check every {f.poll_s} s and the switch when idle, published at a "
            f"random moment of its cycle: publish to committed {f.publish_to_committed_polling_s:.1f} s "
            f"(goal <= 120 s plus the maintenance wait: {met})"
        )
    print("(one run on a shared machine: read the figures as an order of magnitude)", file=sys.stderr)
