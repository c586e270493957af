"""What the kiosk tells a citizen when the hall cannot give a ticket: each refusal of the hall (docs/hall.md,
"Errors") as a :class:`~kiosk.domain.messages.Message`, so the screen says it in the citizen's language.

The hall answers a refusal with a code, a plain Chinese sentence and the values the sentence names (``details``:
an appointment's window and the time check-in opens, its day, the number the person already has, the daily cap).
The code picks the wording here and the details fill it in, in the citizen's language; without them a plainer
wording is used. A code this kiosk does not know is shown as the hall said it (Chinese only: the English screen
then says to ask the staff).

A hall that cannot be reached is never a spinner: the citizen is asked to see the staff, and told that the rest
of the terminal works.
"""

from __future__ import annotations

import logging

from kiosk.domain.messages import Message, define
from kiosk.hall_client.errors import (
    HallBadAnswer,
    HallConfigError,
    HallError,
    HallRefused,
    HallUnauthorized,
    HallUnavailable,
)

log = logging.getLogger(__name__)

UNREACHABLE = define(
    "queue.unreachable",
    "暂时连不上排队服务，请咨询工作人员。本机的其他功能（查办事指南、填表等）仍可正常使用。",
)()
NOT_SET_UP = define("queue.not_set_up", "本机的排队取号暂时不能使用，请咨询工作人员")()
BAD_ANSWER = define("queue.bad_answer", "排队服务出了问题，请咨询工作人员")()
TAKE_LOST = define(
    "queue.take_lost",
    "暂时连不上排队服务，号还没有取到，请点“再试一次”，或咨询工作人员。再试不会多取一个号。",
)()

SERVICE_CLOSED = define("queue.service_closed", "{service}现在不取号，取号时间为 {hours}")
SERVICE_CLOSED_PLAIN = define("queue.service_closed_plain", "{service}现在不取号，请咨询工作人员")
SERVICE_FULL = define("queue.service_full", "{service}今天的号已经取完，请明天再来，或咨询工作人员")
CARD_REQUIRED = define("queue.card_required", "{service}需要实名取号，请放置身份证")
HAS_TICKET = define("queue.has_ticket", "您已经取过{service}的号（{number}），请等候叫号，不用再取")
HAS_TICKET_PLAIN = define("queue.has_ticket_plain", "您已经取过{service}的号，请等候叫号，不用再取")
DAILY_CAP = define("queue.daily_cap", "每人每天最多取 {n} 个号，您今天已经取满；如有需要，请咨询工作人员")
DAILY_CAP_PLAIN = define("queue.daily_cap_plain", "您今天取号的次数已满；如有需要，请咨询工作人员")
UNKNOWN_SERVICE = define("queue.unknown_service", "大厅已不办理这项业务，请选择其他业务，或咨询工作人员")()

NO_APPOINTMENT_CODE = define(
    "queue.no_appointment_code", "没有找到这个预约码，请对照预约短信核对后重新输入，或咨询工作人员"
)()
NO_APPOINTMENT_CARD = define(
    "queue.no_appointment_card", "没有找到您今天的预约。您可以现场取号，或咨询工作人员"
)()
TOO_EARLY = define("queue.too_early", "您预约的时间是 {window}，还没到签到时间，请在 {opens} 以后再来签到")
TOO_EARLY_PLAIN = define("queue.too_early_plain", "还没到您预约的签到时间，请稍后再来签到")
TOO_LATE = define("queue.too_late", "您预约的时间 {window} 已经过了，请现场取号，或重新预约")
TOO_LATE_DAY = define("queue.too_late_day", "您的预约是 {day} 的，已经过期，请现场取号，或重新预约")
TOO_LATE_PLAIN = define("queue.too_late_plain", "您预约的时间已经过了，请现场取号，或重新预约")
WRONG_DAY = define("queue.wrong_day", "您的预约是 {day} 的，请在预约当天来签到")
WRONG_DAY_PLAIN = define("queue.wrong_day_plain", "您的预约不是今天的，请在预约当天来签到")
APPOINTMENT_SERVICE_GONE = define(
    "queue.appointment_service_gone", "本大厅没有您预约的业务，请咨询工作人员"
)()
REFUSED = define("queue.refused", "{message}")
REFUSED_PLAIN = define("queue.refused_plain", "排队服务没有办成这件事，请咨询工作人员")()


def problem_of(exc: BaseException, *, service: str = "", hours: str = "", by_code: bool = True) -> Message:
    """What to tell the citizen about ``exc`` (from a take or a check-in). ``service`` and ``hours``: the name and
    opening hours of the service asked for; ``by_code``: a check-in by appointment code (not by card)."""
    if isinstance(exc, HallRefused):
        return refusal(exc.code, exc.message, exc.details, service=service, hours=hours, by_code=by_code)
    if isinstance(exc, HallUnavailable):
        return UNREACHABLE
    if isinstance(exc, HallConfigError | HallUnauthorized):
        return NOT_SET_UP
    if isinstance(exc, HallBadAnswer | HallError):
        return BAD_ANSWER
    return BAD_ANSWER


def refusal(
    code: str,
    message: str,
    details: dict[str, str] | None = None,
    *,
    service: str = "",
    hours: str = "",
    by_code: bool = True,
) -> Message:
    """A refusal of the hall, by its code, with the values it names (``details``: docs/hall.md, "Errors"); a
    refusal without them gets the plainer wording."""
    named = details or {}
    window, opens, day = named.get("window", ""), named.get("opens", ""), named.get("day", "")
    if code == "service_closed":
        return (
            SERVICE_CLOSED(service=service, hours=hours) if hours else SERVICE_CLOSED_PLAIN(service=service)
        )
    if code == "service_full":
        return SERVICE_FULL(service=service)
    if code == "card_required":
        return CARD_REQUIRED(service=service)
    if code == "person_has_open_ticket":
        number = named.get("number", "")
        return HAS_TICKET(service=service, number=number) if number else HAS_TICKET_PLAIN(service=service)
    if code == "person_daily_cap":
        cap = named.get("cap", "")
        return DAILY_CAP(n=int(cap)) if cap.isdigit() else DAILY_CAP_PLAIN()
    if code == "unknown_service":
        return APPOINTMENT_SERVICE_GONE if named.get("for") == "appointment" else UNKNOWN_SERVICE
    if code == "appointment_not_found":
        return NO_APPOINTMENT_CODE if by_code else NO_APPOINTMENT_CARD
    if code == "too_early":
        return TOO_EARLY(window=window, opens=opens) if window and opens else TOO_EARLY_PLAIN()
    if code == "too_late":
        if window:
            return TOO_LATE(window=window)
        return TOO_LATE_DAY(day=day) if day else TOO_LATE_PLAIN()
    if code == "wrong_day":
        return WRONG_DAY(day=day) if day else WRONG_DAY_PLAIN()
    log.info("the hall refused with a code the kiosk does not know: %s", code)
    return REFUSED(message=message) if message else REFUSED_PLAIN


def is_unreachable(exc: BaseException) -> bool:
    """The hall could not be reached (or did not answer in time): the same request may be sent again."""
    return isinstance(exc, HallUnavailable)
