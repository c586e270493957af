"""A release's archive is unpacked only inside its own folder, whatever it holds, on every Python the terminal
runs on (Debian 12's 3.11.2 has no tarfile filters yet: the members are checked and made safe by hand)."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from kiosk.updates.unpack import UnsafeArchive, extract


def archive(*members: tuple[tarfile.TarInfo, bytes | None]) -> tarfile.TarFile:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    buffer.seek(0)
    return tarfile.open(fileobj=buffer, mode="r:")


def member(name: str, kind: bytes = tarfile.REGTYPE, *, mode: int = 0o644, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.linkname = kind, mode, link
    info.uid = info.gid = 4242
    return info


@pytest.fixture(params=["with the filter", "without it"])
def python(request, monkeypatch):
    if request.param == "without it" and hasattr(tarfile, "data_filter"):
        monkeypatch.delattr(tarfile, "data_filter")
    return request.param


def test_a_program_folder_unpacks_with_safe_rights(tmp_path: Path, python) -> None:
    tar = archive(
        (member("kiosk", mode=0o4777), b"#!/bin/sh\n"),
        (member("_internal", tarfile.DIRTYPE, mode=0o777), None),
        (member("_internal/lib.so", mode=0o666), b"\x7fELF"),
        (member("_internal/current.so", tarfile.SYMTYPE, link="lib.so"), None),
    )
    extract(tar, tmp_path)
    assert (tmp_path / "kiosk").read_bytes() == b"#!/bin/sh\n"
    assert (tmp_path / "kiosk").stat().st_mode & 0o7777 == 0o755
    assert (tmp_path / "_internal/lib.so").stat().st_mode & 0o022 == 0
    assert (tmp_path / "_internal/current.so").resolve() == (tmp_path / "_internal/lib.so").resolve()


@pytest.mark.parametrize(
    "hostile",
    [
        (member("../outside"), b"x"),
        (member("/etc/cron.d/x"), b"x"),
        (member("a/../../outside"), b"x"),
        (member("link", tarfile.SYMTYPE, link="../../etc/passwd"), None),
        (member("abs-link", tarfile.SYMTYPE, link="/etc/passwd"), None),
        (member("hard", tarfile.LNKTYPE, link="../outside"), None),
        (member("dev", tarfile.CHRTYPE), None),
        (member("pipe", tarfile.FIFOTYPE), None),
    ],
    ids=[
        "dotdot",
        "absolute",
        "nested-dotdot",
        "symlink-out",
        "symlink-absolute",
        "hardlink-out",
        "device",
        "fifo",
    ],
)
def test_a_hostile_member_is_refused_and_nothing_is_written(tmp_path: Path, python, hostile) -> None:
    into = tmp_path / "release"
    into.mkdir()
    with pytest.raises(UnsafeArchive):
        extract(archive((member("first"), b"ok"), hostile), into)
    assert list(into.iterdir()) == []
    assert not (tmp_path / "outside").exists()
