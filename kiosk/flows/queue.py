"""取号 and 预约签到 as a flow, Qt-free: the hall's services with the number waiting and the estimated wait, taking a
ticket, checking in an appointment by card or by code, and the ticket with its printout.

The flow reads the hall from :class:`~kiosk.services.queue.service.QueueService`, which follows the hall while the
queue screens show and announces ``queue`` when it changed: the owner calls :meth:`QueueFlow.hall_changed` then.
A take or a check-in keeps its request until the ticket is there: when the hall's answer did not come, 再试一次
sends the same request again (the same request id), so the citizen never gets two tickets. A ticket that could
not be printed stays valid and is shown on the screen, large, with its QR code (``printState`` ``failed`` or
``none``).

The citizen's card is the owner's to ask for (the identity prompt): :meth:`needs_card` says when a service wants
it. What is sent of the card (number, name, birth date) goes into the request and is kept only as long as the
request may have to be sent again, in memory, until the session ends.

Events: ``changed``; ``ticket`` (a ticket came: show it); ``printed`` and ``print_failed`` (say it aloud).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import ValidationError

from kiosk.domain.messages import Message, define
from kiosk.flows import Deliver, Flow, Pending
from kiosk.hall_client.client import new_request_id
from kiosk.services.queue import problems
from kiosk.services.queue.printout import TicketText, counters_text, priority_text, ticket_text
from kiosk.services.usage import events as usage

if TYPE_CHECKING:
    from drivers.printer.jobs import PrintJob
    from drivers.printer.ticket import Ticket
    from kiosk.domain.identity import Identity
    from kiosk.protocol.hall import PersonRef, ServiceView, TakeAnswer
    from kiosk.services.queue.service import QueueService

log = logging.getLogger(__name__)

# idle: not shown; loading: reading the hall; ready: its services; unreachable: ask the staff.
IDLE, LOADING, READY, UNREACHABLE = "idle", "loading", "ready", "unreachable"
# The printout of the ticket shown: printing, printed, failed (shown on screen instead), none (no printer).
PRINTING, PRINTED, PRINT_FAILED, NO_PRINTER = "printing", "printed", "failed", "none"

CODE_MIN, CODE_MAX = 4, 16  # the protocol's appointment codes
CARD_UNUSABLE = define("queue.card_unusable", "这张证件不能用于取号，请咨询工作人员")()
CODE_SHORT = define("queue.code_short", "预约码至少 {n} 位，请对照预约短信核对")
NO_PRINTER_MESSAGE = define("queue.no_printer", "本机没有号票打印机")()
SPOKEN_AHEAD = define("queue.spoken_ahead", "您的号码是 {number}，前面还有 {n} 人。")
SPOKEN_NONE = define("queue.spoken_none", "您的号码是 {number}，前面没有人等候，请留意叫号。")
SPOKEN_NOT_PRINTED = define("queue.spoken_not_printed", "号票没有打印出来，请拍下或记住屏幕上的号码。")()

Say = Callable[[Message], str]
PrintTicket = Callable[["Ticket"], "Future[PrintJob]"]


@dataclass(frozen=True, slots=True)
class _Request:
    """A take or a check-in as it was sent (sent again unchanged while its answer has not come)."""

    kind: str  # take | checkin
    request_id: str
    service: str = ""  # take: the service's code
    code: str | None = None  # check-in by appointment code
    person: PersonRef | None = None


class QueueFlow(Flow):
    FIELDS: ClassVar[dict[str, type]] = {
        "state": str,
        "available": bool,  # the terminal has a hall
        "hallName": str,
        "services": list,  # code, name, prefix, waiting, waitMinutes, open, hours, realName, counters
        "problem": str,  # why the hall cannot be used now (state unreachable)
        "busy": bool,  # a take or a check-in is on its way
        "takeProblem": str,  # the services screen: what the hall refused, or that its answer did not come
        "checkinProblem": str,  # the check-in screen: likewise
        "canRetry": bool,  # the answer did not come: 再试一次 sends the same request again
        "ticketNumber": str,
        "ticketService": str,
        "ticketAhead": int,
        "ticketWaitMinutes": int,
        "ticketCounters": str,
        "ticketTakenAt": str,
        "ticketLane": str,  # 预约签到：09:00-09:30, 优先办理：高龄, or empty
        "ticketQr": str,  # the phone page of the ticket
        "ticketHall": str,
        "printState": str,
        "printProblem": str,
        "codeTyped": str,
        "codeCount": int,
        "codeMax": int,
    }
    ACTIONS: ClassVar[dict[str, tuple[str, tuple[type, ...]]]] = {
        "reload": ("reload", ()),
        "retryTake": ("retry", ()),
        "dismissProblem": ("dismiss_problem", ()),
        "pressCodeKey": ("press_code_key", (str,)),
        "submitCode": ("submit_code", ()),
        "submitCodeText": ("submit_code_text", (str,)),
        "printAgain": ("print_again", ()),
    }

    def __init__(
        self,
        service: QueueService,
        identity: Callable[[], Identity | None],
        print_ticket: PrintTicket | None,
        say: Say,
        deliver: Deliver,
    ) -> None:
        """``identity``: the session's card, if one was read; ``print_ticket``: prints on the ticket printer
        (None: the terminal has none); ``say``: a message in the screen's language (the printout's words)."""
        super().__init__()
        self.service = service
        self._identity = identity
        self._print_ticket = print_ticket
        self._say = say
        self._deliver = deliver
        self._shown = False
        self._request: _Request | None = None
        self._call: Pending | None = None
        self._print_call: Pending | None = None
        self._take_problem: str = ""
        self._checkin_problem: str = ""
        self._can_retry = False
        self._answer: TakeAnswer | None = None
        self._print_state = ""
        self._print_problem: str = ""
        self._code = ""

    # --- the services -------------------------------------------------------------------------------------

    def open(self) -> None:
        """The queue screens open: read the hall and follow it while they show."""
        self._shown = True
        self._take_problem = ""
        self.service.follow()
        self.notify()

    def leave(self) -> None:
        """The queue screens closed: stop following, forget what was being done."""
        if self._shown:
            self.service.unfollow()
        self._shown = False
        self._forget()
        self.notify()

    def clear(self) -> None:
        """The session ended."""
        self.leave()

    def reload(self) -> None:
        """重试: read the hall again."""
        self.service.refresh()

    def hall_changed(self) -> None:
        """The hall changed (``queue`` was announced): read the snapshot again."""
        if self._shown:
            self.notify()

    def service_view(self, code: str) -> ServiceView | None:
        state = self.service.snapshot().state
        if state is None:
            return None
        return next((s for s in state.services if s.code == code), None)

    def needs_card(self, code: str) -> bool:
        """Whether taking a ticket of ``code`` needs the citizen's card (实名) that has not been read yet."""
        service = self.service_view(code)
        return service is not None and service.real_name and self._identity() is None

    # --- taking a ticket -------------------------------------------------------------------------------------

    def take(self, code: str) -> None:
        """取号 of the service ``code``; with a card read, the card goes with it (实名, and the 绿色通道 by age)."""
        if self._call is not None:
            return
        service = self.service_view(code)
        self._take_problem = ""
        if service is None:
            self._take_problem = problems.UNKNOWN_SERVICE
            self.notify()
            return
        if not service.open_now:
            self._take_problem = problems.refusal(
                "service_closed", "", service=service.name, hours=service.hours
            )
            self.notify()
            return
        person = self._person()
        if person is None and service.real_name:
            self._take_problem = (
                CARD_UNUSABLE
                if self._identity() is not None
                else problems.CARD_REQUIRED(service=service.name)
            )
            self.notify()
            return
        self._send(_Request("take", new_request_id(), service=code, person=person))

    def check_in_with_card(self) -> None:
        """预约签到 with the card of the session."""
        if self._call is not None:
            return
        self._checkin_problem = ""
        person = self._person()
        if person is None:
            self._checkin_problem = CARD_UNUSABLE
            self.notify()
            return
        self._send(_Request("checkin", new_request_id(), person=person))

    def retry(self) -> None:
        """再试一次: the same request again (the hall answers a repeat with the ticket it gave, if it did)."""
        if self._request is not None and self._call is None:
            self._send(self._request)

    def dismiss_problem(self) -> None:
        """The citizen read the message (or gave up on the request whose answer did not come)."""
        self._take_problem = self._checkin_problem = ""
        self._can_retry = False
        self._request = None
        self.notify()

    def _person(self) -> PersonRef | None:
        from kiosk.services.queue.service import person_of

        identity = self._identity()
        if identity is None:
            return None
        try:
            return person_of(identity)
        except ValidationError:
            log.warning("the card's details do not fit the hall's protocol (%s)", identity.card_type.value)
            return None

    def _send(self, request: _Request) -> None:
        self._request = request
        self._can_retry = False
        self._take_problem = self._checkin_problem = ""
        if request.kind == "take":
            future = self.service.take(request.service, request.person, request.request_id)
        else:
            future = self.service.check_in(
                code=request.code, person=request.person, request_id=request.request_id
            )
        self._call = self._deliver(future, self._on_answer, self._on_failed)
        self.notify()

    def _on_answer(self, answer: TakeAnswer) -> None:
        self._call = None
        self._request = None  # done: the next take is a new request
        self._answer = answer
        self._code = ""
        usage.ticket_taken(answer.ticket.service)
        self.notify()
        self.notify("ticket")
        self._print()

    def _on_failed(self, exc: BaseException) -> None:
        self._call = None
        request = self._request
        if request is None:
            return
        if problems.is_unreachable(exc):
            # The request may or may not have been done: keep it, to send it again unchanged.
            log.info("no answer from the hall to %s %s", request.kind, request.request_id)
            message = problems.TAKE_LOST
            self._can_retry = True
        else:
            self._request = None
            service = self.service_view(request.service) if request.service else None
            message = problems.problem_of(
                exc,
                service=service.name if service is not None else "",
                hours=service.hours if service is not None else "",
                by_code=request.code is not None,
            )
            log.info("%s refused: %s", request.kind, getattr(exc, "code", type(exc).__name__))
        if request.kind == "take":
            self._take_problem = message
        else:
            self._checkin_problem = message
        self.notify()

    # --- the appointment code ---------------------------------------------------------------------------------

    def press_code_key(self, key: str) -> None:
        """A key of the code pad: a digit or letter, ``delete`` or ``clear``."""
        if key == "delete":
            self._code = self._code[:-1]
        elif key == "clear":
            self._code = ""
        else:
            typed = re.sub(r"[^A-Z0-9]", "", key.upper())
            self._code = (self._code + typed)[:CODE_MAX]
        self._checkin_problem = ""
        self.notify()

    def submit_code(self) -> None:
        """签到 with the code typed."""
        if self._call is not None:
            return
        if len(self._code) < CODE_MIN:
            self._checkin_problem = CODE_SHORT(n=CODE_MIN)
            self.notify()
            return
        self._send(_Request("checkin", new_request_id(), code=self._code))

    def submit_code_text(self, text: str) -> None:
        """A code typed on the keyboard (one with letters)."""
        self._code = re.sub(r"[^A-Z0-9]", "", text.upper())[:CODE_MAX]
        self.submit_code()

    # --- the printout ------------------------------------------------------------------------------------------

    def ticket_text(self) -> TicketText | None:
        return ticket_text(self._answer, self._say) if self._answer is not None else None

    def print_again(self) -> None:
        """重新打印 (after staff refilled the paper)."""
        if self._answer is not None and self._print_state in (PRINT_FAILED, NO_PRINTER):
            self._print()

    def _print(self) -> None:
        text = self.ticket_text()
        if text is None:
            return
        if self._print_ticket is None:
            self._print_state, self._print_problem = NO_PRINTER, NO_PRINTER_MESSAGE
            self.notify()
            self.notify("print_failed")
            return
        self._print_state, self._print_problem = PRINTING, ""
        self.notify()
        self._print_call = self._deliver(
            self._print_ticket(text.ticket()), self._on_printed, self._on_print_error
        )

    def _on_printed(self, job: PrintJob) -> None:
        self._print_call = None
        if job.ok:
            self._print_state, self._print_problem = PRINTED, ""
            self.notify()
            self.notify("printed")
        else:
            log.warning(
                "ticket %s not printed: %s", self._answer.ticket.number if self._answer else "", job.code
            )
            self._print_state, self._print_problem = PRINT_FAILED, job.message
            self.notify()
            self.notify("print_failed")

    def _on_print_error(self, exc: BaseException) -> None:
        from drivers.base import DeviceError
        from drivers.printer.jobs import message_for

        self._print_call = None
        log.warning("ticket not printed: %s", exc)
        self._print_state = PRINT_FAILED
        self._print_problem = exc.message if isinstance(exc, DeviceError) else message_for("printer_error")
        self.notify()
        self.notify("print_failed")

    # --- what a screen shows -----------------------------------------------------------------------------------

    def spoken(self) -> str:
        """What is said aloud about the ticket (in the screen's language)."""
        if self._answer is None:
            return ""
        ticket = self._answer.ticket
        ahead = ticket.waiting_ahead or 0
        said = self._say(
            SPOKEN_AHEAD(number=ticket.number, n=ahead) if ahead else SPOKEN_NONE(number=ticket.number)
        )
        if self._print_state in (PRINT_FAILED, NO_PRINTER):
            said += self._say(SPOKEN_NOT_PRINTED)
        return said

    def _state(self) -> tuple[str, str]:
        if not self._shown:
            return IDLE, ""
        snapshot = self.service.snapshot()
        if not snapshot.loaded and snapshot.state is None:
            return LOADING, ""
        if not snapshot.reachable:
            return UNREACHABLE, problems.problem_of(
                snapshot.problem
            ) if snapshot.problem else problems.UNREACHABLE
        if snapshot.state is None:
            return LOADING, ""
        return READY, ""

    def view(self) -> dict[str, Any]:
        state, problem = self._state()
        snapshot = self.service.snapshot()
        hall = snapshot.state
        answer = self._answer
        ticket = answer.ticket if answer is not None else None
        return {
            "state": state,
            "available": self.service.available,
            "hallName": hall.hall_name if hall is not None else "",
            "services": [self._service_row(s) for s in hall.services]
            if hall is not None and state == READY
            else [],
            "problem": problem,
            "busy": self._call is not None,
            "takeProblem": self._take_problem,
            "checkinProblem": self._checkin_problem,
            "canRetry": self._can_retry,
            "ticketNumber": ticket.number if ticket is not None else "",
            "ticketService": ticket.service_name if ticket is not None else "",
            "ticketAhead": (ticket.waiting_ahead or 0) if ticket is not None else 0,
            "ticketWaitMinutes": answer.estimated_wait_min if answer is not None else 0,
            "ticketCounters": counters_text(answer.counters, self._say) if answer is not None else "",
            "ticketTakenAt": f"{ticket.taken_at.astimezone():%H:%M}" if ticket is not None else "",
            "ticketLane": priority_text(ticket.priority, ticket.priority_reason, self._say) if ticket else "",
            "ticketQr": ticket.follow_url if ticket is not None else "",
            "ticketHall": answer.hall_name if answer is not None else "",
            "printState": self._print_state,
            "printProblem": self._print_problem,
            "codeTyped": self._code,
            "codeCount": len(self._code),
            "codeMax": CODE_MAX,
        }

    def _service_row(self, service: ServiceView) -> dict[str, Any]:
        return {
            "code": service.code,
            "name": service.name,
            "prefix": service.prefix,
            "waiting": service.waiting,
            "waitMinutes": service.estimated_wait_min,
            "open": service.open_now,
            "hours": service.hours,
            "realName": service.real_name,
            "counters": counters_text(service.counters, self._say),
        }

    # --- screenshots --------------------------------------------------------------------------------------------

    def show_sample(self) -> None:
        """Shown without following (the service holds a sample snapshot): for screenshots."""
        self._forget()
        self._shown = True
        self.notify()

    def show_sample_problem(self, message: str, *, at: str, can_retry: bool = False) -> None:
        if at == "take":
            self._take_problem = message
        else:
            self._checkin_problem = message
        self._can_retry = can_retry
        self.notify()

    def show_sample_ticket(self, answer: TakeAnswer, print_state: str, print_problem: str) -> None:
        self._answer = answer
        self._print_state, self._print_problem = print_state, print_problem
        self.notify()

    # --- inside -----------------------------------------------------------------------------------------------

    def _forget(self) -> None:
        for call in (self._call, self._print_call):
            if call is not None:
                call.cancel()
        self._call = self._print_call = None
        self._request = None
        self._answer = None
        self._take_problem = self._checkin_problem = ""
        self._can_retry = False
        self._print_state = self._print_problem = ""
        self._code = ""
