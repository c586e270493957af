"""Where this terminal finds the hall's queue service (docs/hall.md): the URL, terminal id and signing algorithm in
the settings (``hall_url``, ``hall_terminal_id``, ``hall_algorithm``), the secret in the keystore beside the
center's (``secrets/hall-secret``), set by ``kiosk hall enroll``. Whoever talks to the hall builds its client
from these: ``HallClient(c.url, c.terminal_id, c.secret, c.algorithm)``."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.config import Settings
from kiosk.store.keystore import HALL_SECRET_FILE, Keystore, NotEnrolled


@dataclass(frozen=True, slots=True)
class HallCredentials:
    url: str
    terminal_id: str
    algorithm: str
    secret: bytes = field(repr=False)


def has_hall(settings: Settings) -> bool:
    """Whether this terminal was enrolled with a hall (it may still be unreachable)."""
    return bool(settings.hall_url and settings.hall_terminal_id) and Keystore.for_data_dir(
        settings.data_dir
    ).has_secret(HALL_SECRET_FILE)


def hall_credentials(settings: Settings) -> HallCredentials:
    """The credentials; :class:`NotEnrolled` when ``kiosk hall enroll`` was never run (or its secret is gone)."""
    if not settings.hall_url or not settings.hall_terminal_id:
        raise NotEnrolled("this terminal is not enrolled with a hall: run kiosk hall enroll first")
    secret = Keystore.for_data_dir(settings.data_dir).secret(HALL_SECRET_FILE)
    return HallCredentials(settings.hall_url, settings.hall_terminal_id, settings.hall_algorithm, secret)


def store_hall_credentials(
    settings: Settings, url: str, terminal_id: str, algorithm: str, secret: bytes
) -> Settings:
    """Keep the secret, then the settings (a terminal never names a hall whose secret it does not hold)."""
    from kiosk.config import save_setting

    Keystore.for_data_dir(settings.data_dir).store_secret(secret, HALL_SECRET_FILE)
    settings = save_setting(settings, "hall_url", url.strip().rstrip("/"))
    settings = save_setting(settings, "hall_terminal_id", terminal_id)
    return save_setting(settings, "hall_algorithm", algorithm)
