"""A TUF repository of the program's releases, made with tufup: keys, bundles, patches, signed metadata.

::

    REPO/metadata/            root.json (and 1.root.json, 2.root.json, ...), targets, snapshot, timestamp
    REPO/targets/             kiosk-<V>.tar.gz (each release's bundle) and kiosk-<V>.patch (bsdiff from the one before)
    REPO/keystore-public/     the four public keys
    REPO/keystore-offline/    root and targets private keys: they belong on an offline medium, not on a server
    REPO/keystore-online/     snapshot and timestamp private keys: on the machine that re-signs the timestamp
    REPO/pending/targets.json releases added but not yet published (unsigned; terminals never see it)

``metadata/`` and ``targets/`` are static files any web server or CDN serves. A release is ``add`` (archive and
patch written, the targets list kept aside in pending/) then ``publish`` (targets, snapshot and timestamp signed
and written); ``refresh`` re-signs snapshot and timestamp with the online keys alone, before the timestamp
expires. One repository holds one platform's bundles (a Windows and a Linux bundle are different archives).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from kiosk.ops.layout import LayoutError, check_version

log = logging.getLogger(__name__)

APP_NAME = "kiosk"
OFFLINE_ROLES = ("root", "targets")
ONLINE_ROLES = ("snapshot", "timestamp")
# Days each role's metadata stays valid after it is signed. Root and targets are signed with the offline keys,
# so rarely: a year. Snapshot and timestamp are re-signed by `kiosk release refresh` with the online keys, daily;
# a timestamp older than two days is refused by terminals (TUF's freeze attack defence), so a terminal can be
# kept from an update for two days at most by whoever controls its network.
EXPIRY_DAYS = {"root": 365, "targets": 365, "snapshot": 30, "timestamp": 2}
# Signatures each role needs. One key per role here; raise root's to 2 of 3 keys held by different people with
# `tufup keys` (docs/updates.md) for a production fleet.
THRESHOLDS = {"root": 1, "targets": 1, "snapshot": 1, "timestamp": 1}

OFFLINE_WARNING = """\
These are the root and targets private keys of the update repository.
Whoever holds them can make every terminal install anything.
Keep them OFFLINE (an encrypted USB key in a safe), never on the web server or in the source repository.
Bring them out only to publish a release (kiosk release publish) or to rotate keys.
"""


class ReleaseError(Exception):
    """A release step that cannot be done; the message says what to do."""


@dataclass(frozen=True, slots=True)
class RepoPaths:
    root: Path

    @property
    def metadata_dir(self) -> Path:
        return self.root / "metadata"

    @property
    def targets_dir(self) -> Path:
        return self.root / "targets"

    @property
    def public_keys_dir(self) -> Path:
        return self.root / "keystore-public"

    @property
    def offline_keys_dir(self) -> Path:
        return self.root / "keystore-offline"

    @property
    def online_keys_dir(self) -> Path:
        return self.root / "keystore-online"

    @property
    def pending_targets(self) -> Path:
        return self.root / "pending" / "targets.json"

    @property
    def trusted_root(self) -> Path:
        """The root metadata a terminal must be shipped with (its setting ``update_root``)."""
        return self.metadata_dir / "root.json"


@dataclass(frozen=True, slots=True)
class InitResult:
    root: str
    repository: str
    offline_keys: str
    online_keys: str
    thresholds: dict[str, int]
    expiry_days: dict[str, int]


@dataclass(frozen=True, slots=True)
class AddResult:
    version: str
    archive: str
    archive_bytes: int
    patch: str | None
    patch_bytes: int | None
    previous: str | None


@dataclass(frozen=True, slots=True)
class PublishResult:
    versions: list[str]
    latest: str | None
    targets_version: int
    timestamp_expires: str


def _repository(paths: RepoPaths) -> Any:
    """tufup's Repository over ``paths``, its configuration kept by us (tufup would write one into the current
    folder) and no question ever asked on the terminal."""
    from tufup.repo import Repository

    class _Repository(Repository):
        def save_config(self) -> None:
            pass

        def load_config(self) -> dict[str, Any]:
            return dict(self.config_dict)

    return _Repository(
        app_name=APP_NAME,
        repo_dir=paths.root,
        keys_dir=paths.public_keys_dir,
        expiration_days=dict(EXPIRY_DAYS),
        thresholds=dict(THRESHOLDS),
    )


@contextmanager
def _quiet_tufup() -> Iterator[None]:
    """tufup and python-tuf log every step at INFO; our log keeps their warnings only."""
    loggers = [logging.getLogger(name) for name in ("tufup", "tuf", "securesystemslib")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def init_repository(path: Path) -> InitResult:
    """Make a new repository at ``path``: four Ed25519 keys, root metadata signed, nothing released yet."""
    paths = RepoPaths(Path(path).resolve())
    if paths.trusted_root.exists() or paths.offline_keys_dir.exists():
        raise ReleaseError(f"{paths.root} already holds an update repository; choose an empty folder")
    for folder in (paths.root, paths.metadata_dir, paths.targets_dir, paths.public_keys_dir):
        folder.mkdir(parents=True, exist_ok=True)
    with _quiet_tufup():
        repo = _repository(paths)
        repo.initialize()
    # tufup writes every key pair into one folder; the private keys move to where they belong.
    for folder, roles in ((paths.offline_keys_dir, OFFLINE_ROLES), (paths.online_keys_dir, ONLINE_ROLES)):
        folder.mkdir(mode=0o700, exist_ok=True)
        for role in roles:
            private = paths.public_keys_dir / role
            target = folder / role
            private.replace(target)
            target.chmod(0o600)
    (paths.offline_keys_dir / "README-OFFLINE.txt").write_text(OFFLINE_WARNING, encoding="utf-8")
    log.info("update repository made at %s", paths.root)
    return InitResult(
        root=str(paths.trusted_root),
        repository=str(paths.root),
        offline_keys=str(paths.offline_keys_dir),
        online_keys=str(paths.online_keys_dir),
        thresholds=dict(THRESHOLDS),
        expiry_days=dict(EXPIRY_DAYS),
    )


def _open(path: Path, *, with_pending: bool) -> tuple[RepoPaths, Any]:
    paths = RepoPaths(Path(path).resolve())
    if not paths.trusted_root.exists():
        raise ReleaseError(
            f"{paths.root} is not an update repository (make one with: kiosk release init REPO)"
        )
    repo = _repository(paths)
    repo._load_keys_and_roles(create_keys=False)
    if with_pending and paths.pending_targets.exists():
        from tuf.api.metadata import Metadata

        repo.roles.targets = Metadata.from_file(str(paths.pending_targets))
    return paths, repo


def _released_versions(repo: Any) -> list[str]:
    from tufup.common import TargetMeta

    metas = sorted(TargetMeta(key) for key in repo.roles.targets.signed.targets)
    return [str(meta.version) for meta in metas if meta.is_archive]


def add_bundle(path: Path, bundle_dir: Path, version: str) -> AddResult:
    """Add the bundle folder as release ``version``: its archive, and a binary patch from the newest release
    before it. Not visible to terminals until :func:`publish`."""
    from packaging.version import InvalidVersion, Version
    from tuf.api.serialization.json import JSONSerializer

    try:
        check_version(version)
        parsed = Version(version)
    except (LayoutError, InvalidVersion):
        raise ReleaseError(f"{version!r} is not a version (e.g. 1.4.0)") from None
    bundle = Path(bundle_dir)
    if not bundle.is_dir() or not any(bundle.iterdir()):
        raise ReleaseError(f"{bundle} is not a bundle folder (a folder with the program in it)")
    paths, repo = _open(path, with_pending=True)
    known = _released_versions(repo)
    newer = [v for v in known if Version(v) >= parsed]
    if newer:
        raise ReleaseError(
            f"version {version} must be newer than every release so far (newest: {max(newer)})"
        )
    previous = max(known, key=Version) if known else None
    archive = paths.targets_dir / f"{APP_NAME}-{version}.tar.gz"
    patch = paths.targets_dir / f"{APP_NAME}-{version}.patch"
    for stale in (archive, patch):  # left by an add that was never published
        stale.unlink(missing_ok=True)
    with _quiet_tufup():
        repo.add_bundle(new_bundle_dir=bundle, new_version=version)
    paths.pending_targets.parent.mkdir(exist_ok=True)
    repo.roles.targets.to_file(str(paths.pending_targets), serializer=JSONSerializer(compact=False))
    return AddResult(
        version=version,
        archive=str(archive),
        archive_bytes=archive.stat().st_size,
        patch=str(patch) if patch.exists() else None,
        patch_bytes=patch.stat().st_size if patch.exists() else None,
        previous=previous,
    )


def publish(path: Path) -> PublishResult:
    """Sign and write the metadata for every release added since the last publish. Needs the offline keys
    (targets) and the online keys (snapshot, timestamp)."""
    paths, repo = _open(path, with_pending=True)
    if not (paths.offline_keys_dir / "targets").exists():
        raise ReleaseError(
            f"the targets key is not in {paths.offline_keys_dir}: bring the offline keys back to publish"
        )
    with _quiet_tufup():
        repo.publish_changes(private_key_dirs=[paths.offline_keys_dir, paths.online_keys_dir])
    paths.pending_targets.unlink(missing_ok=True)
    return _published(repo)


def refresh(path: Path, *, days: float | None = None) -> PublishResult:
    """Re-sign snapshot and timestamp with the online keys (run daily: the timestamp expires in
    ``EXPIRY_DAYS['timestamp']`` days). Releases added but not published stay pending."""
    paths, repo = _open(path, with_pending=False)
    with _quiet_tufup():
        for role in ONLINE_ROLES:
            repo.roles.set_expiration_date(role, EXPIRY_DAYS[role] if days is None else days)
        repo.publish_changes(private_key_dirs=[paths.online_keys_dir])
    return _published(repo)


def _published(repo: Any) -> PublishResult:
    versions = _released_versions(repo)
    expires = repo.roles.timestamp.signed.expires
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    return PublishResult(
        versions=versions,
        latest=versions[-1] if versions else None,
        targets_version=int(repo.roles.targets.signed.version),
        timestamp_expires=expires.astimezone(UTC).isoformat(timespec="seconds"),
    )
