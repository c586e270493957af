"""The hall's queue protocol (docs/hall.md): what terminals of a hall and its queue service (``kiosk hall serve``)
say to each other, as pydantic models, and the appointment entries the center publishes for halls.

The requests are signed exactly as the center's (``kiosk.protocol.signing``), under the same ``/api/v1`` prefix,
and parsed on both ends with the strict parser (``kiosk.protocol.strict_json``). What the hall accepts forbids
unknown fields (a mistake shows at once as a 422); what terminals read ignores them (a newer hall may add some).
Every request that changes something carries a ``request_id`` the client chose: the hall stores the answer with
the change, in one transaction, and answers a repeat of the same request with the same answer, so a client whose
answer was lost (a cut line, the service killed and restarted) asks again and gets the same ticket rather than a
second one.
"""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator

from kiosk.protocol.limits import KIB, MIB, AnswerLimit
from kiosk.protocol.models import (
    RATING_COMMENT_MAX,
    RATING_OTHER,
    RATING_REASONS,
    IsoDate,
    NonNegativeFloat,
    NonNegativeInt,
    RatingReason,
    RatingScore,
    Timestamp,
)

HALL_FORMAT: Final = "kiosk-hall/1"
APPOINTMENTS_FEED: Final = "appointments"

# What the hall reads of a request, and what a terminal reads of the hall's answers (by endpoint).
HALL_MAX_BODY_BYTES: Final = 64 * KIB
HALL_REQUEST_MAX_DEPTH: Final = 8
# A staff member's photo (JPEG or PNG): what the hall keeps, and what a terminal reads of it.
STAFF_PHOTO_MAX_BYTES: Final = 256 * KIB
STAFF_PHOTO_TYPES: Final = ("image/jpeg", "image/png")
HALL_ANSWER_LIMITS: Final = {
    "state": AnswerLimit(16 * MIB, 16),  # the hall now: services, counters, every waiting ticket
    "tickets": AnswerLimit(16 * MIB, 16),  # a day's tickets (thousands at most)
    "ticket": AnswerLimit(256 * KIB, 16),  # one ticket, one counter, a take or a rating answer
    "error": AnswerLimit(64 * KIB, 8),
    "photo": AnswerLimit(STAFF_PHOTO_MAX_BYTES, 1),  # a staff member's photo (not JSON)
}
HALL_EVENT_MAX_BYTES: Final = 256 * KIB  # one event of the stream (one `data:` line)
HALL_EVENT_MAX_DEPTH: Final = 16
# The stream sends a comment line at least this often, so a client notices a dead link within a few seconds.
KEEPALIVE_S: Final = 2.0

REQUEST_ID_PATTERN: Final = r"^[A-Za-z0-9._:-]{8,64}$"
SERVICE_CODE_PATTERN: Final = r"^[A-Z][A-Z0-9_]{0,15}$"
TICKET_NUMBER_PATTERN: Final = r"^[A-Z][0-9]{3,4}$"
APPOINTMENT_CODE_PATTERN: Final = r"^[A-Z0-9]{4,16}$"
ID_NUMBER_PATTERN: Final = r"^[0-9A-Za-z]{6,32}$"
TIME_OF_DAY_PATTERN: Final = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
TICKET_ID_MAX: Final = 80

TicketState = Literal["waiting", "called", "held", "no_show", "finished"]
Priority = Literal["appointment", "green", "normal"]
GreenReason = Literal["age", "disability", "pregnancy"]
CounterState = Literal["open", "paused", "closed"]
GREEN_REASONS: Final = {"age": "高龄", "disability": "残疾", "pregnancy": "孕妇"}
TICKET_STATES: Final = ("waiting", "called", "held", "no_show", "finished")
OPEN_STATES: Final = ("waiting", "called", "held")  # a ticket in one of these is not done with yet

RequestId = Annotated[StrictStr, Field(pattern=REQUEST_ID_PATTERN)]
ServiceCode = Annotated[StrictStr, Field(pattern=SERVICE_CODE_PATTERN)]
TicketNumber = Annotated[StrictStr, Field(pattern=TICKET_NUMBER_PATTERN)]
CounterNumber = Annotated[StrictInt, Field(ge=1, le=999)]
TimeOfDay = Annotated[StrictStr, Field(pattern=TIME_OF_DAY_PATTERN)]
ShortText = Annotated[StrictStr, Field(pattern=r"^[^\x00]*$", max_length=64)]


class _Accepted(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, allow_inf_nan=False)


# --- requests -----------------------------------------------------------------------------------------------


