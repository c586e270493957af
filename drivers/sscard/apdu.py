"""The social security card's commands, status words and record format, as pure functions.

The card (社会保障卡) carries an application named ``sx1.sh.社会保障`` (SSSE). Its EF05 holds the card's own data
(record tag 07 is the card number) and EF06 the holder's (tags 08 social security number, which is the citizen ID
number, 09 name in GBK, 0A sex, 0B nation, 0C birthplace, 0D birth date). Every record is one tag-length-value:
``tag | length | value``. See docs/sscard.md for where these facts come from and what is unverified.

Everything here is a pure function over bytes so it can be tested and fuzzed without a card; anything malformed
raises :class:`SsCardError` (a :class:`~drivers.base.DeviceError`) and nothing else.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from drivers.base import DeviceError, Health
from kiosk.domain.messages import define

log = logging.getLogger(__name__)

# -- commands ----------------------------------------------------------------------------------------------

#: The SSSE application's name: ASCII ``sx1.sh.`` followed by ``社会保障`` in GBK.
SSSE_AID = b"sx1.sh." + "社会保障".encode("gbk")
SELECT_SSSE = bytes([0x00, 0xA4, 0x04, 0x00, len(SSSE_AID)]) + SSSE_AID
SELECT_EF06 = bytes.fromhex("00A4020002EF06")
#: READ RECORD 7 of the file with short identifier 5 (EF05, P2 = 5 << 3 | 4): no SELECT of EF05 needed.
READ_CARD_NUMBER = bytes.fromhex("00B2072C0B")

TAG_CARD_NUMBER = 0x07
TAG_ID_NUMBER = 0x08
TAG_NAME = 0x09
TAG_SEX = 0x0A
TAG_NATION = 0x0B
TAG_BIRTHPLACE = 0x0C
TAG_BIRTH_DATE = 0x0D


@dataclass(frozen=True, slots=True)
class RecordSpec:
    """One EF06 data item: its tag and the length of its value on the card (an = ASCII, cn = packed BCD)."""

    tag: int
    label: str
    length: int
    required: bool = True


CARD_NUMBER = RecordSpec(TAG_CARD_NUMBER, "card number (an 9)", 9)
EF06_RECORDS: tuple[RecordSpec, ...] = (
    RecordSpec(TAG_ID_NUMBER, "social security number (an 18)", 18),
    RecordSpec(TAG_NAME, "name (GBK, 30)", 30),
    RecordSpec(TAG_SEX, "sex (an 1)", 1, required=False),
    RecordSpec(TAG_NATION, "nation (cn 1)", 1, required=False),
    RecordSpec(TAG_BIRTHPLACE, "birthplace (cn 3)", 3, required=False),
    RecordSpec(TAG_BIRTH_DATE, "birth date (cn 4)", 4, required=False),
)


def read_record_by_tag(spec: RecordSpec) -> bytes:
    """``00 B2 <tag> 00 <2 + length>``: READ RECORD of the current EF, the first record whose identifier (its TLV
    tag) is P1 (ISO 7816-4, P2 b3..b1 = 000). Le covers the tag and length bytes as well as the value. Reading by
    identifier, not by record number, works whatever order a card keeps its EF06 records in."""
    return bytes([0x00, 0xB2, spec.tag, 0x00, spec.length + 2])


def get_response(le: int) -> bytes:
    return bytes([0x00, 0xC0, 0x00, 0x00, le & 0xFF])


def encode_pin(pin: str) -> bytes:
    """The PIN as the card compares it: packed BCD, two digits a byte, an odd last digit padded with ``F``
    (``123456`` → ``12 34 56``). Raises :class:`PinFormatError` unless it is 4 to 12 digits."""
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
        raise PinFormatError()
    digits = pin if len(pin) % 2 == 0 else pin + "F"
    return bytes.fromhex(digits)


def verify_pin(pin: str) -> bytes:
    """``00 20 00 00 <len> <PIN in packed BCD>``. The result holds the PIN: never log it."""
    data = encode_pin(pin)
    return bytes([0x00, 0x20, 0x00, 0x00, len(data)]) + data


def with_le(command: bytes, le: int) -> bytes:
    """The command with its expected length set to ``le`` (appended, or replacing the one it has); used to resend
    after a ``6Cxx`` (wrong length, the card says which is right)."""
    if len(command) < 4:
        raise CardDataError(f"command too short to carry Le: {len(command)} bytes")
    if len(command) == 4:
        return command + bytes([le & 0xFF])
    lc = command[4]
    if len(command) == 5:  # case 2: the fifth byte is Le
        return command[:4] + bytes([le & 0xFF])
    if len(command) == 5 + lc:  # case 3: add Le
        return command + bytes([le & 0xFF])
    if len(command) == 6 + lc:  # case 4: replace Le
        return command[:-1] + bytes([le & 0xFF])
    raise CardDataError(f"malformed command: Lc {lc} in {len(command)} bytes")


def describe_command(command: bytes) -> str:
    """A log line's view of a command: the header and lengths only, never the data (a VERIFY carries the PIN, and
    nothing personal belongs in a log)."""
    return command[:4].hex().upper() + (f" +{len(command) - 4}" if len(command) > 4 else "")


# -- responses and status words ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class Response:
    """A card's answer: data and the status word. Its repr shows the length only (data may be personal)."""

    data: bytes
    sw1: int
    sw2: int

    @property
    def sw(self) -> int:
        return self.sw1 << 8 | self.sw2

    @property
    def ok(self) -> bool:
        return self.sw == 0x9000

    def __repr__(self) -> str:
        return f"Response({len(self.data)} bytes, SW {self.sw:04X})"


