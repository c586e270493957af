"""取号排队 on the kiosk: the queue screens over the queue flow (``kiosk.flows.queue``, Qt-free), shown to QML through
the shell's one flow adapter.

What only the kiosk's screens do is here: opening the services (``queue``), the check-in (``queueCheckin``) and
the ticket (``queueTicket``) screens, asking for the card through the shell's identity prompt where a service is
实名 or an appointment is checked in by card, reading the hall again when the shell says ``queue`` changed,
printing on the terminal's ticket printer (on a worker), saying the number aloud, and the sample states of the
screenshots. Leaving the services screen stops following the hall.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QObject, Slot

from kiosk.domain.messages import define
from kiosk.flows.queue import NO_PRINTER, PRINT_FAILED, PRINTED, QueueFlow
from kiosk.ui.messages import translate
from kiosk.ui.shell.flow_adapter import flow_view

if TYPE_CHECKING:
    from drivers.printer.jobs import PrintJob
    from drivers.printer.ticket import Ticket
    from kiosk.protocol.hall import HallState, TakeAnswer
    from kiosk.services.queue.service import QueueService
    from kiosk.ui.shell.identity_prompt import IdentityPrompt
    from kiosk.ui.shell.identity_session import IdentitySession
    from kiosk.ui.shell.navigator import Navigator

log = logging.getLogger(__name__)

SERVICES, CHECKIN, TICKET = "queue", "queueCheckin", "queueTicket"
IDENTIFY = "identify"

IDENTIFY_TO_TAKE = define("queue.identify_take", "{service}需要实名取号，请先读取您的身份证")
IDENTIFY_TO_CHECK_IN = define("queue.identify_checkin", "用身份证预约签到，请先读取您的身份证")()


class QueueScreen(flow_view(QueueFlow)):  # type: ignore[misc]
    def __init__(
        self,
        service: QueueService,
        session: IdentitySession,
        prompt: Callable[[], IdentityPrompt],
        navigator: Navigator,
        print_ticket: Callable[[Ticket], Future[PrintJob]] | None,
        say_text: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(
            lambda deliver: QueueFlow(service, session.identity, print_ticket, translate, deliver), parent
        )
        self._session = session
        self._prompt = prompt
        self._navigator = navigator
        self._say_text = say_text
        navigator.left.connect(self._on_left)
        session.changed.connect(self.refresh)

    # --- the ways in ------------------------------------------------------------------------------------------

    @Slot()
    def show(self) -> None:
        """The home tile 取号排队: the hall's services."""
        self.flow.open()
        if self._navigator.current != SERVICES:
            self._navigator.push(SERVICES)

    @Slot()
    def showCheckin(self) -> None:
        """预约签到: by card or by appointment code."""
        self.flow.dismiss_problem()
        self._navigator.push(CHECKIN)

    @Slot(str)
    def take(self, code: str) -> None:
        """A service's button: its ticket, after the card where the service is 实名."""
        if self.flow.needs_card(code):
            service = self.flow.service_view(code)
            purpose = IDENTIFY_TO_TAKE(service=service.name if service is not None else code)
            self._prompt().run_with_identity(purpose, lambda: self._after_card(lambda: self.flow.take(code)))
            return
        self.flow.take(code)

    @Slot()
    def checkInWithCard(self) -> None:
        """刷身份证签到 (the card of the session, or the prompt for one)."""
        self._prompt().run_with_identity(
            IDENTIFY_TO_CHECK_IN, lambda: self._after_card(self.flow.check_in_with_card)
        )

    @Slot()
    def finish(self) -> None:
        """完成: the citizen has the ticket."""
        self._navigator.home()

    def hall_changed(self) -> None:
        """``queue`` changed (the shell's bridge of what changed)."""
        self.flow.hall_changed()

    def clear(self) -> None:
        """The session ended."""
        self.flow.clear()

    def close(self) -> None:
        self.flow.leave()
        self.flow.service.close()

    # --- the flow's events -------------------------------------------------------------------------------------

    def flow_event(self, event: str) -> None:
        if event == "ticket":
            if self._navigator.current in (CHECKIN, IDENTIFY):
                self._navigator.replace(TICKET)  # 返回 from the ticket goes to the services, not the check-in
            elif self._navigator.current != TICKET:
                self._navigator.push(TICKET)
        elif event in ("printed", "print_failed"):
            self._say_text(self.flow.spoken())

    # --- inside -----------------------------------------------------------------------------------------------

    def _after_card(self, action: Callable[[], None]) -> None:
        """Back from the identity prompt to the screen that asked, then on."""
        if self._navigator.current == IDENTIFY:
            self._navigator.back()
        action()

    @Slot(str)
    def _on_left(self, screen: str) -> None:
        if screen == SERVICES:
            self.flow.leave()

    # --- screenshots ------------------------------------------------------------------------------------------

    DEMO_STATES: ClassVar[dict[str, str]] = {
        "services": "the hall's services with waiting counts and estimates (one closed)",
        "ticket": "a ticket taken and printed",
        "ticket-no-paper": "a ticket the printer could not print (no paper), shown on screen",
        "checkin": "预约签到 by card or appointment code",
        "checkin-early": "预约签到 too early: the window and when check-in opens",
        "unreachable": "the hall cannot be reached",
        "take-lost": "a take whose answer did not come (再试一次)",
    }

    def demo_state(self, which: str) -> None:
        """A representative state for screenshots, with a made-up hall (no hall is asked): one of
        ``DEMO_STATES``, or ``home`` (the home screen of a terminal with a hall). Nothing is printed or sent."""
        from kiosk.hall_client.errors import HallUnavailable
        from kiosk.services.queue import problems
        from kiosk.services.queue.service import QueueSnapshot

        if which not in self.DEMO_STATES and which != "home":
            raise ValueError(f"unknown queue screen state {which!r}; known: {', '.join(self.DEMO_STATES)}")
        flow, service = self.flow, self.flow.service
        self._navigator.home()
        state = _demo_hall()
        reachable = which != "unreachable"
        service.show_sample(
            QueueSnapshot(
                state=state,
                reachable=reachable,
                loaded=True,
                problem=None if reachable else HallUnavailable("sample"),
            )
        )
        flow.show_sample()
        if which == "home":
            self.refresh()
            return
        self._navigator.push(SERVICES)
        if which == "take-lost":
            flow.show_sample_problem(problems.TAKE_LOST, at="take", can_retry=True)
        elif which in ("checkin", "checkin-early"):
            self._navigator.push(CHECKIN)
            for key in "2612":
                flow.press_code_key(key)
            if which == "checkin-early":
                flow.show_sample_problem(
                    problems.refusal(
                        "too_early",
                        "您预约的时间是 10:30-11:00，请在 10:00 以后签到",
                        {"window": "10:30-11:00", "opens": "10:00"},
                    ),
                    at="checkin",
                )
        elif which in ("ticket", "ticket-no-paper"):
            printed = which == "ticket"
            flow.show_sample_ticket(
                _demo_answer(state),
                PRINTED if printed else PRINT_FAILED,
                "" if printed else _paper_out(),
            )
            self._navigator.push(TICKET)
        self.refresh()

    def __repr__(self) -> str:
        return "QueueScreen()"


