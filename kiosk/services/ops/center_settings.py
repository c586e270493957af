"""The center's layer of the settings chain (``ops/center-settings.json``): a signed layer from a heartbeat's
answer is kept only when it verifies with the pinned key, is for this terminal, names only settings the center
may set, and is newer than the one kept. ``kiosk.config`` reads the file at every start (the layer sits between
the settings file and the environment); a running program takes new values when it next starts, and the
maintenance screen shows them with their origin at once.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.ops.files import write_json
from kiosk.ops.paths import OpsPaths
from kiosk.protocol.ops import CommandKey, SettingsRefused, SignedSettings, open_settings
from kiosk.services.ops.heartbeat import settings_version

log = logging.getLogger(__name__)


def keep_settings(data_dir: Path | str, signed: SignedSettings, key: CommandKey, terminal_id: str) -> bool:
    """Keep the layer if it checks out and is newer; True when the kept layer changed. ``SettingsRefused``
    (nothing kept) when it does not check out."""
    values = open_settings(signed, key, terminal_id)
    kept = settings_version(data_dir)
    if signed.version <= kept:
        log.info("the center's settings version %d is not newer than the one kept (%d)", signed.version, kept)
        return False
    write_json(OpsPaths.of(data_dir).center_settings, signed.model_dump(mode="json"))
    log.info(
        "the center's settings version %d kept (%s); they apply from the next start",
        signed.version,
        ", ".join(sorted(values)) or "no values",
    )
    return True


__all__ = ["SettingsRefused", "keep_settings"]
