"""Events: every change of hall state reaches a connected display as it happens, in order; a display cut off from
the hall catches up to the right state when the link returns, even across a restart of the service; nothing is
missed or handed on twice; a silent link is noticed within the idle timeout.

``kiosk hall serve`` as a process on 127.0.0.1; the display is a :class:`HallFollower` (what the display, counter
and pad roles build on) that keeps a mirror of the hall's state from the events. The cut is a TCP relay between
the display and the hall that drops its connections and refuses new ones. How long the cut lasts does not change
what happens: the follower comes back with the last sequence number it saw and the hall replays what followed from
its stored event log (kept ``events_keep_days``, three days by default); so the test cuts the link for as long as
its changes take (a couple of seconds, with the service killed and restarted meanwhile) instead of 30 s.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.hall_client import HallClient, HallFollower
from kiosk.hall_client.mirror import apply
from kiosk.protocol.hall import HallEvent, HallState
from tests.hall_support import CuttableLink, HallProcess, running_hall


@pytest.fixture
def hall_process(tmp_path: Path) -> Iterator[HallProcess]:
    yield from running_hall(tmp_path)


class Display:
    """A display's view of the hall: the state it started from, each event once, the mirror kept from them."""

    def __init__(self, client: HallClient, *, idle_timeout: float = 5.0, last_seq: int | None = None) -> None:
        self.lock = threading.Lock()
        self.states: list[HallState] = []
        self.events: list[HallEvent] = []
        self.links: list[tuple[bool, float]] = []
        self.mirror: HallState | None = None
        self.follower = HallFollower(
            client,
            on_state=self._state,
            on_event=self._event,
            on_link=lambda up: self.links.append((up, time.monotonic())),
            idle_timeout=idle_timeout,
            last_seq=last_seq,
            reconnect_max_s=1.0,  # (the default is 5 s; the test need not wait for it)
        )
        self.follower.start()

    def _state(self, state: HallState) -> None:
        with self.lock:
            self.states.append(state)
            self.mirror = state

    def _event(self, event: HallEvent) -> None:
        with self.lock:
            self.events.append(event)
            if self.mirror is not None:
                self.mirror = apply(self.mirror, event)

    def wait_for(self, seq: int, timeout: float = 20.0) -> None:
        wait_until(lambda: (self.follower.last_seq or 0) >= seq, timeout)

    def close(self) -> None:
        self.follower.stop()
        self.follower.client.close()


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def same_hall(mirror: HallState | None, fresh: HallState) -> None:
    """What a display shows: waiting counts, counters and their tickets, the waiting tickets, the last calls."""
    assert mirror is not None
    assert mirror.seq == fresh.seq
    assert [(s.code, s.waiting) for s in mirror.services] == [(s.code, s.waiting) for s in fresh.services]
    shown = [
        (c.number, c.state, c.current.number if c.current else None, len(c.held)) for c in mirror.counters
    ]
    assert shown == [
        (c.number, c.state, c.current.number if c.current else None, len(c.held)) for c in fresh.counters
    ]
    assert {t.number for t in mirror.waiting} == {t.number for t in fresh.waiting}
    assert [(c.number, c.counter, c.recall) for c in mirror.recent_calls] == [
        (c.number, c.counter, c.recall) for c in fresh.recent_calls
    ]


def consecutive(events: list[HallEvent], after: int) -> None:
    assert [e.seq for e in events] == list(range(after + 1, after + 1 + len(events))), (
        "in order, none missed or twice"
    )


@pytest.fixture
def people(hall_process: HallProcess) -> Iterator[dict[str, Any]]:
    clients = {name: hall_process.client(name) for name in ("kiosk", "counter-1", "counter-3", "admin")}
    yield clients
    for client in clients.values():
        client.close()


def test_every_call_reaches_a_connected_display_in_order(
    hall_process: HallProcess, people: dict[str, Any]
) -> None:
    display = Display(hall_process.client("display"))
    try:
        wait_until(lambda: display.follower.connected)
        start = display.states[0].seq
        calls = []
        for n in range(12):
            people["kiosk"].take("ZH" if n % 3 else "SB")
        for _ in range(6):
            for counter in (1, 3):
                answer = people[f"counter-{counter}"].call_next(counter)
                calls.append((answer.ticket.number, counter))
                people[f"counter-{counter}"].finish(counter)
        last = people["admin"].state().seq
        display.wait_for(last)
        consecutive(display.events, start)
        shown_calls = [
            (e.data["ticket"]["number"], e.data["counter"]["number"])
            for e in display.events
            if e.type == "ticket.called"
        ]
        assert shown_calls == calls, "every call, in the order it was made"
        assert len(display.states) == 1
        same_hall(display.mirror, people["admin"].state())
    finally:
        display.close()


