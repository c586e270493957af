"""What a social security card says about its holder, decoded from its records into one immutable value.

Sex and nation codes are named with the ID card's tables (GB/T 2261.1, GB 3304), so both cards show the same words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from drivers.idcard.tables import nation_name, sex_name
from drivers.sscard import apdu
from drivers.sscard.apdu import CardDataError, RecordSpec
from kiosk.domain.identity import CardType, Identity, birth_date_from_id, mask_id_number, mask_name


@dataclass(frozen=True, slots=True, repr=False)
class CardContents:
    """The records of one card, decoded. ``birthplace`` is a GB/T 2260 region code; empty fields mean the card
    left them out (or stored something unreadable there, which is logged)."""

    card_number: str
    id_number: str
    name: str
    sex_code: str = ""
    nation_code: str = ""
    birthplace: str = ""
    birth_date: date | None = None

    def identity(self) -> Identity:
        """The holder as the rest of the terminal sees every card; the ID number checked (GB 11643)."""
        return Identity(
            card_type=CardType.SOCIAL_SECURITY,
            name=self.name,
            id_number=self.id_number,
            sex=sex_name(self.sex_code),
            sex_code=self.sex_code,
            nation=nation_name(self.nation_code),
            nation_code=self.nation_code,
            birth_date=self.birth_date or birth_date_from_id(self.id_number),
            card_number=self.card_number,
        ).checked()

    def __repr__(self) -> str:
        return (
            f"CardContents({mask_name(self.name)}, {mask_id_number(self.id_number)}, "
            f"card {mask_id_number(self.card_number)})"
        )


def decode_contents(card_number_record: bytes, records: Mapping[int, bytes]) -> CardContents:
    """Decode the card-number record and the EF06 records (by tag, each still ``tag | length | value``).
    The card number, ID number and name must be there and well formed; the other fields are kept when readable
    and left empty otherwise, so a card with one odd byte still serves its holder."""
    card_number = apdu.decode_ascii(apdu.record_value(card_number_record, apdu.CARD_NUMBER), apdu.CARD_NUMBER)
    values: dict[int, bytes] = {}
    for spec in apdu.EF06_RECORDS:
        raw = records.get(spec.tag)
        if raw is None:
            if spec.required:
                raise CardDataError(f"record {spec.tag:02X} missing")
            continue
        values[spec.tag] = apdu.record_value(raw, spec)
    specs = {spec.tag: spec for spec in apdu.EF06_RECORDS}
    id_number = apdu.decode_id_number(values[apdu.TAG_ID_NUMBER], specs[apdu.TAG_ID_NUMBER])
    name = apdu.decode_gbk(values[apdu.TAG_NAME], specs[apdu.TAG_NAME])
    return CardContents(
        card_number=card_number,
        id_number=id_number,
        name=name,
        sex_code=apdu.decode_sex(values.get(apdu.TAG_SEX, b"")),
        nation_code=_optional(_nation, values, specs[apdu.TAG_NATION]),
        birthplace=_optional(_birthplace, values, specs[apdu.TAG_BIRTHPLACE]),
        birth_date=_optional_date(values, specs[apdu.TAG_BIRTH_DATE]),
    )


def _nation(value: bytes, spec: RecordSpec) -> str:
    code = apdu.decode_bcd(value, spec)
    if len(code) != 2:
        raise CardDataError(f"record {spec.tag:02X}: nation code of {len(code)} digits")
    return code


def _birthplace(value: bytes, spec: RecordSpec) -> str:
    code = apdu.decode_bcd(value, spec)
    if len(code) != 6:
        raise CardDataError(f"record {spec.tag:02X}: region code of {len(code)} digits")
    return code


def _optional(
    decode: Callable[[bytes, RecordSpec], str], values: Mapping[int, bytes], spec: RecordSpec
) -> str:
    value = values.get(spec.tag)
    if not value or not value.strip(b"\x00\xff"):
        return ""
    try:
        return decode(value, spec)
    except CardDataError:
        return ""  # logged by CardDataError; a secondary field never blocks the read


def _optional_date(values: Mapping[int, bytes], spec: RecordSpec) -> date | None:
    value = values.get(spec.tag)
    if not value or not value.strip(b"\x00\xff"):
        return None
    try:
        return apdu.decode_date(value, spec)
    except CardDataError:
        return None
