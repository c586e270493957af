"""Work leaves the UI thread one way: a Future from Background, delivered back as a queued Qt signal."""

from __future__ import annotations

import threading
import time

from kiosk.services.background import Background
from kiosk.ui.tasks import pending_calls, run_in_background


def test_results_and_errors_arrive_on_the_ui_thread(qapp, qtbot):
    background = Background()
    try:
        got: list[tuple[str, object, bool]] = []
        ui_thread = threading.current_thread()

        def work() -> str:
            assert threading.current_thread() is not ui_thread
            return "done"

        def fail() -> None:
            raise ValueError("broken")

        run_in_background(
            background.run(work), lambda r: got.append(("ok", r, threading.current_thread() is ui_thread))
        )
        run_in_background(
            background.run(fail),
            lambda r: got.append(("ok", r, False)),
            lambda e: got.append(("failed", str(e), threading.current_thread() is ui_thread)),
        )
        qtbot.waitUntil(lambda: len(got) == 2)
        assert sorted(got) == [("failed", "broken", True), ("ok", "done", True)]
        assert pending_calls() == 0
    finally:
        background.shutdown()


def test_delivery_is_never_synchronous_even_for_finished_work(qapp, qtbot):
    background = Background()
    try:
        future = background.run(lambda: 42)
        future.result()
        got: list[int] = []
        run_in_background(future, got.append)
        assert got == []  # not re-entrant: the caller finishes first
        qtbot.waitUntil(lambda: got == [42])
    finally:
        background.shutdown()


def test_a_cancelled_call_is_dropped(qapp, qtbot):
    background = Background()
    try:
        got: list[str] = []
        call = run_in_background(background.run(lambda: time.sleep(0.1) or "late"), got.append)
        call.cancel()
        qtbot.waitUntil(lambda: pending_calls() == 0)
        qtbot.wait(50)
        assert got == []
    finally:
        background.shutdown()
