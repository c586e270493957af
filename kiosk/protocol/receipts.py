"""What the terminal and the center agree on about receipt numbers (回执编号): a terminal's receipt code and the
key a receipt number is looked up by.

A receipt number starts with its terminal's receipt code, six digits derived from the terminal id. The center
issues terminal ids and never issues one whose code another of its terminals has (``kiosk center terminal add``),
so numbers from different terminals never collide though each terminal makes them offline. The full shape and
the check digit are the terminal's business (``kiosk.domain.receipt``); the center only needs to find a case
however its number was typed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Final

TERMINAL_CODE_DIGITS: Final = 6
_SEPARATORS = re.compile(r"[\s\-‐-―－・·.]+")  # spaces, hyphens and dashes of any width, dots


def terminal_receipt_code(terminal_id: str) -> str:
    """The six digits that start the receipt numbers of ``terminal_id``: stable, from the id alone."""
    digest = hashlib.sha256(terminal_id.encode("utf-8")).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**TERMINAL_CODE_DIGITS:0{TERMINAL_CODE_DIGITS}d}"


def receipt_key(text: str) -> str:
    """The form of a receipt number that lookups compare: full-width characters folded, upper case, and for a
    number of digits only, the digits alone (so ``395607 261206 00177``, ``395607-261206-00177`` and
    ``39560726120600177`` are one number). An earlier number with letters (``T-7f3a9c21-261122-000042-Y``) keeps
    its hyphens, which are part of it, and loses only surrounding spaces and case."""
    folded = unicodedata.normalize("NFKC", text).strip().upper()
    digits = _SEPARATORS.sub("", folded)
    if digits.isascii() and digits.isdigit():
        return digits
    return folded
