"""Work leaves the UI thread one way: a Future from Background, delivered back as a queued Qt signal."""

from __future__ import annotations

import gc
import threading
import time
import weakref

from kiosk.services.background import Background
from kiosk.ui.shell.tasks import pending_calls, run_in_background


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


class Result:
    """A result big enough to matter, that a test can watch for being freed."""


def test_a_delivered_call_keeps_nothing_alive(qapp, qtbot):
    """Long-lived screens start calls as their children; once delivered, neither the result nor the callbacks
    may stay referenced by them, or a terminal running for weeks grows with every citizen."""
    from PySide6.QtCore import QObject

    background = Background()
    screen = QObject()
    try:
        results: list[weakref.ref[Result]] = []

        def work() -> Result:
            result = Result()
            results.append(weakref.ref(result))
            return result

        delivered: list[bool] = []
        for _ in range(20):
            run_in_background(background.run(work), lambda r: delivered.append(True), parent=screen)
        qtbot.waitUntil(lambda: len(delivered) == 20 and pending_calls() == 0)
        qtbot.waitUntil(lambda: not screen.children())  # delivered calls leave their parent
        gc.collect()
        assert [r() for r in results] == [None] * 20
    finally:
        background.shutdown()


def test_a_cancelled_call_keeps_nothing_alive(qapp, qtbot):
    from PySide6.QtCore import QObject

    background = Background()
    screen = QObject()
    try:
        results: list[weakref.ref[Result]] = []

        def work() -> Result:
            result = Result()
            results.append(weakref.ref(result))
            return result

        started, gate = threading.Event(), threading.Event()

        def slow_work() -> Result:
            started.set()
            gate.wait(5)
            return work()

        call = run_in_background(background.run(slow_work), lambda r: None, parent=screen)
        started.wait(5)
        call.cancel()  # too late to stop the work: its result comes, and is dropped
        gate.set()
        qtbot.waitUntil(lambda: pending_calls() == 0 and len(results) == 1)
        call.cancel()  # cancelling again after delivery is harmless
        qtbot.waitUntil(lambda: not screen.children())
        gc.collect()
        assert results[0]() is None
    finally:
        background.shutdown()
