"""The hall's own settings, kept in its database (``meta``) and changed with ``kiosk hall config set``."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, fields
from typing import Any

from kiosk.hall.db import HallDb
from kiosk.hall.errors import SetupError

_CODE = re.compile(r"[A-Za-z0-9]{1,16}")


@dataclass(frozen=True)
class HallSettings:
    """What an operator may set. Field metadata-free on purpose: ``HELP`` below says what each is."""

    hall_name: str = "政务服务大厅"
    hall_code: str = ""  # names the hall in ticket ids and at the center; made at first open
    reset_hour: int = 0  # numbers start again at this hour (0-23); the day before it is the previous day
    green_age: int = 70  # 绿色通道 by age from the card
    person_daily_cap: int = 3  # 实名: tickets a person may take a day (all services)
    checkin_early_min: int = 30  # 预约签到 this many minutes before the window at the earliest
    default_service_min: int = 5  # the service time assumed before any ticket of the day was finished
    events_keep_days: int = 3  # the event log keeps this many days (clients older than that start afresh)
    public_url: str = ""  # the hall's address as phones on the hall's Wi-Fi reach it (for the ticket's QR)


HELP = {
    "hall_name": "the hall's name, printed on tickets and shown on displays",
    "hall_code": "1-16 letters or digits naming the hall in ticket ids and at the center",
    "reset_hour": "hour (0-23) at which numbers start again from the first",
    "green_age": "绿色通道 from this age (read from the card)",
    "person_daily_cap": "实名 tickets one person may take a day",
    "checkin_early_min": "minutes before an appointment's window that check-in opens",
    "default_service_min": "service time (minutes) assumed until one is measured that day",
    "events_keep_days": "days of events kept for clients catching up",
    "public_url": "the hall's URL as phones reach it (QR codes on tickets); empty: the address asked",
}
_RANGES = {
    "reset_hour": (0, 23),
    "green_age": (1, 150),
    "person_daily_cap": (1, 100),
    "checkin_early_min": (0, 240),
    "default_service_min": (1, 240),
    "events_keep_days": (1, 365),
}


def ensure_identity(db: HallDb) -> None:
    """The hall's code and the salt of its person hashes, made once when the database is new."""
    with db.write() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO meta (name, value) VALUES ('hall_code', ?)", (f"H{secrets.token_hex(3)}",)
        )
        conn.execute(
            "INSERT OR IGNORE INTO meta (name, value) VALUES ('person_salt', ?)", (secrets.token_hex(32),)
        )


def load(db: HallDb) -> HallSettings:
    stored = {row["name"]: row["value"] for row in db.rows("SELECT name, value FROM meta")}
    values: dict[str, Any] = {}
    for item in fields(HallSettings):
        if item.name in stored:
            values[item.name] = int(stored[item.name]) if item.type in (int, "int") else stored[item.name]
    return HallSettings(**values)


def person_salt(db: HallDb) -> bytes:
    salt = db.meta("person_salt")
    if salt is None:
        raise SetupError("the hall database has no person salt (open it with the program first)")
    return bytes.fromhex(salt)


def set_value(db: HallDb, name: str, text: str) -> HallSettings:
    """Check and store one setting; :class:`SetupError` names what is wrong."""
    if name not in HELP:
        raise SetupError(f"unknown hall setting {name!r}: one of {', '.join(HELP)}")
    value: str = text.strip()
    if name in _RANGES:
        low, high = _RANGES[name]
        if not value.isdigit() or not low <= int(value) <= high:
            raise SetupError(f"{name} is a whole number from {low} to {high}")
        value = str(int(value))
    elif name == "hall_code" and not _CODE.fullmatch(value):
        raise SetupError("hall_code is 1-16 letters or digits")
    elif name == "hall_name" and not 1 <= len(value) <= 40:
        raise SetupError("hall_name is 1-40 characters")
    elif name == "public_url" and value and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
        raise SetupError("public_url is http(s)://host[:port][/path]")
    db.set_meta(name, value.rstrip("/") if name == "public_url" else value)
    return load(db)
