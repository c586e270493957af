"""Per-kind validation of delivered records: one table entry per kind, so features can tighten their own.

A validator returns the problem as ``"<field>: <message>"`` (the terminal keeps the record aside for an operator
and shows that text) or None when the body is acceptable.

Ratings (docs/rating.md) are checked in full: the shape by the protocol's ``RatingRecordBody``, then the rules
between fields. A rating body without ``format`` is the earlier counter-score shape (``score`` 1–5), still taken
from terminals that send it; it names no subject, so the one-rating-per-subject rule cannot apply to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from kiosk.center.usage import check_usage
from kiosk.protocol import OutboxRecord, canonical_json, first_error
from kiosk.protocol.models import RATING_FORMAT, RATING_OTHER, RatingRecordBody
from kiosk.protocol.receipts import receipt_key

RecordValidator = Callable[[dict[str, Any]], str | None]


def _rating(body: dict[str, Any]) -> str | None:
    if "format" not in body:
        score = body.get("score")
        if type(score) is not int or not 1 <= score <= 5:
            return "body.score: must be 1-5"
        return None
    try:
        rating = RatingRecordBody.model_validate(body)
    except ValidationError as exc:
        return f"body.{first_error(exc)}"
    bad = rating.level <= 2
    if len(set(rating.reasons)) != len(rating.reasons):
        return "body.reasons: a reason appears twice"
    if bad and not rating.reasons:
        return "body.reasons: a bad rating (level 1-2, 不满意/非常不满意) needs at least one reason"
    if not bad and rating.reasons:
        return "body.reasons: only a bad rating (level 1-2) gives reasons"
    if RATING_OTHER in rating.reasons and not rating.comment.strip():
        return f"body.comment: required when the reasons include {RATING_OTHER}"
    if rating.indicators.overall != rating.level:
        return "body.indicators.overall: must equal level"
    return None


def rating_subject(body: dict[str, Any]) -> tuple[str, str] | None:
    """(kind, id) of a valid rating body that names a subject; None for the earlier shape."""
    subject = body.get("subject")
    if body.get("format") != RATING_FORMAT or not isinstance(subject, dict):
        return None
    kind, subject_id = str(subject["kind"]), str(subject["id"])
    # One case is one subject however its receipt number was typed (spaces, hyphens, case).
    return kind, receipt_key(subject_id) if kind == "case" else subject_id


def _any_object(body: dict[str, Any]) -> str | None:
    return None


VALIDATORS: dict[str, RecordValidator] = {
    "rating": _rating,
    "submission": _any_object,
    "ticket": _any_object,
    "event": _any_object,
    "usage": check_usage,
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