def parse_response(raw: bytes) -> Response:
    if len(raw) < 2:
        raise CardDataError(f"response of {len(raw)} bytes has no status word")
    return Response(bytes(raw[:-2]), raw[-2], raw[-1])


SW_OK = 0x9000
SW_SECURITY = 0x6982  # security status not satisfied: the PIN is needed
SW_PIN_BLOCKED = 0x6983  # authentication method blocked
SW_NOT_FOUND = 0x6A82  # file or application not found
SW_RECORD_NOT_FOUND = 0x6A83


def is_pin_needed(sw: int) -> bool:
    return sw == SW_SECURITY


def pin_tries_left(sw: int) -> int | None:
    """The tries a ``63Cx`` says are left, ``None`` for any other status word."""
    return sw & 0x0F if sw & 0xFFF0 == 0x63C0 else None


def check(response: Response, what: str) -> Response:
    """The response when it is ``9000``; otherwise the error a person can act on. ``what`` names the step for the
    log (no personal data in it)."""
    sw = response.sw
    if sw == SW_OK:
        return response
    log.info("social security card: %s answered SW %04X", what, sw)
    if sw == SW_SECURITY:
        raise PinRequiredError()
    tries = pin_tries_left(sw)
    if tries is not None:
        raise PinBlockedError(sw) if tries == 0 else PinWrongError(tries)
    if sw == SW_PIN_BLOCKED:
        raise PinBlockedError(sw)
    if sw == SW_NOT_FOUND:
        raise SsCardError(NOT_SSCARD, code="not_sscard", health=Health.OK, sw=sw)
    raise SsCardError(CARD_ERROR, code="card_error", health=Health.OK, sw=sw)


# -- records (tag-length-value) --------------------------------------------------------------------------------


def record_value(record: bytes, spec: RecordSpec) -> bytes:
    """The value of one record ``tag | length | value``: the tag must be the one asked for and the length must
    fit the data exactly."""
    if len(record) < 2:
        raise CardDataError(f"record {spec.tag:02X}: {len(record)} bytes, no tag and length")
    tag, length = record[0], record[1]
    if tag != spec.tag:
        raise CardDataError(f"record {spec.tag:02X}: found tag {tag:02X}")
    if length != len(record) - 2:
        raise CardDataError(f"record {spec.tag:02X}: length byte {length}, {len(record) - 2} bytes of value")
    if length > spec.length:
        raise CardDataError(f"record {spec.tag:02X}: {length} bytes, at most {spec.length} expected")
    return bytes(record[2:])


_PADDING = b"\x00\x20\xff"


def decode_ascii(value: bytes, spec: RecordSpec) -> str:
    """An ``an`` field: printable ASCII, padded on the right with NUL, space or FF."""
    text = value.rstrip(_PADDING)
    if not text or not all(0x21 <= b <= 0x7E for b in text):
        raise CardDataError(f"record {spec.tag:02X}: not printable ASCII")
    return text.decode("ascii")


