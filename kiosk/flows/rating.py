"""好差评 as a flow: one rating at a time of a case (by its receipt number) or a visit (a queue ticket, or this
session at a terminal), Qt-free, so the kiosk's rating screen and a counter's rating pad give ratings the same way.

The flow asks one level, then the hall indicators (each defaults to that level, so a citizen who is done just
submits), and for a bad level the reasons and an optional comment (the rules of ``kiosk.domain.rating``). Before
the citizen rates, it asks whether the subject was rated here already, so nobody fills in a rating only to be
turned away: one rating per case, ticket or visit. The rater is the citizen of the session, if a card was read:
the full identity goes to the service, which seals it into the record. The comment may name someone, so it is
never logged and is dropped with everything else by ``clear`` and ``leave``.

Events: ``changed``; ``opened`` (a subject is being rated: show the rating); ``problems`` (a submitted rating came
back incomplete: show the first problem).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from kiosk.domain.messages import define
from kiosk.domain.rating import (
    ALREADY_RATED,
    COMMENT_MAX,
    INDICATORS,
    OTHER,
    REASONS,
    Level,
    Rating,
    RatingSubject,
    RatingTargetError,
    SubjectKind,
)
from kiosk.domain.receipt import RECEIPT_DIGITS, ReceiptError, group_receipt, parse_receipt, receipt_digits
from kiosk.flows import Deliver, Flow, Pending
from kiosk.services.usage import events as usage

if TYPE_CHECKING:
    from concurrent.futures import Future

    from kiosk.domain.identity import Identity
    from kiosk.services.background import Background
    from kiosk.services.rating.service import RatingOutcome

log = logging.getLogger(__name__)

# idle: nothing open; entry: how to rate (scan, type, this visit); checking: asking whether it was rated here;
# rating: levels and details; submitting; done: thanks; refused: rated before; error: it could not be saved.
IDLE, ENTRY, CHECKING, RATING, SUBMITTING, DONE, REFUSED, ERROR = (
    "idle",
    "entry",
    "checking",
    "rating",
    "submitting",
    "done",
    "refused",
    "error",
)

_VISIT_UNAVAILABLE = define("rating.visit_unavailable", "本机暂时不能评价本次服务，请到服务窗口评价")()
_NOT_SAVED = define("rating.not_saved", "暂时无法保存您的评价，请稍后再试，或到服务窗口评价")()
# A typed receipt number that is not one, by kiosk.domain.receipt's codes (``n``: the digits typed).
_RECEIPT_PROBLEMS = {
    "empty": define("rating.receipt_empty", "请用下面的数字键输入回执上的回执编号")(),
    "format": define("rating.receipt_format", "回执编号只有数字，请对照回执核对后重新输入")(),
    "date": define("rating.receipt_date", "回执编号中间6位是办理日期（年年月月日日），这几位不对，请核对")(),
    "checksum": define(
        "rating.receipt_checksum", "回执编号中有一位输错了，或有两位前后颠倒了，请对照回执逐位核对"
    )(),
}
_RECEIPT_LENGTH = define("rating.receipt_length", "回执编号共17位数字，现在是{n}位，请对照回执核对")


class Ratings(Protocol):
    """Where the flow's ratings go: the terminal's own (``kiosk.services.rating.service.RatingService``, to the
    center through the outbox) or a rating pad's (``kiosk.services.rating_pad.ratings.PadRatings``, to the hall)."""

    background: Background

    def already_rated(self, subject: RatingSubject) -> bool:
        """Whether ``subject`` was rated already (called on a worker)."""
        ...

    def submit(self, rating: Rating, identity: Identity | None) -> Future[RatingOutcome]:
        """Check and keep the rating; the future settles once it is kept (or nothing was)."""
        ...


LEVELS = tuple(level.value for level in Level)  # 5 (非常满意) … 1 (非常不满意), the order a screen shows
INDICATOR_KEYS = tuple(key for key, _ in INDICATORS)
_SCORED = tuple(key for key in INDICATOR_KEYS if key != "overall")


