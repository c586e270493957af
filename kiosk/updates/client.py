"""Checking for, verifying and staging an update, through tufup's client (python-tuf underneath).

The first root of trust is the file the setting ``update_root`` names, shipped with the terminal: it is copied
into the install layout's ``metadata/`` once and from then on only TUF's signed root rotation changes it; nothing
is ever trusted from the network on first contact. Every file is verified by TUF before it is used. A verified
release is unpacked into ``versions/<V>/`` beside the running one (whose folder is never written), marked
complete, and recorded as ``staged`` in the install state; the supervisor starts it. Which release: the center's
target version for this terminal (``kiosk.ops.target``) when there is one, else the newest; never one that
failed its health check here before, never one older than the running one.

Each refusal (a signature by a wrong key, a rollback, an expired timestamp, metadata mixed from two publishes, a
tampered archive or patch, a server sending more than the metadata says) is spooled as an ``update`` report for
the center and leaves the running version as it was.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.ops import reports
from kiosk.ops.layout import (
    InstallLayout,
    InstallState,
    install_layout,
    read_state,
    running_version,
    write_state,
)
from kiosk.ops.target import read_target
from kiosk.updates.unpack import PatchMismatch, unpack_release

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.updates.fetcher import ResumingFetcher

log = logging.getLogger(__name__)

APP_NAME = "kiosk"  # the archives' name in the repository (kiosk.release.repository.APP_NAME)
REASON_MAX = 500


class UpdatesOff(Exception):
    """Updates cannot run here; the message says why in Chinese, ``code`` says it for a UI in any language:
    ``no_update_root``, ``no_update_url``, ``no_install_root`` or ``update_root_unreadable``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class UpdateRefused(Exception):
    """Something failed TUF's verification: ``plain`` for people, ``detail`` for the log and the report."""

    def __init__(self, plain: str, detail: str) -> None:
        super().__init__(f"{plain} ({detail})")
        self.plain = plain
        self.detail = detail


class UpdateUnreachable(Exception):
    """The repository could not be reached (not a refusal: tried again at the next check)."""


@dataclass(frozen=True, slots=True)
class UpdateSource:
    url: str  # the repository's base URL (metadata/ and targets/ under it)
    root: Path  # the shipped root metadata (setting update_root)
    layout: InstallLayout
    data_dir: Path


@dataclass(frozen=True, slots=True)
class CheckResult:
    current: str
    available: str | None  # a verified release this terminal would move to, or None
    verified: bool  # the metadata verified (False: refused or unreachable, see problem)
    problem: str | None = None  # plain words when not verified
    staged: str | None = None  # a release already staged and waiting for the supervisor


@dataclass(frozen=True, slots=True)
class StageResult:
    current: str
    staged: str | None
    verified: bool
    problem: str | None = None
    patch: bool = False  # staged from a binary patch (else the whole archive)
    downloaded_bytes: int = 0  # what the network carried for targets and metadata


def update_source(settings: Settings) -> UpdateSource:
    """Where this terminal takes updates from; raises :class:`UpdatesOff` saying what is missing."""
    if not settings.update_root:
        raise UpdatesOff("更新已关闭：未设置 update_root（随终端安装的更新根证书文件）", "no_update_root")
    if not settings.update_url:
        raise UpdatesOff("更新已关闭：未设置 update_url（更新仓库的地址）", "no_update_url")
    layout = install_layout(settings)
    if layout is None:
        raise UpdatesOff(
            "更新已关闭：程序不是从安装目录的 versions/ 下运行的（也未设置 install_root）", "no_install_root"
        )
    return UpdateSource(
        url=settings.update_url.rstrip("/"),
        root=Path(settings.update_root).expanduser(),
        layout=layout,
        data_dir=Path(settings.data_dir),
    )


def current_version(layout: InstallLayout) -> str:
    state = read_state(layout)
    return state.current if state is not None else running_version()


def _trust_root(source: UpdateSource) -> None:
    """Put the shipped root into the trusted metadata folder, once (later roots come only by TUF rotation)."""
    trusted = source.layout.metadata_dir / "root.json"
    if trusted.exists():
        return
    try:
        data = source.root.read_bytes()
    except OSError as exc:
        raise UpdatesOff(
            f"更新已关闭：读不到 update_root 文件 {source.root}（{exc.strerror or exc}）",
            "update_root_unreadable",
        ) from None
    source.layout.metadata_dir.mkdir(parents=True, exist_ok=True)
    tmp = trusted.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(trusted)


