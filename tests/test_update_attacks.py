"""Signed updates: a terminal stages a verified release beside the running one, and refuses each of TUF's
attacks, reporting it and leaving the running version untouched.

Real parts: a TUF repository made with ``kiosk.release`` (real keys, real archives and bsdiff patches), served by
a static file server process on 127.0.0.1 (tests/update_server.py: Range requests, and endless data on request),
and the terminal's install layout in a temporary folder.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tarfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.config import Settings, load_settings
from kiosk.ops import reports
from kiosk.ops.layout import InstallLayout, InstallState, read_state, write_state
from kiosk.ops.target import Target, write_target
from kiosk.release.repository import add_bundle, init_repository, publish, refresh
from kiosk.updates.client import StageResult, check, stage, update_source

SERVER = Path(__file__).with_name("update_server.py")


def make_bundle(folder: Path, version: str, payload: bytes) -> Path:
    """A small bundle: a launcher, its VERSION and a payload that changes a little from release to release."""
    folder.mkdir(parents=True)
    (folder / "kiosk").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    (folder / "kiosk").chmod(0o755)
    (folder / "VERSION").write_text(version + "\n", encoding="utf-8")
    (folder / "lib.bin").write_bytes(payload)
    return folder


def payload(version: str) -> bytes:
    """256 KiB that do not compress (as a program's libraries hardly do), the same in every release but for a
    few bytes."""
    return random.Random(7).randbytes(256 * 1024) + version.encode() * 64


@dataclass
class Fleet:
    repo: Path
    site: Path  # what the server serves: site/metadata, site/targets
    url: str
    install: InstallLayout
    data_dir: Path
    published_1: Path  # metadata as it was after the first release was published

    def serve_repo(self) -> None:
        """Copy the repository's metadata and targets to what the server serves (a deploy to the CDN)."""
        for part in ("metadata", "targets"):
            shutil.rmtree(self.site / part, ignore_errors=True)
            shutil.copytree(self.repo / part, self.site / part)

    def settings(self) -> Settings:
        return load_settings(
            data_dir=self.data_dir,
            overrides={
                "update_url": self.url,
                "update_root": str(self.repo / "metadata" / "root.json"),
                "install_root": str(self.install.root),
            },
            environ={},
        )

    def stage(self) -> StageResult:
        return stage(update_source(self.settings()), timeout_s=10)

    def running_files(self) -> dict[str, bytes]:
        folder = self.install.version_dir("1.0.0")
        return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.fixture(scope="module")
def server_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    site = tmp_path_factory.mktemp("site")
    proc = subprocess.Popen([sys.executable, str(SERVER), str(site)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline().split()[1])
        yield site, f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def fleet(tmp_path: Path, server_site: tuple[Path, str]) -> Fleet:
    """Releases 1.0.0 and 1.1.0 published and served; a terminal running 1.0.0 that trusts the repository."""
    site, url = server_site
    for leftover in site.iterdir():
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    repo = tmp_path / "repo"
    init_repository(repo)
    add_bundle(repo, make_bundle(tmp_path / "b1", "1.0.0", payload("1.0.0")), "1.0.0")
    publish(repo)
    published_1 = tmp_path / "published-1"
    shutil.copytree(repo / "metadata", published_1)
    add_bundle(repo, make_bundle(tmp_path / "b2", "1.1.0", payload("1.1.0")), "1.1.0")
    publish(repo)
    install = InstallLayout(tmp_path / "install")
    shutil.copytree(tmp_path / "b1", install.version_dir("1.0.0"))
    install.mark_complete("1.0.0")
    write_state(install, InstallState(current="1.0.0"))
    fleet = Fleet(repo, site, url, install, tmp_path / "data", published_1)
    fleet.data_dir.mkdir()
    fleet.serve_repo()
    return fleet


def refused_reports(fleet: Fleet) -> list[dict]:
    return [
        dict(r.payload)
        for r in reports.pending(fleet.data_dir, limit=100)
        if r.kind == "update" and r.payload.get("outcome") == "refused"
    ]


def assert_refused(fleet: Fleet, result: StageResult, before: dict[str, bytes], words: str) -> None:
    assert not result.verified and result.staged is None
    assert result.problem and words in result.problem
    assert refused_reports(fleet), "the refusal is reported to the center"
    state = read_state(fleet.install)
    assert state is not None and state.current == "1.0.0" and state.staged is None
    assert fleet.running_files() == before
    assert fleet.install.installed() == ["1.0.0"]


def test_a_verified_release_is_staged_beside_the_running_one(fleet: Fleet) -> None:
    before = fleet.running_files()
    checked = check(update_source(fleet.settings()), timeout_s=10)
    assert (checked.current, checked.available, checked.verified) == ("1.0.0", "1.1.0", True)

    result = fleet.stage()

    assert (result.verified, result.staged, result.patch) == (True, "1.1.0", False)
    assert (fleet.install.version_dir("1.1.0") / "VERSION").read_text().strip() == "1.1.0"
    assert (fleet.install.version_dir("1.1.0") / "kiosk").stat().st_mode & 0o111
    assert sorted(fleet.install.installed()) == ["1.0.0", "1.1.0"]
    state = read_state(fleet.install)
    assert state is not None and (state.current, state.staged) == ("1.0.0", "1.1.0")
    assert fleet.running_files() == before
    staged = [r.payload for r in reports.pending(fleet.data_dir) if r.payload.get("outcome") == "staged"]
    assert staged and staged[0]["version"] == "1.1.0"


def test_a_patch_release_downloads_the_patch_only(fleet: Fleet) -> None:
    fleet.install.downloads_dir.mkdir()  # the running release's archive, kept from its own update
    shutil.copy(fleet.repo / "targets" / "kiosk-1.0.0.tar.gz", fleet.install.downloads_dir)
    result = fleet.stage()
    archive = (fleet.repo / "targets" / "kiosk-1.1.0.tar.gz").stat().st_size
    assert (result.staged, result.patch) == ("1.1.0", True)
    assert result.downloaded_bytes < archive / 10


def test_the_center_s_target_version_is_taken_not_a_newer_one(fleet: Fleet, tmp_path: Path) -> None:
    add_bundle(fleet.repo, make_bundle(tmp_path / "b3", "1.2.0", payload("1.2.0")), "1.2.0")
    publish(fleet.repo)
    fleet.serve_repo()
    write_target(fleet.data_dir, Target(version="1.1.0", rollout_id="r1"))
    assert fleet.stage().staged == "1.1.0"


def test_an_interrupted_download_is_resumed(fleet: Fleet) -> None:
    whole = (fleet.repo / "targets" / "kiosk-1.1.0.tar.gz").read_bytes()
    partial = fleet.install.downloads_dir / "partial"
    partial.mkdir(parents=True)
    (partial / "kiosk-1.1.0.tar.gz.part").write_bytes(whole[: len(whole) * 3 // 4])
    result = fleet.stage()
    assert result.staged == "1.1.0"
    assert result.downloaded_bytes < len(whole) // 2  # the last quarter and the metadata
    assert not (partial / "kiosk-1.1.0.tar.gz.part").exists()


def test_a_tampered_archive_is_refused(fleet: Fleet) -> None:
    before = fleet.running_files()
    archive = fleet.site / "targets" / "kiosk-1.1.0.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    assert_refused(fleet, fleet.stage(), before, "被篡改")
    assert not list((fleet.install.downloads_dir / "partial").glob("*.part")), (
        "a part that failed is not kept"
    )


def test_a_tampered_patch_is_refused(fleet: Fleet) -> None:
    before = fleet.running_files()
    fleet.install.downloads_dir.mkdir()  # the running release's archive, kept from its own update
    shutil.copy(fleet.repo / "targets" / "kiosk-1.0.0.tar.gz", fleet.install.downloads_dir)
    patch = fleet.site / "targets" / "kiosk-1.1.0.patch"
    data = bytearray(patch.read_bytes())
    data[-1] ^= 0xFF
    patch.write_bytes(bytes(data))
    assert_refused(fleet, fleet.stage(), before, "被篡改")


def test_metadata_signed_by_a_wrong_key_is_refused(fleet: Fleet, tmp_path: Path) -> None:
    before = fleet.running_files()
    other = tmp_path / "other-repo"
    init_repository(other)
    add_bundle(other, make_bundle(tmp_path / "evil", "9.0.0", b"evil"), "9.0.0")
    publish(other)
    for part in ("metadata", "targets"):
        shutil.rmtree(fleet.site / part)
        shutil.copytree(other / part, fleet.site / part)
    assert_refused(fleet, fleet.stage(), before, "不是本终端信任的密钥")
    assert "9.0.0" not in fleet.install.installed()


def test_a_rollback_to_older_metadata_is_refused(fleet: Fleet) -> None:
    before = fleet.running_files()
    assert check(
        update_source(fleet.settings()), timeout_s=10
    ).verified  # the terminal saw the second publish
    shutil.rmtree(fleet.site / "metadata")
    shutil.copytree(fleet.published_1, fleet.site / "metadata")
    assert_refused(fleet, fleet.stage(), before, "回滚")


def test_an_expired_timestamp_is_refused(fleet: Fleet) -> None:
    before = fleet.running_files()
    refresh(fleet.repo, days=-1)  # the timestamp the attacker keeps serving has run out
    fleet.serve_repo()
    assert_refused(fleet, fleet.stage(), before, "已过期")


def test_metadata_mixed_from_two_publishes_is_refused(fleet: Fleet) -> None:
    before = fleet.running_files()
    shutil.copy(fleet.published_1 / "targets.json", fleet.site / "metadata" / "targets.json")
    assert_refused(fleet, fleet.stage(), before, "混搭")


def test_endless_data_is_cut_off_and_refused(fleet: Fleet) -> None:
    before = fleet.running_files()
    (fleet.site / ".endless").write_text("on")
    assert_refused(fleet, fleet.stage(), before, "比签名的元数据所说的多")


def test_without_a_root_of_trust_updates_are_off(fleet: Fleet) -> None:
    from kiosk.updates.client import UpdatesOff

    settings = fleet.settings()
    with pytest.raises(UpdatesOff, match="update_root"):
        update_source(
            load_settings(data_dir=settings.data_dir, overrides={"update_url": fleet.url}, environ={})
        )


def test_the_background_check_stages_a_release(fleet: Fleet) -> None:
    from kiosk.updates.checker import UpdateChecker

    done = threading.Event()
    checker = UpdateChecker.for_settings(fleet.settings(), first_after_s=0, on_result=lambda _: done.set())
    assert checker is not None
    checker.start()
    try:
        assert done.wait(30)
    finally:
        checker.stop()
    assert checker.last is not None and checker.last.staged == "1.1.0"


def kiosk_cli(fleet: Fleet, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable, "-m", "kiosk", "--data-dir", str(fleet.data_dir),
            "--update-url", fleet.url, "--update-root", str(fleet.repo / "metadata" / "root.json"),
            "--install-root", str(fleet.install.root), *args,
        ],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_kiosk_update_check_prints_current_available_and_verified(fleet: Fleet) -> None:
    done = kiosk_cli(fleet, "update", "check", "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert (answer["current"], answer["available"], answer["verified"]) == ("1.0.0", "1.1.0", True)


def test_kiosk_update_check_fails_plainly_when_verification_fails(fleet: Fleet) -> None:
    refresh(fleet.repo, days=-1)
    fleet.serve_repo()
    done = kiosk_cli(fleet, "update", "check")
    assert done.returncode != 0
    assert "已过期" in done.stderr and "Traceback" not in done.stderr


def test_a_patch_that_does_not_give_the_signed_archive_is_refused_then_the_whole_archive_taken(
    fleet: Fleet, tmp_path: Path
) -> None:
    before = fleet.running_files()
    # The terminal's copy of its own archive was damaged on disk: the patch applies, its result is wrong.
    damaged = make_bundle(tmp_path / "damaged", "1.0.0", payload("1.0.0")[:-1] + b"!")
    fleet.install.downloads_dir.mkdir()
    with tarfile.open(fleet.install.downloads_dir / "kiosk-1.0.0.tar.gz", "w:gz") as tar:
        tar.add(damaged, arcname=".")
    assert_refused(fleet, fleet.stage(), before, "补丁")

    result = fleet.stage()
    assert (result.staged, result.patch) == ("1.1.0", False)


def test_the_status_says_the_last_check_and_why_updates_are_off(fleet: Fleet) -> None:
    from kiosk.updates.status import update_status

    refresh(fleet.repo, days=-1)
    fleet.serve_repo()
    fleet.stage()
    status = update_status(fleet.settings())
    assert status.enabled and status.current == "1.0.0"
    assert status.last_check is not None and not status.last_check.verified
    assert "已过期" in (status.last_check.problem or "")

    off = update_status(load_settings(data_dir=fleet.data_dir, environ={}))
    assert not off.enabled and "update_root" in off.off_reason and off.off_code == "no_update_root"


def test_a_new_target_from_the_center_is_acted_on_before_the_next_check(fleet: Fleet) -> None:
    from kiosk.updates.checker import UpdateChecker

    done = threading.Event()
    checker = UpdateChecker(
        update_source(fleet.settings()),
        interval_s=3600,
        first_after_s=3600,
        target_look_s=0.1,
        on_result=lambda _: done.set(),
    )
    checker.start()
    try:
        write_target(fleet.data_dir, Target(version="1.1.0", rollout_id="r1"))
        assert done.wait(30)
    finally:
        checker.stop()
    assert checker.last is not None and checker.last.staged == "1.1.0"


def test_a_trickling_server_ends_the_try_and_what_arrived_is_kept(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.updates import fetcher

    monkeypatch.setattr(fetcher, "TRY_BASE_S", 0.5)  # a try may last half a second here
    monkeypatch.setattr(fetcher, "MIN_BYTES_PER_S", 10**9)
    (fleet.site / ".trickle").write_text("on")
    result = fleet.stage()
    assert not result.verified and result.staged is None and "太慢" in (result.problem or "")
    part = fleet.install.downloads_dir / "partial" / "kiosk-1.1.0.tar.gz.part"
    assert part.exists() and part.stat().st_size > 0  # continued at the next check
    assert not refused_reports(fleet)  # a slow line, not a refusal

    (fleet.site / ".trickle").unlink()
    assert fleet.stage().staged == "1.1.0"


def test_the_same_refusal_is_reported_once_while_it_lasts(fleet: Fleet) -> None:
    refresh(fleet.repo, days=-1)
    fleet.serve_repo()
    for _ in range(3):
        assert not fleet.stage().verified
    assert len(refused_reports(fleet)) == 1
