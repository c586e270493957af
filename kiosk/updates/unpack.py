"""A release's folder from what was downloaded and verified: its whole archive, or the running release's archive
with the patches applied and the result checked against the signed length and hash of the whole archive.

tufup's own step does the same, but compresses the patched archive again at gzip's highest level and unpacks it
from that file; on a 200 MiB bundle that took most of a minute on the development machine. Here the patched tar
is unpacked from memory, and kept (the base of the next patch, which applies to the uncompressed tar) compressed
at the fastest level. Unpacking uses tarfile's ``data`` filter: nothing outside the folder, no devices, no
set-uid bits, even from a signed archive.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import bsdiff4

FAILED_SUFFIX = ".failed"  # tufup's mark on a patch that did not work: the next check takes the whole archive


class PatchMismatch(Exception):
    """The patched archive is not the signed one (its length or hash differ)."""


def unpack_release(downloaded: Mapping[Any, Path], base_archive: Path, new_archive: Path, into: Path) -> None:
    """Fill ``into`` with the release ``downloaded`` brings (tufup's TargetMeta -> local file: one archive, or
    the patches from ``base_archive``); ``new_archive`` is where the release's archive is kept."""
    metas = sorted(downloaded)
    if metas[-1].is_archive:
        with tarfile.open(downloaded[metas[-1]], "r:gz") as tar:
            tar.extractall(into, filter="data")
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
        tar.extractall(into, filter="data")


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