def test_a_display_cut_off_catches_up_to_the_right_state_across_a_restart(
    hall_process: HallProcess,
    people: dict[str, Any],
) -> None:
    link = CuttableLink(hall_process.port)
    terminal_id, secret_hex = hall_process.add_terminal("display")
    display = Display(HallClient(link.url, terminal_id, bytes.fromhex(secret_hex), "HMAC-SHA256"))
    try:
        kiosk, one, three = people["kiosk"], people["counter-1"], people["counter-3"]
        for _ in range(4):
            kiosk.take("ZH")
        one.call_next(1)
        display.wait_for(people["admin"].state().seq)
        start = display.states[0].seq

        cut_at = time.monotonic()
        link.cut()
        wait_until(lambda: display.links[-1][0] is False, 5)
        assert display.links[-1][1] - cut_at < 1.0, "a cut link is noticed at once"
        # What happens in the hall meanwhile: numbers taken, calls, a recall, a no-show, a transfer ...
        for n in range(20):
            kiosk.take("SB" if n % 2 else "ZH")
        one.recall(1)
        one.no_show(1)
        one.call_next(1)
        one.transfer(1, service="SB")
        three.call_next(3)
        three.finish(3)
        # ... and the service killed and started again (its events are on disk).
        hall_process.kill()
        hall_process.start()
        one.put_back(1, "A001")
        for _ in range(3):
            one.call_next(1)
            one.finish(1)
        three.call_next(3)
        three.hold(3)
        one.pause(1)
        last = people["admin"].state().seq
        assert (display.follower.last_seq or 0) < last - 30

        link.restore()
        display.wait_for(last)
        consecutive(display.events, start)
        assert len(display.states) == 1, "caught up from the event log, not by starting over"
        assert display.links[-1][0] is True
        same_hall(display.mirror, people["admin"].state())
    finally:
        display.close()
        link.close()


def test_a_silent_link_is_noticed_within_the_idle_timeout(
    hall_process: HallProcess, people: dict[str, Any]
) -> None:
    link = CuttableLink(hall_process.port)
    terminal_id, secret_hex = hall_process.add_terminal("display")
    display = Display(
        HallClient(link.url, terminal_id, bytes.fromhex(secret_hex), "HMAC-SHA256"), idle_timeout=1.0
    )
    try:
        wait_until(lambda: display.follower.connected)
        frozen_at = time.monotonic()
        link.freeze()
        wait_until(lambda: display.links[-1][0] is False, 10)
        assert display.links[-1][1] - frozen_at < 1.0 + 2.5, "silence is noticed within the idle timeout"
        people["kiosk"].take("ZH")
        link.restore()
        display.wait_for(people["admin"].state().seq)
        assert display.links[-1][0] is True
        assert [e.type for e in display.events] == ["ticket.taken"]
    finally:
        display.close()
        link.close()
    assert HallFollower.__init__.__kwdefaults__["idle_timeout"] <= 5.0, (
        "the default notices a lost link within 5 s"
    )


def test_a_client_further_behind_than_the_kept_events_starts_again_from_the_state(
    hall_process: HallProcess,
    people: dict[str, Any],
) -> None:
    for _ in range(5):
        people["kiosk"].take("ZH")
    with hall_process.admin.db.write() as conn:  # as if the events had been kept longer than events_keep_days
        conn.execute("DELETE FROM events WHERE seq <= (SELECT MAX(seq) - 2 FROM events)")
    display = Display(hall_process.client("display"), last_seq=1)
    try:
        wait_until(lambda: len(display.states) == 1)
        people["kiosk"].take("SB")
        display.wait_for(people["admin"].state().seq)
        assert display.states[0].seq >= 5 and [e.type for e in display.events] == ["ticket.taken"]
        same_hall(display.mirror, people["admin"].state())
    finally:
        display.close()


def test_a_service_added_by_an_operator_reaches_the_display_as_a_new_state(
    hall_process: HallProcess, people: dict[str, Any]
) -> None:
    display = Display(hall_process.client("display"))
    try:
        wait_until(lambda: display.follower.connected)
        hall_process.add_service("JZ", "G", "建设交通")  # another process's write on the hall's database
        wait_until(lambda: len(display.states) == 2, 10)
        assert display.events[-1].type == "hall.changed"
        assert [s.code for s in display.states[-1].services][-1] == "JZ"
        people["kiosk"].take("JZ")
        display.wait_for(people["admin"].state().seq)
        same_hall(display.mirror, people["admin"].state())
    finally:
        display.close()
