"""The citizen's identity as a card reports it: one immutable value that masks itself.

An :class:`Identity` lives in memory for one session. Its ``repr`` and ``str`` are masked, so it never appears
unmasked in a log line, a traceback or an exception message; code that must show the full value (the citizen's own
form, ``kiosk idcard read --unmasked``) asks for the field explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from kiosk.domain.messages import define

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


class CardType(StrEnum):
    RESIDENT = "resident"  # 居民身份证 (flag ' ')
    HMT_PERMIT = "hmt_permit"  # 港澳台居民居住证 (flag 'J')
    FOREIGN_PERMANENT_OLD = "foreign_permanent_old"  # 外国人永久居留身份证, 2017 layout (flag 'I')
    FOREIGN_PERMANENT = "foreign_permanent"  # 外国人永久居留身份证, 2023 layout (flag 'Y')
    SOCIAL_SECURITY = "social_security"  # 社会保障卡 (PC/SC)
    IDENTITY_CODE = "identity_code"  # 身份码: a government app's code, resolved by the center (no card read)

    @property
    def label(self) -> str:
        return _CARD_LABELS[self]


_CARD_LABELS = {
    CardType.RESIDENT: "居民身份证",
    CardType.HMT_PERMIT: "港澳台居民居住证",
    CardType.FOREIGN_PERMANENT_OLD: "外国人永久居留身份证",
    CardType.FOREIGN_PERMANENT: "外国人永久居留身份证",
    CardType.SOCIAL_SECURITY: "社会保障卡",
    CardType.IDENTITY_CODE: "身份码",
}


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


# Why a number is not valid (kiosk.domain.messages: the screens translate them).
ID_LENGTH = define("identity.id_length", "号码长度不是18位")()
ID_CHARACTERS = define("identity.id_characters", "号码含有无效字符")()
ID_BIRTH_DATE = define("identity.id_birth_date", "出生日期无效")()
ID_CHECK_DIGIT = define("identity.id_check_digit", "校验码不符")()
BIRTH_DATE_MISMATCH = define("identity.birth_date_mismatch", "出生日期与号码不符")()


def id_number_problem(number: str, *, today: date | None = None) -> str:
    """Why an 18-character citizen ID number (GB 11643) is not valid, in plain words; "" when it is."""
    if len(number) != 18:
        return ID_LENGTH
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return ID_CHARACTERS
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return ID_BIRTH_DATE
    if born > (today or date.today()) or born.year < 1880:
        return ID_BIRTH_DATE
    if id_check_digit(number[:17]) != number[17]:
        return ID_CHECK_DIGIT
    return ""


def birth_date_from_id(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def mask_id_number(number: str) -> str:
    """``440************12X``: the region's first three and the last three characters stay."""
    if len(number) <= 6:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 6) + number[-3:]


def mask_name(name: str) -> str:
    """``张*三``, ``李*``, ``欧**娜``; Latin names keep their first letter of each word."""
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


def mask_text(text: str, keep: int = 6) -> str:
    """An address or other free text: the first ``keep`` characters, the rest starred (at most six stars)."""
    text = text.strip()
    if len(text) <= keep:
        return text
    return text[:keep] + "*" * min(6, len(text) - keep)


@dataclass(frozen=True, slots=True, repr=False)
class Identity:
    """What a card says about its holder. Dates are ``None`` when the card leaves them empty;
    ``valid_to`` is ``None`` for 长期 (no end). ``problem`` says why the ID number is not valid ("" when it is)."""

    card_type: CardType
    name: str
    id_number: str
    sex: str = ""
    sex_code: str = ""
    nation: str = ""
    nation_code: str = ""
    birth_date: date | None = None
    address: str = ""
    authority: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    english_name: str = ""
    nationality: str = ""  # GB/T 2659 alpha-3, foreigners' cards only
    pass_number: str = ""  # 通行证号码, residence permits only
    issue_count: str = ""  # 签发次数 / 换证次数
    card_number: str = ""  # the card's own number where it has one (社保卡卡号)
    photo: bytes = field(
        default=b"", compare=False
    )  # 1,024-byte WLT as read; decode only with the vendor library
    problem: str = ""

    @property
    def valid(self) -> bool:
        return not self.problem

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def masked(self) -> dict[str, str]:
        """The fields a screen or a log may show."""
        return {
            "card_type": self.card_type.value,
            "name": self.masked_name,
            "id_number": self.masked_id_number,
            "sex": self.sex,
            "nation": self.nation,
            "address": mask_text(self.address),
            "valid": "yes" if self.valid else f"no: {self.problem}",
        }

    def unmasked(self) -> dict[str, str]:
        """Every text field in full: only for the citizen's own eyes or an explicit ``--unmasked``."""
        return {
            "card_type": self.card_type.value,
            "name": self.name,
            "id_number": self.id_number,
            "sex": self.sex,
            "sex_code": self.sex_code,
            "nation": self.nation,
            "nation_code": self.nation_code,
            "birth_date": self.birth_date.isoformat() if self.birth_date else "",
            "address": self.address,
            "authority": self.authority,
            "valid_from": self.valid_from.isoformat() if self.valid_from else "",
            "valid_to": self.valid_to.isoformat() if self.valid_to else "长期",
            "english_name": self.english_name,
            "nationality": self.nationality,
            "pass_number": self.pass_number,
            "issue_count": self.issue_count,
            "card_number": self.card_number,
            "problem": self.problem,
        }

    def checked(self, *, today: date | None = None) -> Identity:
        """This identity with ``problem`` set from the ID number's rules (18-digit numbers only)."""
        if len(self.id_number) == 18 or self.card_type in (CardType.RESIDENT, CardType.HMT_PERMIT):
            return replace(self, problem=id_number_problem(self.id_number, today=today))
        return self

    def __repr__(self) -> str:
        return f"Identity({self.card_type.value}, {self.masked_name}, {self.masked_id_number})"

    __str__ = __repr__
