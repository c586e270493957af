"""The center's secret files (its key file, its command key): written once, owner-only, appearing whole, never
replacing one that is there; and checked before use, on POSIX, to be a regular file of this user that nobody else
may read."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path


def write_once(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path``, owner-only, unless a file is there already (another process may have made it
    first: everyone then uses that one). True when this call wrote it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if sys.platform != "win32":
            os.chmod(temporary, 0o600)
        try:
            os.link(temporary, path)  # appears whole, and never replaces a file that is there
        except FileExistsError:
            return False
        _sync_folder(path.parent)
        return True
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def private_problem(path: Path, what: str) -> str | None:
    """What is wrong with the secret file ``path`` (``what``: "the command key /x"), with what to do; None when
    it is a regular file of this user that nobody else may read (always None on Windows, where ACLs decide)."""
    if sys.platform == "win32":
        return None
    try:
        info = path.lstat()
    except FileNotFoundError:
        return f"{what} is missing"
    except OSError as exc:
        return f"{what} cannot be read ({exc.strerror})"
    if not stat.S_ISREG(info.st_mode):
        return f"{what} is not a regular file"
    if info.st_uid != os.getuid():
        return f"{what} belongs to another user: run the center as its owner"
    if info.st_mode & 0o077:
        return (
            f"{what} may be read by others (mode {stat.S_IMODE(info.st_mode):o}): run 'chmod 600 {path}', and "
            "treat the key as leaked if others could log in here"
        )
    return None


def _sync_folder(folder: Path) -> None:
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
