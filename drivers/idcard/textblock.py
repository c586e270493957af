"""The 256-byte text block of a read: four layouts, told apart by the card type flag at byte 248.

UCS-2 little-endian, space padded; offsets and sizes below are in bytes. Dates are ``YYYYMMDD``; a resident
card's ``valid_to`` may be ``长期`` (no end), which becomes ``None``.

- ``' '`` 居民身份证 and ``'J'`` 港澳台居民居住证 share one layout; the permit adds the pass number and issue count.
- ``'I'`` 外国人永久居留身份证 (2017): English name first, a 15-character card number, nationality (GB/T 2659).
- ``'Y'`` 外国人永久居留身份证 (2023): Chinese name first, an 18-digit number, the English name in two parts.

:func:`parse_text_block` never lets anything but :class:`~drivers.idcard.errors.IdCardError` out: a block of the
wrong size, undecodable UTF-16 or an impossible date is ``bad_text``. An ID number that breaks GB 11643 is not an
error: the identity comes back with ``problem`` set, so the screen can say what is wrong.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

from drivers.idcard.errors import IdCardError, bad_text
from drivers.idcard.protocol import TEXT_SIZE
from drivers.idcard.tables import NATIONS, SEXES, nation_name, sex_name
from kiosk.domain.identity import BIRTH_DATE_MISMATCH, CardType, Identity, birth_date_from_id
from kiosk.domain.messages import define

log = logging.getLogger(__name__)

FLAG_OFFSET = 248
LONG_TERM = "长期"  # valid_to only; an absent birth or start date is left blank
UNKNOWN_DOCUMENT = define(
    "idcard.unknown_document", "无法识别的证件，请放置居民身份证、居住证或外国人永久居留身份证"
)()

_FLAGS = {
    " ": CardType.RESIDENT,
    "J": CardType.HMT_PERMIT,
    "I": CardType.FOREIGN_PERMANENT_OLD,
    "Y": CardType.FOREIGN_PERMANENT,
}
_FLAG_OF = {card_type: flag for flag, card_type in _FLAGS.items()}

# (field, offset, size in bytes)
Layout = tuple[tuple[str, int, int], ...]

RESIDENT_LAYOUT: Layout = (
    ("name", 0, 30),
    ("sex_code", 30, 2),
    ("nation_code", 32, 4),
    ("birth_date", 36, 16),
    ("address", 52, 70),
    ("id_number", 122, 36),
    ("authority", 158, 30),
    ("valid_from", 188, 16),
    ("valid_to", 204, 16),
)
HMT_LAYOUT: Layout = (*RESIDENT_LAYOUT, ("pass_number", 220, 18), ("issue_count", 238, 4))
FOREIGN_OLD_LAYOUT: Layout = (
    ("english_name", 0, 120),
    ("sex_code", 120, 2),
    ("id_number", 122, 30),
    ("nationality", 152, 6),
    ("name", 158, 30),
    ("valid_from", 188, 16),
    ("valid_to", 204, 16),
    ("birth_date", 220, 16),
    ("version", 236, 4),
    ("authority", 240, 8),
)
FOREIGN_LAYOUT: Layout = (
    ("name", 0, 30),
    ("sex_code", 30, 2),
    ("issue_count", 32, 4),
    ("birth_date", 36, 16),
    ("english_name", 52, 70),
    ("id_number", 122, 36),
    ("reserved", 158, 30),
    ("valid_from", 188, 16),
    ("valid_to", 204, 16),
    ("english_name_more", 220, 22),
    ("nationality", 242, 6),
    ("old_card_link", 250, 6),
)
LAYOUTS: dict[CardType, Layout] = {
    CardType.RESIDENT: RESIDENT_LAYOUT,
    CardType.HMT_PERMIT: HMT_LAYOUT,
    CardType.FOREIGN_PERMANENT_OLD: FOREIGN_OLD_LAYOUT,
    CardType.FOREIGN_PERMANENT: FOREIGN_LAYOUT,
}
_DATE_FIELDS = ("birth_date", "valid_from", "valid_to")
_ENGLISH_NAME_CHARS = 35  # the 2023 card's English name: 35 characters, then 11 more at byte 220
_OLD_CARD_VERSION = (
    "01"  # the 2017 card's layout version; not part of Identity, written back as the cards have it
)


def card_type_of(text: bytes) -> CardType:
    """Which layout a block uses. Old resident blocks may leave the flag as NUL; that is a resident card too."""
    if len(text) != TEXT_SIZE:
        log.warning("ID card text block of %d bytes, expected %d", len(text), TEXT_SIZE)
        raise bad_text()
    flag = text[FLAG_OFFSET : FLAG_OFFSET + 2]
    if flag == b"\x00\x00":
        return CardType.RESIDENT
    card_type = _FLAGS.get(flag.decode("utf-16-le", errors="replace"))
    if card_type is None:
        log.warning("ID card text block with unknown card type flag %s", flag.hex())
        raise IdCardError(UNKNOWN_DOCUMENT, code="unknown_card") from None
    return card_type


def parse_text_block(text: bytes, photo: bytes = b"", *, today: date | None = None) -> Identity:
    """The identity a text block describes, checked (``problem`` says why its number is not valid)."""
    card_type = card_type_of(text)
    raw = {name: _field(text, name, offset, size) for name, offset, size in LAYOUTS[card_type]}
    dates = {name: _date(raw[name], name) for name in _DATE_FIELDS}
    if card_type is CardType.FOREIGN_PERMANENT:
        english = raw["english_name"] + raw["english_name_more"]
    else:
        english = raw.get("english_name", "")
    values = {name: value.strip(" \x00") for name, value in raw.items()}
    identity = Identity(
        card_type=card_type,
        name=values["name"],
        id_number=values["id_number"],
        sex=sex_name(values["sex_code"]),
        sex_code=values["sex_code"],
        nation=nation_name(values.get("nation_code", "")),
        nation_code=values.get("nation_code", ""),
        birth_date=dates["birth_date"],
        address=values.get("address", ""),
        authority=values.get("authority", ""),
        valid_from=dates["valid_from"],
        valid_to=dates["valid_to"],
        english_name=english.strip(" \x00"),
        nationality=values.get("nationality", ""),
        pass_number=values.get("pass_number", ""),
        issue_count=values.get("issue_count", ""),
        photo=bytes(photo),
    )
    return check(identity, today=today)


def check(identity: Identity, *, today: date | None = None) -> Identity:
    """GB 11643's rules for the number, and the birth date printed on the card against the one in the number."""
    checked = identity.checked(today=today)
    if (
        not checked.problem
        and len(checked.id_number) == 18
        and checked.birth_date is not None
        and birth_date_from_id(checked.id_number) != checked.birth_date
    ):
        checked = replace(checked, problem=BIRTH_DATE_MISMATCH)
    return checked


