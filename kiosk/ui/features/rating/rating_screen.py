"""好差评: rating a case (by its receipt number) or a visit (a queue ticket, or this session at the terminal).

Three ways in: after a completed form (``start_for_case``, skippable), a scanned rating code anywhere
(``on_scan``), or the home tile (``show``: scan, type a receipt number, or rate this visit). The screen asks one
level, then the hall indicators (each defaults to that level, so a citizen who is done just presses 提交), and for
a bad level the reasons and an optional comment. The service refuses a subject rated here before; the screen
asks it first (``already_rated``) so nobody fills in a rating only to be turned away.

The rater is the citizen of the session, if a card was read: the full identity goes to the service, which seals it
into the record; the screen shows the masked name only. The comment may name someone, so it is never logged and
is dropped with everything else when the screen is left or the session ends.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

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
from kiosk.services.rating.service import THANKS, THANKS_BAD, RatingService
from kiosk.ui.messages import on_language_switched, translate
from kiosk.ui.shell.tasks import BackgroundCall, run_in_background

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.services.citizen import CitizenServices
    from kiosk.services.rating.service import RatingOutcome
    from kiosk.ui.shell.identity_session import IdentitySession
    from kiosk.ui.shell.navigator import Navigator

log = logging.getLogger(__name__)

SCREEN = "rating"

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

# What this screen says itself, as messages (kiosk.domain.messages) so that what shows follows a later language switch.
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

LEVELS = tuple(level.value for level in Level)  # 5 (非常满意) … 1 (非常不满意), the order the screen shows
INDICATOR_KEYS = tuple(key for key, _ in INDICATORS)
_SCORED = tuple(key for key in INDICATOR_KEYS if key != "overall")


class RatingScreen(QObject):
    changed = Signal()
    # A submitted rating came back incomplete: the screen scrolls to the first problem.
    problemsShown = Signal()

    def __init__(
        self,
        services: Callable[[], CitizenServices],
        session: IdentitySession,
        navigator: Navigator,
        settings: Settings,
        say: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._session = session
        self._navigator = navigator
        self._settings = settings
        self._say = say
        self._visit_id: str | None = None  # one per session: rating "this visit" twice is a duplicate
        self._call: BackgroundCall | None = None
        self._generation = 0  # bumped by clear(): a deferred opening from before it is dropped
        self._subject: RatingSubject | None = None
        self._reasons: list[str] = []
        self._comment = ""
        self._indicators: dict[str, int] = {}
        self._problems: dict[str, str] = {}
        self._reset_rating()
        self._state = IDLE
        session.changed.connect(self.changed)
        on_language_switched(self.changed)
        navigator.left.connect(self._on_left)

    # --- the three ways in -------------------------------------------------------------------------------

    def start_for_case(self, receipt: str) -> None:
        """After a completed transaction: rate the case of ``receipt`` (skippable)."""
        try:
            subject = RatingSubject.case(receipt)
        except ReceiptError:
            log.warning("a finished form came without a valid receipt number: no rating offered")
            return
        generation = self._generation

        def open_after_form() -> None:
            # On the next turn, once the form flow is done with its own screens: the rating then stands alone
            # on the home screen, so 返回 cannot lead back into a form that has been closed.
            if generation != self._generation:
                return
            self._navigator.home()
            self._open(subject, skippable=True)
            self._say("rate_service")

        QTimer.singleShot(0, self, open_after_form)  # dropped with this object

    def on_scan(self, text: str) -> bool:
        """A scanned code; True when it was a rating code (KIOSK-RATE / KIOSK-TICKET) and was handled.

        Any other code is left to others (False), except while the entry screen asks for a rating code: then it
        is answered there with what went wrong. The payload is never logged."""
        try:
            subject = RatingService.target_from_scan(text)
        except RatingTargetError as exc:
            if self._state == ENTRY and self._navigator.current == SCREEN:
                log.info("a scanned code on the rating screen names nothing to rate (%s)", exc.code)
                self._set_entry_problem("scan", exc.message)
                return True
            return False
        if self._state == SUBMITTING:
            return True  # a rating code, but one rating is being saved: that one finishes first
        log.info("a scanned rating code opens the rating of a %s", subject.kind.value)
        self._open(subject, skippable=False)
        return True

    @Slot()
    def show(self) -> None:
        """The home tile 服务评价: how to rate."""
        self._cancel()
        self._reset_rating()
        self._set_state(ENTRY)
        self._show_screen()

    @Slot(str)
    def rateReceipt(self, text: str) -> None:
        """A receipt number typed on the entry screen (the digit pad's, or an earlier one with letters typed on
        the keyboard): with or without spaces and hyphens, in either case."""
        # A day after tomorrow is a slip (a terminal whose clock runs a little ahead may date one tomorrow).
        tomorrow = date.today() + timedelta(days=1)
        try:
            subject = RatingSubject.case(parse_receipt(text, today=tomorrow).text)
        except ReceiptError as exc:
            log.info("a typed receipt number is not one (%s)", exc.code)
            self._set_entry_problem("receipt", self._receipt_message(exc))
            return
        self._open(subject, skippable=False)

    @Slot(str)
    def pressReceiptKey(self, key: str) -> None:
        """A key of the entry screen's digit pad: a digit, ``delete`` or ``clear``; a physical keyboard's digits
        come here too."""
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
        self.changed.emit()

    @Slot()
    def rateTypedReceipt(self) -> None:
        """确定 under the digit pad."""
        self.rateReceipt(self._receipt_typed)

    @Slot()
    def rateThisVisit(self) -> None:
        """No receipt, no ticket: rate this session at the terminal (the same visit id all session long)."""
        if self._visit_id is None:
            self._visit_id = uuid.uuid4().hex
        try:
            subject = RatingSubject.session(self._settings.terminal_id, self._visit_id)
        except ValueError:
            log.error("this terminal's id cannot name a visit: rating this visit is not offered")
            self._set_entry_problem("visit", _VISIT_UNAVAILABLE)
            return
        self._open(subject, skippable=False)

    # --- giving the rating -------------------------------------------------------------------------------

    @Slot(int)
    def chooseLevel(self, level: int) -> None:
        if level not in LEVELS or self._state != RATING:
            return
        self._level = level
        self._forget_problems("level", "overall")
        if not Level(level).bad:
            self._forget_problems("reasons", "comment")
        self.changed.emit()

    @Slot(str)
    def toggleReason(self, reason: str) -> None:
        if reason not in REASONS or self._state != RATING:
            return
        if reason in self._reasons:
            self._reasons.remove(reason)
        else:
            self._reasons.append(reason)
        self._forget_problems("reasons")
        if reason == OTHER:
            self._forget_problems("comment")
        self.changed.emit()

    @Slot(str, int)
    def setIndicator(self, key: str, score: int) -> None:
        """Score one indicator; 总体满意度 is the level itself."""
        if key == "overall":
            self.chooseLevel(score)
            return
        if key not in _SCORED or score not in LEVELS or self._state != RATING:
            return
        self._indicators[key] = score
        self._forget_problems(key)
        self.changed.emit()

    def _get_comment(self) -> str:
        return self._comment

    def _set_comment(self, text: str) -> None:
        if text == self._comment:
            return
        self._comment = text
        self._forget_problems("comment")
        self.changed.emit()

    comment = Property(str, _get_comment, _set_comment, notify=changed)

    @Slot()
    def submit(self) -> None:
        if self._state not in (RATING, ERROR) or self._subject is None:
            return
        rating = self._rating()
        try:
            ratings = self._services().ratings
            future = ratings.submit(rating, self._session.identity())
        except Exception as exc:  # the terminal's data did not open: nothing was written
            self._on_submit_failed(exc)
            return
        self._set_state(SUBMITTING)
        self._call = run_in_background(future, self._on_outcome, self._on_submit_failed, parent=self)

    @Slot()
    def retry(self) -> None:
        """After an error: the same rating again (nothing was written the first time)."""
        if self._state == ERROR:
            self.submit()

    @Slot()
    def skip(self) -> None:
        """跳过: no rating this time."""
        self._navigator.home()

    @Slot()
    def goHome(self) -> None:
        self._navigator.home()

    def clear(self) -> None:
        """Forget the rating being given, and this session's visit."""
        self._generation += 1
        self._cancel()
        self._visit_id = None
        self._reset_rating()
        self._state = IDLE
        self.changed.emit()

    # --- what QML reads ----------------------------------------------------------------------------------

    @Property(str, notify=changed)
    def state(self) -> str:
        return self._state

    @Property(str, notify=changed)
    def subjectKind(self) -> str:
        """``case``, ``ticket`` or ``session`` (this visit at the terminal)."""
        if self._subject is None:
            return ""
        if self._subject.kind is SubjectKind.CASE:
            return "case"
        return "session" if ":S:" in self._subject.id else "ticket"

    @Property(str, notify=changed)
    def subjectText(self) -> str:
        """The receipt number, or the ticket number (empty for this visit)."""
        if self._subject is None:
            return ""
        if self._subject.kind is SubjectKind.CASE:
            return group_receipt(self._subject.id)
        parts = self._subject.id.split(":")
        return parts[2] if len(parts) == 3 and parts[1] != "S" else ""

    @Property(str, notify=changed)
    def subjectLabel(self) -> str:
        return translate(self._subject.label) if self._subject is not None else ""

    @Property(bool, notify=changed)
    def skippable(self) -> bool:
        """Offered after a transaction: 跳过 goes home without rating."""
        return self._skippable

    @Property(int, notify=changed)
    def level(self) -> int:
        """The chosen level, 0 while none is."""
        return self._level

    @Property(bool, notify=changed)
    def bad(self) -> bool:
        return self._level in LEVELS and Level(self._level).bad

    @Property("QVariantList", constant=True)
    def levels(self) -> list[int]:
        return list(LEVELS)

    @Property("QVariantList", constant=True)
    def reasonOptions(self) -> list[str]:
        return list(REASONS)

    @Property(str, constant=True)
    def otherReason(self) -> str:
        return OTHER

    @Property("QVariantList", notify=changed)
    def selectedReasons(self) -> list[str]:
        return [r for r in REASONS if r in self._reasons]

    @Property(int, constant=True)
    def commentMax(self) -> int:
        return COMMENT_MAX

    @Property("QVariantList", constant=True)
    def indicatorKeys(self) -> list[str]:
        return list(INDICATOR_KEYS)

    @Property("QVariantMap", notify=changed)
    def indicatorScores(self) -> dict[str, int]:
        """Each indicator's score: the level unless the citizen chose another (0 while no level is chosen)."""
        return {key: self._score(key) for key in INDICATOR_KEYS}

    @Property("QVariantMap", notify=changed)
    def problems(self) -> dict[str, str]:
        """What stops the rating, by field (``level``, ``reasons``, ``comment``, an indicator key)."""
        return {field: translate(message) for field, message in self._problems.items()}

    @Property(str, notify=changed)
    def receiptTyped(self) -> str:
        """The digits typed on the pad so far, in the groups of the printed number (``482915 2612``)."""
        return group_receipt(self._receipt_typed)

    @Property(int, notify=changed)
    def receiptTypedCount(self) -> int:
        return len(self._receipt_typed)

    @Property(int, constant=True)
    def receiptLength(self) -> int:
        return RECEIPT_DIGITS

    @Property(str, notify=changed)
    def entryProblem(self) -> str:
        return translate(self._entry_problem)

    @Property(str, notify=changed)
    def entryProblemAt(self) -> str:
        """Where the entry screen says it: ``scan``, ``receipt`` (the typed number) or ``visit``."""
        return self._entry_problem_at

    @Property(str, notify=changed)
    def message(self) -> str:
        """The outcome for the citizen: thanks, the refusal, or what went wrong."""
        return translate(self._message)

    @Property(str, notify=changed)
    def raterName(self) -> str:
        """The rater as the screen may show them: masked, and only while a card's session is open."""
        identity = self._session.identity()
        return identity.masked_name if identity is not None else ""

    # --- screenshots -------------------------------------------------------------------------------------

    DEMO_STATES = ("entry", "entry-mistyped", "levels", "details", "bad", "missing-reason", "done", "refused")

    def demo_state(self, which: str) -> None:
        """A representative state for screenshots, with a demo card's session: ``entry``, ``levels`` (nothing
        chosen yet), ``details`` (满意 with its indicators), ``bad`` (不满意 with reasons and a comment),
        ``missing-reason`` (不满意 sent without a reason), ``done`` or ``refused``; ``entry-mistyped`` is the entry
        with a receipt number keyed in with two digits swapped. Nothing is written."""
        from datetime import date

        from drivers.idcard.cards import SAMPLES
        from kiosk.domain.receipt import make_receipt

        if which not in self.DEMO_STATES:
            raise ValueError(f"unknown rating screen state {which!r}; known: {', '.join(self.DEMO_STATES)}")
        if not self._session.active:
            self._session.begin(SAMPLES["elder"])
        if which in ("entry", "entry-mistyped"):
            self.show()
            if which == "entry-mistyped":  # two neighbouring digits of the number swapped
                receipt = make_receipt("T-demo0001", date.today(), 27)
                self.pressReceiptKey(receipt[:14] + receipt[15] + receipt[14] + receipt[16:])
                self.rateTypedReceipt()
            return
        self._cancel()
        self._reset_rating()
        self._subject = RatingSubject.case(make_receipt("T-demo0001", date.today(), 7))
        self._skippable = which != "refused"
        self._state = RATING
        if which in ("details", "done"):
            self._level = 4
            self._indicators["attitude"] = 5
        elif which in ("bad", "missing-reason"):
            self._level = 2
            if which == "bad":
                self._reasons = ["等待时间长", "多次跑动"]
                self._comment = self.tr(
                    "周一上午排队一个多小时"
                )  # what a citizen would type, in the language shown
            else:
                self._problems = {p.field: p.message for p in self._rating().problems()}
        if which == "done":
            self._state, self._message = DONE, THANKS
        elif which == "refused":
            self._state, self._message = REFUSED, ALREADY_RATED
        self.changed.emit()
        self._show_screen()

    # --- inside ------------------------------------------------------------------------------------------

    def _open(self, subject: RatingSubject, *, skippable: bool) -> None:
        """Rate ``subject``: first ask whether this terminal took its rating already."""
        self._cancel()
        self._reset_rating()
        self._subject = subject
        self._skippable = skippable
        self._set_state(CHECKING)
        self._show_screen()
        try:
            ratings = self._services().ratings
            future = ratings.background.run(ratings.already_rated, subject)
        except Exception as exc:
            self._on_check_failed(exc)
            return
        self._call = run_in_background(future, self._on_checked, self._on_check_failed, parent=self)

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
        self._call = None
        if outcome.status == "accepted":
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
            self.changed.emit()
            self.problemsShown.emit()

    def _on_submit_failed(self, exc: BaseException) -> None:
        self._call = None
        log.error("a rating of a %s could not be saved (E-RATING): %s", self._kind(), type(exc).__name__)
        self._message = _NOT_SAVED
        self._set_state(ERROR)

    def _rating(self) -> Rating:
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
        """What is wrong with a typed receipt number (a message: translated when the screen reads it)."""
        if error.code == "length":
            return _RECEIPT_LENGTH(n=error.digits)
        return _RECEIPT_PROBLEMS.get(error.code, error.message)

    def _set_entry_problem(self, where: str, message: str) -> None:
        self._entry_problem, self._entry_problem_at = message, where
        self.changed.emit()

    def _forget_problems(self, *fields: str) -> None:
        for name in fields:
            self._problems.pop(name, None)

    def _kind(self) -> str:
        return self._subject.kind.value if self._subject is not None else "subject"

    def _show_screen(self) -> None:
        if self._navigator.current != SCREEN:
            self._navigator.push(SCREEN)

    def _cancel(self) -> None:
        if self._call is not None:
            self._call.cancel()
            self._call = None

    def _set_state(self, state: str) -> None:
        self._state = state
        self.changed.emit()

    @Slot(str)
    def _on_left(self, screen: str) -> None:
        """Leaving the screen drops the rating; the visit id stays for the session (one rating per visit)."""
        if screen == SCREEN:
            self._generation += 1
            self._cancel()
            self._reset_rating()
            self._set_state(IDLE)

    def __repr__(self) -> str:
        return f"RatingScreen({self._state}, {self._kind()})"
