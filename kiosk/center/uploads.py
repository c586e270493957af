"""What terminals upload for a command (docs/center.md, "Uploads"): a screenshot, or the last hours of their logs
(masked on the terminal). ``POST /api/v1/uploads/{command_id}`` is signed like every request; the command must be
this terminal's ``screenshot`` or ``upload_logs`` and not refused or expired, the content type the kind's, the body
at most 8 MiB. The latest upload is kept per terminal and kind, as a file beside the database
(uploads/<terminal>/screenshot.png, uploads/<terminal>/logs.txt), written whole or not at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import secrets
from pathlib import Path
from typing import Any, Final

from kiosk.center import commands
from kiosk.center.store import Store, now_iso
from kiosk.protocol.ops import UPLOAD_MAX_BYTES, UPLOAD_TYPES

log = logging.getLogger(__name__)

_FILE_NAMES: Final = {"screenshot": "screenshot.png", "upload_logs": "logs.txt"}
_PNG_MAGIC: Final = b"\x89PNG\r\n\x1a\n"
_SAFE_ID = re.compile(r"[0-9A-Za-z_.\-]{1,64}")


class UploadRefused(Exception):
    """Why an upload is not kept: the HTTP status and the short error the terminal gets."""

    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status = status
        self.error = error


def uploads_dir(store: Store) -> Path:
    return store.path.parent / "uploads"


def _media_type(value: str) -> str:
    return ";".join(part.strip().lower() for part in value.split(";"))


def receive(
    store: Store, terminal_id: str, command_id: str, content_type: str, body: bytes
) -> dict[str, Any]:
    """Keep an upload for ``command_id``; ``UploadRefused`` when it is not this terminal's upload command, or
    the body is not what the command asked for."""
    found = commands.command(store, command_id)
    if found is None or found["terminal_id"] != terminal_id:
        log.warning("upload from %s for command %s refused: not its command", terminal_id, command_id)
        raise UploadRefused(404, "unknown_command")
    kind = found["kind"]
    if kind not in UPLOAD_TYPES:
        log.warning("upload from %s for its %s command %s refused", terminal_id, kind, command_id)
        raise UploadRefused(409, "not_an_upload_command")
    if found["state"] not in ("pending", "done"):
        raise UploadRefused(409, f"command_{found['state']}")
    if _media_type(content_type) != _media_type(UPLOAD_TYPES[kind]):
        raise UploadRefused(415, f"expected {UPLOAD_TYPES[kind]}")
    if not body or len(body) > UPLOAD_MAX_BYTES:
        raise UploadRefused(413 if body else 422, "body: 1 byte to 8 MiB")
    if kind == "screenshot" and not body.startswith(_PNG_MAGIC):
        raise UploadRefused(422, "body: not a PNG image")
    if kind == "upload_logs":
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            raise UploadRefused(422, "body: not UTF-8 text") from None
    if not _SAFE_ID.fullmatch(terminal_id):
        raise UploadRefused(422, "terminal id unfit for a file name")
    folder = uploads_dir(store) / terminal_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / _FILE_NAMES[kind]
    _write_whole(path, body)
    digest = hashlib.sha256(body).hexdigest()
    received_at = now_iso()
    with store.transaction() as db:
        db.execute(
            "INSERT INTO uploads (terminal_id, kind, command_id, content_type, size, sha256, file, received_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (terminal_id, kind) DO UPDATE SET "
            "command_id = excluded.command_id, content_type = excluded.content_type, size = excluded.size, "
            "sha256 = excluded.sha256, file = excluded.file, received_at = excluded.received_at",
            (terminal_id, kind, command_id, UPLOAD_TYPES[kind], len(body), digest, str(path), received_at),
        )
    log.info("upload %s from %s: %d bytes", kind, terminal_id, len(body))
    return {"command_id": command_id, "size": len(body), "sha256": digest}


def latest(store: Store, terminal_id: str) -> list[dict[str, Any]]:
    """The terminal's latest upload of each kind, with the path of its file."""
    rows = store.query("SELECT * FROM uploads WHERE terminal_id = ? ORDER BY kind", (terminal_id,))
    return [dict(row) for row in rows]


def _write_whole(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
