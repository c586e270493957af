"""A release's folder from what was downloaded and verified: its whole archive, or the running release's archive
with the patches applied and the result checked against the signed length and hash of the whole archive.

tufup's own step does the same, but compresses the patched archive again at gzip's highest level and unpacks it
from that file; on a 200 MiB bundle that took most of a minute on the development machine. Here the patched tar
is unpacked from memory, and kept (the base of the next patch, which applies to the uncompressed tar) compressed
at the fastest level. Unpacking refuses, even from a signed archive, what a program's folder never holds: a path
outside the folder (absolute, through ``..`` or a link), a device or pipe; and it drops set-uid bits, write rights
for others and the archive's owners. That is tarfile's ``data`` filter, which the Python of Debian 12 (3.11.2)
does not have yet: :func:`extract` checks the members itself and uses the filter on top where it exists.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import stat
import tarfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import bsdiff4

FAILED_SUFFIX = ".failed"  # tufup's mark on a patch that did not work: the next check takes the whole archive


class PatchMismatch(Exception):
    """The patched archive is not the signed one (its length or hash differ)."""


class UnsafeArchive(Exception):
    """An archive member that would land outside the release's folder, or that no program's folder holds."""


def unpack_release(downloaded: Mapping[Any, Path], base_archive: Path, new_archive: Path, into: Path) -> None:
    """Fill ``into`` with the release ``downloaded`` brings (tufup's TargetMeta -> local file: one archive, or
    the patches from ``base_archive``); ``new_archive`` is where the release's archive is kept."""
    metas = sorted(downloaded)
    if metas[-1].is_archive:
        with tarfile.open(downloaded[metas[-1]], "r:gz") as tar:
            extract(tar, into)
        return
    with gzip.open(base_archive, "rb") as base:
        data = base.read()
    for meta in metas:
        data = bsdiff4.patch(data, downloaded[meta].read_bytes())
    try:
        _check(data, metas[-1].custom_internal or {})
    except PatchMismatch:
        for path in downloaded.values():
            path.replace(path.with_name(path.name + FAILED_SUFFIX))
        raise
    kept = new_archive.with_name(new_archive.name + ".tmp")
    with gzip.open(kept, "wb", compresslevel=1) as out:
        out.write(data)
    kept.replace(new_archive)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
        extract(tar, into)


def extract(tar: tarfile.TarFile, into: Path) -> None:
    """Unpack ``tar`` into ``into`` after checking every member (:func:`safe_members`)."""
    members = safe_members(tar, into)
    if hasattr(tarfile, "data_filter"):
        tar.extractall(into, members=members, filter="data")
    else:  # Python before 3.11.4: the members were made safe by hand
        tar.extractall(into, members=members)


def safe_members(tar: tarfile.TarFile, into: Path) -> list[tarfile.TarInfo]:
    """The members of ``tar`` made safe to unpack into ``into``, or :class:`UnsafeArchive` naming the first that
    cannot be: an absolute path, one that leaves the folder, a link whose target does, a device or a pipe."""
    root = os.path.realpath(into)
    safe: list[tarfile.TarInfo] = []
    for member in tar.getmembers():
        name = member.name
        if os.path.isabs(name) or name.startswith(("/", "\\")) or ":" in name.split("/")[0]:
            raise UnsafeArchive(f"{name!r}: an absolute path")
        target = os.path.realpath(os.path.join(root, name))
        if os.path.commonpath([root, target]) != root:
            raise UnsafeArchive(f"{name!r}: outside the release's folder")
        if member.isdev() or member.isfifo():
            raise UnsafeArchive(f"{name!r}: a device or a pipe")
        if member.issym() or member.islnk():
            base = os.path.dirname(target) if member.issym() else root
            if os.path.isabs(member.linkname):
                raise UnsafeArchive(f"{name!r}: a link to an absolute path")
            pointed = os.path.realpath(os.path.join(base, member.linkname))
            if os.path.commonpath([root, pointed]) != root:
                raise UnsafeArchive(f"{name!r}: a link out of the release's folder")
        if not (member.isfile() or member.isdir() or member.issym() or member.islnk()):
            raise UnsafeArchive(f"{name!r}: not a file, folder or link")
        clean = member.replace(deep=False) if hasattr(member, "replace") else _copy(member)
        mode = member.mode & 0o755  # no set-uid, set-gid or sticky bits, no write for group or others
        if member.isfile() or member.islnk():
            mode |= stat.S_IRUSR | stat.S_IWUSR
        elif member.isdir():
            mode |= stat.S_IRWXU
        clean.mode = mode
        if hasattr(os, "geteuid"):  # the archive's owners are not this machine's (tarfile chowns as root)
            clean.uid, clean.gid, clean.uname, clean.gname = os.geteuid(), os.getegid(), "", ""
        safe.append(clean)
    return safe


def _copy(member: tarfile.TarInfo) -> tarfile.TarInfo:
    import copy

    return copy.copy(member)


def _check(data: bytes, expected: Mapping[str, Any]) -> None:
    algorithm = expected.get("tar_hash_algorithm", "")
    if algorithm not in hashlib.algorithms_guaranteed:
        raise PatchMismatch(f"the signed hash algorithm {algorithm!r} is unknown")
    if len(data) != expected.get("tar_size"):
        raise PatchMismatch(
            f"patched archive is {len(data)} bytes, the signed one {expected.get('tar_size')}"
        )
    if hashlib.new(algorithm, data).hexdigest() != expected.get("tar_hash"):
        raise PatchMismatch("the patched archive's hash is not the signed one")
