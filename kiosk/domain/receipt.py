"""Receipt numbers (回执编号) of the forms a terminal takes in: digits only, valid offline, unique across terminals,
checked.

``<terminal code: 6><yymmdd: 6><sequence: 4><check digit: 1>``, 17 digits, e.g. ``39560726120600177``, printed and
shown in three groups for reading aloud: ``395607 261206 00177`` (terminal, day, number and check).

- Digits only, so a citizen keys it on the digit pad (no letters, no I/O mix-ups, no symbol page) and a scanner
  in keyboard mode types it in any layout.
- The terminal code (``kiosk.protocol.receipts.terminal_receipt_code``) comes from the terminal id; the center
  never issues two of its terminals the same code, so numbers from different terminals differ whatever their
  clocks and counters say, without asking anyone while a village line is down.
- The day and a per-day sequence the caller keeps (and persists in the same transaction as the submission) make
  them differ on one terminal. A terminal takes in far fewer than 10,000 forms a day.
- The check digit is the Damm algorithm's over the 16 digits before it: every single mistyped digit and every
  swap of two neighbouring digits gives a number that :func:`check_receipt` refuses.

Numbers issued before (``T-7f3a9c21-261122-000042-Y``: terminal id, day, six-digit sequence and an ISO/IEC 7064
MOD 37-2 check character) are still parsed, so cases and ratings already at the center and in outboxes are found.

Pure functions, no I/O: the counter lives with the caller.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from stdnum import damm

# kiosk.protocol.receipts (shared with the center) is imported where it is used: the package loads pydantic,
# which the domain's modules leave for the first template or record they read (tests/test_forms.py).

RECEIPT_DIGITS = 17
MAX_SEQUENCE = 9_999
TERMINAL_CODE_DIGITS = 6  # kiosk.protocol.receipts.TERMINAL_CODE_DIGITS
_DAY = slice(TERMINAL_CODE_DIGITS, TERMINAL_CODE_DIGITS + 6)
_SEQUENCE = slice(_DAY.stop, _DAY.stop + 4)
GROUPS = ((0, _DAY.start), (_DAY.start, _DAY.stop), (_DAY.stop, RECEIPT_DIGITS))  # read aloud in these

# Earlier numbers: <terminal id>-<yymmdd>-<6-digit sequence>-<MOD 37-2 check character>.
CHECK_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
_VALUES = {ch: n for n, ch in enumerate(CHECK_ALPHABET[:36])} | {"-": 36}  # the separator counts too
_MODULUS = 37
MAX_TERMINAL_ID = 32
_TERMINAL_RE = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_LEGACY_RE = re.compile(r"(?P<terminal>.+)-(?P<day>\d{6})-(?P<seq>\d{6})-(?P<check>[0-9A-Za-z*])")

# What the citizen is told, by code (the screens translate by code; ``digits`` is how many were typed).
MESSAGES = {
    "empty": "请输入回执上的回执编号",
    "format": "回执编号只有数字，请对照回执核对后重新输入",
    "length": "回执编号共17位数字，现在是{digits}位，请对照回执核对",
    "date": "回执编号中间6位是办理日期（年年月月日日），这几位不对，请核对",
    "checksum": "回执编号中有一位输错了，或有两位前后颠倒了，请对照回执逐位核对",
}


class ReceiptError(ValueError):
    """A text that is not a receipt number. ``code`` says what is wrong: ``empty``, ``format`` (not digits),
    ``length`` (not 17 digits; ``digits`` tells how many), ``date`` (the middle group is no day, or one after
    today) or ``checksum`` (a digit mistyped or two swapped); ``message`` is the Chinese for the citizen."""

    def __init__(self, code: str, digits: int = 0) -> None:
        self.code = code
        self.digits = digits
        self.message = MESSAGES[code].format(digits=digits)
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class Receipt:
    """A receipt number taken apart. ``text`` is its one written form (what is stored, sent and compared):
    the 17 digits, or an earlier number in upper case with its hyphens. ``terminal`` is the terminal code (or
    an earlier number's terminal id)."""

    terminal: str
    day: date
    sequence: int
    text: str

    @property
    def grouped(self) -> str:
        return group_receipt(self.text)


def make_receipt(terminal_id: str, day: date, sequence: int) -> str:
    """The receipt number of the ``sequence``-th form (0–9,999) the terminal ``terminal_id`` took in on ``day``
    (2000–2099): 17 digits."""
    from kiosk.protocol.receipts import terminal_receipt_code

    if not isinstance(terminal_id, str) or not terminal_id:
        raise ValueError("a receipt number needs the terminal id")
    if not 2000 <= day.year <= 2099:
        raise ValueError(f"receipt day {day.isoformat()} is outside 2000-2099")
    if isinstance(sequence, bool) or not isinstance(sequence, int) or not 0 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"receipt sequence {sequence!r} is outside 0-{MAX_SEQUENCE}")
    payload = f"{terminal_receipt_code(terminal_id)}{day:%y%m%d}{sequence:04d}"
    return payload + damm.calc_check_digit(payload)


