"""Service ratings (好差评): what a citizen says about one case or one visit, checked before it leaves the terminal.

The national rating system (GB/T 39734-2020) rates every service once: one case (一事一评, the receipt number of
a form) or one visit (一次一评, a queue ticket, or the terminal session when the citizen has neither). A rating
has one of five levels; the two bad ones (不满意, 非常不满意) must say why, because every bad rating is followed
up by a person, and a follow-up without a reason cannot start. The hall indicators (办事效率, 服务水平,
服务态度) may be scored too; the overall satisfaction is the level itself, so it is never asked twice.

Pure values and functions: no I/O. The terminal remembers which subjects it has rated
(``kiosk.store.ratings``); the record goes to the center through the outbox (``kiosk.services.rating.service``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any
from urllib.parse import unquote, urlsplit

from kiosk.domain.identity import Identity
from kiosk.domain.messages import define
from kiosk.domain.receipt import ReceiptError, group_receipt, parse_receipt
from kiosk.protocol.models import RATING_LEVELS, RATING_OTHER, RATING_REASONS

RATING_FORMAT = "kiosk-rating/1"
CHANNEL = "self_service_terminal"
CHANNEL_LABEL = "自助终端"
COMMENT_MAX = 200
SUBJECT_ID_MAX = 128

RATE_PREFIX = "KIOSK-RATE"  # the 扫码评价 QR code of a printed form (kiosk.render.form_print.rating_payload)
TICKET_PREFIX = "KIOSK-TICKET"  # a queue ticket's QR code: KIOSK-TICKET <number> <terminal> <yyyymmddHHMMSS>


class Level(IntEnum):
    """The five levels, scored 5 (best) to 1."""

    VERY_SATISFIED = 5
    SATISFIED = 4
    BASICALLY_SATISFIED = 3
    DISSATISFIED = 2
    VERY_DISSATISFIED = 1

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.value]

    @property
    def bad(self) -> bool:
        """A bad rating (差评): it needs a reason and is followed up."""
        return self.value <= Level.DISSATISFIED.value


# The labels and reasons are the protocol's (kiosk-rating/1): the center checks ratings against the same lists.
LEVEL_LABELS: dict[int, str] = dict(RATING_LEVELS)
OTHER = RATING_OTHER
REASONS: tuple[str, ...] = tuple(RATING_REASONS)

# (body key, label); "overall" is the level itself.
INDICATORS: tuple[tuple[str, str], ...] = (
    ("overall", "总体满意度"),
    ("efficiency", "办事效率"),
    ("service_level", "服务水平"),
    ("attitude", "服务态度"),
)

# What the citizen is told (kiosk.domain.messages: the screens translate them by code).
ALREADY_RATED = define(
    "rating.already_rated", "您已经评价过这件事，感谢您的反馈；如需补充意见，请到服务窗口"
)()
_SUBJECT_CASE = define("rating.subject_case", "回执编号 {receipt}")
_SUBJECT_TICKET = define("rating.subject_ticket", "取号 {ticket}")
_SUBJECT_VISIT = define("rating.subject_visit", "本次服务")()
_TARGET_RECEIPT = define(
    "rating.scan_bad_receipt", "二维码中的回执编号无法识别，请重新扫描，或到服务窗口评价"
)()
_TARGET_TICKET = define(
    "rating.scan_bad_ticket", "取号凭条上的二维码无法识别，请重新扫描，或到服务窗口评价"
)()
_TARGET_OTHER = define("rating.scan_not_rating", "这不是评价二维码，请扫描回执或取号凭条上的二维码")()
_NO_SUBJECT = define("rating.no_subject", "没有找到要评价的事项，请重新扫码或到服务窗口评价")()
_CHOOSE_LEVEL = define("rating.choose_level", "请选择满意程度")()
_LISTED_REASONS = define("rating.reasons_listed", "请从列出的原因中选择")()
_REASON_TWICE = define("rating.reason_twice", "同一个原因只能选择一次")()
_REASON_NEEDED = define("rating.reason_needed", "请至少选择一项不满意的原因")()
_REASON_NOT_BAD = define("rating.reason_not_bad", "只有选择“不满意”或“非常不满意”时才需要选择原因")()
_OTHER_NEEDS_COMMENT = define("rating.other_comment", "选择了“其他”，请写下具体原因")()
_COMMENT_TOO_LONG = define("rating.comment_too_long", "意见最多填写{n}个字，现在有{m}个字")
_SCORE_INDICATOR = define("rating.score_indicator", "请为“{indicator}”选择1到5分")
_INDICATOR_WORDS = {
    "overall": define("rating.indicator.overall", "总体满意度")(),
    "efficiency": define("rating.indicator.efficiency", "办事效率")(),
    "service_level": define("rating.indicator.service_level", "服务水平")(),
    "attitude": define("rating.indicator.attitude", "服务态度")(),
}


class SubjectKind(StrEnum):
    CASE = "case"  # 一事一评: a case, by its receipt number
    VISIT = "visit"  # 一次一评: a visit, by its queue ticket or the terminal session


@dataclass(frozen=True, slots=True)
class RatingSubject:
    """What is rated. ``id`` is unique across terminals: a receipt number already is; a visit's id includes the
    terminal that issued the ticket (or ran the session), because ticket numbers such as ``A012`` repeat."""

    kind: SubjectKind
    id: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", SubjectKind(self.kind))  # "case" given as text is taken too

    @classmethod
    def case(cls, receipt: str) -> RatingSubject:
        """A case by its receipt number; :class:`~kiosk.domain.receipt.ReceiptError` when it is not one."""
        return cls(SubjectKind.CASE, parse_receipt(receipt).text)

    @classmethod
    def ticket(cls, number: str, terminal_id: str, issued_at: datetime) -> RatingSubject:
        """A visit by its queue ticket: ``<terminal>:<yyyymmddHHMMSS>:<number>``."""
        if not _TICKET_NUMBER.fullmatch(number) or not _TERMINAL.fullmatch(terminal_id):
            raise ValueError("a ticket is a number of 1-10 letters and digits from a terminal id")
        return cls(SubjectKind.VISIT, f"{terminal_id}:{issued_at:%Y%m%d%H%M%S}:{number.upper()}")

    @classmethod
    def session(cls, terminal_id: str, session_id: str) -> RatingSubject:
        """A visit that has neither a receipt nor a ticket: the terminal session, ``<terminal>:S:<session>``."""
        if not _TERMINAL.fullmatch(terminal_id) or not _SESSION.fullmatch(session_id):
            raise ValueError(
                "a session subject is a terminal id and a session id of 1-64 letters, digits, - or _"
            )
        return cls(SubjectKind.VISIT, f"{terminal_id}:S:{session_id}")

    @property
    def label(self) -> str:
        """How the screen names it: 回执编号 <receipt> / 取号 <number> / 本次服务."""
        if self.kind is SubjectKind.CASE:
            return _SUBJECT_CASE(receipt=group_receipt(self.id))
        parts = self.id.split(":")
        if len(parts) == 3 and parts[1] != "S":
            return _SUBJECT_TICKET(ticket=parts[2])
        return _SUBJECT_VISIT


_TERMINAL = re.compile(r"(?=.{1,32}$)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")  # as in receipt numbers
_TICKET_NUMBER = re.compile(r"[A-Za-z0-9]{1,10}")
_SESSION = re.compile(r"[A-Za-z0-9_-]{1,64}")
_TICKET_TIME = re.compile(r"[0-9]{14}")


class RatingTargetError(ValueError):
    """A scanned code that names nothing to rate. ``message`` is for the citizen; ``code`` is ``not_rating`` (some
    other code), ``receipt`` (a rating code whose receipt number is wrong) or ``ticket`` (a damaged ticket code)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def parse_rating_target(payload: str) -> RatingSubject:
    """The subject a scanned code names: ``KIOSK-RATE <receipt>`` (a printed form), ``KIOSK-TICKET <number>
    <terminal> <yyyymmddHHMMSS>`` (a queue ticket), or the center's rating site address with the receipt in it.

    Raises :class:`RatingTargetError` with a message the citizen can act on; the payload itself never appears in
    it (a code may carry personal data)."""
    text = payload.strip() if isinstance(payload, str) else ""
    head, _, rest = text.partition(" ")
    if head.upper() == RATE_PREFIX:
        try:
            return RatingSubject.case(rest.strip())
        except ReceiptError:
            raise RatingTargetError(_TARGET_RECEIPT, "receipt") from None
    if head.upper() == TICKET_PREFIX:
        return _ticket_subject(rest.split())
    if head.lower().startswith(("http://", "https://")) and not rest:
        subject = _receipt_in_url(head)
        if subject is not None:
            return subject
    raise RatingTargetError(_TARGET_OTHER, "not_rating")


