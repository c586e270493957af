"""``kiosk bench sessions``: resident memory of one running terminal over many citizen sessions.

A terminal runs for weeks. This serves a reference center on 127.0.0.1 (the demo catalog and forms, a process of
its own), enrols a terminal with it, and runs that terminal's real touch UI (offscreen, the A4 printer writing PDF
files, no other devices) and its sync engine in this process, inside Qt's own event loop as ``kiosk run`` does; it
plays the same citizen again and again: elder mode on, a search, a guide and its printout, the ID card read, a form
filled in, signed, submitted and printed, the rating, the progress screen, then 结束办理. Resident memory is read
after Python's garbage collector has run, after session 1, 100 and N; the figure to watch is ``ratio`` (after N
over after 100; goal at N = 1,000: ≤ 1.05). The first hundred sessions are excluded because caches, fonts and
the allocator's arenas fill up then.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
import time
from collections.abc import Callable, Generator
from dataclasses import replace
from pathlib import Path
from typing import Any

from kiosk.bench.stats import summary_ms
from kiosk.config import Settings

# What the script waits for: a condition that becomes true on a later turn of the event loop.
Wait = Callable[[], bool]
Script = Generator[Wait, None, None]

STEP_TIMEOUT_S = 60.0
WARM_SESSIONS = 100  # the reference point of the ratio
SEARCH = "社保卡"
FORM = "QY-RS-SBKBHK"
CARD = "elder"


class BenchError(RuntimeError):
    """The session could not be played (a screen did not reach the expected state)."""


def resident_mb() -> float:
    """Resident set size of this process in MiB (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def citizen_session(ui: Any) -> Script:
    """One citizen, start to end, through the slots the screens call."""
    from drivers.idcard.cards import SAMPLES
    from kiosk.ui.features.forms.form_demo import answer_demo_form
    from kiosk.ui.shell.tasks import pending_calls

    def settled() -> bool:
        return pending_calls() == 0

    ui.app_state.toggleElderMode()
    ui.navigator.push("search")
    ui.search.query = SEARCH
    yield lambda: settled() and ui.search.state == "ready"
    code = ui.search.results.rows()[0].code
    ui.guide.show(code)
    yield lambda: settled() and ui.guide.state == "ready"
    ui.preview.show()
    yield lambda: settled() and ui.preview.state in ("ready", "error")
    ui.preview.print()
    yield lambda: settled() and ui.preview.printState in ("printed", "failed")

    ui.forms.showForms()
    yield lambda: settled() and ui.forms.templatesState == "ready"
    ui.forms.choose(FORM)
    yield lambda: settled() and ui.navigator.current == "identify"
    ui.session.begin(SAMPLES[CARD])  # what the card reader's read does
    yield lambda: settled() and ui.navigator.current == "formStep"
    answer_demo_form(ui.forms)
    yield lambda: settled() and ui.navigator.current == "formReview"
    ui.forms.submit()
    yield lambda: settled() and ui.forms.printState in ("printed", "failed")
    ui.forms.done()
    yield lambda: settled() and ui.navigator.current == "rating"
    ui.rating.chooseLevel(5)
    ui.rating.submit()
    yield lambda: settled() and ui.rating.state in ("done", "error")

    ui.progress.show()
    yield lambda: settled() and ui.progress.state in ("ready", "empty", "offline", "error")
    ui.session.end()  # 结束办理
    yield lambda: settled() and ui.navigator.atHome and not ui.session.active


class SessionRunner:
    """Plays ``sessions`` citizen sessions inside the application's event loop, reading memory on the way."""

    def __init__(self, ui: Any, sessions: int, warm: int, progress: Callable[[str], None]) -> None:
        from PySide6.QtCore import QTimer

        self.ui, self.sessions, self.warm, self.progress = ui, sessions, warm, progress
        self.done = 0
        self.memory: dict[int, float] = {}
        self.objects: dict[int, int] = {}
        self.durations: list[float] = []
        self.error: str | None = None
        self._script: Script | None = None
        self._waiting: Wait | None = None
        self._deadline = 0.0
        self._started = 0.0
        self._timer = QTimer()
        self._timer.setInterval(2)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._timer.start()

    def _tick(self) -> None:
        try:
            self._advance()
        except Exception as exc:
            self._finish(f"{type(exc).__name__}: {exc}")

    def _advance(self) -> None:
        if self._waiting is not None:
            if not self._waiting():
                if time.monotonic() > self._deadline:
                    raise BenchError(f"session {self.done + 1} stalled on {self.ui.navigator.current!r}")
                return
            self._waiting = None
        if self._script is None:
            self._script = citizen_session(self.ui)
            self._started = time.perf_counter()
        try:
            self._waiting = next(self._script)
            self._deadline = time.monotonic() + STEP_TIMEOUT_S
        except StopIteration:
            self._script = None
            self.durations.append(time.perf_counter() - self._started)
            self.done += 1
            if self.done in (1, self.warm, self.sessions):
                gc.collect()
                self.memory[self.done] = resident_mb()
                self.objects[self.done] = len(gc.get_objects())
            if self.done % 50 == 0 or self.done in (1, self.sessions):
                self.progress(f"  {self.done}/{self.sessions} sessions, {resident_mb():.1f} MiB resident")
            if self.done >= self.sessions:
                self._finish(None)

    def _finish(self, error: str | None) -> None:
        from PySide6.QtCore import QCoreApplication

        self.error = error
        self._timer.stop()
        QCoreApplication.exit(0)


def run(
    settings: Settings, sessions: int, progress: Callable[[str], None] = print, warm: int = WARM_SESSIONS
) -> dict[str, Any]:
    """Serve a reference center on 127.0.0.1 (the demo catalog and forms), enrol a terminal with it in a
    temporary folder, play ``sessions`` sessions in the terminal's UI while its sync engine delivers what they
    write, and return the figures: resident memory and live Python objects after session 1, ``warm`` and
    ``sessions``, and how many records the center received."""
    from kiosk.bench.sync_bench import CenterProcess, run_program
    from kiosk.config import load_settings
    from kiosk.roles.kiosk.app import KioskUi
    from kiosk.services.sync.engine import SyncEngine
    from kiosk.services.terminal import Terminal
    from kiosk.ui.shell.app import WindowOptions, create_application

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-sessions-") as tmp:
        root = Path(tmp)
        (root / "center").mkdir()
        center = CenterProcess(root / "center")
        progress("sessions: starting a reference center with the demo catalog and forms")
        center.start("--demo")
        try:
            terminal_id, secret = center.add_terminal("bench")
            secret_file = root / "secret"
            secret_file.write_text(secret, encoding="utf-8")
            data_dir = root / "terminal"
            run_program(data_dir, "enroll", "--center", center.url, "--terminal-id", terminal_id,
                        "--secret-file", str(secret_file), "--retry-for", "30")  # fmt: skip
            secret_file.unlink()
            bench_settings = replace(
                load_settings(data_dir=data_dir),
                idcard_driver="none",
                sscard_driver="none",
                a4_printer="pdf",
                ticket_printer="none",
                scanner="none",
                voice_prompts=False,
                elder_mode=False,
                language="zh_CN",
            )
            progress(f"sessions: a terminal enrolled with it in {data_dir}")
            terminal = Terminal.open(bench_settings, demo=True)
            engine = SyncEngine.for_terminal(terminal)
            engine.start()  # what the running terminal does: the records of each session reach the center
            app = create_application(offscreen=True)
            ui = KioskUi(terminal, app, WindowOptions(size=(1080, 1920)), settings=bench_settings)
            runner = SessionRunner(ui, sessions, warm, progress)
            try:
                ui.firstFrameShown.connect(runner.start)
                app.exec()
            finally:
                ui.close()
                app.processEvents()
                engine.close()
                delivered = terminal.outbox.stats().backlog
                terminal.close()
        finally:
            center.stop()
        if runner.error is not None:
            raise BenchError(runner.error)

    after_1 = runner.memory.get(1, 0.0)
    after_warm = runner.memory.get(warm) if sessions > warm else None
    after_n = runner.memory.get(sessions, 0.0)
    return {
        "sessions": sessions,
        "warm": warm,
        "resident_mb": {str(k): round(v, 1) for k, v in sorted(runner.memory.items())},
        "python_objects": {str(k): v for k, v in sorted(runner.objects.items())},
        "after_1_mb": round(after_1, 1),
        "after_warm_mb": round(after_warm, 1) if after_warm is not None else None,
        "after_n_mb": round(after_n, 1),
        "ratio": round(after_n / after_warm, 3) if after_warm else None,
        "growth_kb_per_session": (
            round((after_n - after_warm) * 1024 / (sessions - warm), 1) if after_warm else None
        ),
        "session_ms": summary_ms(runner.durations),
        "outbox_backlog_at_end": delivered,
        "goal": "ratio <= 1.05 at 1,000 sessions",
    }


def print_report(result: dict[str, Any]) -> None:
    n, warm = result["sessions"], result["warm"]
    objects = result["python_objects"]
    print(f"citizen sessions in one running terminal: {n}")
    print(
        f"  after 1 session:    {result['after_1_mb']:7.1f} MiB resident, {objects.get('1', 0):,} Python objects"
    )
    if result["after_warm_mb"] is not None:
        print(
            f"  after {warm} sessions: {result['after_warm_mb']:7.1f} MiB resident, "
            f"{objects.get(str(warm), 0):,} Python objects"
        )
    print(
        f"  after {n} sessions: {result['after_n_mb']:7.1f} MiB resident, {objects.get(str(n), 0):,} Python objects"
    )
    if result["ratio"] is not None:
        print(f"  ratio after {n} / after {warm}: {result['ratio']:.3f}   (goal at 1,000: <= 1.05)")
        print(f"  growth after the first {warm}: {result['growth_kb_per_session']:.1f} kB a session")
    else:
        print(f"  (no ratio: it needs more than {warm} sessions)")
    print(f"  records still waiting for the center at the end: {result['outbox_backlog_at_end']}")
    timing = result["session_ms"]
    print(f"  one session: median {timing['p50_ms']:.0f} ms, p95 {timing['p95_ms']:.0f} ms")
