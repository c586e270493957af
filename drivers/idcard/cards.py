"""Sample cards for the simulator, the demo and tests, and the small JSON card file ``--card FILE`` reads.

Every person, number and address here is made up: the numbers have valid GB 11643 check digits (computed, not
copied) so the driver's checks pass, except the one sample whose point is a wrong check digit. Photos are 1,024
bytes of deterministic filler: a real WLT photo can only be made by the vendor's encoder.

Card file (``kiosk-idcard/1``), one card per file; see docs/idcard.md::

    {"format": "kiosk-idcard/1", "card_type": "resident", "name": "陈秀英", "id_number": "…",
     "sex_code": "2", "nation_code": "01", "birth_date": "1948-03-15", "address": "…", "authority": "…",
     "valid_from": "2012-06-08", "valid_to": "长期"}

``"sample": "elder"`` starts from a sample card and lets the other keys change it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from drivers.base import Health
from drivers.idcard.errors import IdCardError
from drivers.idcard.protocol import FINGERPRINT_SIZE, PHOTO_SIZE
from drivers.idcard.tables import NATIONS, SEXES
from drivers.idcard.textblock import LONG_TERM, build_text_block
from kiosk.domain.identity import CardType, Identity, id_check_digit

CARD_FILE_FORMAT = "kiosk-idcard/1"


def filler(seed: str, size: int) -> bytes:
    """``size`` bytes that depend only on ``seed``: stands in for a WLT photo or fingerprint data."""
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}/{counter}".encode()).digest()
        counter += 1
    return bytes(out[:size])


def _number(first17: str) -> str:
    return first17 + id_check_digit(first17)


def _card(**values: Any) -> Identity:
    identity = Identity(**values)
    return replace(identity, photo=filler("photo:" + identity.id_number, PHOTO_SIZE))


SAMPLES: dict[str, Identity] = {
    # An elderly villager: issued after 46, so valid for the long term (长期).
    "elder": _card(
        card_type=CardType.RESIDENT,
        name="陈秀英",
        id_number=_number("44180319480315062"),
        sex="女",
        sex_code="2",
        nation="汉",
        nation_code="01",
        birth_date=date(1948, 3, 15),
        address="广东省清远市清新区太平镇禾丰村委会下围村12号",
        authority="清远市公安局清新分局",
        valid_from=date(2012, 6, 8),
        valid_to=None,
    ),
    # A young resident: issued at 17, valid for ten years.
    "young": _card(
        card_type=CardType.RESIDENT,
        name="黄嘉豪",
        id_number=_number("44140320040921113"),
        sex="男",
        sex_code="1",
        nation="汉",
        nation_code="01",
        birth_date=date(2004, 9, 21),
        address="广东省梅州市梅县区松口镇大黄村三组8号",
        authority="梅州市公安局梅县分局",
        valid_from=date(2021, 10, 12),
        valid_to=date(2031, 10, 12),
    ),
    # 长期 validity, a nation other than Han, a longer address.
    "long-term": _card(
        card_type=CardType.RESIDENT,
        name="邓志明",
        id_number=_number("44182619681102057"),
        sex="男",
        sex_code="1",
        nation="瑶",
        nation_code="13",
        birth_date=date(1968, 11, 2),
        address="广东省清远市连南瑶族自治县三江镇金坑村委会大坪村5号",
        authority="连南瑶族自治县公安局",
        valid_from=date(2015, 4, 20),
        valid_to=None,
    ),
    # 港澳台居民居住证 of a Hong Kong resident (flag 'J'): no nation, a pass number and an issue count.
    "hmt": _card(
        card_type=CardType.HMT_PERMIT,
        name="张家明",
        id_number=_number("81000019900517035"),
        sex="男",
        sex_code="1",
        birth_date=date(1990, 5, 17),
        address="广东省东莞市樟木头镇石新社区富竹路3号",
        authority="东莞市公安局",
        valid_from=date(2023, 3, 1),
        valid_to=date(2028, 3, 1),
        pass_number="H60123456",
        issue_count="01",
    ),
    # 外国人永久居留身份证, 2017 layout (flag 'I'): a 15-character number, the authority as its code.
    "foreign-old": _card(
        card_type=CardType.FOREIGN_PERMANENT_OLD,
        name="史密斯",
        english_name="SMITH, JOHN ROBERT",
        id_number="USA440085031211",
        sex="男",
        sex_code="1",
        nationality="USA",
        birth_date=date(1985, 3, 12),
        authority="1500",
        valid_from=date(2018, 7, 1),
        valid_to=date(2028, 7, 1),
    ),
    # 外国人永久居留身份证, 2023 layout (flag 'Y'): an 18-digit number with a GB 11643 check digit.
    "foreign": _card(
        card_type=CardType.FOREIGN_PERMANENT,
        name="马丽亚",
        english_name="GARCIA LOPEZ, MARIA ISABEL",
        id_number=_number("94472419910826004"),
        sex="女",
        sex_code="2",
        nationality="ESP",
        birth_date=date(1991, 8, 26),
        valid_from=date(2024, 1, 15),
        valid_to=date(2034, 1, 15),
        issue_count="00",
    ),
    # A number whose check digit is wrong (…0318 would be right): the driver must flag it, not accept it.
    "bad-check": _card(
        card_type=CardType.RESIDENT,
        name="何伟文",
        id_number="440281197512300315",
        sex="男",
        sex_code="1",
        nation="汉",
        nation_code="01",
        birth_date=date(1975, 12, 30),
        address="广东省韶关市乐昌市九峰镇茶料村委会上坪村7号",
        authority="乐昌市公安局",
        valid_from=date(2016, 1, 5),
        valid_to=date(2036, 1, 5),
    ),
}
DEFAULT_SAMPLE = "elder"


@dataclass(frozen=True, slots=True, repr=False)
class SimCard:
    """What a card on the simulated reader holds, as bytes: its text block, photo and fingerprint data."""

    text: bytes
    photo: bytes
    fingerprint: bytes

    @classmethod
    def from_identity(cls, identity: Identity) -> SimCard:
        """Raises ``ValueError`` naming a field that does not fit the card's layout."""
        photo = identity.photo or filler("photo:" + identity.id_number, PHOTO_SIZE)
        return cls(
            build_text_block(identity), photo, filler("fingerprint:" + identity.id_number, FINGERPRINT_SIZE)
        )

    def __repr__(self) -> str:
        return f"SimCard(text={len(self.text)}, photo={len(self.photo)}, fingerprint={len(self.fingerprint)})"


