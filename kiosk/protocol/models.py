"""Every body of the protocol (docs/protocol.md) as a pydantic model: the only code terminal and center share.

What the center accepts (``PushBatch``, ``OutboxRecord``, ``Heartbeat``, ``DeviceHealth``, ``CasesQuery``,
``IdentityCodeQuery``) forbids unknown fields, so a mistake on the terminal shows up at once as a 422. What the
terminal reads (``FeedPage``, ``FeedEntry``, ``PushResult``, ``RecordResult``, ``HeartbeatAnswer``, ``CasesAnswer``,
``IdentityCodeAnswer``, ``ErrorBody``) ignores unknown fields, so a newer center can add some without breaking older
terminals; everything else in them is strict, so a malformed page or answer fails validation as a whole instead of
being half applied.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from kiosk.protocol.fields import TEXT_PATTERN as TEXT_PATTERN  # where they always were
from kiosk.protocol.fields import JsonInt as JsonInt
from kiosk.protocol.fields import NonNegativeFloat as NonNegativeFloat
from kiosk.protocol.fields import NonNegativeInt as NonNegativeInt
from kiosk.protocol.fields import Timestamp as Timestamp
from kiosk.protocol.fields import json_integer
from kiosk.protocol.limits import MAX_BODY_BYTES as MAX_BODY_BYTES  # where it always was
from kiosk.protocol.ops import (
    MAX_COMMAND_RESULTS,
    MAX_COMMANDS,
    MAX_CRASHES,
    MAX_UPDATES,
    VERSION_PATTERN,
    CommandKey,
    CommandResult,
    CrashReport,
    InstallInfo,
    SignedCommand,
    SignedSettings,
    UpdateReport,
)

API_PREFIX: Final = "/api/v1"
FEED_KINDS: Final = ("catalog", "form_templates", "notices", "settings")
# Feeds a hall's queue service pulls (docs/hall.md); terminals do not.
HALL_FEED_KINDS: Final = ("appointments",)
ALL_FEED_KINDS: Final = FEED_KINDS + HALL_FEED_KINDS
RECORD_KINDS: Final = ("rating", "submission", "ticket", "event", "usage")
DEVICE_HEALTH: Final = ("ok", "offline", "paper_low", "paper_out", "cover_open", "error")

FEED_LIMIT_MIN: Final = 1
FEED_LIMIT_MAX: Final = 1000
FEED_LIMIT_DEFAULT: Final = 500
BATCH_MIN: Final = 1
BATCH_MAX: Final = 500
IDEMPOTENCY_KEY_MIN: Final = 8
IDEMPOTENCY_KEY_MAX: Final = 128
FEED_KEY_MAX: Final = 128

FeedKind = Literal["catalog", "form_templates", "notices", "settings", "appointments"]
RecordKind = Literal["rating", "submission", "ticket", "event", "usage"]


class _Answer(BaseModel):
    """A body the terminal reads: unknown fields are ignored (forward compatibility)."""

    model_config = ConfigDict(extra="ignore", frozen=True, allow_inf_nan=False)


class _Accepted(BaseModel):
    """A body the center accepts: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# --- pull -----------------------------------------------------------------------------------------------------


class FeedEntry(_Answer):
    """One key's latest state in a feed; a tombstone (``deleted``) has ``data`` null and removes the key."""

    key: Annotated[StrictStr, Field(min_length=1, max_length=FEED_KEY_MAX)]
    version: NonNegativeInt
    deleted: StrictBool
    data: dict[str, Any] | None

    @model_validator(mode="after")
    def _tombstone_has_no_data(self) -> FeedEntry:
        if self.deleted and self.data is not None:
            raise ValueError("a tombstone (deleted: true) has data null")
        if not self.deleted and self.data is None:
            raise ValueError("an entry that is not deleted has data")
        return self


class NoticeData(_Answer):
    """``data`` of a ``notices`` entry."""

    title: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    body: StrictStr
    level: Literal["info", "warning"]
    starts_at: Timestamp
    ends_at: Timestamp | None = None


class SettingData(_Answer):
    """``data`` of a ``settings`` entry: the value of the setting named by the entry's key."""

    value: Any = Field(json_schema_extra={"description": "any JSON value"})

    @model_validator(mode="before")
    @classmethod
    def _value_is_present(cls, data: Any) -> Any:
        if isinstance(data, dict) and "value" not in data:
            raise ValueError('a setting\'s data is {"value": <JSON value>}')
        return data


