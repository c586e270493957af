"""Anonymous usage (docs/usage.md): what a terminal counted in one period, as one outbox record of kind ``usage``.

Both ends read it from here: the body's model, the metrics and their keys, the rule that scrubs a search text of
anything that could identify a citizen (the terminal applies it before counting, the center again before storing),
and the opening hours (``08:30-17:30``, ``1-5 08:30-12:00,14:00-17:30; 6 09:00-12:00``) that availability is
measured against.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, field_validator

USAGE_FORMAT: Final = "kiosk-usage/1"

# Counted events: (metric, key). The key is a code (service, template, screen, error kind), a level or a scrubbed
# search text; never anything about the citizen.
SESSION: Final = "session"  # a citizen's visit began (key "")
SCREEN: Final = "screen"  # a screen was opened (key: its name)
GUIDE_VIEWED: Final = "guide_viewed"  # key: the service's code
GUIDE_PRINTED: Final = "guide_printed"  # key: the service's code
FORM_SUBMITTED: Final = "form_submitted"  # key: the template's code
TICKET_TAKEN: Final = "ticket_taken"  # key: the hall's service code
RATING: Final = "rating"  # key: the level, "1" (非常不满意) … "5" (非常满意)
SEARCH_EMPTY: Final = "search_empty"  # key: the scrubbed text; counted once per session
ERROR: Final = "error"  # an error shown to the citizen; key: its support code (E-SEARCH, E-PRINT…)
# Seconds, split by what was true meanwhile (key ""): running; online (the center reachable); in service (not
# 暂停服务); within opening hours while running; available (within opening hours, online and in service).
RUNNING_S: Final = "running_s"
ONLINE_S: Final = "online_s"
IN_SERVICE_S: Final = "in_service_s"
OPEN_RUNNING_S: Final = "open_running_s"
AVAILABLE_S: Final = "available_s"

EVENT_METRICS: Final = (
    SESSION,
    SCREEN,
    GUIDE_VIEWED,
    GUIDE_PRINTED,
    FORM_SUBMITTED,
    TICKET_TAKEN,
    RATING,
    SEARCH_EMPTY,
    ERROR,
)
TIME_METRICS: Final = (RUNNING_S, ONLINE_S, IN_SERVICE_S, OPEN_RUNNING_S, AVAILABLE_S)
METRICS: Final = EVENT_METRICS + TIME_METRICS

KEY_MAX: Final = 64  # a code, a screen's name
SEARCH_TEXT_MAX: Final = 20  # characters of a search text kept after scrubbing
COUNTS_MAX: Final = 2000  # (metric, key) pairs in one period's record
PERIOD_MAX_S: Final = 86400
DEFAULT_OPENING_HOURS: Final = "08:30-17:30"

_KEY = re.compile(r"^[A-Za-z0-9_.:\-]*$")


class UsageCount(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    metric: Literal[
        "session",
        "screen",
        "guide_viewed",
        "guide_printed",
        "form_submitted",
        "ticket_taken",
        "rating",
        "search_empty",
        "error",
        "running_s",
        "online_s",
        "in_service_s",
        "open_running_s",
        "available_s",
    ]
    key: Annotated[StrictStr, Field(max_length=KEY_MAX)] = ""
    value: Annotated[StrictInt | StrictFloat, Field(ge=0, le=1_000_000_000)]


class UsageRecordBody(BaseModel):
    """One period's counts from one terminal (``kind: "usage"``; the idempotency key names the terminal and the
    period, so a period resent is never counted twice)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    format: Literal["kiosk-usage/1"]
    role: Literal["kiosk", "display", "counter", "rating"]
    period_start: Annotated[
        StrictStr, Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$")
    ]
    period_s: Annotated[StrictInt, Field(ge=60, le=PERIOD_MAX_S)]
    opening_hours: Annotated[StrictStr, Field(max_length=200)]
    counts: Annotated[list[UsageCount], Field(max_length=COUNTS_MAX)]

    @field_validator("opening_hours")
    @classmethod
    def _hours(cls, text: str) -> str:
        OpeningHours.parse(text)
        return text

    @field_validator("counts")
    @classmethod
    def _keys(cls, counts: list[UsageCount]) -> list[UsageCount]:
        seen: set[tuple[str, str]] = set()
        for count in counts:
            if (count.metric, count.key) in seen:
                raise ValueError(f"{count.metric} {count.key!r} appears twice")
            seen.add((count.metric, count.key))
            if count.metric == SEARCH_EMPTY:
                if not count.key or scrub_search_text(count.key) != count.key:
                    raise ValueError("a search text must be scrubbed (docs/usage.md)")
            elif count.metric in TIME_METRICS or count.metric == SESSION:
                if count.key:
                    raise ValueError(f"{count.metric} has no key")
            elif not _KEY.match(count.key) or not count.key:
                raise ValueError(f"{count.metric}: the key must be a code (letters, digits, _ . : -)")
            if count.metric in EVENT_METRICS and not isinstance(count.value, int):
                raise ValueError(f"{count.metric} counts whole events")
        return counts

    @property
    def day(self) -> str:
        """The terminal's local day the period starts on (``YYYY-MM-DD``)."""
        return self.period_start[:10]


