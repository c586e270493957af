"""Numbers are never issued twice or skipped, under concurrent takers and the service killed (SIGKILL) and started
again; every ticket a taker was told of exists; counters calling at once never get the same ticket.

Real processes on 127.0.0.1: ``kiosk hall serve`` (killed twice), sixteen takers each with its own client and
connection. A taker whose answer was lost to the kill asks again with the same request id (the client does this
on its own) and gets the ticket it took, not a second one.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kiosk.hall.tickets import issue
from tests.hall_support import HallProcess, running_hall


@pytest.fixture
def hall_process(tmp_path: Path) -> Iterator[HallProcess]:
    yield from running_hall(tmp_path)


TAKERS = 16
EACH = 100


def test_every_number_once_and_none_skipped_while_the_service_is_killed_twice(tmp_path: Path) -> None:
    hall = HallProcess(tmp_path / "hall.db")
    try:
        hall.add_service("LOAD", "T", "压力测试", numbers=(1, 9999))
        hall.start()
        clients = [hall.client(f"kiosk-{n}", retry_for=60.0) for n in range(TAKERS)]
        reported: list[list[tuple[str, str, str]]] = [[] for _ in range(TAKERS)]
        taken = threading.Semaphore(0)

        def taker(index: int) -> None:
            for _ in range(EACH):
                answer = clients[index].take("LOAD")
                reported[index].append((answer.ticket.id, answer.ticket.number, answer.ticket.service))
                taken.release()

        with ThreadPoolExecutor(TAKERS) as pool:
            futures = [pool.submit(taker, n) for n in range(TAKERS)]
            for kill_after in (400, 600):  # two kills: after about 400 and 1000 tickets
                for _ in range(kill_after):
                    taken.acquire()
                hall.kill()
                hall.start()
            for future in futures:
                future.result()
        for client in clients:
            client.close()
        assert hall.starts == 3

        rows = hall.admin.db.rows("SELECT id, number, label, service FROM tickets ORDER BY number")
        numbers = [row["number"] for row in rows]
        assert numbers == list(range(1, TAKERS * EACH + 1)), "every number issued once, none skipped"
        told = [ticket for per_taker in reported for ticket in per_taker]
        assert len(told) == TAKERS * EACH
        assert len({ticket_id for ticket_id, _, _ in told}) == len(told), (
            "no taker was told of a ticket twice"
        )
        stored = {row["id"]: (row["label"], row["service"]) for row in rows}
        for ticket_id, number, service in told:
            assert stored[ticket_id] == (number, service), "every ticket a taker reported exists as reported"
        issued = hall.admin.db.rows("SELECT issued FROM day_numbers WHERE service = 'LOAD'")[0]["issued"]
        assert issued == TAKERS * EACH
    finally:
        hall.close()


def test_eight_counters_calling_at_once_each_ticket_called_once(hall_process: HallProcess) -> None:
    # 480 tickets over the demo's six services; its eight counters share four of them (weighted differently).
    codes = ["ZH", "SB", "SW", "QY", "ZH", "SB", "BDC", "GA"]

    def take_many(tx):  # type: ignore[no-untyped-def]
        for n in range(480):
            issue(tx, tx.services()[codes[n % len(codes)]], priority="normal", reason="")

    hall_process.admin.change(take_many)
    counters = list(range(1, 9))
    clients = {n: hall_process.client(f"counter-{n}") for n in counters}
    called: dict[int, list[str]] = {n: [] for n in counters}
    start = threading.Barrier(len(counters))

    def work(counter: int) -> None:
        client = clients[counter]
        start.wait()
        while True:
            answer = client.call_next(counter)
            if answer.ticket is None:
                return
            called[counter].append(answer.ticket.id)
            client.finish(counter)

    with ThreadPoolExecutor(len(counters)) as pool:
        for future in [pool.submit(work, n) for n in counters]:
            future.result()
    for client in clients.values():
        client.close()

    every = [ticket for tickets in called.values() for ticket in tickets]
    assert len(every) == 480 and len(set(every)) == 480, "each ticket called once, by one counter"
    calls = Counter(
        row["ticket"]
        for row in hall_process.admin.db.rows("SELECT ticket FROM ticket_actions WHERE action = 'called'")
    )
    assert len(calls) == 480 and set(calls.values()) == {1}
    assert all(called[n] for n in counters), "every counter got work"