def _ticket_subject(parts: list[str]) -> RatingSubject:
    damaged = RatingTargetError(_TARGET_TICKET, "ticket")
    if len(parts) != 3 or not _TICKET_TIME.fullmatch(parts[2]):
        raise damaged
    number, terminal_id, stamp = parts
    try:
        issued_at = datetime.strptime(stamp, "%Y%m%d%H%M%S")
        return RatingSubject.ticket(number, terminal_id, issued_at)
    except ValueError:
        raise damaged from None


def _receipt_in_url(url: str) -> RatingSubject | None:
    """A rating site's address (the center's ``rating_url`` with ``{receipt}`` filled in) names the receipt in its
    path or query; the first part that is a valid receipt number wins."""
    parts = urlsplit(url)
    candidates = [*parts.path.split("/"), *(p.partition("=")[2] for p in parts.query.split("&"))]
    for candidate in candidates:
        try:
            return RatingSubject.case(unquote(candidate))
        except ReceiptError:
            continue
    return None


@dataclass(frozen=True, slots=True)
class RatingProblem:
    """Why a rating cannot be sent yet: ``field`` (``level``, ``reasons``, ``comment``, an indicator key or
    ``subject``) for the screen to point at, ``message`` for the citizen."""

    field: str
    message: str


class RatingIncompleteError(ValueError):
    """:meth:`Rating.to_record_body` on a rating with problems; ``problems`` lists them."""

    def __init__(self, problems: list[RatingProblem]) -> None:
        super().__init__("；".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True, repr=False)
