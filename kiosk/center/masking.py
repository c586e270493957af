"""Delivered records as an operator may see them: personal fields masked (``kiosk center records``).

The bodies are personal data (names, ID numbers, phone numbers, addresses, signatures). What an operator needs to
see is which record it is and what it is about, not who: names keep their first and last character (``陈*英``), ID
numbers their first and last three (``441************621``), phone numbers their first three and last four, free
text and addresses their first few characters; signatures are left out. A submission's answers are masked by the
type of their field in the form template when the center has it, else by the name of the field; anywhere else, a
text that looks like an ID or mobile number is masked wherever it appears.

The three maskers follow ``kiosk.domain.identity`` on the terminal (the center is deployed apart from the terminal and
shares only ``kiosk.protocol`` with it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

SIGNATURE_HIDDEN: Final = "（签名已隐藏）"
# An 18-character ID number standing alone (a 17-digit receipt number is not one).
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])([0-9]{3})([0-9]{12})([0-9]{2}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9])([0-9]{4})([0-9]{4})(?![0-9])")

_NAME_KEYS = frozenset(
    {"name", "applicant", "applicant_name", "agent_name", "contact", "contact_name", "rater_name"}
)
_ID_KEYS = frozenset({"id_number", "id_no", "idcard", "id_card", "id_card_number", "agent_id_number"})
_PHONE_KEYS = frozenset({"phone", "mobile", "tel", "telephone", "contact_phone"})
_ADDRESS_KEYS = frozenset({"address", "addr", "home_address", "residence"})
_SIGNATURE_KEYS = frozenset({"signature", "sign"})
_KEEP_TYPES = frozenset({"choice", "multi_choice", "date", "number"})


def mask_name(name: str) -> str:
    """``张*三``, ``李*``, ``欧**娜``; Latin names keep the first letter of each word."""
    name = name.strip()
    if not name:
        return ""
    if name.isascii():
        return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())
    if len(name) <= 2:
        return name[0] + "*" * (len(name) - 1) if len(name) == 2 else "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(number: str) -> str:
    """``441************621``: the first three and the last three characters stay."""
    number = number.strip()
    if len(number) <= 6:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 6) + number[-3:]


def mask_phone(number: str) -> str:
    """``138****5678``: the first three and the last four digits stay."""
    number = number.strip()
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_text(text: str, keep: int = 6) -> str:
    """An address or other free text: the first ``keep`` characters, the rest starred (at most six stars)."""
    text = text.strip()
    if len(text) <= keep:
        return text[:1] + "*" * (len(text) - 1) if keep < 2 else text
    return text[:keep] + "*" * min(6, len(text) - keep)


def scrub(text: str) -> str:
    """Any ID or mobile number inside ``text`` masked."""
    text = _ID_NUMBER.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


def field_types(template: Mapping[str, Any] | None) -> dict[str, tuple[str, str]]:
    """``{key: (type, prefill)}`` of a form template's fields (empty without a template)."""
    types: dict[str, tuple[str, str]] = {}
    steps = template.get("steps") if template else None
    for step in steps if isinstance(steps, list) else ():
        entries = step.get("fields") if isinstance(step, dict) else None
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict) and isinstance(entry.get("key"), str):
                types[entry["key"]] = (str(entry.get("type", "")), str(entry.get("prefill", "")))
    return types


def masked_body(kind: str, body: Any, template: Mapping[str, Any] | None = None) -> Any:
    """A copy of a record's body with its personal fields masked (``template``: a submission's form)."""
    if not isinstance(body, dict):
        return _masked(body, "")
    if kind == "submission":
        types = field_types(template)
        copy = {key: _masked(value, key) for key, value in body.items() if key not in ("values", "signature")}
        values = body.get("values")
        if isinstance(values, dict):
            copy["values"] = {
                key: _masked_answer(value, key, types.get(key)) for key, value in values.items()
            }
        if "signature" in body:
            copy["signature"] = None if body["signature"] is None else SIGNATURE_HIDDEN
        return copy
    return {key: _masked(value, key) for key, value in body.items()}


def _masked_answer(value: Any, key: str, typed: tuple[str, str] | None) -> Any:
    if typed is None:
        return _masked(value, key)
    kind, prefill = typed
    if kind in _KEEP_TYPES:
        return value
    if not isinstance(value, str):
        return _masked(value, key)
    if kind == "id_number" or prefill == "id_number":
        return mask_id_number(value)
    if kind == "phone":
        return mask_phone(value)
    if kind == "signature":
        return SIGNATURE_HIDDEN
    if prefill == "name" or key in _NAME_KEYS:
        return mask_name(value)
    return mask_text(scrub(value), keep=6 if kind == "address" else 1)


def _masked(value: Any, key: str) -> Any:
    """By the field's name; texts under other names scrubbed of ID and mobile numbers."""
    lowered = key.lower()
    if lowered in _SIGNATURE_KEYS:
        return None if value is None else SIGNATURE_HIDDEN
    if isinstance(value, dict):
        return {k: _masked(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, key) for v in value]
    if not isinstance(value, str):
        return value
    if lowered in _NAME_KEYS:
        return mask_name(value)
    if lowered in _ID_KEYS:
        return mask_id_number(value)
    if lowered in _PHONE_KEYS:
        return mask_phone(value)
    if lowered in _ADDRESS_KEYS:
        return mask_text(value)
    return scrub(value)


def summary(kind: str, masked: Any) -> str:
    """One line saying what a (masked) record is about, for the operator's list."""
    if not isinstance(masked, dict):
        return ""
    if kind == "submission":
        template, values = _part(masked, "template"), _part(masked, "values")
        who = values.get("name") if isinstance(values.get("name"), str) else ""
        return " ".join(str(p) for p in (masked.get("receipt", ""), template.get("code", ""), who) if p)
    if kind == "rating":
        level = masked.get("level", masked.get("score", ""))
        subject, rater = _part(masked, "subject"), _part(masked, "rater")
        about = f"{subject.get('kind')}:{subject.get('id')}" if subject else ""
        return " ".join(str(p) for p in (f"level {level}", about, rater.get("name", "")) if p)
    return ""


def _part(body: dict[str, Any], key: str) -> dict[str, Any]:
    value = body.get(key)
    return value if isinstance(value, dict) else {}
