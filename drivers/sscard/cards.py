"""Sample social security cards for the emulator: fictitious people with plausible data.

Every ID number has a valid GB 11643 check digit and agrees with the birth date and sex; names are GBK like the
real cards'. One card (``pin``) demands its PIN before it shows the holder's records. A card can also come from a
JSON file with the same fields (see docs/sscard.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

from drivers.base import DeviceError, Health
from kiosk.domain.identity import id_check_digit, mask_id_number, mask_name


@dataclass(frozen=True, slots=True, repr=False)
class SampleCard:
    """The data one emulated card holds. ``pin_required``: EF06 answers ``6982`` until the PIN is verified."""

    name: str
    id_number: str
    sex_code: str
    nation_code: str
    birthplace: str
    birth_date: date
    card_number: str
    pin: str = "123456"
    pin_required: bool = False
    pin_tries: int = 3

    def __repr__(self) -> str:
        return f"SampleCard({mask_name(self.name)}, {mask_id_number(self.id_number)})"


def _id_number(first17: str) -> str:
    return first17 + id_check_digit(first17)


SAMPLE_CARDS: dict[str, SampleCard] = {
    "huang": SampleCard(
        name="黄桂英",
        id_number=_id_number("44180219560312024"),
        sex_code="2",
        nation_code="01",
        birthplace="441802",
        birth_date=date(1956, 3, 12),
        card_number="Q00583261",
    ),
    "chen": SampleCard(
        name="陈志强",
        id_number=_id_number("44182119881105031"),
        sex_code="1",
        nation_code="01",
        birthplace="441821",
        birth_date=date(1988, 11, 5),
        card_number="Q01277409",
    ),
    "pin": SampleCard(
        name="蓝秀娜",
        id_number=_id_number("44180219720815026"),
        sex_code="2",
        nation_code="22",
        birthplace="441802",
        birth_date=date(1972, 8, 15),
        card_number="Q00931176",
        pin="123456",
        pin_required=True,
        pin_tries=3,
    ),
}
DEFAULT_CARD = "huang"


def load_card(name_or_file: str) -> SampleCard:
    """A sample card by name, or a card described by a JSON file; a clear :class:`DeviceError` otherwise."""
    if name_or_file in SAMPLE_CARDS:
        return SAMPLE_CARDS[name_or_file]
    path = Path(name_or_file)
    if not path.is_file():
        names = "、".join(SAMPLE_CARDS)
        raise DeviceError(
            f"没有这张样卡：{name_or_file}（可选：{names}，或一个 JSON 文件）", code="card_file"
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DeviceError(f"样卡文件读不出：{path}（{exc.__class__.__name__}）", code="card_file") from None
    return card_from_dict(document, source=str(path))


def card_from_dict(document: Any, *, source: str = "card") -> SampleCard:
    """Check every field the way the card stores it, so the emulator never holds what a real card could not."""
    if not isinstance(document, dict):
        raise _bad(source, "应为一个 JSON 对象")
    known = {f.name for f in fields(SampleCard)}
    unknown = sorted(set(document) - known)
    if unknown:
        raise _bad(source, f"有不认识的字段 {', '.join(unknown)}")
    values = dict(document)
    try:
        values["birth_date"] = date.fromisoformat(str(values.get("birth_date", "")))
    except ValueError:
        raise _bad(source, "birth_date 应为 YYYY-MM-DD") from None
    for name in ("name", "id_number", "sex_code", "nation_code", "birthplace", "card_number", "pin"):
        if name in values and not isinstance(values[name], str):
            raise _bad(source, f"{name} 应为字符串")
    try:
        card = SampleCard(**values)
    except TypeError:
        raise _bad(
            source, "缺少字段（name, id_number, sex_code, nation_code, birthplace, card_number）"
        ) from None
    checks = (
        (_gbk_fits(card.name, 30), "name 应为不超过30字节的 GBK 文字"),
        (
            card.id_number.isascii() and card.id_number.isalnum() and len(card.id_number) <= 18,
            "id_number 无效",
        ),
        (card.sex_code in ("0", "1", "2", "9"), "sex_code 应为 0、1、2 或 9"),
        (len(card.nation_code) == 2 and card.nation_code.isdigit(), "nation_code 应为两位数字"),
        (len(card.birthplace) == 6 and card.birthplace.isdigit(), "birthplace 应为六位行政区划代码"),
        (
            card.card_number.isascii() and card.card_number.isalnum() and len(card.card_number) <= 9,
            "card_number 无效",
        ),
        (card.pin.isascii() and card.pin.isdigit() and 4 <= len(card.pin) <= 12, "pin 应为4到12位数字"),
        (isinstance(card.pin_required, bool), "pin_required 应为 true 或 false"),
        (isinstance(card.pin_tries, int) and 0 <= card.pin_tries <= 15, "pin_tries 应为0到15"),
    )
    for ok, problem in checks:
        if not ok:
            raise _bad(source, problem)
    return card


def _gbk_fits(text: str, size: int) -> bool:
    try:
        return 0 < len(text.encode("gbk")) <= size
    except UnicodeEncodeError:
        return False


def _bad(source: str, problem: str) -> DeviceError:
    return DeviceError(f"样卡 {source}：{problem}", code="card_file", health=Health.ERROR)
