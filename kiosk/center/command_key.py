"""The center's command key: the Ed25519 key that signs commands and settings for terminals (docs/center.md).

It lives beside the database (center.db → center.command-key), readable by its owner only, and is made on the
first ``kiosk center serve`` (or ``kiosk center command-key``). Terminals pin its public key when they enrol, and
refuse anything signed by another key afterwards: losing the file means re-enrolling every terminal, so back it
up with the center's key file. The cryptography package has no SM2, so this key is Ed25519 under both suites.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from kiosk.center.private_file import private_problem, write_once
from kiosk.protocol.ops import CommandKey


class CommandKeyError(ValueError):
    """A command key file that cannot be used; the message says what to do and never holds the key."""


def command_key_path_for(db_path: Path) -> Path:
    """Where the command key of ``db_path`` lives: center.db → center.command-key."""
    return db_path.with_name(db_path.stem + ".command-key")


def load_or_create(path: Path) -> Ed25519PrivateKey:
    """The key at ``path``, made (owner-only, PEM PKCS#8) when there is none; two processes starting together
    end up with the same key. ``CommandKeyError`` when the file is unusable or readable by others."""
    if not path.exists():
        _create(path, Ed25519PrivateKey.generate())
    _check_private(path)
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise CommandKeyError(f"the command key {path} cannot be read: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CommandKeyError(f"the command key {path} is not an Ed25519 key")
    return key


def public_command_key(private_key: Ed25519PrivateKey) -> CommandKey:
    """What terminals pin: ``{"key_id", "public_key"}`` (the file ``kiosk enroll --center-key`` takes)."""
    return CommandKey.of(private_key)


def _create(path: Path, key: Ed25519PrivateKey) -> None:
    # Another process starting together may have made it first: that one is the key.
    write_once(path, key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))


def _check_private(path: Path) -> None:
    problem = private_problem(path, f"the command key {path}")
    if problem is not None:
        raise CommandKeyError(problem)
