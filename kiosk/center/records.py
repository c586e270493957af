"""Per-kind validation of delivered records: light for now, one table entry per kind so features can tighten it.

A validator returns the problem as ``"<field>: <message>"`` (the terminal keeps the record aside for an operator
and shows that text) or None when the body is acceptable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from kiosk.protocol import OutboxRecord, canonical_json, first_error

RecordValidator = Callable[[dict[str, Any]], str | None]


def _rating(body: dict[str, Any]) -> str | None:
    score = body.get("score")
    if type(score) is not int or not 1 <= score <= 5:
        return "body.score: must be 1-5"
    return None


def _any_object(body: dict[str, Any]) -> str | None:
    return None


VALIDATORS: dict[str, RecordValidator] = {
    "rating": _rating,
    "submission": _any_object,
    "ticket": _any_object,
    "event": _any_object,
}


def check_record(raw: dict[str, Any]) -> tuple[OutboxRecord | None, str]:
    """The record when it is valid, else None and the message for its 422 result."""
    try:
        record = OutboxRecord.model_validate(raw)
    except ValidationError as exc:
        return None, first_error(exc)
    try:
        canonical_json(raw)
    except ValueError:  # JSON may escape a lone surrogate (\ud800), which no UTF-8 text can hold
        return None, "record: text must be valid Unicode"
    validator = VALIDATORS.get(record.kind, _any_object)
    problem = validator(record.body)
    return (None, problem) if problem else (record, "")