def build_text_block(identity: Identity) -> bytes:
    """The 256 bytes a card with this identity holds (for the simulator and tests).

    Raises ``ValueError`` naming the field that does not fit its layout; the text never holds the value."""
    layout = LAYOUTS.get(identity.card_type)
    if layout is None:
        raise ValueError(f"{identity.card_type.value} cards have no SAM text block")
    english = identity.english_name
    values = {
        "name": identity.name,
        "sex_code": identity.sex_code or _code_of(SEXES, identity.sex),
        "nation_code": identity.nation_code or _code_of(NATIONS, identity.nation),
        "address": identity.address,
        "id_number": identity.id_number,
        "authority": identity.authority,
        "birth_date": _date_text(identity.birth_date, ""),
        "valid_from": _date_text(identity.valid_from, ""),
        "valid_to": _date_text(identity.valid_to, LONG_TERM),
        "english_name": english,
        "nationality": identity.nationality,
        "pass_number": identity.pass_number,
        "issue_count": identity.issue_count,
        "version": _OLD_CARD_VERSION,
        "reserved": "",
        "english_name_more": "",
        "old_card_link": "",
    }
    if identity.card_type is CardType.FOREIGN_PERMANENT:
        first = _ENGLISH_NAME_CHARS
        values["english_name"], values["english_name_more"] = english[:first], english[first:]
    block = bytearray(" ".encode("utf-16-le") * (TEXT_SIZE // 2))
    for name, offset, size in layout:
        block[offset : offset + size] = _encode(values[name], name, size)
    if identity.card_type is not CardType.RESIDENT:
        block[FLAG_OFFSET : FLAG_OFFSET + 2] = _FLAG_OF[identity.card_type].encode("utf-16-le")
    return bytes(block)


def _field(text: bytes, name: str, offset: int, size: int) -> str:
    try:
        return text[offset : offset + size].decode("utf-16-le")
    except UnicodeDecodeError:
        log.warning("ID card text block: field %s is not UTF-16", name)
        raise bad_text() from None


def _date(value: str, name: str) -> date | None:
    value = value.strip(" \x00")
    if not value or (name == "valid_to" and value == LONG_TERM):
        return None
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        log.warning("ID card text block: field %s is not a date (%d characters)", name, len(value))
        raise bad_text()
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        log.warning("ID card text block: field %s is an impossible date", name)
        raise bad_text() from None


def _date_text(value: date | None, absent: str) -> str:
    return value.strftime("%Y%m%d") if value else absent


def _encode(value: str, name: str, size: int) -> bytes:
    try:
        raw = value.encode("utf-16-le")
    except UnicodeEncodeError:
        raise ValueError(f"{name} holds characters UCS-2 cannot carry") from None
    if len(raw) > size or any(ord(ch) > 0xFFFF for ch in value):
        raise ValueError(f"{name} is longer than {size // 2} characters or outside UCS-2")
    return raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)


def _code_of(table: dict[str, str], name: str) -> str:
    if not name:
        return ""
    for code, label in table.items():
        if label == name:
            return code
    raise ValueError(f"no code for {name!r}")