def group_receipt(text: str) -> str:
    """A receipt number as it is printed and shown, in groups for reading aloud (``395607 261206 00177``), and
    the first digits of one as they are typed (``395607 26``); an earlier number, or anything else, as it is."""
    if not text or len(text) > RECEIPT_DIGITS or not (text.isascii() and text.isdigit()):
        return text
    return " ".join(text[a:b] for a, b in GROUPS if text[a:b])


def receipt_digits(text: str) -> str:
    """What a citizen typed, as the digits the entry field keeps: full-width digits folded, everything else
    (spaces, hyphens) dropped."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if ch.isascii() and ch.isdigit())


def parse_receipt(text: str, today: date | None = None) -> Receipt:
    """Take a receipt number apart, typed with or without spaces and hyphens, in either case; raise
    :class:`ReceiptError` saying what is wrong when it is not one. With ``today``, a day after it is wrong too
    (a receipt is never dated in the future)."""
    from kiosk.protocol.receipts import receipt_key

    if not isinstance(text, str) or not text.strip():
        raise ReceiptError("empty")
    key = receipt_key(text)
    if key.isdigit():
        return _parse_digits(key, today)
    if _LEGACY_RE.fullmatch(key):
        return _parse_legacy(key)
    raise ReceiptError("format")


def _parse_digits(key: str, today: date | None) -> Receipt:
    if len(key) != RECEIPT_DIGITS:
        raise ReceiptError("length", len(key))
    day = _day(key[_DAY])
    if day is None or (today is not None and day > today):
        raise ReceiptError("date")
    if not damm.is_valid(key):
        raise ReceiptError("checksum")
    return Receipt(key[: _DAY.start], day, int(key[_SEQUENCE]), key)


def _parse_legacy(key: str) -> Receipt:
    match = _LEGACY_RE.fullmatch(key)
    assert match is not None
    terminal_id = match["terminal"]
    if len(terminal_id) > MAX_TERMINAL_ID or _TERMINAL_RE.fullmatch(terminal_id) is None:
        raise ReceiptError("format")
    day = _day(match["day"])
    if day is None:
        raise ReceiptError("date")
    payload = key[: match.start("check") - 1]
    if legacy_check_character(payload) != match["check"]:
        raise ReceiptError("checksum")
    return Receipt(terminal_id, day, int(match["seq"]), key)


def _day(digits: str) -> date | None:
    try:
        return date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    except ValueError:
        return None


def legacy_check_character(payload: str) -> str:
    """The ISO/IEC 7064 MOD 37-2 check character of an earlier receipt number's ``payload``: digits 0-9,
    letters 10-35 (either case) and the hyphen 36; pure system, radix 2."""
    total = 0
    for ch in payload.upper():
        value = _VALUES.get(ch)
        if value is not None:
            total = (total + value) * 2 % _MODULUS
    return CHECK_ALPHABET[(_MODULUS + 1 - total) % _MODULUS]


def check_receipt(text: str) -> bool:
    """Whether ``text`` is a well-formed receipt number with the right check digit (or character)."""
    try:
        parse_receipt(text)
    except ReceiptError:
        return False
    return True