class PersonRef(_Accepted):
    """Who takes a 实名 ticket or checks in, as read from the card (or resolved from an identity code). The hall
    keeps a salted hash of the ID number and the masked name only, and neither logs nor stores the rest."""

    id_number: Annotated[StrictStr, Field(pattern=ID_NUMBER_PATTERN, repr=False)]
    name: Annotated[StrictStr, Field(pattern=r"^[^\x00]*$", max_length=64, repr=False)] = ""
    birth_date: IsoDate | None = Field(default=None, repr=False)


class TakeRequest(_Accepted):
    """``POST /api/v1/tickets``: take a number for ``service``. ``person`` is required where the service is 实名
    (and gives the 绿色通道 by age where the card says so); ``green`` is staff's mark (disability, pregnancy)."""

    request_id: RequestId
    service: ServiceCode
    person: PersonRef | None = None
    green: GreenReason | None = None


class CheckinRequest(_Accepted):
    """``POST /api/v1/checkins``: 预约签到 with the appointment code, or with the card (``person``)."""

    request_id: RequestId
    code: Annotated[StrictStr, Field(pattern=APPOINTMENT_CODE_PATTERN)] | None = None
    person: PersonRef | None = None
    service: ServiceCode | None = None  # with a card: which of the person's appointments today (optional)

    @model_validator(mode="after")
    def _code_or_person(self) -> CheckinRequest:
        if (self.code is None) == (self.person is None):
            raise ValueError("give either code or person")
        return self


class CounterRequest(_Accepted):
    """``POST /api/v1/counters/{n}/{action}``: one counter operation. Which fields an action needs is in
    docs/hall.md; a field an action does not use is refused."""

    request_id: RequestId
    number: TicketNumber | None = None  # call-number, return, resume, mark-green: the ticket meant
    service: ServiceCode | None = None  # transfer to a service; call-number when two services share a prefix
    counter: CounterNumber | None = None  # transfer to a counter
    reason: GreenReason | None = None  # mark-green
    staff_no: Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9_-]{1,16}$")] | None = None  # sign-in
    pin: Annotated[StrictStr, Field(pattern=r"^[0-9]{4,12}$")] | None = Field(default=None, repr=False)


class RatingRequest(_Accepted):
    """``POST /api/v1/ratings``: the pad's rating of a finished ticket (一次一评: one per ticket)."""

    request_id: RequestId
    ticket_id: Annotated[
        StrictStr, Field(min_length=1, max_length=TICKET_ID_MAX, pattern=r"^[A-Za-z0-9_-]+$")
    ]
    level: RatingScore
    reasons: Annotated[list[RatingReason], Field(max_length=len(RATING_REASONS))] = []
    comment: Annotated[StrictStr, Field(pattern=r"^[^\x00]*$", max_length=RATING_COMMENT_MAX)] = ""

    @model_validator(mode="after")
    def _reasons_fit(self) -> RatingRequest:
        problem = rating_problem(self.level, list(self.reasons), self.comment)
        if problem:
            raise ValueError(problem)
        return self


def rating_problem(level: int, reasons: list[str], comment: str) -> str | None:
    """The center's rules between a rating's fields (docs/rating.md), or None when they hold."""
    bad = level <= 2
    if len(set(reasons)) != len(reasons):
        return "a reason appears twice"
    if bad and not reasons:
        return "a bad rating (level 1-2) needs at least one reason"
    if not bad and reasons:
        return "only a bad rating (level 1-2) gives reasons"
    if RATING_OTHER in reasons and not comment.strip():
        return f"a comment is required when the reasons include {RATING_OTHER}"
    return None


# --- answers ------------------------------------------------------------------------------------------------


class TicketView(_Answer):
    """A ticket as terminals show it. ``number`` is what is printed and called (``A012``); ``id`` names it for
    good (the hall, the day and the number) and is what a rating refers to."""

    id: StrictStr
    number: StrictStr
    service: StrictStr
    service_name: StrictStr
    day: IsoDate
    state: TicketState
    priority: Priority
    priority_reason: StrictStr = ""  # 预约 09:00-09:30, 高龄, 残疾, 孕妇
    taken_at: Timestamp
    called_at: Timestamp | None = None
    counter: StrictInt | None = None
    counter_name: StrictStr = ""
    call_count: NonNegativeInt = 0
    waiting_ahead: NonNegativeInt | None = None  # only for a waiting ticket
    to_counter: StrictInt | None = None  # transferred to this counter: it waits there only
    masked_name: StrictStr = ""  # 张*明 on a 实名 ticket (the counter's staff see it)
    follow_url: StrictStr = ""  # the phone page (QR code on the printed ticket)
    rated: StrictBool = False


class CounterServiceView(_Answer):
    service: StrictStr
    weight: StrictInt


