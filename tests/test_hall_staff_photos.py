"""Staff photos for the rating pads (docs/hall.md, "Staff photos"): set by command with a staff member (``kiosk hall
staff add … --photo FILE``, ``kiosk hall staff photo``), bounded in size and kind (a JPEG or PNG, decoded whole
when set), named in the counter's view by a version, and served only to the hall's enrolled terminals. Real
processes on 127.0.0.1."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from PIL import Image

from kiosk.hall.db import SCHEMA_VERSION, HallDb
from kiosk.hall_client import HallRefused
from tests.hall_support import HallProcess, running_hall


@pytest.fixture
def hall_process(tmp_path: Path) -> Iterator[HallProcess]:
    yield from running_hall(tmp_path)


def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, timeout=60, env=env
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def picture(path: Path, size: tuple[int, int] = (300, 400), kind: str = "JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(buffer, kind)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def test_a_photo_set_with_a_staff_member_is_served_to_enrolled_terminals_only(
    hall_process: HallProcess, tmp_path: Path
) -> None:
    db = str(hall_process.db_path)
    pin = tmp_path / "pin.txt"
    pin.write_text("2468\n", encoding="utf-8")
    photo = picture(tmp_path / "li.jpg")
    added = kiosk(
        "hall", "staff", "add", "1009", "--name", "李晓梅", "--pin-file", str(pin), "--photo",
        str(tmp_path / "li.jpg"), "--db", db,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = json.loads(kiosk("hall", "staff", "list", "--db", db, "--json").stdout)
    assert {"staff_no": "1009", "name": "李晓梅", "counter": None, "photo": True} in listed

    client = hall_process.client("3号评价器")
    client.sign_in(3, "1009", "2468")
    counter = next(c for c in client.state().counters if c.number == 3)
    assert counter.staff_name == "李晓梅" and counter.staff_photo
    served = client.staff_photo("1009")
    assert (served.media_type, served.data) == ("image/jpeg", photo)

    # Not signed: refused like every request under /api/v1.
    assert requests.get(f"{hall_process.url}/api/v1/staff/1009/photo", timeout=5).status_code == 401
    with pytest.raises(HallRefused) as unknown:
        client.staff_photo("9999")
    assert unknown.value.code == "unknown_staff"
    with pytest.raises(HallRefused) as none:
        client.staff_photo("1001")
    assert none.value.code == "no_photo"

    # Another photo: another version in the counter's view; removed: none.
    picture(tmp_path / "li.png", (200, 260), "PNG")
    assert kiosk("hall", "staff", "photo", "1009", str(tmp_path / "li.png"), "--db", db).returncode == 0
    changed = next(c for c in client.state().counters if c.number == 3)
    assert changed.staff_photo and changed.staff_photo != counter.staff_photo
    assert client.staff_photo("1009").media_type == "image/png"
    assert kiosk("hall", "staff", "photo", "1009", "--remove", "--db", db).returncode == 0
    assert next(c for c in client.state().counters if c.number == 3).staff_photo == ""
    client.close()


def test_a_photo_that_is_too_large_or_not_a_picture_is_refused_plainly(
    hall_process: HallProcess, tmp_path: Path
) -> None:
    db = str(hall_process.db_path)
    text = tmp_path / "notes.jpg"
    text.write_text("这不是照片", encoding="utf-8")
    huge = tmp_path / "huge.png"
    picture(huge, (3000, 60), "PNG")
    heavy = tmp_path / "heavy.jpg"
    heavy.write_bytes(b"\xff\xd8" + os.urandom(300 * 1024))
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(picture(tmp_path / "whole.jpg")[:600])
    for path, said in (
        (text, "JPEG or PNG"),
        (huge, "3000×60 pixels"),
        (heavy, "at most 256 KiB"),
        (cut, "cannot be read as a picture"),
    ):
        done = kiosk("hall", "staff", "photo", "1001", str(path), "--db", db)
        assert done.returncode == 2 and said in done.stderr, (path.name, done.stderr)
    missing = kiosk("hall", "staff", "photo", "7777", str(tmp_path / "whole.jpg"), "--db", db)
    assert missing.returncode == 2 and "no staff member 7777" in missing.stderr
    listed = json.loads(kiosk("hall", "staff", "list", "--db", db, "--json").stdout)
    assert not any(row["photo"] for row in listed)


def test_a_hall_database_of_the_first_schema_gets_the_photos_table(tmp_path: Path) -> None:
    path = tmp_path / "old-hall.db"
    HallDb(path).close()
    with sqlite3.connect(path) as conn:  # as the first version of the program left it
        conn.execute("DROP TABLE staff_photos")
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    db = HallDb(path)
    try:
        assert db.rows("PRAGMA user_version")[0][0] == SCHEMA_VERSION
        assert db.rows("SELECT COUNT(*) FROM staff_photos")[0][0] == 0
    finally:
        db.close()


def test_a_staff_member_renamed_is_announced_so_counters_and_pads_fetch_the_hall_again(
    hall_process: HallProcess, tmp_path: Path
) -> None:
    client = hall_process.client("3号评价器")
    client.sign_in(3, "1003", "1234")
    seq = client.state().seq
    pin = tmp_path / "pin.txt"
    pin.write_text("1234\n", encoding="utf-8")
    renamed = kiosk("hall", "staff", "add", "1003", "--name", "李晓梅", "--pin-file", str(pin), "--db",
                    str(hall_process.db_path))  # fmt: skip
    assert renamed.returncode == 0, renamed.stderr
    stored = hall_process.admin.db.rows("SELECT type, data FROM events WHERE seq > ?", (seq,))
    assert [(row["type"], json.loads(row["data"])) for row in stored] == [("hall.changed", {"what": "staff"})]
    assert next(c for c in client.state().counters if c.number == 3).staff_name == "李晓梅"
    client.close()