class Rating:
    """One rating as the citizen gave it. ``efficiency``, ``service_level`` and ``attitude`` are optional scores
    1–5 (None: not scored). ``comment`` is free text (required with 其他). ``rated_at`` carries its offset."""

    subject: RatingSubject
    level: int
    rated_at: datetime
    reasons: tuple[str, ...] = ()
    comment: str = ""
    efficiency: int | None = None
    service_level: int | None = None
    attitude: int | None = None

    def __post_init__(self) -> None:
        if self.rated_at.utcoffset() is None:
            raise ValueError("a rating's time carries its UTC offset")

    def __repr__(self) -> str:  # the comment is free text and may name someone: left out
        return f"Rating({self.subject.kind.value}, level={self.level!r}, reasons={len(self.reasons)})"

    @property
    def bad(self) -> bool:
        return _is_score(self.level) and Level(self.level).bad

    @property
    def clean_comment(self) -> str:
        """The comment on one line, white space collapsed."""
        return " ".join(self.comment.split())

    def indicators(self) -> dict[str, int]:
        """The scored indicators by key, ``overall`` (the level) first."""
        scores = {"overall": self.level}
        for key, value in (
            ("efficiency", self.efficiency),
            ("service_level", self.service_level),
            ("attitude", self.attitude),
        ):
            if value is not None:
                scores[key] = value
        return scores

    def problems(self) -> list[RatingProblem]:
        """Everything that stops this rating from being sent, in the order the screen asks (empty: ready)."""
        found: list[RatingProblem] = []
        if not 0 < len(self.subject.id) <= SUBJECT_ID_MAX:
            found.append(RatingProblem("subject", _NO_SUBJECT))
        if not _is_score(self.level):
            found.append(RatingProblem("level", _CHOOSE_LEVEL))
            return found
        unknown = [r for r in self.reasons if r not in REASONS]
        if unknown:
            found.append(RatingProblem("reasons", _LISTED_REASONS))
        elif len(set(self.reasons)) != len(self.reasons):
            found.append(RatingProblem("reasons", _REASON_TWICE))
        elif self.bad and not self.reasons:
            found.append(RatingProblem("reasons", _REASON_NEEDED))
        elif not self.bad and self.reasons:
            found.append(RatingProblem("reasons", _REASON_NOT_BAD))
        comment = self.clean_comment
        if OTHER in self.reasons and not comment:
            found.append(RatingProblem("comment", _OTHER_NEEDS_COMMENT))
        if len(comment) > COMMENT_MAX:
            found.append(RatingProblem("comment", _COMMENT_TOO_LONG(n=COMMENT_MAX, m=len(comment))))
        for key, value in self.indicators().items():
            if key != "overall" and not _is_score(value):
                found.append(RatingProblem(key, _SCORE_INDICATOR(indicator=_INDICATOR_WORDS[key])))
        return found

    def to_record_body(self, rater: Identity | None = None) -> dict[str, Any]:
        """The body of the outbox record (kind ``rating``); raises :class:`RatingIncompleteError` while
        :meth:`problems` finds any. With a ``rater`` (a real-name rating, as Guangdong asks) the body carries the
        name and ID number: the record is then personal data, sealed at rest and sent over TLS only."""
        problems = self.problems()
        if problems:
            raise RatingIncompleteError(problems)
        return {
            "format": RATING_FORMAT,
            "subject": {"kind": self.subject.kind.value, "id": self.subject.id},
            "level": self.level,
            "reasons": [r for r in REASONS if r in self.reasons],
            "comment": self.clean_comment,
            "indicators": self.indicators(),
            "channel": CHANNEL,
            "rated_at": self.rated_at.isoformat(timespec="seconds"),
            "rater": _rater(rater),
        }


def _rater(identity: Identity | None) -> dict[str, str] | None:
    if identity is None:
        return None
    return {"name": identity.name, "id_number": identity.id_number, "card_type": identity.card_type.value}


def _is_score(value: object) -> bool:
    return type(value) is int and 1 <= value <= 5
