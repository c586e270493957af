"""The terminal's secrets: the signing secret the center issued, and the keys that seal personal data at rest.

Both live under ``<data_dir>/secrets/`` and never in the settings file, a log line or a repr. On Windows each file
holds a DPAPI blob (CryptProtectData, bound to the account the terminal runs as), so a copy of the disk alone does
not reveal them. Elsewhere the files are plain bytes guarded by the file system: the folder is 0700 and every file
0600, created with those modes whatever the umask, and a file that group or others could read is refused rather
than trusted, because a secret that may have leaked must be re-issued, not used. Desktop keyrings (macOS Keychain,
Secret Service) are deliberately not used: a kiosk runs unattended with no unlocked user session to ask.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

SECRETS_DIR_NAME = "secrets"
SECRET_FILE = "terminal-secret"
HALL_SECRET_FILE = "hall-secret"  # the secret the hall's queue service issued (docs/hall.md)
SECRET_BYTES = 32
KEY_ID_BYTES = 4
# Key length per crypto suite: AES-256-GCM (standard) and SM4-GCM (guomi).
DATA_KEY_BYTES = {"standard": 32, "guomi": 16}
_IS_WINDOWS = sys.platform == "win32"


class KeystoreError(RuntimeError):
    """A secret cannot be stored or read safely; the message says what an operator should do."""


class NotEnrolled(KeystoreError):
    """The terminal has no secret yet: it was never enrolled with a center."""


@dataclass(frozen=True, slots=True)
class DataKey:
    """A data-encryption key; its bytes never show in a repr."""

    suite: str
    key_id: bytes
    key: bytes = field(repr=False)


class Keystore:
    """Secrets of one terminal, in ``folder`` (normally ``<data_dir>/secrets``). Safe to share between threads."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._keys: dict[tuple[str, bytes | None], DataKey] = {}

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> Keystore:
        return cls(data_dir / SECRETS_DIR_NAME)

    def __repr__(self) -> str:
        return f"Keystore({str(self.folder)!r})"

    # -- the terminal secret --------------------------------------------------------------------------------

    def has_secret(self, name: str = SECRET_FILE) -> bool:
        return (self.folder / name).exists()

    def store_secret(self, secret: bytes, name: str = SECRET_FILE) -> None:
        """Keep a signing secret: the center's (``SECRET_FILE``) or the hall's (``HALL_SECRET_FILE``)."""
        if len(secret) != SECRET_BYTES:
            raise KeystoreError(f"the secret must be {SECRET_BYTES} bytes")
        with self._lock:
            self._write(name, secret)
        log.info("%s stored in %s", name, self.folder)

    def secret(self, name: str = SECRET_FILE) -> bytes:
        path = self.folder / name
        enroll = "kiosk hall enroll" if name == HALL_SECRET_FILE else "kiosk enroll"
        if not path.exists():
            raise NotEnrolled(f"this terminal has no secret yet: run {enroll} first")
        value = self._read(name)
        if len(value) != SECRET_BYTES:
            raise KeystoreError(f"the secret file {path} is damaged: enroll the terminal again ({enroll})")
        return value

    # -- data keys ------------------------------------------------------------------------------------------

    def data_key(self, suite: str, key_id: bytes | None = None) -> DataKey:
        """The suite's key; with ``key_id`` None the current one, created on first use."""
        if suite not in DATA_KEY_BYTES:
            raise KeystoreError(f"unknown crypto suite {suite!r}")
        cached = self._keys.get((suite, key_id))
        if cached is not None:
            return cached
        with self._lock:
            name = f"data-key-{suite}"
            if not (self.folder / name).exists():
                if key_id is not None:
                    raise KeystoreError(f"the {suite} data key is missing from {self.folder}")
                raw = secrets.token_bytes(KEY_ID_BYTES) + secrets.token_bytes(DATA_KEY_BYTES[suite])
                self._write(name, raw, exclusive=True)
                log.info("new %s data key created in %s", suite, self.folder)
            raw = self._read(name)
            if len(raw) != KEY_ID_BYTES + DATA_KEY_BYTES[suite]:
                raise KeystoreError(f"the {suite} data key in {self.folder} is damaged")
            key = DataKey(suite, raw[:KEY_ID_BYTES], raw[KEY_ID_BYTES:])
            if key_id is not None and key.key_id != key_id:
                raise KeystoreError(f"no {suite} data key with id {key_id.hex()} in {self.folder}")
            self._keys[(suite, key_id)] = key
            return key

    # -- files ----------------------------------------------------------------------------------------------

    def _ensure_folder(self) -> None:
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _IS_WINDOWS:
                info = os.stat(self.folder)
                if info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) != 0o700:
                    os.chmod(self.folder, 0o700)  # umask-proof
        except OSError as exc:
            raise KeystoreError(
                f"the secrets folder {self.folder} cannot be created: {exc.strerror}"
            ) from None
        self._check_private(self.folder, os.stat(self.folder), "folder")

    def _check_private(self, path: Path, info: os.stat_result, what: str) -> None:
        if _IS_WINDOWS:
            return  # DPAPI protects the content; POSIX modes mean nothing there
        if info.st_uid != os.geteuid():
            raise KeystoreError(
                f"the secrets {what} {path} belongs to another user; it must belong to the account the "
                "terminal runs as"
            )
        if stat.S_IMODE(info.st_mode) & 0o077:
            fix = "chmod 700" if what == "folder" else "chmod 600"
            raise KeystoreError(
                f"the secrets {what} {path} is open to other users (mode {stat.S_IMODE(info.st_mode):o}); "
                f"refusing to use it. Run '{fix} {path}' and, as it may have leaked, have the center issue a "
                "new secret"
            )

    def _write(self, name: str, value: bytes, *, exclusive: bool = False) -> None:
        self._ensure_folder()
        path = self.folder / name
        data = _protect(value)
        tmp = self.folder / f".{name}.{secrets.token_hex(4)}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(tmp, flags, 0o600)
            try:
                if not _IS_WINDOWS:
                    os.fchmod(fd, 0o600)  # the umask may only have narrowed it; make it exact
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            if exclusive and not _IS_WINDOWS:
                os.link(tmp, path)  # fails if another process created the file first
            elif exclusive:
                os.rename(tmp, path)  # on Windows rename never replaces
            else:
                os.replace(tmp, path)
        except FileExistsError:
            pass  # another process created the key first: use theirs
        except OSError as exc:
            raise KeystoreError(f"the secrets file {path} cannot be written: {exc.strerror}") from None
        finally:
            if tmp.exists():
                tmp.unlink()

    def _read(self, name: str) -> bytes:
        path = self.folder / name
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
        try:
            self._check_private(self.folder, os.stat(self.folder), "folder")
            fd = os.open(path, flags)
        except FileNotFoundError:
            raise NotEnrolled(f"{path} is missing: run kiosk enroll first") from None
        except OSError as exc:
            raise KeystoreError(f"the secrets file {path} cannot be read: {exc.strerror}") from None
        try:
            self._check_private(path, os.fstat(fd), "file")
            chunks = []
            while chunk := os.read(fd, 65536):
                chunks.append(chunk)
        finally:
            os.close(fd)
        return _unprotect(b"".join(chunks), path)