def sample(name: str) -> Identity:
    try:
        return SAMPLES[name]
    except KeyError:
        raise _card_file_error(f"没有名为 {name} 的示例证件（可选：{'、'.join(SAMPLES)}）") from None


def load_card(spec: str) -> Identity:
    """A sample's name (``elder``, ``hmt`` …) or the path of a card file."""
    if spec in SAMPLES:
        return SAMPLES[spec]
    return load_card_file(Path(spec))


def load_card_file(path: Path) -> Identity:
    """Read and check a card file; any problem is an :class:`IdCardError` (code ``card_file``) naming the file
    and the key, never the value (it may be a real person's)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _card_file_error(f"无法读取证件文件 {path}（{exc.strerror or exc}）") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _card_file_error(f"证件文件 {path} 不是有效的 JSON") from None
    try:
        return card_from_document(document)
    except ValueError as exc:
        raise _card_file_error(f"证件文件 {path} 无效：{exc}") from None


_TEXT_KEYS = (
    "name",
    "id_number",
    "sex",
    "sex_code",
    "nation",
    "nation_code",
    "address",
    "authority",
    "english_name",
    "nationality",
    "pass_number",
    "issue_count",
)
_DATE_KEYS = ("birth_date", "valid_from", "valid_to")
_LAYOUT_TYPES = tuple(
    t.value for t in CardType if t not in (CardType.SOCIAL_SECURITY, CardType.IDENTITY_CODE)
)  # cards with a SAM text layout
_KNOWN_KEYS = {"format", "sample", "card_type", "photo_hex", *_TEXT_KEYS, *_DATE_KEYS}


def card_from_document(document: Any) -> Identity:
    """The identity a parsed card file describes; ``ValueError`` says which key is wrong."""
    if not isinstance(document, dict):
        raise ValueError("the file must hold one JSON object")
    if document.get("format") != CARD_FILE_FORMAT:
        raise ValueError(f'"format" must be "{CARD_FILE_FORMAT}"')
    unknown = sorted(set(document) - _KNOWN_KEYS)
    if unknown:
        raise ValueError(f"unknown keys: {', '.join(unknown)}")
    base = None
    if "sample" in document:
        base = SAMPLES.get(document["sample"]) if isinstance(document["sample"], str) else None
        if base is None:
            raise ValueError(f'"sample" must be one of {", ".join(SAMPLES)}')
    values: dict[str, Any] = {}
    if "card_type" in document:
        try:
            values["card_type"] = CardType(document["card_type"])
        except ValueError:
            raise ValueError(f'"card_type" must be one of {", ".join(_LAYOUT_TYPES)}') from None
    for key in _TEXT_KEYS:
        if key in document:
            if not isinstance(document[key], str):
                raise ValueError(f'"{key}" must be a string')
            values[key] = document[key]
    for key in _DATE_KEYS:
        if key in document:
            values[key] = _parse_date(document[key], key)
    if "photo_hex" in document:
        try:
            values["photo"] = bytes.fromhex(document["photo_hex"])
        except (TypeError, ValueError):
            raise ValueError('"photo_hex" must be hexadecimal') from None
    if base is None:
        for key in ("card_type", "name", "id_number"):
            if key not in values:
                raise ValueError(f'"{key}" is required')
        identity = Identity(**values)
    else:
        identity = replace(base, **values)
    identity = _fill_codes(identity)
    if identity.card_type not in _LAYOUT_TYPES:
        raise ValueError(f'"card_type" must be one of {", ".join(_LAYOUT_TYPES)}')
    if not identity.photo:
        identity = replace(identity, photo=filler("photo:" + identity.id_number, PHOTO_SIZE))
    build_text_block(identity)  # every field must fit the card's layout
    return identity


def card_document(identity: Identity) -> dict[str, Any]:
    """The card file for an identity (the inverse of :func:`card_from_document`, photo left out)."""
    document: dict[str, Any] = {"format": CARD_FILE_FORMAT, "card_type": identity.card_type.value}
    for f in fields(Identity):
        value = getattr(identity, f.name)
        if f.name in _TEXT_KEYS and value:
            document[f.name] = value
    for key in _DATE_KEYS:
        value = getattr(identity, key)
        if value is not None:
            document[key] = value.isoformat()
        elif key == "valid_to":
            document[key] = LONG_TERM
    return document


def _parse_date(value: Any, key: str) -> date | None:
    if value is None or value == "" or (key == "valid_to" and value == LONG_TERM):
        return None
    if isinstance(value, str):
        text = value.replace("-", "")
        if len(text) == 8 and text.isascii() and text.isdigit():
            try:
                return date(int(text[:4]), int(text[4:6]), int(text[6:]))
            except ValueError:
                pass
    hint = '"YYYY-MM-DD" or "长期"' if key == "valid_to" else '"YYYY-MM-DD"'
    raise ValueError(f'"{key}" must be a date, {hint}')


def _fill_codes(identity: Identity) -> Identity:
    """A file may give the sex and nation as codes or as names; the identity carries both."""
    sex, sex_code = _pair(SEXES, identity.sex, identity.sex_code, "sex")
    nation, nation_code = _pair(NATIONS, identity.nation, identity.nation_code, "nation")
    return replace(identity, sex=sex, sex_code=sex_code, nation=nation, nation_code=nation_code)


def _pair(table: dict[str, str], name: str, code: str, key: str) -> tuple[str, str]:
    if code:
        if code not in table:
            raise ValueError(f'"{key}_code" is not a known code')
        return table[code], code
    if name:
        for known_code, label in table.items():
            if label == name:
                return name, known_code
        raise ValueError(f'"{key}" is not a known value')
    return "", ""


def _card_file_error(message: str) -> IdCardError:
    return IdCardError(message, code="card_file", health=Health.OK)