class RatingFlow(Flow):
    """One citizen's rating. ``ratings`` gives the rating service (the terminal's data may open later);
    ``identity`` the session's identity, if a card was read; ``deliver`` hands results back on the owner's
    thread."""

    # What a screen reads (``view()``), what it may set, and what it may do, by the names QML uses.
    FIELDS: ClassVar[dict[str, type]] = {
        "state": str,
        "subjectKind": str,  # case, ticket or session (this visit at the terminal)
        "subjectText": str,  # the receipt number, or the ticket number (empty for this visit)
        "subjectLabel": str,
        "skippable": bool,  # offered after a transaction: skipping goes home without rating
        "level": int,  # the chosen level, 0 while none is
        "bad": bool,
        "levels": list,
        "reasonOptions": list,
        "otherReason": str,
        "selectedReasons": list,
        "comment": str,
        "commentMax": int,
        "indicatorKeys": list,
        "indicatorScores": dict,  # each indicator's score: the level unless another was chosen
        "problems": dict,  # what stops the rating, by field (level, reasons, comment, an indicator)
        "receiptTyped": str,  # the digits typed so far, in the groups of the printed number
        "receiptTypedCount": int,
        "receiptLength": int,
        "entryProblem": str,
        "entryProblemAt": str,  # where the entry says it: scan, receipt (the typed number) or visit
        "message": str,  # the outcome: thanks, the refusal, or what went wrong
        "raterName": str,  # masked, and only while a card's session is open
    }
    WRITABLE: ClassVar[dict[str, str]] = {"comment": "set_comment"}
    ACTIONS: ClassVar[dict[str, tuple[str, tuple[type, ...]]]] = {
        "rateReceipt": ("rate_receipt", (str,)),
        "pressReceiptKey": ("press_receipt_key", (str,)),
        "rateTypedReceipt": ("rate_typed_receipt", ()),
        "rateThisVisit": ("rate_this_visit", ()),
        "chooseLevel": ("choose_level", (int,)),
        "toggleReason": ("toggle_reason", (str,)),
        "setIndicator": ("set_indicator", (str, int)),
        "submit": ("submit", ()),
        "retry": ("retry", ()),
    }

    def __init__(
        self,
        ratings: Callable[[], Ratings],
        terminal_id: str,
        identity: Callable[[], Identity | None],
        deliver: Deliver,
    ) -> None:
        super().__init__()
        self._ratings = ratings
        self._terminal_id = terminal_id
        self._identity = identity
        self._deliver = deliver
        self._visit_id: str | None = None  # one per session: rating "this visit" twice is a duplicate
        self._call: Pending | None = None
        self._state = IDLE
        self._subject: RatingSubject | None = None
        self._skippable = False
        self._level = 0
        self._reasons: list[str] = []
        self._comment = ""
        self._indicators: dict[str, int] = {}
        self._problems: dict[str, str] = {}
        self._entry_problem: str = ""  # a message: a screen translates it
        self._entry_problem_at = ""
        self._receipt_typed = ""
        self._message: str = ""  # a message: a screen translates it

    # --- the ways in -------------------------------------------------------------------------------------

    def show_entry(self) -> None:
        """How to rate: scan, type a receipt number, or rate this visit."""
        self._cancel()
        self._reset_rating()
        self._set_state(ENTRY)

    def case_subject(self, receipt: str) -> RatingSubject | None:
        """The case of ``receipt`` (a finished form's), or None when it is not a receipt number."""
        try:
            return RatingSubject.case(receipt)
        except ReceiptError:
            log.warning("a finished form came without a valid receipt number: no rating offered")
            return None

    def scan(self, text: str, *, at_entry: bool) -> bool:
        """A scanned code; True when it was a rating code (KIOSK-RATE / KIOSK-TICKET) and was handled.

        Any other code is left to others (False), except while the entry asks for a rating code (``at_entry``):
        then it is answered there with what went wrong. The payload is never logged."""
        from kiosk.services.rating.service import RatingService

        try:
            subject = RatingService.target_from_scan(text)
        except RatingTargetError as exc:
            if self._state == ENTRY and at_entry:
                log.info("a scanned code on the rating screen names nothing to rate (%s)", exc.code)
                self._set_entry_problem("scan", exc.message)
                return True
            return False
        if self._state == SUBMITTING:
            return True  # a rating code, but one rating is being saved: that one finishes first
        log.info("a scanned rating code opens the rating of a %s", subject.kind.value)
        self.open(subject, skippable=False)
        return True

    def rate_receipt(self, text: str) -> None:
        """A typed receipt number: with or without spaces and hyphens, in either case."""
        # A day after tomorrow is a slip (a terminal whose clock runs a little ahead may date one tomorrow).
        tomorrow = date.today() + timedelta(days=1)
        try:
            subject = RatingSubject.case(parse_receipt(text, today=tomorrow).text)
        except ReceiptError as exc:
            log.info("a typed receipt number is not one (%s)", exc.code)
            self._set_entry_problem("receipt", self._receipt_message(exc))
            return
        self.open(subject, skippable=False)

    def press_receipt_key(self, key: str) -> None:
        """A key of the digit pad: a digit, ``delete`` or ``clear``."""
        typed = self._receipt_typed
        if key == "delete":
            typed = typed[:-1]
        elif key == "clear":
            typed = ""
        else:
            typed = (typed + receipt_digits(key))[:RECEIPT_DIGITS]
        if typed == self._receipt_typed:
            return
        self._receipt_typed = typed
        if self._entry_problem_at == "receipt":
            self._entry_problem = self._entry_problem_at = ""
        self.notify()

    def rate_typed_receipt(self) -> None:
        self.rate_receipt(self._receipt_typed)

    def rate_this_visit(self) -> None:
        """No receipt, no ticket: rate this session at the terminal (the same visit id all session long)."""
        if self._visit_id is None:
            self._visit_id = uuid.uuid4().hex
        try:
            subject = RatingSubject.session(self._terminal_id, self._visit_id)
        except ValueError:
            log.error("this terminal's id cannot name a visit: rating this visit is not offered")
            self._set_entry_problem("visit", _VISIT_UNAVAILABLE)
            return
        self.open(subject, skippable=False)

    def open(self, subject: RatingSubject, *, skippable: bool) -> None:
        """Rate ``subject``: first ask whether it was rated here already."""
        self._cancel()
        self._reset_rating()
        self._subject = subject
        self._skippable = skippable
        self._set_state(CHECKING)
        self.notify("opened")
        try:
            ratings = self._ratings()
            future = ratings.background.run(ratings.already_rated, subject)
        except Exception as exc:
            self._on_check_failed(exc)
            return
        self._call = self._deliver(future, self._on_checked, self._on_check_failed)

    # --- giving the rating -------------------------------------------------------------------------------

    def choose_level(self, level: int) -> None:
        if level not in LEVELS or self._state != RATING:
            return
        self._level = level
        self._forget_problems("level", "overall")
        if not Level(level).bad:
            self._forget_problems("reasons", "comment")
        self.notify()

    def toggle_reason(self, reason: str) -> None:
        if reason not in REASONS or self._state != RATING:
            return
        if reason in self._reasons:
            self._reasons.remove(reason)
        else:
            self._reasons.append(reason)
        self._forget_problems("reasons")
        if reason == OTHER:
            self._forget_problems("comment")
        self.notify()

    def set_indicator(self, key: str, score: int) -> None:
        """Score one indicator; 总体满意度 is the level itself."""
        if key == "overall":
            self.choose_level(score)
            return
        if key not in _SCORED or score not in LEVELS or self._state != RATING:
            return
        self._indicators[key] = score
        self._forget_problems(key)
        self.notify()

    def set_comment(self, text: str) -> None:
        if text == self._comment:
            return
        self._comment = text
        self._forget_problems("comment")
        self.notify()

    def submit(self) -> None:
        if self._state not in (RATING, ERROR) or self._subject is None:
            return
        rating = self.rating()
        try:
            future = self._ratings().submit(rating, self._identity())
        except Exception as exc:  # the terminal's data did not open: nothing was written
            self._on_submit_failed(exc)
            return
        self._set_state(SUBMITTING)
        self._call = self._deliver(future, self._on_outcome, self._on_submit_failed)

    def retry(self) -> None:
        """After an error: the same rating again (nothing was written the first time)."""
        if self._state == ERROR:
            self.submit()

    def leave(self) -> None:
        """The rating is no longer shown: drop it; the visit id stays for the session (one rating per visit)."""
        self._cancel()
        self._reset_rating()
        self._set_state(IDLE)

    def clear(self) -> None:
        """The session ended: forget the rating being given, and this session's visit."""
        self._cancel()
        self._visit_id = None
        self._reset_rating()
        self._state = IDLE
        self.notify()

    # --- what a screen shows -----------------------------------------------------------------------------

    @property
    def state(self) -> str:
        return self._state

    @property
    def subject(self) -> RatingSubject | None:
        return self._subject

    @property
    def bad(self) -> bool:
        return self._level in LEVELS and Level(self._level).bad

    def view(self) -> dict[str, Any]:
        return {
            "state": self._state,
            "subjectKind": self._subject_kind(),
            "subjectText": self._subject_text(),
            "subjectLabel": self._subject.label if self._subject is not None else "",
            "skippable": self._skippable,
            "level": self._level,
            "bad": self.bad,
            "levels": list(LEVELS),
            "reasonOptions": list(REASONS),
            "otherReason": OTHER,
            "selectedReasons": [r for r in REASONS if r in self._reasons],
            "comment": self._comment,
            "commentMax": COMMENT_MAX,
            "indicatorKeys": list(INDICATOR_KEYS),
            "indicatorScores": {key: self._score(key) for key in INDICATOR_KEYS},
            "problems": dict(self._problems),
            "receiptTyped": group_receipt(self._receipt_typed),
            "receiptTypedCount": len(self._receipt_typed),
            "receiptLength": RECEIPT_DIGITS,
            "entryProblem": self._entry_problem,
            "entryProblemAt": self._entry_problem_at,
            "message": self._message,
            "raterName": self._rater_name(),
        }

    def rating(self) -> Rating:
        """The rating as given; reasons and the comment go with a bad level only (they are asked only then)."""
        assert self._subject is not None
        bad = self.bad
        scores = {key: (self._score(key) or None) for key in _SCORED}
        return Rating(
            subject=self._subject,
            level=self._level,
            rated_at=datetime.now().astimezone(),
            reasons=tuple(r for r in REASONS if r in self._reasons) if bad else (),
            comment=self._comment if bad else "",
            efficiency=scores["efficiency"],
            service_level=scores["service_level"],
            attitude=scores["attitude"],
        )

    # --- screenshots -------------------------------------------------------------------------------------

    def show_sample(self, which: str, subject: RatingSubject, comment: str) -> None:
        """A representative state for screenshots (nothing is written): ``levels``, ``details`` (满意 with its
        indicators), ``bad`` (不满意 with reasons and ``comment``), ``missing-reason`` (不满意 sent without a
        reason), ``done`` or ``refused``."""
        from kiosk.services.rating.service import THANKS

        self._cancel()
        self._reset_rating()
        self._subject = subject
        self._skippable = which != "refused"
        self._state = RATING
        if which in ("details", "done"):
            self._level = 4
            self._indicators["attitude"] = 5
        elif which in ("bad", "missing-reason"):
            self._level = 2
            if which == "bad":
                self._reasons = ["等待时间长", "多次跑动"]
                self._comment = comment
            else:
                self._problems = {p.field: p.message for p in self.rating().problems()}
        if which == "done":
            self._state, self._message = DONE, THANKS
        elif which == "refused":
            self._state, self._message = REFUSED, ALREADY_RATED
        self.notify()

    # --- inside ------------------------------------------------------------------------------------------

    def _on_checked(self, rated: bool) -> None:
        self._call = None
        if rated:
            log.info("a %s already rated on this terminal: the rating is refused", self._kind())
            self._message = ALREADY_RATED
            self._set_state(REFUSED)
        else:
            self._set_state(RATING)

    def _on_check_failed(self, exc: BaseException) -> None:
        # The service checks again in the transaction that saves the rating: let the citizen rate.
        self._call = None
        log.error("cannot ask whether a %s was rated here (E-RATING): %s", self._kind(), type(exc).__name__)
        self._set_state(RATING)

    def _on_outcome(self, outcome: RatingOutcome) -> None:
        from kiosk.services.rating.service import THANKS, THANKS_BAD

        self._call = None
        if outcome.status == "accepted":
            usage.rated(self._level)
            self._message = outcome.message or (THANKS_BAD if self.bad else THANKS)
            self._set_state(DONE)
        elif outcome.status == "duplicate":
            self._message = outcome.message or ALREADY_RATED
            self._set_state(REFUSED)
        else:
            problems: dict[str, str] = {}
            for problem in outcome.problems:
                problems.setdefault(problem.field, problem.message)
            self._problems = problems
            # A problem with no field on screen (the subject) is said at the top.
            self._message = problems.get("subject", "")
            self._set_state(RATING)
            self.notify("problems")

    def _on_submit_failed(self, exc: BaseException) -> None:
        self._call = None
        log.error("a rating of a %s could not be saved (E-RATING): %s", self._kind(), type(exc).__name__)
        self._message = _NOT_SAVED
        self._set_state(ERROR)

    def _subject_kind(self) -> str:
        """``case``, ``ticket`` or ``session`` (this visit at the terminal)."""
        if self._subject is None:
            return ""
        if self._subject.kind is SubjectKind.CASE:
            return "case"
        return "session" if ":S:" in self._subject.id else "ticket"

    def _subject_text(self) -> str:
        """The receipt number, or the ticket number (empty for this visit)."""
        if self._subject is None:
            return ""
        if self._subject.kind is SubjectKind.CASE:
            return group_receipt(self._subject.id)
        parts = self._subject.id.split(":")
        return parts[2] if len(parts) == 3 and parts[1] != "S" else ""

    def _rater_name(self) -> str:
        """The rater as a screen may show them: masked, and only while a card's session is open."""
        identity = self._identity()
        return identity.masked_name if identity is not None else ""

    def _score(self, key: str) -> int:
        if key == "overall":
            return self._level
        return self._indicators.get(key, self._level)

    def _reset_rating(self) -> None:
        self._subject = None
        self._skippable = False
        self._level = 0
        self._reasons = []
        self._comment = ""
        self._indicators = {}
        self._problems = {}
        self._entry_problem = ""
        self._entry_problem_at = ""
        self._receipt_typed = ""
        self._message = ""

    def _receipt_message(self, error: ReceiptError) -> str:
        """What is wrong with a typed receipt number (a message: a screen translates it)."""
        if error.code == "length":
            return _RECEIPT_LENGTH(n=error.digits)
        return _RECEIPT_PROBLEMS.get(error.code, error.message)

    def _set_entry_problem(self, where: str, message: str) -> None:
        self._entry_problem, self._entry_problem_at = message, where
        self.notify()

    def _forget_problems(self, *fields: str) -> None:
        for name in fields:
            self._problems.pop(name, None)

    def _kind(self) -> str:
        return self._subject.kind.value if self._subject is not None else "subject"

    def _cancel(self) -> None:
        if self._call is not None:
            self._call.cancel()
            self._call = None

    def _set_state(self, state: str) -> None:
        self._state = state
        self.notify()

    def __repr__(self) -> str:
        return f"RatingFlow({self._state}, {self._kind()})"
