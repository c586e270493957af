"""What a rating pad shows of the one counter it faces, from the hall's state and events (``kiosk.hall_client.
HallFollower``), Qt-free.

The pad shows the counter, who serves there (name, staff number, photo) and the ticket being served ("正在为 A012
号办理", the counter's ``current``); at 办结 (``ticket.finished`` of this counter) it asks for the rating. A finish
older than :data:`RATE_WITHIN_S` by the hall's clock (a pad that was away and catches up) is not asked about: the
citizen has gone, and can still rate with the ticket's QR code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.protocol.hall import CounterView, HallEvent, HallState, TicketView

log = logging.getLogger(__name__)

RATE_WITHIN_S = 300.0


@dataclass(frozen=True, slots=True)
class CounterPicture:
    """The counter as the pad shows it. ``known``: the hall has a counter of this number. ``state``: ``open``,
    ``paused`` or ``closed``. ``staff_photo``: the version of the staff member's photo (empty: none)."""

    number: int
    known: bool = False
    name: str = ""
    state: str = "closed"
    staff_no: str = ""
    staff_name: str = ""
    staff_photo: str = ""
    serving_id: str = ""
    serving_number: str = ""

    @classmethod
    def of(cls, counter: CounterView) -> CounterPicture:
        current = counter.current
        return cls(
            number=counter.number,
            known=True,
            name=counter.name,
            state=counter.state,
            staff_no=counter.staff_no,
            staff_name=counter.staff_name,
            staff_photo=counter.staff_photo,
            serving_id=current.id if current is not None else "",
            serving_number=current.number if current is not None else "",
        )


@dataclass(frozen=True, slots=True)
class Finished:
    """A ticket this counter finished (办结): the pad asks for its rating."""

    ticket_id: str
    number: str
    rated: bool
    staff_name: str
    staff_no: str


class CounterWatch:
    """Turns the hall's state and events into the picture of counter ``number`` and its finishes. Called on the
    follower's thread; hands on, on the same thread: ``on_picture(CounterPicture)`` when what the pad shows
    changed, ``on_finished(Finished)`` at a fresh 办结, ``on_rated(ticket_id)`` when the hall took a rating of a
    ticket of this counter. ``hall_now`` is the hall's clock as the client knows it."""

    def __init__(
        self,
        number: int,
        *,
        on_picture: Callable[[CounterPicture], None],
        on_finished: Callable[[Finished], None],
        on_rated: Callable[[str], None] = lambda ticket_id: None,
        hall_now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.number = number
        self.picture = CounterPicture(number)
        self._on_picture = on_picture
        self._on_finished = on_finished
        self._on_rated = on_rated
        self._hall_now = hall_now

    def on_state(self, state: HallState) -> None:
        counter = next((c for c in state.counters if c.number == self.number), None)
        if counter is None:
            log.error("the hall has no counter %d: check the rating_counter setting", self.number)
            self._show(CounterPicture(self.number))
        else:
            self._show(CounterPicture.of(counter))

    def on_event(self, event: HallEvent) -> None:
        data = event.data
        counter = data.get("counter")
        if isinstance(counter, dict) and counter.get("number") == self.number:
            view = CounterView.model_validate(counter)
            self._show(CounterPicture.of(view))
            if event.type == "ticket.finished" and isinstance(data.get("ticket"), dict):
                self._finished(event, TicketView.model_validate(data["ticket"]), view)
        elif event.type == "rating.given" and data.get("counter") == self.number:
            ticket_id = data.get("ticket_id")
            if isinstance(ticket_id, str):
                self._on_rated(ticket_id)

    def _finished(self, event: HallEvent, ticket: TicketView, counter: CounterView) -> None:
        age = (self._hall_now() - event.at).total_seconds()
        if age > RATE_WITHIN_S:
            log.info(
                "%s was finished %d s ago (the pad was catching up): no rating asked", ticket.number, age
            )
            return
        self._on_finished(
            Finished(ticket.id, ticket.number, ticket.rated, counter.staff_name, counter.staff_no)
        )

    def _show(self, picture: CounterPicture) -> None:
        if picture != self.picture:
            self.picture = picture
            self._on_picture(picture)