def _refusal(exc: BaseException) -> UpdateRefused | UpdateUnreachable:
    """What a python-tuf error means, in plain words."""
    from tuf.api import exceptions as tuf_errors

    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, tuf_errors.DownloadLengthMismatchError):
        plain = "更新服务器发来的数据比签名的元数据所说的多：已拒绝，当前版本不变"
    elif isinstance(exc, tuf_errors.DownloadHTTPError) and exc.status_code != 404:
        return UpdateUnreachable(f"更新服务器出错（HTTP {exc.status_code}）")
    elif isinstance(exc, tuf_errors.SlowRetrievalError):
        return UpdateUnreachable(f"更新服务器太慢：已下载的部分留待下次继续（{detail}）")
    elif isinstance(exc, tuf_errors.DownloadError):
        return UpdateUnreachable(f"连不上更新服务器（{detail}）")
    elif isinstance(exc, OSError):
        return UpdateUnreachable(f"本机写不了更新文件（{detail}）")
    elif isinstance(exc, tuf_errors.UnsignedMetadataError):
        plain = "更新元数据的签名不是本终端信任的密钥签的：已拒绝，当前版本不变"
    elif isinstance(exc, tuf_errors.ExpiredMetadataError):
        plain = "更新元数据已过期（时间戳没有按时重签，或有人拦下了新的）：已拒绝，当前版本不变"
    elif isinstance(exc, tuf_errors.BadVersionNumberError):
        plain = "更新元数据比本终端已验证过的旧，或彼此不符（回滚或混搭）：已拒绝，当前版本不变"
    elif isinstance(exc, tuf_errors.LengthOrHashMismatchError):
        plain = "下载的更新文件与签名的元数据不符（被篡改）：已拒绝，当前版本不变"
    else:
        plain = "更新没有通过验证：已拒绝，当前版本不变"
    return UpdateRefused(plain, detail)


def _report_refusal(source: UpdateSource, current: str, version: str | None, refused: UpdateRefused) -> None:
    """Log the refusal and report it to the center once while it stays the same, until a check verifies or the
    reason changes (a timestamp the publisher forgot to re-sign would otherwise be reported by every terminal at
    every check)."""
    from datetime import UTC, datetime, timedelta

    from kiosk.updates.status import read_last_check

    log.error("update refused: %s (%s)", refused.plain, refused.detail)
    last = read_last_check(source.layout)
    if last is not None and not last.verified and last.problem == refused.plain:
        try:
            recent = datetime.now(UTC) - datetime.fromisoformat(last.at) < timedelta(days=1)
        except ValueError:
            recent = False
        if recent:
            return
    reports.spool(
        source.data_dir,
        "update",
        {
            "version": version or "",
            "from_version": current,
            "outcome": "refused",
            "reason": f"{refused.plain} ({refused.detail})"[:REASON_MAX],
        },
    )


@contextmanager
def _one_at_a_time(layout: InstallLayout) -> Iterator[None]:
    """The background check and `kiosk update apply` never stage at once."""
    from filelock import FileLock

    layout.root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(layout.root / "update.lock"), timeout=600):
        yield


def _client(source: UpdateSource, current: str, state: InstallState | None, timeout_s: float) -> Any:
    """tufup's client over the install layout, choosing only among the releases this terminal may take."""
    from packaging.version import Version
    from tufup.client import Client

    from kiosk.updates.fetcher import ResumingFetcher

    target = read_target(source.data_dir)
    ceiling = Version(target.version) if target is not None else None
    failed = set(state.failed) if state is not None else set()
    layout = source.layout
    targets_url = f"{source.url}/targets/"

    class _Client(Client):
        refreshed = False

        def refresh(self) -> None:  # once per client: we call it first, to see every refusal
            if not self.refreshed:
                super().refresh()
                self.refreshed = True

        @property
        def trusted_target_metas(self) -> list[Any]:
            return [
                meta
                for meta in super().trusted_target_metas
                if (ceiling is None or meta.version <= ceiling) and str(meta.version) not in failed
            ]

    layout.downloads_dir.mkdir(parents=True, exist_ok=True)
    client = _Client(
        app_name=APP_NAME,
        app_install_dir=layout.versions_dir,
        current_version=current,
        metadata_dir=layout.metadata_dir,
        metadata_base_url=f"{source.url}/metadata/",
        target_dir=layout.downloads_dir,
        target_base_url=targets_url,
    )
    client._fetcher = ResumingFetcher(layout.downloads_dir / "partial", targets_url, timeout_s=timeout_s)
    client.pre = "a" if ceiling is not None and ceiling.is_prerelease else None
    client.skipped_between = any(Version(v) > Version(current) for v in failed)
    return client


def _refreshed(source: UpdateSource, timeout_s: float) -> tuple[str, InstallState | None, Any, Any]:
    """Current version, install state, the client with verified metadata, and the release it would take."""
    _trust_root(source)
    state = read_state(source.layout)
    current = state.current if state is not None else running_version()
    client = _client(source, current, state, timeout_s)
    client.refresh()  # raises on every refusal (tufup's check would only log some)
    newest = client.check_for_updates(pre=client.pre, patch=not client.skipped_between)
    return current, state, client, newest


def check(source: UpdateSource, *, timeout_s: float = 30.0) -> CheckResult:
    """Verify the repository's metadata and say which release this terminal would take (nothing downloaded)."""
    result = _check(source, timeout_s)
    _record(source, result.verified, result.available, result.staged, result.problem)
    return result


