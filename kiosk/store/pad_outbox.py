"""The rating pad's outbox: ratings given at the counter that the hall has not answered yet, one sealed file each
under ``<data dir>/rating-pad/outbox/``.

A rating is kept here before it is sent (ODK's rule: write the state you want to find after a crash before the
risky step), under the request id it is sent with; so a pad that loses the hall, or is switched off, sends it again
when it can, and the hall, which stores every change's answer under its request id, takes it once. A file leaves
only once the hall answered it (taken, or refused for good: rated already).

Each file is written atomically (a temporary file, flushed, renamed) and sealed with the terminal's data key
(``kiosk.store.sealing``), bound to its request id: the comment is free text that may name someone. A file that
cannot be opened (damaged, its key gone) is moved aside to ``damaged/`` and logged, never sent half-read.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.store.sealing import Sealer, SealError

log = logging.getLogger(__name__)

OUTBOX_DIR = Path("rating-pad") / "outbox"
SUFFIX = ".rating"
MAX_FILE_BYTES = 16 * 1024  # a rating is a few hundred bytes; anything larger is not ours
_REQUEST_ID = re.compile(r"[A-Za-z0-9]{32}")


@dataclass(frozen=True, slots=True, repr=False)
class KeptRating:
    """One rating waiting for the hall. ``kept_at`` is the pad's clock (seconds since the epoch)."""

    request_id: str
    ticket_id: str
    number: str
    level: int
    reasons: tuple[str, ...]
    comment: str
    kept_at: float

    def __repr__(self) -> str:  # the comment may name someone: left out
        return f"KeptRating({self.label}, level={self.level}, request_id={self.request_id[:8]}…)"

    @property
    def label(self) -> str:
        """How the log names it: the printed number, or the ticket's id when the pad did not know it."""
        return self.number or self.ticket_id

    def body(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "ticket_id": self.ticket_id,
            "number": self.number,
            "level": self.level,
            "reasons": list(self.reasons),
            "comment": self.comment,
            "kept_at": self.kept_at,
        }


class PadOutbox:
    """The folder of kept ratings. Safe to share between threads."""

    def __init__(self, folder: Path, sealer: Sealer) -> None:
        self.folder = folder
        self._sealer = sealer
        self._lock = threading.Lock()

    @classmethod
    def in_data_dir(cls, data_dir: Path, sealer: Sealer) -> PadOutbox:
        return cls(data_dir / OUTBOX_DIR, sealer)

    def __repr__(self) -> str:
        return f"PadOutbox({str(self.folder)!r})"

    def keep(
        self,
        ticket_id: str,
        number: str,
        level: int,
        reasons: tuple[str, ...],
        comment: str,
        *,
        now: float,
    ) -> KeptRating:
        """Keep a rating under a new request id; on disk when this returns."""
        kept = KeptRating(secrets.token_hex(16), ticket_id, number, level, tuple(reasons), comment, now)
        plain = json.dumps(kept.body(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        sealed = self._sealer.seal(plain, bound_to=kept.request_id)
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{kept.request_id}{SUFFIX}"
            tmp = self.folder / f".{kept.request_id}.tmp"
            with open(tmp, "wb") as file:
                file.write(sealed)
                file.flush()
                os.fsync(file.fileno())
            os.replace(tmp, path)
            _sync_folder(self.folder)
        log.info("rating of %s kept for the hall (%s)", number or ticket_id, kept.request_id[:8])
        return kept

    def pending(self) -> list[KeptRating]:
        """Every kept rating, oldest first; files that cannot be read are moved aside."""
        found: list[KeptRating] = []
        with self._lock:
            if not self.folder.is_dir():
                return []
            for path in sorted(self.folder.glob(f"*{SUFFIX}")):
                kept = self._read(path)
                if kept is not None:
                    found.append(kept)
        return sorted(found, key=lambda k: (k.kept_at, k.request_id))

    def holds(self, ticket_id: str) -> bool:
        """Whether a rating of ``ticket_id`` waits here."""
        return any(k.ticket_id == ticket_id for k in self.pending())

    def count(self) -> int:
        """How many ratings wait (each is opened: a file that cannot be is moved aside, not counted)."""
        return len(self.pending())

    def remove(self, request_id: str) -> None:
        """The hall answered it: it leaves."""
        with self._lock:
            path = self.folder / f"{request_id}{SUFFIX}"
            try:
                path.unlink()
            except FileNotFoundError:
                return
            _sync_folder(self.folder)

    def _read(self, path: Path) -> KeptRating | None:
        request_id = path.name.removesuffix(SUFFIX)
        try:
            if not _REQUEST_ID.fullmatch(request_id):
                raise ValueError("not a kept rating's name")
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ValueError("too large")
            plain = self._sealer.open(path.read_bytes(), bound_to=request_id)
            data = json.loads(plain)
            kept = KeptRating(
                request_id=str(data["request_id"]),
                ticket_id=str(data["ticket_id"]),
                number=str(data["number"]),
                level=int(data["level"]),
                reasons=tuple(str(r) for r in data["reasons"]),
                comment=str(data["comment"]),
                kept_at=float(data["kept_at"]),
            )
            if kept.request_id != request_id:
                raise ValueError("the file's name and content differ")
            return kept
        except (OSError, SealError, ValueError, KeyError, TypeError) as exc:
            self._set_aside(path, exc)
            return None

    def _set_aside(self, path: Path, exc: BaseException) -> None:
        aside = self.folder.parent / "damaged"
        log.error(
            "a kept rating cannot be read (%s: %s); moved to %s", type(exc).__name__, exc, aside / path.name
        )
        try:
            aside.mkdir(parents=True, exist_ok=True)
            os.replace(path, aside / path.name)
        except OSError as move_error:
            log.error("cannot move %s aside: %s", path, move_error)


def _sync_folder(folder: Path) -> None:
    """Make a rename or removal in ``folder`` durable (POSIX; Windows has no directory handles to flush)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