# --- search texts ---------------------------------------------------------------------------------------------

# Anything with a digit goes: ID numbers (18 characters, the last maybe X), phone numbers, receipt numbers, dates
# of birth, house numbers. Also Latin letters run together with digits (a receipt's T-demo0001-…).
_WITH_DIGITS = re.compile(r"[0-9A-Za-z._\-/]*[0-9][0-9A-Za-z._\-/]*")
_EMAIL = re.compile(r"\S+@\S+")
_NOT_WORDS = re.compile(r"[^\w\u4e00-\u9fff]+")
_SPACES = re.compile(r"\s+")


def scrub_search_text(text: str) -> str:
    """The part of a search text that may be counted; "" when nothing may.

    NFKC first (full-width digits and letters become plain ones), then: every run of characters that holds a
    digit is removed with the letters joined to it (ID, phone and receipt numbers, dates), e-mail addresses go,
    punctuation becomes a space, spaces are collapsed, Latin letters lowered, and at most 20 characters are kept.
    What is left is a word or two; a name typed alone survives this, which is why the report shows a text only
    when several sessions searched it (docs/usage.md).
    """
    plain = unicodedata.normalize("NFKC", text)
    plain = _EMAIL.sub(" ", plain)
    plain = _WITH_DIGITS.sub(" ", plain)
    plain = "".join(c for c in plain if not unicodedata.category(c).startswith("N"))  # ①, 一 stays (a letter)
    plain = _NOT_WORDS.sub(" ", plain)
    plain = _SPACES.sub(" ", plain).strip().lower()
    return plain[:SEARCH_TEXT_MAX].strip()


# --- opening hours --------------------------------------------------------------------------------------------

_RANGE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
_DAYS = re.compile(r"^[1-7](-[1-7])?(,[1-7](-[1-7])?)*$")


class OpeningHoursError(ValueError):
    pass


@dataclass(frozen=True)
class OpeningHours:
    """When a terminal is meant to serve, in its local time: for each ISO weekday (1 Monday … 7 Sunday) the
    ranges of seconds after midnight. ``00:00-24:00`` is a 7×24 hall; a day no rule names is closed."""

    text: str
    days: tuple[tuple[tuple[int, int], ...], ...]  # index 0 is Monday

    @classmethod
    def parse(cls, text: str) -> OpeningHours:
        """``HH:MM-HH:MM[,HH:MM-HH:MM…]`` every day, or rules ``DAYS RANGES`` separated by ``;`` where DAYS is
        ``1-5``, ``6,7`` … (1 is Monday). A later rule for the same day replaces the earlier one."""
        days: list[tuple[tuple[int, int], ...]] = [()] * 7
        rules = [rule.strip() for rule in text.split(";") if rule.strip()]
        if not rules:
            raise OpeningHoursError("opening hours are empty (e.g. 08:30-17:30, or 00:00-24:00 for 7×24)")
        for rule in rules:
            parts = rule.split()
            if len(parts) == 1:
                which, spans = list(range(1, 8)), parts[0]
            elif len(parts) == 2 and _DAYS.match(parts[0]):
                which, spans = _weekdays(parts[0]), parts[1]
            else:
                raise OpeningHoursError(f"cannot read {rule!r}: write e.g. 08:30-17:30 or 1-5 08:30-17:30")
            ranges = tuple(sorted(_range(span) for span in spans.split(",")))
            for (_, end), (start, _) in itertools.pairwise(ranges):
                if start < end:
                    raise OpeningHoursError(f"ranges overlap in {rule!r}")
            for day in which:
                days[day - 1] = ranges
        return cls(text, tuple(days))

    def seconds_on(self, day: date) -> int:
        """Seconds the terminal is meant to be open on ``day``."""
        return sum(end - start for start, end in self.days[day.isoweekday() - 1])

    def open_within(self, day: date, start_s: float, end_s: float) -> float:
        """Seconds of ``[start_s, end_s)`` (seconds after ``day``'s midnight) that fall within opening hours."""
        total = 0.0
        for start, end in self.days[day.isoweekday() - 1]:
            total += max(0.0, min(end, end_s) - max(start, start_s))
        return total


def _weekdays(text: str) -> list[int]:
    found: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        low, high = int(first), int(last or first)
        if low > high:
            raise OpeningHoursError(f"days {part!r} run backwards (1 is Monday, 7 Sunday)")
        found.extend(range(low, high + 1))
    return found


def _range(span: str) -> tuple[int, int]:
    match = _RANGE.match(span.strip())
    if not match:
        raise OpeningHoursError(f"cannot read the range {span!r}: write HH:MM-HH:MM (e.g. 08:30-17:30)")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if m1 > 59 or m2 > 59 or h1 > 23 or h2 > 24 or (h2 == 24 and m2):
        raise OpeningHoursError(f"{span!r} is not a time of day")
    start, end = h1 * 3600 + m1 * 60, h2 * 3600 + m2 * 60
    if end <= start:
        raise OpeningHoursError(f"{span!r} ends before it starts (a range after midnight is two ranges)")
    return start, end
