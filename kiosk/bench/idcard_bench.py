"""``kiosk bench idcard``: full card reads (find, select, read base) through the SAM serial driver against the
simulated module on a pty, against the wire's floor; then how soon a watching reader notices a card placed on it
and taken away again.

The floor of one read is the time its bytes need on the wire at the baud rate, both directions, 10 bits a byte
(8N1): find 10 + 15, select 10 + 19, read 10 + 1,295 bytes, 118 ms at 115200. The simulator paces its answers
to the wire, so nothing can beat the floor; the ratio is what the driver, the pty and the threads add. Goal: 1.2.

Noticing: the reader watches as the terminal does (a find every ``WATCH_INTERVAL_S``); cards are placed at random
moments of that rhythm, and the time from placing to the ``card_placed`` event, to the card's read done (what the
citizen waits for), and from taking it away to ``card_removed`` (which waits for a second "no card") is timed.
"""

from __future__ import annotations

import queue
import random
import statistics
import time
from typing import Any

from kiosk.bench.stats import summary_ms

GOAL_RATIO = 1.2
EVENT_TIMEOUT_S = 10.0


def run(reads: int = 50, baud: int = 115200, placements: int = 20) -> dict[str, Any]:
    from drivers.idcard.cards import DEFAULT_SAMPLE, SAMPLES
    from drivers.idcard.reader import WATCH_INTERVAL_S
    from drivers.idcard.sam_serial import SamSerialReader
    from drivers.idcard.simulator import SimulatedSam

    times: list[float] = []
    floors: list[float] = []
    sizes: list[int] = []
    card = SAMPLES[DEFAULT_SAMPLE]
    with SimulatedSam(baud=baud) as simulator:
        simulator.place(card)
        reader = SamSerialReader(simulator.port, baud=baud)
        try:
            reader.read_card(timeout=5).result(timeout=60)  # opens the port and resets the module: not timed
            for _ in range(reads):
                before = simulator.stats()
                started = time.perf_counter()
                reader.read_card(timeout=5).result(timeout=60)
                times.append(time.perf_counter() - started)
                after = simulator.stats()
                size = after.bytes_in - before.bytes_in + after.bytes_out - before.bytes_out
                sizes.append(size)
                floors.append(size * 10 / baud)
            simulator.remove()
            noticed = _noticing(reader, simulator, card, placements)
        finally:
            reader.close()
    read_p50 = statistics.median(times)
    floor_p50 = statistics.median(floors)
    return {
        "reads": reads,
        "baud": baud,
        "bytes_per_read": int(statistics.median(sizes)),
        "read": summary_ms(times),
        "floor": summary_ms(floors),
        "ratio": round(read_p50 / floor_p50, 3),
        "goal_ratio": GOAL_RATIO,
        "placements": placements,
        "watch_interval_ms": round(WATCH_INTERVAL_S * 1000),
        **noticed,
    }


def _noticing(reader: Any, simulator: Any, card: Any, placements: int) -> dict[str, Any]:
    """Place and remove ``card`` ``placements`` times at random moments; time what the watching reader reports."""
    events: queue.Queue[tuple[str, float]] = queue.Queue()
    reads: queue.Queue[float] = queue.Queue()

    def on_event(event: Any) -> None:  # on the reader's worker, as in the terminal
        if event.name.startswith("card_"):
            events.put((event.name, time.perf_counter()))
        if event.name == "card_placed":
            reader.read_card(timeout=5).add_done_callback(lambda _done: reads.put(time.perf_counter()))

    def expect(name: str) -> float:
        while True:
            seen, at = events.get(timeout=EVENT_TIMEOUT_S)
            if seen == name:
                return at

    placed: list[float] = []
    read: list[float] = []
    removed: list[float] = []
    rng = random.Random(7)
    reader.subscribe(on_event)
    reader.start_watching()
    try:
        for _ in range(placements):
            time.sleep(rng.uniform(0.05, 0.25))  # any moment of the watch's rhythm
            started = time.perf_counter()
            simulator.place(card)
            placed.append(expect("card_placed") - started)
            read.append(reads.get(timeout=EVENT_TIMEOUT_S) - started)
            time.sleep(rng.uniform(0.05, 0.25))
            started = time.perf_counter()
            simulator.remove()
            removed.append(expect("card_removed") - started)
    finally:
        reader.stop_watching()
        reader.unsubscribe(on_event)
    return {
        "noticed_placed": summary_ms(placed),
        "placed_to_read": summary_ms(read),
        "noticed_removed": summary_ms(removed),
    }


def print_report(result: dict[str, Any]) -> None:
    read, floor = result["read"], result["floor"]
    print(f"ID card reads over the simulated SAM module, {result['reads']} reads at {result['baud']} baud")
    print(f"  bytes on the wire per read   {result['bytes_per_read']}")
    print(f"  wire floor (10 bits a byte)  p50 {floor['p50_ms']:.1f} ms")
    print(
        f"  read (find, select, read)    p50 {read['p50_ms']:.1f} ms   p95 {read['p95_ms']:.1f} ms   "
        f"max {read['max_ms']:.1f} ms"
    )
    verdict = "within" if result["ratio"] <= result["goal_ratio"] else "over"
    print(
        f"  ratio (p50 read / floor)     {result['ratio']:.3f}   ({verdict} the goal of {result['goal_ratio']})"
    )
    print(
        f"Watching (a find every {result['watch_interval_ms']} ms), {result['placements']} cards placed and taken "
        "away at random moments"
    )
    for key, label in (
        ("noticed_placed", "placed -> card_placed   "),
        ("placed_to_read", "placed -> card read     "),
        ("noticed_removed", "taken away -> removed   "),
    ):
        figures = result[key]
        print(f"  {label}     p50 {figures['p50_ms']:.1f} ms   p95 {figures['p95_ms']:.1f} ms")