def _record(
    source: UpdateSource, verified: bool, available: str | None, staged: str | None, problem: str | None
) -> None:
    """The last check's outcome, for the maintenance screen (kiosk.updates.status)."""
    from kiosk.updates.status import record_check

    try:
        record_check(source.layout, verified=verified, available=available, staged=staged, problem=problem)
    except OSError as exc:
        log.warning("cannot note the last update check: %s", exc)


def _check(source: UpdateSource, timeout_s: float) -> CheckResult:
    current = current_version(source.layout)
    try:
        current, state, _, newest = _refreshed(source, timeout_s)
    except UpdatesOff:
        raise
    except Exception as exc:  # python-tuf's errors, whatever their class
        problem = _refusal(exc)
        if isinstance(problem, UpdateRefused):
            _report_refusal(source, current, None, problem)
            return CheckResult(current, None, verified=False, problem=problem.plain)
        log.warning("update check: %s", problem)
        return CheckResult(current, None, verified=False, problem=str(problem))
    staged = state.staged if state is not None else None
    return CheckResult(current, str(newest.version) if newest else None, verified=True, staged=staged)


def stage(source: UpdateSource, *, timeout_s: float = 30.0) -> StageResult:
    """Check, download (resuming), verify and unpack the release this terminal should take, beside the running
    one; record it as staged. Refusals are reported and leave everything as it was."""
    with _one_at_a_time(source.layout):
        result = _stage(source, timeout_s)
    _record(source, result.verified, result.staged, result.staged, result.problem)
    return result


def _stage(source: UpdateSource, timeout_s: float) -> StageResult:
    current = current_version(source.layout)
    fetcher: ResumingFetcher | None = None
    version: str | None = None
    try:
        current, state, client, newest = _refreshed(source, timeout_s)
        fetcher = client._fetcher
        if newest is None:
            return StageResult(current, None, verified=True, downloaded_bytes=fetcher.bytes_received)
        version = str(newest.version)
        if state is not None and state.staged == version and source.layout.is_complete(version):
            return StageResult(current, version, verified=True, downloaded_bytes=fetcher.bytes_received)
        patch = not next(iter(client.new_targets)).is_archive
        staging = source.layout.versions_dir / f".staging-{version}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        # tufup's download step (python-tuf verifies each file); its apply step is ours (kiosk.updates.unpack).
        client._download_updates(progress_hook=None)
        try:
            unpack_release(
                client.downloaded_target_files,
                client.current_archive_local_path,
                client.new_archive_local_path,
                staging,
            )
        except PatchMismatch as exc:
            raise UpdateRefused(
                "补丁打出来的文件与签名的元数据不符：已拒绝，下次下载完整安装包", f"PatchMismatch: {exc}"
            ) from exc
        _install(source.layout, staging, version, current)
    except UpdatesOff:
        raise
    except Exception as exc:
        problem = exc if isinstance(exc, UpdateRefused) else _refusal(exc)
        shutil.rmtree(source.layout.versions_dir / f".staging-{version}", ignore_errors=True)
        received = fetcher.bytes_received if fetcher is not None else 0
        if isinstance(problem, UpdateRefused):
            _report_refusal(source, current, version, problem)
            return StageResult(
                current, None, verified=False, problem=problem.plain, downloaded_bytes=received
            )
        log.warning("update: %s", problem)
        return StageResult(current, None, verified=False, problem=str(problem), downloaded_bytes=received)
    _tidy_downloads(source.layout, keep={current, version})
    log.info("update %s staged beside %s (%s)", version, current, "patch" if patch else "whole archive")
    reports.spool(
        source.data_dir,
        "update",
        {"version": version, "from_version": current, "outcome": "staged", "reason": ""},
    )
    return StageResult(current, version, verified=True, patch=patch, downloaded_bytes=fetcher.bytes_received)


def _install(layout: InstallLayout, unpacked: Path, version: str, current: str) -> None:
    """The verified, unpacked bundle becomes ``versions/<version>/``, complete and staged. The running version's
    folder is never written."""
    if version == current:
        raise ValueError("refusing to write over the running version")
    final = layout.version_dir(version)
    if final.exists():
        if layout.is_complete(version):
            shutil.rmtree(unpacked, ignore_errors=True)
        else:
            shutil.rmtree(final)  # a half-written folder from an interrupted try
    if not final.exists():
        unpacked.replace(final)
    layout.mark_complete(version)
    state = read_state(layout) or InstallState(current=current)
    write_state(layout, state.with_changes(staged=version))


def _tidy_downloads(layout: InstallLayout, keep: set[str | None]) -> None:
    """Keep the archives of the running and the staged release (the base of the next patch), nothing else."""
    names = {f"{APP_NAME}-{v}.tar.gz" for v in keep if v}
    for path in layout.downloads_dir.iterdir():
        if path.is_file() and path.name not in names:
            path.unlink(missing_ok=True)
