"""Watching the SAM module for cards, against the simulated module on a real pseudo-terminal, paced at 115200 baud
as on a real wire: a card taken away and put back within a second is a new card and is read again; a card left on
the reader is read whenever someone asks; a card already there when watching begins is reported as found, not as
placed; and the watch neither holds the device's worker nor keeps the line busy.

The gaps a hand leaves (0.4 s) are the stimulus, not an expectation: no test asserts how fast anything happens."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator

import pytest

from drivers.base import DeviceError, DeviceEvent
from drivers.idcard.cards import SAMPLES
from drivers.idcard.reader import FOUND
from drivers.idcard.sam_serial import SamSerialReader, SimulatorReader
from drivers.idcard.simulator import SimulatedSam

GUARD = 30  # seconds: a wait longer than this is a hang
HAND_GAP_S = 0.4  # a card lifted and put straight back is away about this long


class Events:
    """The card events a reader reports, in order."""

    def __init__(self, reader: SamSerialReader) -> None:
        self.queue: queue.Queue[DeviceEvent] = queue.Queue()
        reader.subscribe(self.put)

    def put(self, event: DeviceEvent) -> None:
        if event.name.startswith("card_"):
            self.queue.put(event)

    def next(self) -> DeviceEvent:
        return self.queue.get(timeout=GUARD)

    def none_within(self, seconds: float) -> bool:
        try:
            self.queue.get(timeout=seconds)
        except queue.Empty:
            return True
        return False


@pytest.fixture
def sim() -> Iterator[SimulatedSam]:
    with SimulatedSam(baud=115200) as simulator:
        yield simulator


@pytest.fixture
def reader(sim: SimulatedSam) -> Iterator[SamSerialReader]:
    device = SamSerialReader(sim.port, baud=115200)
    yield device
    device.close()


def read(device: SamSerialReader, timeout: float = 5.0):
    return device.read_card(timeout=timeout).result(timeout=GUARD)


def test_a_card_taken_away_and_put_back_within_a_second_is_read_twice(sim, reader):
    events = Events(reader)
    reads: list[str] = []

    def on_event(event: DeviceEvent) -> None:  # what the terminal does: a placed card is read
        if event.name == "card_placed":
            reader.read_card(timeout=5).add_done_callback(
                lambda f: reads.append(f.result().identity.id_number)
            )

    reader.subscribe(on_event)
    reader.start_watching()
    card = SAMPLES["elder"]
    sim.place(card)
    assert events.next().name == "card_placed"
    wait_for(lambda: len(reads) == 1)

    sim.remove()
    time.sleep(HAND_GAP_S)
    sim.place(card)
    assert [events.next().name, events.next().name] == ["card_removed", "card_placed"]
    wait_for(lambda: len(reads) == 2)
    assert reads == [card.id_number, card.id_number]


def test_a_card_swapped_by_hand_is_seen_to_go_and_come(sim, reader):
    events = Events(reader)
    reader.start_watching()
    sim.place(SAMPLES["elder"])
    assert events.next().name == "card_placed"
    sim.place_by_hand(SAMPLES["young"])
    assert [events.next().name, events.next().name] == ["card_removed", "card_placed"]
    assert read(reader).identity == SAMPLES["young"]


def test_a_card_left_on_the_reader_is_read_again_when_asked(sim, reader):
    events = Events(reader)
    reader.start_watching()
    sim.place(SAMPLES["hmt"])
    assert events.next().name == "card_placed"
    assert read(reader).identity == SAMPLES["hmt"]
    assert events.none_within(0.5)  # it stays: nothing more to tell
    assert read(reader).identity == SAMPLES["hmt"]  # asked again (a new session on the identity screen)


def test_a_card_already_there_when_watching_begins_is_found_not_placed(sim, reader):
    sim.place(SAMPLES["elder"])
    events = Events(reader)
    reader.start_watching()
    first = events.next()
    assert (first.name, first.payload) == ("card_placed", FOUND)
    sim.remove()
    assert events.next().name == "card_removed"
    sim.place(SAMPLES["elder"])
    again = events.next()
    assert (again.name, again.payload) == ("card_placed", "")  # this one was seen being placed


def test_a_read_waiting_for_a_card_leaves_the_worker_to_other_calls(sim, reader):
    reader.start_watching()
    waiting = reader.read_card(timeout=20)
    assert reader.sam_id().result(timeout=GUARD) == "05.01-20240601-0001234567-0987654321"
    assert reader.check().result(timeout=GUARD).health.usable
    assert not waiting.done()  # still waiting for a card, yet the other calls were answered
    sim.place(SAMPLES["foreign"])
    assert waiting.result(timeout=GUARD).identity == SAMPLES["foreign"]


def test_cancelling_a_waiting_read_stops_its_tries(sim, reader):
    waiting = reader.read_card(timeout=20)
    assert waiting.cancel()
    reader.check().result(timeout=GUARD)
    finds = sim.stats().commands.get("FIND_CARD", 0)
    time.sleep(0.5)
    assert sim.stats().commands.get("FIND_CARD", 0) == finds  # nobody is looking any more


def test_closing_the_reader_ends_a_read_still_waiting(sim):
    device = SamSerialReader(sim.port, baud=115200)
    waiting = device.read_card(timeout=20)
    device.check().result(timeout=GUARD)
    device.close()
    assert waiting.cancelled()


def test_watching_keeps_the_line_mostly_quiet(sim, reader):
    reader.start_watching()
    reader.check().result(timeout=GUARD)
    before, started = sim.stats(), time.monotonic()
    time.sleep(1.0)
    after, elapsed = sim.stats(), time.monotonic() - started
    finds = after.commands.get("FIND_CARD", 0) - before.commands.get("FIND_CARD", 0)
    wire_s = (after.bytes_in - before.bytes_in + after.bytes_out - before.bytes_out) * 10 / 115200
    assert finds > 0
    assert wire_s / elapsed < 0.1  # the finds take under a tenth of the line's time


def test_at_a_slow_baud_rate_the_looks_space_out():
    with SimulatedSam(baud=9600) as slow:
        device = SamSerialReader(slow.port, baud=9600)
        try:
            device.start_watching()
            device.check().result(timeout=GUARD)
            before, started = slow.stats(), time.monotonic()
            time.sleep(1.5)
            after, elapsed = slow.stats(), time.monotonic() - started
        finally:
            device.close()
    wire_s = (after.bytes_in - before.bytes_in + after.bytes_out - before.bytes_out) * 10 / 9600
    assert 0 < wire_s / elapsed <= 0.12


def test_stop_watching_stops_the_finds(sim, reader):
    reader.start_watching()
    reader.check().result(timeout=GUARD)
    wait_for(lambda: sim.stats().commands.get("FIND_CARD", 0) >= 2)
    reader.stop_watching()
    time.sleep(0.3)  # a look that was already due may still run
    finds = sim.stats().commands.get("FIND_CARD", 0)
    time.sleep(0.5)
    assert sim.stats().commands.get("FIND_CARD", 0) == finds


def test_the_demo_reader_notices_sample_cards_placed_by_hand():
    device = SimulatorReader(SAMPLES["elder"])
    events = Events(device)
    try:
        device.start_watching()
        assert events.next().payload == FOUND  # on the reader before anyone watched
        device.simulator.place_by_hand(SAMPLES["elder"])  # the same card again: lifted and put back
        assert [events.next().name, events.next().name] == ["card_removed", "card_placed"]
        device.simulator.place_by_hand(SAMPLES["young"])
        device.simulator.remove()  # taken back before it was laid down
        assert events.next().name == "card_removed"
        assert events.none_within(0.8)
        with pytest.raises(DeviceError):
            device.read_card(timeout=0.3).result(timeout=GUARD)
    finally:
        device.close()
    assert not any(t.name.startswith("device-simulator") for t in threading.enumerate() if t.is_alive())


def wait_for(condition, timeout: float = GUARD) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)
