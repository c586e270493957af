"""The queue ticket (号票) as the ticket printer prints it and the screen shows it, from the hall's answer to a take
or a check-in (docs/printing.md, "The queue ticket").

From the top: the hall's name, the number very large, then the service, how many are ahead and about how long
that takes, the counters that serve it, an appointment's window or the priority lane, the time it was taken, a
line saying what the QR code is for, the QR code (the ticket's ``follow_url``: the hall's phone page, where the
citizen follows the queue and rates the service later), and "请留意叫号". The words are the citizen's language
(``say`` translates each message); the hall's and the services' names are the hall's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from drivers.printer.ticket import Ticket
from kiosk.domain.messages import Message, define
from kiosk.protocol.hall import TakeAnswer

SERVICE = define("queue.print_service", "业务：{service}")
AHEAD = define("queue.print_ahead", "前面还有 {n} 人等候")
NONE_AHEAD = define("queue.print_none_ahead", "前面没有人等候")
WAIT = define("queue.print_wait", "预计等候约 {n} 分钟")
COUNTERS = define("queue.print_counters", "办理窗口：{counters} 号窗口")
APPOINTMENT = define("queue.print_appointment", "预约签到：{window}")
PRIORITY = define("queue.print_priority", "优先办理：{reason}")
TAKEN_AT = define("queue.print_taken_at", "取号时间：{time}")
QR_HINT = define("queue.print_qr_hint", "手机扫描下方二维码，可查看排队进度，办完后可评价")()
FOOTER = define("queue.print_footer", "请留意叫号")()
GREEN_REASONS = {
    "高龄": define("queue.green_age", "高龄")(),
    "残疾": define("queue.green_disability", "残疾")(),
    "孕妇": define("queue.green_pregnancy", "孕妇")(),
}
COUNTER_SEPARATOR = define("queue.counter_separator", "、")()

_WINDOW = re.compile(r"([0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9])")

Say = Callable[[Message], str]


@dataclass(frozen=True, slots=True)
class TicketText:
    """A ticket's words, ready to print or show: ``lines`` in the order printed (the QR hint last)."""

    hall: str
    number: str
    lines: tuple[str, ...]
    qr: str
    footer: str

    def ticket(self) -> Ticket:
        return Ticket(title=self.hall, number=self.number, lines=self.lines, qr=self.qr, footer=self.footer)


def counters_text(counters: Sequence[int], say: Say = str) -> str:
    """``1、2、3`` (or ``1, 2, 3``: the separator is the language's)."""
    return say(COUNTER_SEPARATOR).join(str(n) for n in counters)


def priority_text(priority: str, reason: str, say: Say = str) -> str:
    """The ticket's lane in words: an appointment with its window, or the priority lane with its reason."""
    if priority == "appointment":
        window = _WINDOW.search(reason)
        return say(APPOINTMENT(window=window.group(1) if window else reason))
    if priority == "green":
        why = GREEN_REASONS.get(reason)
        return say(PRIORITY(reason=why if why is not None else reason))
    return ""


def ticket_text(answer: TakeAnswer, say: Say = str) -> TicketText:
    """The printed ticket of ``answer``, in the language of ``say``."""
    ticket = answer.ticket
    ahead = ticket.waiting_ahead or 0
    lines = [say(SERVICE(service=ticket.service_name))]
    lines.append(say(AHEAD(n=ahead)) if ahead else say(NONE_AHEAD()))
    if ahead and answer.estimated_wait_min:
        lines.append(say(WAIT(n=answer.estimated_wait_min)))
    if answer.counters:
        lines.append(say(COUNTERS(counters=counters_text(answer.counters, say))))
    lane = priority_text(ticket.priority, ticket.priority_reason, say)
    if lane:
        lines.append(lane)
    taken = ticket.taken_at.astimezone()
    lines.append(say(TAKEN_AT(time=f"{taken:%Y-%m-%d %H:%M}")))
    if ticket.follow_url:
        lines.append(say(QR_HINT))
    return TicketText(
        hall=answer.hall_name,
        number=ticket.number,
        lines=tuple(lines),
        qr=ticket.follow_url,
        footer=say(FOOTER),
    )
