"""Staff photos: the picture a counter's rating pad shows of whoever serves there (name, staff number, photo), as
halls post them beside each counter.

A photo is a JPEG or PNG of at most :data:`MAX_PHOTO_BYTES` and :data:`MAX_SIDE` pixels a side; it is decoded
whole once when it is set (Pillow), so a file that is not a picture, is cut short, or would unpack into an
enormous bitmap is refused with a plain message. It is kept in the hall's database and served only to enrolled
terminals (``GET /api/v1/staff/{staff_no}/photo``, signed like every request under ``/api/v1``). A counter's
view names its staff member's photo by a digest of its bytes (``staff_photo``), so a pad fetches it again only
when it changed. Setting or removing one stores ``hall.changed`` (``what``: ``staff``): pads fetch the hall again.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass

from kiosk.hall.db import HallDb
from kiosk.hall.errors import SetupError
from kiosk.protocol.hall import STAFF_PHOTO_MAX_BYTES

log = logging.getLogger(__name__)

MAX_PHOTO_BYTES = STAFF_PHOTO_MAX_BYTES
MIN_SIDE = 48
MAX_SIDE = 2000
MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True, slots=True, repr=False)
class StaffPhoto:
    media_type: str
    digest: str  # the first 16 hex digits of the bytes' SHA-256: the photo's version
    data: bytes

    def __repr__(self) -> str:
        return f"StaffPhoto({self.media_type}, {len(self.data)} bytes, {self.digest})"


def checked_photo(data: bytes) -> StaffPhoto:
    """``data`` as a photo the hall keeps; :class:`SetupError` saying what is wrong otherwise."""
    if not data:
        raise SetupError("the photo file is empty")
    if len(data) > MAX_PHOTO_BYTES:
        raise SetupError(
            f"the photo is {len(data) // 1024} KiB; at most {MAX_PHOTO_BYTES // 1024} KiB "
            "(a JPEG of about 600×800 pixels is plenty)"
        )
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data), formats=tuple(MEDIA_TYPES)) as image:
            kind = image.format or ""
            width, height = image.size
            if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
                raise SetupError(
                    f"the photo is {width}×{height} pixels; each side must be {MIN_SIDE}-{MAX_SIDE}"
                )
            image.load()  # decoded whole: a file cut short or damaged fails here, not on the pads
    except UnidentifiedImageError:
        raise SetupError("the photo must be a JPEG or PNG picture") from None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise SetupError(f"the photo cannot be read as a picture ({exc})") from None
    return StaffPhoto(MEDIA_TYPES[kind], hashlib.sha256(data).hexdigest()[:16], data)


def set_photo(db: HallDb, staff_no: str, data: bytes | None) -> StaffPhoto | None:
    """Keep ``data`` as the staff member's photo (checked first), or remove it (None)."""
    photo = checked_photo(data) if data is not None else None
    with db.write() as conn:
        if conn.execute("SELECT 1 FROM staff WHERE staff_no = ?", (staff_no,)).fetchone() is None:
            raise SetupError(f"no staff member {staff_no} (add them first: kiosk hall staff add)")
        if photo is None:
            conn.execute("DELETE FROM staff_photos WHERE staff_no = ?", (staff_no,))
        else:
            conn.execute(
                "INSERT OR REPLACE INTO staff_photos (staff_no, media_type, digest, data, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (staff_no, photo.media_type, photo.digest, photo.data, db.now()),
            )
        db.append_event(conn, "hall.changed", {"what": "staff"}, db.now())
    log.info("staff %s: photo %s", staff_no, "removed" if photo is None else photo.digest)
    return photo


def photo_of(db: HallDb, staff_no: str) -> StaffPhoto | None:
    rows = db.rows("SELECT media_type, digest, data FROM staff_photos WHERE staff_no = ?", (staff_no,))
    if not rows:
        return None
    return StaffPhoto(rows[0]["media_type"], rows[0]["digest"], bytes(rows[0]["data"]))


def has_staff(db: HallDb, staff_no: str) -> bool:
    return bool(db.rows("SELECT 1 FROM staff WHERE staff_no = ?", (staff_no,)))