def _paper_out() -> str:
    from drivers.printer.jobs import message_for

    return message_for("paper_out")


def _demo_hall() -> HallState:
    """The demo hall as a kiosk sees it mid-morning: waiting counts, estimates, one service closed for the day."""
    from kiosk.protocol.hall import HallState, ServiceView

    services = [
        ServiceView(code="ZH", prefix="A", name="综合受理", waiting=5, estimated_wait_min=15, open_now=True,
                    counters=[1, 2, 3]),
        ServiceView(code="SB", prefix="B", name="社保医保", waiting=3, estimated_wait_min=8, open_now=True,
                    counters=[1, 3, 4]),
        ServiceView(code="BDC", prefix="C", name="不动产登记", waiting=0, estimated_wait_min=0, open_now=True,
                    real_name=True, counters=[5]),
        ServiceView(code="GA", prefix="D", name="公安户政", waiting=2, estimated_wait_min=12, open_now=True,
                    real_name=True, counters=[6]),
        ServiceView(code="SW", prefix="E", name="税务", waiting=1, estimated_wait_min=4, open_now=True,
                    counters=[2, 7, 8]),
        ServiceView(code="QY", prefix="F", name="企业开办", waiting=0, estimated_wait_min=0, open_now=False,
                    hours="14:00-17:30", counters=[7, 8]),
    ]  # fmt: skip
    return HallState(
        seq=1,
        day=datetime.now().date(),
        hall_name="清城区政务服务中心",
        services=services,
        counters=[],
        waiting=[],
        recent_calls=[],
    )


def _demo_answer(state: HallState) -> TakeAnswer:
    from kiosk.protocol.hall import TakeAnswer, TicketView

    now = datetime.now().astimezone().replace(second=0, microsecond=0) - timedelta(minutes=1)
    ticket: dict[str, Any] = {
        "id": f"H1A2B3C-{now:%Y%m%d}-ZH-12",
        "number": "A012",
        "service": "ZH",
        "service_name": "综合受理",
        "day": now.date(),
        "state": "waiting",
        "priority": "normal",
        "taken_at": now,
        "waiting_ahead": 5,
        "follow_url": "http://192.168.1.10:8710/t/sample-3kq9XzT1",
    }
    return TakeAnswer(
        ticket=TicketView.model_validate(ticket),
        hall_name=state.hall_name,
        estimated_wait_min=15,
        counters=[1, 2, 3],
        counter_names=["1号窗口·综合受理", "2号窗口·综合受理", "3号窗口·社保医保"],
    )


__all__ = ["CHECKIN", "NO_PRINTER", "SERVICES", "TICKET", "QueueScreen"]