# -- Windows DPAPI ------------------------------------------------------------------------------------------


def _protect(value: bytes) -> bytes:
    return _dpapi(value, protect=True) if _IS_WINDOWS else value


def _unprotect(blob: bytes, path: Path) -> bytes:
    if not _IS_WINDOWS:
        return blob
    try:
        return _dpapi(blob, protect=False)
    except OSError:
        raise KeystoreError(
            f"the secrets file {path} cannot be unlocked by this Windows account (DPAPI); run the terminal "
            "as the account that enrolled it, or enroll again"
        ) from None


def _dpapi(data: bytes, *, protect: bool) -> bytes:
    """CryptProtectData / CryptUnprotectData for the current user, without any UI."""
    if sys.platform != "win32":
        raise OSError("DPAPI exists only on Windows")
    import ctypes
    from ctypes import wintypes

    class Blob(ctypes.Structure):
        _fields_ = [("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char))]

    crypt32 = ctypes.windll.crypt32
    kernel32 = ctypes.windll.kernel32
    buffer = ctypes.create_string_buffer(data, len(data))
    blob_in = Blob(len(data), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char)))
    blob_out = Blob()
    ui_forbidden = 0x1
    if protect:
        ok = crypt32.CryptProtectData(
            ctypes.byref(blob_in), "kiosk", None, None, None, ui_forbidden, ctypes.byref(blob_out)
        )
    else:
        ok = crypt32.CryptUnprotectData(
            ctypes.byref(blob_in), None, None, None, None, ui_forbidden, ctypes.byref(blob_out)
        )
    if not ok:
        raise ctypes.WinError()
    try:
        return ctypes.string_at(blob_out.pbData, blob_out.cbData)
    finally:
        kernel32.LocalFree(blob_out.pbData)