def entry_problem(kind: str, entry: FeedEntry) -> str | None:
    """Why ``entry``'s data does not fit its feed, or None; used by the terminal on pages, by the center on publish.

    Only the envelope of each kind is checked here (a catalog item's code and version, a notice's fields, a
    setting's ``value``); the catalog item and the form template themselves are validated by their own formats.
    """
    if kind not in ALL_FEED_KINDS:
        return f"unknown feed kind {kind!r}"
    if entry.data is None:
        return None
    data = entry.data
    if kind == "appointments":
        from kiosk.protocol.hall import AppointmentData  # (that module builds on this one)

        try:
            appointment = AppointmentData.model_validate(data)
        except ValidationError as exc:
            return f"entry {entry.key!r}: {first_error(exc)}"
        if appointment.code != entry.key:
            return f"entry {entry.key!r}: data.code must equal the key"
        return None
    if kind == "catalog":
        if data.get("code") != entry.key:
            return f"entry {entry.key!r}: data.code must equal the key"
        if type(data.get("version")) is not int or data["version"] != entry.version:
            return f"entry {entry.key!r}: data.version must equal the version"
    elif kind == "notices":
        try:
            NoticeData.model_validate(data)
        except ValidationError as exc:
            return f"entry {entry.key!r}: {first_error(exc)}"
    elif kind == "settings" and "value" not in data:
        return f'entry {entry.key!r}: data must be {{"value": ...}}'
    return None


class FeedPage(_Answer):
    """One page of a delta feed. A page that does not validate is not applied at all; a catalog page's items are
    checked one by one when it is applied."""

    kind: FeedKind
    entries: list[FeedEntry]
    next_cursor: Annotated[StrictStr, Field(min_length=1)]
    has_more: StrictBool

    @model_validator(mode="after")
    def _entries_fit(self) -> FeedPage:
        seen: set[str] = set()
        for entry in self.entries:
            if entry.key in seen:
                raise ValueError(f"key {entry.key!r} appears twice in one page")
            seen.add(entry.key)
            if self.kind == "catalog":
                # A catalog item, its envelope included, is checked by the terminal on its own: one that does
                # not fit is left out of its page and the others are applied (docs/sync.md).
                continue
            problem = entry_problem(self.kind, entry)
            if problem is not None:
                raise ValueError(problem)
        return self


# --- push -----------------------------------------------------------------------------------------------------

IdempotencyKey = Annotated[
    StrictStr, Field(pattern=TEXT_PATTERN, min_length=IDEMPOTENCY_KEY_MIN, max_length=IDEMPOTENCY_KEY_MAX)
]


class OutboxRecord(_Accepted):
    """One record the terminal delivers; ``(kind, body)`` is what "the same record" compares (canonical JSON)."""

    idempotency_key: IdempotencyKey
    kind: RecordKind
    created_at: Timestamp
    body: dict[str, Any]


class PushBatch(_Accepted):
    """``POST /api/v1/records``: 1–500 records."""

    records: Annotated[list[OutboxRecord], Field(min_length=BATCH_MIN, max_length=BATCH_MAX)]


class RecordResult(_Answer):
    """One record's outcome: 201 with ``record_id`` (an acknowledgement), or 409/422 with ``error``."""

    idempotency_key: StrictStr
    status: Literal[201, 409, 422]
    record_id: JsonInt | None = None
    error: StrictStr | None = None

    @model_validator(mode="after")
    def _fields_fit_status(self) -> RecordResult:
        if self.status == 201 and self.record_id is None:
            raise ValueError("a 201 result carries record_id")
        if self.status != 201 and not self.error:
            raise ValueError("a 409/422 result carries error")
        return self

    @property
    def acknowledged(self) -> bool:
        """Only 201 acknowledges: the terminal may then forget (or retain) the row."""
        return self.status == 201


class PushResult(_Answer):
    """The answer to a batch: one result per record, in the batch's order."""

    results: list[RecordResult]


# --- heartbeat ------------------------------------------------------------------------------------------------