class CounterView(_Answer):
    """A counter (窗口) now: open, paused or closed; who is signed in; what it serves and is serving."""

    number: StrictInt
    name: StrictStr
    state: CounterState
    staff_no: StrictStr = ""
    staff_name: StrictStr = ""
    # The version of their photo (GET /api/v1/staff/{staff_no}/photo); empty: none.
    staff_photo: StrictStr = ""
    services: list[CounterServiceView] = []
    current: TicketView | None = None
    held: list[TicketView] = []
    served_today: NonNegativeInt = 0
    no_shows_today: NonNegativeInt = 0
    service_mean_s_today: NonNegativeFloat | None = None  # last call to 办结, today's mean (None: none yet)
    no_shows: list[TicketView] = []  # its latest no-shows still missed today, newest first (to put back)


class ServiceView(_Answer):
    """A service (业务类型) now: how many wait, how long it may take, whether numbers are being given."""

    code: StrictStr
    prefix: StrictStr
    name: StrictStr
    waiting: NonNegativeInt
    estimated_wait_min: NonNegativeInt
    open_now: StrictBool
    hours: StrictStr = ""  # "08:30-17:30"; empty: all day
    real_name: StrictBool = False
    counters: list[StrictInt] = []
    taken_today: NonNegativeInt = 0
    left_today: NonNegativeInt = 0  # numbers still to give today


class CallView(_Answer):
    """A call (叫号) as the display lists it."""

    number: StrictStr
    service: StrictStr
    counter: StrictInt
    counter_name: StrictStr
    at: Timestamp
    recall: StrictBool = False


class HallState(_Answer):
    """``GET /api/v1/state``: the whole hall at event ``seq`` (what a display or counter starts from)."""

    seq: NonNegativeInt
    day: IsoDate
    hall_name: StrictStr
    services: list[ServiceView]
    counters: list[CounterView]
    waiting: list[TicketView]
    recent_calls: list[CallView]


class TakeAnswer(_Answer):
    """The answer to a take or a check-in: the ticket (with ``waiting_ahead``) and what the slip shows."""

    ticket: TicketView
    hall_name: StrictStr
    estimated_wait_min: NonNegativeInt
    counters: list[StrictInt]
    counter_names: list[StrictStr] = []


class TicketsAnswer(_Answer):
    """``GET /api/v1/tickets``: the day's tickets, in the order they were taken."""

    day: IsoDate
    tickets: list[TicketView]


class CounterAnswer(_Answer):
    """The answer to a counter operation: the counter as it now is, and the ticket the operation concerned
    (null for a call when nobody waits, and for operations on the counter itself)."""

    counter: CounterView
    ticket: TicketView | None = None


class RatingAnswer(_Answer):
    ticket_id: StrictStr
    level: StrictInt
    rated_at: Timestamp


class HallEvent(_Answer):
    """One change of hall state, in order: ``seq`` grows by one with every event the hall ever stored."""

    seq: Annotated[StrictInt, Field(ge=1)]
    type: StrictStr
    at: Timestamp
    data: dict[str, Any]


class HallErrorBody(_Answer):
    """Every error answer: a short code for programs, a plain sentence for people (Chinese)."""

    error: StrictStr
    message: StrictStr = ""


# --- appointments (the center's `appointments` feed) --------------------------------------------------------


class AppointmentPerson(_Answer):
    """Who booked, as the center publishes it: a salted hash of the ID number and the masked name."""

    hash: Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")]
    salt: Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{32}$")]
    masked_name: Annotated[StrictStr, Field(max_length=64)] = ""


class AppointmentData(_Answer):
    """``data`` of an ``appointments`` entry (key: the appointment code). A tombstone cancels the appointment."""

    code: Annotated[StrictStr, Field(pattern=APPOINTMENT_CODE_PATTERN)]
    hall: Annotated[StrictStr, Field(max_length=64)] = ""  # the hall it is for; empty: any hall of the center
    service: ServiceCode
    day: IsoDate
    starts: TimeOfDay
    ends: TimeOfDay
    person: AppointmentPerson

    @model_validator(mode="after")
    def _window(self) -> AppointmentData:
        if self.ends <= self.starts:
            raise ValueError("ends must be after starts")
        return self


def normalized_id_number(id_number: str) -> str:
    """An ID number as both ends hash it: spaces trimmed, a check character ``x`` as ``X``."""
    return re.sub(r"\s+", "", id_number).upper()


def appointment_person_hash(salt_hex: str, id_number: str) -> str:
    """SHA-256 (hex) of the salt's bytes followed by the normalized ID number: how an appointment names its
    person, and how the hall recognises a card at 预约签到."""
    digest = hashlib.sha256(bytes.fromhex(salt_hex))
    digest.update(normalized_id_number(id_number).encode("utf-8"))
    return digest.hexdigest()
