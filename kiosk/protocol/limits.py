"""How much either end reads from the other (docs/protocol.md, "Limits"): sizes, nesting, time and the clock.

Whatever comes over the network is read up to these limits and no further, so a broken or hostile peer costs a
bounded amount of memory and time. A request body is refused by the center over ``MAX_BODY_BYTES`` (413); an
answer is refused by the terminal over its endpoint's limit, which is sized to what a correct center sends (a
catalog page is much bigger than a heartbeat answer) with a wide margin.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

KIB: Final = 1024
MIB: Final = 1024 * KIB

# Requests (the center reads them).
MAX_BODY_BYTES: Final = 5 * MIB
REQUEST_MAX_DEPTH: Final = 32  # a push batch is 3 levels of envelope around each record's body


@dataclass(frozen=True, slots=True)
class AnswerLimit:
    """The most the terminal reads of one answer: bytes of body, and levels of nesting."""

    max_bytes: int
    max_depth: int


# Answers (the terminal reads them), by endpoint. An error body (any status but 2xx) is read as "error".
ANSWER_LIMITS: Final = {
    "feed": AnswerLimit(32 * MIB, 64),  # up to 1,000 catalog items or form templates a page
    "records": AnswerLimit(2 * MIB, 8),  # up to 500 results of a few hundred bytes
    "heartbeat": AnswerLimit(256 * KIB, 8),  # up to 16 signed commands (a notice's text) and a settings layer
    "cases": AnswerLimit(4 * MIB, 16),  # one person's cases with their histories
    "identity": AnswerLimit(64 * KIB, 8),
    "error": AnswerLimit(64 * KIB, 8),
}

# The X-Kiosk-Server-Time header is believed only when it is a finite Unix time between these (2020-01-01 and
# 2100-01-01): anything else is a broken or hostile answer, and a clock correction taken from it would make every
# later request fail.
SERVER_TIME_MIN: Final = 1_577_836_800.0
SERVER_TIME_MAX: Final = 4_102_444_800.0
_SERVER_TIME_MAX_CHARS: Final = 32


def parse_server_time(value: str | None) -> float | None:
    """The center's clock from an ``X-Kiosk-Server-Time`` header value, or None when it is absent or not a
    plausible time (not a decimal number, NaN, infinite, before 2020 or after 2100)."""
    if value is None:
        return None
    text = value.strip()
    if not text or len(text) > _SERVER_TIME_MAX_CHARS or not all(c in "0123456789.-+eE" for c in text):
        return None
    try:
        seconds = float(text)
    except ValueError:
        return None
    if not math.isfinite(seconds) or not SERVER_TIME_MIN <= seconds <= SERVER_TIME_MAX:
        return None
    return seconds
