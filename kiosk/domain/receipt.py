"""Receipt numbers (回执编号) of the forms a terminal takes in: valid offline, unique across terminals, checked.

``<terminal id>-<yymmdd>-<6-digit sequence>-<check character>``, e.g. ``T-7f3a9c21-261122-000042-Y``.

- The terminal id makes numbers from different terminals differ whatever their clocks and counters say; the
  center issues each terminal its own id, so no coordination is needed while a village line is down.
- The day and a per-day sequence the caller keeps (and persists in the same transaction as the submission) make
  them differ on one terminal.
- The check character is ISO/IEC 7064 MOD 37-2 over everything before it (letters without regard to case, a
  hyphen counting as the 37th value): any single mistyped character and any swap of two neighbouring characters
  gives a number that :func:`check_receipt` refuses. Its alphabet is ``0-9``, ``A-Z`` and ``*``.

Pure functions, no I/O: the counter lives with the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

CHECK_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
_VALUES = {ch: n for n, ch in enumerate(CHECK_ALPHABET[:36])} | {"-": 36}  # the separator counts too
_MODULUS = 37
MAX_SEQUENCE = 999_999
MAX_TERMINAL_ID = 32
_TERMINAL_RE = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_RECEIPT_RE = re.compile(r"(?P<terminal>.+)-(?P<day>\d{6})-(?P<seq>\d{6})-(?P<check>[0-9A-Za-z*])")


class ReceiptError(ValueError):
    """A text that is not a receipt number. ``message`` is for the citizen; ``code`` is ``format`` (the shape
    is wrong), ``date`` (no such day) or ``checksum`` (a character is mistyped)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class Receipt:
    """A receipt number taken apart."""

    terminal_id: str
    day: date
    sequence: int
    text: str


def check_character(payload: str) -> str:
    """The ISO/IEC 7064 MOD 37-2 check character of ``payload``: digits 0-9, letters 10-35 (either case) and the
    hyphen 36, so a moved hyphen (a different terminal id) is caught too; other characters are not counted.

    Pure system, radix 2: the check value ``c`` makes ``sum(v_i * 2^(n+1-i)) + c ≡ 1 (mod 37)``. 37 is prime
    and neighbouring weights differ, so every single substitution and adjacent transposition changes it."""
    total = 0
    for ch in payload.upper():
        value = _VALUES.get(ch)
        if value is not None:
            total = (total + value) * 2 % _MODULUS
    return CHECK_ALPHABET[(_MODULUS + 1 - total) % _MODULUS]


def _check_terminal_id(terminal_id: str) -> None:
    if len(terminal_id) > MAX_TERMINAL_ID or _TERMINAL_RE.fullmatch(terminal_id) is None:
        raise ValueError(
            f"terminal id {terminal_id!r} cannot go into a receipt number: 1-{MAX_TERMINAL_ID} letters, digits "
            "and single inner hyphens"
        )


def make_receipt(terminal_id: str, day: date, sequence: int) -> str:
    """The receipt number of the ``sequence``-th form (0–999,999) the terminal took in on ``day`` (2000–2099).

    The terminal id is kept as it is, so different ids always give different numbers."""
    _check_terminal_id(terminal_id)
    if not 2000 <= day.year <= 2099:
        raise ValueError(f"receipt day {day.isoformat()} is outside 2000-2099")
    if isinstance(sequence, bool) or not 0 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"receipt sequence {sequence!r} is outside 0-{MAX_SEQUENCE}")
    payload = f"{terminal_id}-{day:%y%m%d}-{sequence:06d}"
    return f"{payload}-{check_character(payload)}"


def parse_receipt(text: str) -> Receipt:
    """Take a receipt number apart; raise :class:`ReceiptError` with a message for the citizen when it is not
    one. Spaces around it are ignored and the check character may be typed in lower case."""
    cleaned = text.strip() if isinstance(text, str) else ""
    match = _RECEIPT_RE.fullmatch(cleaned)
    if match is None:
        raise ReceiptError("回执编号格式不正确，请核对", "format")
    terminal_id = match["terminal"]
    try:
        _check_terminal_id(terminal_id)
    except ValueError:
        raise ReceiptError("回执编号格式不正确，请核对", "format") from None
    digits = match["day"]
    try:
        day = date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    except ValueError:
        raise ReceiptError("回执编号中的日期不正确，请核对", "date") from None
    payload = cleaned[: match.start("check") - 1]
    if check_character(payload) != match["check"].upper():
        raise ReceiptError("回执编号有误，请逐位核对", "checksum")
    text_out = f"{payload}-{match['check'].upper()}"
    return Receipt(terminal_id=terminal_id, day=day, sequence=int(match["seq"]), text=text_out)


def check_receipt(text: str) -> bool:
    """Whether ``text`` is a well-formed receipt number with the right check character."""
    try:
        parse_receipt(text)
    except ReceiptError:
        return False
    return True
