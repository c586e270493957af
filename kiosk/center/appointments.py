"""Appointments (网上预约) on the center's ``appointments`` feed, which halls' queue services pull (docs/hall.md).

The reference center books them itself (``kiosk center appointment add``), as a booking system would publish
them. What is published of the person is what the hall needs to recognise them at 预约签到, no more: a SHA-256 of
a fresh random salt and the ID number, the salt, and the masked name. The ID number itself is not kept.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from kiosk.center.masking import mask_name
from kiosk.center.store import Store, StoreError
from kiosk.protocol import FeedEntry
from kiosk.protocol.hall import (
    APPOINTMENTS_FEED,
    AppointmentData,
    appointment_person_hash,
    normalized_id_number,
)

# Digits only: the code comes in a text message and is keyed in on the kiosk's digit pad (预约签到), often by an
# elderly citizen; eight digits leave a hundred million codes.
_CODE_DIGITS = "0123456789"
_CODE_LENGTH = 8
_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


@dataclass(frozen=True)
class Booked:
    code: str
    service: str
    day: str
    window: str
    masked_name: str
    hall: str


def new_code() -> str:
    return "".join(secrets.choice(_CODE_DIGITS) for _ in range(_CODE_LENGTH))


def book(
    store: Store,
    *,
    service: str,
    day: date,
    starts: str,
    ends: str,
    id_number: str,
    name: str,
    hall: str = "",
    code: str | None = None,
) -> Booked:
    """Publish an appointment (a new code unless one is given); :class:`StoreError` says what is wrong."""
    number = normalized_id_number(id_number)
    if not re.fullmatch(r"[0-9A-Z]{6,32}", number):
        raise StoreError("id_number: 6-32 letters or digits")
    if not (_TIME.fullmatch(starts) and _TIME.fullmatch(ends)) or ends <= starts:
        raise StoreError("the window is HH:MM to a later HH:MM")
    salt = secrets.token_hex(16)
    chosen = code or new_code()
    masked = mask_name(name)
    data: dict[str, Any] = {
        "code": chosen,
        "hall": hall,
        "service": service.strip().upper(),
        "day": day.isoformat(),
        "starts": starts,
        "ends": ends,
        "person": {"hash": appointment_person_hash(salt, number), "salt": salt, "masked_name": masked},
    }
    try:
        AppointmentData.model_validate(data)
    except ValueError as exc:
        raise StoreError(f"the appointment is not valid: {exc}") from None
    previous = store.feed_entry(APPOINTMENTS_FEED, chosen)
    version = previous.version + 1 if previous is not None else 1
    store.publish(APPOINTMENTS_FEED, [FeedEntry(key=chosen, version=version, deleted=False, data=data)])
    return Booked(chosen, data["service"], data["day"], f"{starts}-{ends}", masked, hall)


def cancel(store: Store, code: str) -> bool:
    """Withdraw an appointment (a tombstone on the feed); False when there is no such appointment."""
    previous = store.feed_entry(APPOINTMENTS_FEED, code)
    if previous is None or previous.deleted:
        return False
    store.publish(
        APPOINTMENTS_FEED, [FeedEntry(key=code, version=previous.version + 1, deleted=True, data=None)]
    )
    return True


def listed(store: Store) -> list[dict[str, object]]:
    entries, _, _ = store.changes(APPOINTMENTS_FEED, 0, 100_000)
    shown: list[dict[str, object]] = []
    for entry in entries:
        if entry.data is None:
            continue
        data = entry.data
        shown.append(
            {
                "code": entry.key,
                "service": data["service"],
                "day": data["day"],
                "window": f"{data['starts']}-{data['ends']}",
                "masked_name": data["person"]["masked_name"],
                "hall": data.get("hall", ""),
            }
        )
    return sorted(shown, key=lambda a: (str(a["day"]), str(a["window"]), str(a["code"])))
