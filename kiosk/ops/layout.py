"""Versions of the program side by side, and which one runs: the install layout.

::

    <root>/versions/<version>/       one unpacked bundle each, never written again once complete
    <root>/versions/<version>/kiosk  its executable (kiosk.exe on Windows; a launcher script in tests)
    <root>/versions/<version>/.complete
    <root>/downloads/                archives and partial downloads (the update client's target folder)
    <root>/metadata/                 the update client's trusted metadata (root.json first from update_root)
    <root>/state.json                which version is current, previous, staged, being tried, and which failed

The supervisor starts ``executable(state.current)`` (or ``state.trying`` while a new version is on trial); the
update client writes new folders and ``staged``; only the supervisor moves ``current``. The running version's
folder is never written: a version that failed its health check stays on disk, marked in ``failed``.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import sys
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.ops.files import read_object, write_json

if TYPE_CHECKING:
    from kiosk.config import Settings

log = logging.getLogger(__name__)

BUNDLE_DIR_ENV = "KIOSK_BUNDLE_DIR"
VERSION_FILE = "VERSION"
COMPLETE_MARKER = ".complete"
# A version names a folder: letters, digits, dots, dashes, plus (PEP 440 and semantic versions), nothing else.
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+\-]{0,63}$")


class LayoutError(ValueError):
    """A version name that cannot be a folder, or a state the layout cannot hold."""


def check_version(version: str) -> str:
    if not isinstance(version, str) or not _VERSION.match(version) or ".." in version:
        raise LayoutError(f"{version!r} is not a version name (letters, digits, '.', '-', '+')")
    return version


@dataclass(frozen=True, slots=True)
class InstallState:
    current: str
    previous: str | None = None
    staged: str | None = None
    trying: str | None = None
    failed: dict[str, str] = field(default_factory=dict)  # version -> why it was given up
    committed_at: str | None = None  # when ``current`` was committed (ISO 8601, UTC)

    def with_changes(self, **changes: Any) -> InstallState:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class InstallLayout:
    root: Path

    @property
    def versions_dir(self) -> Path:
        return self.root / "versions"

    def version_dir(self, version: str) -> Path:
        return self.versions_dir / check_version(version)

    def executable(self, version: str) -> Path:
        return self.version_dir(version) / ("kiosk.exe" if sys.platform == "win32" else "kiosk")

    @property
    def downloads_dir(self) -> Path:
        return self.root / "downloads"

    @property
    def metadata_dir(self) -> Path:
        return self.root / "metadata"

    @property
    def state_file(self) -> Path:
        return self.root / "state.json"

    def installed(self) -> list[str]:
        """The complete versions on disk (unordered names; compare them with a version parser)."""
        try:
            return sorted(
                p.name
                for p in self.versions_dir.iterdir()
                if p.is_dir() and _VERSION.match(p.name) and (p / COMPLETE_MARKER).exists()
            )
        except FileNotFoundError:
            return []

    def is_complete(self, version: str) -> bool:
        return (self.version_dir(version) / COMPLETE_MARKER).exists()

    def mark_complete(self, version: str) -> None:
        """Say that ``versions/<version>/`` is whole (written last, after every file of the bundle)."""
        folder = self.version_dir(version)
        if not (folder / VERSION_FILE).exists():
            (folder / VERSION_FILE).write_text(version + "\n", encoding="utf-8")
        marker = folder / COMPLETE_MARKER
        marker.write_text(datetime.now(UTC).isoformat(timespec="seconds") + "\n", encoding="utf-8")


def read_state(layout: InstallLayout) -> InstallState | None:
    """The install state, or ``None`` when there is none (a fresh folder) or it is damaged (logged)."""
    raw = read_object(layout.state_file)
    if raw is None:
        return None
    try:
        current = raw["current"]
        if not isinstance(current, str):
            raise LayoutError("current is not a version")
        check_version(current)
        optional = {}
        for name in ("previous", "staged", "trying", "committed_at"):
            value = raw.get(name)
            if value is not None and not isinstance(value, str):
                raise LayoutError(f"{name} is not text")
            if value is not None and name != "committed_at":
                check_version(value)
            optional[name] = value
        failed = raw.get("failed") or {}
        if not isinstance(failed, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in failed.items()
        ):
            raise LayoutError("failed is not a map of versions to reasons")
    except (KeyError, LayoutError) as exc:
        log.error("install state %s is damaged (%s)", layout.state_file, exc)
        return None
    return InstallState(current=current, failed=dict(failed), **optional)


def write_state(layout: InstallLayout, state: InstallState) -> None:
    for version in (state.current, state.previous, state.staged, state.trying):
        if version is not None:
            check_version(version)
    write_json(
        layout.state_file,
        {
            "current": state.current,
            "previous": state.previous,
            "staged": state.staged,
            "trying": state.trying,
            "failed": dict(state.failed),
            "committed_at": state.committed_at,
        },
    )


def bundle_dir() -> Path | None:
    """The folder of the running bundle: the frozen program's own folder, or what a test bundle's launcher says
    (``KIOSK_BUNDLE_DIR``); ``None`` in a plain run from source."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    named = os.environ.get(BUNDLE_DIR_ENV)
    return Path(named) if named else None


def running_version() -> str:
    """The version of the program running now: its bundle's VERSION file, else the package's version."""
    from kiosk import __version__

    folder = bundle_dir()
    found = _bundle_version(folder) if folder is not None else None
    return found or __version__


@functools.lru_cache(maxsize=8)
def _bundle_version(folder: Path) -> str | None:
    """The VERSION file of a bundle, read once per folder (a running bundle's never changes; the heartbeat and
    the screens ask for it often)."""
    path = folder / VERSION_FILE
    try:
        return check_version(path.read_text(encoding="utf-8").strip())
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, LayoutError) as exc:
        log.warning("%s cannot be used (%s): the package's version is reported instead", path, exc)
        return None


def install_layout(settings: Settings) -> InstallLayout | None:
    """The install layout the terminal runs from: the ``install_root`` setting, else the folder above
    ``versions/`` when the running bundle sits in one; ``None`` when there is none (updates are then off)."""
    configured = getattr(settings, "install_root", "")
    if configured:
        return InstallLayout(Path(configured).expanduser())
    folder = bundle_dir()
    if folder is not None and folder.parent.name == "versions":
        return InstallLayout(folder.parent.parent)
    return None
