"""``kiosk bench idcard``: full card reads (find, select, read base) through the SAM serial driver against the
simulated module on a pty, against the wire's floor.

The floor of one read is the time its bytes need on the wire at the baud rate, both directions, 10 bits a byte
(8N1): find 10 + 15, select 10 + 19, read 10 + 1,295 bytes, 118 ms at 115200. The simulator paces its answers
to the wire, so nothing can beat the floor; the ratio is what the driver, the pty and the threads add. Goal: 1.2.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from kiosk.bench.stats import summary_ms

GOAL_RATIO = 1.2


def run(reads: int = 50, baud: int = 115200) -> dict[str, Any]:
    from drivers.idcard.cards import DEFAULT_SAMPLE, SAMPLES
    from drivers.idcard.sam_serial import SamSerialReader
    from drivers.idcard.simulator import SimulatedSam

    times: list[float] = []
    floors: list[float] = []
    sizes: list[int] = []
    with SimulatedSam(baud=baud) as simulator:
        simulator.place(SAMPLES[DEFAULT_SAMPLE])
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
