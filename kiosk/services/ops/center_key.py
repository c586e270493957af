"""The center's command key, pinned by the terminal: commands and settings are run or applied only when signed
with it (``ops/center-key.json``).

It is pinned once: by ``kiosk enroll`` from the enrolment heartbeat's answer (or from a file the operator was
given, which the answer must then match), or, for a terminal enrolled before commands existed, from the first
heartbeat answer that carries one (trust on first use, logged). A different key offered later is never adopted:
it is refused and reported, and a new key reaches a terminal only by enrolling it again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from kiosk.ops.files import read_object, write_json
from kiosk.ops.paths import OpsPaths
from kiosk.protocol.ops import CommandKey

log = logging.getLogger(__name__)

How = Literal["enrolment", "file", "first heartbeat"]


class CenterKeyError(ValueError):
    """A key file that is not a center's command key (the message says what is wrong)."""


@dataclass(frozen=True, slots=True)
class KeyCheck:
    """What an answer's key means for this terminal: ``pinned`` (it had none: pinned now), ``same``, ``other``
    (refused: not the pinned key), ``none`` (the answer carried no key)."""

    outcome: Literal["pinned", "same", "other", "none"]
    key: CommandKey | None  # the key to verify with (the pinned one), None when nothing is pinned


def pinned_key(data_dir: Path | str) -> CommandKey | None:
    """The pinned key, or None (not pinned yet, or the file is damaged: logged, and commands are then refused)."""
    raw = read_object(OpsPaths.of(data_dir).center_key)
    if raw is None:
        return None
    try:
        return CommandKey.model_validate({"key_id": raw.get("key_id"), "public_key": raw.get("public_key")})
    except ValidationError:
        log.error(
            "the pinned center key (%s) is damaged: commands are refused", OpsPaths.of(data_dir).center_key
        )
        return None


def pin_key(data_dir: Path | str, key: CommandKey, how: How) -> None:
    write_json(
        OpsPaths.of(data_dir).center_key,
        {
            "key_id": key.key_id,
            "public_key": key.public_key,
            "pinned_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "how": how,
        },
    )
    log.info("the center's command key %s is pinned (%s)", key.key_id, how)


def check_offered(data_dir: Path | str, offered: CommandKey | None) -> KeyCheck:
    """Compare an answer's key with the pinned one; pin it when none is (a terminal enrolled before commands)."""
    pinned = pinned_key(data_dir)
    if pinned is None:
        if offered is None:
            return KeyCheck("none", None)
        if OpsPaths.of(data_dir).center_key.exists():
            return KeyCheck("other", None)  # a damaged pin is not replaced by whatever the network says
        pin_key(data_dir, offered, "first heartbeat")
        log.warning(
            "the center's command key %s was pinned on the first heartbeat that carried one (this terminal was "
            "enrolled before the center signed commands); enrol again with --center-key to pin a known key",
            offered.key_id,
        )
        return KeyCheck("pinned", offered)
    if offered is None:
        return KeyCheck("none", pinned)
    if offered.key_id != pinned.key_id or offered.public_key != pinned.public_key:
        return KeyCheck("other", pinned)
    return KeyCheck("same", pinned)


def read_key_file(path: Path) -> CommandKey:
    """A center key file as the center's operator hands it out (JSON with ``key_id`` and ``public_key``)."""
    try:
        if path.stat().st_size > 64 * 1024:
            raise CenterKeyError(f"the center key file {path} is too large to be a key")
    except OSError as exc:
        raise CenterKeyError(f"the center key file {path} cannot be read ({exc.strerror or exc})") from None
    raw = read_object(path)
    if raw is None:
        raise CenterKeyError(
            f"the center key file {path} is not a JSON object; use the file 'kiosk center command-key --out FILE' "
            "writes at the center"
        )
    try:
        return CommandKey.model_validate({"key_id": raw.get("key_id"), "public_key": raw.get("public_key")})
    except ValidationError as exc:
        problem = exc.errors(include_url=False)[0].get("msg", "invalid")
        raise CenterKeyError(
            f"the center key file {path} does not hold a center key ({problem}); use the file "
            "'kiosk center command-key --out FILE' writes at the center"
        ) from None
