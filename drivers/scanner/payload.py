"""Turning what a code scanner delivered into clean text.

Serial scanners hand over bytes in whatever encoding the code was printed in: UTF-8 for most QR codes, but GB18030
(or its subset GBK) for many Chinese ones, government apps' codes among them. UTF-8 is tried first because it is
strict: bytes that are not UTF-8 almost never decode as such by accident, whereas GB18030 accepts most byte
pairs. Keyboard-wedge scanners deliver text already; both paths share :func:`clean_text`.

A payload may carry personal data (an identity code, a receipt number), so :class:`ScanPayload` never shows its
text in a ``repr`` and nothing here logs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drivers.base import DeviceError, Health
from kiosk.domain.messages import define

# Framing a scanner may wrap around a payload: CR/LF suffixes, STX/ETX prefix and suffix, NUL padding, a BOM.
FRAMING = "\r\n\x02\x03\x00\ufeff"

# AIM symbology identifier (ISO/IEC 15424): "]" + code character + modifier, e.g. "]Q1" QR, "]C0" Code 128.
_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")

# Control characters a real code may contain: TAB, CR/LF inside multi-line codes, and the GS1 / ISO 15434
# separators (EOT, FS, GS, RS). Anything else below U+0020 (or DEL and C1) comes from line noise, not a code.
_ALLOWED_CONTROLS = frozenset("\t\r\n\x04\x1c\x1d\x1e")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

ENCODINGS = ("utf-8", "gb18030")

SCAN_EMPTY = define("scanner.scan_empty", "没有扫到内容，请重新扫码")()
SCAN_UNREADABLE = define("scanner.scan_unreadable", "扫码内容无法识别，请重新扫码")()


class PayloadError(DeviceError):
    """A scan that cannot be turned into text; the scanner itself is fine, so health stays OK."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message, code=code, health=Health.OK)


@dataclass(frozen=True, slots=True, repr=False)
class ScanPayload:
    """One decoded scan: ``text`` for the application, ``raw`` as the scanner sent it."""

    text: str
    raw: bytes = b""
    encoding: str = ""  # "utf-8" | "gb18030" | "" (keyboard wedge: already text)
    symbology: str = ""  # the AIM identifier that was stripped, e.g. "]Q1"; "" if none

    def __repr__(self) -> str:
        return (
            f"ScanPayload({len(self.text)} chars, {len(self.raw)} bytes, "
            f"encoding={self.encoding or '-'}, symbology={self.symbology or '-'})"
        )


def clean_text(text: str, *, strip_aim: bool = False) -> tuple[str, str]:
    """The payload without its framing (and its AIM prefix when asked), and the prefix that was removed.

    Raises PayloadError for text that is empty once unwrapped or holds control characters no code contains."""
    text = text.strip(FRAMING)
    symbology = ""
    if strip_aim:
        match = _AIM.match(text)
        if match:
            symbology = match.group()
            text = text[match.end() :].strip(FRAMING)
    if not text:
        raise PayloadError(SCAN_EMPTY, code="empty")
    if any(ch not in _ALLOWED_CONTROLS for ch in _CONTROL.findall(text)):
        raise PayloadError(SCAN_UNREADABLE, code="garbage")
    return text, symbology


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """The text of ``raw`` and the encoding that read it: UTF-8 first, then GB18030."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise PayloadError(SCAN_UNREADABLE, code="encoding")


def decode_scan(raw: bytes, *, strip_aim: bool = False) -> ScanPayload:
    """Decode one scan's bytes (framing included or not). Raises only PayloadError."""
    text, encoding = decode_bytes(bytes(raw))
    text, symbology = clean_text(text, strip_aim=strip_aim)
    return ScanPayload(text=text, raw=bytes(raw), encoding=encoding, symbology=symbology)


__all__ = ["ENCODINGS", "FRAMING", "PayloadError", "ScanPayload", "clean_text", "decode_bytes", "decode_scan"]
