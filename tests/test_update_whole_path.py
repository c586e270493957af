"""The whole path of a signed update, with real processes: releases of a small bundle published to a TUF
repository, a reference center serving it (``kiosk center serve --updates``), a terminal under ``kiosk supervise``
that takes the release (``kiosk update apply``: download, verify, stage beside the running version, switch),
passes its health check and keeps it; a later release whose health check fails is given up by itself.

The bundles hold the supervisor tests' stand-in program (tests/supervised/child.py) behind a launcher script, and
say how they behave (behaviour.json), as a real version would by working or not.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.bench.update_bench import CenterProcess
from kiosk.ops.layout import InstallLayout, InstallState, write_state
from kiosk.release.repository import add_bundle, init_repository, publish
from tests.supervisor_support import CHILD, Supervised, state_of

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the stand-in bundles are shell scripts")

DEVICES_OK = {"ticket": "ok", "a4": "ok"}


def make_bundle(folder: Path, version: str, **behaviour: object) -> Path:
    folder.mkdir(parents=True)
    (folder / "behaviour.json").write_text(json.dumps({"mode": "ok", **behaviour}), encoding="utf-8")
    (folder / "VERSION").write_text(version + "\n", encoding="utf-8")
    launcher = folder / "kiosk"
    launcher.write_text(
        f'#!/bin/sh\nexport KIOSK_BUNDLE_DIR="$(dirname "$0")"\nexec "{sys.executable}" "{CHILD}" "$@"\n',
        encoding="utf-8",
    )
    launcher.chmod(0o755)
    return folder


def test_a_published_release_is_taken_kept_and_a_failing_one_given_up(tmp_path: Path) -> None:
    repo, root, data = tmp_path / "repo", tmp_path / "install", tmp_path / "data"
    init_repository(repo)
    first = make_bundle(tmp_path / "b-1.0.0", "1.0.0", devices=DEVICES_OK)
    add_bundle(repo, first, "1.0.0")
    publish(repo)
    add_bundle(repo, make_bundle(tmp_path / "b-1.1.0", "1.1.0", devices=DEVICES_OK), "1.1.0")
    publish(repo)
    # The terminal as the installer left it: 1.0.0 in its folder, trusting the repository's root.
    layout = InstallLayout(root)
    shutil.copytree(first, layout.version_dir("1.0.0"))
    layout.mark_complete("1.0.0")
    write_state(layout, InstallState(current="1.0.0"))
    center = CenterProcess(tmp_path / "center", repo)
    settings = {
        "install_root": root,
        "update_url": f"{center.url}/updates",
        "update_root": repo / "metadata" / "root.json",
        "update_health_s": 6,
        "update_when_idle_s": 0,
    }

    def kiosk_update(*args: str) -> subprocess.CompletedProcess[str]:
        flags = [
            arg for name, value in settings.items() for arg in (f"--{name.replace('_', '-')}", str(value))
        ]
        return subprocess.run(
            [sys.executable, "-m", "kiosk", "--data-dir", str(data), *flags, "update", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )

    try:
        with Supervised(data, **settings) as supervised:
            supervised.wait_alive(version="1.0.0")
            time.sleep(0.5)  # a few heartbeats: the devices that work now

            applied = kiosk_update("apply", "--json")
            assert applied.returncode == 0, applied.stderr
            answer = json.loads(applied.stdout)
            assert (answer["staged"], answer["switch"]) == ("1.1.0", "committed")
            state = state_of(root)
            assert state is not None and (state.current, state.previous) == ("1.1.0", "1.0.0")
            assert supervised.wait_alive(version="1.1.0").version == "1.1.0"
            assert sorted(layout.installed()) == ["1.0.0", "1.1.0"]  # side by side

            # A release that loses the ticket printer: its health check fails and the terminal goes back.
            add_bundle(
                repo,
                make_bundle(tmp_path / "b-1.2.0", "1.2.0", devices={"ticket": "offline", "a4": "ok"}),
                "1.2.0",
            )
            publish(repo)
            time.sleep(0.5)
            applied = kiosk_update("apply", "--json")
            assert applied.returncode != 0
            assert json.loads(applied.stdout)["switch"] == "rolled_back"
            state = state_of(root)
            assert state is not None and state.current == "1.1.0" and "1.2.0" in state.failed
            assert supervised.wait_alive(version="1.1.0").version == "1.1.0"

            checked = json.loads(kiosk_update("check", "--json").stdout)
            assert (checked["current"], checked["available"]) == ("1.1.0", None)  # never taken again

            outcomes = [(r.payload["outcome"], r.payload["version"]) for r in supervised.reports("update")]
            assert outcomes == [
                ("staged", "1.1.0"),
                ("committed", "1.1.0"),
                ("staged", "1.2.0"),
                ("rolled_back", "1.2.0"),
            ]
    finally:
        center.stop()
