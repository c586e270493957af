"""The hall's state kept current on a terminal from its events, without asking the hall again for each one.

A display or a counter starts from ``HallClient.state()`` (or the ``on_state`` of a follower) and applies each
event with :func:`apply`. Every ticket event carries the ticket as it now is and the waiting counts per service;
an event about a counter carries the counter as it now is. ``hall.changed`` (services or counters set up anew)
and ``day.started`` make :func:`apply` answer None: fetch the whole state again.

The waiting list kept here is ordered by service and arrival (``waiting_ahead`` is left as the hall last said):
the exact calling order depends on the counter (docs/hall.md, "Order of calling").
"""

from __future__ import annotations

from typing import Any

from kiosk.protocol.hall import CallView, CounterView, HallEvent, HallState, TicketView

RECENT_CALLS = 10
REFETCH = frozenset({"hall.changed", "day.started"})


def apply(state: HallState, event: HallEvent) -> HallState | None:
    """The state after ``event`` (which must be the next one: ``event.seq == state.seq + 1``), or None when the
    whole state must be fetched again."""
    if event.type in REFETCH:
        return None
    data = event.data
    update: dict[str, Any] = {"seq": event.seq}
    waiting_counts = data.get("waiting")
    if isinstance(waiting_counts, dict):
        update["services"] = [
            service.model_copy(update={"waiting": int(waiting_counts.get(service.code, service.waiting))})
            for service in state.services
        ]
    if isinstance(data.get("counter"), dict):
        counter = CounterView.model_validate(data["counter"])
        others = [c for c in state.counters if c.number != counter.number]
        update["counters"] = sorted([*others, counter], key=lambda c: c.number)
    if isinstance(data.get("ticket"), dict):
        ticket = TicketView.model_validate(data["ticket"])
        waiting = [t for t in state.waiting if t.id != ticket.id]
        if ticket.state == "waiting":
            waiting.append(ticket)
        update["waiting"] = sorted(waiting, key=lambda t: (t.service, t.taken_at, t.id))
        if event.type in ("ticket.called", "ticket.recalled") and ticket.counter is not None:
            call = CallView(
                number=ticket.number,
                service=ticket.service,
                counter=ticket.counter,
                counter_name=ticket.counter_name,
                at=event.at,
                recall=event.type == "ticket.recalled",
            )
            update["recent_calls"] = [call, *state.recent_calls][:RECENT_CALLS]
    return state.model_copy(update=update)
