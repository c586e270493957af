"""Field types every body of the protocol uses: ISO-8601 timestamps, JSON integers, text without NUL.

They stand apart from ``kiosk.protocol.models`` so that the operations bodies (``kiosk.protocol.ops``), which the
heartbeat carries, can use them too without the two modules importing each other.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Final

from pydantic import AwareDatetime, BeforeValidator, Field, StrictFloat, StrictInt

from kiosk.protocol.strict_json import MAX_SAFE_INTEGER

_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def iso_text(value: Any) -> Any:
    # Pydantic would also take Unix times (numbers or digit strings); the protocol speaks ISO-8601 only.
    if isinstance(value, datetime) or (isinstance(value, str) and _ISO_DATETIME.match(value)):
        return value
    raise ValueError("must be an ISO-8601 date-time with an offset, e.g. 2026-11-22T08:30:00+08:00")


Timestamp = Annotated[AwareDatetime, BeforeValidator(iso_text)]


def json_integer(value: Any) -> Any:
    # JSON Schema counts 12.0 as an integer (some encoders write whole floats so); strings and booleans stay out.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Integers within ±(2^53 - 1), as the strict parser reads them (kiosk.protocol.strict_json, I-JSON).
JsonInt = Annotated[
    StrictInt, Field(ge=-MAX_SAFE_INTEGER, le=MAX_SAFE_INTEGER), BeforeValidator(json_integer)
]
NonNegativeInt = Annotated[StrictInt, Field(ge=0, le=MAX_SAFE_INTEGER), BeforeValidator(json_integer)]
# Text the center accepts holds no NUL character (the strict parser refuses one anywhere; the OpenAPI document
# says so with this pattern).
TEXT_PATTERN: Final = r"^[^\x00]*$"
# JSON has one number type: a float field takes 340 as well as 340.5, but never "340" or true.
NonNegativeFloat = Annotated[StrictFloat, Field(ge=0)]
