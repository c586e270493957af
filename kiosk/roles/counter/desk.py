"""What a counter's staff see of the hall, worked out from the hall's state (no Qt): the ticket being served, the
queue this counter calls from in the order it will call it, its held tickets and latest no-shows, today's counts,
and where a ticket may be transferred to.

The hall decides who is called (docs/hall.md, "Order of calling"); the queue is shown in the same order, so the
first row is the one 叫号 will call: appointment check-ins whose window has begun, then 绿色通道, then arrival
weighted by the counter's services. A ticket transferred to a counter is that counter's only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from typing import Final

from kiosk.protocol.hall import CounterAnswer, CounterView, HallState, TicketView

_WINDOW: Final = re.compile(r"(\d{2}):(\d{2})")


@dataclass(frozen=True, slots=True)
class TicketRow:
    """A ticket as a row of the counter's lists."""

    id: str
    number: str
    service: str
    service_name: str
    priority: str  # appointment, green, normal
    priority_reason: str  # 预约 09:00-09:30, 高龄, 残疾, 孕妇
    waited_min: int  # taking to the first call (while waiting: until now)
    masked_name: str
    to_me: bool  # transferred to this counter


@dataclass(frozen=True, slots=True)
class Serving:
    """The ticket the counter serves now."""

    ticket: TicketRow
    serving_min: int  # since it was called
    call_count: int


@dataclass(frozen=True, slots=True)
class Place:
    """A service or a counter a ticket may be transferred to."""

    key: str  # service code or counter number
    name: str
    detail: str  # waiting count of a service; state of a counter (open, paused, closed)


@dataclass(frozen=True, slots=True)
class Desk:
    """One counter's view of the hall."""

    counter: CounterView
    serving: Serving | None
    queue: tuple[TicketRow, ...]
    held: tuple[TicketRow, ...]
    no_shows: tuple[TicketRow, ...]
    mean_service_min: float | None
    services: tuple[Place, ...]
    counters: tuple[Place, ...]  # the other counters


def minutes(seconds: float) -> int:
    return max(0, int(seconds // 60))


def row_of(ticket: TicketView, counter: int, now: datetime) -> TicketRow:
    waited_until = ticket.called_at if ticket.state != "waiting" and ticket.called_at is not None else now
    return TicketRow(
        id=ticket.id,
        number=ticket.number,
        service=ticket.service,
        service_name=ticket.service_name,
        priority=ticket.priority,
        priority_reason=ticket.priority_reason,
        waited_min=minutes((waited_until - ticket.taken_at).total_seconds()),
        masked_name=ticket.masked_name,
        to_me=ticket.to_counter == counter,
    )


def window_start(ticket: TicketView) -> datetime | None:
    """When an appointment's window begins, read from its reason (``预约 09:00-09:30``, docs/hall.md)."""
    match = _WINDOW.search(ticket.priority_reason)
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        return None
    return datetime.combine(ticket.day, time(hour, minute), tzinfo=ticket.taken_at.tzinfo)


def calls(ticket: TicketView, counter: CounterView) -> bool:
    """Whether ``counter`` may call ``ticket`` by 叫号: its own services' tickets and those transferred to it."""
    if ticket.to_counter is not None:
        return ticket.to_counter == counter.number
    return any(s.service == ticket.service for s in counter.services)


def calling_order(waiting: list[TicketView], counter: CounterView, now: datetime) -> list[TicketView]:
    """The tickets ``counter`` calls, in the order it will call them (the hall's rules)."""
    weights = {s.service: s.weight for s in counter.services}

    def key(ticket: TicketView) -> tuple[float, ...]:
        arrival = ticket.taken_at.timestamp()
        if ticket.priority == "appointment":
            starts = window_start(ticket)
            if starts is None or starts <= now:
                return (0, starts.timestamp() if starts else arrival, arrival)
        if ticket.priority == "green":
            return (1, arrival, 0)
        return (2, -(now.timestamp() - arrival) * weights.get(ticket.service, 1), arrival)

    return sorted((t for t in waiting if calls(t, counter)), key=key)


def desk_of(state: HallState, number: int, now: datetime) -> Desk | None:
    """Counter ``number``'s view of the hall at ``now`` (None: the hall has no such counter)."""
    counter = next((c for c in state.counters if c.number == number), None)
    if counter is None:
        return None
    serving = None
    if counter.current is not None:
        current = counter.current
        called = current.called_at or now
        serving = Serving(
            ticket=row_of(current, number, now),
            serving_min=minutes((now - called).total_seconds()),
            call_count=current.call_count,
        )
    mean = counter.service_mean_s_today
    return Desk(
        counter=counter,
        serving=serving,
        queue=tuple(row_of(t, number, now) for t in calling_order(state.waiting, counter, now)),
        held=tuple(row_of(t, number, now) for t in counter.held),
        no_shows=tuple(row_of(t, number, now) for t in counter.no_shows),
        mean_service_min=round(mean / 60, 1) if mean is not None else None,
        services=tuple(Place(s.code, s.name, str(s.waiting)) for s in state.services),
        counters=tuple(Place(str(c.number), c.name, c.state) for c in state.counters if c.number != number),
    )


def with_answer(state: HallState, answer: CounterAnswer) -> HallState:
    """The state with a counter operation's answer in it: the counter as it now is, and the ticket concerned no
    longer waiting once called (or waiting again after a transfer or a put back). The events that follow say
    the same; the answer only comes first."""
    counter = answer.counter
    counters = sorted(
        [*(c for c in state.counters if c.number != counter.number), counter], key=lambda c: c.number
    )
    waiting = list(state.waiting)
    ticket = answer.ticket
    if ticket is not None:
        waiting = [t for t in waiting if t.id != ticket.id]
        if ticket.state == "waiting":
            waiting.append(ticket)
            waiting.sort(key=lambda t: (t.service, t.taken_at, t.id))
    return state.model_copy(update={"counters": counters, "waiting": waiting})


def normalized_number(text: str, prefixes: set[str] | frozenset[str] = frozenset()) -> str | None:
    """A ticket number as staff type it (``a12``, ``A012``, `` A 12 ``) in the hall's form (``A012``), or None
    when it is not one. With only digits and one prefix in the hall, that prefix."""
    cleaned = re.sub(r"\s+", "", text).upper()
    match = re.fullmatch(r"([A-Z]?)(\d{1,4})", cleaned)
    if match is None:
        return None
    prefix = match[1] or (next(iter(prefixes)) if len(prefixes) == 1 else "")
    if not prefix:
        return None
    digits = int(match[2])
    if digits == 0:
        return None
    return f"{prefix}{digits:03d}"