class DeviceHealth(_Accepted):
    """One device's state as the terminal's device panel sees it (``drivers.base.Health`` values)."""

    role: Annotated[StrictStr, Field(pattern=TEXT_PATTERN, min_length=1, max_length=64)]
    backend: Annotated[StrictStr, Field(pattern=TEXT_PATTERN, max_length=64)]
    health: Literal["ok", "offline", "paper_low", "paper_out", "cover_open", "error"]
    code: Annotated[StrictStr, Field(pattern=TEXT_PATTERN, max_length=64)] = ""


class Heartbeat(_Accepted):
    """``POST /api/v1/heartbeat``: the terminal's version, devices and outbox state."""

    version: Annotated[StrictStr, Field(pattern=TEXT_PATTERN, min_length=1, max_length=64)]
    role: Annotated[StrictStr, Field(pattern=TEXT_PATTERN, min_length=1, max_length=64)]
    devices: Annotated[list[DeviceHealth], Field(max_length=64)] = []
    outbox_backlog: NonNegativeInt = 0
    outbox_oldest_age_s: NonNegativeFloat | None = None
    last_sync_at: Timestamp | None = None
    free_disk_bytes: NonNegativeInt | None = None
    # Operations (kiosk.protocol.ops): reports waiting in the terminal's spool, forgotten once a heartbeat with
    # them is answered 200, and the state the center steers by. Older terminals send none of these.
    crashes: Annotated[list[CrashReport], Field(max_length=MAX_CRASHES)] = []
    updates: Annotated[list[UpdateReport], Field(max_length=MAX_UPDATES)] = []
    command_results: Annotated[list[CommandResult], Field(max_length=MAX_COMMAND_RESULTS)] = []
    install: InstallInfo | None = None
    out_of_service: StrictBool = False
    session_open: StrictBool = False
    settings_version: NonNegativeInt = 0  # the center's settings layer the terminal applied; 0: none
    command_key_id: Annotated[StrictStr, Field(pattern=r"^([0-9a-f]{16})?$")] = ""  # the key it pinned


class HeartbeatAnswer(_Answer):
    """The center's answer to a heartbeat: its clock, and what operations ask of the terminal (older centers send
    only the clock)."""

    server_time: Timestamp
    command_key: CommandKey | None = (
        None  # pinned at enrolment; a different one later is refused, never adopted
    )
    target_version: Annotated[StrictStr, Field(pattern=VERSION_PATTERN)] | None = None  # null: stay
    commands: Annotated[list[SignedCommand], Field(max_length=MAX_COMMANDS)] = []
    settings: SignedSettings | None = None  # sent when the heartbeat's settings_version is older


# --- ratings (好差评) and cases (办件进度) ------------------------------------------------------------------

RATING_FORMAT: Final = "kiosk-rating/1"
RATING_CHANNEL: Final = "self_service_terminal"  # 自助终端
RATING_LEVELS: Final = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
RATING_OTHER: Final = "其他"
RATING_REASONS: Final = (
    "办事指南不清晰",
    "等待时间长",
    "服务态度差",
    "多次跑动",
    "材料重复提交",
    "系统故障",
    "其他",
)
RATING_COMMENT_MAX: Final = 200
RATING_SUBJECT_ID_MAX: Final = 128
CASE_STATES: Final = ("已受理", "审核中", "已办结", "需补正")

RatingScore = Annotated[StrictInt, Field(ge=1, le=5), BeforeValidator(json_integer)]
RatingReason = Literal[
    "办事指南不清晰", "等待时间长", "服务态度差", "多次跑动", "材料重复提交", "系统故障", "其他"
]
CaseState = Literal["已受理", "审核中", "已办结", "需补正"]


class RatingSubjectRef(_Accepted):
    """What a rating is about: a case by its receipt number, or a visit (ticket or terminal session)."""

    kind: Literal["case", "visit"]
    id: Annotated[StrictStr, Field(min_length=1, max_length=RATING_SUBJECT_ID_MAX)]


class RatingIndicators(_Accepted):
    """The hall indicators, 1–5; ``overall`` (总体满意度) equals the rating's level, the others may be left out."""

    overall: RatingScore
    efficiency: RatingScore | None = None  # 办事效率
    service_level: RatingScore | None = None  # 服务水平
    attitude: RatingScore | None = None  # 服务态度


