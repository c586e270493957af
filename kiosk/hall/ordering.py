"""Who is called next (docs/hall.md, "Order of calling"): pure rules over the waiting tickets, no I/O.

1. Appointment check-ins (预约签到) whose window has begun, by the window's start, then arrival.
2. 绿色通道 (age from the card at or over the hall's age; disability or pregnancy marked by staff), by arrival.
3. Everybody else by arrival, weighted by the counter's services: the ticket whose wait multiplied by its
   service's weight at this counter is longest goes first. With equal weights this is plain arrival order; with
   weights 3 and 1, a ticket of the first service that has waited 5 minutes goes before one of the second that
   has waited 14.

An appointment checked in before its window opens waits as an arrival until the window begins (it may be called
earlier by arrival, never later). A counter calls the tickets of the services it serves and those transferred to
it by number; a ticket transferred to another counter is that counter's only. "Arrival" is when the ticket joined
the queue: taking it, and it keeps that time through a transfer and when a no-show is put back (it has waited
already), so such a ticket comes up again soon.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

APPOINTMENT, GREEN, ARRIVAL = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Waiting:
    """What the rules need of a waiting ticket."""

    seq: int  # the order tickets were taken in (breaks every tie)
    service: str  # the service it waits for now (after a transfer: the new one)
    priority: str  # appointment, green or normal
    queue_at: float  # arrival, Unix time
    window_starts: float | None = None  # appointment: when its window begins
    target_counter: int | None = None  # transferred to this counter


def lane(ticket: Waiting, now: float) -> int:
    if ticket.priority == "appointment" and ticket.window_starts is not None and now >= ticket.window_starts:
        return APPOINTMENT
    if ticket.priority == "green":
        return GREEN
    return ARRIVAL


def _key(ticket: Waiting, now: float, weight: int) -> tuple[float, ...]:
    which = lane(ticket, now)
    if which == APPOINTMENT:
        assert ticket.window_starts is not None
        return (APPOINTMENT, ticket.window_starts, ticket.queue_at, ticket.seq)
    if which == GREEN:
        return (GREEN, ticket.queue_at, ticket.seq)
    return (ARRIVAL, -(now - ticket.queue_at) * weight, ticket.queue_at, ticket.seq)


def callable_by(ticket: Waiting, counter: int, weights: Mapping[str, int]) -> bool:
    if ticket.target_counter is not None:
        return ticket.target_counter == counter
    return ticket.service in weights


def next_for(
    waiting: Iterable[Waiting], counter: int, weights: Mapping[str, int], now: float
) -> Waiting | None:
    """The ticket counter ``counter`` (serving ``{service: weight}``) calls next, or None."""
    eligible = [t for t in waiting if callable_by(t, counter, weights)]
    if not eligible:
        return None
    return min(eligible, key=lambda t: _key(t, now, weights.get(t.service, 1)))


def queue_order(waiting: Iterable[Waiting], now: float) -> list[Waiting]:
    """The tickets of one service in the order they will be called (weights are per counter, so here all are
    1): how many are ahead of a ticket, and the order a counter's queue is shown in."""
    return sorted(waiting, key=lambda t: _key(t, now, 1))
