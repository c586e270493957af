"""What the hall keeps of a person (实名取号, 预约签到): a salted hash of the ID number and the masked name, no more.

The hash is an HMAC-SHA256 under the hall's own salt (made once, kept in its database), so the same card always
gives the same key at this hall and a copy of the table elsewhere is not a list of ID numbers. Age for the
绿色通道 is taken from the birth date the card gives (or the 18-digit number's date), then forgotten.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from kiosk.protocol.hall import PersonRef, normalized_id_number


def person_key(salt: bytes, id_number: str) -> str:
    return hmac.new(salt, normalized_id_number(id_number).encode("utf-8"), hashlib.sha256).hexdigest()


def mask_name(name: str) -> str:
    """``张*三``, ``李*``, ``欧**娜``; Latin names keep the first letter of each word (as the terminal masks)."""
    name = name.strip()
    if not name:
        return ""
    if name.isascii():
        return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def birth_date(person: PersonRef) -> date | None:
    if person.birth_date is not None:
        return person.birth_date
    number = normalized_id_number(person.id_number)
    if len(number) != 18:
        return None
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