class Rater(_Accepted):
    """Who rated (real-name rating): personal data, sealed on the terminal and sent over TLS only."""

    name: Annotated[StrictStr, Field(min_length=1, max_length=128)]
    id_number: Annotated[StrictStr, Field(min_length=1, max_length=32)]
    card_type: Annotated[StrictStr, Field(max_length=32)] = ""


class RatingRecordBody(_Accepted):
    """The body of a ``rating`` record (docs/rating.md). The rules between fields (reasons for a bad rating only
    and then at least one, 其他 with a comment, ``indicators.overall`` equal to ``level``) are the center's
    validator's (``kiosk.center.records``), so its 422 can name the field."""

    format: Literal["kiosk-rating/1"]
    subject: RatingSubjectRef
    level: RatingScore
    reasons: Annotated[list[RatingReason], Field(max_length=len(RATING_REASONS))] = []
    comment: Annotated[StrictStr, Field(max_length=RATING_COMMENT_MAX)] = ""
    indicators: RatingIndicators
    channel: Literal["self_service_terminal"]
    rated_at: Timestamp
    rater: Rater | None = None


class CasesQuery(_Accepted):
    """``POST /api/v1/cases/query``: the cases of the person with this ID number (read from the card)."""

    id_number: Annotated[StrictStr, Field(pattern=TEXT_PATTERN, min_length=1, max_length=64)]


class CaseEvent(_Answer):
    """One step of a case's history."""

    state: CaseState
    at: Timestamp
    note: StrictStr = ""


class Case(_Answer):
    """A case (办件) as the center tracks it; never carries the applicant's name or ID number."""

    case_id: Annotated[StrictStr, Field(min_length=1)]
    receipt: StrictStr
    title: StrictStr
    department: StrictStr
    state: CaseState
    updated_at: Timestamp
    history: list[CaseEvent] = []


class CasesAnswer(_Answer):
    """The answer to a cases query, the most recently updated first (empty when the center knows none)."""

    cases: list[Case]


# --- identity codes (身份码) -----------------------------------------------------------------------------------

# What the reference center's identity codes start with (then 32 url-safe random characters).
IDENTITY_CODE_PREFIX: Final = "GDID:"
IDENTITY_CODE_MAX: Final = 512
IDENTITY_CODE_TYPE: Final = "identity_code"  # ``card_type`` of an identity the center resolved from a code
IDENTITY_CODE_INVALID: Final = "identity_code_invalid"  # the 404 error: unknown, expired or already used

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _iso_date_text(value: Any) -> Any:
    # Pydantic's lax date would take Unix times too; a birth date travels as YYYY-MM-DD only.
    if value is None or isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("must be a date as YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]


class IdentityCodeQuery(_Accepted):
    """``POST /api/v1/identity/resolve``: the identity code a citizen showed (read by the code scanner)."""

    code: Annotated[StrictStr, Field(pattern=TEXT_PATTERN, min_length=1, max_length=IDENTITY_CODE_MAX)]


class IdentityInfo(_Answer):
    """Who a code stands for, as the center knows the person. Personal data: left out of the model's repr, kept in
    memory for the session only, never logged."""

    name: Annotated[StrictStr, Field(min_length=1, max_length=128, repr=False)]
    id_number: Annotated[StrictStr, Field(min_length=1, max_length=64, repr=False)]
    sex: Annotated[StrictStr, Field(max_length=8)] = ""
    nation: Annotated[StrictStr, Field(max_length=32, repr=False)] = ""
    birth_date: Annotated[IsoDate | None, Field(repr=False)] = None
    address: Annotated[StrictStr, Field(max_length=256, repr=False)] = ""
    card_type: Literal["identity_code"]
    expires_at: Timestamp  # when the code stopped being valid (it resolves once only anyway)


class IdentityCodeAnswer(_Answer):
    """The answer to a resolved identity code."""

    identity: IdentityInfo


# --- errors ---------------------------------------------------------------------------------------------------


class ErrorBody(_Answer):
    """Every error body: ``{"error": "<short code or message>"}``."""

    error: StrictStr


def first_error(exc: ValidationError) -> str:
    """A one-line message naming the field of the first problem, e.g. ``body.score: must be 1-5``."""
    errors = exc.errors(include_url=False)
    if not errors:
        return "invalid"
    error = errors[0]
    location = ".".join(str(part) for part in error.get("loc", ()))
    message = str(error.get("msg", "invalid"))
    return f"{location}: {message}" if location else message