def decode_gbk(value: bytes, spec: RecordSpec) -> str:
    text = value.rstrip(_PADDING)
    try:
        decoded = text.decode("gbk")
    except UnicodeDecodeError:
        raise CardDataError(f"record {spec.tag:02X}: not GBK text") from None
    decoded = decoded.strip()
    if not decoded or not decoded.isprintable():
        raise CardDataError(f"record {spec.tag:02X}: empty or unprintable text")
    return decoded


def decode_bcd(value: bytes, spec: RecordSpec) -> str:
    """A ``cn`` field: packed BCD digits, trailing ``F`` nibbles are padding."""
    digits = value.hex().upper().rstrip("F")
    if not digits.isdigit():
        raise CardDataError(f"record {spec.tag:02X}: not packed BCD")
    return digits


def decode_date(value: bytes, spec: RecordSpec) -> date:
    digits = decode_bcd(value, spec)
    if len(digits) != 8:
        raise CardDataError(f"record {spec.tag:02X}: date of {len(digits)} digits")
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise CardDataError(f"record {spec.tag:02X}: no such date") from None


def decode_id_number(value: bytes, spec: RecordSpec) -> str:
    number = decode_ascii(value, spec).upper()
    if not number.isalnum():
        raise CardDataError(f"record {spec.tag:02X}: not an ID number")
    return number


def decode_sex(value: bytes) -> str:
    """The GB/T 2261.1 code. Cards store it as one ASCII digit (``an 1``); a binary 0x01/0x02 is accepted too
    because which one a given card issuer used is unverified. Anything else is ``""`` (not fatal)."""
    if len(value) != 1:
        return ""
    byte = value[0]
    if 0x30 <= byte <= 0x39:
        return chr(byte)
    if byte <= 0x09:
        return str(byte)
    return ""


# -- errors ------------------------------------------------------------------------------------------------------

# What the person is told (kiosk.domain.messages: the screens translate them by code).
NOT_SSCARD = define("sscard.not_sscard", "这张卡读不出社保信息，请确认插入的是社会保障卡")()
CARD_ERROR = define("sscard.card_error", "社保卡读取失败，请重新插卡再试")()
CARD_DATA = define("sscard.card_data", "社保卡数据无法识别，请到社保窗口检查卡片")()
PIN_REQUIRED = define("sscard.pin_required", "请输入社保卡密码")()
PIN_WRONG = define("sscard.pin_wrong", "密码错误，还可以输入{n}次")
PIN_BLOCKED = define("sscard.pin_blocked", "社保卡密码已锁定，请到社保窗口办理解锁")()
PIN_FORMAT = define("sscard.pin_format", "密码格式不对，请输入6位数字密码")()


class SsCardError(DeviceError):
    """An error of the social security card itself (as opposed to the reader or PC/SC). ``sw`` is the status word
    that caused it, 0 when there was none."""

    def __init__(self, message: str, *, code: str, health: Health = Health.OK, sw: int = 0) -> None:
        super().__init__(message, code=code, health=health)
        self.sw = sw


class CardDataError(SsCardError):
    """The card answered something this driver cannot make sense of. The detail goes to the log, never to the
    person: it may describe the card's content."""

    def __init__(self, detail: str) -> None:
        super().__init__(CARD_DATA, code="card_data")
        log.warning("social security card: malformed data: %s", detail)
        self.detail = detail


class PinRequiredError(SsCardError):
    def __init__(self) -> None:
        super().__init__(PIN_REQUIRED, code="pin_required", sw=SW_SECURITY)


class PinWrongError(SsCardError):
    def __init__(self, tries_left: int) -> None:
        super().__init__(PIN_WRONG(n=tries_left), code="pin_wrong", sw=0x63C0 | tries_left)
        self.tries_left = tries_left


class PinBlockedError(SsCardError):
    def __init__(self, sw: int = SW_PIN_BLOCKED) -> None:
        super().__init__(PIN_BLOCKED, code="pin_blocked", sw=sw)


class PinFormatError(SsCardError):
    def __init__(self) -> None:
        super().__init__(PIN_FORMAT, code="pin_format")
